// The storefront chat's rules (decision 026), pure: what the widget shows, when a chat reverts to
// the portal, and which ticket a shopper's next message belongs to.

/** An agent's last message unanswered for longer than this: the widget goes back to the portal. */
export const CHAT_REVERT_AFTER_MS = 24 * 60 * 60 * 1000;

export type ChatAuthor = "shopper" | "agent";

export interface ChatLastMessage {
  from: ChatAuthor;
  at: Date;
}

type EntryKind = "customer_message" | "agent_reply" | "internal_note" | "system_event";

/**
 * Seeds 000 and 001: when the chat's last message is an agent's and is more than 24 hours old,
 * the conversation is over for the widget (the next message starts a new chat). A shopper's
 * unanswered message never reverts: they are waiting for us.
 */
export function chatHasReverted(last: ChatLastMessage | null, now: Date): boolean {
  return last !== null && last.from === "agent" && now.getTime() - last.at.getTime() > CHAT_REVERT_AFTER_MS;
}

/**
 * When the chat will revert if nobody writes (the agent's last message + 24 h), or null while the
 * shopper had the last word: a live stream checks again then, instead of polling the database.
 */
export function chatRevertsAt(last: ChatLastMessage | null): Date | null {
  return last !== null && last.from === "agent" ? new Date(last.at.getTime() + CHAT_REVERT_AFTER_MS + 1) : null;
}

/** Messages both ways; internal notes and system events are the agents' alone. */
export const isWidgetEntry = (entry: { kind: EntryKind }): boolean =>
  entry.kind === "customer_message" || entry.kind === "agent_reply";

/** The newest message the widget shows (by seq), as the revert rule reads it. */
export function lastWidgetMessage(entries: readonly { kind: EntryKind; createdAt: Date; seq: bigint }[]) {
  let last: (typeof entries)[number] | null = null;
  for (const entry of entries) if (isWidgetEntry(entry) && (!last || entry.seq > last.seq)) last = entry;
  return last ? { from: (last.kind === "agent_reply" ? "agent" : "shopper") as ChatAuthor, at: last.createdAt } : null;
}

export interface ChatTicketState {
  id: string;
  status: "open" | "snoozed" | "closed";
  acceptsMessages: boolean;
  continuedInTicketId: string | null;
}

/**
 * One step of finding where a message goes: this ticket takes it, the chat continues in another
 * (seed 003: an agent set another customer), or a new chat starts — a closed chat is over, and a
 * shopper writing again is a new conversation (a new ticket), as after the 24-hour revert.
 */
export function chatStep(ticket: ChatTicketState): { take: string } | { follow: string } | { startNew: true } {
  if (!ticket.acceptsMessages)
    return ticket.continuedInTicketId ? { follow: ticket.continuedInTicketId } : { startNew: true };
  if (ticket.status === "closed") return { startNew: true };
  return { take: ticket.id };
}

/** The most continuations followed (each is an agent's customer change): a guard against a cycle. */
export const MAX_CHAT_HOPS = 20;

/** The ticket that takes the visitor's next message, or null when a new chat starts. */
export function chatTakingMessages(ticketId: string, find: (id: string) => ChatTicketState | null): string | null {
  let current = find(ticketId);
  for (let hops = 0; current && hops <= MAX_CHAT_HOPS; hops++) {
    const step = chatStep(current);
    if ("take" in step) return step.take;
    if ("startNew" in step) return null;
    current = find(step.follow);
  }
  return null;
}

/** The largest seq PostgreSQL stores (bigint): a larger one from a browser is not a message's. */
const MAX_SEQ = 2n ** 63n - 1n;

/** A seq the widget sent (?after, Last-Event-ID, a read mark), or null when it is not one. */
export function parseSeq(text: string): bigint | null {
  if (!/^\d{1,19}$/.test(text)) return null;
  const seq = BigInt(text);
  return seq <= MAX_SEQ ? seq : null;
}
