import { queueReplyDelivery } from "~/jobs/mail-kinds.server";
import { logger } from "~/lib/logger.server";
import { addAgentReply } from "~/models/ticket.server";
import { reopenFailedReply } from "~/models/reply-delivery.server";

// What the ticket page calls to reply and to retry a reply (docs/decisions/018-email-out.md).
// Delivery itself is a durable job: the page answers as soon as the reply is stored.

export { queueReplyDelivery };

/** The reply id is not one of this workspace's agent replies. */
export class ReplyNotFoundError extends Error {
  constructor() {
    super("This reply does not exist or belongs to another workspace.");
  }
}

/**
 * Stores an agent's reply on the ticket (pending) and queues its delivery through the ticket's
 * channel. Throws what addAgentReply throws (TicketNotFoundError, TicketChangeRefused). If queuing
 * fails, the reply is kept and the stuck-reply sweep queues it within minutes: reporting an
 * error here would have the agent send it a second time.
 */
export async function sendAgentReply(workspaceId: string, ticketId: string, agentId: string, body: string) {
  const entry = await addAgentReply(workspaceId, ticketId, agentId, { body });
  try {
    await queueReplyDelivery(workspaceId, entry.id);
  } catch (error) {
    logger.error("could not queue a reply's delivery; the sweep will", { workspaceId, entryId: entry.id, error });
  }
  return entry;
}

/**
 * A person's "Retry" on a reply that failed: back to pending, a fresh set of attempts queued.
 * A pending reply is queued again (sooner than its next scheduled attempt, if a job is not already
 * waiting); a sent one is left as it is. Returns the reply as it is now.
 */
export async function retryReplyNow(workspaceId: string, entryId: string) {
  const entry = await reopenFailedReply(workspaceId, entryId);
  if (!entry) throw new ReplyNotFoundError();
  if (entry.deliveryStatus === "pending") await queueReplyDelivery(workspaceId, entryId);
  return entry;
}
