import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signAppProxyUrl } from "../../dev/store-emulator/signing.ts";
import { startIntegrationStack, TEST_APP, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill } from "../support/sync.ts";

// The storefront chat's server side over real HTTP (decision 026): the chat token through the
// App Proxy (signed as Shopify signs), the /chat/* endpoints on the app's origin with the token as
// the only credential, and the live stream fed by the database's ticket-change notifications.
const SHOP = "maple-goods-eu.myshopify.com";
const OTHER_SHOP = "north-trail.myshopify.com";
const HOUR = 3_600_000;

let stack: IntegrationStack;
let attachmentsDir: string;
const { db, databaseUrl } = await import("~/db.server");
const { openPortalSession } = await import("~/services/portal/portal-auth.server");
const { issueChatToken } = await import("~/services/chat/chat-token.server");
const tickets = await import("~/models/ticket.server");
const { setTicketCustomer } = await import("~/models/ticket-customer.server");
const { markViewing } = await import("~/models/ticket-viewer.server");
const { resolveHelpdeskCustomer } = await import("~/models/helpdesk-customer.server");
const streamRoute = await import("../../app/routes/chat.stream.tsx");

let shopId: string;
let workspaceId: string;
let otherShopId: string;
let agentId: string;

beforeAll(async () => {
  attachmentsDir = await mkdtemp(path.join(tmpdir(), "shopdesk-chat-"));
  process.env.ATTACHMENTS_DIR = attachmentsDir;
  stack = await startIntegrationStack();
  for (const shop of [SHOP, OTHER_SHOP]) expect((await stack.install(shop)).status).toBe(200);
  const [a, b] = await Promise.all([waitForBackfill(SHOP), waitForBackfill(OTHER_SHOP)]);
  shopId = a.shop.id;
  workspaceId = a.shop.workspaceId;
  otherShopId = b.shop.id;
  agentId = (await db.agent.findFirstOrThrow({ where: { workspaceId } })).id;
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await rm(attachmentsDir, { recursive: true, force: true });
});

async function chatTokenCall(body: unknown, shop = SHOP) {
  const url = signAppProxyUrl(new URL("/proxy/portal/chat-token", stack.app.url), {
    apiSecret: TEST_APP.apiSecret,
    shop,
    pathPrefix: "/apps/shopdesk",
  });
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const visitorIdOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { v: string }).v;

async function newVisitor(body: Record<string, unknown> = {}, shop = SHOP) {
  const { status, json } = await chatTokenCall(body, shop);
  expect(status).toBe(200);
  const token = json.chatToken as string;
  return { token, visitorId: visitorIdOf(token), answer: json };
}

async function chat(
  token: string | null,
  pathAndQuery: string,
  init: { method?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.json !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(new URL(pathAndQuery, stack.app.url), {
    method: init.method ?? (init.json !== undefined || init.body ? "POST" : "GET"),
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // not JSON (an image)
  }
  return { status: response.status, headers: response.headers, json, text };
}

let clientIds = 0;
const send = (token: string, body: string, extra: Record<string, unknown> = {}) =>
  chat(token, "/chat/messages", { json: { body, clientId: `c${++clientIds}-${Date.now()}`, ...extra } });

async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000) {
  const start = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() - start > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

type StreamEvent = { event: string; data: string; id?: string };

/** Opens /chat/stream on the route module (the test server buffers answers, a stream never ends). */
async function openStream(token: string, options: { lastEventId?: string; after?: string } = {}) {
  const controller = new AbortController();
  const url = new URL("/chat/stream", stack.app.url);
  url.searchParams.set("token", token);
  if (options.after) url.searchParams.set("after", options.after);
  const headers: Record<string, string> = {};
  if (options.lastEventId) headers["last-event-id"] = options.lastEventId;
  const response = await streamRoute.loader({
    request: new Request(url, { signal: controller.signal, headers }),
    params: {},
    context: {},
  });
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  expect(response.headers.get("access-control-allow-origin")).toBe("*");
  const events: StreamEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  const reader = response.body!.getReader();
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        const id = /^id: (.*)$/m.exec(block)?.[1];
        if (event && data !== undefined) events.push({ event, data, ...(id ? { id } : {}) });
      }
    }
  })();
  await eventually(() => expect(events.some(({ event }) => event === "ready")).toBe(true));
  const messages = () =>
    events.filter(({ event }) => event === "message").map(({ data }) => JSON.parse(data) as Record<string, unknown>);
  const chats = () =>
    events
      .filter(({ event }) => event === "chat")
      .map(({ data }) => JSON.parse(data) as Record<string, unknown> | null);
  return { events, messages, chats, close: () => controller.abort() };
}

