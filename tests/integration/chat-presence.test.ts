import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMALL_SEED, startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill } from "../support/sync.ts";

// Presence as agents see it (decision 026): last seen on chat, visitors on the store now, a chat
// ticket's typing and read marks, and the agent's read mark that only moves forward. Rows are
// inserted as the chat endpoints would leave them; two merchants (EU, US) share the database.

const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: SMALL_SEED });
  expect((await stack.install(EU)).status).toBe(200);
  expect((await stack.install(US)).status).toBe(200);
  await Promise.all([waitForBackfill(EU), waitForBackfill(US)]);
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");
const { createTicket } = await import("~/models/ticket.server");
const presence = await import("~/models/chat-presence.server");

const minutesAgo = (minutes: number, now = new Date()) => new Date(now.getTime() - minutes * 60_000);

async function tenant(domain: string) {
  const shop = await db.shop.findUniqueOrThrow({ where: { domain } });
  const customer = await db.helpdeskCustomer.findFirstOrThrow({
    where: { workspaceId: shop.workspaceId },
    orderBy: { createdAt: "asc" },
  });
  return { shop, workspaceId: shop.workspaceId, customer };
}

async function visitor(
  shop: { id: string; workspaceId: string },
  fields: Partial<{ customerId: string; email: string; name: string; ticketId: string; lastSeenAt: Date }> & {
    lastPageTitle?: string;
    lastPageUrl?: string;
  } = {},
) {
  return db.chatVisitor.create({ data: { shopId: shop.id, workspaceId: shop.workspaceId, ...fields } });
}

async function chatTicket(workspaceId: string, customerId: string | null = null) {
  return createTicket(workspaceId, {
    channel: "chat",
    subject: "Chat",
    customerId,
    firstMessage: { body: "Hello, anyone there?" },
  });
}

describe("last seen on chat", () => {
  it("is the latest lastSeenAt of the customer's visitors in the workspace, null when never", async () => {
    const eu = await tenant(EU);
    const other = await db.helpdeskCustomer.findFirstOrThrow({
      where: { workspaceId: eu.workspaceId, id: { not: eu.customer.id } },
    });
    expect(await presence.lastSeenOnChat(eu.workspaceId, other.id)).toBeNull();

    const older = minutesAgo(90);
    const newer = minutesAgo(5);
    await visitor(eu.shop, { customerId: eu.customer.id, lastSeenAt: older });
    await visitor(eu.shop, { customerId: eu.customer.id, lastSeenAt: newer });
    await visitor(eu.shop, { lastSeenAt: new Date() }); // anonymous: nobody's
    expect(await presence.lastSeenOnChat(eu.workspaceId, eu.customer.id)).toEqual(newer);

    // Another workspace asking about EU's customer sees nothing.
    const us = await tenant(US);
    expect(await presence.lastSeenOnChat(us.workspaceId, eu.customer.id)).toBeNull();
  });
});

describe("visitors on the store now", () => {
  it("lists the workspace's visitors seen within 3 minutes, newest first, with their page and open chat", async () => {
    const eu = await tenant(EU);
    const us = await tenant(US);
    await db.chatVisitor.deleteMany({});
    const now = new Date();
    const ticket = await chatTicket(eu.workspaceId, eu.customer.id);
    const named = await visitor(eu.shop, {
      customerId: eu.customer.id,
      ticketId: ticket.id,
      lastSeenAt: minutesAgo(1, now),
      lastPageTitle: "Linen shirt",
      lastPageUrl: "https://maple-goods-eu.myshopify.com/products/linen-shirt",
    });
    const anonymous = await visitor(eu.shop, { lastSeenAt: minutesAgo(0.5, now), lastPageTitle: "Home" });
    const withEmail = await visitor(eu.shop, { email: "guest@example.com", lastSeenAt: minutesAgo(2.5, now) });
    await visitor(eu.shop, { email: "gone@example.com", lastSeenAt: minutesAgo(3.5, now) });
    await visitor(us.shop, { email: "us-shopper@example.com", lastSeenAt: now });

    const { visitors, total } = await presence.visitorsOnStore(eu.workspaceId, { now });
    expect(total).toBe(3);
    expect(visitors.map((v) => v.id)).toEqual([anonymous.id, named.id, withEmail.id]);
    expect(visitors[0]).toMatchObject({ name: "Anonymous visitor", email: null, pageTitle: "Home", chat: null });
    expect(visitors[1]).toMatchObject({
      name: eu.customer.name ?? eu.customer.emails[0],
      customerId: eu.customer.id,
      store: eu.shop.name ?? EU,
      pageTitle: "Linen shirt",
      pageUrl: "https://maple-goods-eu.myshopify.com/products/linen-shirt",
      chat: { ticketId: ticket.id, number: ticket.number, status: "open" },
    });
    expect(visitors[2]).toMatchObject({ name: "guest@example.com", email: "guest@example.com" });
    expect(JSON.stringify(visitors)).not.toContain("us-shopper@example.com");

    const limited = await presence.visitorsOnStore(eu.workspaceId, { now, limit: 1 });
    expect(limited).toMatchObject({ total: 3, visitors: [{ id: anonymous.id }] });
  });
});

