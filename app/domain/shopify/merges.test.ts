import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildFulfillment, buildFulfillmentEvent, buildOrder, buildRefund, money } from "../order-snapshot";
import { customerFromWebhook } from "./customer-mapping";
import { parseShopifyJson } from "./ids";
import {
  mergeCustomerSnapshots,
  mergeFulfillment,
  mergeFulfillmentEvent,
  mergeOrderSnapshots,
  mergeRefund,
} from "./merges";
import type { ShopifyCustomerSnapshot, ShopifyOrderSnapshot } from "./snapshots";

const fixtureText = (topic: string) =>
  readFileSync(new URL(`../../../tests/fixtures/webhooks/${topic}.json`, import.meta.url), "utf8");
/** Exact ids, as a webhook handler should parse. */
const fixture = (topic: string) => parseShopifyJson(fixtureText(topic));

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
