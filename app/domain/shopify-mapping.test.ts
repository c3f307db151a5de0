import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_SEED_SHOPS,
  describeOrderState,
  SEED_ORDER_KINDS,
  startStoreEmulator,
  type StoreEmulator,
} from "../../dev/store-emulator/index.ts";
import {
  customerPayload,
  fulfillmentEventPayload,
  fulfillmentPayload,
  orderPayload,
  refundPayload,
} from "../../dev/store-emulator/payloads.ts";
import { shopFetcher } from "../../dev/store-emulator/testing.ts";
import type { OrderRecord } from "../../dev/store-emulator/model.ts";
import {
  BULK_CUSTOMERS_QUERY,
  BULK_OPERATION_BY_ID,
  BULK_OPERATION_RUN,
  BULK_ORDERS_QUERY,
  CUSTOMERS_UPDATED_SINCE_QUERY,
  ORDER_DETAILS_BATCH_SIZE,
  ORDER_DETAILS_BY_IDS_QUERY,
  ORDERS_BY_IDS_BATCH_SIZE,
  ORDERS_BY_IDS_QUERY,
  ORDERS_UPDATED_SINCE_QUERY,
  updatedSinceSearch,
} from "../services/shopify/order-documents";
import { buildFulfillment, buildFulfillmentEvent, buildOrder, buildRefund, money } from "./order-snapshot";
import {
  addDecimals,
  assembleBulkCustomers,
  assembleBulkOrders,
  bulkOrderNeedsDetails,
  compareDecimals,
  customerFromGraphql,
  customerFromWebhook,
  customerIdFromDeleteWebhook,
  fulfillmentEventFromWebhook,
  fulfillmentFromWebhook,
  gidFromRestId,
  mergeCustomerSnapshots,
  mergeFulfillment,
  mergeFulfillmentEvent,
  mergeOrderDetails,
  mergeOrderSnapshots,
  mergeRefund,
  normalizeDecimal,
  normalizeFulfillmentName,
  normalizePhoneE164,
  orderDetailsCover,
  orderDetailsFromGraphql,
  orderIdFromEditWebhook,
  orderSnapshotFromGraphql,
  orderSnapshotFromWebhook,
  parseShopifyJson,
  refundFromWebhook,
  ShopifyIdPrecisionError,
  toUtcIso,
  type OrderDetails,
  type ShopifyCustomerSnapshot,
  type ShopifyOrderSnapshot,
} from "./shopify-mapping";

const fixtureText = (topic: string) =>
  readFileSync(new URL(`../../tests/fixtures/webhooks/${topic}.json`, import.meta.url), "utf8");
/** Exact ids, as a webhook handler should parse. */
const fixture = (topic: string) => parseShopifyJson(fixtureText(topic));

describe("value normalisation", () => {
  it("writes money as decimal strings with at least two decimals, without floats", () => {
    expect(normalizeDecimal("12.5")).toBe("12.50");
    expect(normalizeDecimal("10.0")).toBe("10.00");
    expect(normalizeDecimal(7)).toBe("7.00");
    expect(normalizeDecimal("0.0")).toBe("0.00");
    expect(normalizeDecimal("1.005")).toBe("1.005");
    expect(normalizeDecimal("-3.10")).toBe("-3.10");
    expect(() => normalizeDecimal("12,50")).toThrow(RangeError);
    expect(addDecimals(["0.1", "0.2"])).toBe("0.30");
    expect(addDecimals(["89.99", "19.99", "24.99"])).toBe("134.97");
    expect(addDecimals([])).toBe("0.00");
    expect(compareDecimals("10.5", "10.50")).toBe(0);
    expect(compareDecimals("9.99", "10")).toBe(-1);
  });

  it("turns local offsets into UTC", () => {
    expect(toUtcIso("2026-11-01T10:00:00-05:00")).toBe("2026-11-01T15:00:00Z");
    expect(toUtcIso("2026-11-01T15:00:00Z")).toBe("2026-11-01T15:00:00Z");
    expect(toUtcIso("2026-11-01T15:00:00.250+00:00")).toBe("2026-11-01T15:00:00.250Z");
  });

  it("normalises phones to E.164 only when the country code is there", () => {
    expect(normalizePhoneE164("+1 (415) 555-0123")).toBe("+14155550123");
    expect(normalizePhoneE164("0044 20 7946 0958")).toBe("+442079460958");
    expect(normalizePhoneE164("555-555-SHIP")).toBeNull();
    expect(normalizePhoneE164("123-123-1234")).toBeNull();
    expect(normalizePhoneE164(null)).toBeNull();
  });

  it("names REST fulfillments as GraphQL does", () => {
    expect(normalizeFulfillmentName("#1001.2")).toBe("#1001-F2");
    expect(normalizeFulfillmentName("#1001-F2")).toBe("#1001-F2");
    expect(normalizeFulfillmentName(null)).toBeNull();
  });

  it("keeps ids above 2^53 exact with parseShopifyJson and refuses rounded ones", () => {
    const text = '{"id": 820982911946154508, "note": "id 820982911946154508, ok", "n": 12, "x": -1.5e3}';
    expect(parseShopifyJson(text)).toEqual({
      id: "820982911946154508",
      note: "id 820982911946154508, ok",
      n: 12,
      x: -1500,
    });
    expect(parseShopifyJson('{"a":"quote \\" 99999999999999999999","b":[1,2]}')).toEqual({
      a: 'quote " 99999999999999999999',
      b: [1, 2],
    });
    expect(gidFromRestId("Order", "820982911946154508")).toBe("gid://shopify/Order/820982911946154508");
    // What JSON.parse makes of the sample's order id.
    const rounded = JSON.parse("820982911946154508") as number;
    expect(() => gidFromRestId("Order", rounded)).toThrow(ShopifyIdPrecisionError);
  });
});

