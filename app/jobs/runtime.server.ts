import { closeDatabase } from "~/db.server";
import { env } from "~/env.server";
import { logger } from "~/lib/logger.server";
import { BUILT_WORKER, builtWorkerExists, ensureWorkerChild } from "./worker-child.server";
import { startJobWorkers } from "./workers.server";

const log = logger.child({ component: "jobs" });

/**
 * Where the web process's job workers run. JOBS_IN_PROCESS=true: on its own event loop;
 * false: nowhere (`npm run worker` processes run them); unset: in a child process in production
 * (worker-child.server.ts) and on the event loop in development, where Vite reloads job code.
 */
export function jobWorkersPlacement(): "event-loop" | "child" | "none" {
  if (env.JOBS_IN_PROCESS === false) return "none";
  if (env.JOBS_IN_PROCESS === true || env.NODE_ENV !== "production") return "event-loop";
  if (!builtWorkerExists()) {
    log.warn(`${BUILT_WORKER} is missing (run npm run build): job workers run on the web process's event loop`);
    return "event-loop";
  }
  return "child";
}

/** Starts the web process's job workers where jobWorkersPlacement says. */
export function ensureJobWorkers(): Promise<void> {
  const placement = jobWorkersPlacement();
  if (placement === "none") return Promise.resolve();
  if (placement === "child") {
    installShutdownHandlers();
    ensureWorkerChild();
    return Promise.resolve();
  }
  return ensureInProcessWorkers();
}

const GLOBAL_KEY = Symbol.for("shopdesk.inProcessWorkers");
type RuntimeGlobal = typeof globalThis & { [GLOBAL_KEY]?: Promise<void> };
const holder = globalThis as RuntimeGlobal;

/** After a failed start (database not reachable yet, say), try again this much later. */
const RETRY_START_AFTER_MS = 5_000;

/**
 * Starts the job workers on this process's event loop.
 * Idempotent: Vite dev re-evaluates the server entry on each change, and a later call only hands
 * the running workers the re-evaluated job definitions. A failed start is logged and retried in
 * the background instead of crashing the web server.
 */
export function ensureInProcessWorkers(): Promise<void> {
  const running = holder[GLOBAL_KEY];
  if (running) {
    return running.then(() =>
      startJobWorkers().catch((error: unknown) => log.error("job workers failed to refresh", { error })),
    );
  }
  installShutdownHandlers();
  const starting = startJobWorkers().then(
    () => log.info("job workers running in the web process"),
    (error: unknown) => {
      log.error("job workers failed to start; retrying", { error, retryInMs: RETRY_START_AFTER_MS });
      delete holder[GLOBAL_KEY];
      setTimeout(() => void ensureInProcessWorkers(), RETRY_START_AFTER_MS).unref();
    },
  );
  holder[GLOBAL_KEY] = starting;
  return starting;
}

const SHUTDOWN_KEY = Symbol.for("shopdesk.shutdownHandlers");

/**
 * On SIGINT/SIGTERM: let running jobs finish (or hand them back to the queue), close the database
 * pool, exit. A second signal exits at once.
 */
export function installShutdownHandlers(): void {
  const flags = globalThis as typeof globalThis & { [SHUTDOWN_KEY]?: true };
  if (flags[SHUTDOWN_KEY]) return;
  flags[SHUTDOWN_KEY] = true;
  let shuttingDown = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (shuttingDown) process.exit(1);
    shuttingDown = true;
    log.info("shutting down", { signal });
    closeDatabase().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error("shutdown failed", { error });
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}
