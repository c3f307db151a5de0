import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SMALL_SEED, startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { unwrap } from "../support/route-results.ts";
import { waitForBackfill } from "../support/sync.ts";
import { loopReturnsResponse, loopWidgetTemplate, setUpLoopWidget } from "../support/widgets.ts";

// A widget's custom action run from a ticket: the route rebuilds the request from the stored
// template, sends it to a real HTTP server on 127.0.0.1 with the integration's secret headers,
// and records the result on the ticket.

const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}
let received: Received[] = [];
let answer: { status: number; body: string } = { status: 201, body: '{"ok":true}' };
let partner: Server;
let partnerUrl: string;

let stack: IntegrationStack;
beforeAll(async () => {
  partner = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => partner.listen(0, "127.0.0.1", resolve));
  partnerUrl = `http://127.0.0.1:${(partner.address() as AddressInfo).port}`;
  stack = await startIntegrationStack({ seed: SMALL_SEED });
  expect((await stack.install(EU)).status).toBe(200);
  expect((await stack.install(US)).status).toBe(200);
  await Promise.all([waitForBackfill(EU), waitForBackfill(US)]);
});
afterAll(async () => {
  await stack.stop();
  await new Promise((resolve) => partner.close(resolve));
});
beforeEach(() => {
  received = [];
  answer = { status: 201, body: '{"ok":true}' };
});

const { db } = await import("~/db.server");
const tickets = await import("~/models/ticket.server");
const actionRoute = await import("~/routes/app.tickets.$ticketId.widget-action");
const ticketRoute = await import("~/routes/app.tickets.$ticketId");

async function workspaceOf(domain: string) {
  const shop = await db.shop.findUniqueOrThrow({ where: { domain } });
  return shop.workspaceId;
}

let customerIndex = 0;
/** A ticket for a new customer of the workspace, with the Loop widget's stored response. */
async function ticketWithWidget(domain = EU, options: { allowPrivate?: boolean; integrationUrl?: string } = {}) {
  const workspaceId = await workspaceOf(domain);
  await db.workspace.update({
    where: { id: workspaceId },
    data: { integrationsAllowPrivateNetwork: options.allowPrivate ?? true },
  });
  const customer = await db.helpdeskCustomer.findFirstOrThrow({
    where: { workspaceId, shopifyCustomers: { some: {} } },
    orderBy: { createdAt: "asc" },
    skip: customerIndex++ % 6,
  });
  const ticket = await tickets.createTicket(workspaceId, {
    channel: "email",
    subject: "My return",
    customerId: customer.id,
    firstMessage: { body: "Please add a note to my return.", fromAddress: customer.emails[0] ?? null },
  });
  await db.integrationResponse.deleteMany({ where: { customerId: customer.id } });
  const { widget, integration } = await setUpLoopWidget(workspaceId, {
    customerId: customer.id,
    response: loopReturnsResponse(),
    template: loopWidgetTemplate(`${partnerUrl}/returns/{{id}}/note`),
    partnerKey: "loop-partner-key-SECRET-42",
    integrationUrl: options.integrationUrl ?? `${partnerUrl}/api/v2/returns?customer_email={{ticket.customer.email}}`,
  });
  return { workspaceId, ticket, widget, integration };
}

async function run(domain: string, ticketId: string, form: Record<string, string>) {
  const request = stack.adminRequest(domain, `/app/tickets/${ticketId}/widget-action`, {
    method: "POST",
    body: new URLSearchParams(form),
  });
  return unwrap(await actionRoute.action({ request, params: { ticketId }, context: {} }));
}

