import { enqueue } from "~/jobs/queue.server";
import { processWebhookJob } from "~/jobs/process-webhook.server";
import { logger } from "~/lib/logger.server";
import { recordWebhookEvent } from "~/models/webhook-event.server";
import { authenticate } from "~/shopify.server";

/** "app/uninstalled" → "APP_UNINSTALLED", the form @shopify/shopify-app-remix reports topics in. */
export const normalizeTopic = (topic: string) => topic.toUpperCase().replace(/[/.]/g, "_");

/**
 * The whole of a webhook route: verify (401 bad HMAC, 400 missing headers, from the library),
 * check the topic belongs to this route, store the event once, enqueue its processing, answer 200.
 * Processing happens in a job so Shopify gets its answer in milliseconds and a failure retries.
 */
export async function receiveWebhook(request: Request, routeTopic: string): Promise<Response> {
  const webhook = await authenticate.webhook(request);
  if (webhook.topic !== normalizeTopic(routeTopic)) {
    return new Response(`This endpoint receives ${routeTopic} webhooks, not ${String(webhook.topic)}`, { status: 400 });
  }
  const log = logger.child({ shop: webhook.shop, topic: routeTopic, webhookId: webhook.webhookId });
  const triggeredAt = webhook.triggeredAt ? new Date(webhook.triggeredAt) : null;
  const recorded = await recordWebhookEvent({
    shopDomain: webhook.shop,
    topic: routeTopic,
    // Event-Id is stable across retries and across subscriptions of one event; older
    // deliveries without it fall back to the webhook id, which is stable across retries.
    eventId: webhook.eventId ?? webhook.webhookId,
    webhookId: webhook.webhookId,
    apiVersion: webhook.apiVersion,
    triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
    payload: webhook.payload,
  });

  if (recorded.kind === "duplicate") {
    log.info("duplicate webhook acknowledged", { webhookEventId: recorded.id, status: recorded.status });
    // Still unprocessed (e.g. we crashed between storing and enqueuing): make sure a job exists.
    // The singleton key makes this a no-op when the job is already queued.
    if (recorded.status === "received")
      await enqueue(processWebhookJob, { webhookEventId: recorded.id }, { singletonKey: recorded.id });
    return new Response(null, { status: 200 });
  }

  await enqueue(processWebhookJob, { webhookEventId: recorded.id }, { singletonKey: recorded.id });
  log.debug("webhook accepted", { webhookEventId: recorded.id });
  return new Response(null, { status: 200 });
}
