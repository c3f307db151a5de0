import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signAppProxyUrl } from "../../dev/store-emulator/signing.ts";
import { startIntegrationStack, TEST_APP, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill } from "../support/sync.ts";

// A hostile pass over the storefront chat's server side (issue 10 review): values past what
// PostgreSQL stores, escapes that decode to a NUL, many streams on one token, streams left by
// aborted connections, and a store's chat after it left its workspace.
const SHOP = "maple-goods-eu.myshopify.com";
const SISTER_SHOP = "maple-goods-us.myshopify.com";
/** 2^63: one past PostgreSQL's bigint, still 19 digits. */
const PAST_BIGINT = "9223372036854775808";

let stack: IntegrationStack;
let attachmentsDir: string;
const { db } = await import("~/db.server");
const { ticketChanges } = await import("~/services/live/ticket-changes.server");
const { createWorkspaceLinkCode, joinWorkspace, leaveWorkspace } = await import("~/services/workspace-link.server");
const streamRoute = await import("../../app/routes/chat.stream.tsx");

let shopId: string;
let workspaceId: string;
let sisterShopId: string;

beforeAll(async () => {
  attachmentsDir = await mkdtemp(path.join(tmpdir(), "shopdesk-review-chat-"));
  process.env.ATTACHMENTS_DIR = attachmentsDir;
  stack = await startIntegrationStack();
  for (const shop of [SHOP, SISTER_SHOP]) expect((await stack.install(shop)).status).toBe(200);
  const [a, b] = await Promise.all([waitForBackfill(SHOP), waitForBackfill(SISTER_SHOP)]);
  shopId = a.shop.id;
  workspaceId = a.shop.workspaceId;
  sisterShopId = b.shop.id;
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await rm(attachmentsDir, { recursive: true, force: true });
});

async function newVisitor(shop = SHOP) {
  const url = signAppProxyUrl(new URL("/proxy/portal/chat-token", stack.app.url), {
    apiSecret: TEST_APP.apiSecret,
    shop,
    pathPrefix: "/apps/shopdesk",
  });
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  expect(response.status).toBe(200);
  const token = ((await response.json()) as { chatToken: string }).chatToken;
  const visitorId = (JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { v: string }).v;
  return { token, visitorId };
}

async function chat(token: string, pathAndQuery: string, init: { json?: unknown; raw?: string } = {}) {
  const body = init.raw ?? (init.json !== undefined ? JSON.stringify(init.json) : undefined);
  const response = await fetch(new URL(pathAndQuery, stack.app.url), {
    method: body !== undefined ? "POST" : "GET",
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body,
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // not JSON
  }
  return { status: response.status, json };
}

let clientIds = 0;
const send = (token: string, body: string, extra: Record<string, unknown> = {}) =>
  chat(token, "/chat/messages", { json: { body, clientId: `r${++clientIds}-${Date.now()}`, ...extra } });

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

/** Opens /chat/stream on the route module; `ended` turns true when the server closes it. */
async function openStream(token: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const url = new URL("/chat/stream", stack.app.url);
  url.searchParams.set("token", token);
  const response = await streamRoute.loader({
    request: new Request(url, { signal: controller.signal, headers }),
    params: {},
    context: {},
  });
  const state = { ready: false, ended: false };
  if (response.body) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return void (state.ended = true);
        if (decoder.decode(value, { stream: true }).includes("event: ready")) state.ready = true;
      }
    })();
  }
  return { response, state, abort: () => controller.abort() };
}

/** How many live subscribers this process's hub holds for the workspace. */
const subscribersOf = (workspace: string) =>
  (ticketChanges() as unknown as { subscribers: Map<string, Set<unknown>> }).subscribers.get(workspace)?.size ?? 0;

describe("seqs past PostgreSQL's bigint", () => {
  it("are refused with a 400 by the state, the read mark and the stream, not a server error", async () => {
    const { token } = await newVisitor();
    expect((await send(token, "Hello", { email: "bigint@example.com" })).status).toBe(201);

    expect((await chat(token, `/chat/state?after=${PAST_BIGINT}`)).status).toBe(400);
    expect((await chat(token, "/chat/read", { json: { upTo: PAST_BIGINT } })).status).toBe(400);
    expect((await openStream(token, { "last-event-id": PAST_BIGINT })).response.status).toBe(400);
    // The largest bigint itself is a seq like any other.
    expect((await chat(token, "/chat/state?after=9223372036854775807")).status).toBe(200);
    expect((await chat(token, "/chat/read", { json: { upTo: "9223372036854775807" } })).status).toBe(204);
  });
});

