import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signAppProxyUrl } from "../../dev/store-emulator/signing.ts";
import { buildFulfillment, buildFulfillmentEvent, buildLineItem } from "../../app/domain/order-snapshot.ts";
import type { ShopifyOrderSnapshot } from "../../app/domain/shopify/snapshots.ts";
import { startIntegrationStack, TEST_APP, type IntegrationStack } from "../support/integration-stack.ts";
import { orderSnapshots, saveOrder, type SavedOrder } from "../support/portal.ts";
import { waitForBackfill } from "../support/sync.ts";
import { eventually } from "../support/wait.ts";

// The storefront portal's orders over real HTTP, signed as Shopify's App Proxy signs: a signed-in
// shopper sees their own orders only (by customer account, by email, or the one order of an
// email + order-number sign-in), each with the actions eligibility allows, in their language; any
// other order id is a 404 that reads nothing and asks Shopify nothing.
const SHOP = "maple-goods-eu.myshopify.com";
const OTHER_SHOP = "north-trail.myshopify.com";
const DAY = 86_400_000;

let stack: IntegrationStack;
const { db } = await import("~/db.server");
const { openPortalSession } = await import("~/services/portal/portal-auth.server");
const { getPortalOrder, PORTAL_ORDERS_PAGE_SIZE } = await import("~/services/portal/orders.server");

let shopId: string;
let otherShopId: string;

// ---- Orders made for the tests -------------------------------------------------------------------

const INES = { customerId: "gid://shopify/Customer/880001", email: "ines.moreau@example.com" };
const MARC = { customerId: "gid://shopify/Customer/880002", email: "marc.dupont@example.com" };
/** A shopper with more orders than a page. */
const BULK = { customerId: "gid://shopify/Customer/880003", email: "bulk.buyer@example.com" };

const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

const snapshotOf = orderSnapshots({
  firstNumber: 7_700_000,
  namePrefix: "#T",
  shippingAddress: {
    name: "Inès Moreau",
    firstName: "Inès",
    lastName: "Moreau",
    company: null,
    address1: "12 rue Oberkampf",
    address2: null,
    city: "Paris",
    province: null,
    provinceCode: null,
    country: "France",
    countryCode: "FR",
    zip: "75011",
    phone: null,
  },
});

/** A shipped one-line order whose parcel is at `stage`, placed `placedDaysAgo` days ago. */
function shippedOrder(
  shopper: typeof INES,
  placedDaysAgo: number,
  parcel: { deliveredDaysAgo?: number; displayStatus?: "IN_TRANSIT" | "DELIVERED" },
) {
  const item = buildLineItem({ title: "Merino scarf", quantity: 1, fulfillableQuantity: 0 });
  const placed = ago(placedDaysAgo);
  const delivered = parcel.deliveredDaysAgo === undefined ? null : ago(parcel.deliveredDaysAgo);
  return snapshotOf(shopper, {
    createdAt: placed,
    processedAt: placed,
    fulfillmentStatus: "FULFILLED",
    lineItems: [item],
    payment: { gatewayNames: ["shopify_payments"], paidAt: placed },
    fulfillments: [
      buildFulfillment({
        createdAt: ago(placedDaysAgo - 1),
        updatedAt: delivered ?? ago(placedDaysAgo - 1),
        displayStatus: delivered ? "DELIVERED" : (parcel.displayStatus ?? "IN_TRANSIT"),
        deliveredAt: delivered,
        lineItems: [{ lineItemId: item.id, quantity: 1 }],
        events: [buildFulfillmentEvent({ status: "IN_TRANSIT", happenedAt: ago(placedDaysAgo - 1) })],
      }),
    ],
  });
}

let ines: Record<
  "deliveredInWindow" | "deliveredOutOfWindow" | "unfulfilled" | "inTransit" | "cancelled" | "guest",
  SavedOrder
>;
let marcOrder: SavedOrder;
let otherShopOrder: SavedOrder;
let bulkOrders: SavedOrder[];

