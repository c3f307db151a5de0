import { logger } from "~/lib/logger.server";
import type { AnyJobDefinition } from "./queue.server";
import { startJobWorkers } from "./workers.server";
import { installShutdownHandlers } from "./runtime.server";

/**
 * A process that only runs jobs (`npm run worker`). Start as many as the load needs:
 * they share the queues, each job goes to one of them. Stops gracefully on SIGINT/SIGTERM.
 */
export async function runWorkerProcess(definitions: readonly AnyJobDefinition[]): Promise<void> {
  const log = logger.child({ component: "worker", pid: process.pid });
  installShutdownHandlers();
  // Started by a web process (worker-child.server.ts): when that process is gone, however it
  // went (kill -9 included), stop as on SIGTERM instead of running on unsupervised.
  if (process.send) process.once("disconnect", () => process.kill(process.pid, "SIGTERM"));
  await startJobWorkers(definitions);
  log.info("worker started", { jobs: definitions.map((definition) => definition.name) });
}
