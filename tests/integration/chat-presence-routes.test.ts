import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMALL_SEED, startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { thrownStatus, unwrap } from "../support/route-results.ts";
import { waitForBackfill } from "../support/sync.ts";

// What agents see of live chat in the admin, through the routes as the embedded admin calls them:
// a chat ticket's typing, "Seen" and "Online now" from the ChatThread and ChatVisitor rows the chat
// endpoints write, the agent's read mark, "Last seen on chat", image attachments (another
// workspace's is a 404) and "On the store now". EU and US are two merchants.

const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";

let stack: IntegrationStack;
let storeDir: string;
const { db } = await import("~/db.server");
const tickets = await import("~/models/ticket.server");
const storage = await import("~/services/storage/attachment-store.server");
const ticketRoute = await import("~/routes/app.tickets.$ticketId");
const profileRoute = await import("~/routes/app.customers.$customerId");
const visitorsRoute = await import("~/routes/app.visitors");

beforeAll(async () => {
  stack = await startIntegrationStack({ seed: SMALL_SEED });
  expect((await stack.install(EU)).status).toBe(200);
  expect((await stack.install(US)).status).toBe(200);
  await Promise.all([waitForBackfill(EU), waitForBackfill(US)]);
  storeDir = mkdtempSync(path.join(tmpdir(), "shopdesk-attachments-"));
  storage.setAttachmentStore(new storage.LocalDiskAttachmentStore(storeDir));
});
afterAll(async () => {
  storage.setAttachmentStore(null);
  await stack.stop();
  rmSync(storeDir, { recursive: true, force: true });
});

async function tenant(domain: string) {
  const shop = await db.shop.findUniqueOrThrow({ where: { domain } });
  const agent = await db.agent.findFirstOrThrow({ where: { workspaceId: shop.workspaceId } });
  const customer = await db.helpdeskCustomer.findFirstOrThrow({
    where: { workspaceId: shop.workspaceId, shopifyCustomers: { some: {} } },
    orderBy: { createdAt: "asc" },
  });
  return { shop, workspaceId: shop.workspaceId, agent, customer };
}

type TicketPage = Awaited<ReturnType<typeof ticketRoute.loader>>;
const loadTicket = async (ticketId: string, domain = EU) =>
  unwrap(
    await ticketRoute.loader({
      request: stack.adminRequest(domain, `/app/tickets/${ticketId}`),
      params: { ticketId },
      context: {},
    }),
  ).body as TicketPage;

/** A live chat as the chat endpoints leave it: the shopper's message, an agent's reply, the thread and visitor. */
async function liveChat(workspace: Awaited<ReturnType<typeof tenant>>, customerId: string | null) {
  const ticket = await tickets.createTicket(workspace.workspaceId, {
    channel: "chat",
    subject: "Do you ship to Norway?",
    customerId,
    firstMessage: { body: "Do you ship to Norway?" },
  });
  const reply = await tickets.addAgentReply(workspace.workspaceId, ticket.id, workspace.agent.id, {
    body: "We do, in 3 to 5 days.",
  });
  const question = await tickets.addCustomerMessage(workspace.workspaceId, ticket.id, { body: "And the cost?" });
  const visitor = await db.chatVisitor.create({
    data: {
      shopId: workspace.shop.id,
      workspaceId: workspace.workspaceId,
      customerId,
      ticketId: ticket.id,
      lastSeenAt: new Date(Date.now() - 30_000),
      lastPageTitle: "Wool blanket",
      lastPageUrl: "https://maple-goods-eu.myshopify.com/products/wool-blanket",
    },
  });
  return { ticket, reply, question, visitor };
}

