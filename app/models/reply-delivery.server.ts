import { db } from "~/db.server";

// The delivery state of agent replies (TicketEntry rows of kind agent_reply), always within one
// workspace. States (docs/decisions/018-email-out.md):
//   pending, no error     queued or being sent
//   pending, with error   an attempt failed; another is scheduled (deliveryError says why)
//   sent                  the channel accepted it (the SMTP server, or the in-app thread)
//   failed                no attempt is left, or none can succeed; a person retries it

/** An agent reply with what delivering it needs, or null when it is not this workspace's. */
export function replyForDelivery(workspaceId: string, entryId: string) {
  return db.ticketEntry.findFirst({
    where: { id: entryId, workspaceId, kind: "agent_reply" },
    select: {
      id: true,
      ticketId: true,
      channel: true,
      body: true,
      messageId: true,
      createdAt: true,
      seq: true,
      deliveryStatus: true,
      deliveryAttempts: true,
      event: true,
      ticket: { select: { subject: true, customer: { select: { emails: true } } } },
    },
  });
}
export type ReplyForDelivery = NonNullable<Awaited<ReturnType<typeof replyForDelivery>>>;

/** The customer's last message written before the reply (what the reply answers). */
export function lastCustomerMessageBefore(workspaceId: string, reply: ReplyForDelivery) {
  return db.ticketEntry.findFirst({
    where: {
      workspaceId,
      ticketId: reply.ticketId,
      kind: "customer_message",
      OR: [{ createdAt: { lt: reply.createdAt } }, { createdAt: reply.createdAt, seq: { lt: reply.seq } }],
    },
    orderBy: [{ createdAt: "desc" }, { seq: "desc" }],
    select: { fromAddress: true, messageId: true, references: true },
  });
}

/**
 * Stores the email headers before the first attempt. The Message-ID is set only once: a retry,
 * or a second delivery racing this one, sends under the same id (the receiving side can tell it
 * is the same message). Returns the Message-ID the reply has now.
 */
export async function storeReplyHeaders(
  workspaceId: string,
  entryId: string,
  headers: { messageId: string; inReplyTo: string | null; references: string[]; from: string; to: string },
): Promise<string> {
  await db.ticketEntry.updateMany({
    where: { id: entryId, workspaceId, messageId: null },
    data: { messageId: headers.messageId },
  });
  const stored = await db.ticketEntry.update({
    where: { id: entryId, workspaceId },
    data: {
      inReplyTo: headers.inReplyTo,
      references: headers.references,
      fromAddress: headers.from,
      toAddresses: [headers.to],
    },
    select: { messageId: true },
  });
  return stored.messageId ?? headers.messageId;
}

export type AttemptOutcome = { ok: true } | { ok: false; error: string; final: boolean };

export type LockedAttempt<T> =
  | { ran: true; result: T; outcome: AttemptOutcome }
  /** Not attempted: another delivery of it holds the lock, or it is no longer pending. */
  | { ran: false; reason: "busy" | "sent" | "failed" | "missing" };

/** Longer than the SMTP timeouts together (smtp.server.ts), shorter than the job's timeout. */
const ATTEMPT_TRANSACTION_MS = 100_000;

/**
 * Runs one delivery attempt of a pending reply while holding a lock on it, and records its outcome
 * in the same transaction: two deliveries of the same reply (a replayed job, a manual retry next
 * to a scheduled one) never send at once, and the second finds it sent. A crash mid-attempt rolls
 * the outcome back: the reply stays pending and is tried again.
 */
export function attemptReplyDelivery<T>(
  workspaceId: string,
  entryId: string,
  attempt: () => Promise<{ result: T; outcome: AttemptOutcome }>,
): Promise<LockedAttempt<T>> {
  return db.$transaction(
    async (tx): Promise<LockedAttempt<T>> => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
        SELECT pg_try_advisory_xact_lock(hashtext('shopdesk.reply-delivery'), hashtext(${entryId})) AS locked`;
      if (!lock?.locked) return { ran: false, reason: "busy" };
      const current = await tx.ticketEntry.findFirst({
        where: { id: entryId, workspaceId, kind: "agent_reply" },
        select: { deliveryStatus: true },
      });
      if (!current) return { ran: false, reason: "missing" };
      if (current.deliveryStatus !== "pending") return { ran: false, reason: current.deliveryStatus ?? "missing" };
      const { result, outcome } = await attempt();
      await tx.ticketEntry.update({
        where: { id: entryId },
        data: {
          deliveryAttempts: { increment: 1 },
          ...(outcome.ok
            ? { deliveryStatus: "sent", deliveryError: null }
            : { deliveryStatus: outcome.final ? "failed" : "pending", deliveryError: outcome.error }),
        },
      });
      return { ran: true, result, outcome };
    },
    { timeout: ATTEMPT_TRANSACTION_MS, maxWait: 10_000 },
  );
}

/**
 * Settles a pending reply without sending anything (in-app channels; failures no attempt can fix).
 * False when it was not pending (already settled by another delivery).
 */
export async function settleReply(
  workspaceId: string,
  entryId: string,
  outcome: { status: "sent" } | { status: "failed"; error: string },
): Promise<boolean> {
  const { count } = await db.ticketEntry.updateMany({
    where: { id: entryId, workspaceId, kind: "agent_reply", deliveryStatus: "pending" },
    data:
      outcome.status === "sent"
        ? { deliveryStatus: "sent", deliveryError: null }
        : { deliveryStatus: "failed", deliveryError: outcome.error, deliveryAttempts: { increment: 1 } },
  });
  return count === 1;
}

/** A failed reply back to pending for another round of attempts (its error cleared). */
export async function reopenFailedReply(workspaceId: string, entryId: string) {
  await db.ticketEntry.updateMany({
    where: { id: entryId, workspaceId, kind: "agent_reply", deliveryStatus: "failed" },
    data: { deliveryStatus: "pending", deliveryError: null },
  });
  return db.ticketEntry.findFirst({ where: { id: entryId, workspaceId, kind: "agent_reply" } });
}
