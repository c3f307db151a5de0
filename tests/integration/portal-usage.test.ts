import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signAppProxyUrl } from "../../dev/store-emulator/signing.ts";
import { buildFulfillment, buildLineItem, buildOrder, money } from "../../app/domain/order-snapshot.ts";
import type { ShopifyOrderSnapshot } from "../../app/domain/shopify/snapshots.ts";
import { startIntegrationStack, TEST_APP, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill } from "../support/sync.ts";

// The portal's billable accounting (issue 9, item 6), driven through the real portal API signed as
// Shopify's App Proxy signs it: sessions opened by signing in, tracks counted once per order and
// session, requests filed, the shopper reaching an agent (their reply landing on the request's
// ticket; a chat from the portal); then the figures the home page's loader shows.
const SHOP = "maple-goods-eu.myshopify.com";
const OTHER_SHOP = "north-trail.myshopify.com";
const DAY = 86_400_000;

let stack: IntegrationStack;
const { db } = await import("~/db.server");
const { saveOrderVersion } = await import("~/models/shopify-order.server");
const { addCustomerMessage, createTicket } = await import("~/models/ticket.server");
const { getPortalUsage, recordAgentContact } = await import("~/models/portal-usage.server");
const home = await import("~/routes/app._index");

let shop: { id: string; workspaceId: string; ianaTimezone: string | null };
let otherShopId: string;
/** Two store customers of SHOP, as the storefront names them when logged in. */
let ines: { shopifyId: string; numericId: string; email: string };
let marc: { shopifyId: string; numericId: string; email: string };
let orders: Record<"delivered" | "inTransit", { id: string; name: string; lineItemId: string }>;

const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
let nextOrder = 9_700_000;

function shippedOrder(customer: typeof ines, deliveredDaysAgo: number | null): ShopifyOrderSnapshot {
  const id = ++nextOrder;
  const item = buildLineItem({ title: "Merino scarf", quantity: 2, fulfillableQuantity: 0 });
  const base = buildOrder({
    id: `gid://shopify/Order/${id}`,
    name: `#U${id}`,
    createdAt: ago(10),
    processedAt: ago(10),
    fulfillmentStatus: "FULFILLED",
    lineItems: [item],
    fulfillments: [
      buildFulfillment({
        createdAt: ago(9),
        updatedAt: deliveredDaysAgo === null ? ago(9) : ago(deliveredDaysAgo),
        displayStatus: deliveredDaysAgo === null ? "IN_TRANSIT" : "DELIVERED",
        deliveredAt: deliveredDaysAgo === null ? null : ago(deliveredDaysAgo),
        lineItems: [{ lineItemId: item.id, quantity: 2 }],
      }),
    ],
  });
  return {
    ...base,
    updatedAt: base.createdAt,
    email: customer.email,
    phone: null,
    customerId: customer.shopifyId,
    currencyCode: base.totalPrice.currencyCode,
    subtotalPrice: money("79.99", base.totalPrice.currencyCode),
    note: null,
    tags: [],
    shippingAddress: null,
    billingAddress: null,
    returns: [],
  };
}

async function save(snapshot: ShopifyOrderSnapshot) {
  await saveOrderVersion(shop.id, snapshot);
  const row = await db.shopifyOrder.findUniqueOrThrow({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: snapshot.id } },
    select: { id: true },
  });
  return { id: row.id, name: snapshot.name, lineItemId: snapshot.lineItems[0]!.id };
}

