import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill } from "../support/sync.ts";

// Tickets follow their people and stores when a store joins or leaves a workspace: none is lost
// with the workspace a store leaves empty, and none points into another workspace afterwards.
// A and B are the two Maple Goods stores (customers shared by email), each in its own workspace
// at the start.
const A = "maple-goods-eu.myshopify.com";
const B = "maple-goods-us.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 4, customersPerShop: 6, sharedCustomers: 2 } });
  expect((await stack.install(A)).status).toBe(200);
  expect((await stack.install(B, { userId: "2" })).status).toBe(200);
  await Promise.all([waitForBackfill(A), waitForBackfill(B)]);
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");
const tickets = await import("~/models/ticket.server");
const { createWorkspaceLinkCode, joinWorkspace, leaveWorkspace } = await import("~/services/workspace-link.server");

const shopRow = (domain: string) => db.shop.findUniqueOrThrow({ where: { domain } });

/** Every reference of every ticket stays inside the ticket's own workspace. */
async function expectNoTicketCrossesWorkspaces() {
  const all = await db.ticket.findMany({
    include: {
      customer: { select: { workspaceId: true } },
      assignee: { select: { workspaceId: true } },
      shop: { select: { workspaceId: true } },
      entries: {
        select: {
          workspaceId: true,
          authorAgent: { select: { workspaceId: true } },
          authorCustomer: { select: { workspaceId: true } },
        },
      },
      orders: { select: { order: { select: { shop: { select: { workspaceId: true } } } } } },
    },
  });
  for (const ticket of all) {
    const where = [
      ticket.customer?.workspaceId,
      ticket.assignee?.workspaceId,
      ticket.shop?.workspaceId,
      ...ticket.entries.flatMap((entry) => [
        entry.workspaceId,
        entry.authorAgent?.workspaceId,
        entry.authorCustomer?.workspaceId,
      ]),
      ...ticket.orders.map((link) => link.order.shop.workspaceId),
    ].filter(Boolean);
    expect(new Set(where), `ticket #${ticket.number}`).toEqual(new Set(where.length ? [ticket.workspaceId] : []));
  }
  // Numbers stay unique per workspace (the database says so too, this says it in words).
  const numbers = all.map((ticket) => `${ticket.workspaceId}#${ticket.number}`);
  expect(new Set(numbers).size).toBe(numbers.length);
}

const personByEmail = (workspaceId: string, email: string) =>
  db.helpdeskCustomer.findFirstOrThrow({ where: { workspaceId, emails: { has: email } } });

