import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { deadLetterQueueName, jobQueue } from "~/jobs/boss.server";
import { listDeadJobs } from "~/jobs/dead-letters.server";
import { enqueue, stopJobs } from "~/jobs/queue.server";
import { blockingJob, RECOVERY_RUNS_TABLE_SQL } from "./fixtures/blocking-job";

// A worker process killed with SIGKILL (a crash, the OOM killer, a lost machine) leaves the job it
// was running `active` in the queue. Another process picks it up again within seconds, logging it
// as recovered, but never takes a job from a worker that is still alive.

const here = path.dirname(fileURLToPath(import.meta.url));
/** The target of issue 7: in-flight work runs again within 60 s of the restart. */
const RECOVERY_TARGET_MS = 60_000;

interface WorkerProcess {
  child: ChildProcess;
  startedAt: number;
  ready: Promise<void>;
  exited: Promise<unknown>;
  /** Its log lines (JSON), as far as written. */
  lines(): Record<string, unknown>[];
}

const workers: WorkerProcess[] = [];

function startWorker({ blocking }: { blocking: boolean }): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(here, "fixtures/blocking-worker.ts")], {
    cwd: path.resolve(here, "../.."),
    env: { ...process.env, LOG_LEVEL: "info", TEST_BLOCK_JOBS: blocking ? "1" : "0" }, // DATABASE_URL: this file's
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"msg":"worker started"')) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`worker exited (${code}) before it started:\n${output}`)));
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const lines = () =>
    output
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const worker = { child, startedAt: Date.now(), ready, exited, lines };
  workers.push(worker);
  return worker;
}

async function kill(worker: WorkerProcess) {
  worker.child.kill("SIGKILL");
  await worker.exited;
}

interface RunRow {
  job_id: string;
  pid: number;
  attempt: number;
  phase: string;
}
const runsOf = (jobId: string) =>
  db.$queryRaw<RunRow[]>`SELECT job_id::text, pid, attempt, phase FROM test_recovery_runs
    WHERE job_id = ${jobId}::uuid ORDER BY at`;

async function jobState(jobId: string) {
  const [row] = await db.$queryRaw<{ state: string }[]>`
    SELECT state::text FROM pgboss.job WHERE name = ${blockingJob.name} AND id = ${jobId}::uuid`;
  return row?.state;
}

/** Enqueues a job and waits until `worker` has started it (and is now stuck in it). */
async function jobStuckIn(worker: WorkerProcess, n: number): Promise<string> {
  const jobId = (await enqueue(blockingJob, { n }))!;
  await vi.waitFor(
    async () => expect(await runsOf(jobId)).toMatchObject([{ pid: worker.child.pid, phase: "started" }]),
    {
      timeout: 15_000,
      interval: 100,
    },
  );
  return jobId;
}

beforeAll(async () => {
  await db.$executeRawUnsafe(RECOVERY_RUNS_TABLE_SQL);
});

afterEach(async () => {
  for (const worker of workers.splice(0)) if (worker.child.exitCode === null) await kill(worker);
});

afterAll(() => stopJobs());

