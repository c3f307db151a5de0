import { describe, expect, it } from "vitest";
import {
  buildFulfillment,
  buildFulfillmentEvent,
  buildLineItem,
  buildOrder,
  buildRefund,
  buildTracking,
  money,
  type OrderSnapshot,
} from "./order-snapshot";
import { orderTimeline, timelineEventLabelEn, type TimelineEvent } from "./order-timeline";

const shirt = buildLineItem({ id: "gid://shopify/LineItem/11", title: "Linen shirt", fulfillableQuantity: 0 });

/** Placed Monday, paid a minute later, shipped Tuesday with UPS, scanned Wednesday, delivered Thursday. */
function deliveredOrder(overrides: Partial<OrderSnapshot> = {}): OrderSnapshot {
  return buildOrder({
    id: "gid://shopify/Order/1001",
    processedAt: "2026-03-02T09:00:00Z",
    payment: { gatewayNames: ["shopify_payments"], paidAt: "2026-03-02T09:01:00Z" },
    lineItems: [shirt],
    fulfillmentStatus: "FULFILLED",
    fulfillments: [
      buildFulfillment({
        id: "gid://shopify/Fulfillment/21",
        name: "#1001-F1",
        createdAt: "2026-03-03T15:00:00Z",
        displayStatus: "DELIVERED",
        tracking: [buildTracking({ company: "ups", number: "1Z999AA10123456784", url: null })],
        lineItems: [{ lineItemId: shirt.id, quantity: 1 }],
        // Deliberately out of order, as a webhook-fed store can hold them.
        events: [
          buildFulfillmentEvent({
            id: "gid://shopify/FulfillmentEvent/33",
            status: "DELIVERED",
            happenedAt: "2026-03-05T11:20:00Z",
            message: "Left at front door",
            city: "Lyon",
            country: "FR",
          }),
          buildFulfillmentEvent({
            id: "gid://shopify/FulfillmentEvent/31",
            status: "IN_TRANSIT",
            happenedAt: "2026-03-04T06:00:00Z",
            city: "Paris",
            province: "Île-de-France",
            country: "FR",
          }),
          buildFulfillmentEvent({
            id: "gid://shopify/FulfillmentEvent/32",
            status: "OUT_FOR_DELIVERY",
            happenedAt: "2026-03-05T07:45:00Z",
          }),
        ],
      }),
    ],
    ...overrides,
  });
}

const kinds = (events: TimelineEvent[]) =>
  events.map((event) => (event.kind === "carrier_update" ? `carrier:${event.status}` : event.kind));