describe("chat thread state", () => {
  it("says whether the shopper is typing, the read marks, and whether the visitor is on the store", async () => {
    const eu = await tenant(EU);
    const us = await tenant(US);
    const now = new Date();
    const ticket = await chatTicket(eu.workspaceId);
    const shopper = await visitor(eu.shop, {
      ticketId: ticket.id,
      lastSeenAt: minutesAgo(1, now),
      lastPageTitle: "Cart",
      lastPageUrl: "https://maple-goods-eu.myshopify.com/cart",
    });
    expect(await presence.chatThreadState(eu.workspaceId, ticket.id, now)).toBeNull();

    await db.chatThread.create({
      data: {
        ticketId: ticket.id,
        workspaceId: eu.workspaceId,
        visitorId: shopper.id,
        shopperReadSeq: 41n,
        agentReadSeq: 7n,
        shopperTypingUntil: new Date(now.getTime() + 4000),
      },
    });
    expect(await presence.chatThreadState(eu.workspaceId, ticket.id, now)).toEqual({
      shopperTyping: true,
      shopperTypingForMs: 4000,
      shopperReadSeq: 41n,
      agentReadSeq: 7n,
      onStore: {
        pageTitle: "Cart",
        pageUrl: "https://maple-goods-eu.myshopify.com/cart",
        lastSeenAt: shopper.lastSeenAt,
      },
    });

    // Five seconds later the typing mark has run out; four minutes later the visitor has left.
    const later = new Date(now.getTime() + 5000);
    expect(await presence.chatThreadState(eu.workspaceId, ticket.id, later)).toMatchObject({
      shopperTyping: false,
      shopperTypingForMs: 0,
    });
    const gone = new Date(now.getTime() + 4 * 60_000);
    expect(await presence.chatThreadState(eu.workspaceId, ticket.id, gone)).toMatchObject({ onStore: null });

    expect(await presence.chatThreadState(us.workspaceId, ticket.id, now)).toBeNull();
  });
});

describe("markAgentRead", () => {
  it("moves the agent's read mark forward only, writes nothing when nothing is new, and only in the workspace", async () => {
    const eu = await tenant(EU);
    const us = await tenant(US);
    const ticket = await chatTicket(eu.workspaceId);
    await db.chatThread.create({ data: { ticketId: ticket.id, workspaceId: eu.workspaceId, agentReadSeq: 10n } });
    const read = async () => (await db.chatThread.findUniqueOrThrow({ where: { ticketId: ticket.id } })).agentReadSeq;
    const updatedAt = async () =>
      (await db.chatThread.findUniqueOrThrow({ where: { ticketId: ticket.id } })).updatedAt.getTime();

    expect(await presence.markAgentRead(us.workspaceId, ticket.id, 20n)).toBe(false);
    expect(await read()).toBe(10n);

    expect(await presence.markAgentRead(eu.workspaceId, ticket.id, 20n)).toBe(true);
    expect(await read()).toBe(20n);
    const stamped = await updatedAt();

    // A reload with nothing new writes nothing (no update, so no announcement and no reload loop).
    expect(await presence.markAgentRead(eu.workspaceId, ticket.id, 20n)).toBe(false);
    expect(await presence.markAgentRead(eu.workspaceId, ticket.id, 15n)).toBe(false);
    expect(await read()).toBe(20n);
    expect(await updatedAt()).toBe(stamped);
  });

  it("announces a change only when the mark moves", async () => {
    const eu = await tenant(EU);
    const ticket = await chatTicket(eu.workspaceId);
    await db.chatThread.create({ data: { ticketId: ticket.id, workspaceId: eu.workspaceId } });
    const { ticketChanges } = await import("~/services/live/ticket-changes.server");
    const heard: string[] = [];
    const unsubscribe = ticketChanges().subscribe(eu.workspaceId, (news) => {
      if (news.kind === "ticket" && news.ticketId === ticket.id) heard.push(news.ticketId);
    });
    await ticketChanges().ready();
    try {
      await presence.markAgentRead(eu.workspaceId, ticket.id, 5n);
      await expect.poll(() => heard.length).toBe(1);
      await presence.markAgentRead(eu.workspaceId, ticket.id, 5n);
      // A marker change after the no-op: once it is heard, anything the no-op announced would have been too.
      await db.chatThread.update({ where: { ticketId: ticket.id }, data: { shopperReadSeq: 1n } });
      await expect.poll(() => heard.length).toBe(2);
    } finally {
      unsubscribe();
    }
  });
});
