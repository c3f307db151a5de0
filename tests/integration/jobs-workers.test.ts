import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { enqueue, stopJobs } from "~/jobs/queue.server";
import { recordRunJob, RUNS_TABLE_SQL } from "./fixtures/record-run-job";

// Several worker processes on one PostgreSQL database share the queue: each job runs exactly
// once (pg-boss fetches with FOR UPDATE SKIP LOCKED), and SIGTERM stops a worker cleanly.

const here = path.dirname(fileURLToPath(import.meta.url));
const JOBS = 200;

interface WorkerProcess {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | null>;
}

function startWorker(): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(here, "fixtures/recording-worker.ts")], {
    cwd: path.resolve(here, "../.."),
    env: { ...process.env, LOG_LEVEL: "info" }, // DATABASE_URL: this file's database
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
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { child, ready, exited };
}

const workers: WorkerProcess[] = [];

afterAll(async () => {
  for (const { child } of workers) if (child.exitCode === null) child.kill("SIGKILL");
  await stopJobs();
});

describe("worker processes on PostgreSQL", () => {
  it("share 200 jobs, each processed exactly once, and stop gracefully on SIGTERM", async () => {
    await db.$executeRawUnsafe(RUNS_TABLE_SQL);
    workers.push(startWorker(), startWorker());
    await Promise.all(workers.map((worker) => worker.ready));

    const ids = await Promise.all(Array.from({ length: JOBS }, (_, n) => enqueue(recordRunJob, { n })));
    expect(new Set(ids).size).toBe(JOBS);

    await vi.waitFor(
      async () => {
        const [{ count }] = await db.$queryRaw<[{ count: bigint }]>`SELECT count(*) FROM test_job_runs`;
        expect(Number(count)).toBeGreaterThanOrEqual(JOBS);
      },
      { timeout: 60_000, interval: 250 },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // a duplicate run would show up by now

    const runs = await db.$queryRaw<
      { job_id: string; n: number; pid: number }[]
    >`SELECT job_id::text, n, pid FROM test_job_runs`;
    expect(runs).toHaveLength(JOBS);
    expect(new Set(runs.map((run) => run.job_id))).toEqual(new Set(ids));
    expect(new Set(runs.map((run) => run.n)).size).toBe(JOBS);
    const perProcess = new Map<number, number>();
    for (const run of runs) perProcess.set(run.pid, (perProcess.get(run.pid) ?? 0) + 1);
    expect([...perProcess.keys()].sort()).toEqual(workers.map((worker) => worker.child.pid).sort());

    const states = await db.$queryRaw<{ state: string; count: bigint }[]>`
      SELECT state::text, count(*) FROM pgboss.job WHERE name = ${recordRunJob.name} GROUP BY state`;
    expect(states.map((row) => ({ state: row.state, count: Number(row.count) }))).toEqual([
      { state: "completed", count: JOBS },
    ]);

    for (const { child } of workers) child.kill("SIGTERM");
    expect(await Promise.all(workers.map((worker) => worker.exited))).toEqual([0, 0]);
  });
});
