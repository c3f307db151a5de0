import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMALL_SEED, startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill } from "../support/sync.ts";
import { eventually } from "../support/wait.ts";
import { thrownStatus, unwrap } from "../support/route-results.ts";

// The ticket page, its thread pages, the live connection and the inbox's bulk actions, through
// their routes as the embedded admin calls them (session token of a staff member), on a real
// database whose triggers announce changes.

const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: SMALL_SEED });
  // Two staff members of EU open the app (two agents); US is another merchant's store.
  expect((await stack.install(EU, { userId: "1" })).status).toBe(200);
  expect((await stack.install(EU, { userId: "2" })).status).toBe(200);
  expect((await stack.install(US)).status).toBe(200);
  await Promise.all([waitForBackfill(EU), waitForBackfill(US)]);
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");
const tickets = await import("~/models/ticket.server");
const ticketRoute = await import("~/routes/app.tickets.$ticketId");
const threadRoute = await import("~/routes/app.tickets.$ticketId.thread");
const liveRoute = await import("~/routes/app.live");
const inboxRoute = await import("~/routes/app.inbox");

async function workspaceOf(domain: string) {
  const shop = await db.shop.findUniqueOrThrow({ where: { domain } });
  const agents = await db.agent.findMany({ where: { workspaceId: shop.workspaceId }, orderBy: { createdAt: "asc" } });
  return { shop, workspaceId: shop.workspaceId, agents };
}

const load = async (ticketId: string, userId = "1") =>
  unwrap(
    await ticketRoute.loader({
      request: stack.adminRequest(EU, `/app/tickets/${ticketId}`, {}, userId),
      params: { ticketId },
      context: {},
    }),
  ).body as Awaited<ReturnType<typeof ticketRoute.loader>>;

async function act(ticketId: string, form: Record<string, string> | BodyInit, userId = "1", contentType?: string) {
  const body = typeof form === "object" && !(form instanceof Blob) && !ArrayBuffer.isView(form) ? form : form;
  const request = stack.adminRequest(
    EU,
    `/app/tickets/${ticketId}`,
    {
      method: "POST",
      body:
        body instanceof URLSearchParams || typeof body === "string"
          ? body
          : new URLSearchParams(body as Record<string, string>),
      headers: contentType ? { "content-type": contentType } : undefined,
    },
    userId,
  );
  return unwrap(await ticketRoute.action({ request, params: { ticketId }, context: {} }));
}

async function emailTicket(workspaceId: string, subject = "Where is my parcel?") {
  const customer = await db.helpdeskCustomer.findFirstOrThrow({
    where: { workspaceId, shopifyCustomers: { some: {} } },
    orderBy: { createdAt: "asc" },
  });
  return tickets.createTicket(workspaceId, {
    channel: "email",
    subject,
    customerId: customer.id,
    firstMessage: { body: "Hello, my order has not arrived.", fromAddress: customer.emails[0] ?? null },
  });
}

/** Everything about a ticket that an action could change. */
async function ticketState(ticketId: string) {
  const [ticket, entries, orders] = await Promise.all([
    db.ticket.findUniqueOrThrow({ where: { id: ticketId } }),
    db.ticketEntry.count({ where: { ticketId } }),
    db.ticketOrder.count({ where: { ticketId } }),
  ]);
  return { ...ticket, updatedAt: null, entries, orders };
}

/** Reads a live connection's events as they come. */
function readEvents(response: Response) {
  const events: { event: string; data: string }[] = [];
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
        if (event && data !== undefined) events.push({ event, data });
      }
    }
  })();
  return events;
}

async function openLive(path: string, userId = "1") {
  const controller = new AbortController();
  const response = (await liveRoute.loader({
    request: stack.adminRequest(EU, path, { signal: controller.signal }, userId),
    params: {},
    context: {},
  })) as Response;
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const events = readEvents(response);
  await eventually(() => expect(events.some(({ event }) => event === "ready")).toBe(true));
  return { events, close: () => controller.abort() };
}

