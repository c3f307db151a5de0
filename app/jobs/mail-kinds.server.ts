import { z } from "zod";
import { defineJobKind, enqueue } from "./queue.server";

// The outgoing-mail jobs as their producers see them; the handlers are in mail.server.ts.

/**
 * Delivers one agent reply (app/services/mail/delivery.server.ts). Retries with exponential
 * backoff and jitter: about 30 s, 1, 2, 4, 8 and 16 minutes (each up to twice that), so an SMTP
 * server that is down or refusing for up to about an hour still gets the reply; after the last
 * attempt the reply is marked failed, with the server's words, for a person to retry.
 */
export const replyDeliveryJobKind = defineJobKind({
  name: "ticket-reply-delivery",
  schema: z.object({ workspaceId: z.string().uuid(), entryId: z.string().uuid() }),
  retryLimit: 6,
  retryDelaySeconds: 30,
  retryBackoff: true,
  // Above the SMTP timeouts and the attempt's transaction (reply-delivery.server.ts).
  timeoutSeconds: 150,
});

/**
 * Queues the delivery of an agent reply. While one is waiting for this reply, queuing another
 * changes nothing (null); a delivery that is already running or retrying is not disturbed (the
 * reply's lock keeps two from sending at once).
 */
export function queueReplyDelivery(workspaceId: string, entryId: string): Promise<string | null> {
  return enqueue(replyDeliveryJobKind, { workspaceId, entryId }, { singletonKey: `ticket-reply:${entryId}` });
}