/** A visitor with a chat going: its token, visitor id and chat ticket. */
async function visitorWithChat(email = `shopper-${++clientIds}@example.com`) {
  const visitor = await newVisitor();
  const first = await send(visitor.token, "Hello, is my parcel on its way?", { email });
  expect(first.status).toBe(201);
  const ticketId = (first.json.chat as { ticketId: string }).ticketId;
  return { ...visitor, ticketId, email, first };
}

describe("chat token", () => {
  it("a new visitor of the shop, with where the live endpoints are", async () => {
    const before = await db.chatVisitor.count({ where: { shopId } });
    const { status, json } = await chatTokenCall({});
    expect(status).toBe(200);
    expect(json).toMatchObject({
      liveUrl: process.env.SHOPIFY_APP_URL,
      visitor: { email: null, name: null },
    });
    expect(Date.parse(json.expiresAt as string) - Date.now()).toBeGreaterThan(23 * HOUR);
    expect(await db.chatVisitor.count({ where: { shopId } })).toBe(before + 1);
    const visitor = await db.chatVisitor.findUniqueOrThrow({ where: { id: visitorIdOf(json.chatToken as string) } });
    expect(visitor).toMatchObject({ shopId, workspaceId });
  });

  it("the previous token keeps the same visitor, even expired up to 30 days", async () => {
    const { token, visitorId } = await newVisitor();
    expect((await newVisitor({ chatToken: token })).visitorId).toBe(visitorId);
    const expired = issueChatToken({ id: visitorId, shopId }, TEST_APP.apiSecret, Date.now() - 10 * 24 * HOUR).token;
    expect((await chat(expired, "/chat/state")).status).toBe(401);
    expect((await newVisitor({ chatToken: expired })).visitorId).toBe(visitorId);
    const tooOld = issueChatToken({ id: visitorId, shopId }, TEST_APP.apiSecret, Date.now() - 32 * 24 * HOUR).token;
    expect((await newVisitor({ chatToken: tooOld })).visitorId).not.toBe(visitorId);
  });

  it("a forged token or another shop's token never names a visitor", async () => {
    const { visitorId } = await newVisitor();
    const forged = issueChatToken({ id: visitorId, shopId }, "not-the-app-secret").token;
    expect((await newVisitor({ chatToken: forged })).visitorId).not.toBe(visitorId);
    expect((await chat(forged, "/chat/state")).status).toBe(401);
    const otherShops = await newVisitor({}, OTHER_SHOP);
    const here = await newVisitor({ chatToken: otherShops.token });
    expect(here.visitorId).not.toBe(otherShops.visitorId);
    expect((await db.chatVisitor.findUniqueOrThrow({ where: { id: otherShops.visitorId } })).shopId).toBe(otherShopId);
    expect((await chat(null, "/chat/state")).status).toBe(401);
    expect((await chat("garbage", "/chat/state")).status).toBe(401);
  });

  it("a signed-in portal shopper's visitor carries their email and customer", async () => {
    const email = "ines.chat@example.com";
    const customerId = await db.$transaction((tx) =>
      resolveHelpdeskCustomer(tx, workspaceId, { email, phone: null, firstName: "Inès", lastName: null }),
    );
    const { token: portalToken } = await openPortalSession(shopId, { method: "email_code", email });
    const { visitorId, answer } = await newVisitor({ token: portalToken });
    expect(answer.visitor).toEqual({ email, name: "Inès" });
    expect(await db.chatVisitor.findUniqueOrThrow({ where: { id: visitorId } })).toMatchObject({ email, customerId });
  });
});