describe("tickets when a store changes workspace", () => {
  it("go with the store that joins, all of them when its old workspace is left empty, then back with it when it leaves", async () => {
    const [a, b] = [await shopRow(A), await shopRow(B)];
    expect(a.workspaceId).not.toBe(b.workspaceId);
    const bEmails = stack.emulator
      .shop(B)
      .customers()
      .map((customer) => customer.email!.toLowerCase());
    const aEmails = new Set(
      stack.emulator
        .shop(A)
        .customers()
        .map((customer) => customer.email!.toLowerCase()),
    );
    const sharedEmail = bEmails.find((email) => aEmails.has(email))!;
    const bOnlyEmail = bEmails.find((email) => !aEmails.has(email))!;
    const bAgent = await db.agent.findFirstOrThrow({ where: { workspaceId: b.workspaceId } });

    // A's own ticket, and B's: through B with a B-only shopper (assigned, replied to), through B
    // with a shopper both stores know, and one with neither store nor customer (an API ticket).
    const aTicket = await tickets.createTicket(a.workspaceId, {
      channel: "email",
      subject: "A's own",
      shopId: a.id,
      firstMessage: { body: "hello A" },
    });
    const bOnlyPerson = await personByEmail(b.workspaceId, bOnlyEmail);
    const bOrder = await db.shopifyOrder.findFirstOrThrow({ where: { shopId: b.id } });
    const viaB = await tickets.createTicket(b.workspaceId, {
      channel: "email",
      subject: "B-only shopper",
      shopId: b.id,
      customerId: bOnlyPerson.id,
      firstMessage: { body: "where is it", fromAddress: bOnlyEmail },
    });
    await tickets.assignTicket(b.workspaceId, viaB.id, bAgent.id, bAgent.id);
    await tickets.addAgentReply(b.workspaceId, viaB.id, bAgent.id, { body: "Looking into it" });
    await tickets.linkTicketOrder(b.workspaceId, viaB.id, bOrder.id, bAgent.id);
    const sharedViaB = await tickets.createTicket(b.workspaceId, {
      channel: "chat",
      subject: "Shared shopper",
      shopId: b.id,
      customerId: (await personByEmail(b.workspaceId, sharedEmail)).id,
      firstMessage: { body: "hi" },
    });
    const loose = await tickets.createTicket(b.workspaceId, {
      channel: "api",
      subject: "No store, no customer",
      firstMessage: { body: "from an integration" },
    });
    const total = await db.ticket.count();
    const entriesTotal = await db.ticketEntry.count();

    // B joins A's workspace: B's workspace is left empty, so every one of its tickets comes along.
    const { code } = await createWorkspaceLinkCode(a);
    expect(await joinWorkspace(b, code)).toMatchObject({ ok: true });
    expect(await db.workspace.count({ where: { id: b.workspaceId } })).toBe(0);
    expect(await db.ticket.count()).toBe(total);
    expect(await db.ticketEntry.count()).toBe(entriesTotal);
    const moved = await db.ticket.findMany({
      where: { id: { in: [viaB.id, sharedViaB.id, loose.id] } },
      orderBy: { number: "asc" },
    });
    expect(moved.map((ticket) => ticket.workspaceId)).toEqual([a.workspaceId, a.workspaceId, a.workspaceId]);
    // Numbered after A's own, in their old order.
    expect(moved.map((ticket) => ticket.id)).toEqual([viaB.id, sharedViaB.id, loose.id]);
    expect(moved[0]!.number).toBeGreaterThan(aTicket.number);
    // The assignee is the same person (by email) as an agent of A's workspace.
    const assignee = await db.agent.findUniqueOrThrow({ where: { id: moved[0]!.assigneeId! } });
    expect(assignee).toMatchObject({ workspaceId: a.workspaceId, email: bAgent.email, name: bAgent.name });
    // The shared shopper's ticket now belongs to A's person with that email.
    expect(moved[1]!.customerId).toBe((await personByEmail(a.workspaceId, sharedEmail)).id);
    expect(await db.ticketOrder.count({ where: { ticketId: viaB.id } })).toBe(1);
    await expectNoTicketCrossesWorkspaces();

    // B leaves again: its store's tickets and its own shoppers' go with it; the loose one and A's stay.
    expect(await leaveWorkspace(b)).toMatchObject({ ok: true });
    const bAgain = await shopRow(B);
    expect(bAgain.workspaceId).not.toBe(a.workspaceId);
    const after = await db.ticket.findMany({ where: { id: { in: [aTicket.id, viaB.id, sharedViaB.id, loose.id] } } });
    const workspaceOf = (id: string) => after.find((ticket) => ticket.id === id)!.workspaceId;
    expect(workspaceOf(aTicket.id)).toBe(a.workspaceId);
    expect(workspaceOf(loose.id)).toBe(a.workspaceId);
    expect(workspaceOf(viaB.id)).toBe(bAgain.workspaceId);
    expect(workspaceOf(sharedViaB.id)).toBe(bAgain.workspaceId);
    // The shared shopper was split: B's half is the ticket's customer now.
    const sharedAfter = after.find((ticket) => ticket.id === sharedViaB.id)!;
    expect(sharedAfter.customerId).toBe((await personByEmail(bAgain.workspaceId, sharedEmail)).id);
    expect(await db.ticket.count()).toBe(total);
    expect(await db.ticketEntry.count()).toBe(entriesTotal);
    await expectNoTicketCrossesWorkspaces();
  });
});