describe("webhook fixtures (Shopify's 2026-07 samples)", () => {
  it.each(["orders/create", "orders/updated", "orders/cancelled", "orders/fulfilled", "orders/partially_fulfilled"])(
    "%s maps to a snapshot keyed by GIDs, in UTC",
    (topic) => {
      const snapshot = orderSnapshotFromWebhook(fixture(topic));
      expect(snapshot.id).toMatch(/^gid:\/\/shopify\/Order\/\d+$/);
      expect(snapshot.createdAt).toMatch(/Z$/);
      expect(snapshot.totalPrice.amount).toMatch(/^\d+\.\d{2,}$/);
      for (const item of snapshot.lineItems) expect(item.id).toMatch(/^gid:\/\/shopify\/LineItem\/\d+$/);
      // JSON.parse rounds the sample's ids, but identity comes from admin_graphql_api_id.
      expect(orderSnapshotFromWebhook(JSON.parse(fixtureText(topic)))).toEqual(snapshot);
    },
  );

  it("orders/create: every field the snapshot needs", () => {
    const snapshot = orderSnapshotFromWebhook(fixture("orders/create"));
    expect(snapshot).toMatchObject({
      id: "gid://shopify/Order/820982911946154508",
      name: "#9999",
      createdAt: "2022-01-01T00:00:00Z",
      processedAt: "2022-01-01T00:00:00Z",
      updatedAt: "2022-01-01T00:00:00Z",
      cancelledAt: "2022-01-01T00:00:00Z",
      cancelReason: "CUSTOMER",
      financialStatus: "VOIDED",
      fulfillmentStatus: "UNFULFILLED",
      totalPrice: { amount: "404.95", currencyCode: "USD" },
      totalRefunded: { amount: "0.00", currencyCode: "USD" },
      customerId: "gid://shopify/Customer/115310627314723954",
      email: "jon@example.com",
      tags: ["tag1", "tag2"],
      payment: { gatewayNames: expect.any(Array), paidAt: null },
    });
    expect(snapshot.shippingAddress).toMatchObject({ name: "Steve Shipper", countryCode: "US", provinceCode: "KY" });
    expect(snapshot.lineItems[0]).toEqual({
      id: "gid://shopify/LineItem/487817672276298554",
      title: "Aviator sunglasses",
      quantity: 1,
      fulfillableQuantity: 1,
      refundedQuantity: 0,
      requiresShipping: true,
    });
  });

  it("orders/edited only points at the order to refetch", () => {
    const edited = JSON.parse(
      readFileSync(new URL("../../tests/fixtures/webhooks/orders/updated.json", import.meta.url), "utf8"),
    ) as unknown;
    expect(() => orderIdFromEditWebhook(edited)).toThrow();
    expect(orderIdFromEditWebhook(parseShopifyJson('{"order_edit":{"order_id":820982911946154508}}'))).toBe(
      "gid://shopify/Order/820982911946154508",
    );
    expect(orderIdFromEditWebhook(JSON.parse('{"order_edit":{"order_id":820982911946154508}}'))).toBeNull();
  });

  it("fulfillments/create and fulfillments/update", () => {
    const created = fulfillmentFromWebhook(fixture("fulfillments/create"));
    expect(created.orderId).toBe("gid://shopify/Order/820982911946154508");
    expect(created.fulfillment).toMatchObject({
      id: expect.stringMatching(/^gid:\/\/shopify\/Fulfillment\/\d+$/),
      status: "PENDING",
      displayStatus: null,
      events: [],
      deliveredAt: null,
    });
    expect(created.fulfillment.tracking[0]).toMatchObject({ company: "UPS" });
    expect(created.fulfillment.lineItems[0]).toEqual({
      lineItemId: "gid://shopify/LineItem/487817672276298554",
      quantity: 1,
    });
    // The order is only a number in this body: rounded by JSON.parse, so not guessed.
    expect(fulfillmentFromWebhook(JSON.parse(fixtureText("fulfillments/update"))).orderId).toBeNull();
  });

  it("fulfillment_events/create", () => {
    const update = fulfillmentEventFromWebhook(fixture("fulfillment_events/create"))!;
    expect(update).toEqual({
      orderId: "gid://shopify/Order/820982911946154508",
      fulfillmentId: "gid://shopify/Fulfillment/123456",
      event: {
        id: "gid://shopify/FulfillmentEvent/1234567",
        status: "IN_TRANSIT",
        happenedAt: "2022-01-01T00:00:00Z",
        message: "Item is now in transit",
        city: null,
        province: null,
        country: "CA",
      },
      estimatedDeliveryAt: null,
    });
    const unknownStatus = { ...(fixture("fulfillment_events/create") as object), status: "teleported" };
    expect(fulfillmentEventFromWebhook(unknownStatus)).toBeNull();
  });

  it("refunds/create: the amount is what the refund transactions returned", () => {
    const { orderId, refund } = refundFromWebhook(fixture("refunds/create"));
    expect(orderId).toBe("gid://shopify/Order/820982911946154508");
    expect(refund.id).toBe("gid://shopify/Refund/890088186047892319");
    expect(refund.createdAt).toBe("2022-01-01T00:00:00Z");
    expect(refund.lineItems).toContainEqual({ lineItemId: "gid://shopify/LineItem/487817672276298554", quantity: 1 });
    expect(refund.amount.amount).toMatch(/^\d+\.\d{2}$/);
  });

  it("customers/create, customers/update and customers/delete", () => {
    const created = customerFromWebhook(fixture("customers/create"));
    expect(created.id).toMatch(/^gid:\/\/shopify\/Customer\/\d+$/);
    expect(created.createdAt).toMatch(/Z$/);
    expect(created.numberOfOrders).toBeNull();
    const updated = customerFromWebhook(fixture("customers/update"));
    expect(updated).toMatchObject({
      email: "bob@biller.com",
      firstName: "Bob",
      displayName: "Bob Biller",
      note: "This customer loves ice cream",
      state: "DISABLED",
      tags: null,
      updatedAt: "2022-01-01T00:00:00Z",
    });
    expect(updated.defaultAddress).toMatchObject({ city: "Ottawa", phone: "555-555-5555" });
    expect(customerIdFromDeleteWebhook(fixture("customers/delete"))).toMatch(/^gid:\/\/shopify\/Customer\/\d+$/);
    expect(() =>
      customerFromWebhook({ ...(fixture("customers/update") as object), updated_at: "yesterday" }),
    ).toThrow();
  });
});

