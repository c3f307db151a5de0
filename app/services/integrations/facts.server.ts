import { db } from "~/db.server";
import type { IntegrationFacts } from "~/domain/integration-template";

// What an integration's `{{ variables }}` are filled from, for one ticket of the workspace.

/** The ticket's facts (null when the ticket is not the workspace's, or has been deleted). */
export async function loadIntegrationFacts(workspaceId: string, ticketId: string): Promise<IntegrationFacts | null> {
  const ticket = await db.ticket.findFirst({
    where: { id: ticketId, workspaceId },
    select: {
      number: true,
      subject: true,
      status: true,
      channel: true,
      priority: true,
      tags: true,
      customer: {
        select: {
          id: true,
          name: true,
          emails: true,
          phones: true,
          shopifyCustomers: {
            where: { deletedAt: null },
            select: { firstName: true, lastName: true },
            orderBy: { shopifyUpdatedAt: "desc" },
            take: 1,
          },
        },
      },
      assignee: { select: { name: true, email: true } },
      // The latest linked order: what the conversation is most likely about now.
      orders: { orderBy: { linkedAt: "desc" }, take: 1, select: { order: { select: { name: true } } } },
    },
  });
  if (!ticket) return null;
  const shopifyCustomer = ticket.customer?.shopifyCustomers[0];
  return {
    ticket: {
      number: ticket.number,
      subject: ticket.subject,
      status: ticket.status,
      channel: ticket.channel,
      priority: ticket.priority,
      tags: ticket.tags,
    },
    customer: ticket.customer && {
      id: ticket.customer.id,
      name: ticket.customer.name,
      firstName: shopifyCustomer?.firstName ?? null,
      lastName: shopifyCustomer?.lastName ?? null,
      email: ticket.customer.emails[0] ?? null,
      phone: ticket.customer.phones[0] ?? null,
    },
    order: ticket.orders[0] ? { name: ticket.orders[0].order.name } : null,
    assignee: ticket.assignee && { name: ticket.assignee.name, email: ticket.assignee.email },
  };
}