describe("text PostgreSQL cannot store, written as JSON escapes", () => {
  it("a page address with an escaped NUL is refused with a 400 and stores nothing", async () => {
    const { token, visitorId } = await newVisitor();
    const refused = await chat(token, "/chat/presence", { raw: '{"page":"https://shop.example/a\\u0000b"}' });
    expect(refused.status).toBe(400);
    expect((await db.chatVisitor.findUniqueOrThrow({ where: { id: visitorId } })).lastPageUrl).toBeNull();
    // Lone surrogates and escaped NULs in the other fields are refused too.
    for (const raw of [
      '{"page":"https://shop.example/","title":"a\\ud800"}',
      '{"page":"https://shop.example/\\ud800"}',
    ]) {
      expect((await chat(token, "/chat/presence", { raw })).status).toBe(400);
    }
    const message = '{"body":"hi\\u0000","clientId":"nul-1","email":"nul@example.com"}';
    expect((await chat(token, "/chat/messages", { raw: message })).status).toBe(400);
    const name = '{"body":"hi","clientId":"nul-2","email":"nul@example.com","name":"\\udfff"}';
    expect((await chat(token, "/chat/messages", { raw: name })).status).toBe(400);
  });
});

describe("live streams", () => {
  it("an aborted stream leaves no subscriber behind, before or after it is ready", async () => {
    const { token } = await newVisitor();
    await ticketChanges().ready();
    const before = subscribersOf(workspaceId);
    const streams = await Promise.all(Array.from({ length: 5 }, () => openStream(token)));
    expect(subscribersOf(workspaceId)).toBe(before + 5);
    streams[0]!.abort();
    streams[1]!.abort();
    await eventually(() => expect(streams[2]!.state.ready).toBe(true));
    for (const stream of streams.slice(2)) stream.abort();
    await eventually(() => expect(subscribersOf(workspaceId)).toBe(before));
  });

  it("one token holds a bounded number of streams: the oldest is closed when a new one opens past the cap", async () => {
    const { token } = await newVisitor();
    const before = subscribersOf(workspaceId);
    const streams: Awaited<ReturnType<typeof openStream>>[] = [];
    for (let i = 0; i < 14; i++) streams.push(await openStream(token));
    await eventually(() => expect(streams.filter((stream) => stream.state.ended)).toHaveLength(4));
    expect(streams.slice(0, 4).every((stream) => stream.state.ended)).toBe(true);
    expect(subscribersOf(workspaceId)).toBe(before + 10);
    for (const stream of streams) stream.abort();
    await eventually(() => expect(subscribersOf(workspaceId)).toBe(before));
  });
});

describe("a store that leaves its workspace", () => {
  it("takes its shoppers' chats along: the next message lands in its new workspace, never the old one", async () => {
    const { code } = await createWorkspaceLinkCode({ id: shopId });
    expect(await joinWorkspace({ id: sisterShopId }, code)).toMatchObject({ ok: true });
    const { token, visitorId } = await newVisitor(SISTER_SHOP);
    const first = await send(token, "Where is my order?", { email: "leaver@example.com" });
    expect(first.status).toBe(201);
    const firstTicket = (first.json.chat as { ticketId: string }).ticketId;
    expect((await db.ticket.findUniqueOrThrow({ where: { id: firstTicket } })).workspaceId).toBe(workspaceId);

    expect(await leaveWorkspace({ id: sisterShopId })).toMatchObject({ ok: true });
    const own = (await db.shop.findUniqueOrThrow({ where: { id: sisterShopId } })).workspaceId;
    expect(own).not.toBe(workspaceId);

    // The chat goes on in the moved ticket, in the store's own workspace.
    const state = await chat(token, "/chat/state");
    expect(state.status).toBe(200);
    expect((state.json.chat as { ticketId: string } | null)?.ticketId).toBe(firstTicket);
    const next = await send(token, "Still there?");
    expect(next.status).toBe(201);
    const ticket = await db.ticket.findUniqueOrThrow({
      where: { id: (next.json.chat as { ticketId: string }).ticketId },
      include: { customer: true },
    });
    expect(ticket.workspaceId).toBe(own);
    // Its customer, when it has one, is a person of the new workspace (an anonymous shopper's stays behind).
    expect(ticket.customer?.workspaceId ?? own).toBe(own);
    const visitor = await db.chatVisitor.findUniqueOrThrow({ where: { id: visitorId }, include: { customer: true } });
    expect(visitor.workspaceId).toBe(own);
    expect(visitor.customer?.workspaceId ?? own).toBe(own);
    expect(await db.chatThread.count({ where: { ticketId: firstTicket, workspaceId: own } })).toBe(1);
    // The workspace it left sees nothing of it.
    expect(await db.chatVisitor.count({ where: { workspaceId, shopId: sisterShopId } })).toBe(0);
    expect(await db.chatThread.count({ where: { workspaceId, ticket: { shopId: sisterShopId } } })).toBe(0);
  });
});