beforeAll(async () => {
  stack = await startIntegrationStack();
  for (const shop of [SHOP, OTHER_SHOP]) expect((await stack.install(shop)).status).toBe(200);
  const [a, b] = await Promise.all([waitForBackfill(SHOP), waitForBackfill(OTHER_SHOP)]);
  shopId = a.shop.id;
  otherShopId = b.shop.id;

  ines = {
    deliveredInWindow: await saveOrder(shopId, shippedOrder(INES, 12, { deliveredDaysAgo: 3 })),
    deliveredOutOfWindow: await saveOrder(shopId, shippedOrder(INES, 60, { deliveredDaysAgo: 45 })),
    unfulfilled: await saveOrder(shopId, snapshotOf(INES, { createdAt: ago(1), processedAt: ago(1) })),
    inTransit: await saveOrder(shopId, shippedOrder(INES, 4, { displayStatus: "IN_TRANSIT" })),
    cancelled: await saveOrder(
      shopId,
      snapshotOf(INES, { createdAt: ago(20), processedAt: ago(20), cancelledAt: ago(19), cancelReason: "CUSTOMER" }),
    ),
    // Placed as a guest with Inès's address: hers when she signs in by email without an account.
    guest: await saveOrder(shopId, snapshotOf({ customerId: null, email: INES.email }, { createdAt: ago(30) })),
  };
  marcOrder = await saveOrder(shopId, shippedOrder(MARC, 5, { deliveredDaysAgo: 1 }));
  // Another shop's order of "the same" customer id and email: never Inès's in this shop.
  otherShopOrder = await saveOrder(otherShopId, shippedOrder(INES, 5, { deliveredDaysAgo: 1 }));
  bulkOrders = [];
  for (let index = 0; index < PORTAL_ORDERS_PAGE_SIZE + 5; index++) {
    // Two orders share a creation time: the page boundary must not skip or repeat either.
    const placed = new Date(Date.parse("2026-01-01T00:00:00Z") + Math.min(index, 24 - 2) * 3_600_000).toISOString();
    bulkOrders.push(await saveOrder(shopId, snapshotOf(BULK, { createdAt: placed, processedAt: placed })));
  }
}, 120_000);
afterAll(() => stack?.stop());

// ---- Calls ------------------------------------------------------------------------------------------

interface Answer {
  status: number;
  json: Record<string, unknown>;
}

