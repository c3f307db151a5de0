import type { Logger } from "~/lib/logger.server";
import { getWebhookEvent, markWebhookAttemptFailed, markWebhookEvent } from "~/models/webhook-event.server";
import { webhookHandlers } from "./handlers.server";

export class UnprocessableWebhookError extends Error {
  override name = "UnprocessableWebhookError";
}

/**
 * Runs the handler for one stored event. Safe to run twice: a finished event is left alone, and
 * every handler is idempotent and ignores payloads older than what it holds.
 */
export async function processWebhookEvent(webhookEventId: string, log: Logger): Promise<void> {
  const event = await getWebhookEvent(webhookEventId);
  if (!event) {
    log.info("webhook event no longer exists (erased by shop/redact)", { webhookEventId });
    return;
  }
  if (event.status === "processed" || event.status === "skipped") return;
  if (event.redactedAt) {
    // A privacy request erased the payload while the event waited: there is nothing left to apply,
    // and the erased customer must not come back from it anyway.
    await markWebhookEvent(webhookEventId, "skipped");
    return;
  }

  const handler = webhookHandlers.get(event.topic);
  if (!handler) throw new UnprocessableWebhookError(`No handler for topic ${event.topic}`);

  try {
    const payload = handler.payload.safeParse(event.payload);
    if (!payload.success) {
      throw new UnprocessableWebhookError(`Payload for ${event.topic} did not match: ${payload.error.message}`);
    }
    const outcome = await handler.handle({
      shopDomain: event.shopDomain,
      topic: event.topic,
      eventId: event.eventId,
      triggeredAt: event.triggeredAt,
      payload: payload.data,
      log: log.child({ shop: event.shopDomain, topic: event.topic, webhookEventId }),
    });
    await markWebhookEvent(webhookEventId, outcome);
  } catch (error) {
    await markWebhookAttemptFailed(webhookEventId, error);
    throw error;
  }
}