describe("merging", () => {
  const base = () => {
    const fulfillment = buildFulfillment({ updatedAt: "2026-03-02T10:00:00Z", displayStatus: "IN_TRANSIT" });
    return { order: buildOrder({ fulfillments: [fulfillment] }), fulfillment };
  };

  it("mergeFulfillment is idempotent and an older version never replaces a newer one", () => {
    const { order, fulfillment } = base();
    const newer = { ...fulfillment, updatedAt: "2026-03-03T10:00:00Z", status: "CANCELLED" as const };
    const once = mergeFulfillment(order, newer);
    expect(mergeFulfillment(once, newer)).toEqual(once);
    expect(once.fulfillments[0]!.status).toBe("CANCELLED");
    expect(mergeFulfillment(once, fulfillment)).toEqual(once);
    // Either arrival order ends the same.
    expect(mergeFulfillment(mergeFulfillment(order, fulfillment), newer)).toEqual(once);
  });

  it("a REST version (no events) keeps the events and dates another source knew", () => {
    const event = buildFulfillmentEvent({ status: "DELIVERED", happenedAt: "2026-03-04T08:00:00Z" });
    const { order, fulfillment } = base();
    const known = mergeFulfillmentEvent(order, fulfillment.id, event);
    const rest = { ...fulfillment, updatedAt: "2026-03-05T00:00:00Z", displayStatus: null, events: [] };
    const merged = mergeFulfillment(known, rest).fulfillments[0]!;
    expect(merged.events).toEqual([event]);
    expect(merged.deliveredAt).toBe("2026-03-04T08:00:00Z");
    expect(merged.displayStatus).toBe("DELIVERED");
    expect(merged.updatedAt).toBe("2026-03-05T00:00:00Z");
  });

  it("adds a fulfillment it did not know", () => {
    const order = buildOrder();
    const fulfillment = buildFulfillment();
    expect(mergeFulfillment(order, fulfillment).fulfillments).toEqual([fulfillment]);
  });

  it("mergeFulfillmentEvent dedupes by id and the newest event wins whatever the arrival order", () => {
    const { order, fulfillment } = base();
    const transit = buildFulfillmentEvent({ status: "IN_TRANSIT", happenedAt: "2026-03-03T08:00:00Z" });
    const out = buildFulfillmentEvent({ status: "OUT_FOR_DELIVERY", happenedAt: "2026-03-04T07:00:00Z" });
    const forward = mergeFulfillmentEvent(mergeFulfillmentEvent(order, fulfillment.id, transit), fulfillment.id, out);
    const backward = mergeFulfillmentEvent(mergeFulfillmentEvent(order, fulfillment.id, out), fulfillment.id, transit);
    expect(backward).toEqual(forward);
    expect(mergeFulfillmentEvent(forward, fulfillment.id, transit)).toEqual(forward);
    expect(forward.fulfillments[0]!.events.map((event) => event.id)).toEqual([transit.id, out.id]);
    expect(forward.fulfillments[0]!.displayStatus).toBe("OUT_FOR_DELIVERY");
    expect(mergeFulfillmentEvent(order, "gid://shopify/Fulfillment/404", transit)).toBe(order);
  });

  it("keeps the estimated delivery of the latest event that has one", () => {
    const { order, fulfillment } = base();
    const early = buildFulfillmentEvent({ happenedAt: "2026-03-03T08:00:00Z" });
    const late = buildFulfillmentEvent({ happenedAt: "2026-03-04T08:00:00Z" });
    const a = mergeFulfillmentEvent(order, fulfillment.id, early, "2026-03-06T00:00:00Z");
    const ab = mergeFulfillmentEvent(a, fulfillment.id, late, "2026-03-07T00:00:00Z");
    const b = mergeFulfillmentEvent(order, fulfillment.id, late, "2026-03-07T00:00:00Z");
    const ba = mergeFulfillmentEvent(b, fulfillment.id, early, "2026-03-06T00:00:00Z");
    expect(ab.fulfillments[0]!.estimatedDeliveryAt).toBe("2026-03-07T00:00:00Z");
    expect(ba.fulfillments[0]!.estimatedDeliveryAt).toBe("2026-03-07T00:00:00Z");
  });

  it("mergeRefund adds a refund once and never counts one twice", () => {
    const item = { ...buildOrder().lineItems[0]!, quantity: 2 };
    const order = buildOrder({ lineItems: [item], totalRefunded: money("0.00") });
    const refund = buildRefund({ amount: money("10.00"), lineItems: [{ lineItemId: item.id, quantity: 1 }] });
    const once = mergeRefund(order, refund);
    expect(mergeRefund(once, refund)).toEqual(once);
    expect(once.totalRefunded).toEqual(money("10.00"));
    expect(once.lineItems[0]!.refundedQuantity).toBe(1);
    // An order snapshot that already counted the refund in its total, without listing it.
    const counted = buildOrder({ lineItems: [item], totalRefunded: money("10.00") });
    expect(mergeRefund(counted, refund).totalRefunded).toEqual(money("10.00"));
    const second = buildRefund({ amount: money("5.50") });
    expect(mergeRefund(once, second).totalRefunded).toEqual(money("15.50"));
    expect(mergeRefund(mergeRefund(order, second), refund)).toEqual(mergeRefund(once, second));
  });

  it("mergeOrderSnapshots: later updatedAt wins, events and paidAt survive a REST version", () => {
    const event = buildFulfillmentEvent({ status: "IN_TRANSIT" });
    const fulfillment = buildFulfillment({ events: [event], displayStatus: "IN_TRANSIT" });
    const graphql: ShopifyOrderSnapshot = {
      ...buildOrder({ fulfillments: [fulfillment] }),
      updatedAt: "2026-03-02T10:00:00Z",
      email: null,
      phone: null,
      customerId: null,
      currencyCode: "USD",
      subtotalPrice: null,
      note: null,
      tags: [],
      shippingAddress: null,
      billingAddress: null,
      returns: [],
    };
    const rest: ShopifyOrderSnapshot = {
      ...graphql,
      updatedAt: "2026-03-03T10:00:00Z",
      note: "Leave at the door",
      payment: { ...graphql.payment, paidAt: null },
      fulfillments: [{ ...fulfillment, events: [] }],
    };
    const merged = mergeOrderSnapshots(graphql, rest);
    expect(merged.note).toBe("Leave at the door");
    expect(merged.fulfillments[0]!.events).toEqual([event]);
    expect(merged.payment.paidAt).toBe(graphql.payment.paidAt);
    expect(mergeOrderSnapshots(merged, rest)).toEqual(merged);
    expect(mergeOrderSnapshots(rest, graphql)).toEqual(merged);
    expect(mergeOrderSnapshots(null, rest)).toEqual(rest);
  });

  it("mergeCustomerSnapshots keeps what REST customer webhooks never carry", () => {
    const graphql: ShopifyCustomerSnapshot = {
      ...customerFromWebhook(fixture("customers/update")),
      tags: ["vip"],
      locale: "fr",
      numberOfOrders: 3,
      amountSpent: money("120.00"),
      updatedAt: "2021-12-30T00:00:00Z",
    };
    const rest = customerFromWebhook(fixture("customers/update"));
    const merged = mergeCustomerSnapshots(graphql, rest);
    expect(merged).toMatchObject({ tags: ["vip"], locale: "fr", numberOfOrders: 3, note: rest.note });
    expect(mergeCustomerSnapshots(merged, graphql)).toEqual(merged);
  });
});

