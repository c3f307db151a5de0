import { db } from "~/db.server";
import type { TicketEvent } from "~/domain/tickets";
import type { Prisma } from "~/generated/prisma/client";
import { TicketChangeRefused, TicketNotFoundError } from "./ticket.server";

// Setting a ticket's customer (seed 003): when none was matched, or the match is wrong. On a live
// chat the conversation belongs to the widget session of whoever is typing, so the change splits
// it: the old ticket stops taking messages and a new chat ticket goes on for the chosen customer.

type Tx = Prisma.TransactionClient;

export type SetCustomerResult = {
  /** The ticket to show next: the new chat ticket after a split, else the same ticket. */
  ticketId: string;
  /** True when a live chat was split into a new ticket. */
  continued: boolean;
};

async function event(
  tx: Tx,
  ticket: { id: string; workspaceId: string; channel: Prisma.TicketEntryCreateManyInput["channel"] },
  payload: TicketEvent,
  agentId: string | null,
  at: Date,
) {
  await tx.ticketEntry.create({
    data: {
      ticketId: ticket.id,
      workspaceId: ticket.workspaceId,
      kind: "system_event",
      channel: ticket.channel,
      authorAgentId: agentId,
      event: payload,
      createdAt: at,
    },
  });
}

/**
 * Sets (or removes, with null) the ticket's customer. A chat that is still live (not closed, still
 * taking messages) is closed to new messages and continued in a new chat ticket for the chosen
 * customer, each pointing at the other; any other ticket just changes customer. The customer and
 * agent must be the workspace's; a chat already continued elsewhere is refused with where to go.
 */
export async function setTicketCustomer(
  workspaceId: string,
  ticketId: string,
  customerId: string | null,
  agentId: string | null,
): Promise<SetCustomerResult> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Ticket" WHERE id = ${ticketId} AND "workspaceId" = ${workspaceId} FOR UPDATE`;
    if (rows.length === 0) throw new TicketNotFoundError();
    const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    const customer = customerId
      ? await tx.helpdeskCustomer.findFirst({
          where: { id: customerId, workspaceId },
          select: { id: true, name: true, emails: true, phones: true },
        })
      : null;
    if (customerId && !customer) {
      throw new TicketChangeRefused("This customer does not exist or belongs to another workspace.");
    }
    if (agentId && (await tx.agent.count({ where: { id: agentId, workspaceId } })) === 0) {
      throw new TicketChangeRefused("This agent does not exist or belongs to another workspace.");
    }
    if (!ticket.acceptsMessages && ticket.continuedInTicketId) {
      const next = await tx.ticket.findFirst({
        where: { id: ticket.continuedInTicketId, workspaceId },
        select: { number: true },
      });
      throw new TicketChangeRefused(
        `This chat continues in ticket #${next?.number ?? "?"}; set the customer there instead.`,
      );
    }
    if (ticket.customerId === (customer?.id ?? null)) return { ticketId: ticket.id, continued: false };

    const at = new Date();
    const setEvent: TicketEvent = {
      type: "customer_set",
      fromCustomerId: ticket.customerId,
      toCustomerId: customer?.id ?? null,
      toName: customer ? (customer.name ?? customer.emails[0] ?? customer.phones[0] ?? null) : null,
    };
    await event(tx, ticket, setEvent, agentId, at);
    const liveChat = ticket.channel === "chat" && ticket.status !== "closed";
    if (!liveChat) {
      await tx.ticket.update({ where: { id: ticket.id }, data: { customerId: customer?.id ?? null } });
      return { ticketId: ticket.id, continued: false };
    }

    // The new chat: same store, assignee, priority and tags, numbered like any other ticket.
    const { lastTicketNumber: number } = await tx.workspace.update({
      where: { id: workspaceId },
      data: { lastTicketNumber: { increment: 1 } },
      select: { lastTicketNumber: true },
    });
    const next = await tx.ticket.create({
      data: {
        workspaceId,
        number,
        channel: "chat",
        subject: ticket.subject,
        status: "open",
        priority: ticket.priority,
        tags: ticket.tags,
        assigneeId: ticket.assigneeId,
        customerId: customer?.id ?? null,
        shopId: ticket.shopId,
        createdAt: at,
        lastMessageAt: at,
      },
    });
    await event(tx, next, { type: "created", channel: "chat" }, agentId, at);
    await event(
      tx,
      next,
      { type: "continued", direction: "from", otherTicketId: ticket.id, otherTicketNumber: ticket.number },
      agentId,
      at,
    );
    // The old ticket keeps its thread and is the chosen customer's too (the agent said who was
    // writing); it no longer takes messages, which now open on the new ticket.
    await event(
      tx,
      ticket,
      { type: "continued", direction: "in", otherTicketId: next.id, otherTicketNumber: next.number },
      agentId,
      at,
    );
    await event(
      tx,
      ticket,
      { type: "status_changed", from: ticket.status, to: "closed", until: null, automatic: false },
      agentId,
      at,
    );
    await tx.ticket.update({
      where: { id: ticket.id },
      data: {
        customerId: customer?.id ?? null,
        acceptsMessages: false,
        continuedInTicketId: next.id,
        status: "closed",
        snoozedUntil: null,
        closedAt: at,
      },
    });
    return { ticketId: next.id, continued: true };
  });
}

/**
 * The ticket a conversation's new messages belong to: the ticket itself, or the chat it continues
 * in after its customer was changed (following several changes). For the chat channel's intake,
 * whose widget session still names the old ticket. Null when it is not this workspace's ticket.
 */
export async function ticketTakingMessages(workspaceId: string, ticketId: string): Promise<string | null> {
  let current = await db.ticket.findFirst({
    where: { id: ticketId, workspaceId },
    select: { id: true, acceptsMessages: true, continuedInTicketId: true },
  });
  // Each hop is a new ticket made by setTicketCustomer, so a chain is short; the bound guards a cycle.
  for (let hops = 0; current && !current.acceptsMessages && current.continuedInTicketId && hops < 20; hops++) {
    current = await db.ticket.findFirst({
      where: { id: current.continuedInTicketId, workspaceId },
      select: { id: true, acceptsMessages: true, continuedInTicketId: true },
    });
  }
  return current?.id ?? null;
}
