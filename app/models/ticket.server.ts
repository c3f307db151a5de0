import { db } from "~/db.server";
import {
  normalizeTags,
  snoozeProblem,
  tagChanges,
  ticketSubject,
  type TicketChannel,
  type TicketEvent,
  type TicketPriority,
  type TicketStatus,
} from "~/domain/tickets";
import { Prisma, type TicketEntry } from "~/generated/prisma/client";
import { recordAgentContact } from "./portal-usage.server";

// Tickets and their threads, always within one workspace: every function takes the workspace the
// caller is authenticated for and finds nothing outside it (another workspace's ticket id is
// "not found", never a change). Each change and its system event are one transaction.

type Tx = Prisma.TransactionClient;

/** A ticket id that is not one of this workspace's tickets (or no ticket at all). */
export class TicketNotFoundError extends Error {
  constructor() {
    super("This ticket does not exist or belongs to another workspace.");
  }
}

/** A change the ticket's state does not allow; `message` says what to do instead. */
export class TicketChangeRefused extends Error {}

export interface NewTicket {
  channel: TicketChannel;
  subject?: string | null;
  customerId?: string | null;
  shopId?: string | null;
  priority?: TicketPriority;
  tags?: readonly string[];
  /** The first message, from the customer (most channels) or an agent (a ticket an agent starts). */
  firstMessage: NewMessage;
}

export interface NewMessage {
  body: string;
  /** Who wrote it: the ticket's customer (by default) or an agent. */
  author?: { agentId: string } | { customerId: string | null };
  fromAddress?: string | null;
  toAddresses?: readonly string[];
  messageId?: string | null;
  inReplyTo?: string | null;
  references?: readonly string[];
  at?: Date;
}

/** Locks the ticket row for the rest of the transaction; throws unless it is this workspace's. */
async function lockTicket(tx: Tx, workspaceId: string, ticketId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Ticket" WHERE id = ${ticketId} AND "workspaceId" = ${workspaceId} FOR UPDATE`;
  if (rows.length === 0) throw new TicketNotFoundError();
  return tx.ticket.findUniqueOrThrow({ where: { id: ticketId } });
}

export async function recordEvent(
  tx: Tx,
  ticket: { id: string; workspaceId: string; channel: TicketChannel },
  event: TicketEvent,
  agentId: string | null,
  at = new Date(),
) {
  await tx.ticketEntry.create({
    data: {
      ticketId: ticket.id,
      workspaceId: ticket.workspaceId,
      kind: "system_event",
      channel: ticket.channel,
      authorAgentId: agentId,
      event,
      createdAt: at,
    },
  });
}

/** The customer must be one of this workspace's, or none. */
async function assertCustomerInWorkspace(tx: Tx, workspaceId: string, customerId: string | null | undefined) {
  if (!customerId) return;
  const found = await tx.helpdeskCustomer.count({ where: { id: customerId, workspaceId } });
  if (found === 0) throw new TicketChangeRefused("This customer does not exist or belongs to another workspace.");
}

async function assertAgentInWorkspace(tx: Tx, workspaceId: string, agentId: string | null | undefined) {
  if (!agentId) return null;
  const agent = await tx.agent.findFirst({ where: { id: agentId, workspaceId }, select: { id: true, name: true } });
  if (!agent) throw new TicketChangeRefused("This agent does not exist or belongs to another workspace.");
  return agent;
}

/**
 * Opens a ticket with its first message. Numbers are given out per workspace, in order, without
 * gaps or repeats even when many tickets open at once (the workspace row is the counter).
 */
export async function createTicket(workspaceId: string, ticket: NewTicket) {
  return db.$transaction((tx) => openTicket(tx, workspaceId, ticket));
}