describe("messages", () => {
  it("an anonymous visitor's first message needs an email, then opens a chat ticket for the customer of that email", async () => {
    const { token, visitorId } = await newVisitor();
    const ticketsBefore = await db.ticket.count({ where: { workspaceId } });
    const refused = await send(token, "Hi!");
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatch(/email/);
    expect(await db.ticket.count({ where: { workspaceId } })).toBe(ticketsBefore);

    const email = "Marc.Chat@Example.com";
    const known = await db.$transaction((tx) =>
      resolveHelpdeskCustomer(tx, workspaceId, { email, phone: null, firstName: "Marc", lastName: null }),
    );
    const clientId = "first-message-1";
    const sent = await chat(token, "/chat/messages", { json: { body: "Hi! Where is my order?", clientId, email } });
    expect(sent.status).toBe(201);
    expect(sent.headers.get("access-control-allow-origin")).toBe("*");
    const message = sent.json.message as Record<string, unknown>;
    expect(message).toMatchObject({ from: "shopper", body: "Hi! Where is my order?", clientId, attachments: [] });
    const ticket = await db.ticket.findUniqueOrThrow({
      where: { id: (sent.json.chat as { ticketId: string }).ticketId },
    });
    expect(ticket).toMatchObject({ workspaceId, shopId, channel: "chat", customerId: known, status: "open" });
    expect(await db.chatVisitor.findUniqueOrThrow({ where: { id: visitorId } })).toMatchObject({
      email: "marc.chat@example.com",
      ticketId: ticket.id,
      customerId: known,
    });

    // The same clientId again (a retry): the same message, nothing new stored.
    const again = await chat(token, "/chat/messages", { json: { body: "Hi! Where is my order?", clientId } });
    expect(again.status).toBe(200);
    expect((again.json.message as { id: string }).id).toBe(message.id);
    expect(await db.ticketEntry.count({ where: { ticketId: ticket.id, kind: "customer_message" } })).toBe(1);

    // The next message goes on the same ticket.
    expect((await send(token, "It was order #1001")).status).toBe(201);
    expect(await db.ticketEntry.count({ where: { ticketId: ticket.id, kind: "customer_message" } })).toBe(2);
  });

  it("a chat started from a portal sign-in counts as the session reaching an agent", async () => {
    const email = "portal.chat@example.com";
    const { token: portalToken, session } = await openPortalSession(shopId, { method: "email_code", email });
    const { token } = await newVisitor({ token: portalToken });
    expect((await send(token, "Question about my return")).status).toBe(201);
    expect((await db.portalSession.findUniqueOrThrow({ where: { id: session.id } })).reachedAgentAt).not.toBeNull();
  });

  it("an agent's reply reaches the stream as a message; notes and system events never do", async () => {
    const { token, ticketId } = await visitorWithChat();
    const stream = await openStream(token);
    try {
      await eventually(() => expect(stream.messages()).toHaveLength(1));
      await tickets.addInternalNote(workspaceId, ticketId, agentId, "Internal: check the warehouse");
      await tickets.setTicketTags(workspaceId, ticketId, ["vip"], agentId);
      await tickets.addAgentReply(workspaceId, ticketId, agentId, { body: "It ships today!" });
      await eventually(() => expect(stream.messages()).toHaveLength(2));
      const reply = stream.messages()[1]!;
      expect(reply).toMatchObject({ from: "agent", body: "It ships today!" });
      expect(reply.authorName).toBeTruthy();
      expect(stream.events.find(({ event }) => event === "message" && event)!.id).toBe(stream.messages()[0]!.seq);
      const state = await chat(token, "/chat/state");
      expect(state.status).toBe(200);
      expect((state.json.messages as { body: string }[]).map((m) => m.body)).toEqual([
        "Hello, is my parcel on its way?",
        "It ships today!",
      ]);
      expect(state.text).not.toContain("Internal: check the warehouse");
      expect(stream.events.map(({ data }) => data).join("\n")).not.toContain("Internal");
    } finally {
      stream.close();
    }
  });

  it("a message committed by another connection (another instance) reaches the stream through NOTIFY", async () => {
    const { token, ticketId } = await visitorWithChat();
    const stream = await openStream(token);
    const other = new pg.Client({ connectionString: databaseUrl });
    await other.connect();
    try {
      await eventually(() => expect(stream.messages()).toHaveLength(1));
      await other.query(
        `INSERT INTO "TicketEntry" (id, "ticketId", "workspaceId", kind, channel, body, "authorAgentId", "toAddresses", "references")
         VALUES (gen_random_uuid(), $1, $2, 'agent_reply', 'chat', 'From the other instance', $3, '{}', '{}')`,
        [ticketId, workspaceId, agentId],
      );
      await eventually(() => expect(stream.messages().map((m) => m.body)).toContain("From the other instance"));
    } finally {
      await other.end();
      stream.close();
    }
  });

  it("a reconnect with Last-Event-ID gets exactly the messages it missed", async () => {
    const { token, ticketId } = await visitorWithChat();
    const first = await openStream(token);
    await eventually(() => expect(first.messages()).toHaveLength(1));
    const lastSeen = first.events.filter(({ event }) => event === "message").at(-1)!.id!;
    first.close();
    await tickets.addAgentReply(workspaceId, ticketId, agentId, { body: "Missed one" });
    await tickets.addAgentReply(workspaceId, ticketId, agentId, { body: "Missed two" });
    const second = await openStream(token, { lastEventId: lastSeen });
    try {
      await eventually(() => expect(second.messages()).toHaveLength(2));
      expect(second.messages().map((m) => m.body)).toEqual(["Missed one", "Missed two"]);
      await tickets.addAgentReply(workspaceId, ticketId, agentId, { body: "Live three" });
      await eventually(() => expect(second.messages()).toHaveLength(3));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(second.messages().map((m) => m.body)).toEqual(["Missed one", "Missed two", "Live three"]);
    } finally {
      second.close();
    }
    const polled = await chat(token, `/chat/state?after=${lastSeen}`);
    expect((polled.json.messages as { body: string }[]).map((m) => m.body)).toEqual([
      "Missed one",
      "Missed two",
      "Live three",
    ]);
  });
});

