// Entry of `npm run worker`: runs the registered jobs until SIGINT/SIGTERM.
import { logger } from "~/lib/logger.server";
import { jobDefinitions } from "./registry.server";
import { runWorkerProcess } from "./worker-process.server";

runWorkerProcess(jobDefinitions).catch((error: unknown) => {
  logger.error("worker failed to start", { error });
  process.exit(1);
});
