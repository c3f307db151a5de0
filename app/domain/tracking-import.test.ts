import { describe, expect, it } from "vitest";
import type { FulfillmentSnapshot, OrderSnapshot } from "./order-snapshot";
import { orderActivityAt, RECENT_ORDER_DAYS, recentOrdersSince, trackingImportOrder } from "./tracking-import";

const NOW = new Date("2026-11-30T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

function fulfillment(createdAt: string): FulfillmentSnapshot {
  return {
    id: `gid://shopify/Fulfillment/${createdAt}`,
    name: null,
    createdAt,
    updatedAt: createdAt,
    status: "SUCCESS",
    displayStatus: "IN_TRANSIT",
    deliveredAt: null,
    estimatedDeliveryAt: null,
    requiresShipping: true,
    tracking: [],
    lineItems: [],
    events: [],
  };
}

function order(createdAt: string, fulfilledAt: string[] = []): Pick<OrderSnapshot, "createdAt" | "fulfillments"> {
  return { createdAt, fulfillments: fulfilledAt.map(fulfillment) };
}

describe("orderActivityAt", () => {
  it("is when the order was placed while nothing shipped", () => {
    expect(orderActivityAt(order(daysAgo(100))).toISOString()).toBe(daysAgo(100));
  });
  it("is the latest shipment when one went out later, so an old order shipped last week counts as recent", () => {
    expect(orderActivityAt(order(daysAgo(100), [daysAgo(90), daysAgo(7)])).toISOString()).toBe(daysAgo(7));
  });
  it("ignores a shipment time it cannot read rather than failing the import", () => {
    expect(orderActivityAt(order(daysAgo(100), ["not a date"])).toISOString()).toBe(daysAgo(100));
  });
});

describe("recentOrdersSince", () => {
  it(`starts ${RECENT_ORDER_DAYS} days before now`, () => {
    expect(RECENT_ORDER_DAYS).toBe(60);
    expect(recentOrdersSince(NOW).toISOString()).toBe(daysAgo(60));
  });
});

describe("trackingImportOrder", () => {
  const orders = [
    { id: "placed-long-ago", activityAt: new Date(daysAgo(170)) },
    { id: "placed-old-shipped-recently", activityAt: new Date(daysAgo(3)) },
    { id: "placed-yesterday", activityAt: new Date(daysAgo(1)) },
    { id: "placed-61-days-ago", activityAt: new Date(daysAgo(61)) },
    { id: "placed-59-days-ago", activityAt: new Date(daysAgo(59)) },
  ];

  it("puts recent orders first, newest first, then the rest newest first", () => {
    expect([...orders].sort(trackingImportOrder).map((entry) => entry.id)).toEqual([
      "placed-yesterday",
      "placed-old-shipped-recently",
      "placed-59-days-ago",
      "placed-61-days-ago",
      "placed-long-ago",
    ]);
  });
  it("keeps a fixed order for equal times", () => {
    const same = new Date(daysAgo(5));
    const tied = [
      { id: "b", activityAt: same },
      { id: "a", activityAt: same },
    ];
    expect([...tied].sort(trackingImportOrder).map((entry) => entry.id)).toEqual(["a", "b"]);
  });
});