describe("assembleBulkOrders", () => {
  const order = (id: number) => ({ id: `gid://shopify/Order/${id}`, name: `#${id}`, fulfillments: [] });
  const line = (id: number, parent: number) => ({
    id: `gid://shopify/LineItem/${id}`,
    __parentId: `gid://shopify/Order/${parent}`,
  });
  const ret = (id: number, parent: number) => ({
    id: `gid://shopify/Return/${id}`,
    __parentId: `gid://shopify/Order/${parent}`,
  });
  const collect = async (iterable: AsyncIterable<Record<string, unknown>>) => {
    const out: Record<string, unknown>[] = [];
    for await (const item of iterable) out.push(item);
    return out;
  };

  it("puts children back under their parent, not only the ones right after it", async () => {
    const nodes = await collect(
      assembleBulkOrders([order(1), line(11, 1), ret(12, 1), line(13, 1), order(2), line(21, 2)]),
    );
    expect(nodes).toEqual([
      {
        ...order(1),
        lineItems: { nodes: [{ id: "gid://shopify/LineItem/11" }, { id: "gid://shopify/LineItem/13" }] },
        returns: { nodes: [{ id: "gid://shopify/Return/12" }] },
      },
      { ...order(2), lineItems: { nodes: [{ id: "gid://shopify/LineItem/21" }] } },
    ]);
  });

  it("streams: an order is complete once the next one starts (grouped output)", async () => {
    const seen: string[] = [];
    async function* lines() {
      seen.push("order 1");
      yield order(1);
      seen.push("order 2");
      yield order(2);
      seen.push("end");
    }
    for await (const node of assembleBulkOrders(lines())) seen.push(`yielded ${String(node.id)}`);
    expect(seen).toEqual([
      "order 1",
      "order 2",
      "yielded gid://shopify/Order/1",
      "end",
      "yielded gid://shopify/Order/2",
    ]);
  });

  it("ungrouped files: children may come later or even first", async () => {
    const nodes = await collect(
      assembleBulkOrders([line(21, 2), order(1), order(2), line(11, 1), line(22, 2)], { grouped: false }),
    );
    expect(nodes.map((node) => (node.lineItems as { nodes: unknown[] }).nodes.length)).toEqual([1, 2]);
  });

  it("refuses a child after its parent was handed out, or without a parent", async () => {
    await expect(collect(assembleBulkOrders([order(1), order(2), line(11, 1)]))).rejects.toThrow(/after its parent/);
    await expect(collect(assembleBulkOrders([order(1), line(99, 9)]))).rejects.toThrow(/missing parents/);
  });

  it("knows which orders need their shipment details fetched", () => {
    expect(bulkOrderNeedsDetails({ fulfillments: [], refunds: [] })).toBe(false);
    expect(bulkOrderNeedsDetails({ fulfillments: [{ id: "x" }], refunds: [] })).toBe(true);
    expect(bulkOrderNeedsDetails({ fulfillments: [], refunds: [{ id: "y" }] })).toBe(true);
  });
});