async function portal(path: "orders" | "order", body: unknown, shop = SHOP): Promise<Answer> {
  const url = signAppProxyUrl(new URL(`/proxy/portal/${path}`, stack.app.url), {
    apiSecret: TEST_APP.apiSecret,
    shop,
    pathPrefix: "/apps/shopdesk",
  });
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  expect(response.headers.get("cache-control")).toBe("private, no-store");
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

interface Actions {
  track: boolean;
  return: { kind: "request" | "loop"; url?: string; returnBy: string } | null;
  cancel: boolean;
  reportIssue: boolean;
}
type ListedOrder = { id: string; name: string; status: string; statusLabel: string; actions: Actions };

async function listAll(token: string): Promise<ListedOrder[]> {
  const orders: ListedOrder[] = [];
  let cursor: string | null = null;
  do {
    const answer = await portal("orders", { token, cursor });
    expect(answer.status).toBe(200);
    orders.push(...(answer.json.orders as ListedOrder[]));
    cursor = answer.json.nextCursor as string | null;
  } while (cursor);
  return orders;
}

const session = (shopper: Parameters<typeof openPortalSession>[1], shop = () => shopId) =>
  openPortalSession(shop(), shopper);

/** The buttons shown, in the widget's order. */
const kinds = ({ actions }: { actions: Actions }) =>
  [
    actions.track && "track",
    actions.return && "return",
    actions.cancel && "cancel",
    actions.reportIssue && "report_issue",
  ].filter(Boolean);

const tracksOf = async (sessionId: string) =>
  (await db.portalSession.findUniqueOrThrow({ where: { id: sessionId } })).tracks;

// ---- Whose orders ---------------------------------------------------------------------------------

describe("the order list", () => {
  it("a shopper with a customer account sees that account's orders of this shop, newest first", async () => {
    const { token } = await session({ method: "store_login", shopifyCustomerId: INES.customerId, email: INES.email });
    const orders = await listAll(token);
    const mine = [ines.unfulfilled, ines.inTransit, ines.deliveredInWindow, ines.cancelled, ines.deliveredOutOfWindow];
    expect(orders.map((order) => order.id)).toEqual(mine.map((order) => order.rowId));
    expect(orders[0]).toMatchObject({
      name: ines.unfulfilled.name,
      status: "unfulfilled",
      statusLabel: "Unfulfilled",
      total: "$89.99",
      totalPrice: { amount: "89.99", currencyCode: "USD" },
      itemCount: 1,
      firstItemTitle: "Aviator sunglasses",
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      createdLabel: expect.stringMatching(/\d{4}$/),
    });
  });

  it("without an account, the orders placed with the session's email (any case), guest orders included", async () => {
    const { token } = await session({ method: "email_code", email: INES.email.toUpperCase() });
    const ids = (await listAll(token)).map((order) => order.id);
    expect(ids).toContain(ines.guest.rowId);
    expect(ids).toContain(ines.deliveredInWindow.rowId);
    expect(ids).not.toContain(marcOrder.rowId);
    expect(ids).not.toContain(otherShopOrder.rowId);
    expect(ids).toHaveLength(6);
  });

  it("an email + order-number sign-in sees that one order only", async () => {
    const { token } = await session({ method: "order_number", email: INES.email, orderId: ines.inTransit.rowId });
    expect((await listAll(token)).map((order) => order.id)).toEqual([ines.inTransit.rowId]);
  });

  it("a session naming nobody (no account, email or order) sees nothing", async () => {
    const { token } = await session({ method: "sms_code", phone: "+33612345678" });
    expect(await listAll(token)).toEqual([]);
  });

  it("pages through 25 orders 20 at a time, newest first, none repeated or skipped (even at equal times)", async () => {
    const { token } = await session({ method: "store_login", shopifyCustomerId: BULK.customerId });
    const first = await portal("orders", { token });
    expect((first.json.orders as unknown[]).length).toBe(PORTAL_ORDERS_PAGE_SIZE);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const all = await listAll(token);
    expect(all).toHaveLength(bulkOrders.length);
    expect(new Set(all.map((order) => order.id)).size).toBe(bulkOrders.length);
    expect(new Set(all.map((order) => order.id))).toEqual(new Set(bulkOrders.map((order) => order.rowId)));
    const rows = await db.shopifyOrder.findMany({
      where: { id: { in: all.map((order) => order.id) } },
      select: { id: true, shopifyCreatedAt: true },
    });
    const times = new Map(rows.map((row) => [row.id, row.shopifyCreatedAt.getTime()]));
    const listed = all.map((order) => times.get(order.id)!);
    expect(listed).toEqual([...listed].sort((a, b) => b - a));
  });

  it("never lists a deleted order", async () => {
    const extra = await saveOrder(shopId, snapshotOf(MARC, { createdAt: ago(2) }));
    await db.shopifyOrder.update({ where: { id: extra.rowId }, data: { deletedAt: new Date() } });
    const { token } = await session({ method: "store_login", shopifyCustomerId: MARC.customerId });
    expect((await listAll(token)).map((order) => order.id)).toEqual([marcOrder.rowId]);
    expect((await portal("order", { token, orderId: extra.rowId })).status).toBe(404);
  });
});

// ---- Actions -----------------------------------------------------------------------------------------

describe("actions by order state (default settings: 30 days from delivery, cancel while unfulfilled)", () => {
  let byId: Map<string, ListedOrder>;
  beforeAll(async () => {
    const { token } = await session({ method: "store_login", shopifyCustomerId: INES.customerId });
    byId = new Map((await listAll(token)).map((order) => [order.id, order]));
  });

  it("delivered 3 days ago: track, return (a request), report an issue; no cancel", () => {
    const order = byId.get(ines.deliveredInWindow.rowId)!;
    expect(order.status).toBe("delivered");
    expect(kinds(order)).toEqual(["track", "return", "report_issue"]);
    expect(order.actions.return).toEqual({ kind: "request", returnBy: expect.any(String) });
    expect(Date.parse(order.actions.return!.returnBy)).toBeGreaterThan(Date.now() + 26 * DAY);
  });

  it("delivered 45 days ago: no return", () => {
    expect(kinds(byId.get(ines.deliveredOutOfWindow.rowId)!)).toEqual(["track", "report_issue"]);
  });

  it("unfulfilled: cancel shown, nothing to return yet", () => {
    expect(kinds(byId.get(ines.unfulfilled.rowId)!)).toEqual(["track", "cancel", "report_issue"]);
  });

  it("in transit: cancel hidden, return hidden until delivered", () => {
    const order = byId.get(ines.inTransit.rowId)!;
    expect(order.status).toBe("in_transit");
    expect(kinds(order)).toEqual(["track", "report_issue"]);
  });

  it("cancelled: neither return nor cancel", () => {
    expect(kinds(byId.get(ines.cancelled.rowId)!)).toEqual(["track", "report_issue"]);
  });

  it("the order page shows the same actions, and what Report an issue offers", async () => {
    const { token } = await session({ method: "store_login", shopifyCustomerId: INES.customerId });
    const answer = await portal("order", { token, orderId: ines.deliveredInWindow.rowId });
    expect(answer.status).toBe(200);
    const order = answer.json.order as { actions: Actions; issueOptions: { key: string; label: string }[] };
    expect(kinds(order)).toEqual(["track", "return", "report_issue"]);
    expect(order.issueOptions.map((issue) => issue.key)).toEqual([
      "damaged_item",
      "wrong_item",
      "missing_item",
      "not_received",
      "other",
    ]);
  });

  describe("with the store's own settings", () => {
    afterAll(() => db.portalSettings.deleteMany({ where: { shopId } }));

    it("Loop Returns: Return sends the shopper to the merchant's Loop portal with the order", async () => {
      await db.portalSettings.upsert({
        where: { shopId },
        create: { shopId, loopReturnsUrl: "https://maple-goods.loopreturns.com/" },
        update: { loopReturnsUrl: "https://maple-goods.loopreturns.com/" },
      });
      const { token } = await session({ method: "store_login", shopifyCustomerId: INES.customerId });
      const orders = new Map((await listAll(token)).map((order) => [order.id, order]));
      const action = orders.get(ines.deliveredInWindow.rowId)!.actions.return!;
      expect(action).toMatchObject({ kind: "loop" });
      const url = new URL(action.url!);
      expect(url.host).toBe("maple-goods.loopreturns.com");
      expect(url.searchParams.get("order")).toBe(ines.deliveredInWindow.name.replace("#", ""));
      expect(url.searchParams.get("zip")).toBe("75011");
      // Still only for eligible orders.
      expect(kinds(orders.get(ines.deliveredOutOfWindow.rowId)!)).not.toContain("return");
    });

    it("everything off: no actions at all, no tracking, and opening an order counts no track view", async () => {
      await db.portalSettings.upsert({
        where: { shopId },
        create: { shopId, trackEnabled: false, returnEnabled: false, cancelEnabled: false, reportIssueEnabled: false },
        update: {
          trackEnabled: false,
          returnEnabled: false,
          cancelEnabled: false,
          reportIssueEnabled: false,
          loopReturnsUrl: null,
        },
      });
      const { session: row, token } = await session({ method: "store_login", shopifyCustomerId: INES.customerId });
      const none = { track: false, return: null, cancel: false, reportIssue: false };
      for (const order of await listAll(token)) expect(order.actions, order.name).toEqual(none);
      const answer = await portal("order", { token, orderId: ines.unfulfilled.rowId });
      expect(answer.json.order).toMatchObject({ actions: none, tracking: null, issueOptions: [] });
      expect(await tracksOf(row.id)).toBe(0);
    });

    it("an emptied report-issue list hides Report an issue for orders in that state", async () => {
      await db.portalSettings.upsert({
        where: { shopId },
        create: { shopId, issueOptions: { delivered: [] } },
        update: { trackEnabled: true, cancelEnabled: true, reportIssueEnabled: true, issueOptions: { delivered: [] } },
      });
      const { token } = await session({ method: "store_login", shopifyCustomerId: INES.customerId });
      const orders = new Map((await listAll(token)).map((order) => [order.id, order]));
      expect(kinds(orders.get(ines.deliveredInWindow.rowId)!)).not.toContain("report_issue");
      expect(kinds(orders.get(ines.inTransit.rowId)!)).toContain("report_issue");
    });
  });
});

// ---- One order ------------------------------------------------------------------------------------

describe("one order", () => {
  it("summary, tracking and a track view counted on the session", async () => {
    const { session: row, token } = await session({ method: "store_login", shopifyCustomerId: INES.customerId });
    const answer = await portal("order", { token, orderId: ines.deliveredInWindow.rowId });
    expect(answer.status).toBe(200);
    expect(answer.json.order).toMatchObject({
      id: ines.deliveredInWindow.rowId,
      name: ines.deliveredInWindow.name,
      status: "delivered",
      statusLabel: "Delivered",
      items: { shipped: 1, total: 1 },
      summary: {
        lineItems: [
          { id: expect.any(String), title: "Merino scarf", quantity: 1, refundedQuantity: 0, returnableQuantity: 1 },
        ],
        subtotal: "$79.99",
        total: "$89.99",
        refunded: null,
        shippingAddress: { name: "Inès Moreau", city: "Paris", zip: "75011", countryCode: "FR" },
        billingAddress: null,
        paymentMethod: "Shopify Payments",
        financialStatus: "PAID",
        financialStatusLabel: "Paid",
      },
      tracking: {
        carrier: "UPS",
        number: "1Z999AA10123456784",
        url: expect.stringContaining("ups.com"),
        pending: false,
        details: "complete",
        notice: null,
        shipments: [{ status: "delivered", statusLabel: "Delivered" }],
      },
      requests: [],
    });
    const titles = (answer.json.order as { tracking: { timeline: { label: string }[] } }).tracking.timeline.map(
      (entry) => entry.label,
    );
    expect(titles.at(-1)).toBe("Order placed");
    expect(titles).toContain("Delivered");
    expect(await tracksOf(row.id)).toBe(1);
    // The same order opened again in the session (a refresh, back after a request): still one track.
    await portal("order", { token, orderId: ines.deliveredInWindow.rowId });
    expect(await tracksOf(row.id)).toBe(1);
  });

  it("lists the requests made about the order, with their status in the shopper's language", async () => {
    const { createTicket } = await import("~/models/ticket.server");
    const { workspaceId } = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
    const ticket = await createTicket(workspaceId, {
      channel: "portal_request",
      subject: `Cancellation request for ${ines.unfulfilled.name}`,
      firstMessage: { body: "Please cancel" },
    });
    await db.portalRequest.create({
      data: { shopId, orderId: ines.unfulfilled.rowId, ticketId: ticket.id, kind: "cancel", details: {} },
    });
    const { token } = await session({ method: "store_login", shopifyCustomerId: INES.customerId, locale: "de" });
    const answer = await portal("order", { token, orderId: ines.unfulfilled.rowId });
    expect((answer.json.order as { requests: unknown[] }).requests).toEqual([
      {
        id: expect.any(String),
        kind: "cancel",
        status: "received",
        statusLabel: "Eingegangen",
        createdAt: expect.any(String),
        createdLabel: expect.any(String),
      },
    ]);
  });

  it("in French for a French session: statuses, timeline, issues, totals and the 404", async () => {
    const { token } = await session({ method: "store_login", shopifyCustomerId: INES.customerId, locale: "fr-FR" });
    const list = await portal("orders", { token });
    const delivered = (list.json.orders as ListedOrder[]).find((order) => order.id === ines.deliveredInWindow.rowId)!;
    expect(delivered).toMatchObject({ status: "delivered", statusLabel: "Livrée" });
    const answer = await portal("order", { token, orderId: ines.deliveredInWindow.rowId });
    const order = answer.json.order as {
      summary: { total: string; financialStatusLabel: string };
      tracking: { timeline: { label: string }[] };
      issueOptions: { label: string }[];
    };
    expect(order.summary.total).toMatch(/^89,99\s\$US$/);
    expect(order.summary.financialStatusLabel).toBe("Payé");
    expect(order.tracking.timeline.at(-1)!.label).toBe("Commande passée");
    expect(order.issueOptions[0]!.label).toBe("Un article est arrivé endommagé");
    const missing = await portal("order", { token, orderId: marcOrder.rowId });
    expect(missing).toEqual({ status: 404, json: { error: "Nous n'avons pas trouvé cette commande." } });
  });

  describe("carrier events not imported yet: fetched on demand", () => {
    /** One of the store's own orders with carrier events, its events dropped and marked pending. */
    async function pendingEmulatorOrder() {
      const truth = stack.emulator
        .shop(SHOP)
        .orders()
        .find(
          (order) =>
            order.customerId !== null && order.fulfillments.some((fulfillment) => fulfillment.events.length > 0),
        )!;
      const row = await db.shopifyOrder.findUniqueOrThrow({
        where: { shopId_shopifyId: { shopId, shopifyId: `gid://shopify/Order/${truth.id}` } },
      });
      const snapshot = row.snapshot as unknown as ShopifyOrderSnapshot;
      const bare = { ...snapshot, fulfillments: snapshot.fulfillments.map((f) => ({ ...f, events: [] })) };
      await db.shopifyOrder.update({
        where: { id: row.id },
        data: { snapshot: JSON.parse(JSON.stringify(bare)), detailsPending: true },
      });
      const events = truth.fulfillments.reduce((total, fulfillment) => total + fulfillment.events.length, 0);
      return { row, events };
    }
    const detailsFetches = () =>
      stack.emulator.requests.filter((request) => request.operationName === "ShopdeskOrderDetailsByIds").length;
    const carrierUpdates = (order: unknown) =>
      (order as { tracking: { timeline: { kind: string }[] } }).tracking.timeline.filter(
        (entry) => entry.kind === "carrier_update",
      ).length;

    it("fetches them from Shopify for the order page (one query) and stores them", async () => {
      const { row, events } = await pendingEmulatorOrder();
      const { token } = await session({ method: "order_number", orderId: row.id });
      const fetches = detailsFetches();
      const answer = await portal("order", { token, orderId: row.id });
      expect(answer.status).toBe(200);
      expect(detailsFetches()).toBe(fetches + 1);
      expect(answer.json.order).toMatchObject({ tracking: { details: "complete", pending: false, notice: null } });
      expect(carrierUpdates(answer.json.order)).toBe(events);
      expect((await db.shopifyOrder.findUniqueOrThrow({ where: { id: row.id } })).detailsPending).toBe(false);
    });

    it("Shopify slow: answers within the timeout without them, says so, and the fetch completes behind", async () => {
      const { row, events } = await pendingEmulatorOrder();
      const { session: portalSession } = await session({ method: "order_number", orderId: row.id, locale: "de" });
      const call = {
        shop: (await shopCall(SHOP)).shop,
        loggedInCustomerId: null,
        clientIp: "127.0.0.1",
        body: {},
        locale: null,
      };
      const started = Date.now();
      const slow = await getPortalOrder(call, portalSession, row.id, { trackingTimeoutMs: 1 });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(slow?.tracking).toMatchObject({
        details: "delayed",
        pending: true,
        notice: expect.stringContaining("Versanddienstes"),
      });
      expect(carrierUpdates(slow)).toBe(0);
      await eventually(
        async () => !(await db.shopifyOrder.findUniqueOrThrow({ where: { id: row.id } })).detailsPending,
        {
          timeoutMs: 20_000,
        },
      );
      const later = await getPortalOrder(call, portalSession, row.id, { trackingTimeoutMs: 1 });
      expect(later?.tracking?.details).toBe("complete");
      expect(carrierUpdates(later)).toBe(events);
    });

    it("Shopify failing: the order with what is known, and a notice", async () => {
      const { row } = await pendingEmulatorOrder();
      const { session: portalSession } = await session({ method: "order_number", orderId: row.id });
      const call = {
        shop: (await shopCall(SHOP)).shop,
        loggedInCustomerId: null,
        clientIp: "127.0.0.1",
        body: {},
        locale: null,
      };
      stack.emulator.failNext(SHOP, 20, "503");
      try {
        const order = await getPortalOrder(call, portalSession, row.id, { trackingTimeoutMs: 30_000 });
        expect(order?.tracking).toMatchObject({ details: "unavailable", notice: expect.stringContaining("try again") });
        expect(order?.name).toBe(row.name);
      } finally {
        stack.emulator.clearFailures(SHOP);
      }
    });
  });
});

async function shopCall(domain: string) {
  const shop = await db.shop.findUniqueOrThrow({
    where: { domain },
    select: { id: true, domain: true, workspaceId: true, name: true, ianaTimezone: true },
  });
  return { shop };
}

// ---- Someone else's order ----------------------------------------------------------------------------

describe("an order id that is not one of the session's orders: 404, nothing read, nothing asked of Shopify", () => {
  it("another shopper's, another shop's, a made-up or garbled id", async () => {
    const { session: row, token } = await session({ method: "store_login", shopifyCustomerId: INES.customerId });
    await db.shopifyOrder.update({ where: { id: otherShopOrder.rowId }, data: { detailsPending: true } });
    await db.shopifyOrder.update({ where: { id: marcOrder.rowId }, data: { detailsPending: true } });
    const shopifyCalls = stack.emulator.requests.length;
    const ids = [
      marcOrder.rowId,
      otherShopOrder.rowId,
      "00000000-0000-4000-8000-000000000000",
      "not-an-id",
      `${ines.deliveredInWindow.rowId}'--`,
      ines.deliveredInWindow.rowId.toUpperCase().replace(/-/g, ""),
      // Shopify's ids of the same orders are not ours either.
      "gid://shopify/Order/7700001",
      "7700001",
    ];
    for (const orderId of ids) {
      const answer = await portal("order", { token, orderId });
      expect(answer, orderId).toEqual({ status: 404, json: { error: "We couldn't find this order." } });
    }
    expect(stack.emulator.requests.length).toBe(shopifyCalls);
    expect(await tracksOf(row.id)).toBe(0);
    for (const id of [otherShopOrder.rowId, marcOrder.rowId]) {
      expect((await db.shopifyOrder.findUniqueOrThrow({ where: { id } })).detailsPending).toBe(true);
    }
  });

  it("an order-number session asking for another of the same shopper's orders", async () => {
    const { token } = await session({ method: "order_number", email: INES.email, orderId: ines.inTransit.rowId });
    expect((await portal("order", { token, orderId: ines.deliveredInWindow.rowId })).status).toBe(404);
    expect((await portal("order", { token, orderId: ines.inTransit.rowId })).status).toBe(200);
  });

  it("another shop's session token, under this shop's proxy signature: 401", async () => {
    const { token } = await session({ method: "store_login", shopifyCustomerId: INES.customerId }, () => otherShopId);
    expect((await portal("orders", { token })).status).toBe(401);
    expect((await portal("order", { token, orderId: otherShopOrder.rowId })).status).toBe(401);
    // And this token where it belongs sees that shop's order.
    expect((await portal("order", { token, orderId: otherShopOrder.rowId }, OTHER_SHOP)).status).toBe(200);
  });
});

// ---- Tokens and bodies ----------------------------------------------------------------------------

describe("sign-in required", () => {
  it("an expired, revoked, forged or missing token: 401 asking to sign in again", async () => {
    const expired = await session({ method: "store_login", shopifyCustomerId: INES.customerId });
    await db.portalSession.update({ where: { id: expired.session.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    const revoked = await session({ method: "store_login", shopifyCustomerId: INES.customerId });
    await db.portalSession.update({ where: { id: revoked.session.id }, data: { revokedAt: new Date() } });
    const [version, payload] = revoked.token.split(".");
    const tokens = [expired.token, revoked.token, `${version}.${payload}.${"A".repeat(43)}`, "garbage", "", undefined];
    for (const token of tokens) {
      for (const path of ["orders", "order"] as const) {
        const answer = await portal(path, { token, orderId: ines.unfulfilled.rowId });
        expect(answer, `${path} ${token}`).toEqual({
          status: 401,
          json: { error: "Please sign in again.", signIn: true },
        });
      }
    }
  });
});

describe("bad bodies: 400 with a message, before anything is read", () => {
  it("wrong types, huge strings, NUL bytes, a garbled cursor, no JSON", async () => {
    const { session: row, token } = await session({ method: "store_login", shopifyCustomerId: INES.customerId });
    const cases: [path: "orders" | "order", body: unknown, field: string | null][] = [
      ["order", { token }, "orderId"],
      ["order", { token, orderId: 42 }, "orderId"],
      ["order", { token, orderId: ["a"] }, "orderId"],
      ["order", { token, orderId: "x".repeat(20_000) }, "orderId"],
      ["order", { token, orderId: "\u0000" }, "orderId"],
      ["order", { token, orderId: `${ines.unfulfilled.rowId}\u0000` }, "orderId"],
      ["order", { token: 12, orderId: ines.unfulfilled.rowId }, "token"],
      ["orders", { token, cursor: 5 }, "cursor"],
      ["orders", { token, cursor: "a\u0000b" }, "cursor"],
      ["orders", { token, cursor: "y".repeat(5_000) }, "cursor"],
      ["orders", { token: "t".repeat(5_000) }, "token"],
    ];
    for (const [path, body, field] of cases) {
      const answer = await portal(path, body);
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(answer.json).toMatchObject({ error: expect.any(String), field });
    }
    // A cursor that is text but not one the list gave: the list says it changed.
    const garbled = await portal("orders", { token, cursor: "bm90LWEtY3Vyc29y" });
    expect(garbled).toMatchObject({ status: 400, json: { field: "cursor" } });
    expect((await portal("orders", "{not json")).status).toBe(400);
    expect((await portal("orders", "[]")).status).toBe(400);
    expect(await tracksOf(row.id)).toBe(0);
    // In the storefront's language when the widget says it.
    expect((await portal("order", { token, orderId: 1, locale: "es" })).json.error).toBe(
      "Algo no está bien en esta solicitud. Recarga la página e inténtalo de nuevo.",
    );
  });

  it("a GET is refused with 405; an unsigned POST with 401", async () => {
    const url = signAppProxyUrl(new URL("/proxy/portal/orders", stack.app.url), {
      apiSecret: TEST_APP.apiSecret,
      shop: SHOP,
      pathPrefix: "/apps/shopdesk",
    });
    expect((await fetch(url)).status).toBe(405);
    const unsigned = new URL("/proxy/portal/order", stack.app.url);
    unsigned.searchParams.set("shop", SHOP);
    const answer = await fetch(unsigned, { method: "POST", body: JSON.stringify({ orderId: ines.unfulfilled.rowId }) });
    expect(answer.status).toBe(401);
  });
});
