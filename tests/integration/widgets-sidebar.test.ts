import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMALL_SEED, startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { unwrap } from "../support/route-results.ts";
import { waitForBackfill } from "../support/sync.ts";
import { loopReturnsResponse, setUpLoopWidget } from "../support/widgets.ts";

// The ticket page's and the customer profile's sidebar widgets, through their loaders as the
// embedded admin calls them: an HTTP integration's stored response rendered by its widget.

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
const tickets = await import("~/models/ticket.server");
const ticketRoute = await import("~/routes/app.tickets.$ticketId");
const customerRoute = await import("~/routes/app.customers.$customerId");

async function workspaceOf(domain: string) {
  const shop = await db.shop.findUniqueOrThrow({ where: { domain } });
  return { shop, workspaceId: shop.workspaceId };
}

async function customerWithTicket(workspaceId: string, skip = 0) {
  const customer = await db.helpdeskCustomer.findFirstOrThrow({
    where: { workspaceId, shopifyCustomers: { some: {} } },
    orderBy: { createdAt: "asc" },
    skip,
  });
  const ticket = await tickets.createTicket(workspaceId, {
    channel: "email",
    subject: "My return",
    customerId: customer.id,
    firstMessage: { body: "Where is my refund?", fromAddress: customer.emails[0] ?? null },
  });
  return { customer, ticket };
}

const loadTicket = async (ticketId: string, domain = EU) =>
  unwrap(
    await ticketRoute.loader({
      request: stack.adminRequest(domain, `/app/tickets/${ticketId}`),
      params: { ticketId },
      context: {},
    }),
  ).body as Awaited<ReturnType<typeof ticketRoute.loader>>;

const loadCustomer = async (customerId: string) =>
  unwrap(
    await customerRoute.loader({
      request: stack.adminRequest(EU, `/app/customers/${customerId}`),
      params: { customerId },
      context: {},
    }),
  ).body as unknown as Awaited<ReturnType<typeof customerRoute.loader>>;

/** Every text of a render tree, depth first. */
function texts(node: unknown): string[] {
  if (!node || typeof node !== "object") return [];
  const value = node as Record<string, unknown>;
  const own = [value.title, value.text].filter((text): text is string => typeof text === "string");
  const children = [...((value.children as unknown[]) ?? []), ...((value.items as unknown[]) ?? [])];
  return [...own, ...children.flatMap(texts)];
}