describe("ticket page of a chat", () => {
  it("shows the shopper typing, the reply they have seen and the page they are on, and marks their messages read", async () => {
    const eu = await tenant(EU);
    const { ticket, reply, question, visitor } = await liveChat(eu, eu.customer.id);
    await db.chatThread.create({
      data: {
        ticketId: ticket.id,
        workspaceId: eu.workspaceId,
        visitorId: visitor.id,
        shopperReadSeq: reply.seq,
        shopperTypingUntil: new Date(Date.now() + 5000),
      },
    });

    const page = await loadTicket(ticket.id);
    expect(page.chat).toMatchObject({
      shopperTyping: true,
      seenEntryId: reply.id,
      onStore: { pageTitle: "Wool blanket", pageUrl: "https://maple-goods-eu.myshopify.com/products/wool-blanket" },
    });
    expect(page.chat!.shopperTypingForMs).toBeGreaterThan(0);
    expect(page.chat!.shopperTypingForMs).toBeLessThanOrEqual(5000);
    expect(page.customer?.customer.lastSeenOnChat).toMatchObject({ ago: "just now" });

    // The agent's page showed the shopper's question: the widget can say "Seen".
    const thread = await db.chatThread.findUniqueOrThrow({ where: { ticketId: ticket.id } });
    expect(thread.agentReadSeq).toBe(question.seq);
    // Loading again (the reload its announcement causes) writes nothing.
    await loadTicket(ticket.id);
    expect((await db.chatThread.findUniqueOrThrow({ where: { ticketId: ticket.id } })).updatedAt).toEqual(
      thread.updatedAt,
    );
  });

  it("shows no typing, no 'Seen' and no 'Online now' when the marks say so", async () => {
    const eu = await tenant(EU);
    const { ticket, reply, visitor } = await liveChat(eu, null);
    await db.chatVisitor.update({
      where: { id: visitor.id },
      data: { lastSeenAt: new Date(Date.now() - 10 * 60_000) },
    });
    await db.chatThread.create({
      data: {
        ticketId: ticket.id,
        workspaceId: eu.workspaceId,
        visitorId: visitor.id,
        shopperReadSeq: reply.seq - 1n,
        shopperTypingUntil: new Date(Date.now() - 1000),
      },
    });
    const page = await loadTicket(ticket.id);
    expect(page.chat).toEqual({ shopperTyping: false, shopperTypingForMs: 0, seenEntryId: null, onStore: null });
  });

  it("has no chat state for another channel, and another workspace's chat is not found", async () => {
    const eu = await tenant(EU);
    const us = await tenant(US);
    const email = await tickets.createTicket(eu.workspaceId, {
      channel: "email",
      subject: "Parcel",
      customerId: eu.customer.id,
      firstMessage: { body: "Where is it?" },
    });
    expect((await loadTicket(email.id)).chat).toBeNull();

    const { ticket } = await liveChat(us, null);
    await db.chatThread.create({ data: { ticketId: ticket.id, workspaceId: us.workspaceId, agentReadSeq: 0n } });
    expect(
      await thrownStatus(
        ticketRoute.loader({
          request: stack.adminRequest(EU, `/app/tickets/${ticket.id}`),
          params: { ticketId: ticket.id },
          context: {},
        }),
      ),
    ).toBe(404);
    expect((await db.chatThread.findUniqueOrThrow({ where: { ticketId: ticket.id } })).agentReadSeq).toBe(0n);
  });
});

describe("customer profile", () => {
  it("says when the customer was last seen on the chat, and nothing for a customer never on it", async () => {
    const eu = await tenant(EU);
    const [seen, never] = await db.helpdeskCustomer.findMany({
      where: { workspaceId: eu.workspaceId, chatVisitors: { none: {} } },
      orderBy: { createdAt: "asc" },
      take: 2,
    });
    await db.chatVisitor.create({
      data: {
        shopId: eu.shop.id,
        workspaceId: eu.workspaceId,
        customerId: seen!.id,
        lastSeenAt: new Date(Date.now() - 3 * 60 * 60_000 - 1000),
      },
    });
    const profile = async (customerId: string) =>
      unwrap(
        await profileRoute.loader({
          request: stack.adminRequest(EU, `/app/customers/${customerId}`),
          params: { customerId },
          context: {},
        }),
      ).body as Awaited<ReturnType<typeof profileRoute.loader>>;
    expect((await profile(seen!.id)).customer.lastSeenOnChat?.ago).toBe("3 hours ago");
    expect((await profile(never!.id)).customer.lastSeenOnChat).toBeNull();
    // Another merchant's admin does not see the profile at all.
    expect(
      await thrownStatus(
        profileRoute.loader({
          request: stack.adminRequest(US, `/app/customers/${seen!.id}`),
          params: { customerId: seen!.id },
          context: {},
        }),
      ),
    ).toBe(404);
  });
});