describe("ticket page", () => {
  it("shows the latest page of a long thread and pages back through all of it, once each", async () => {
    const { workspaceId } = await workspaceOf(EU);
    const ticket = await emailTicket(workspaceId, "A long conversation");
    const start = Date.now() + 1000;
    for (let index = 0; index < 119; index++) {
      // Pairs share a millisecond: the insertion order breaks the tie.
      await tickets.addCustomerMessage(workspaceId, ticket.id, {
        body: `message ${index}`,
        at: new Date(start + Math.floor(index / 2)),
      });
    }
    const page = await load(ticket.id);
    expect(page.thread.entries).toHaveLength(50);
    expect(page.thread.hasEarlier).toBe(true);
    expect(page.thread.entries.at(-1)!.body).toBe("message 118");

    const seen = [...page.thread.entries];
    let hasEarlier = page.thread.hasEarlier;
    while (hasEarlier) {
      const before = seen[0]!.id;
      const earlier = (await threadRoute.loader({
        request: stack.adminRequest(EU, `/app/tickets/${ticket.id}/thread?before=${before}`),
        params: { ticketId: ticket.id },
        context: {},
      })) as Awaited<ReturnType<typeof threadRoute.loader>>;
      seen.unshift(...earlier.entries);
      hasEarlier = earlier.hasEarlier;
    }
    // created event + first message + 119 messages, in thread order, none twice.
    expect(seen).toHaveLength(121);
    expect(new Set(seen.map(({ id }) => id)).size).toBe(121);
    expect(seen[0]!.kind).toBe("system_event");
    expect(seen.slice(2).map(({ body }) => body)).toEqual(
      Array.from({ length: 119 }, (_, index) => `message ${index}`),
    );
  });

  it("replies, notes, closes, reopens, assigns, sets priority and tags, each with its thread event", async () => {
    const { workspaceId, agents } = await workspaceOf(EU);
    const ticket = await emailTicket(workspaceId);
    const [owner, second] = agents;

    expect((await act(ticket.id, { intent: "reply", body: "We are on it." })).body).toMatchObject({ ok: true });
    expect((await act(ticket.id, { intent: "note", body: "Carrier says Tuesday." })).body).toMatchObject({ ok: true });
    expect((await act(ticket.id, { intent: "status", to: "closed" })).body).toMatchObject({ toast: "Ticket closed" });
    expect((await act(ticket.id, { intent: "status", to: "open" })).body).toMatchObject({ toast: "Ticket reopened" });
    expect((await act(ticket.id, { intent: "assign", agentId: second!.id })).status).toBe(200);
    expect((await act(ticket.id, { intent: "priority", priority: "urgent" })).status).toBe(200);
    expect((await act(ticket.id, { intent: "tags", tags: "Late Delivery, vip ,vip" })).status).toBe(200);

    const stored = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(stored).toMatchObject({
      status: "open",
      assigneeId: second!.id,
      priority: "urgent",
      tags: ["late delivery", "vip"],
    });
    const reply = await db.ticketEntry.findFirstOrThrow({ where: { ticketId: ticket.id, kind: "agent_reply" } });
    expect(reply).toMatchObject({ authorAgentId: owner!.id, body: "We are on it." });
    const note = await db.ticketEntry.findFirstOrThrow({ where: { ticketId: ticket.id, kind: "internal_note" } });
    expect(note.body).toBe("Carrier says Tuesday.");

    const page = await load(ticket.id);
    const lines = page.thread.entries.filter(({ kind }) => kind === "system_event").map(({ text }) => text);
    expect(lines).toEqual(
      expect.arrayContaining([
        `${owner!.name} closed this ticket`,
        `${owner!.name} reopened this ticket`,
        `${owner!.name} assigned this ticket to ${second!.name}`,
        `${owner!.name} changed the priority from Normal to Urgent`,
        `${owner!.name} added "late delivery", "vip"`,
      ]),
    );
    // Words, not raw values: no event JSON, no ids.
    expect(JSON.stringify(page.thread.entries)).not.toContain(second!.id);
  });

  it("snoozes until a time and wakes up when it comes (durable job), and refuses a time in the past", async () => {
    const { workspaceId } = await workspaceOf(EU);
    const ticket = await emailTicket(workspaceId);
    const past = await act(ticket.id, { intent: "snooze", until: new Date(Date.now() - 60_000).toISOString() });
    expect(past.status).toBe(409);
    expect(JSON.stringify(past.body)).toContain("at least a minute from now");
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe("open");

    const until = new Date(Date.now() + 61_000);
    expect((await act(ticket.id, { intent: "snooze", until: until.toISOString() })).body).toMatchObject({ ok: true });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe("snoozed");
    const page = await load(ticket.id);
    expect(page.ticket.snoozedUntilLabel).toMatch(/\d{4}/);
    // The wake-up is queued for that time; rather than wait a minute, run the wake-up due by then.
    const { wakeTicketIfDue } = tickets;
    expect(await wakeTicketIfDue(workspaceId, ticket.id, new Date(until.getTime() + 1000))).toBe(true);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe("open");
  });

  it("links one of the customer's orders and shows its status, and unlinks it", async () => {
    const { workspaceId } = await workspaceOf(EU);
    const ticket = await emailTicket(workspaceId);
    let page = await load(ticket.id);
    const choice = page.orderChoices[0];
    expect(choice, "the seeded customer has orders").toBeDefined();
    expect((await act(ticket.id, { intent: "link-order", orderId: choice!.id })).body).toMatchObject({ ok: true });
    page = await load(ticket.id);
    expect(page.orders).toHaveLength(1);
    expect(page.orders[0]).toMatchObject({ name: choice!.name });
    expect(page.orders[0]!.status.label.length).toBeGreaterThan(0);
    expect(page.orders[0]!.url).toMatch(/^\/app\/orders\/\d+$/);
    expect(page.orderChoices.map(({ id }) => id)).not.toContain(choice!.id);
    expect((await act(ticket.id, { intent: "unlink-order", orderId: choice!.id })).body).toMatchObject({ ok: true });
    expect((await load(ticket.id)).orders).toEqual([]);
  });

  it("offers the customer's 20 latest orders, of this workspace's stores only", async () => {
    const eu = await workspaceOf(EU);
    const us = await workspaceOf(US);
    const ticket = await emailTicket(eu.workspaceId);
    const customerId = ticket.customerId!;
    const links = await db.shopifyCustomer.findMany({ where: { helpdeskCustomerId: customerId } });
    const expected = await db.shopifyOrder.findMany({
      where: { deletedAt: null, OR: links.map(({ shopId, shopifyId }) => ({ shopId, shopifyCustomerId: shopifyId })) },
      orderBy: [{ shopifyCreatedAt: "desc" }, { id: "desc" }],
      take: 20,
      select: { id: true, name: true },
    });
    expect(expected.length, "the seeded customer has orders").toBeGreaterThan(0);
    // Another merchant's customer pointing at ours (which no sync does): its orders stay out.
    const theirOrder = await db.shopifyOrder.findFirstOrThrow({
      where: { shopId: us.shop.id, shopifyCustomerId: { not: null }, deletedAt: null },
    });
    const theirCustomer = await db.shopifyCustomer.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId: us.shop.id, shopifyId: theirOrder.shopifyCustomerId! } },
    });
    await db.shopifyCustomer.update({ where: { id: theirCustomer.id }, data: { helpdeskCustomerId: customerId } });
    try {
      expect((await load(ticket.id)).orderChoices).toEqual(expected);
    } finally {
      await db.shopifyCustomer.update({
        where: { id: theirCustomer.id },
        data: { helpdeskCustomerId: theirCustomer.helpdeskCustomerId },
      });
    }
  });

  it("answers 404 for an earlier page before an entry of another ticket, or of another merchant's", async () => {
    const eu = await workspaceOf(EU);
    const us = await workspaceOf(US);
    const ours = await emailTicket(eu.workspaceId);
    const other = await emailTicket(eu.workspaceId);
    const theirs = await emailTicket(us.workspaceId, "US only");
    const entryOf = async (ticketId: string) =>
      (await db.ticketEntry.findFirstOrThrow({ where: { ticketId, kind: "customer_message" } })).id;
    const earlier = (ticketId: string, before: string) =>
      threadRoute.loader({
        request: stack.adminRequest(EU, `/app/tickets/${ticketId}/thread?before=${before}`),
        params: { ticketId },
        context: {},
      });
    expect(await thrownStatus(earlier(ours.id, await entryOf(other.id)))).toBe(404);
    expect(await thrownStatus(earlier(ours.id, await entryOf(theirs.id)))).toBe(404);
    expect(await thrownStatus(earlier(theirs.id, await entryOf(theirs.id)))).toBe(404);
    // Its own first message: the page before it holds the "created" event.
    const page = (await earlier(ours.id, await entryOf(ours.id))) as Awaited<ReturnType<typeof threadRoute.loader>>;
    expect(page.entries.map(({ kind }) => kind)).toEqual(["system_event"]);
    expect(page.hasEarlier).toBe(false);
  });

  it("answers bad input with a 4xx and a message a person can act on, changing nothing", async () => {
    const { workspaceId } = await workspaceOf(EU);
    const ticket = await emailTicket(workspaceId);
    const before = await ticketState(ticket.id);
    const cases: [Record<string, string> | string, number, RegExp, string?][] = [
      [{ intent: "reply", body: "" }, 400, /Write a message first/],
      [{ intent: "reply", body: "   " }, 400, /Write a message first/],
      [{ intent: "reply", body: "a\u0000b" }, 400, /./],
      [{ intent: "reply", body: "x".repeat(70 * 1024) }, 400, /at most 64 KiB/],
      [{ intent: "note", body: "x".repeat(300 * 1024) }, 413, /too large/],
      [{ intent: "explode" }, 400, /not one the ticket page sends/],
      [{ intent: "status", to: "deleted" }, 400, /Open or close/],
      [{ intent: "snooze", until: "tomorrow-ish" }, 400, /Choose when/],
      [{ intent: "priority", priority: "critical" }, 400, /low, normal, high or urgent/],
      [{ intent: "assign", agentId: "not-an-id" }, 400, /does not exist/],
      [{ intent: "tags", tags: "a,".repeat(30) }, 400, /at most 20/],
      [{ intent: "link-order", orderId: crypto.randomUUID() }, 409, /does not exist/],
      ['{"intent":"reply","body":"json"}', 400, /as a form/, "application/json"],
      ["--x\r\nbroken", 400, /could not be read/, "multipart/form-data; boundary=y"],
    ];
    for (const [form, status, message, contentType] of cases) {
      const answer = await act(ticket.id, typeof form === "string" ? form : form, "1", contentType);
      expect(answer.status, JSON.stringify(form).slice(0, 80)).toBe(status);
      expect(JSON.stringify(answer.body)).toMatch(message);
    }
    expect(await ticketState(ticket.id)).toEqual(before);
    expect(await thrownStatus(load(crypto.randomUUID()))).toBe(404);
    expect(await thrownStatus(load("not-a-uuid"))).toBe(404);
  });

  it("refuses another merchant's ticket, agent and order (404/409), changing nothing", async () => {
    const us = await workspaceOf(US);
    const eu = await workspaceOf(EU);
    const theirs = await emailTicket(us.workspaceId, "US only");
    const ours = await emailTicket(eu.workspaceId);
    const [theirsBefore, oursBefore] = [await ticketState(theirs.id), await ticketState(ours.id)];
    expect(await thrownStatus(load(theirs.id))).toBe(404);
    await expect(
      ticketRoute.action({
        request: stack.adminRequest(EU, `/app/tickets/${theirs.id}`, {
          method: "POST",
          body: new URLSearchParams({ intent: "reply", body: "hi" }),
        }),
        params: { ticketId: theirs.id },
        context: {},
      }),
    ).rejects.toMatchObject({ status: 404 });
    expect((await act(ours.id, { intent: "assign", agentId: us.agents[0]!.id })).status).toBe(409);
    const usOrder = await db.shopifyOrder.findFirstOrThrow({ where: { shopId: us.shop.id } });
    expect((await act(ours.id, { intent: "link-order", orderId: usOrder.id })).status).toBe(409);
    expect(await ticketState(theirs.id)).toEqual(theirsBefore);
    expect(await ticketState(ours.id)).toEqual(oursBefore);
  });
});