describe("orderTimeline", () => {
  it("tells the whole journey oldest first, whatever order the events arrived in", () => {
    expect(kinds(orderTimeline(deliveredOrder()))).toEqual([
      "order_placed",
      "payment_received",
      "shipment_created",
      "carrier:IN_TRANSIT",
      "carrier:OUT_FOR_DELIVERY",
      "carrier:DELIVERED",
    ]);
  });

  it("gives the shipment its carrier, tracking number and a link even when Shopify had none", () => {
    const shipment = orderTimeline(deliveredOrder()).find((event) => event.kind === "shipment_created");
    expect(shipment).toMatchObject({
      fulfillmentName: "#1001-F1",
      itemCount: 1,
      tracking: [
        { carrier: "UPS", number: "1Z999AA10123456784", url: "https://www.ups.com/track?tracknum=1Z999AA10123456784" },
      ],
    });
  });

  it("keeps an unknown carrier's name and number without inventing a link", () => {
    const order = deliveredOrder({
      fulfillments: [
        buildFulfillment({ tracking: [buildTracking({ company: "Coursier Lyonnais", number: "CL-4471", url: null })] }),
      ],
    });
    const shipment = orderTimeline(order).find((event) => event.kind === "shipment_created");
    expect(shipment).toMatchObject({ tracking: [{ carrier: "Coursier Lyonnais", number: "CL-4471", url: null }] });
  });

  it("lists every tracking number of a multi-parcel fulfillment and drops empty ones", () => {
    const order = deliveredOrder({
      fulfillments: [
        buildFulfillment({
          tracking: [
            buildTracking({ company: "DHL Express", number: "1234567890" }),
            buildTracking({ company: "DHL Express", number: "1234567891" }),
            buildTracking({ company: "DHL Express", number: null, url: null }),
          ],
        }),
      ],
    });
    const shipment = orderTimeline(order).find((event) => event.kind === "shipment_created");
    expect(shipment?.kind === "shipment_created" && shipment.tracking.map((link) => link.number)).toEqual([
      "1234567890",
      "1234567891",
    ]);
  });

  it("shows where and what the carrier reported", () => {
    const inTransit = orderTimeline(deliveredOrder()).find(
      (event) => event.kind === "carrier_update" && event.status === "IN_TRANSIT",
    );
    expect(inTransit).toMatchObject({
      location: "Paris, Île-de-France, FR",
      message: null,
      fulfillmentId: "gid://shopify/Fulfillment/21",
    });
    const delivered = orderTimeline(deliveredOrder()).at(-1);
    expect(delivered).toMatchObject({ location: "Lyon, FR", message: "Left at front door" });
  });

  it("builds ids from the Shopify records, unique and identical on every call", () => {
    const first = orderTimeline(deliveredOrder());
    const ids = first.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(orderTimeline(deliveredOrder()).map((event) => event.id)).toEqual(ids);
    expect(ids).toContain("carrier_update:gid://shopify/FulfillmentEvent/32");
  });

  it("shows a carrier event delivered twice by a webhook replay only once", () => {
    const order = deliveredOrder();
    const fulfillment = order.fulfillments[0]!;
    const replayed = {
      ...order,
      fulfillments: [{ ...fulfillment, events: [...fulfillment.events, fulfillment.events[0]!] }],
    };
    expect(orderTimeline(replayed)).toHaveLength(orderTimeline(order).length);
  });

  it("orders equal timestamps the same way whatever the input order", () => {
    const sameTime = "2026-03-04T06:00:00Z";
    const events = [
      buildFulfillmentEvent({ id: "gid://shopify/FulfillmentEvent/52", status: "IN_TRANSIT", happenedAt: sameTime }),
      buildFulfillmentEvent({
        id: "gid://shopify/FulfillmentEvent/51",
        status: "CARRIER_PICKED_UP",
        happenedAt: sameTime,
      }),
      buildFulfillmentEvent({ id: "gid://shopify/FulfillmentEvent/53", status: "LABEL_PRINTED", happenedAt: sameTime }),
    ];
    const withEvents = (list: typeof events) =>
      deliveredOrder({
        processedAt: sameTime,
        payment: { gatewayNames: [], paidAt: sameTime },
        fulfillments: [buildFulfillment({ id: "gid://shopify/Fulfillment/22", createdAt: sameTime, events: list })],
      });
    const forwards = orderTimeline(withEvents(events));
    expect(kinds(forwards)).toEqual([
      "order_placed",
      "payment_received",
      "shipment_created",
      "carrier:LABEL_PRINTED",
      "carrier:CARRIER_PICKED_UP",
      "carrier:IN_TRANSIT",
    ]);
    expect(orderTimeline(withEvents([...events].reverse()))).toEqual(forwards);
  });

  it("orders two parcels shipped and scanned at the same moment by their ids, whatever the input order", () => {
    const at = "2026-03-03T15:00:00Z";
    const parcelFor = (n: number) =>
      buildFulfillment({
        id: `gid://shopify/Fulfillment/${n}`,
        createdAt: at,
        events: [
          buildFulfillmentEvent({ id: `gid://shopify/FulfillmentEvent/${n}`, status: "IN_TRANSIT", happenedAt: at }),
        ],
      });
    const ids = (fulfillments: ReturnType<typeof parcelFor>[]) =>
      orderTimeline(deliveredOrder({ fulfillments }))
        .map((event) => event.id)
        .slice(-4);
    expect(ids([parcelFor(62), parcelFor(61)])).toEqual([
      "shipment_created:gid://shopify/Fulfillment/61",
      "shipment_created:gid://shopify/Fulfillment/62",
      "carrier_update:gid://shopify/FulfillmentEvent/61",
      "carrier_update:gid://shopify/FulfillmentEvent/62",
    ]);
    expect(ids([parcelFor(61), parcelFor(62)])).toEqual(ids([parcelFor(62), parcelFor(61)]));
  });

  it("sorts by the instant, normalising Shopify's local offsets to UTC", () => {
    const order = deliveredOrder({
      fulfillments: [
        buildFulfillment({
          createdAt: "2026-03-03T10:00:00-05:00",
          events: [
            buildFulfillmentEvent({ status: "OUT_FOR_DELIVERY", happenedAt: "2026-03-03T23:30:00Z" }),
            buildFulfillmentEvent({ status: "IN_TRANSIT", happenedAt: "2026-03-04T01:00:00+02:00" }),
          ],
        }),
      ],
    });
    const timeline = orderTimeline(order);
    expect(kinds(timeline).slice(-3)).toEqual(["shipment_created", "carrier:IN_TRANSIT", "carrier:OUT_FOR_DELIVERY"]);
    expect(timeline.find((event) => event.kind === "shipment_created")?.at).toBe("2026-03-03T15:00:00.000Z");
  });

  it("leaves out payment when its time is unknown, and entries whose time cannot be read", () => {
    const order = deliveredOrder({
      payment: { gatewayNames: ["manual"], paidAt: null },
      refunds: [buildRefund({ createdAt: null }), buildRefund({ createdAt: "not a date" })],
    });
    const timeline = kinds(orderTimeline(order));
    expect(timeline).not.toContain("payment_received");
    expect(timeline).not.toContain("refund_issued");
    expect(timeline).toEqual([
      "order_placed",
      "shipment_created",
      "carrier:IN_TRANSIT",
      "carrier:OUT_FOR_DELIVERY",
      "carrier:DELIVERED",
    ]);
  });

  it("places a refund after delivery with its amount", () => {
    const order = deliveredOrder({
      financialStatus: "PARTIALLY_REFUNDED",
      refunds: [
        buildRefund({
          id: "gid://shopify/Refund/71",
          createdAt: "2026-03-09T14:00:00Z",
          amount: money("45.00", "EUR"),
          lineItems: [{ lineItemId: shirt.id, quantity: 1 }],
        }),
      ],
    });
    expect(orderTimeline(order).at(-1)).toMatchObject({
      kind: "refund_issued",
      id: "refund_issued:gid://shopify/Refund/71",
      amount: { amount: "45.00", currencyCode: "EUR" },
      itemCount: 1,
    });
  });

  it("records a cancellation with a shopper-facing reason, then the refund issued with it", () => {
    const cancelledAt = "2026-03-02T12:00:00Z";
    const order = buildOrder({
      processedAt: "2026-03-02T09:00:00Z",
      payment: { gatewayNames: ["shopify_payments"], paidAt: "2026-03-02T09:01:00Z" },
      cancelledAt,
      cancelReason: "INVENTORY",
      financialStatus: "REFUNDED",
      refunds: [buildRefund({ createdAt: cancelledAt, amount: money("89.99") })],
    });
    const timeline = orderTimeline(order);
    expect(kinds(timeline)).toEqual(["order_placed", "payment_received", "order_cancelled", "refund_issued"]);
    expect(timeline[2]).toMatchObject({ reason: "INVENTORY", reasonText: "Items unavailable" });
  });

  it("shows a cancelled shipment after it was created", () => {
    const order = deliveredOrder({
      fulfillments: [
        buildFulfillment({
          id: "gid://shopify/Fulfillment/23",
          status: "CANCELLED",
          displayStatus: "CANCELED",
          createdAt: "2026-03-03T15:00:00Z",
          updatedAt: "2026-03-03T17:30:00Z",
        }),
      ],
    });
    expect(kinds(orderTimeline(order)).slice(-2)).toEqual(["shipment_created", "shipment_cancelled"]);
  });

  it("shows a delivery the merchant marked without a carrier event, as picked up for local pickup", () => {
    const pickup = deliveredOrder({
      fulfillments: [
        buildFulfillment({
          displayStatus: "PICKED_UP",
          deliveredAt: "2026-03-04T16:00:00Z",
          tracking: [],
          events: [],
        }),
      ],
    });
    const last = orderTimeline(pickup).at(-1)!;
    expect(last).toMatchObject({ kind: "shipment_delivered", pickedUp: true, at: "2026-03-04T16:00:00.000Z" });
    expect(timelineEventLabelEn(last)).toBe("Picked up");
  });

  it("does not add a second delivery entry when the carrier reported it", () => {
    const order = deliveredOrder();
    const withDeliveredAt = {
      ...order,
      fulfillments: [{ ...order.fulfillments[0]!, deliveredAt: "2026-03-05T11:20:00Z" }],
    };
    expect(kinds(orderTimeline(withDeliveredAt))).not.toContain("shipment_delivered");
  });

  it("labels entries in English for the anchor language", () => {
    const labels = orderTimeline(deliveredOrder()).map(timelineEventLabelEn);
    expect(labels).toEqual([
      "Order placed",
      "Payment received",
      "Shipped",
      "In transit",
      "Out for delivery",
      "Delivered",
    ]);
  });

  it("calls a gift card fulfillment fulfilled, not shipped", () => {
    const order = deliveredOrder({ fulfillments: [buildFulfillment({ requiresShipping: false, tracking: [] })] });
    const fulfilled = orderTimeline(order).find((event) => event.kind === "shipment_created")!;
    expect(timelineEventLabelEn(fulfilled)).toBe("Fulfilled");
  });
  it("names each entry after the Shopify record it comes from", () => {
    const order = deliveredOrder({
      cancelledAt: "2026-03-06T10:00:00Z",
      cancelReason: "CUSTOMER",
      fulfillments: [
        buildFulfillment({
          id: "gid://shopify/Fulfillment/22",
          createdAt: "2026-03-03T15:00:00Z",
          deliveredAt: "2026-03-04T16:00:00Z",
          tracking: [],
          events: [
            buildFulfillmentEvent({ id: "gid://shopify/FulfillmentEvent/41", happenedAt: "2026-03-04T08:00:00Z" }),
          ],
        }),
      ],
      refunds: [buildRefund({ id: "gid://shopify/Refund/51", createdAt: "2026-03-06T10:00:00Z" })],
    });
    expect(orderTimeline(order).map((event) => event.id)).toEqual([
      "order_placed:gid://shopify/Order/1001",
      "payment_received:gid://shopify/Order/1001",
      "shipment_created:gid://shopify/Fulfillment/22",
      "carrier_update:gid://shopify/FulfillmentEvent/41",
      "shipment_delivered:gid://shopify/Fulfillment/22",
      "order_cancelled:gid://shopify/Order/1001",
      "refund_issued:gid://shopify/Refund/51",
    ]);
  });

  it("shows a delivery that Shopify knows but the carrier never scanned, as delivered", () => {
    const order = deliveredOrder({
      fulfillments: [
        buildFulfillment({
          displayStatus: "DELIVERED",
          deliveredAt: "2026-03-05T16:00:00Z",
          events: [buildFulfillmentEvent({ status: "IN_TRANSIT", happenedAt: "2026-03-04T08:00:00Z" })],
        }),
      ],
    });
    const last = orderTimeline(order).at(-1)!;
    expect(last).toMatchObject({ kind: "shipment_delivered", pickedUp: false });
    expect(timelineEventLabelEn(last)).toBe("Delivered");
  });

  it("keeps no blank carrier message and trims the location's parts", () => {
    const order = deliveredOrder({
      fulfillments: [
        buildFulfillment({
          events: [
            buildFulfillmentEvent({ message: "   ", city: " Lyon ", province: "  ", country: "FR" }),
            buildFulfillmentEvent({ happenedAt: "2026-03-05T09:00:00Z", city: null, province: " ", country: null }),
          ],
        }),
      ],
    });
    const updates = orderTimeline(order).filter((event) => event.kind === "carrier_update");
    expect(updates).toMatchObject([
      { message: null, location: "Lyon, FR" },
      { message: null, location: null },
    ]);
  });

  it("labels cancellations, refunds and deliveries", () => {
    const at = "2026-03-06T10:00:00.000Z";
    const labels = [
      { id: "a", at, kind: "shipment_delivered", fulfillmentId: "f", pickedUp: false },
      { id: "b", at, kind: "shipment_cancelled", fulfillmentId: "f" },
      { id: "c", at, kind: "order_cancelled", reason: null, reasonText: null },
      { id: "d", at, kind: "refund_issued", refundId: "r", amount: money("5.00"), itemCount: 1 },
    ] satisfies TimelineEvent[];
    expect(labels.map(timelineEventLabelEn)).toEqual([
      "Delivered",
      "Shipment cancelled",
      "Order cancelled",
      "Refund issued",
    ]);
  });

  it("labels every carrier update in English", () => {
    const statuses = [
      ["LABEL_PURCHASED", "Shipping label created"],
      ["LABEL_PRINTED", "Shipping label printed"],
      ["CONFIRMED", "Confirmed by carrier"],
      ["CARRIER_PICKED_UP", "Picked up by carrier"],
      ["IN_TRANSIT", "In transit"],
      ["DELAYED", "Delayed"],
      ["OUT_FOR_DELIVERY", "Out for delivery"],
      ["READY_FOR_PICKUP", "Ready for pickup"],
      ["ATTEMPTED_DELIVERY", "Delivery attempted"],
      ["FAILURE", "Delivery failed"],
      ["DELIVERED", "Delivered"],
    ] as const;
    for (const [status, label] of statuses) {
      const update = orderTimeline(
        deliveredOrder({ fulfillments: [buildFulfillment({ events: [buildFulfillmentEvent({ status })] })] }),
      ).find((event) => event.kind === "carrier_update")!;
      expect(timelineEventLabelEn(update), status).toBe(label);
    }
  });

  it("tells a shipment created and settled in the same minute in the order it happened", () => {
    const at = "2026-03-03T15:00:00Z";
    const cancelledAtOnce = deliveredOrder({
      cancelledAt: at,
      fulfillments: [buildFulfillment({ createdAt: at, updatedAt: at, status: "CANCELLED", events: [] })],
    });
    expect(kinds(orderTimeline(cancelledAtOnce)).slice(2)).toEqual([
      "shipment_created",
      "shipment_cancelled",
      "order_cancelled",
    ]);
    const handedOver = deliveredOrder({
      fulfillments: [buildFulfillment({ createdAt: at, deliveredAt: at, displayStatus: "DELIVERED", events: [] })],
    });
    expect(kinds(orderTimeline(handedOver)).slice(2)).toEqual(["shipment_created", "shipment_delivered"]);
  });

  it("shows each cancelled shipment of an order once", () => {
    const cancelled = (id: string) =>
      buildFulfillment({ id, status: "CANCELLED", displayStatus: "CANCELED", updatedAt: "2026-03-03T18:00:00Z" });
    const order = deliveredOrder({
      fulfillments: [cancelled("gid://shopify/Fulfillment/23"), cancelled("gid://shopify/Fulfillment/24")],
    });
    const ids = orderTimeline(order)
      .filter((event) => event.kind === "shipment_cancelled")
      .map((event) => event.id);
    expect(ids).toEqual([
      "shipment_cancelled:gid://shopify/Fulfillment/23",
      "shipment_cancelled:gid://shopify/Fulfillment/24",
    ]);
  });
});
