import type { TicketChannel } from "~/domain/tickets";
import { mailSettingsForSending } from "~/models/mail-settings.server";
import {
  attemptReplyDelivery,
  lastCustomerMessageBefore,
  replyForDelivery,
  settleReply,
  storeReplyHeaders,
} from "~/models/reply-delivery.server";
import { buildReplyMessage, newMessageId } from "./reply-message";
import { sendSmtp } from "./smtp.server";

// Delivers an agent reply through its channel (docs/decisions/018-email-out.md). Called by the
// ticket-reply-delivery job; safe to run again for the same reply: a sent reply is never sent twice.

export const SMS_NOT_AVAILABLE =
  "Text message replies cannot be sent yet: Shopdesk has no SMS provider. Contact the customer another way.";

/** How each channel's replies reach the customer. */
const ROUTES: Record<TicketChannel, "email" | "in-app" | "unavailable"> = {
  email: "email",
  portal_request: "email",
  contact_form: "email",
  // The customer reads these in the chat widget or through the API: stored is delivered.
  chat: "in-app",
  api: "in-app",
  sms: "unavailable",
};

export type DeliveryResult =
  | { status: "sent"; to?: string; response?: string }
  /** Nothing done: it was sent before, is being sent by another delivery, failed for good, or is gone. */
  | { status: "skipped"; reason: "sent" | "busy" | "failed" | "missing" }
  /** willRetry: the reply stays pending and the job should try again; else it is now failed. */
  | { status: "failed"; error: string; willRetry: boolean };

/**
 * One delivery attempt of an agent reply of this workspace. `finalAttempt` false leaves a failed
 * send pending (the caller retries); true, or a failure no retry can fix (no settings, no address,
 * no SMS provider), marks it failed with the reason.
 */
/** An automatic reply's own subject (addAutomaticReply stores it with the entry), else null. */
function automaticReplySubject(event: unknown): string | null {
  if (typeof event !== "object" || event === null) return null;
  const { type, subject } = event as { type?: unknown; subject?: unknown };
  return type === "automatic_reply" && typeof subject === "string" ? subject : null;
}

export async function deliverReply(
  workspaceId: string,
  entryId: string,
  { finalAttempt = true }: { finalAttempt?: boolean } = {},
): Promise<DeliveryResult> {
  const reply = await replyForDelivery(workspaceId, entryId);
  if (!reply) return { status: "skipped", reason: "missing" };
  if (reply.deliveryStatus !== "pending") {
    return { status: "skipped", reason: reply.deliveryStatus === "sent" ? "sent" : "failed" };
  }

  const fail = async (error: string): Promise<DeliveryResult> =>
    (await settleReply(workspaceId, entryId, { status: "failed", error }))
      ? { status: "failed", error, willRetry: false }
      : { status: "skipped", reason: "sent" };

  switch (ROUTES[reply.channel]) {
    case "in-app":
      return (await settleReply(workspaceId, entryId, { status: "sent" }))
        ? { status: "sent" }
        : { status: "skipped", reason: "sent" };
    case "unavailable":
      return fail(SMS_NOT_AVAILABLE);
    case "email":
      break;
  }

  const settings = await mailSettingsForSending(workspaceId);
  if (!settings.ok) return fail(settings.error);
  const { fromAddress, fromName } = settings.settings;
  const built = buildReplyMessage({
    sender: { fromAddress, fromName },
    ticket: { subject: reply.ticket.subject, channel: reply.channel },
    customer: reply.ticket.customer,
    lastCustomerMessage: await lastCustomerMessageBefore(workspaceId, reply),
    reply: {
      body: reply.body,
      messageId: reply.messageId ?? newMessageId(fromAddress),
      subject: automaticReplySubject(reply.event),
    },
  });
  if (!built.ok) return fail(built.error);
  const message = built.message;
  // Stored before sending, so every attempt of this reply goes out under the same Message-ID.
  message.messageId = await storeReplyHeaders(workspaceId, entryId, {
    messageId: message.messageId,
    inReplyTo: message.inReplyTo,
    references: message.references,
    from: fromAddress,
    to: message.to,
  });

  const attempt = await attemptReplyDelivery(workspaceId, entryId, async () => {
    const sent = await sendSmtp(settings.settings, message);
    return sent.ok
      ? { result: sent.response, outcome: { ok: true } as const }
      : { result: "", outcome: { ok: false, error: sent.error, final: finalAttempt } as const };
  });
  if (!attempt.ran) return { status: "skipped", reason: attempt.reason };
  if (attempt.outcome.ok) return { status: "sent", to: message.to, response: attempt.result };
  return { status: "failed", error: attempt.outcome.error, willRetry: !finalAttempt };
}
