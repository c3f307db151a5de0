// The REST API changing tickets over real HTTP: messages added as the customer, as an agent's
// reply (sent by the ticket's channel: a real SMTP server on 127.0.0.1 catches it) or as a note,
// and PUT changing status, snooze, priority, tags, assignee and subject through the inbox's own
// model calls. Another workspace's key finds only its own tickets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailCatcher, type MailCatcher } from "../../dev/mail-catcher.ts";
import { apiJson, apiRequest, createApiKey, type ApiKeyCredentials } from "../support/api-client.ts";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { eventually } from "../support/wait.ts";

const A = "maple-goods-eu.myshopify.com";
const B = "north-trail.myshopify.com";

const { db } = await import("~/db.server");
const { createTicket } = await import("~/models/ticket.server");
const { saveMailSettings } = await import("~/models/mail-settings.server");

let stack: IntegrationStack;
let catcher: MailCatcher;
let keyA: ApiKeyCredentials;
let keyB: ApiKeyCredentials;
let wsA: string;
let wsB: string;

beforeAll(async () => {
  catcher = await startMailCatcher({ webPort: false });
  stack = await startIntegrationStack({ seed: { ordersPerShop: 2, customersPerShop: 2 } });
  for (const shop of [A, B]) expect((await stack.install(shop)).status).toBe(200);
  keyA = await createApiKey(stack, A, "Returns tool");
  keyB = await createApiKey(stack, B, "North tool");
  wsA = (await db.shop.findUniqueOrThrow({ where: { domain: A } })).workspaceId;
  wsB = (await db.shop.findUniqueOrThrow({ where: { domain: B } })).workspaceId;
  const saved = await saveMailSettings(wsA, {
    host: "127.0.0.1",
    port: catcher.smtpPort,
    security: "none",
    username: null,
    password: null,
    fromAddress: "support@maple.example",
    fromName: "Maple Goods",
  });
  expect(saved.ok).toBe(true);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await catcher?.close();
});

const api = (key: ApiKeyCredentials | null, path: string, init?: Parameters<typeof apiRequest>[3]) =>
  apiJson<Record<string, any>>(apiRequest(stack, key, path, init)); // eslint-disable-line @typescript-eslint/no-explicit-any

