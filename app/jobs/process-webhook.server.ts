import { z } from "zod";
import { processWebhookEvent } from "~/services/webhooks/process.server";
import { defineJob } from "./queue.server";

export const processWebhookJob = defineJob({
  name: "webhook-process",
  // shopDomain names the shop in the job's log lines (jobs queued before it existed lack it).
  schema: z.object({ webhookEventId: z.uuid(), shopDomain: z.string().optional() }),
  // Shopify itself retries for hours; we retry a few times with backoff, then the event stays
  // "failed" (visible on the Activity page) and the job is dead-lettered.
  retryLimit: 6,
  retryDelaySeconds: 5,
  retryBackoff: true,
  handler: ({ webhookEventId }, { log }) => processWebhookEvent(webhookEventId, log),
});
