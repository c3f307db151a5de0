import { db } from "~/db.server";
import type { TicketStatus } from "~/generated/prisma/client";

// What agents see of shoppers on the storefront chat (decision 026): when a customer was last on
// the chat, who is on the store right now and on which page, and a chat ticket's live state (the
// shopper typing, how far each side has read). ChatVisitor.lastSeenAt is the widget's last action
// or heartbeat (every 2 minutes while a tab is open). Every query is scoped by workspace.

/** A visitor seen this recently is "on the store now": the heartbeat's 2 minutes plus slack. */
export const ON_STORE_WINDOW_MS = 3 * 60_000;

/** How many visitors the "On the store now" page lists (the most recently seen first). */
export const ON_STORE_LIMIT = 100;

const onStoreSince = (now: Date) => new Date(now.getTime() - ON_STORE_WINDOW_MS);

/** The latest lastSeenAt of the customer's chat visitors (one per browser), or null: never on the chat. */
export async function lastSeenOnChat(workspaceId: string, customerId: string): Promise<Date | null> {
  const latest = await db.chatVisitor.aggregate({
    where: { workspaceId, customerId },
    _max: { lastSeenAt: true },
  });
  return latest._max.lastSeenAt;
}

export interface VisitorOnStore {
  id: string;
  /** Their name or email as they gave it (or their customer's), else "Anonymous visitor". */
  name: string;
  email: string | null;
  customerId: string | null;
  store: string;
  pageTitle: string | null;
  pageUrl: string | null;
  lastSeenAt: Date;
  /** The chat their widget shows, if any. */
  chat: { ticketId: string; number: number; status: TicketStatus } | null;
}

/** Visitors seen within ON_STORE_WINDOW_MS, most recent first, and how many there are in all. */
export async function visitorsOnStore(
  workspaceId: string,
  options: { now?: Date; limit?: number } = {},
): Promise<{ visitors: VisitorOnStore[]; total: number }> {
  const now = options.now ?? new Date();
  const where = { workspaceId, lastSeenAt: { gte: onStoreSince(now) } };
  const [rows, total] = await Promise.all([
    db.chatVisitor.findMany({
      where,
      orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
      take: options.limit ?? ON_STORE_LIMIT,
      select: {
        id: true,
        name: true,
        email: true,
        customerId: true,
        lastSeenAt: true,
        lastPageUrl: true,
        lastPageTitle: true,
        shop: { select: { name: true, domain: true } },
        customer: { select: { name: true, emails: true, workspaceId: true } },
        ticket: { select: { id: true, number: true, status: true, workspaceId: true } },
      },
    }),
    db.chatVisitor.count({ where }),
  ]);
  const visitors = rows.map((row): VisitorOnStore => {
    // The visitor row is the workspace's; its links are checked too, so nothing of another
    // workspace is shown even if a row were ever linked wrongly.
    const customer = row.customer?.workspaceId === workspaceId ? row.customer : null;
    const ticket = row.ticket?.workspaceId === workspaceId ? row.ticket : null;
    const email = row.email ?? customer?.emails[0] ?? null;
    return {
      id: row.id,
      name: row.name ?? customer?.name ?? email ?? "Anonymous visitor",
      email,
      customerId: customer ? row.customerId : null,
      store: row.shop.name ?? row.shop.domain,
      pageTitle: row.lastPageTitle,
      pageUrl: row.lastPageUrl,
      lastSeenAt: row.lastSeenAt,
      chat: ticket ? { ticketId: ticket.id, number: ticket.number, status: ticket.status } : null,
    };
  });
  return { visitors, total };
}

export interface ChatThreadState {
  /** The shopper is typing now (their widget renews shopperTypingUntil while they type). */
  shopperTyping: boolean;
  /** How much longer the typing mark lasts, for the page to hide it when it runs out unannounced. */
  shopperTypingForMs: number;
  /** TicketEntry.seq of the last agent reply the shopper's widget showed. */
  shopperReadSeq: bigint;
  /** TicketEntry.seq of the last shopper message an agent's ticket page showed. */
  agentReadSeq: bigint;
  /** The chat's visitor when they are on the store now, with the page they are on. */
  onStore: { pageTitle: string | null; pageUrl: string | null; lastSeenAt: Date } | null;
}

/** A chat ticket's live state, or null when the ticket has no chat thread (or is not the workspace's). */
export async function chatThreadState(
  workspaceId: string,
  ticketId: string,
  now = new Date(),
): Promise<ChatThreadState | null> {
  const thread = await db.chatThread.findFirst({
    where: { ticketId, workspaceId },
    select: {
      shopperReadSeq: true,
      agentReadSeq: true,
      shopperTypingUntil: true,
      visitor: { select: { workspaceId: true, lastSeenAt: true, lastPageTitle: true, lastPageUrl: true } },
    },
  });
  if (!thread) return null;
  const typingForMs = thread.shopperTypingUntil ? thread.shopperTypingUntil.getTime() - now.getTime() : 0;
  const visitor = thread.visitor?.workspaceId === workspaceId ? thread.visitor : null;
  return {
    shopperTyping: typingForMs > 0,
    shopperTypingForMs: Math.max(0, typingForMs),
    shopperReadSeq: thread.shopperReadSeq,
    agentReadSeq: thread.agentReadSeq,
    onStore:
      visitor && visitor.lastSeenAt >= onStoreSince(now)
        ? { pageTitle: visitor.lastPageTitle, pageUrl: visitor.lastPageUrl, lastSeenAt: visitor.lastSeenAt }
        : null,
  };
}

/**
 * Records that an agent's page showed the shopper's messages up to `upToSeq`. Only moves forward,
 * and writes nothing when nothing is new: the ChatThread trigger announces every update and the
 * ticket page reloads on every announcement, so a write on each load would never stop.
 * True when the mark moved.
 */
export async function markAgentRead(workspaceId: string, ticketId: string, upToSeq: bigint): Promise<boolean> {
  const rows = await db.$executeRaw`
    UPDATE "ChatThread" SET "agentReadSeq" = ${upToSeq}, "updatedAt" = now()
     WHERE "ticketId" = ${ticketId} AND "workspaceId" = ${workspaceId} AND "agentReadSeq" < ${upToSeq}`;
  return rows > 0;
}
