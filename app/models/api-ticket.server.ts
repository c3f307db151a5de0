import { db } from "~/db.server";
import type { ApiMessageRow, ApiTicketRow, TicketCreate } from "~/domain/api-tickets";
import { resolveHelpdeskCustomer } from "./helpdesk-customer.server";
import { openTicket } from "./ticket.server";
import type { ListQuery } from "~/domain/api-resources";

// Tickets and their messages as the REST API reads them: always by the workspace first, a ticket
// by its number in the workspace.

const TICKET_SELECT = {
  id: true,
  number: true,
  channel: true,
  subject: true,
  status: true,
  snoozedUntil: true,
  priority: true,
  tags: true,
  messageCount: true,
  createdAt: true,
  updatedAt: true,
  lastMessageAt: true,
  lastCustomerMessageAt: true,
  closedAt: true,
  customer: { select: { id: true, name: true, emails: true } },
  assignee: { select: { id: true, name: true, email: true } },
} as const;

export function getApiTicket(workspaceId: string, number: number): Promise<(ApiTicketRow & { id: string }) | null> {
  return db.ticket.findUnique({ where: { workspaceId_number: { workspaceId, number } }, select: TICKET_SELECT });
}

/** A page of the workspace's tickets by number, and the number the next page starts after. */
export async function listApiTickets(workspaceId: string, query: ListQuery & { customerId?: string }) {
  const descending = query.order_by === "created_datetime:desc";
  const rows = await db.ticket.findMany({
    where: {
      workspaceId,
      ...(query.customerId ? { customerId: query.customerId } : {}),
      ...(query.cursor ? { number: descending ? { lt: query.cursor } : { gt: query.cursor } } : {}),
    },
    orderBy: { number: descending ? "desc" : "asc" },
    take: query.limit + 1,
    select: TICKET_SELECT,
  });
  const page = rows.slice(0, query.limit);
  return { items: page, nextId: rows.length > query.limit ? page.at(-1)!.number : null };
}

const MESSAGE_SELECT = {
  id: true,
  seq: true,
  kind: true,
  channel: true,
  body: true,
  fromAddress: true,
  toAddresses: true,
  createdAt: true,
  authorAgent: { select: { id: true, name: true, email: true } },
  authorCustomer: { select: { id: true, name: true, emails: true } },
  attachments: { select: { id: true, filename: true, contentType: true, size: true } },
} as const;

/** One message or note of the workspace's, as the API answers it. */
export async function getApiMessage(workspaceId: string, entryId: string) {
  return (await db.ticketEntry.findFirst({
    where: { id: entryId, workspaceId },
    select: MESSAGE_SELECT,
  })) as (ApiMessageRow & { seq: bigint }) | null;
}

/** The workspace's agent a body names by email or id, or null when it names none of them. */
export async function findApiAgent(workspaceId: string, ref: { id?: string; email?: string }) {
  // Neither given would match any agent of the workspace: it names none.
  if (!ref.id && !ref.email) return null;
  return db.agent.findFirst({
    where: {
      workspaceId,
      ...(ref.email ? { email: ref.email.trim().toLowerCase() } : {}),
      ...(ref.id ? { id: ref.id } : {}),
    },
    select: { id: true, email: true },
  });
}

/**
 * Renames a ticket. No thread event: the inbox has no rename, so the thread has no line for one.
 * Scoped by the workspace; false when the ticket is not the workspace's.
 */
export async function setApiTicketSubject(workspaceId: string, ticketId: string, subject: string) {
  const updated = await db.ticket.updateMany({ where: { id: ticketId, workspaceId }, data: { subject } });
  return updated.count > 0;
}

/** A page of a ticket's messages and notes (not its system events), newest first unless asked. */
export async function listApiMessages(workspaceId: string, ticketId: string, query: ListQuery) {
  const ascending = query.order_by === "created_datetime:asc";
  const rows = await db.ticketEntry.findMany({
    where: {
      workspaceId,
      ticketId,
      kind: { in: ["customer_message", "agent_reply", "internal_note"] },
      ...(query.cursor ? { seq: ascending ? { gt: query.cursor } : { lt: query.cursor } } : {}),
    },
    orderBy: { seq: ascending ? "asc" : "desc" },
    take: query.limit + 1,
    select: MESSAGE_SELECT,
  });
  const page = rows.slice(0, query.limit);
  return {
    items: page as (ApiMessageRow & { seq: bigint })[],
    nextId: rows.length > query.limit ? Number(page.at(-1)!.seq) : null,
  };
}

/** Opens a ticket on the api channel for the customer with this email (a new customer if none). */
export async function createApiTicket(workspaceId: string, input: TicketCreate) {
  const [firstName, ...rest] = (input.customer.name ?? "").split(" ");
  const number = await db.$transaction(async (tx) => {
    const customerId = await resolveHelpdeskCustomer(tx, workspaceId, {
      email: input.customer.email,
      phone: null,
      firstName: input.customer.firstname ?? (firstName || null),
      lastName: input.customer.lastname ?? (rest.join(" ") || null),
    });
    const ticket = await openTicket(tx, workspaceId, {
      channel: "api",
      subject: input.subject ?? null,
      customerId,
      priority: input.priority,
      tags: input.tags.map((tag) => tag.name),
      firstMessage: { body: input.messages[0]!.body_text, fromAddress: input.customer.email },
    });
    return ticket.number;
  });
  return (await getApiTicket(workspaceId, number))!;
}
