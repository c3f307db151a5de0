import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoTicketsOnceImported } from "../../dev/demo-tickets.ts";
import { DEMO_LOOP_API_KEY, startDemoLoop, type DemoLoop } from "../../dev/loop-returns/demo.ts";
import { RETURN_LINK_BUTTON } from "../../dev/loop-returns/seed-002.ts";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack";
import { waitForBackfill } from "../support/sync";

// The demo's Loop Returns wiring (dev/loop-returns/demo.ts) on a demo-like world: the first store
// installed and imported, the demo's tickets seeded; the fake Loop server gets returns for the
// customers with return or exchange tickets, and the workspace gets seed 002's integration and
// widget pointed at it, once, however often the demo starts.

const { db, databaseUrl } = await import("~/db.server");
const { sendOutboundRequest } = await import("~/services/integrations/outbound.server");
const { getIntegration } = await import("~/models/integration.server");
const { getWidget } = await import("~/models/widget.server");

const EU = "maple-goods-eu.myshopify.com";
let stack: IntegrationStack;
let demo: DemoLoop | undefined;

beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 30, customersPerShop: 10 } });
  expect((await stack.install(EU)).status).toBe(200);
  await waitForBackfill(EU);
  await seedDemoTicketsOnceImported(databaseUrl, new Map(), 30_000, 60);
});
afterAll(async () => {
  await demo?.close();
  await stack?.stop();
});

const start = (port = 0) => startDemoLoop({ databaseUrl, shopDomain: EU, port, appEnv: process.env });