async function emailTicket(workspaceId: string, subject = "Where is my parcel?") {
  const email = `ava-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const customer = await db.helpdeskCustomer.create({ data: { workspaceId, name: "Ava Lind", emails: [email] } });
  const ticket = await createTicket(workspaceId, {
    channel: "email",
    subject,
    customerId: customer.id,
    firstMessage: {
      body: "Hi, where is it?",
      fromAddress: email,
      messageId: `<m-${crypto.randomUUID()}@mail.example>`,
    },
  });
  return { ticket, customer, email };
}

const agentOf = (workspaceId: string, name: string) =>
  db.agent.create({ data: { workspaceId, name, email: `${name.toLowerCase().replace(/\s+/g, ".")}@maple.example` } });

const ticketState = (id: string) =>
  db.ticket.findUniqueOrThrow({
    where: { id },
    include: { entries: { orderBy: { seq: "asc" }, select: { kind: true, body: true, event: true } } },
  });

describe("POST /api/tickets/<number>/messages", () => {
  it("adds the customer's message: 201 with the message, the closed ticket opens again", async () => {
    const { ticket, customer, email } = await emailTicket(wsA);
    await db.ticket.update({ where: { id: ticket.id }, data: { status: "closed", closedAt: new Date() } });
    const answer = await api(keyA, `/api/tickets/${ticket.number}/messages`, {
      body: { body_text: "Any news?", channel: "api", via: "api", from_agent: false },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body).toMatchObject({
      uri: `/api/tickets/${ticket.number}/messages/${answer.body.id}/`,
      ticket_id: ticket.number,
      from_agent: false,
      public: true,
      body_text: "Any news?",
      sender: { id: customer.id, email },
    });
    const after = await ticketState(ticket.id);
    expect(after).toMatchObject({ status: "open", messageCount: 2 });
    expect(after.entries.filter((entry) => entry.kind === "customer_message").map((entry) => entry.body)).toEqual([
      "Hi, where is it?",
      "Any news?",
    ]);
  });

  it("an agent's reply goes out by the ticket's channel (email), as the reply box sends it", async () => {
    const { ticket, email } = await emailTicket(wsA);
    const agent = await agentOf(wsA, "Bea Agent");
    const answer = await api(keyA, `/api/tickets/${ticket.number}/messages`, {
      body: { body_text: "It ships today.", from_agent: true, sender: { email: "BEA.agent@maple.example" } },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body).toMatchObject({
      from_agent: true,
      public: true,
      sender: { id: agent.id, email: agent.email, name: "Bea Agent" },
      body_text: "It ships today.",
    });
    const mail = await catcher.waitFor((caught) => caught.text.includes("It ships today."));
    expect(mail.envelope.to).toEqual([email]);
    expect(mail.subject).toBe("Re: Where is my parcel?");
    await eventually(async () =>
      expect(await db.ticketEntry.findUniqueOrThrow({ where: { id: answer.body.id } })).toMatchObject({
        deliveryStatus: "sent",
      }),
    );
  });

  it("an agent's note (public false, or the anchor's internal-note channel) stays inside", async () => {
    const { ticket } = await emailTicket(wsA);
    const agent = await agentOf(wsA, "Cleo Note");
    for (const body of [
      { body_text: "Carrier says Monday", from_agent: true, public: false, sender: { email: agent.email } },
      { body_text: "Second note", from_agent: true, channel: "internal-note", sender: { id: agent.id } },
    ]) {
      const answer = await api(keyA, `/api/tickets/${ticket.number}/messages`, { body });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      expect(answer.body).toMatchObject({ from_agent: true, public: false, body_text: body.body_text });
    }
    const kinds = (await ticketState(ticket.id)).entries.map((entry) => entry.kind);
    expect(kinds.filter((kind) => kind === "internal_note")).toHaveLength(2);
    expect(catcher.messages().some((mail) => mail.text.includes("Carrier says Monday"))).toBe(false);
  });

  it("refuses per field and changes nothing: no text, an agent's message without an agent, someone else as the customer", async () => {
    const { ticket } = await emailTicket(wsA);
    const before = await ticketState(ticket.id);
    const cases: [unknown, string[]][] = [
      [{ body_text: "  " }, ["body_text"]],
      [{ body_text: "x\u0000y" }, ["body_text"]],
      [{ body_text: "hi", from_agent: true }, ["sender"]],
      [{ body_text: "hi", from_agent: "yes" }, ["from_agent"]],
      [{ body_text: "hi", public: false }, ["public"]],
      [{ body_text: "hi", from_agent: true, sender: { email: "nobody@maple.example" } }, ["sender"]],
      [{ body_text: "hi", sender: { email: "someone.else@example.com" } }, ["sender"]],
      [{ body_text: "x".repeat(70 * 1024) }, ["body_text"]],
    ];
    for (const [body, fields] of cases) {
      const answer = await api(keyA, `/api/tickets/${ticket.number}/messages`, { body });
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(Object.keys(answer.body.error.data).sort(), JSON.stringify(body).slice(0, 80)).toEqual(fields);
    }
    expect((await api(keyA, `/api/tickets/${ticket.number}/messages`, { raw: "body_text=hi" })).status).toBe(400);
    const huge = await api(keyA, `/api/tickets/${ticket.number}/messages`, {
      raw: JSON.stringify({ body_text: "x".repeat(1_100_000) }),
    });
    expect(huge.status).toBe(413);
    expect(await ticketState(ticket.id)).toEqual(before);
  });

  it("another workspace's agent cannot be the sender; an unknown number is a 404", async () => {
    const { ticket } = await emailTicket(wsA);
    const outsider = await db.agent.create({
      data: { workspaceId: wsB, name: "North Agent", email: "n@north.example" },
    });
    const answer = await api(keyA, `/api/tickets/${ticket.number}/messages`, {
      body: { body_text: "hi", from_agent: true, sender: { id: outsider.id } },
    });
    expect(answer.status).toBe(400);
    expect((await api(keyA, "/api/tickets/999999/messages", { body: { body_text: "hi" } })).status).toBe(404);
  });
});

describe("POST /api/tickets", () => {
  it("refuses text PostgreSQL cannot store with a 400 on the field, opening nothing", async () => {
    const before = await db.ticket.count({ where: { workspaceId: wsA } });
    for (const [body, field] of [
      [{ customer: { email: "n@example.com" }, subject: "a\u0000b", messages: [{ body_text: "hi" }] }, "subject"],
      [{ customer: { email: "n@example.com", name: "N\u0000" }, messages: [{ body_text: "hi" }] }, "customer.name"],
      [{ customer: { email: "n@example.com" }, messages: [{ body_text: "\ud800" }] }, "messages.0.body_text"],
    ] as const) {
      const answer = await api(keyA, "/api/tickets", { body });
      expect(answer.status, field).toBe(400);
      expect(Object.keys(answer.body.error.data), field).toEqual([field]);
    }
    expect(await db.ticket.count({ where: { workspaceId: wsA } })).toBe(before);
  });
});

describe("PUT /api/tickets/<number>", () => {
  it("changes status, priority, tags, assignee and subject; each change is a line in the thread", async () => {
    const { ticket } = await emailTicket(wsA, "Old subject");
    const agent = await agentOf(wsA, "Dan Assignee");
    const answer = await api(keyA, `/api/tickets/${ticket.number}/`, {
      method: "PUT",
      body: {
        status: "closed",
        priority: "high",
        tags: [{ name: "VIP" }, { name: "returns" }],
        assignee_user: { email: agent.email },
        subject: "  New   subject ",
      },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({
      id: ticket.number,
      status: "closed",
      priority: "high",
      tags: [{ name: "returns" }, { name: "vip" }],
      assignee_user: { id: agent.id, email: agent.email },
      subject: "New subject",
      closed_datetime: expect.any(String),
    });
    const events = (await ticketState(ticket.id)).entries
      .map((entry) => (entry.event as { type?: string } | null)?.type)
      .filter(Boolean);
    expect(events).toEqual(["created", "priority_changed", "tags_changed", "assigned", "status_changed"]);

    const reopened = await api(keyA, `/api/tickets/${ticket.number}`, {
      method: "PUT",
      body: { status: "open", assignee_user: null },
    });
    expect(reopened.body).toMatchObject({ status: "open", assignee_user: null, closed_datetime: null });
  });

  it("snoozes with snooze_datetime: closed with the time, as the anchor shows it", async () => {
    const { ticket } = await emailTicket(wsA);
    const until = new Date(Date.now() + 3 * 3600_000);
    const answer = await api(keyA, `/api/tickets/${ticket.number}`, {
      method: "PUT",
      body: { status: "closed", snooze_datetime: until.toISOString() },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({
      status: "closed",
      snooze_datetime: until.toISOString().replace("Z", "+00:00"),
    });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe("snoozed");
  });

  it("refuses each bad field with a 400 on it and changes nothing", async () => {
    const { ticket } = await emailTicket(wsA);
    const before = await ticketState(ticket.id);
    const cases: [unknown, string[]][] = [
      [{ status: "pending" }, ["status"]],
      [{ priority: "urgent-ish" }, ["priority"]],
      [{ tags: ["vip"] }, ["tags.0"]],
      [{ tags: [{ name: "a,b" }] }, ["tags.0.name"]],
      [{ subject: "   " }, ["subject"]],
      [{ subject: "a\u0000b" }, ["subject"]],
      [{ subject: "x".repeat(201) }, ["subject"]],
      [{ assignee_user: { email: "nobody@maple.example" } }, ["assignee_user"]],
      [{ assignee_user: {} }, ["assignee_user"]],
      [{ snooze_datetime: "tomorrow" }, ["snooze_datetime"]],
      [{ snooze_datetime: new Date(Date.now() - 60_000).toISOString() }, ["snooze_datetime"]],
      [{ status: "open", snooze_datetime: new Date(Date.now() + 3600_000).toISOString() }, ["snooze_datetime"]],
      [{ priority: "high", status: 3 }, ["status"]],
    ];
    for (const [body, fields] of cases) {
      const answer = await api(keyA, `/api/tickets/${ticket.number}`, { method: "PUT", body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(answer.body.error.data).sort(), JSON.stringify(body)).toEqual(fields);
    }
    expect((await api(keyA, `/api/tickets/${ticket.number}`, { method: "PUT", raw: "{" })).status).toBe(400);
    expect(await ticketState(ticket.id)).toEqual(before);
  });

  it("another workspace's key changes only its own ticket of that number, or none", async () => {
    const { ticket } = await emailTicket(wsA, "Maple only");
    const before = await ticketState(ticket.id);
    const answer = await api(keyB, `/api/tickets/${ticket.number}`, { method: "PUT", body: { subject: "Taken" } });
    expect([200, 404]).toContain(answer.status);
    if (answer.status === 200) expect(answer.body.subject).toBe("Taken");
    expect(await ticketState(ticket.id)).toEqual(before);
    expect((await api(keyA, "/api/tickets/999999", { method: "PUT", body: { subject: "x" } })).status).toBe(404);
    expect((await api(keyA, `/api/tickets/${ticket.number}`, { method: "DELETE" })).status).toBe(405);
    expect((await api(null, `/api/tickets/${ticket.number}`, { method: "PUT", body: { subject: "x" } })).status).toBe(
      401,
    );
  });
});