describe("ticket page: macros and delivery", () => {
  it("previews a macro filled in for the ticket, and applies its actions when the reply is sent", async () => {
    const { workspaceId, agents } = await workspaceOf(EU);
    const ticket = await emailTicket(workspaceId);
    const macro = await db.macro.create({
      data: {
        workspaceId,
        name: `Parcel on its way ${crypto.randomUUID()}`,
        body: "Hi {{ticket.customer.firstname}}, {{current_user.firstname}} here. {{ticket.order.nothing}}",
        actions: { status: "closed", addTags: ["wismo"] },
      },
    });
    const page = await load(ticket.id);
    expect(page.macros.map(({ id }) => id)).toContain(macro.id);

    const before = await ticketState(ticket.id);
    const preview = await act(ticket.id, { intent: "macro-preview", macroId: macro.id });
    expect(preview.status).toBe(200);
    const body = (preview.body as { macroPreview: { body: string; actions: string[] } }).macroPreview;
    expect(body.body).toContain(`${agents[0]!.name.split(" ")[0]} here.`);
    expect(body.body).not.toContain("{{");
    expect(body.actions.length).toBe(2);
    // A preview changes nothing.
    expect(await ticketState(ticket.id)).toEqual(before);

    const sent = await act(ticket.id, { intent: "reply", body: body.body, macroId: macro.id });
    expect(sent.body).toMatchObject({ ok: true, toast: "Reply sent and macro applied" });
    const after = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(after).toMatchObject({ status: "closed", tags: ["wismo"] });
    expect((await db.macro.findUniqueOrThrow({ where: { id: macro.id } })).usageCount).toBe(1);
  });

  it("refuses another workspace's macro without storing the reply", async () => {
    const us = await workspaceOf(US);
    const eu = await workspaceOf(EU);
    const theirs = await db.macro.create({ data: { workspaceId: us.workspaceId, name: "Theirs", body: "US text" } });
    const ticket = await emailTicket(eu.workspaceId);
    const before = await ticketState(ticket.id);
    expect((await act(ticket.id, { intent: "macro-preview", macroId: theirs.id })).status).toBe(404);
    expect((await act(ticket.id, { intent: "reply", body: "hello", macroId: theirs.id })).status).toBe(404);
    expect(await ticketState(ticket.id)).toEqual(before);
  });

  it("retries a reply that could not be sent", async () => {
    const { workspaceId } = await workspaceOf(EU);
    const ticket = await emailTicket(workspaceId);
    expect((await act(ticket.id, { intent: "reply", body: "Sorry for the wait" })).status).toBe(200);
    const reply = await db.ticketEntry.findFirstOrThrow({ where: { ticketId: ticket.id, kind: "agent_reply" } });
    // No outgoing mail server is set up in this workspace: the reply fails, saying what to do.
    await eventually(
      async () =>
        expect(await db.ticketEntry.findUniqueOrThrow({ where: { id: reply.id } })).toMatchObject({
          deliveryStatus: "failed",
        }),
      { timeoutMs: 30_000 },
    );
    const failed = (await load(ticket.id)).thread.entries.find(({ id }) => id === reply.id)!;
    expect(failed.delivery).toMatchObject({ status: "failed", error: expect.stringMatching(/Settings/) });
    const retried = await act(ticket.id, { intent: "retry-delivery", entryId: reply.id });
    expect(retried.body).toMatchObject({ ok: true });
    const otherTicket = await emailTicket(workspaceId);
    expect((await act(otherTicket.id, { intent: "retry-delivery", entryId: reply.id })).status).toBe(404);
  });
});

