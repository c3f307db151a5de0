import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { z, ZodError } from "zod";
import { db } from "~/db.server";
import { jobQueue, stopQueue } from "~/jobs/boss.server";
import { countDeadJobs, listDeadJobs, retryDeadJob } from "~/jobs/dead-letters.server";
import { defineJob, enqueue, stopJobs, type JobContext } from "~/jobs/queue.server";
import { startJobWorkers } from "~/jobs/workers.server";

// The durable queue on this file's own database. Every test uses its own job name, so queues never see each other's jobs.

const uniqueName = (label: string) => `test-${label}-${randomUUID().slice(0, 8)}`;

interface Run {
  data: unknown;
  context: Pick<JobContext, "jobId" | "attempt">;
  at: number;
}

/** A job definition whose handler records its runs and behaves as `behaviour` says. */
function recordingJob(label: string, behaviour: (run: Run, runs: Run[]) => void = () => {}, options = {}) {
  const runs: Run[] = [];
  const job = defineJob({
    name: uniqueName(label),
    schema: z.object({ shopId: z.string(), n: z.number().int() }),
    retryDelaySeconds: 1,
    ...options,
    async handler(data, { jobId, attempt }) {
      const run = { data, context: { jobId, attempt }, at: Date.now() };
      runs.push(run);
      behaviour(run, runs);
    },
  });
  return { job, runs };
}

async function pgBossJobsIn(queue: string): Promise<number> {
  const [{ count }] = await db.$queryRaw<[{ count: bigint }]>`SELECT count(*) FROM pgboss.job WHERE name = ${queue}`;
  return Number(count);
}

afterAll(() => stopJobs());