/** createTicket within a transaction of the caller's (a ticket made with other rows, all or none). */
export async function openTicket(tx: Tx, workspaceId: string, ticket: NewTicket) {
  await assertCustomerInWorkspace(tx, workspaceId, ticket.customerId);
  if (ticket.shopId) {
    const shop = await tx.shop.count({ where: { id: ticket.shopId, workspaceId } });
    if (shop === 0) throw new TicketChangeRefused("This store is not part of the workspace.");
  }
  const author = ticket.firstMessage.author;
  const fromAgent =
    author && "agentId" in author ? await assertAgentInWorkspace(tx, workspaceId, author.agentId) : null;
  const { lastTicketNumber: number } = await tx.workspace.update({
    where: { id: workspaceId },
    data: { lastTicketNumber: { increment: 1 } },
    select: { lastTicketNumber: true },
  });
  const at = ticket.firstMessage.at ?? new Date();
  const created = await tx.ticket.create({
    data: {
      workspaceId,
      number,
      channel: ticket.channel,
      subject: ticketSubject(ticket.subject, ticket.firstMessage.body),
      customerId: ticket.customerId ?? null,
      shopId: ticket.shopId ?? null,
      priority: ticket.priority ?? "normal",
      tags: normalizeTags(ticket.tags ?? []),
      createdAt: at,
      lastMessageAt: at,
      lastCustomerMessageAt: fromAgent ? null : at,
      messageCount: 1,
    },
  });
  await recordEvent(tx, created, { type: "created", channel: ticket.channel }, fromAgent?.id ?? null, at);
  await tx.ticketEntry.create({
    data: messageData(
      created,
      ticket.firstMessage,
      fromAgent ? { agentId: fromAgent.id } : { customerId: created.customerId },
      at,
    ),
  });
  return created;
}

/** Links one of the workspace's orders to a ticket just opened in this transaction (openTicket). */
export async function linkOrderToNewTicket(
  tx: Tx,
  ticket: { id: string; workspaceId: string; channel: TicketChannel },
  order: { id: string; name: string },
) {
  await tx.ticketOrder.create({ data: { ticketId: ticket.id, orderId: order.id } });
  await recordEvent(tx, ticket, { type: "order_linked", orderId: order.id, orderName: order.name }, null);
}

/**
 * A reply the app sends on its own (a portal request's confirmation), pending like an agent's:
 * the reply delivery job sends it through the ticket's channel, with `subject` instead of "Re: "
 * and the ticket's subject (the shopper's language, not the agents').
 */
export async function addAutomaticReply(
  tx: Tx,
  ticket: { id: string; workspaceId: string; channel: TicketChannel },
  reply: { body: string; subject: string; at?: Date },
) {
  const at = reply.at ?? new Date();
  const entry = await tx.ticketEntry.create({
    data: {
      ticketId: ticket.id,
      workspaceId: ticket.workspaceId,
      kind: "agent_reply",
      channel: ticket.channel,
      body: reply.body,
      event: { type: "automatic_reply", subject: reply.subject },
      deliveryStatus: "pending",
      createdAt: at,
    },
  });
  await tx.ticket.update({ where: { id: ticket.id }, data: { lastMessageAt: at, messageCount: { increment: 1 } } });
  return entry;
}

function messageData(
  ticket: { id: string; workspaceId: string; channel: TicketChannel },
  message: NewMessage,
  author: { agentId: string } | { customerId: string | null },
  at: Date,
): Prisma.TicketEntryUncheckedCreateInput {
  const byAgent = "agentId" in author;
  return {
    ticketId: ticket.id,
    workspaceId: ticket.workspaceId,
    kind: byAgent ? "agent_reply" : "customer_message",
    channel: ticket.channel,
    authorAgentId: byAgent ? author.agentId : null,
    authorCustomerId: byAgent ? null : author.customerId,
    body: message.body,
    fromAddress: message.fromAddress ?? null,
    toAddresses: [...(message.toAddresses ?? [])],
    messageId: message.messageId ?? null,
    inReplyTo: message.inReplyTo ?? null,
    references: [...(message.references ?? [])],
    deliveryStatus: byAgent ? "pending" : null,
    createdAt: at,
  };
}