describe("ticket page: customer", () => {
  it("shows the customer's sidebar and sets another customer; a live chat continues in a new ticket", async () => {
    const { workspaceId } = await workspaceOf(EU);
    const ticket = await emailTicket(workspaceId);
    const page = await load(ticket.id);
    expect(page.customer?.customer.id).toBe(ticket.customerId);
    expect(page.customer?.shops.length).toBeGreaterThan(0);

    const other = await db.helpdeskCustomer.findFirstOrThrow({
      where: { workspaceId, id: { not: ticket.customerId! }, name: { not: null } },
    });
    const found = (await (
      await import("~/routes/app.tickets.$ticketId.customers")
    ).loader({
      request: stack.adminRequest(EU, `/app/tickets/${ticket.id}/customers?q=${encodeURIComponent(other.name!)}`),
      params: { ticketId: ticket.id },
      context: {},
    })) as { customers: { id: string }[] };
    expect(found.customers.map(({ id }) => id)).toContain(other.id);

    expect((await act(ticket.id, { intent: "set-customer", customerId: other.id })).body).toMatchObject({
      toast: "Customer set",
    });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).customerId).toBe(other.id);

    const chat = await tickets.createTicket(workspaceId, { channel: "chat", firstMessage: { body: "hi, it's me" } });
    const answer = await act(chat.id, { intent: "set-customer", customerId: other.id });
    const continued = (answer.body as { continuedInTicketId: string }).continuedInTicketId;
    expect(continued).toBeTruthy();
    expect(await db.ticket.findUniqueOrThrow({ where: { id: chat.id } })).toMatchObject({
      acceptsMessages: false,
      continuedInTicketId: continued,
    });
    expect(await db.ticket.findUniqueOrThrow({ where: { id: continued } })).toMatchObject({
      customerId: other.id,
      channel: "chat",
    });
    expect((await load(chat.id)).ticket.continuedInTicketId).toBe(continued);
  });
});