describe("durable jobs", () => {
  it("runs an enqueued job once, with its validated data, within about a second", async () => {
    const { job, runs } = recordingJob("runs");
    await startJobWorkers([job]);
    const enqueuedAt = Date.now();
    const jobId = await enqueue(job, { shopId: "shop-1", n: 1 });

    await vi.waitFor(() => expect(runs).toHaveLength(1), { timeout: 5_000, interval: 50 });
    expect(runs[0]).toMatchObject({ data: { shopId: "shop-1", n: 1 }, context: { jobId, attempt: 1 } });
    expect(runs[0]!.at - enqueuedAt).toBeLessThan(1_500);
    await new Promise((resolve) => setTimeout(resolve, 700)); // more than a polling interval
    expect(runs).toHaveLength(1);
  });

  it("retries a failing job with growing delays, then succeeds", async () => {
    const { job, runs } = recordingJob(
      "flaky",
      (run) => {
        if (run.context.attempt < 3) throw new Error(`transient failure ${run.context.attempt}`);
      },
      { retryLimit: 3, retryDelaySeconds: 1, retryBackoff: true },
    );
    await startJobWorkers([job]);
    await enqueue(job, { shopId: "shop-1", n: 2 });

    await vi.waitFor(() => expect(runs).toHaveLength(3), { timeout: 20_000, interval: 100 });
    expect(runs.map((run) => run.context.attempt)).toEqual([1, 2, 3]);
    expect(new Set(runs.map((run) => run.context.jobId)).size).toBe(1);
    // Backoff with a 1 s base: 1–2 s before the 1st retry, 2–4 s before the 2nd.
    const [first, second, third] = runs.map((run) => run.at) as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(900);
    expect(third - second).toBeGreaterThanOrEqual(1_900);
    const boss = await jobQueue();
    await vi.waitFor(async () =>
      expect((await boss.getJobById(job.name, runs[2]!.context.jobId))?.state).toBe("completed"),
    );
    expect(await countDeadJobs({ queue: job.name })).toBe(0);
  });

  it("dead-letters a job that always fails, shows it in the ledger, and retries it on request", async () => {
    let healed = false;
    const { job, runs } = recordingJob(
      "doomed",
      () => {
        if (!healed) throw new TypeError("payload points at a deleted order");
      },
      { retryLimit: 1, retryDelaySeconds: 1, retryBackoff: false },
    );
    await startJobWorkers([job]);
    await enqueue(job, { shopId: "shop-dead", n: 3 });

    await vi.waitFor(async () => expect(await countDeadJobs({ queue: job.name })).toBe(1), {
      timeout: 20_000,
      interval: 200,
    });
    expect(runs.map((run) => run.context.attempt)).toEqual([1, 2]);
    const [entry] = await listDeadJobs({ queue: job.name });
    expect(entry).toMatchObject({
      queue: job.name,
      shopId: "shop-dead",
      data: { shopId: "shop-dead", n: 3 },
      error: "TypeError: payload points at a deleted order",
      attempts: 2,
      status: "dead",
    });
    expect(await countDeadJobs({ shopId: "shop-dead" })).toBe(1);

    healed = true;
    const retryJobId = await retryDeadJob(entry!.id);
    expect(retryJobId).toEqual(expect.any(String));
    await vi.waitFor(() => expect(runs).toHaveLength(3), { timeout: 5_000, interval: 50 });
    expect(runs[2]).toMatchObject({ data: { shopId: "shop-dead", n: 3 }, context: { jobId: retryJobId, attempt: 1 } });
    expect(await db.job.findUniqueOrThrow({ where: { id: entry!.id } })).toMatchObject({
      status: "retried",
      retryJobId,
    });
    expect(await countDeadJobs({ queue: job.name })).toBe(0);
    expect(await retryDeadJob(entry!.id)).toBeNull(); // a second click does nothing
  });

  it("files a dead job that names its shop by domain under that shop, so the shop's erasure removes it", async () => {
    const shop = await db.shop.create({
      data: { domain: "dead-letter-shop.myshopify.com", workspace: { create: { name: "Dead letters" } } },
    });
    const job = defineJob({
      name: uniqueName("by-domain"),
      schema: z.object({ shopDomain: z.string() }),
      retryLimit: 0,
      async handler() {
        throw new Error("always fails");
      },
    });
    await startJobWorkers([job]);
    await enqueue(job, { shopDomain: shop.domain });
    await vi.waitFor(async () => expect(await countDeadJobs({ queue: job.name })).toBe(1), {
      timeout: 20_000,
      interval: 200,
    });
    expect(await countDeadJobs({ shopId: shop.id })).toBe(1);

    const { eraseShop } = await import("~/services/privacy/personal-data.server");
    await db.shop.update({ where: { id: shop.id }, data: { uninstalledAt: new Date() } });
    expect(await eraseShop(shop.domain)).toBe("erased");
    expect(await countDeadJobs({ queue: job.name })).toBe(0);
  });

  it("rejects data that does not match the job's schema, at enqueue and at run time", async () => {
    const { job, runs } = recordingJob("strict");
    await startJobWorkers([job]);

    // @ts-expect-error -- wrong data on purpose
    await expect(enqueue(job, { shopId: 42, n: "x" })).rejects.toBeInstanceOf(ZodError);
    expect(await pgBossJobsIn(job.name)).toBe(0);

    // Data queued by other means (an older release, a raw send) never reaches the handler.
    const rawId = await (await jobQueue()).send(job.name, { shopId: "shop-raw" }, { singletonKey: randomUUID() });
    await vi.waitFor(async () => expect(await countDeadJobs({ queue: job.name })).toBe(1), {
      timeout: 5_000,
      interval: 100,
    });
    expect(runs).toHaveLength(0);
    const [entry] = await listDeadJobs({ queue: job.name });
    expect(entry).toMatchObject({ sourceJobId: rawId, shopId: "shop-raw", attempts: 1 });
    expect(entry!.error).toMatch(/^Invalid job data: .*n/s);
  });

  it("drops an enqueue whose singletonKey matches a job still waiting", async () => {
    const { job, runs } = recordingJob("singleton");
    const key = `order-${randomUUID()}`;
    const first = await enqueue(job, { shopId: "shop-1", n: 1 }, { singletonKey: key });
    const duplicate = await enqueue(job, { shopId: "shop-1", n: 2 }, { singletonKey: key });
    const other = await enqueue(job, { shopId: "shop-1", n: 3 }, { singletonKey: `${key}-other` });
    const unkeyed = [await enqueue(job, { shopId: "shop-1", n: 4 }), await enqueue(job, { shopId: "shop-1", n: 5 })];
    expect(first).toEqual(expect.any(String));
    expect(duplicate).toBeNull();
    expect(other).toEqual(expect.any(String));
    expect(unkeyed).toEqual([expect.any(String), expect.any(String)]); // no key: never deduplicated

    await startJobWorkers([job]);
    await vi.waitFor(() => expect(runs).toHaveLength(4), { timeout: 5_000, interval: 50 });
    expect(runs.map((run) => (run.data as { n: number }).n).sort()).toEqual([1, 3, 4, 5]);
    // Once it ran, the key is free again.
    expect(await enqueue(job, { shopId: "shop-1", n: 6 }, { singletonKey: key })).toEqual(expect.any(String));
    await vi.waitFor(() => expect(runs).toHaveLength(5), { timeout: 5_000, interval: 50 });
  });

  it("hands running workers a re-evaluated definition of the same job (Vite dev edits)", async () => {
    const name = uniqueName("edited");
    const ran: string[] = [];
    const version = (label: string) =>
      defineJob({ name, schema: z.object({ n: z.number() }), handler: async () => void ran.push(label) });
    await startJobWorkers([version("before the edit")]);
    await startJobWorkers([version("after the edit")]);
    await enqueue(version("after the edit"), { n: 1 });
    await vi.waitFor(() => expect(ran).toEqual(["after the edit"]), { timeout: 5_000, interval: 50 });
  });

  it("lets a job that outlives the stop's wait finish without an error (its result is dropped, as in a crash)", async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", record);
    try {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let started = false;
      const job = defineJob({
        name: uniqueName("outlives-stop"),
        schema: z.object({ n: z.number() }),
        async handler() {
          started = true;
          await gate;
        },
      });
      await startJobWorkers([job]);
      await enqueue(job, { n: 1 });
      await vi.waitFor(() => expect(started).toBe(true), { timeout: 5_000, interval: 20 });

      await stopQueue(100); // the handler is still running: pg-boss fails it back, then the pool closes
      release(); // now it finishes, and pg-boss records that on the closed pool
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", record);
    }
  });

  // Last: it closes and reopens the database, so the modules imported above are stale after it.
  it("processes a job enqueued before a restart once a new instance starts on the same database", async () => {
    const { job, runs } = recordingJob("durable");
    const jobId = await enqueue(job, { shopId: "shop-1", n: 7 }); // nobody works on this queue yet
    const { closeDatabase } = await import("~/db.server");
    await stopJobs();
    await closeDatabase(); // as in a real shutdown
    expect(runs).toHaveLength(0);

    vi.resetModules();
    const restarted = await import("~/jobs/queue.server");
    await (await import("~/jobs/workers.server")).startJobWorkers([job]);
    await vi.waitFor(() => expect(runs).toHaveLength(1), { timeout: 5_000, interval: 50 });
    expect(runs[0]).toMatchObject({ data: { shopId: "shop-1", n: 7 }, context: { jobId, attempt: 1 } });
    await restarted.stopJobs();
  });
});
