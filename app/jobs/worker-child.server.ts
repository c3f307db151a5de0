import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { onDatabaseClose } from "~/db.server";
import { logger } from "~/lib/logger.server";

// The job workers of a production web process run in a child process of their own (one `npm run
// worker`), not on the web process's event loop: an import step or a webhook handler would
// otherwise hold up every request for tens to hundreds of milliseconds (docs/decisions/014).
// The child is restarted if it dies, stopped with the web process, and stops by itself if the web
// process is killed (its IPC channel closes).

const log = logger.child({ component: "jobs" });

/** The built worker `npm run build` writes; relative to the working directory, like build/server. */
export const BUILT_WORKER = "build/worker/worker.js";

const RESTART_DELAY_MS = { first: 1_000, max: 30_000 };
/** A child that ran this long before dying starts over from the first delay. */
const HEALTHY_AFTER_MS = 60_000;
const STOP_GRACE_MS = 25_000; // the worker gives running jobs 20 s
/**
 * The child's scheduling niceness (0 normal, 19 lowest). Jobs are background work, while Shopify
 * gives a webhook 5 s before it retries: when both want the CPU, the web process's requests go
 * first and the jobs use what is left (docs/decisions/014). Queries they wait on are not affected.
 */
export const JOB_WORKER_NICENESS = 10;

interface Supervisor {
  child: ChildProcess | null;
  stopping: boolean;
  delay: number;
}

const GLOBAL_KEY = Symbol.for("shopdesk.workerChild");
type SupervisorGlobal = typeof globalThis & { [GLOBAL_KEY]?: Supervisor };
const holder = globalThis as SupervisorGlobal;

/** Whether this machine has the built worker to start (`npm run build` makes it). */
export function builtWorkerExists(): boolean {
  return existsSync(path.resolve(BUILT_WORKER));
}

/** Starts the worker child once per process (Vite may evaluate this module again). */
export function ensureWorkerChild(): void {
  if (holder[GLOBAL_KEY]) return;
  const supervisor: Supervisor = { child: null, stopping: false, delay: RESTART_DELAY_MS.first };
  holder[GLOBAL_KEY] = supervisor;
  start(supervisor);
  onDatabaseClose(() => stop(supervisor));
}

function start(supervisor: Supervisor): void {
  const startedAt = Date.now();
  const child = spawn(process.execPath, [...process.execArgv, path.resolve(BUILT_WORKER)], {
    // The parent's flags too: a network preload (the local store emulator) applies to both.
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, JOBS_IN_PROCESS: "false" },
  });
  supervisor.child = child;
  lowerPriority(child);
  log.info("job worker process started", { pid: child.pid });
  child.once("exit", (code, signal) => {
    supervisor.child = null;
    if (supervisor.stopping) return;
    if (Date.now() - startedAt > HEALTHY_AFTER_MS) supervisor.delay = RESTART_DELAY_MS.first;
    log.error("job worker process exited; starting another", { code, signal, restartInMs: supervisor.delay });
    setTimeout(() => {
      if (!supervisor.stopping) start(supervisor);
    }, supervisor.delay).unref();
    supervisor.delay = Math.min(supervisor.delay * 2, RESTART_DELAY_MS.max);
  });
}

async function stop(supervisor: Supervisor): Promise<void> {
  supervisor.stopping = true;
  const child = supervisor.child;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

function lowerPriority(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    os.setPriority(child.pid, JOB_WORKER_NICENESS);
  } catch (error) {
    // Raising one's own child's niceness is always allowed on Linux and macOS; elsewhere, carry on.
    log.warn("could not lower the job worker process's CPU priority", { error: (error as Error).message });
  }
}