describe("typing and read marks", () => {
  it("both ways: the shopper's typing and read mark are stored, the agent's reach the stream", async () => {
    const { token, ticketId } = await visitorWithChat();
    const stream = await openStream(token);
    try {
      expect((await chat(token, "/chat/typing", { json: { typing: true } })).status).toBe(204);
      const typing = await db.chatThread.findUniqueOrThrow({ where: { ticketId } });
      expect(typing.shopperTypingUntil!.getTime()).toBeGreaterThan(Date.now());
      expect((await chat(token, "/chat/typing", { json: { typing: false } })).status).toBe(204);
      expect((await db.chatThread.findUniqueOrThrow({ where: { ticketId } })).shopperTypingUntil).toBeNull();

      await markViewing(workspaceId, ticketId, agentId, true);
      await eventually(() => expect(stream.chats().at(-1)).toMatchObject({ ticketId, agentTyping: true }));
      await markViewing(workspaceId, ticketId, agentId, false);
      await eventually(() => expect(stream.chats().at(-1)).toMatchObject({ agentTyping: false }));

      const reply = await tickets.addAgentReply(workspaceId, ticketId, agentId, { body: "Read me" });
      await db.chatThread.update({ where: { ticketId }, data: { agentReadSeq: 5n } });
      await eventually(() => expect(stream.chats().at(-1)).toMatchObject({ agentReadSeq: "5" }));

      // Read up to a seq far past the chat's own: the mark stops at the chat's newest entry.
      expect((await chat(token, "/chat/read", { json: { upTo: "999999999999" } })).status).toBe(204);
      const thread = await db.chatThread.findUniqueOrThrow({ where: { ticketId } });
      const newest = await db.ticketEntry.findFirstOrThrow({ where: { ticketId }, orderBy: { seq: "desc" } });
      expect(thread.shopperReadSeq).toBe(newest.seq);
      expect(thread.shopperReadSeq >= reply.seq).toBe(true);
      await eventually(() => expect(stream.chats().at(-1)).toMatchObject({ shopperReadSeq: String(newest.seq) }));
      // Marks never go back.
      expect((await chat(token, "/chat/read", { json: { upTo: 1 } })).status).toBe(204);
      expect((await db.chatThread.findUniqueOrThrow({ where: { ticketId } })).shopperReadSeq).toBe(newest.seq);
      expect((await chat(token, "/chat/read", { json: { upTo: "-1" } })).status).toBe(400);
    } finally {
      stream.close();
    }
  });

  it("the state says whether agents are in, from the workspace's business hours", async () => {
    const { token } = await newVisitor();
    expect((await chat(token, "/chat/state")).json).toMatchObject({ chat: null, messages: [], online: true });
    const { saveBusinessHours } = await import("~/models/business-hours.server");
    await saveBusinessHours(workspaceId, { enabled: true, timezone: "UTC", weekly: [], holidays: [] });
    try {
      expect((await chat(token, "/chat/state")).json).toMatchObject({ online: false });
    } finally {
      await db.businessHours.delete({ where: { workspaceId } });
    }
  });

  it("typing is limited per chat: a flood of one chat's typing is refused, another chat's is not", async () => {
    const flooder = await visitorWithChat();
    const calm = await visitorWithChat();
    const statuses: number[] = [];
    for (let index = 0; index < 62; index++) {
      statuses.push((await chat(flooder.token, "/chat/typing", { json: { typing: index % 2 === 0 } })).status);
    }
    expect(statuses.filter((status) => status === 204)).toHaveLength(60);
    expect(statuses.at(-1)).toBe(429);
    expect((await chat(calm.token, "/chat/typing", { json: { typing: true } })).status).toBe(204);
  });

  it("presence keeps the last page, capped", async () => {
    const { token, visitorId } = await newVisitor();
    const long = `https://maple-goods-eu.myshopify.com/products/${"x".repeat(3000)}`;
    expect((await chat(token, "/chat/presence", { json: { page: long, title: "  Merino scarf  " } })).status).toBe(204);
    const visitor = await db.chatVisitor.findUniqueOrThrow({ where: { id: visitorId } });
    expect(visitor.lastPageUrl).toHaveLength(2000);
    expect(visitor.lastPageTitle).toBe("Merino scarf");
    expect(Date.now() - visitor.lastSeenAt.getTime()).toBeLessThan(10_000);
    expect((await chat(token, "/chat/presence", { json: { page: "javascript:alert(1)" } })).status).toBe(400);
  });
});

