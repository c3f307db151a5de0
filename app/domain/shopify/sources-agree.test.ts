import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_SEED_SHOPS,
  describeOrderState,
  SEED_ORDER_KINDS,
  startStoreEmulator,
  type StoreEmulator,
} from "../../../dev/store-emulator/index.ts";
import {
  customerPayload,
  fulfillmentEventPayload,
  fulfillmentPayload,
  orderPayload,
  refundPayload,
} from "../../../dev/store-emulator/payloads.ts";
import { shopFetcher } from "../../../dev/store-emulator/testing.ts";
import type { OrderRecord } from "../../../dev/store-emulator/model.ts";
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
} from "../../services/shopify/order-documents";
import { describeOrderStatus } from "../order-status";
import { assembleBulkCustomers, assembleBulkOrders, bulkOrderNeedsDetails } from "./bulk";
import { customerFromGraphql, customerFromWebhook } from "./customer-mapping";
import { parseShopifyJson } from "./ids";
import {
  mergeCustomerSnapshots,
  mergeFulfillment,
  mergeFulfillmentEvent,
  mergeOrderDetails,
  mergeOrderSnapshots,
  mergeRefund,
  orderDetailsCover,
} from "./merges";
import {
  fulfillmentEventFromWebhook,
  fulfillmentFromWebhook,
  orderDetailsFromGraphql,
  orderSnapshotFromGraphql,
  orderSnapshotFromWebhook,
  refundFromWebhook,
} from "./order-mapping";
import type { OrderDetails, ShopifyCustomerSnapshot, ShopifyOrderSnapshot } from "./snapshots";

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

  it("a bulk export alone gives every order its shopper status and label, before any details fetch", async () => {
    // A gift card sent with a tracking number: Shopify's own flag on the fulfillment says it
    // requires shipping, its items say otherwise, and only the details carry the items.
    const parcel = emulator
      .shop(SHOP)
      .orders()
      .find((order) => describeOrderState(order) === "in_transit")!;
    for (const item of parcel.lineItems) item.requiresShipping = false;
    const lines = await runBulk(BULK_ORDERS_QUERY);
    const orders = emulator.shop(SHOP).orders();
    const complete = await graphqlOrders(orders.map((order) => `gid://shopify/Order/${order.id}`));
    const states = new Map(orders.map((order) => [`gid://shopify/Order/${order.id}`, describeOrderState(order)]));
    let compared = 0;
    for await (const node of assembleBulkOrders(lines)) {
      const exported = mergeOrderSnapshots(null, orderSnapshotFromGraphql(node));
      const full = complete.get(exported.id)!;
      // The detail line ("1 of 2 items shipped") needs fulfillment lines: it is right once the
      // details are fetched, which opening the order does (services/sync/order-timeline.server.ts).
      const { status, label } = describeOrderStatus(exported);
      expect({ state: states.get(exported.id), status, label }).toEqual({
        state: states.get(exported.id),
        status: describeOrderStatus(full).status,
        label: describeOrderStatus(full).label,
      });
      compared++;
    }
    expect(compared).toBe(orders.length);
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
