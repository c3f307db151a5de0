import { z } from "zod";
import { processWebhookEvent } from "~/services/webhooks/process.server";
import { defineJob } from "./queue.server";

export const processWebhookJob = defineJob({
  name: "webhook-process",
  schema: z.object({ webhookEventId: z.uuid() }),
  // Shopify itself retries for hours; we retry a few times with backoff, then the event stays
  // "failed" (visible on the Activity page) and the job is dead-lettered.
  retryLimit: 6,
  retryDelaySeconds: 5,
  retryBackoff: true,
  handler: ({ webhookEventId }, { log }) => processWebhookEvent(webhookEventId, log),
});
