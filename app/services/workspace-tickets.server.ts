import type { Prisma } from "~/generated/prisma/client";
import { TICKET_CHANGES_CHANNEL } from "~/services/live/ticket-changes.server";

// Tickets follow the people and stores they belong to when a store joins or leaves a workspace
// (workspace-link.server.ts), in the same transaction, so no ticket is lost with a deleted
// workspace and none points across workspaces afterwards.

type Tx = Prisma.TransactionClient;

export interface TicketMove {
  from: string;
  to: string;
  /** The store changing workspace. */
  shopId: string;
  /** People of `from` who went to `to` as a whole (moved, or merged into a person there): old id → id in `to`. */
  wholly: Map<string, string>;
  /** People split in two: the moving store's half is this person of `to` (old id → id in `to`). */
  split: Map<string, string>;
  /** No store is left in `from` (it is about to be deleted): every ticket goes. */
  everything: boolean;
}

/**
 * Moves to `to` the tickets of people who went there as a whole, the tickets that came through
 * the moving store, and everything when `from` is left empty. A moved ticket gets the next number
 * of `to` (numbers are per workspace), its customer as known in `to`, agents of `to` with the same
 * email (created, as on a first visit, when missing) for its assignee and authors, and loses what
 * cannot follow: links to orders of stores that stay, a store that stays, viewers. Returns how many.
 */
export async function moveTicketsWithShop(tx: Tx, move: TicketMove): Promise<number> {
  const candidates = await tx.ticket.findMany({
    where: {
      workspaceId: move.from,
      ...(move.everything ? {} : { OR: [{ shopId: move.shopId }, { customerId: { in: [...move.wholly.keys()] } }] }),
    },
    orderBy: { number: "asc" },
    select: { id: true, customerId: true, shopId: true },
  });
  const ids = candidates.map(({ id }) => id);
  await moveChatVisitorsWithShop(tx, move, ids);
  if (candidates.length === 0) return 0;
  const shopsOfTarget = new Set(
    (await tx.shop.findMany({ where: { workspaceId: move.to }, select: { id: true } })).map(({ id }) => id),
  );
  const customerIn = (customerId: string | null) => {
    if (!customerId) return null;
    return move.wholly.get(customerId) ?? move.split.get(customerId) ?? null;
  };

  // Agents by email: the same person in `to`, made there if they have not visited it yet.
  const agentsFrom = await tx.agent.findMany({ where: { workspaceId: move.from } });
  const agentMap = new Map<string, string>();
  for (const agent of agentsFrom) {
    const there = await tx.agent.upsert({
      where: { workspaceId_email: { workspaceId: move.to, email: agent.email } },
      update: {},
      create: { workspaceId: move.to, name: agent.name, email: agent.email, lastSeenAt: agent.lastSeenAt },
      select: { id: true },
    });
    agentMap.set(agent.id, there.id);
  }

  const { lastTicketNumber } = await tx.workspace.update({
    where: { id: move.to },
    data: { lastTicketNumber: { increment: candidates.length } },
    select: { lastTicketNumber: true },
  });
  let number = lastTicketNumber - candidates.length;
  for (const ticket of candidates) {
    const current = await tx.ticket.findUniqueOrThrow({
      where: { id: ticket.id },
      select: { assigneeId: true, continuedInTicketId: true },
    });
    await tx.ticket.update({
      where: { id: ticket.id },
      data: {
        workspaceId: move.to,
        number: ++number,
        customerId:
          move.everything && !customerIn(ticket.customerId) ? ticket.customerId : customerIn(ticket.customerId),
        shopId: ticket.shopId && shopsOfTarget.has(ticket.shopId) ? ticket.shopId : null,
        assigneeId: current.assigneeId ? (agentMap.get(current.assigneeId) ?? null) : null,
        continuedInTicketId:
          current.continuedInTicketId && ids.includes(current.continuedInTicketId) ? current.continuedInTicketId : null,
      },
    });
  }

  // Entries: the workspace they are scoped by, their authors as known in `to`.
  await tx.ticketEntry.updateMany({ where: { ticketId: { in: ids } }, data: { workspaceId: move.to } });
  for (const [oldId, newId] of agentMap) {
    await tx.ticketEntry.updateMany({
      where: { ticketId: { in: ids }, authorAgentId: oldId },
      data: { authorAgentId: newId },
    });
  }
  for (const [oldId, newId] of [...move.wholly, ...move.split]) {
    await tx.ticketEntry.updateMany({
      where: { ticketId: { in: ids }, authorCustomerId: oldId },
      data: { authorCustomerId: newId },
    });
  }
  if (!move.everything) {
    // Authors who are people staying in `from` are not people of `to`: the message keeps its sender address.
    await tx.ticketEntry.updateMany({
      where: { ticketId: { in: ids }, authorCustomer: { workspaceId: { not: move.to } } },
      data: { authorCustomerId: null },
    });
  }
  await tx.ticketAttachment.updateMany({
    where: { entry: { ticketId: { in: ids } } },
    data: { workspaceId: move.to },
  });
  await tx.ticketOrder.deleteMany({
    where: { ticketId: { in: ids }, order: { shopId: { notIn: [...shopsOfTarget] } } },
  });
  await tx.ticketViewer.deleteMany({ where: { ticketId: { in: ids } } });
  await tx.chatThread.updateMany({ where: { ticketId: { in: ids } }, data: { workspaceId: move.to } });
  return candidates.length;
}

/**
 * The moving store's storefront chat visitors (decision 026) go with it, so its shoppers' next
 * messages are the new workspace's, linked to the person they are in `to` (or to nobody) and
 * keeping their chat when its ticket moved. Visitors staying in `from` let go of a moved chat.
 */
async function moveChatVisitorsWithShop(tx: Tx, move: TicketMove, movedTicketIds: string[]) {
  await tx.chatVisitor.updateMany({
    where: { workspaceId: move.from, ticketId: { in: movedTicketIds }, shopId: { not: move.shopId } },
    data: { ticketId: null },
  });
  const own = { shopId: move.shopId, workspaceId: move.from };
  await tx.chatVisitor.updateMany({
    where: { ...own, ticketId: { notIn: movedTicketIds } },
    data: { ticketId: null },
  });
  for (const [oldId, newId] of [...move.wholly, ...move.split]) {
    if (oldId !== newId)
      await tx.chatVisitor.updateMany({ where: { ...own, customerId: oldId }, data: { customerId: newId } });
  }
  await tx.chatVisitor.updateMany({
    where: { ...own, customer: { workspaceId: { not: move.to } } },
    data: { customerId: null },
  });
  // Their open streams listen to `from`: told (on commit) that their visitor moved, they end, and
  // the widget reconnects to `to`. Visitors whose token is still good (24 h) may have one open.
  await tx.$executeRaw`SELECT pg_notify(${TICKET_CHANGES_CHANNEL}, json_build_object('w', "workspaceId", 'v', id)::text)
    FROM "ChatVisitor" WHERE "shopId" = ${move.shopId} AND "workspaceId" = ${move.from}
     AND "lastSeenAt" > now() - interval '1 day'`;
  await tx.chatVisitor.updateMany({ where: own, data: { workspaceId: move.to } });
}