describe("where the chat goes", () => {
  it("reverts to the portal 24 hours after an unanswered agent message; the next message is a new chat", async () => {
    const { token, ticketId, visitorId } = await visitorWithChat();
    const reply = await tickets.addAgentReply(workspaceId, ticketId, agentId, { body: "Anything else?" });
    expect(((await chat(token, "/chat/state")).json.chat as { ticketId: string }).ticketId).toBe(ticketId);
    const stream = await openStream(token);
    try {
      await db.ticketEntry.update({ where: { id: reply.id }, data: { createdAt: new Date(Date.now() - 25 * HOUR) } });
      const state = await chat(token, "/chat/state");
      expect(state.json).toMatchObject({ chat: null, messages: [] });
      expect((await db.chatVisitor.findUniqueOrThrow({ where: { id: visitorId } })).ticketId).toBeNull();
      // The stream hears of it with the next news of the workspace or its heartbeat; poke it with a change.
      await markViewing(workspaceId, ticketId, agentId, false);
      await eventually(() => expect(stream.chats().at(-1)).toMatchObject({ ticketId, reverted: true }));
    } finally {
      stream.close();
    }
    const next = await send(token, "New question");
    expect(next.status).toBe(201);
    expect((next.json.chat as { ticketId: string }).ticketId).not.toBe(ticketId);
  });

  it("a shopper's own unanswered message never reverts", async () => {
    const { token, ticketId, first } = await visitorWithChat();
    await db.ticketEntry.update({
      where: { id: (first.json.message as { id: string }).id },
      data: { createdAt: new Date(Date.now() - 72 * HOUR) },
    });
    expect(((await chat(token, "/chat/state")).json.chat as { ticketId: string }).ticketId).toBe(ticketId);
  });

  it("follows the chat into its new ticket when an agent sets another customer", async () => {
    const { token, ticketId, visitorId } = await visitorWithChat();
    const stream = await openStream(token);
    try {
      const other = await db.$transaction((tx) =>
        resolveHelpdeskCustomer(tx, workspaceId, {
          email: "right.person@example.com",
          phone: null,
          firstName: null,
          lastName: null,
        }),
      );
      const split = await setTicketCustomer(workspaceId, ticketId, other, agentId);
      expect(split.continued).toBe(true);
      await eventually(() => expect(stream.chats().at(-1)).toMatchObject({ ticketId: split.ticketId }));
      const sent = await send(token, "Still me");
      expect(sent.status).toBe(201);
      expect((sent.json.chat as { ticketId: string }).ticketId).toBe(split.ticketId);
      expect(await db.ticketEntry.count({ where: { ticketId: split.ticketId, body: "Still me" } })).toBe(1);
      expect((await db.chatVisitor.findUniqueOrThrow({ where: { id: visitorId } })).ticketId).toBe(split.ticketId);
      await eventually(() => expect(stream.messages().map((m) => m.body)).toContain("Still me"));
    } finally {
      stream.close();
    }
  });

  it("a closed chat is over: the next message starts a new chat ticket", async () => {
    const { token, ticketId } = await visitorWithChat();
    await tickets.setTicketStatus(workspaceId, ticketId, { to: "closed" }, agentId);
    expect((await chat(token, "/chat/state")).json.chat).toMatchObject({ ticketId, status: "closed" });
    const next = await send(token, "One more thing");
    expect(next.status).toBe(201);
    expect((next.json.chat as { ticketId: string }).ticketId).not.toBe(ticketId);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).status).toBe("closed");
  });
});

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from("a tiny fake png body"),
]);