describe("live updates", () => {
  it("pushes a customer's message to the open ticket page, and nothing of other tickets or workspaces", async () => {
    const eu = await workspaceOf(EU);
    const us = await workspaceOf(US);
    const ticket = await emailTicket(eu.workspaceId);
    const other = await emailTicket(eu.workspaceId, "Another ticket");
    const ticketPage = await openLive(`/app/live?ticket=${ticket.id}`);
    const inbox = await openLive(`/app/live`);
    try {
      const usTicket = await emailTicket(us.workspaceId, "Theirs");
      await tickets.addCustomerMessage(us.workspaceId, usTicket.id, { body: "US news" });
      await tickets.addCustomerMessage(eu.workspaceId, other.id, { body: "other news" });
      await tickets.addCustomerMessage(eu.workspaceId, ticket.id, { body: "Any news?" });
      await eventually(() =>
        expect(
          ticketPage.events.filter(({ event }) => event === "ticket").map(({ data }) => JSON.parse(data)),
        ).toContainEqual({
          kind: "ticket",
          ticketId: ticket.id,
        }),
      );
      await eventually(() => expect(inbox.events.map(({ data }) => data).join()).toContain(other.id));
      const ticketNews = ticketPage.events
        .filter(({ event }) => event === "ticket")
        .map(({ data }) => JSON.parse(data).ticketId);
      expect(new Set(ticketNews)).toEqual(new Set([ticket.id]));
      const inboxNews = inbox.events.map(({ data }) => data).join();
      expect(inboxNews).not.toContain(usTicket.id);
    } finally {
      ticketPage.close();
      inbox.close();
    }
  });

  it("shows who else is viewing or replying, and forgets them when they leave", async () => {
    const { workspaceId, agents } = await workspaceOf(EU);
    const second = agents[1]!;
    const ticket = await emailTicket(workspaceId);
    expect((await load(ticket.id)).viewers).toEqual([]);

    const theirs = await openLive(`/app/live?ticket=${ticket.id}`, "2");
    await eventually(async () =>
      expect((await load(ticket.id)).viewers).toEqual([{ agentId: second.id, name: second.name, replying: false }]),
    );
    // They don't see themselves.
    expect((await load(ticket.id, "2")).viewers).toEqual([]);

    const presence = (replying: string, ticketId = ticket.id) =>
      liveRoute.action({
        request: stack.adminRequest(
          EU,
          "/app/live",
          { method: "POST", body: new URLSearchParams({ ticketId, replying }) },
          "2",
        ),
        params: {},
        context: {},
      });
    expect(unwrap(await presence("true")).status).toBe(200);
    expect((await load(ticket.id)).viewers).toEqual([{ agentId: second.id, name: second.name, replying: true }]);
    expect(unwrap(await presence("maybe")).status).toBe(400);
    expect(unwrap(await presence("true", crypto.randomUUID())).status).toBe(404);

    theirs.close();
    await eventually(async () => expect((await load(ticket.id)).viewers).toEqual([]));
  });
});