/**
 * A message from the customer. A snoozed or closed ticket opens again (recorded as automatic);
 * a ticket that no longer accepts messages (its chat was handed to another customer) refuses.
 */
export async function addCustomerMessage(
  workspaceId: string,
  ticketId: string,
  message: NewMessage,
  /** What the channel stores with the message, in the same transaction (a chat's image, its visitor). */
  alongside?: (tx: Prisma.TransactionClient, entry: { id: string }) => Promise<void>,
) {
  return db.$transaction(async (tx) => {
    const ticket = await lockTicket(tx, workspaceId, ticketId);
    if (!ticket.acceptsMessages) {
      throw new TicketChangeRefused("This conversation was moved to another ticket; new messages go there.");
    }
    const at = message.at ?? new Date();
    const entry = await tx.ticketEntry.create({
      data: messageData(ticket, message, { customerId: ticket.customerId }, at),
    });
    if (ticket.status !== "open") {
      await recordEvent(
        tx,
        ticket,
        { type: "status_changed", from: ticket.status, to: "open", until: null, automatic: true },
        null,
      );
    }
    await tx.ticket.update({
      where: { id: ticket.id },
      data: {
        status: "open",
        snoozedUntil: null,
        closedAt: null,
        lastMessageAt: at,
        lastCustomerMessageAt: at,
        messageCount: { increment: 1 },
      },
    });
    // A shopper answering a ticket their portal session opened has reached an agent: billable.
    if (ticket.channel === "portal_request") await recordAgentContact(tx, { ticketId: ticket.id }, at);
    await alongside?.(tx, entry);
    return entry;
  });
}

/** An agent's reply, stored as pending: the channel's sender marks it sent or failed. */
export async function addAgentReply(workspaceId: string, ticketId: string, agentId: string, message: NewMessage) {
  return db.$transaction(async (tx) => {
    const ticket = await lockTicket(tx, workspaceId, ticketId);
    await assertAgentInWorkspace(tx, workspaceId, agentId);
    const at = message.at ?? new Date();
    const entry = await tx.ticketEntry.create({ data: messageData(ticket, message, { agentId }, at) });
    await tx.ticket.update({
      where: { id: ticket.id },
      data: { lastMessageAt: at, messageCount: { increment: 1 } },
    });
    return entry;
  });
}

/** A note only agents see; it does not move the ticket in the inbox. */
export async function addInternalNote(workspaceId: string, ticketId: string, agentId: string, body: string) {
  return db.$transaction(async (tx) => {
    const ticket = await lockTicket(tx, workspaceId, ticketId);
    await assertAgentInWorkspace(tx, workspaceId, agentId);
    return tx.ticketEntry.create({
      data: {
        ticketId: ticket.id,
        workspaceId,
        kind: "internal_note",
        channel: ticket.channel,
        authorAgentId: agentId,
        body,
      },
    });
  });
}

export type StatusChange = { to: "open" } | { to: "closed" } | { to: "snoozed"; until: Date };

/** Opens, closes or snoozes a ticket; setting the status it already has changes nothing. */
export async function setTicketStatus(
  workspaceId: string,
  ticketId: string,
  change: StatusChange,
  agentId: string | null,
  now = new Date(),
) {
  if (change.to === "snoozed") {
    const problem = snoozeProblem(change.until, now);
    if (problem) throw new TicketChangeRefused(problem);
  }
  return db.$transaction(async (tx) => {
    const ticket = await lockTicket(tx, workspaceId, ticketId);
    await assertAgentInWorkspace(tx, workspaceId, agentId);
    const until = change.to === "snoozed" ? change.until : null;
    if (ticket.status === change.to && ticket.snoozedUntil?.getTime() === until?.getTime()) return ticket;
    await recordEvent(
      tx,
      ticket,
      {
        type: "status_changed",
        from: ticket.status,
        to: change.to,
        until: until?.toISOString() ?? null,
        automatic: false,
      },
      agentId,
    );
    return tx.ticket.update({
      where: { id: ticket.id },
      data: { status: change.to, snoozedUntil: until, closedAt: change.to === "closed" ? now : null },
    });
  });
}