/** The sidebar's buttons for the ticket, as the page gets them. */
async function buttonsOf(ticketId: string, widgetId: number) {
  const page = unwrap(
    await ticketRoute.loader({
      request: stack.adminRequest(EU, `/app/tickets/${ticketId}`),
      params: { ticketId },
      context: {},
    }),
  ).body as Awaited<ReturnType<typeof ticketRoute.loader>>;
  const found: { label: string; ref: string; fields: { name: string; mandatory: boolean }[] }[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    const value = node as Record<string, unknown>;
    if (Array.isArray(value.buttons)) found.push(...(value.buttons as typeof found));
    for (const child of [...((value.children as unknown[]) ?? []), ...((value.items as unknown[]) ?? [])]) visit(child);
  };
  visit(page.widgets.find((widget) => widget.id === widgetId)?.tree);
  return { buttons: found, thread: page.thread };
}

const actionEvents = (ticketId: string) =>
  db.ticketEntry
    .findMany({ where: { ticketId, kind: "system_event" }, orderBy: { createdAt: "asc" } })
    .then((rows) =>
      rows.map((row) => row.event as Record<string, unknown>).filter((event) => event.type === "widget_action_run"),
    );

describe("running a widget's custom action", () => {
  it("sends the rebuilt request with the integration's secret header and records the result on the ticket", async () => {
    answer = { status: 201, body: JSON.stringify({ url: "https://maple.loopreturns.example/portal/abc" }) };
    const { ticket, widget, integration } = await ticketWithWidget();
    const { buttons } = await buttonsOf(ticket.id, widget.id);
    // Newest return first (orderBy -created_at): #1042, id 41000001.
    const [first] = buttons;
    expect(first).toMatchObject({ label: "Add a note", ref: expect.any(String) });
    expect(first!.fields.map((field) => [field.name, field.mandatory])).toEqual([
      ["params.0", false],
      ["body.1", true],
    ]);

    const result = await run(EU, ticket.id, {
      widgetId: String(widget.id),
      ref: first!.ref,
      values: JSON.stringify({ "body.1": "Refund to card, please", "params.0": "yes" }),
    });
    expect(result).toEqual({ status: 200, body: { ok: true, toast: "Add a note: done" } });
    expect(received).toHaveLength(1);
    const sent = received[0]!;
    expect(sent.method).toBe("POST");
    expect(sent.url).toBe("/returns/41000001/note?notify=yes");
    expect(sent.headers["x-authorization"]).toBe("loop-partner-key-SECRET-42");
    expect(sent.headers["x-action-token"]).toBe("fixed-action-secret");
    expect(sent.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(sent.body)).toEqual({ return_id: "41000001", note: "Refund to card, please" });

    expect(await actionEvents(ticket.id)).toEqual([
      {
        type: "widget_action_run",
        integrationName: "Loop Returns",
        actionLabel: "Add a note",
        ok: true,
        status: 201,
        error: null,
        detail: "https://maple.loopreturns.example/portal/abc",
      },
    ]);
    const { thread } = await buttonsOf(ticket.id, widget.id);
    expect(JSON.stringify(thread)).toContain(
      'ran \\"Add a note\\" (Loop Returns): done (HTTP 201): https://maple.loopreturns.example/portal/abc',
    );
    const delivery = await db.integrationDelivery.findFirstOrThrow({ where: { integrationId: integration.id } });
    expect(delivery).toMatchObject({ trigger: "custom-action", status: "succeeded", responseStatus: 201 });
    expect(JSON.stringify(delivery)).not.toContain("loop-partner-key-SECRET-42");
  });

  it("adds the integration's headers only when the action calls the integration's own host", async () => {
    const { ticket, widget } = await ticketWithWidget(EU, {
      integrationUrl: "https://api.loopreturns.example/api/v2/returns?customer_email={{ticket.customer.email}}",
    });
    const { buttons } = await buttonsOf(ticket.id, widget.id);
    const result = await run(EU, ticket.id, {
      widgetId: String(widget.id),
      ref: buttons[0]!.ref,
      values: JSON.stringify({ "body.1": "Note" }),
    });
    expect(result.status).toBe(200);
    expect(received).toHaveLength(1);
    // The action's own fixed header goes; the partner's key stays with the partner's host.
    expect(received[0]!.headers["x-action-token"]).toBe("fixed-action-secret");
    expect(received[0]!.headers["x-authorization"]).toBeUndefined();
  });

  it("keeps the template's fixed values whatever the browser sends, and takes no URL or header from it", async () => {
    const { ticket, widget } = await ticketWithWidget();
    const { buttons } = await buttonsOf(ticket.id, widget.id);
    const result = await run(EU, ticket.id, {
      widgetId: String(widget.id),
      ref: buttons[1]!.ref,
      url: "http://127.0.0.1:1/evil",
      values: JSON.stringify({ "body.1": "Note", "body.0": "another-return", "headers.0": "forged", url: "x" }),
    });
    expect(result.status).toBe(200);
    expect(received).toHaveLength(1);
    // The second return (numeric id 41000002) is the one the second button belongs to.
    expect(received[0]!.url).toBe("/returns/41000002/note?notify=no");
    expect(received[0]!.headers["x-action-token"]).toBe("fixed-action-secret");
    expect(JSON.parse(received[0]!.body)).toEqual({ return_id: "41000002", note: "Note" });
  });

  it("refuses a missing mandatory value with 400, sending and recording nothing", async () => {
    const { ticket, widget } = await ticketWithWidget();
    const { buttons } = await buttonsOf(ticket.id, widget.id);
    const before = await db.ticketEntry.count({ where: { ticketId: ticket.id } });
    const result = await run(EU, ticket.id, {
      widgetId: String(widget.id),
      ref: buttons[0]!.ref,
      values: JSON.stringify({ "body.1": "   " }),
    });
    expect(result).toEqual({ status: 400, body: { ok: false, errors: { "body.1": "Fill in Note." } } });
    expect(received).toEqual([]);
    expect(await db.ticketEntry.count({ where: { ticketId: ticket.id } })).toBe(before);
  });

  it("answers 404 for another workspace's widget, an unknown action or another workspace's ticket, sending nothing", async () => {
    const eu = await ticketWithWidget(EU);
    const us = await ticketWithWidget(US);
    const { buttons } = await buttonsOf(eu.ticket.id, eu.widget.id);
    const values = JSON.stringify({ "body.1": "Note" });
    const before = await db.ticketEntry.count({ where: { ticketId: { in: [eu.ticket.id, us.ticket.id] } } });
    // EU's ticket with US's widget.
    expect((await run(EU, eu.ticket.id, { widgetId: String(us.widget.id), ref: buttons[0]!.ref, values })).status).toBe(
      404,
    );
    // An action the widget does not have.
    expect((await run(EU, eu.ticket.id, { widgetId: String(eu.widget.id), ref: "0.9#9", values })).status).toBe(404);
    // EU's admin on US's ticket, with US's widget.
    expect((await run(EU, us.ticket.id, { widgetId: String(us.widget.id), ref: buttons[0]!.ref, values })).status).toBe(
      404,
    );
    expect(received).toEqual([]);
    expect(await db.ticketEntry.count({ where: { ticketId: { in: [eu.ticket.id, us.ticket.id] } } })).toBe(before);
  });

  it("is refused on the way to 127.0.0.1 while the private-network switch is off, and the ticket says why", async () => {
    const { ticket, widget } = await ticketWithWidget(EU, { allowPrivate: false });
    const { buttons } = await buttonsOf(ticket.id, widget.id);
    const result = await run(EU, ticket.id, {
      widgetId: String(widget.id),
      ref: buttons[0]!.ref,
      values: JSON.stringify({ "body.1": "Note" }),
    });
    expect(result.status).toBe(502);
    expect(received).toEqual([]);
    const [event] = await actionEvents(ticket.id);
    expect(event).toMatchObject({ ok: false, status: null, error: expect.any(String) });
    expect(String(event!.error).length).toBeGreaterThan(10);
  });

  it("records the partner's refusal with its status and message", async () => {
    answer = { status: 422, body: JSON.stringify({ message: "This return is closed" }) };
    const { ticket, widget } = await ticketWithWidget();
    const { buttons } = await buttonsOf(ticket.id, widget.id);
    const result = await run(EU, ticket.id, {
      widgetId: String(widget.id),
      ref: buttons[0]!.ref,
      values: JSON.stringify({ "body.1": "Note" }),
    });
    expect(result).toEqual({
      status: 502,
      body: { ok: false, errors: { form: "Add a note failed (HTTP 422): This return is closed" } },
    });
    expect(await actionEvents(ticket.id)).toEqual([
      expect.objectContaining({ ok: false, status: 422, error: "This return is closed" }),
    ]);
  });

  it("records an answer whose JSON message holds a NUL byte (\\u0000), the byte left out", async () => {
    answer = { status: 201, body: '{"url":"https://maple.loopreturns.example/p\\u0000q"}' };
    const { ticket, widget, integration } = await ticketWithWidget();
    const { buttons } = await buttonsOf(ticket.id, widget.id);
    const result = await run(EU, ticket.id, {
      widgetId: String(widget.id),
      ref: buttons[0]!.ref,
      values: JSON.stringify({ "body.1": "Note" }),
    });
    expect(result).toEqual({ status: 200, body: { ok: true, toast: "Add a note: done" } });
    expect(await actionEvents(ticket.id)).toEqual([
      expect.objectContaining({ ok: true, status: 201, detail: "https://maple.loopreturns.example/pq" }),
    ]);
    const delivery = await db.integrationDelivery.findFirstOrThrow({ where: { integrationId: integration.id } });
    expect(delivery.responseExcerpt).toBe('{"url":"https://maple.loopreturns.example/p\\u0000q"}');
  });

  it("is not replayed from the delivery log: Replay would send it as a trigger call, signed and without its own headers", async () => {
    const { ticket, widget, integration } = await ticketWithWidget();
    const { buttons } = await buttonsOf(ticket.id, widget.id);
    const ran = await run(EU, ticket.id, {
      widgetId: String(widget.id),
      ref: buttons[0]!.ref,
      values: JSON.stringify({ "body.1": "Note" }),
    });
    expect(ran.status).toBe(200);
    const delivery = await db.integrationDelivery.findFirstOrThrow({ where: { integrationId: integration.id } });
    const settings = await import("~/routes/app.settings.integrations");
    const request = stack.adminRequest(EU, "/app/settings/integrations", {
      method: "POST",
      body: new URLSearchParams({ intent: "replay", deliveryId: delivery.id }),
    });
    const replay = unwrap(await settings.action({ request, params: {}, context: {} }));
    expect(replay.status).toBe(400);
    expect(JSON.stringify(replay.body)).toContain("from its ticket");
    expect(await db.integrationDelivery.count({ where: { integrationId: integration.id } })).toBe(1);
    expect(received).toHaveLength(1);
  });

  it("sends nothing while the widget's integration is turned off", async () => {
    const { ticket, widget, integration } = await ticketWithWidget();
    const { buttons } = await buttonsOf(ticket.id, widget.id);
    await db.integration.update({ where: { id: integration.id }, data: { deactivatedAt: new Date() } });
    const result = await run(EU, ticket.id, {
      widgetId: String(widget.id),
      ref: buttons[0]!.ref,
      values: JSON.stringify({ "body.1": "Note" }),
    });
    expect(result.status).toBe(404);
    expect(JSON.stringify(result.body)).toContain("turned off");
    expect(received).toEqual([]);
    expect(await db.integrationDelivery.count({ where: { integrationId: integration.id } })).toBe(0);
  });

  it("refuses a form that is not one with 400", async () => {
    const { ticket, widget } = await ticketWithWidget();
    const bad = await run(EU, ticket.id, { widgetId: String(widget.id), ref: "0", values: "{not json" });
    expect(bad.status).toBe(400);
    expect(received).toEqual([]);
  });
});