describe("attachment route", () => {
  async function attachment(
    workspace: Awaited<ReturnType<typeof tenant>>,
    file: { filename: string; contentType: string; bytes: Uint8Array<ArrayBuffer>; inStore?: boolean },
  ) {
    const ticket = await tickets.createTicket(workspace.workspaceId, {
      channel: "chat",
      subject: "Photo",
      firstMessage: { body: "Here is a photo" },
    });
    const entry = await db.ticketEntry.findFirstOrThrow({ where: { ticketId: ticket.id } });
    const storageKey = file.inStore ? storage.newStorageKey() : null;
    if (storageKey) await storage.attachmentStore().put(storageKey, file.bytes, file.contentType);
    return db.ticketAttachment.create({
      data: {
        entryId: entry.id,
        workspaceId: workspace.workspaceId,
        filename: file.filename,
        contentType: file.contentType,
        size: file.bytes.byteLength,
        sha256: "0".repeat(64),
        content: storageKey ? null : file.bytes,
        storageKey,
      },
    });
  }
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
  const get = (domain: string, id: string) => fetch(stack.adminRequest(domain, `/app/attachments/${id}`));

  it("sends the workspace's image from the store or the row, inline, never as a page", async () => {
    const eu = await tenant(EU);
    const stored = await attachment(eu, {
      filename: "broken mug.png",
      contentType: "image/png",
      bytes: png,
      inStore: true,
    });
    const response = await get(EU, stored.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("content-disposition")).toBe("inline; filename*=UTF-8''broken%20mug.png");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toContain("sandbox");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(png);

    const inRow = await attachment(eu, { filename: "receipt.jpg", contentType: "image/jpeg", bytes: png });
    const fromRow = await get(EU, inRow.id);
    expect(fromRow.status).toBe(200);
    expect(new Uint8Array(await fromRow.arrayBuffer())).toEqual(png);
  });

  it("sends any other file as a download, so an HTML or SVG file never runs on the app's origin", async () => {
    const eu = await tenant(EU);
    const html = await attachment(eu, {
      filename: "invoice.html",
      contentType: "text/html",
      bytes: new TextEncoder().encode("<script>alert(1)</script>"),
    });
    const svg = await attachment(eu, {
      filename: "logo.svg",
      contentType: "image/svg+xml",
      bytes: new TextEncoder().encode("<svg onload='alert(1)'/>"),
    });
    for (const file of [html, svg]) {
      const response = await get(EU, file.id);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/octet-stream");
      expect(response.headers.get("content-disposition")).toMatch(/^attachment; /);
    }
  });

  it("answers 404 for another workspace's attachment, an unknown or malformed id, and bytes no longer stored", async () => {
    const eu = await tenant(EU);
    const us = await tenant(US);
    const theirs = await attachment(us, { filename: "us.png", contentType: "image/png", bytes: png, inStore: true });
    const response = await get(EU, theirs.id);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("us.png");
    expect((await get(US, theirs.id)).status).toBe(200);

    expect((await get(EU, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await get(EU, "not-an-id")).status).toBe(404);

    const erased = await attachment(eu, { filename: "gone.png", contentType: "image/png", bytes: png, inStore: true });
    await storage.attachmentStore().delete(erased.storageKey!);
    expect((await get(EU, erased.id)).status).toBe(404);
  });
});

describe("On the store now", () => {
  const loadVisitors = async (domain = EU) =>
    unwrap(
      await visitorsRoute.loader({ request: stack.adminRequest(domain, "/app/visitors"), params: {}, context: {} }),
    ).body as Awaited<ReturnType<typeof visitorsRoute.loader>>;

  it("lists the workspace's shoppers seen in the last 3 minutes with their page and chat, and only them", async () => {
    const eu = await tenant(EU);
    const us = await tenant(US);
    await db.chatVisitor.deleteMany({});
    expect(await loadVisitors()).toMatchObject({ visitors: [], total: 0, windowMinutes: 3 });

    const { ticket } = await liveChat(eu, eu.customer.id);
    await db.chatVisitor.create({
      data: {
        shopId: eu.shop.id,
        workspaceId: eu.workspaceId,
        lastSeenAt: new Date(Date.now() - 60_000),
        lastPageUrl: "javascript:alert(1)",
      },
    });
    await db.chatVisitor.create({
      data: { shopId: eu.shop.id, workspaceId: eu.workspaceId, lastSeenAt: new Date(Date.now() - 5 * 60_000) },
    });
    await db.chatVisitor.create({
      data: { shopId: us.shop.id, workspaceId: us.workspaceId, email: "us-only@example.com" },
    });

    const page = await loadVisitors();
    expect(page.total).toBe(2);
    expect(page.visitors).toEqual([
      expect.objectContaining({
        name: eu.customer.name ?? eu.customer.emails[0],
        customerUrl: `/app/customers/${eu.customer.id}`,
        store: eu.shop.name,
        page: "Wool blanket",
        pageUrl: "https://maple-goods-eu.myshopify.com/products/wool-blanket",
        lastSeen: "just now",
        chat: { url: `/app/tickets/${ticket.id}`, label: `Chat #${ticket.number}`, status: "Open", open: true },
      }),
      expect.objectContaining({
        name: "Anonymous visitor",
        email: null,
        customerUrl: null,
        page: "Unknown page",
        pageUrl: null,
        lastSeen: "1 minute ago",
        chat: null,
      }),
    ]);
    expect(JSON.stringify(page)).not.toContain("us-only@example.com");
    expect(JSON.stringify(await loadVisitors(US))).toContain("us-only@example.com");
  });
});