/**
 * Re-opens a snoozed ticket whose time has come (the wake-up job). Nothing happens when it is no
 * longer snoozed (the customer wrote, an agent re-opened it) or was snoozed again until later:
 * the wake-up of that later snooze does it. True when it woke.
 */
export async function wakeTicketIfDue(workspaceId: string, ticketId: string, now = new Date()): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const ticket = await lockTicket(tx, workspaceId, ticketId);
    if (ticket.status !== "snoozed" || !ticket.snoozedUntil || ticket.snoozedUntil > now) return false;
    await recordEvent(
      tx,
      ticket,
      { type: "status_changed", from: "snoozed", to: "open", until: null, automatic: true },
      null,
      now,
    );
    await tx.ticket.update({ where: { id: ticket.id }, data: { status: "open", snoozedUntil: null } });
    return true;
  });
}

/** Snoozed tickets whose time has passed (any workspace), oldest first: the wake-up sweep's work. */
export function overdueSnoozedTickets(now: Date, limit: number) {
  return db.ticket.findMany({
    where: { status: "snoozed", snoozedUntil: { lte: now } },
    orderBy: { snoozedUntil: "asc" },
    take: limit,
    select: { id: true, workspaceId: true },
  });
}

/** Assigns the ticket to an agent of the workspace, or to nobody. */
export async function assignTicket(
  workspaceId: string,
  ticketId: string,
  toAgentId: string | null,
  byAgentId: string | null,
) {
  return db.$transaction(async (tx) => {
    const ticket = await lockTicket(tx, workspaceId, ticketId);
    const to = await assertAgentInWorkspace(tx, workspaceId, toAgentId);
    await assertAgentInWorkspace(tx, workspaceId, byAgentId);
    if (ticket.assigneeId === (to?.id ?? null)) return ticket;
    const from = ticket.assigneeId
      ? await tx.agent.findUnique({ where: { id: ticket.assigneeId }, select: { id: true, name: true } })
      : null;
    await recordEvent(
      tx,
      ticket,
      {
        type: "assigned",
        fromAgentId: from?.id ?? null,
        toAgentId: to?.id ?? null,
        fromName: from?.name ?? null,
        toName: to?.name ?? null,
      },
      byAgentId,
    );
    return tx.ticket.update({ where: { id: ticket.id }, data: { assigneeId: to?.id ?? null } });
  });
}

/** Replaces the ticket's tags (normalised); records what was added and removed. */
export async function setTicketTags(
  workspaceId: string,
  ticketId: string,
  tags: readonly string[],
  agentId: string | null,
) {
  return db.$transaction(async (tx) => {
    const ticket = await lockTicket(tx, workspaceId, ticketId);
    await assertAgentInWorkspace(tx, workspaceId, agentId);
    const next = normalizeTags(tags);
    const { added, removed } = tagChanges(ticket.tags, next);
    if (added.length === 0 && removed.length === 0) return ticket;
    await recordEvent(tx, ticket, { type: "tags_changed", added, removed }, agentId);
    return tx.ticket.update({ where: { id: ticket.id }, data: { tags: next } });
  });
}

export async function setTicketPriority(
  workspaceId: string,
  ticketId: string,
  priority: TicketPriority,
  agentId: string | null,
) {
  return db.$transaction(async (tx) => {
    const ticket = await lockTicket(tx, workspaceId, ticketId);
    await assertAgentInWorkspace(tx, workspaceId, agentId);
    if (ticket.priority === priority) return ticket;
    await recordEvent(tx, ticket, { type: "priority_changed", from: ticket.priority, to: priority }, agentId);
    return tx.ticket.update({ where: { id: ticket.id }, data: { priority } });
  });
}