describe("a store that joins back", () => {
  it("ends its shoppers' open streams, so they reconnect to the chat in the workspace it joined", async () => {
    const { token } = await newVisitor(SISTER_SHOP);
    const sent = await send(token, "Hello from the store's own workspace", { email: "rejoin@example.com" });
    expect(sent.status).toBe(201);
    const ticketId = (sent.json.chat as { ticketId: string }).ticketId;
    const stream = await openStream(token);
    await eventually(() => expect(stream.state.ready).toBe(true));

    const { code } = await createWorkspaceLinkCode({ id: shopId });
    expect(await joinWorkspace({ id: sisterShopId }, code)).toMatchObject({ ok: true });
    await eventually(() => expect(stream.state.ended).toBe(true));
    const state = await chat(token, "/chat/state");
    expect((state.json.chat as { ticketId: string } | null)?.ticketId).toBe(ticketId);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).workspaceId).toBe(workspaceId);
  });
});

describe("a chat shopper's profile merged into another", () => {
  it("keeps their chat visitors: the survivor is 'last seen on chat', not a profile that is gone", async () => {
    const { mergeCustomers } = await import("~/models/customer-merge.server");
    const { lastSeenOnChat } = await import("~/models/chat-presence.server");
    const { token, visitorId } = await newVisitor();
    const sent = await send(token, "Hi, merged soon", { email: "merged-chat@example.com" });
    expect(sent.status).toBe(201);
    const merged = (await db.chatVisitor.findUniqueOrThrow({ where: { id: visitorId } })).customerId!;
    const survivor = await db.helpdeskCustomer.create({
      data: { workspaceId, name: "Survivor", emails: ["survivor-chat@example.com"] },
    });
    const choices = { name: "survivor", note: "both", primaryEmail: null, primaryPhone: null } as const;
    await mergeCustomers(workspaceId, { survivorId: survivor.id, mergedId: merged, choices }, null);

    expect((await db.chatVisitor.findUniqueOrThrow({ where: { id: visitorId } })).customerId).toBe(survivor.id);
    expect(await lastSeenOnChat(workspaceId, survivor.id)).not.toBeNull();
  });
});

describe("hostile uploads", () => {
  const GIF = Buffer.from("GIF89a<html><script>alert(document.domain)</script></html>");
  const postForm = async (token: string, form: FormData) => {
    const response = await fetch(new URL("/chat/attachments", stack.app.url), {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  const formOf = (files: [Blob, string][], fields: Record<string, string> = {}) => {
    const form = new FormData();
    for (const [file, name] of files) form.append("file", file, name);
    form.set("clientId", fields.clientId ?? `h${++clientIds}`);
    form.set("email", "uploader@example.com");
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    return form;
  };

  it("a 10 KB name with folders, a NUL and emoji cut mid-pair is stored as a short, well-formed name", async () => {
    const { token } = await newVisitor();
    const name = `..\\..//etc/passwd\u0000a${"😀".repeat(5000)}.html`;
    const sent = await postForm(token, formOf([[new Blob([GIF], { type: "text/html" }), name]]));
    expect(sent.status).toBe(201);
    const attachment = (sent.json.message as { attachments: { id: string; filename: string }[] }).attachments[0]!;
    expect(attachment.filename.endsWith(".gif")).toBe(true);
    expect(attachment.filename).not.toMatch(/[\\/]/);
    expect(attachment.filename.includes("\u0000")).toBe(false);
    expect(attachment.filename.length).toBeLessThanOrEqual(110);
    const row = await db.ticketAttachment.findUniqueOrThrow({ where: { id: attachment.id } });
    expect(row.filename.isWellFormed()).toBe(true);
    expect(row.contentType).toBe("image/gif");

    // The GIF/HTML polyglot is served as a GIF that never runs as a page, on either side.
    const image = await fetch(new URL(`/chat/attachments/${attachment.id}?token=${token}`, stack.app.url));
    expect(image.headers.get("content-type")).toBe("image/gif");
    expect(image.headers.get("x-content-type-options")).toBe("nosniff");
    expect(image.headers.get("content-security-policy")).toContain("sandbox");
    expect(image.headers.get("content-disposition")).toMatch(/^inline; filename="[\x20-\x7e]*"$/);
  });

  it("no file is a 400, two files store the first only, and an image of exactly 5 MB is taken", async () => {
    const { token } = await newVisitor();
    expect((await postForm(token, formOf([]))).status).toBe(400);
    const two = await postForm(
      token,
      formOf([
        [new Blob([GIF]), "one.gif"],
        [new Blob([GIF]), "two.gif"],
      ]),
    );
    expect(two.status).toBe(201);
    expect((two.json.message as { attachments: unknown[] }).attachments).toHaveLength(1);
    const exact = Buffer.concat([GIF, Buffer.alloc(5 * 1024 * 1024 - GIF.length)]);
    expect((await postForm(token, formOf([[new Blob([exact]), "exact.gif"]]))).status).toBe(201);
    const over = Buffer.concat([exact, Buffer.alloc(1)]);
    expect((await postForm(token, formOf([[new Blob([over]), "over.gif"]]))).status).toBe(413);
  });
});
