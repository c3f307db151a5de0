import { integrationDeliveryJob } from "./integrations.server";
import { replyDeliveryJob } from "./mail.server";
import { processWebhookJob } from "./process-webhook.server";
import type { AnyJobDefinition } from "./queue.server";
import { backfillJob, reconcileJob } from "./sync.server";
import { ticketWakeJob } from "./tickets.server";

/**
 * Every job kind the workers run (the web process and `npm run worker` processes). A job that is
 * enqueued but missing here waits in its queue until a process that knows it starts.
 */
export const jobDefinitions: readonly AnyJobDefinition[] = [
  processWebhookJob,
  backfillJob,
  reconcileJob,
  ticketWakeJob,
  replyDeliveryJob,
  integrationDeliveryJob,
];