/** Links one of the workspace's shops' orders to the ticket (linking twice changes nothing). */
export async function linkTicketOrder(workspaceId: string, ticketId: string, orderId: string, agentId: string | null) {
  return db.$transaction(async (tx) => {
    const ticket = await lockTicket(tx, workspaceId, ticketId);
    await assertAgentInWorkspace(tx, workspaceId, agentId);
    const order = await tx.shopifyOrder.findFirst({
      where: { id: orderId, shop: { workspaceId } },
      select: { id: true, name: true },
    });
    if (!order) throw new TicketChangeRefused("This order does not exist or belongs to another workspace.");
    const existing = await tx.ticketOrder.count({ where: { ticketId: ticket.id, orderId: order.id } });
    if (existing > 0) return;
    await tx.ticketOrder.create({ data: { ticketId: ticket.id, orderId: order.id } });
    await recordEvent(tx, ticket, { type: "order_linked", orderId: order.id, orderName: order.name }, agentId);
  });
}

/** The ticket with its counts, or null when it is not this workspace's. */
/** Whether the ticket is the workspace's (one index lookup: for routes that only need to know). */
export async function ticketExists(workspaceId: string, ticketId: string): Promise<boolean> {
  return (await db.ticket.findFirst({ where: { id: ticketId, workspaceId }, select: { id: true } })) !== null;
}

export function findTicket(workspaceId: string, ticketId: string) {
  return db.ticket.findFirst({
    where: { id: ticketId, workspaceId },
    include: {
      assignee: { select: { id: true, name: true } },
      customer: { select: { id: true, name: true, emails: true, phones: true } },
      orders: { include: { order: { select: { id: true, name: true, shopperStatus: true, shopId: true } } } },
    },
  });
}

export type { TicketStatus };

/** A thread entry as the ticket page shows it: the entry, who wrote it, the files sent with it. */
export type ThreadEntry = TicketEntry & {
  authorAgent: { id: string; name: string } | null;
  authorCustomer: { id: string; name: string | null; emails: string[] } | null;
  attachments: { id: string; filename: string; contentType: string; size: number }[];
};

type ThreadRow = { [K in keyof TicketEntry]: TicketEntry[K] | null } & {
  agentId: string | null;
  agentName: string | null;
  customerId: string | null;
  customerName: string | null;
  customerEmails: string[] | null;
  attachments: ThreadEntry["attachments"] | null;
};

/**
 * The newest page of the thread, or the page just before `before` (an entry id of this ticket),
 * oldest first within the page: how the ticket page reads a thread, latest at the bottom, earlier
 * pages on demand. Keyset on (createdAt, seq) from the end, so a 5,000-entry thread opens as fast
 * as a short one. `hasEarlier` says whether an earlier page exists.
 */