describe("crash recovery of jobs on PostgreSQL", () => {
  it("runs a killed worker's job again within 60 s of a new worker starting, and logs it as recovered", async () => {
    const crashing = startWorker({ blocking: true });
    await crashing.ready;
    const jobId = await jobStuckIn(crashing, 1);
    const [claimed] = await db.$queryRaw<{ holder: unknown }[]>`
      SELECT output -> 'shopdeskHolder' AS holder FROM pgboss.job WHERE id = ${jobId}::uuid`;
    expect(claimed?.holder).toEqual(expect.any(Number)); // its claim named its process
    await kill(crashing);

    const restarted = startWorker({ blocking: false });
    await vi.waitFor(async () => expect((await runsOf(jobId)).at(-1)).toMatchObject({ phase: "done" }), {
      timeout: RECOVERY_TARGET_MS,
      interval: 250,
    });
    const recoveredInMs = Date.now() - restarted.startedAt;
    expect(recoveredInMs).toBeLessThan(RECOVERY_TARGET_MS);
    expect(await runsOf(jobId)).toMatchObject([
      { pid: crashing.child.pid, attempt: 1, phase: "started" },
      { pid: restarted.child.pid, attempt: 2, phase: "started" },
      { pid: restarted.child.pid, attempt: 2, phase: "done" },
    ]);
    await vi.waitFor(async () => expect(await jobState(jobId)).toBe("completed"));

    const lines = restarted.lines();
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: "job recovered from a stopped process", job: blockingJob.name, jobId }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ msg: "recovery sweep at start", recovered: 1 }));
  }, 120_000);

  it("never takes a job from a live worker, and recovers it without a restart once that worker dies", async () => {
    const busy = startWorker({ blocking: true });
    await busy.ready;
    const jobId = await jobStuckIn(busy, 2);

    const other = startWorker({ blocking: false });
    await other.ready;
    // Its start sweep and at least one periodic sweep (every 10 s) have run by now.
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    expect(other.lines()).toContainEqual(expect.objectContaining({ msg: "recovery sweep at start", recovered: 0 }));
    expect(await runsOf(jobId)).toMatchObject([{ pid: busy.child.pid, phase: "started" }]);
    expect(await jobState(jobId)).toBe("active");

    const killedAt = Date.now();
    await kill(busy);
    await vi.waitFor(
      async () => expect((await runsOf(jobId)).at(-1)).toMatchObject({ pid: other.child.pid, phase: "done" }),
      {
        timeout: 30_000,
        interval: 250,
      },
    );
    expect(Date.now() - killedAt).toBeLessThan(15_000); // the next periodic sweep
    expect(other.lines()).toContainEqual(
      expect.objectContaining({ msg: "job recovered from a stopped process", job: blockingJob.name, jobId }),
    );
  }, 120_000);

  it("keeps its jobs when its lock connection drops and comes back (a server restart, a network blip)", async () => {
    const worker = startWorker({ blocking: true });
    await worker.ready;
    const jobId = await jobStuckIn(worker, 5);
    const terminated = await db.$queryRaw<{ done: boolean }[]>`
      SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
      WHERE application_name = 'shopdesk-jobs-holder' AND datname = current_database()`;
    expect(terminated).toEqual([{ done: true }]);

    await vi.waitFor(
      () => expect(worker.lines()).toContainEqual(expect.objectContaining({ msg: "job holder connection restored" })),
      { timeout: 30_000, interval: 250 },
    );
    // Its next sweep has run with the lock back: the job is still its own, running once.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    expect(worker.lines()).not.toContainEqual(expect.objectContaining({ msg: "job recovered from a stopped process" }));
    expect(await jobState(jobId)).toBe("active");
    expect(await runsOf(jobId)).toHaveLength(1);
  }, 120_000);

  it("leaves an active job that names no holder (claimed by an older version) to its expiry", async () => {
    const jobId = (await enqueue(blockingJob, { n: 3 }))!;
    await db.$executeRaw`UPDATE pgboss.job SET state = 'active', started_on = now() - interval '1 minute'
      WHERE name = ${blockingJob.name} AND id = ${jobId}::uuid`;

    const worker = startWorker({ blocking: false });
    await worker.ready;
    await vi.waitFor(() =>
      expect(worker.lines()).toContainEqual(expect.objectContaining({ msg: "recovery sweep at start" })),
    );
    expect(await jobState(jobId)).toBe("active");
    expect(await runsOf(jobId)).toEqual([]);
  }, 120_000);

  it("hands a dead-letter copy back with its original failure, so the ledger shows why the job died", async () => {
    await enqueue(blockingJob, { n: 4 }); // creates both queues
    const boss = await jobQueue();
    const deadLetterQueue = deadLetterQueueName(blockingJob.name);
    const copyId = (await boss.send(deadLetterQueue, { n: 4 }))!;
    // Taken by a process (holder key 7, which nobody holds) that died while writing it to the ledger.
    await db.$executeRaw`UPDATE pgboss.job SET state = 'active', started_on = now(),
        output = '{"message": "order 4 vanished", "shopdeskHolder": 7}'::jsonb
      WHERE name = ${deadLetterQueue} AND id = ${copyId}::uuid`;

    const worker = startWorker({ blocking: false });
    await vi.waitFor(async () => expect(await listDeadJobs({ queue: blockingJob.name })).toHaveLength(1), {
      timeout: 30_000,
      interval: 250,
    });
    const [entry] = await listDeadJobs({ queue: blockingJob.name });
    expect(entry).toMatchObject({ sourceJobId: copyId, error: "order 4 vanished", data: { n: 4 } });
    expect(worker.lines()).toContainEqual(
      expect.objectContaining({ msg: "job recovered from a stopped process", job: deadLetterQueue, jobId: copyId }),
    );
  }, 120_000);
});