// --- The emulator: one store state, both shapes ----------------------------------------------

const SHOP = DEFAULT_SEED_SHOPS[0]!.domain;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL response JSON, checked by the mappers
type Json = any;

// Every seeded order through the emulator's HTTP GraphQL and both mappings: 1-4 s each on a busy
// machine, too close to the 5 s default.
describe("webhooks and GraphQL agree on the emulator's orders and customers", { timeout: 30_000 }, () => {
  let emulator: StoreEmulator;
  let shopFetch: ReturnType<typeof shopFetcher>;
  let token: string;

  beforeAll(async () => {
    emulator = await startStoreEmulator({
      app: { apiKey: "mapping-key", apiSecret: "mapping-secret", url: "http://127.0.0.1:9" },
      seed: { ordersPerShop: 60, customersPerShop: 15, shops: [DEFAULT_SEED_SHOPS[0]!], now: "2026-11-01T12:00:00Z" },
      bulkStepDelayMs: 0,
    });
    shopFetch = shopFetcher(emulator.url);
    token = emulator.accessToken(SHOP);
  });

  afterAll(async () => {
    await shopFetch?.close();
    await emulator?.close();
  });

  async function graphql(query: string, variables?: Record<string, unknown>): Promise<Json> {
    // Rate limits are not under test here: start every call with a full bucket.
    emulator.setThrottle(SHOP, 2000);
    const response = await shopFetch(`https://${SHOP}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": token },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Json;
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  async function graphqlOrders(ids: string[]): Promise<Map<string, ShopifyOrderSnapshot>> {
    const snapshots = new Map<string, ShopifyOrderSnapshot>();
    for (let start = 0; start < ids.length; start += ORDERS_BY_IDS_BATCH_SIZE) {
      const data = await graphql(ORDERS_BY_IDS_QUERY, { ids: ids.slice(start, start + ORDERS_BY_IDS_BATCH_SIZE) });
      for (const node of data.nodes) snapshots.set(node.id, orderSnapshotFromGraphql(node));
    }
    return snapshots;
  }

  async function graphqlDetails(ids: string[]): Promise<Map<string, OrderDetails>> {
    const details = new Map<string, OrderDetails>();
    for (let start = 0; start < ids.length; start += ORDER_DETAILS_BATCH_SIZE) {
      const data = await graphql(ORDER_DETAILS_BY_IDS_QUERY, {
        ids: ids.slice(start, start + ORDER_DETAILS_BATCH_SIZE),
      });
      for (const node of data.nodes) details.set(node.id, orderDetailsFromGraphql(node));
    }
    return details;
  }

  /** Every webhook Shopify would have sent for this order's current state, in an awkward order. */
  function webhookState(order: OrderRecord): ShopifyOrderSnapshot {
    const state = emulator.shop(SHOP).state;
    const json = (payload: unknown) => parseShopifyJson(JSON.stringify(payload));
    let snapshot = mergeOrderSnapshots(null, orderSnapshotFromWebhook(json(orderPayload(state, order))));
    for (const fulfillment of [...order.fulfillments].reverse()) {
      for (const event of [...fulfillment.events].reverse()) {
        const update = fulfillmentEventFromWebhook(json(fulfillmentEventPayload(state, order, fulfillment, event)))!;
        snapshot = mergeFulfillmentEvent(snapshot, update.fulfillmentId, update.event, update.estimatedDeliveryAt);
      }
      snapshot = mergeFulfillment(
        snapshot,
        fulfillmentFromWebhook(json(fulfillmentPayload(state, order, fulfillment))).fulfillment,
      );
    }
    for (const refund of order.refunds)
      snapshot = mergeRefund(snapshot, refundFromWebhook(json(refundPayload(state, order, refund))).refund);
    return snapshot;
  }

  /**
   * The documented differences: REST never says when an order was paid, and has no display
   * status for a fulfillment no carrier reported on (GraphQL: FULFILLED).
   */
  function comparable(snapshot: ShopifyOrderSnapshot): ShopifyOrderSnapshot {
    return {
      ...snapshot,
      payment: { ...snapshot.payment, paidAt: null },
      fulfillments: snapshot.fulfillments.map((fulfillment) => ({
        ...fulfillment,
        displayStatus:
          fulfillment.events.length === 0 && fulfillment.displayStatus === "FULFILLED"
            ? null
            : fulfillment.displayStatus,
      })),
    };
  }

  it("covers every seeded order state", () => {
    const kinds = new Set(emulator.shop(SHOP).orders().map(describeOrderState));
    for (const kind of SEED_ORDER_KINDS) expect(kinds).toContain(kind);
  });

  it("orderSnapshotFromWebhook + merges = orderSnapshotFromGraphql, for every order", async () => {
    const orders = emulator.shop(SHOP).orders();
    const fromGraphql = await graphqlOrders(orders.map((order) => `gid://shopify/Order/${order.id}`));
    for (const order of orders) {
      const graphqlSnapshot = fromGraphql.get(`gid://shopify/Order/${order.id}`)!;
      expect(graphqlSnapshot.payment.paidAt === null).toBe(["PENDING", "VOIDED"].includes(order.financialStatus));
      expect({ state: describeOrderState(order), ...comparable(webhookState(order)) }).toEqual({
        state: describeOrderState(order),
        ...comparable(graphqlSnapshot),
      });
      // A GraphQL resync on top of the webhook state changes nothing but what only GraphQL knows.
      expect(mergeOrderSnapshots(webhookState(order), graphqlSnapshot)).toEqual(
        mergeOrderSnapshots(null, graphqlSnapshot),
      );
    }
  });

  it("webhooks applied out of order and twice leave the same final state", async () => {
    const state = emulator.shop(SHOP).state;
    const order = emulator.createOrder(SHOP, { customer: emulator.shop(SHOP).customers()[0]!.id });
    const placed = orderSnapshotFromWebhook(orderPayload(state, order));
    emulator.fulfill(SHOP, { order: order.name, carrier: "UPS", trackingNumber: "1Z999" });
    emulator.addFulfillmentEvent(SHOP, {
      order: order.name,
      status: "IN_TRANSIT",
      estimatedDeliveryAt: "2026-11-09T12:00:00Z",
    });
    emulator.addFulfillmentEvent(SHOP, { order: order.name, status: "DELIVERED" });
    emulator.refund(SHOP, { order: order.name, amount: "5.00" });
    const fulfillment = order.fulfillments[0]!;
    const latest = orderSnapshotFromWebhook(orderPayload(state, order));
    const events = fulfillment.events.map((event) =>
      fulfillmentEventFromWebhook(fulfillmentEventPayload(state, order, fulfillment, event))!,
    );
    const rest = fulfillmentFromWebhook(fulfillmentPayload(state, order, fulfillment)).fulfillment;
    const refund = refundFromWebhook(refundPayload(state, order, order.refunds[0]!)).refund;

    type Step = (snapshot: ShopifyOrderSnapshot) => ShopifyOrderSnapshot;
    const steps: Step[] = [
      (snapshot) => mergeOrderSnapshots(snapshot, latest),
      (snapshot) => mergeOrderSnapshots(snapshot, placed),
      ...events.map(
        (update): Step =>
          (snapshot) =>
            mergeFulfillmentEvent(snapshot, update.fulfillmentId, update.event, update.estimatedDeliveryAt),
      ),
      (snapshot) => mergeFulfillment(snapshot, rest),
      (snapshot) => mergeRefund(snapshot, refund),
    ];
    const run = (order: Step[]) => order.reduce((snapshot, step) => step(snapshot), placed);
    const forward = run([...steps, ...steps]);
    const backward = run([...steps].reverse());
    expect(backward).toEqual(forward);
    const [graphqlSnapshot] = (await graphqlOrders([`gid://shopify/Order/${order.id}`])).values();
    expect(comparable(forward)).toEqual(comparable(graphqlSnapshot!));
    expect(forward.fulfillments[0]).toMatchObject({
      displayStatus: "DELIVERED",
      estimatedDeliveryAt: "2026-11-09T12:00:00Z",
      deliveredAt: expect.stringMatching(/Z$/),
    });
  });

  it("a bulk backfill plus ORDERS_BY_IDS for shipment details matches the store exactly", async () => {
    const lines = await runBulk(BULK_ORDERS_QUERY);
    const orders = emulator.shop(SHOP).orders();
    const complete = await graphqlOrders(orders.map((order) => `gid://shopify/Order/${order.id}`));
    let assembled = 0;
    const needDetails: string[] = [];
    for await (const node of assembleBulkOrders(lines)) {
      assembled++;
      const snapshot = orderSnapshotFromGraphql(node);
      if (bulkOrderNeedsDetails(node)) needDetails.push(snapshot.id);
      else expect(snapshot).toEqual(complete.get(snapshot.id));
      // What the bulk export carries is already right for every order.
      const full = complete.get(snapshot.id)!;
      expect(withoutShipmentDetails(snapshot)).toEqual(withoutShipmentDetails(full));
    }
    expect(assembled).toBe(orders.length);
    expect(needDetails.length).toBeGreaterThan(0);
    const details = await graphqlOrders(needDetails);
    for (const id of needDetails) expect(details.get(id)).toEqual(complete.get(id));
  });

  it("a bulk backfill plus ORDER_DETAILS_BY_IDS merged in equals the whole order, in every state", async () => {
    const lines = await runBulk(BULK_ORDERS_QUERY);
    const orders = emulator.shop(SHOP).orders();
    const states = new Map(orders.map((order) => [`gid://shopify/Order/${order.id}`, describeOrderState(order)]));
    const complete = await graphqlOrders([...states.keys()]);
    // Stored as the backfill stores it (saveOrderVersions merges onto nothing).
    const exported = new Map<string, ShopifyOrderSnapshot>();
    for await (const node of assembleBulkOrders(lines))
      if (bulkOrderNeedsDetails(node)) {
        const snapshot = mergeOrderSnapshots(null, orderSnapshotFromGraphql(node));
        exported.set(snapshot.id, snapshot);
      }
    const details = await graphqlDetails([...exported.keys()]);
    expect(details.size).toBe(exported.size);
    const kinds = new Set([...exported.keys()].map((id) => states.get(id)));
    for (const kind of SEED_ORDER_KINDS) if (kind !== "unfulfilled") expect(kinds).toContain(kind);
    for (const [id, bulk] of exported) {
      const detail = details.get(id)!;
      const full = complete.get(id)!;
      expect(orderDetailsCover(bulk, detail)).toBe(true);
      const merged = mergeOrderDetails(bulk, detail);
      expect({ state: states.get(id), ...merged }).toEqual({ state: states.get(id), ...full });
      // Idempotent, and a no-op on an order that is already whole.
      expect(mergeOrderDetails(merged, detail)).toEqual(merged);
      expect(mergeOrderDetails(full, detail)).toEqual(full);
    }
  });

  it("details that miss a fulfillment or a refund, or describe a newer order, do not cover it", async () => {
    const order = emulator
      .shop(SHOP)
      .orders()
      .find((candidate) => candidate.fulfillments.length > 0 && candidate.refunds.length > 0)!;
    const id = `gid://shopify/Order/${order.id}`;
    const snapshot = (await graphqlOrders([id])).get(id)!;
    const detail = (await graphqlDetails([id])).get(id)!;
    expect(orderDetailsCover(snapshot, detail)).toBe(true);
    expect(orderDetailsCover(snapshot, { ...detail, fulfillments: [] })).toBe(false);
    expect(orderDetailsCover(snapshot, { ...detail, refunds: [] })).toBe(false);
    expect(orderDetailsCover(snapshot, { ...detail, updatedAt: "2099-01-01T00:00:00Z" })).toBe(false);
  });

  it("reconcile lists changed orders 50 a page, by updatedAt", async () => {
    const since = "2026-10-25T00:00:00Z";
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const data: Json = await graphql(ORDERS_UPDATED_SINCE_QUERY, { after, query: updatedSinceSearch(since) });
      seen.push(...data.orders.nodes.map((node: Json) => node.id));
      expect(data.orders.nodes.length).toBeLessThanOrEqual(50);
      after = data.orders.pageInfo.hasNextPage ? data.orders.pageInfo.endCursor : null;
    } while (after);
    const expected = emulator
      .shop(SHOP)
      .orders()
      .filter((order) => Date.parse(order.updatedAt) >= Date.parse(since))
      .map((order) => `gid://shopify/Order/${order.id}`);
    expect(new Set(seen)).toEqual(new Set(expected));
  });

  it("customers: webhook and GraphQL agree; bulk and paged GraphQL agree", async () => {
    const state = emulator.shop(SHOP).state;
    const data = await graphql(CUSTOMERS_UPDATED_SINCE_QUERY, { after: null, query: updatedSinceSearch("2000-01-01") });
    const paged = new Map<string, ShopifyCustomerSnapshot>(
      data.customers.nodes.map((node: Json) => [node.id, customerFromGraphql(node)]),
    );
    expect(paged.size).toBe(emulator.shop(SHOP).customers().length);
    for (const customer of emulator.shop(SHOP).customers()) {
      const fromGraphql = paged.get(`gid://shopify/Customer/${customer.id}`)!;
      const fromWebhook = customerFromWebhook(parseShopifyJson(JSON.stringify(customerPayload(state, customer))));
      expect(fromWebhook).toEqual({
        ...fromGraphql,
        tags: null,
        locale: null,
        numberOfOrders: null,
        amountSpent: null,
      });
      expect(mergeCustomerSnapshots(fromGraphql, fromWebhook)).toEqual(fromGraphql);
      expect(fromGraphql.email).toBe(customer.email?.toLowerCase() ?? null);
    }
    const lines = await runBulk(BULK_CUSTOMERS_QUERY);
    let count = 0;
    for await (const node of assembleBulkCustomers(lines)) {
      const snapshot = customerFromGraphql(node);
      expect(snapshot).toEqual(paged.get(snapshot.id));
      count++;
    }
    expect(count).toBe(paged.size);
  });

  async function runBulk(query: string): Promise<object[]> {
    const started = await graphql(BULK_OPERATION_RUN, { query });
    expect(started.bulkOperationRunQuery.userErrors).toEqual([]);
    await emulator.waitForBulkOperations();
    const { bulkOperation } = await graphql(BULK_OPERATION_BY_ID, {
      id: started.bulkOperationRunQuery.bulkOperation.id,
    });
    expect(bulkOperation.status).toBe("COMPLETED");
    const text = await (await shopFetch(bulkOperation.url)).text();
    return text
      .split("\n")
      .filter(Boolean)
      .map((line) => parseShopifyJson(line) as object);
  }
});

/** A bulk export cannot reach carrier events, fulfillment line items or refund line items. */
function withoutShipmentDetails(snapshot: ShopifyOrderSnapshot) {
  return {
    ...snapshot,
    fulfillments: snapshot.fulfillments.map(
      ({ events: _events, lineItems: _lines, requiresShipping: _shipping, ...rest }) => rest,
    ),
    refunds: snapshot.refunds.map(({ lineItems: _lines, ...rest }) => rest),
  };
}