export async function latestThreadPage(
  workspaceId: string,
  ticketId: string,
  options: { before?: string; limit?: number } = {},
): Promise<{ entries: ThreadEntry[]; hasEarlier: boolean }> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  // One statement, one round trip (decision 020): Prisma sent the cursor lookup and each include
  // (agents, customers, attachments) as queries of their own, one after another. The page is read
  // backwards on TicketEntry(ticketId, createdAt, seq) with one row more than shown (is there an
  // earlier page?); authors and files are looked up for those rows only — LIMIT 1 keeps each
  // lateral a per-row index probe, never a hash join over the workspace's customers. With a
  // cursor, the page hangs off the cursor's row: no row at all means the cursor is not an entry of
  // this workspace's ticket; one row of nulls, that nothing is earlier.
  // Scalar lists are read as Prisma reads them: a NULL array (rows written without one) is [].
  const cursor = options.before
    ? Prisma.sql`(SELECT "createdAt", seq FROM "TicketEntry"
                   WHERE id = ${options.before} AND "ticketId" = ${ticketId} AND "workspaceId" = ${workspaceId})`
    : Prisma.sql`(SELECT 1)`;
  const keyset = options.before ? Prisma.sql`AND (e."createdAt", e.seq) < (c."createdAt", c.seq)` : Prisma.empty;
  const rows = await db.$queryRaw<ThreadRow[]>`
    SELECT p.id, p."ticketId", p."workspaceId", p.kind::text AS kind, p.channel::text AS channel,
           p."authorAgentId", p."authorCustomerId", p.body, p.event, p."fromAddress",
           coalesce(p."toAddresses", '{}') AS "toAddresses", p."messageId", p."inReplyTo",
           coalesce(p."references", '{}') AS "references", p."deliveryStatus"::text AS "deliveryStatus",
           p."deliveryError", p."deliveryAttempts", p."createdAt", p.seq,
           agent.id AS "agentId", agent.name AS "agentName",
           customer.id AS "customerId", customer.name AS "customerName", coalesce(customer.emails, '{}') AS "customerEmails",
           files.attachments
      FROM ${cursor} AS c
      LEFT JOIN LATERAL (
        SELECT e.* FROM "TicketEntry" e
         WHERE e."ticketId" = ${ticketId} AND e."workspaceId" = ${workspaceId} ${keyset}
         ORDER BY e."createdAt" DESC, e.seq DESC
         LIMIT ${limit + 1}
      ) AS p ON true
      LEFT JOIN LATERAL (
        SELECT id, name FROM "Agent" WHERE id = p."authorAgentId" AND "workspaceId" = ${workspaceId} LIMIT 1
      ) AS agent ON true
      LEFT JOIN LATERAL (
        SELECT id, name, emails FROM "HelpdeskCustomer"
         WHERE id = p."authorCustomerId" AND "workspaceId" = ${workspaceId} LIMIT 1
      ) AS customer ON true
      LEFT JOIN LATERAL (
        SELECT coalesce(json_agg(json_build_object('id', a.id, 'filename', a.filename, 'contentType', a."contentType",
                                                   'size', a.size) ORDER BY a."createdAt", a.id), '[]') AS attachments
          FROM "TicketAttachment" a WHERE a."entryId" = p.id AND a."workspaceId" = ${workspaceId}
      ) AS files ON true
     ORDER BY p."createdAt", p.seq`;
  if (options.before && rows.length === 0) throw new TicketNotFoundError();
  const found = rows.filter((row) => row.id !== null).map(threadEntry);
  const hasEarlier = found.length > limit;
  return { entries: hasEarlier ? found.slice(1) : found, hasEarlier };
}

function threadEntry({ agentId, agentName, customerId, customerName, customerEmails, ...row }: ThreadRow): ThreadEntry {
  return {
    ...(row as TicketEntry & Pick<ThreadRow, "attachments">),
    authorAgent: agentId ? { id: agentId, name: agentName! } : null,
    authorCustomer: customerId ? { id: customerId, name: customerName, emails: customerEmails ?? [] } : null,
    attachments: row.attachments ?? [],
  };
}

/** One entry of this workspace's ticket (a reply to retry), or null. */
export function findTicketEntry(workspaceId: string, ticketId: string, entryId: string) {
  return db.ticketEntry.findFirst({ where: { id: entryId, ticketId, workspaceId } });
}

/** Unlinks an order from the ticket (unlinking one that is not linked changes nothing). */
export async function unlinkTicketOrder(
  workspaceId: string,
  ticketId: string,
  orderId: string,
  agentId: string | null,
) {
  return db.$transaction(async (tx) => {
    const ticket = await lockTicket(tx, workspaceId, ticketId);
    await assertAgentInWorkspace(tx, workspaceId, agentId);
    const link = await tx.ticketOrder.findFirst({
      where: { ticketId: ticket.id, orderId },
      include: { order: { select: { id: true, name: true } } },
    });
    if (!link) return;
    await tx.ticketOrder.delete({ where: { ticketId_orderId: { ticketId: ticket.id, orderId } } });
    await recordEvent(tx, ticket, { type: "order_unlinked", orderId, orderName: link.order.name }, agentId);
  });
}