let ipCount = 0;
/** A POST to the portal API as the App Proxy forwards it. */
async function portal(path: string, body: unknown, options: { loggedInCustomerId?: string } = {}) {
  const url = signAppProxyUrl(new URL(`/proxy/portal/${path}`, stack.app.url), {
    apiSecret: TEST_APP.apiSecret,
    shop: SHOP,
    pathPrefix: "/apps/shopdesk",
    loggedInCustomerId: options.loggedInCustomerId,
  });
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": `10.77.0.${++ipCount}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** A shopper logged in to the store opens the portal: a session without a code. */
async function storeLogin(customer: typeof ines) {
  const answer = await portal("session", {}, { loggedInCustomerId: customer.numericId });
  expect(answer.json).toMatchObject({ signedIn: true });
  return sessionOf(answer.json.token as string);
}

async function sessionOf(token: string) {
  // The token's payload names the session (portal-token.server.ts): the newest one of this shop.
  const row = await db.portalSession.findFirstOrThrow({ where: { shopId: shop.id }, orderBy: { createdAt: "desc" } });
  return { token, sessionId: row.id };
}

const sessionRow = (id: string) => db.portalSession.findUniqueOrThrow({ where: { id } });

async function homeLoader() {
  return home.loader({ request: stack.adminRequest(SHOP, "/app"), params: {}, context: {} });
}

beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 4, customersPerShop: 4 } });
  for (const domain of [SHOP, OTHER_SHOP]) expect((await stack.install(domain)).status).toBe(200);
  const [a, b] = await Promise.all([waitForBackfill(SHOP), waitForBackfill(OTHER_SHOP)]);
  shop = a.shop;
  otherShopId = b.shop.id;
  const customers = await db.shopifyCustomer.findMany({
    where: { shopId: shop.id, email: { not: null }, deletedAt: null },
    orderBy: { shopifyId: "asc" },
    take: 2,
  });
  [ines, marc] = customers.map((row) => ({
    shopifyId: row.shopifyId,
    numericId: row.shopifyId.replace("gid://shopify/Customer/", ""),
    email: row.email!,
  })) as [typeof ines, typeof marc];
  orders = {
    delivered: await save(shippedOrder(ines, 3)),
    inTransit: await save(shippedOrder(ines, null)),
  };
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe("portal usage", () => {
  it("the home page explains how to turn the portal on while no shopper has used it", async () => {
    const page = await homeLoader();
    expect(page.portalUsage).toMatchObject({ everUsed: false, sessions: 0, deflectionRate: null, days: 30 });
  });

  it("counts a track once per order and session, however often the order is opened", async () => {
    const { token, sessionId } = await storeLogin(ines);
    for (const orderId of [orders.delivered.id, orders.delivered.id, orders.inTransit.id, orders.delivered.id]) {
      expect((await portal("order", { token, orderId })).status).toBe(200);
    }
    expect(await sessionRow(sessionId)).toMatchObject({ tracks: 2, requests: 0, reachedAgentAt: null });
    // Another session of the same shopper tracks the same order again: a new visit, a new track.
    const later = await storeLogin(ines);
    expect(later.sessionId).not.toBe(sessionId);
    await portal("order", { token: later.token, orderId: orders.delivered.id });
    expect((await sessionRow(later.sessionId)).tracks).toBe(1);
  });

  it("a request makes the session billable; the shopper's reply on its ticket is an agent contact", async () => {
    const { token, sessionId } = await storeLogin(ines);
    await portal("order", { token, orderId: orders.delivered.id });
    const filed = await portal("request", {
      token,
      kind: "return",
      orderId: orders.delivered.id,
      items: [{ lineItemId: orders.delivered.lineItemId, quantity: 1 }],
      reason: "SIZE_TOO_SMALL",
    });
    expect(filed.status).toBe(201);
    expect(await sessionRow(sessionId)).toMatchObject({ tracks: 1, requests: 1, reachedAgentAt: null });

    // The shopper answers the confirmation by email; the reply threads into the request's ticket.
    const request = await db.portalRequest.findUniqueOrThrow({
      where: { id: (filed.json.request as { id: string }).id },
    });
    const repliedAt = new Date(Date.now() - 60_000);
    await addCustomerMessage(shop.workspaceId, request.ticketId, { body: "Any news?", at: repliedAt });
    expect((await sessionRow(sessionId)).reachedAgentAt).toEqual(repliedAt);
    // The first contact is the one kept.
    await addCustomerMessage(shop.workspaceId, request.ticketId, { body: "Hello?" });
    expect((await sessionRow(sessionId)).reachedAgentAt).toEqual(repliedAt);
  });

  it("a message on a ticket that did not come from the portal records nothing", async () => {
    const { sessionId } = await storeLogin(marc);
    const ticket = await createTicket(shop.workspaceId, {
      channel: "email",
      subject: "Where is my parcel?",
      shopId: shop.id,
      firstMessage: { body: "Hi", fromAddress: marc.email },
    });
    await addCustomerMessage(shop.workspaceId, ticket.id, { body: "Still waiting" });
    expect(await sessionRow(sessionId)).toMatchObject({ tracks: 0, requests: 0, reachedAgentAt: null });
  });

  it("a chat from the portal session reaches an agent: billable without a request, and only in its own store", async () => {
    const { sessionId } = await storeLogin(marc);
    expect(await recordAgentContact(db, { shopId: otherShopId, portalSessionId: sessionId })).toBe(false);
    expect((await sessionRow(sessionId)).reachedAgentAt).toBeNull();
    expect(await recordAgentContact(db, { shopId: shop.id, portalSessionId: sessionId })).toBe(true);
    expect((await sessionRow(sessionId)).reachedAgentAt).not.toBeNull();
  });

  it("adds up the last 30 days of this store only: sessions, billable ones, deflection, tracks, requests", async () => {
    // Outside the figures: a billable session 40 days old, and another store's session.
    const old = await storeLogin(ines);
    await db.portalSession.update({
      where: { id: old.sessionId },
      data: { createdAt: new Date(Date.now() - 40 * DAY), requests: 3, tracks: 5 },
    });
    await db.portalSession.create({
      data: {
        shopId: otherShopId,
        method: "email_code",
        email: "someone@example.com",
        expiresAt: new Date(Date.now() + DAY),
        requests: 1,
        tracks: 4,
      },
    });

    // In the period: the five sessions above (two tracking only, one with a request and a reply,
    // one that did nothing, one with a chat) plus one that signed in by order number and tracked it.
    const byOrder = await portal("order-sign-in", { email: ines.email, orderNumber: orders.inTransit.name.slice(1) });
    expect(byOrder.status).toBe(200);
    await portal("order", { token: byOrder.json.token, orderId: orders.inTransit.id });

    const expected = {
      everUsed: true,
      sessions: 6,
      billableSessions: 2,
      deflectedSessions: 4,
      deflectionRate: 4 / 6,
      tracks: 2 + 1 + 1 + 1,
      requests: 1,
    };
    const usage = await getPortalUsage(shop.id, { timeZone: shop.ianaTimezone });
    expect(usage).toMatchObject({ ...expected, agentContactSessions: 2 });

    const page = await homeLoader();
    expect(page.portalUsage).toMatchObject({ ...expected, days: 30 });
    expect(page.portalUsage.periodLabel).toMatch(/^\w{3} \d{1,2}, \d{4} – \w{3} \d{1,2}, \d{4}$/);
  });

  it("starts the period at midnight in the store's zone", async () => {
    const now = new Date();
    const { period } = await getPortalUsage(shop.id, { timeZone: "Pacific/Kiritimati", now });
    const before = await getPortalUsage(shop.id, { timeZone: "Pacific/Kiritimati", now });
    const edge = await storeLogin(marc);
    // Made the period's first instant: counted; a millisecond earlier: not.
    await db.portalSession.update({ where: { id: edge.sessionId }, data: { createdAt: period.from } });
    expect((await getPortalUsage(shop.id, { timeZone: "Pacific/Kiritimati", now })).sessions).toBe(before.sessions + 1);
    await db.portalSession.update({
      where: { id: edge.sessionId },
      data: { createdAt: new Date(period.from.getTime() - 1) },
    });
    expect((await getPortalUsage(shop.id, { timeZone: "Pacific/Kiritimati", now })).sessions).toBe(before.sessions);
    // Kiritimati is UTC+14: its day starts at 10:00 UTC the day before.
    expect(period.from.getUTCHours()).toBe(10);
  });
});