describe("inbox bulk actions", () => {
  const bulk = async (form: Record<string, string>) =>
    unwrap(
      await inboxRoute.action({
        request: stack.adminRequest(EU, "/app/inbox", { method: "POST", body: new URLSearchParams(form) }),
        params: {},
        context: {},
      }),
    );

  it("closes, assigns and tags the selected tickets, each with its thread event", async () => {
    const { workspaceId, agents } = await workspaceOf(EU);
    const selected = [await emailTicket(workspaceId), await emailTicket(workspaceId), await emailTicket(workspaceId)];
    const ids = selected.map(({ id }) => id).join(",");
    expect((await bulk({ intent: "bulk-close", ids })).body).toMatchObject({ ok: true, changed: 3, refused: [] });
    expect((await bulk({ intent: "bulk-assign", ids, agentId: agents[1]!.id })).body).toMatchObject({ changed: 3 });
    expect((await bulk({ intent: "bulk-tag", ids, tag: "Refund" })).body).toMatchObject({ changed: 3 });
    for (const { id } of selected) {
      expect(await db.ticket.findUniqueOrThrow({ where: { id } })).toMatchObject({
        status: "closed",
        assigneeId: agents[1]!.id,
        tags: ["refund"],
      });
      expect(await db.ticketEntry.count({ where: { ticketId: id, kind: "system_event" } })).toBe(4);
    }
  });

  it("changes nothing when a selection holds another merchant's ticket or is malformed", async () => {
    const eu = await workspaceOf(EU);
    const us = await workspaceOf(US);
    const ours = await emailTicket(eu.workspaceId);
    const theirs = await emailTicket(us.workspaceId);
    const before = [await ticketState(ours.id), await ticketState(theirs.id)];
    expect((await bulk({ intent: "bulk-close", ids: `${ours.id},${theirs.id}` })).status).toBe(404);
    expect((await bulk({ intent: "bulk-close", ids: "" })).status).toBe(400);
    expect((await bulk({ intent: "bulk-close", ids: Array(51).fill(ours.id).join(",") })).status).toBe(400);
    expect((await bulk({ intent: "bulk-assign", ids: ours.id, agentId: us.agents[0]!.id })).status).toBe(400);
    expect((await bulk({ intent: "bulk-tag", ids: ours.id, tag: "a,b" })).status).toBe(400);
    expect((await bulk({ intent: "bulk-delete", ids: ours.id })).status).toBe(400);
    expect([await ticketState(ours.id), await ticketState(theirs.id)]).toEqual(before);
  });
});