describe("the ticket sidebar", () => {
  it("shows the Loop widget over the customer's stored response: cards, newest first, Loop's quirks handled", async () => {
    const { workspaceId } = await workspaceOf(EU);
    const { customer, ticket } = await customerWithTicket(workspaceId);
    const { widget } = await setUpLoopWidget(workspaceId, { customerId: customer.id, response: loopReturnsResponse() });
    const page = await loadTicket(ticket.id);
    expect(page.widgets.map((shown) => shown.id)).toEqual([widget.id]);
    const all = texts(page.widgets[0]!.tree);
    expect(all).toEqual(expect.arrayContaining(["Loop Returns", "Return #1042: open", "Return #1001: closed"]));
    expect(all.indexOf("Return #1042: open")).toBeLessThan(all.indexOf("Return #1001: closed"));
    expect(all).toEqual(expect.arrayContaining(['Canvas tote "Large"', '"Item was too big"', "-€24.50", "€49.00"]));
    expect(all.join("|")).not.toContain("N/A");
    expect(all).toContain("UPS");
    // Both timestamp formats in the store's zone, with the zone named.
    const zone = (await workspaceOf(EU)).shop.ianaTimezone;
    const { formatShopTime } = await import("~/components/formatting");
    expect(all).toContain(formatShopTime("2026-11-20T08:15:00.000Z", zone));
    expect(all).toContain(formatShopTime("2026-11-20T07:30:00.000Z", zone));
  });

  it("shows nothing for a customer with no stored response, or a deactivated widget", async () => {
    const { workspaceId } = await workspaceOf(EU);
    const { customer, ticket } = await customerWithTicket(workspaceId, 1);
    const { widget } = await setUpLoopWidget(workspaceId, { name: "Loyalty" });
    expect((await loadTicket(ticket.id)).widgets.filter((shown) => shown.id === widget.id)).toEqual([]);
    await db.integrationResponse.create({
      data: { workspaceId, integrationId: widget.integrationId!, customerId: customer.id, body: { data: [] } },
    });
    // A response with nothing the template names: still nothing.
    expect((await loadTicket(ticket.id)).widgets.filter((shown) => shown.id === widget.id)).toEqual([]);
    await db.integrationResponse.updateMany({
      where: { integrationId: widget.integrationId! },
      data: { body: loopReturnsResponse() },
    });
    expect((await loadTicket(ticket.id)).widgets.map((shown) => shown.id)).toContain(widget.id);
    // Its integration turned off: the card goes with it (its data is no longer kept up to date).
    await db.integration.update({ where: { id: widget.integrationId! }, data: { deactivatedAt: new Date() } });
    expect((await loadTicket(ticket.id)).widgets.map((shown) => shown.id)).not.toContain(widget.id);
    await db.integration.update({ where: { id: widget.integrationId! }, data: { deactivatedAt: null } });
    expect((await loadTicket(ticket.id)).widgets.map((shown) => shown.id)).toContain(widget.id);
    await db.widget.update({ where: { id: widget.id }, data: { deactivatedAt: new Date() } });
    expect((await loadTicket(ticket.id)).widgets.map((shown) => shown.id)).not.toContain(widget.id);
  });

  it("never sends the integration's headers or an action's fixed values to the browser", async () => {
    const { workspaceId } = await workspaceOf(EU);
    const { customer, ticket } = await customerWithTicket(workspaceId, 2);
    await setUpLoopWidget(workspaceId, {
      customerId: customer.id,
      response: loopReturnsResponse(),
      partnerKey: "loop-partner-key-SECRET-7788",
    });
    const page = await loadTicket(ticket.id);
    const sent = JSON.stringify(page);
    expect(sent).toContain("Add a note");
    expect(sent).not.toContain("loop-partner-key-SECRET-7788");
    expect(sent).not.toContain("fixed-action-secret");
    expect(sent).not.toContain("X-Authorization");
    expect(sent).not.toContain("api.loopreturns.example");
  });

  it("never shows another workspace's widget or response", async () => {
    const eu = await workspaceOf(EU);
    const us = await workspaceOf(US);
    const { customer, ticket } = await customerWithTicket(eu.workspaceId, 3);
    // US's widget with a response filed against EU's customer (which the models would never do).
    const { integration } = await setUpLoopWidget(us.workspaceId, { name: "US only" });
    await db.integrationResponse.create({
      data: {
        workspaceId: us.workspaceId,
        integrationId: integration.id,
        customerId: customer.id,
        body: loopReturnsResponse(),
      },
    });
    const page = await loadTicket(ticket.id);
    expect(page.widgets.map((shown) => shown.name)).not.toContain("US only");
  });
});

describe("the customer profile", () => {
  it("shows customer-context widgets, not ticket ones", async () => {
    const { workspaceId } = await workspaceOf(EU);
    const { customer } = await customerWithTicket(workspaceId, 4);
    const ticketWidget = await setUpLoopWidget(workspaceId, {
      customerId: customer.id,
      response: loopReturnsResponse(),
    });
    const profileWidget = await setUpLoopWidget(workspaceId, {
      customerId: customer.id,
      response: { status: "vip", points: 1200 },
      context: "customer",
      name: "Loyalty points",
      template: {
        type: "card",
        title: "Loyalty",
        widgets: [
          { type: "text", path: "status", title: "Tier" },
          { type: "number", path: "points", title: "Points" },
        ],
      },
    });
    const profile = await loadCustomer(customer.id);
    expect(profile.widgets.map((shown) => shown.id)).toEqual([profileWidget.widget.id]);
    expect(texts(profile.widgets[0]!.tree)).toEqual(["Loyalty", "Tier", "vip", "Points", "1,200"]);
    expect(profile.widgets.map((shown) => shown.id)).not.toContain(ticketWidget.widget.id);
  });
});