function upload(token: string, file: Blob, filename: string, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set("file", file, filename);
  form.set("clientId", fields.clientId ?? `up-${++clientIds}`);
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return chat(token, "/chat/attachments", { method: "POST", body: form });
}

describe("attachments", () => {
  it("an image becomes a message with the image, stored in the attachment store and served to its visitor only", async () => {
    const { token, ticketId } = await visitorWithChat();
    const sent = await upload(token, new Blob([PNG], { type: "image/png" }), "../../broken mug.png", {
      body: "Look at this",
    });
    expect(sent.status).toBe(201);
    const message = sent.json.message as { attachments: { id: string; url: string; filename: string; size: number }[] };
    expect(message).toMatchObject({ body: "Look at this", from: "shopper" });
    expect(message.attachments).toHaveLength(1);
    const attachment = message.attachments[0]!;
    expect(attachment).toMatchObject({ filename: "broken mug.png", size: PNG.length });
    const row = await db.ticketAttachment.findUniqueOrThrow({ where: { id: attachment.id } });
    expect(row).toMatchObject({ content: null, workspaceId });
    expect(row.storageKey).toMatch(/^[0-9a-f-]{36}$/);
    expect((await db.ticketEntry.findUniqueOrThrow({ where: { id: row.entryId } })).ticketId).toBe(ticketId);

    const image = await fetch(`${new URL(attachment.url).pathname}?token=${token}`.replace(/^/, stack.app.url));
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(image.headers.get("cache-control")).toContain("private");
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);

    const stranger = await newVisitor();
    const theirs = await chat(stranger.token, `/chat/attachments/${attachment.id}`);
    expect(theirs.status).toBe(404);
    const otherShop = await newVisitor({}, OTHER_SHOP);
    expect((await chat(otherShop.token, `/chat/attachments/${attachment.id}`)).status).toBe(404);
    expect((await chat(null, `/chat/attachments/${attachment.id}`)).status).toBe(401);
  });

  it("refuses an image over 5 MB (413) and a file that is not an image whatever it claims (415), storing nothing", async () => {
    const { token, ticketId } = await visitorWithChat();
    const entriesBefore = await db.ticketEntry.count({ where: { ticketId } });
    const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]);
    const tooBig = await upload(token, new Blob([big], { type: "image/png" }), "big.png");
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.error).toMatch(/5 MB/);
    const svg = await upload(
      token,
      new Blob(["<svg xmlns='http://www.w3.org/2000/svg'/>"], { type: "image/png" }),
      "x.png",
    );
    expect(svg.status).toBe(415);
    expect(svg.json.error).toMatch(/PNG, JPEG, GIF or WebP/);
    expect(await db.ticketEntry.count({ where: { ticketId } })).toBe(entriesBefore);
    const { readdir } = await import("node:fs/promises");
    const stored = await db.ticketAttachment.count({ where: { entry: { ticketId } } });
    expect(stored).toBe(0);
    const files = (await readdir(attachmentsDir, { recursive: true })).filter((name) => !name.endsWith(".type"));
    const keys = await db.ticketAttachment.findMany({
      where: { storageKey: { not: null } },
      select: { storageKey: true },
    });
    // Every file on disk belongs to an attachment row: refused uploads left nothing behind.
    for (const name of files.filter((file) => /[0-9a-f-]{36}$/.test(file))) {
      expect(keys.map((key) => key.storageKey)).toContain(path.basename(name));
    }
  });
});