describe("Loop Returns in the demo", () => {
  it("serves returns to the customers with return tickets, for the orders those tickets name", async () => {
    demo = await start();
    const { workspace, fixtures } = demo;
    expect(workspace.customers.length).toBe(4);
    const withTickets = workspace.customers.filter((customer) => customer.ticketNumbers.length > 0);
    expect(withTickets.length).toBeGreaterThan(0);
    for (const customer of workspace.customers) {
      const returns = fixtures.byEmail[customer.email.toLowerCase()] ?? [];
      expect(returns.length, customer.email).toBeGreaterThanOrEqual(1);
      expect(returns.length, customer.email).toBeLessThanOrEqual(3);
      const orderNames = customer.orders.map((order) => order.name);
      for (const item of returns) expect(orderNames).toContain(item.order_name);
    }
    // The first return of a customer with a return ticket is for an order one of those tickets links.
    const [first] = withTickets;
    const linked = await db.ticketOrder.findMany({
      where: { ticket: { workspaceId: workspace.workspaceId, number: { in: first!.ticketNumbers } } },
      select: { order: { select: { name: true } } },
    });
    expect(linked.map((row) => row.order.name)).toContain(fixtures.byEmail[first!.email.toLowerCase()]![0]!.order_name);
  });

  it("sets up seed 002's integration and widget on the fake, reachable through the app's SSRF guard", async () => {
    const { workspace, setup, loop } = demo!;
    expect(setup.created).toBe(true);
    const row = await db.workspace.findUniqueOrThrow({ where: { id: workspace.workspaceId } });
    expect(row.integrationsAllowPrivateNetwork).toBe(true);

    const integration = await getIntegration(workspace.workspaceId, setup.integrationId);
    expect(integration).toMatchObject({
      name: "Loop Returns",
      type: "http",
      headers: { "X-Authorization": DEMO_LOOP_API_KEY },
      http: {
        method: "GET",
        url: `${loop.url}/api/v2/returns?from=2010-01-01&to=2050-01-01&customer_email={{ticket.customer.email}}`,
        triggers: { "ticket-created": true, "ticket-message-created": true, "ticket-updated": true },
      },
    });
    const widget = await getWidget(workspace.workspaceId, setup.widgetId);
    expect(widget).toMatchObject({ context: "ticket", type: "http", integrationId: setup.integrationId });
    const template = JSON.stringify(widget!.template);
    expect(template).toContain('"title":"Return {{order_name}}: {{state}}"');
    expect(template).toContain(`"url":"${loop.url}/api/v1/order/link"`);
    expect(template).toContain(`"label":"${RETURN_LINK_BUTTON}"`);
    expect(template).not.toContain(DEMO_LOOP_API_KEY); // the server adds the integration's key to actions
    expect(template).toContain("https://maple-goods-eu.loopreturns.com/#/");

    // What the runtime will send for a customer: through the guard, to the fake, their returns back.
    const customer = workspace.customers[0]!;
    const sent = await sendOutboundRequest({
      workspaceId: workspace.workspaceId,
      method: "GET",
      url: integration!.http!.url.replace("{{ticket.customer.email}}", encodeURIComponent(customer.email)),
      headers: integration!.headers,
    });
    expect(sent.ok).toBe(true);
    const body = JSON.parse(sent.ok ? sent.body : "{}") as { data: { customer: string }[] };
    expect(body.data.length).toBe(demo!.fixtures.byEmail[customer.email.toLowerCase()]!.length);
    expect(body.data.every((item) => item.customer === customer.email.toLowerCase())).toBe(true);
  });

  it("fetches each chosen customer's Loop data at start through the runtime, kept for the widget", async () => {
    const { workspace, setup, fixtures, loop } = demo!;
    const withTicket = workspace.customers.filter((customer) => customer.ticketId);
    expect(withTicket.length).toBeGreaterThan(0);
    expect(setup.fetched).toEqual(withTicket.map(() => "succeeded"));
    for (const customer of withTicket) {
      const ticket = await db.ticket.findUniqueOrThrow({ where: { id: customer.ticketId! } });
      const stored = await db.integrationResponse.findUniqueOrThrow({
        where: { integrationId_customerId: { integrationId: setup.integrationId, customerId: ticket.customerId! } },
      });
      const body = stored.body as { status: string; data: { id: string }[] };
      expect(body.status).toBe("success");
      expect(body.data.map((item) => item.id).sort()).toEqual(
        fixtures.byEmail[customer.email.toLowerCase()]!.map((item) => item.id).sort(),
      );
    }
    const deliveries = await db.integrationDelivery.findMany({
      where: { workspaceId: workspace.workspaceId, trigger: "demo-start" },
    });
    expect(deliveries.map((delivery) => delivery.status)).toEqual(withTicket.map(() => "succeeded"));
    // The runtime's own requests: Loop's key and Shopdesk's signature on each.
    const calls = loop.requests().filter((request) => request.headers["x-shopdesk-event"] === "demo-start");
    expect(calls).toHaveLength(withTicket.length);
    for (const call of calls) {
      expect(call.headers["x-authorization"]).toBe(DEMO_LOOP_API_KEY);
      expect(call.headers["x-shopdesk-signature"]).toMatch(/^t=\d+,v1=/);
    }
  });

  it("finds its integration and widget again on a restart and moves them to the fake's new address", async () => {
    const before = demo!;
    await before.close();
    demo = await start();
    expect(demo.loop.url).not.toBe(before.loop.url);
    expect(demo.setup).toEqual({ ...before.setup, created: false });
    // The fake's new address is what the runtime called for the same customers.
    expect(demo.loop.requests().filter((request) => request.url.startsWith("/api/v2/returns?")).length).toBe(
      before.setup.fetched.length,
    );
    expect(demo.fixtures).toEqual(before.fixtures);
    const integrations = await db.integration.findMany({ where: { workspaceId: demo.workspace.workspaceId } });
    expect(integrations).toHaveLength(1);
    expect(await db.widget.count({ where: { workspaceId: demo.workspace.workspaceId } })).toBe(1);
    const integration = await getIntegration(demo.workspace.workspaceId, demo.setup.integrationId);
    expect(integration!.http!.url.startsWith(`${demo.loop.url}/api/v2/returns?`)).toBe(true);
    const template = JSON.stringify((await getWidget(demo.workspace.workspaceId, demo.setup.widgetId))!.template);
    expect(template).toContain(`"url":"${demo.loop.url}/api/v1/order/link"`);
    expect(template).not.toContain(before.loop.url);
  });
});
