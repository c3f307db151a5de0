import { z } from "zod";

// An agent's reply as an email, built from what the thread knows: no I/O here, so every rule
// (who it goes to, the subject, the threading headers) is unit tested on its own.

export interface OutgoingMessage {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
}

export interface ReplyMessageInput {
  /** The workspace's sender (Settings → Email). */
  sender: { fromAddress: string; fromName: string | null };
  ticket: { subject: string; channel: string };
  /** The ticket's customer, if it has one. */
  customer: { emails: readonly string[] } | null;
  /** The customer's last message before this reply, if any. */
  lastCustomerMessage: { fromAddress: string | null; messageId: string | null; references: readonly string[] } | null;
  /** `subject`: an automatic reply's own (a confirmation in the shopper's language). */
  reply: { body: string; messageId: string; subject?: string | null };
}

export type BuiltReply = { ok: true; message: OutgoingMessage } | { ok: false; error: string };

export const NO_RECIPIENT = "This customer has no email address to reply to. Add one to the customer, then retry.";

const Email = z.email();
const isEmail = (value: string) => Email.safeParse(value).success;

/** "Ava Lind <ava@example.com>" or "ava@example.com" → the address, when it is one. */
export function addressOf(value: string | null | undefined): string | null {
  if (!value) return null;
  const bracketed = /<([^<>\s]+)>\s*$/.exec(value);
  const address = (bracketed ? bracketed[1]! : value).trim();
  return isEmail(address) ? address : null;
}

/**
 * Who the reply goes to: on an email or contact-form ticket, the address the customer last wrote
 * from or typed in the form (they may use another address than the one on file); otherwise, or
 * when that is not an address, the customer's first email.
 */
export function replyRecipient(input: Pick<ReplyMessageInput, "ticket" | "customer" | "lastCustomerMessage">) {
  const wroteFrom =
    input.ticket.channel === "email" || input.ticket.channel === "contact_form"
      ? addressOf(input.lastCustomerMessage?.fromAddress)
      : null;
  return wroteFrom ?? input.customer?.emails.map(addressOf).find((address) => address !== null) ?? null;
}

/** "Re: <subject>", on one line, without stacking "Re: Re:". */
export function replySubject(subject: string): string {
  const line = subject.replace(/\s+/g, " ").trim() || "Your message";
  return /^re\s*:/i.test(line) ? line : `Re: ${line}`;
}

/** A Message-ID as RFC 5322 writes it: <left@right>, no spaces or brackets inside. */
export const isMessageId = (value: string | null | undefined): value is string =>
  typeof value === "string" && /^<[^<>\s@]+@[^<>\s@]+>$/.test(value) && value.length <= 998;

/** Ours: <uuid@the sender's domain>, so it is unique and names who made it. */
export function newMessageId(fromAddress: string, uuid: string = crypto.randomUUID()): string {
  const domain = fromAddress.split("@").pop()?.toLowerCase() || "shopdesk.invalid";
  return `<${uuid}@${domain}>`;
}

/** Threads kept short: the first id (the thread's root) and the most recent ones. */
const MAX_REFERENCES = 20;

/** In-Reply-To is the customer's last message; References its references, then it. */
export function threadingHeaders(parent: ReplyMessageInput["lastCustomerMessage"]) {
  if (!parent || !isMessageId(parent.messageId)) return { inReplyTo: null, references: [] as string[] };
  const chain = [...new Set([...parent.references.filter(isMessageId), parent.messageId])];
  const references = chain.length > MAX_REFERENCES ? [chain[0]!, ...chain.slice(-(MAX_REFERENCES - 1))] : chain;
  return { inReplyTo: parent.messageId, references };
}

export function buildReplyMessage(input: ReplyMessageInput): BuiltReply {
  const to = replyRecipient(input);
  if (!to) return { ok: false, error: NO_RECIPIENT };
  const { inReplyTo, references } = threadingHeaders(input.lastCustomerMessage);
  return {
    ok: true,
    message: {
      from: { name: input.sender.fromName ?? "", address: input.sender.fromAddress },
      to,
      subject: input.reply.subject || replySubject(input.ticket.subject),
      text: input.reply.body,
      messageId: input.reply.messageId,
      inReplyTo,
      references,
    },
  };
}