describe("security and limits", () => {
  it("a visitor's token reads and writes its own chat only", async () => {
    const a = await visitorWithChat();
    const b = await newVisitor();
    const bState = await chat(b.token, "/chat/state");
    expect(bState.json).toMatchObject({ chat: null, messages: [] });
    expect(bState.text).not.toContain(a.ticketId);
    // B's typing and read marks touch no chat of A's.
    expect((await chat(b.token, "/chat/typing", { json: { typing: true, ticketId: a.ticketId } })).status).toBe(204);
    expect((await chat(b.token, "/chat/read", { json: { upTo: "999999", ticketId: a.ticketId } })).status).toBe(204);
    const thread = await db.chatThread.findUniqueOrThrow({ where: { ticketId: a.ticketId } });
    expect(thread.shopperTypingUntil).toBeNull();
    expect(thread.shopperReadSeq).toBe(0n);
    // B's message opens B's own chat, whatever ids the body names.
    const sent = await send(b.token, "Mine", { email: "b@example.com", ticketId: a.ticketId, visitorId: a.visitorId });
    expect(sent.status).toBe(201);
    expect((sent.json.chat as { ticketId: string }).ticketId).not.toBe(a.ticketId);
    // B reusing A's clientId gets B's own message, not A's.
    const aClientId = (a.first.json.message as { clientId: string }).clientId;
    const reuse = await chat(b.token, "/chat/messages", { json: { body: "Not A's", clientId: aClientId } });
    expect(reuse.status).toBe(201);
    expect((reuse.json.message as { id: string }).id).not.toBe((a.first.json.message as { id: string }).id);
    // B's stream shows B's chat only.
    const stream = await openStream(b.token);
    try {
      await tickets.addAgentReply(workspaceId, a.ticketId, agentId, { body: "For A only" });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(stream.events.map(({ data }) => data).join("\n")).not.toContain("For A only");
    } finally {
      stream.close();
    }
  });

  it("one chat's flood is refused with 429 and Retry-After while another chat goes on", async () => {
    const flooder = await visitorWithChat();
    const calm = await visitorWithChat();
    let refused: Awaited<ReturnType<typeof send>> | null = null;
    for (let index = 0; index < 25 && !refused; index++) {
      const sent = await send(flooder.token, `flood ${index}`);
      if (sent.status === 429) refused = sent;
      else expect(sent.status).toBe(201);
    }
    expect(refused?.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(refused?.json.error).toMatch(/too fast/);
    // The flooder's first message (visitorWithChat) and 19 more: 20 a minute.
    expect(await db.ticketEntry.count({ where: { ticketId: flooder.ticketId, kind: "customer_message" } })).toBe(20);
    expect((await send(calm.token, "I am not flooding")).status).toBe(201);
  });

  it("bad bodies are refused with a clear 4xx and store nothing", async () => {
    const { token, ticketId } = await visitorWithChat();
    const before = await db.ticketEntry.count({ where: { ticketId } });
    const huge = await chat(token, "/chat/messages", { json: { body: "x".repeat(70 * 1024), clientId: "huge" } });
    expect(huge.status).toBe(413);
    const nul = await chat(token, "/chat/messages", { json: { body: "hi\u0000there", clientId: "nul" } });
    expect(nul.status).toBe(400);
    expect(nul.json.error).toMatch(/cannot be saved/);
    const malformed = await chat(token, "/chat/messages", {
      method: "POST",
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toMatch(/not JSON/);
    expect((await chat(token, "/chat/messages", { json: { body: "   ", clientId: "blank" } })).status).toBe(400);
    expect((await chat(token, "/chat/messages", { json: { body: "ok", clientId: "../x" } })).status).toBe(400);
    expect(await db.ticketEntry.count({ where: { ticketId } })).toBe(before);
  });

  it("CORS: any origin, the preflight answered, no cookie needed", async () => {
    const preflight = await fetch(new URL("/chat/messages", stack.app.url), {
      method: "OPTIONS",
      headers: {
        origin: "https://maple-goods-eu.myshopify.com",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
    expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();
    const refused = await chat(null, "/chat/state");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("an idle widget's stream", () => {
  it("reads nothing when other chats of the workspace change, and still hears its own visitor's first message", async () => {
    // A new hour for this address's visitor limit (the file's earlier tests made many visitors).
    await db.portalRateEvent.deleteMany({ where: { shopId } });
    const idle = await newVisitor();
    const stream = await openStream(idle.token);
    const reads = vi.spyOn(db.chatVisitor, "findUnique");
    const readsOfIdle = () =>
      reads.mock.calls.filter(([query]) => (query as { where?: { id?: string } }).where?.id === idle.visitorId).length;
    try {
      // A thousand open widgets must not each query the database for every change in the inbox.
      const busy = await visitorWithChat();
      await send(busy.token, "Another question");
      await tickets.addAgentReply(workspaceId, busy.ticketId, agentId, { body: "Answered" });
      await markViewing(workspaceId, busy.ticketId, agentId, true);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(readsOfIdle()).toBe(0);

      // Its own first message (from another tab: another request) moves the visitor to a chat.
      const first = await send(idle.token, "Hi from the other tab", { email: "other-tab@example.com" });
      expect(first.status).toBe(201);
      const ticketId = (first.json.chat as { ticketId: string }).ticketId;
      await eventually(() => expect(stream.chats().at(-1)).toMatchObject({ ticketId }));
      await eventually(() =>
        expect(stream.messages().map((message) => message.body)).toEqual(["Hi from the other tab"]),
      );
    } finally {
      reads.mockRestore();
      stream.close();
    }
  });
});

describe("a send retried while the first attempt is still running", () => {
  it("is stored once, for a first message and for a message of a chat going on; every attempt gets that message", async () => {
    await db.portalRateEvent.deleteMany({ where: { shopId } });
    const { token } = await newVisitor();
    const burst = (clientId: string, extra: Record<string, unknown> = {}) =>
      Promise.all(
        Array.from({ length: 6 }, () =>
          chat(token, "/chat/messages", { json: { body: `Sent as ${clientId}`, clientId, ...extra } }),
        ),
      );
    for (const [clientId, extra] of [
      ["race-first", { email: "racer@example.com" }],
      ["race-next", {}],
    ] as const) {
      const answers = await burst(clientId, extra);
      expect(answers.every((answer) => answer.status === 200 || answer.status === 201)).toBe(true);
      const ids = new Set(answers.map((answer) => (answer.json.message as { id: string }).id));
      expect(ids.size).toBe(1);
      expect(await db.ticketEntry.count({ where: { workspaceId, body: `Sent as ${clientId}` } })).toBe(1);
    }
    expect(await db.ticket.count({ where: { workspaceId, customer: { emails: { has: "racer@example.com" } } } })).toBe(
      1,
    );
  });
});
