import { describe, expect, it } from "vitest";
import {
  buildFulfillment,
  buildFulfillmentEvent,
  buildLineItem,
  buildOrder,
  buildRefund,
  buildTracking,
  money,
  type FulfillmentEventStatus,
  type FulfillmentSnapshot,
  type LineItemSnapshot,
  type OrderSnapshot,
} from "./order-snapshot";
import {
  SHOPPER_ORDER_STATUSES,
  SHOPPER_ORDER_STATUS_LABELS_EN,
  compareIds,
  describeOrderStatus,
  latestFulfillmentEvent,
  shipmentStage,
  shopperOrderStatus,
  type ShopperOrderStatus,
} from "./order-status";

// --- scenario helpers: a store selling a shirt, trousers and a hat ------------------------------

const shirt = (overrides: Partial<LineItemSnapshot> = {}) =>
  buildLineItem({ id: "gid://shopify/LineItem/11", title: "Linen shirt", ...overrides });
const trousers = (overrides: Partial<LineItemSnapshot> = {}) =>
  buildLineItem({ id: "gid://shopify/LineItem/12", title: "Chino trousers", ...overrides });
const hat = (overrides: Partial<LineItemSnapshot> = {}) =>
  buildLineItem({ id: "gid://shopify/LineItem/13", title: "Straw hat", ...overrides });
const giftCard = (overrides: Partial<LineItemSnapshot> = {}) =>
  buildLineItem({ id: "gid://shopify/LineItem/14", title: "Gift card", requiresShipping: false, ...overrides });

/** A line item once its units have left: nothing more to fulfil. */
const shippedLine = (line: LineItemSnapshot): LineItemSnapshot => ({ ...line, fulfillableQuantity: 0 });

/** A parcel carrying the given lines (all their units), with carrier events in the order given. */
function parcel(
  lines: LineItemSnapshot[],
  events: [FulfillmentEventStatus, string][] = [],
  overrides: Partial<FulfillmentSnapshot> = {},
): FulfillmentSnapshot {
  return buildFulfillment({
    lineItems: lines.map((line) => ({ lineItemId: line.id, quantity: line.quantity })),
    events: events.map(([status, happenedAt]) => buildFulfillmentEvent({ status, happenedAt })),
    ...overrides,
  });
}

function order(
  lineItems: LineItemSnapshot[],
  fulfillments: FulfillmentSnapshot[],
  overrides: Partial<OrderSnapshot> = {},
) {
  const allShipped = lineItems.every((line) => line.fulfillableQuantity === 0);
  const fulfillmentStatus =
    fulfillments.length === 0 ? "UNFULFILLED" : allShipped ? "FULFILLED" : "PARTIALLY_FULFILLED";
  return buildOrder({ lineItems, fulfillments, fulfillmentStatus, ...overrides });
}

const DAY1 = "2026-03-02T08:00:00Z";
const DAY2 = "2026-03-03T08:00:00Z";
const DAY3 = "2026-03-04T08:00:00Z";
const DAY4 = "2026-03-05T08:00:00Z";

/** One realistic order per shopper-facing status. */
const scenarios: { name: string; order: OrderSnapshot; status: ShopperOrderStatus }[] = [
  { name: "paid, nothing shipped", order: order([shirt()], []), status: "unfulfilled" },
  {
    name: "sent to the fulfillment service",
    order: order([shirt()], [], { fulfillmentStatus: "IN_PROGRESS" }),
    status: "processing_fulfillment",
  },
  {
    name: "label bought, parcel not handed over",
    order: order([shippedLine(shirt())], [parcel([shirt()], [], { displayStatus: "LABEL_PURCHASED" })]),
    status: "processing_fulfillment",
  },
  {
    name: "fulfilled with tracking, no carrier scan yet",
    order: order([shippedLine(shirt())], [parcel([shirt()])]),
    status: "pending_delivery",
  },
  {
    name: "carrier scanned it in transit",
    order: order([shippedLine(shirt())], [parcel([shirt()], [["IN_TRANSIT", DAY1]])]),
    status: "in_transit",
  },
  {
    name: "out for delivery",
    order: order(
      [shippedLine(shirt())],
      [
        parcel(
          [shirt()],
          [
            ["IN_TRANSIT", DAY1],
            ["OUT_FOR_DELIVERY", DAY2],
          ],
        ),
      ],
    ),
    status: "out_for_delivery",
  },
  {
    name: "nobody home",
    order: order(
      [shippedLine(shirt())],
      [
        parcel(
          [shirt()],
          [
            ["IN_TRANSIT", DAY1],
            ["OUT_FOR_DELIVERY", DAY2],
            ["ATTEMPTED_DELIVERY", DAY3],
          ],
        ),
      ],
    ),
    status: "attempted_delivery",
  },
  {
    name: "waiting at the pickup point",
    order: order([shippedLine(shirt())], [parcel([shirt()], [], { displayStatus: "READY_FOR_PICKUP" })]),
    status: "ready_for_pickup",
  },
  {
    name: "delivered",
    order: order(
      [shippedLine(shirt())],
      [
        parcel(
          [shirt()],
          [
            ["IN_TRANSIT", DAY1],
            ["DELIVERED", DAY2],
          ],
        ),
      ],
    ),
    status: "delivered",
  },
  {
    name: "carrier gave up",
    order: order(
      [shippedLine(shirt())],
      [
        parcel(
          [shirt()],
          [
            ["IN_TRANSIT", DAY1],
            ["FAILURE", DAY2],
          ],
        ),
      ],
    ),
    status: "failed_delivery",
  },
  {
    name: "cancelled before shipping",
    order: order([shirt({ fulfillableQuantity: 0, refundedQuantity: 1 })], [], {
      cancelledAt: DAY1,
      cancelReason: "CUSTOMER",
      financialStatus: "REFUNDED",
    }),
    status: "cancelled",
  },
  {
    name: "delivered, then a damaged item refunded",
    order: order(
      [shippedLine(shirt()), shippedLine(trousers({ refundedQuantity: 1 }))],
      [parcel([shirt(), trousers()], [["DELIVERED", DAY2]])],
      { financialStatus: "PARTIALLY_REFUNDED", totalRefunded: money("45.00"), refunds: [buildRefund()] },
    ),
    status: "partially_refunded",
  },
  {
    name: "delivered, then returned and fully refunded",
    order: order([shippedLine(shirt({ refundedQuantity: 1 }))], [parcel([shirt()], [["DELIVERED", DAY2]])], {
      financialStatus: "REFUNDED",
      totalRefunded: money("89.99"),
    }),
    status: "refunded",
  },
];

describe("shopperOrderStatus: one realistic order per status", () => {
  it.each(scenarios)("$name → $status", ({ order, status }) => {
    expect(shopperOrderStatus(order)).toBe(status);
  });

  it("reaches every status the portal can show", () => {
    expect(new Set(scenarios.map((scenario) => scenario.status))).toEqual(new Set(SHOPPER_ORDER_STATUSES));
  });

  it("gives each status its English label", () => {
    const description = describeOrderStatus(scenarios.find((s) => s.status === "out_for_delivery")!.order);
    expect(description.label).toBe("Out for delivery");
    expect(Object.values(SHOPPER_ORDER_STATUS_LABELS_EN)).toContain("Processing fulfillment");
  });
});

describe("before anything ships", () => {
  it.each(["IN_PROGRESS", "PENDING_FULFILLMENT", "ON_HOLD", "SCHEDULED"] as const)(
    "treats an order %s at Shopify as processing",
    (fulfillmentStatus) => {
      expect(shopperOrderStatus(order([shirt()], [], { fulfillmentStatus }))).toBe("processing_fulfillment");
    },
  );

  it("shows a declined fulfillment request as unfulfilled: the store has to start again", () => {
    expect(shopperOrderStatus(order([shirt()], [], { fulfillmentStatus: "REQUEST_DECLINED" }))).toBe("unfulfilled");
  });

  it("treats a legacy pending third-party fulfillment as processing", () => {
    const pending = parcel([shirt()], [], { status: "PENDING", displayStatus: "SUBMITTED" });
    expect(shopperOrderStatus(order([shippedLine(shirt())], [pending]))).toBe("processing_fulfillment");
  });

  it("ignores a cancelled fulfillment: its items are back to unfulfilled", () => {
    const cancelled = parcel([shirt()], [["IN_TRANSIT", DAY1]], { status: "CANCELLED", displayStatus: "CANCELED" });
    expect(shopperOrderStatus(order([shirt()], [cancelled], { fulfillmentStatus: "UNFULFILLED" }))).toBe("unfulfilled");
  });

  it("ignores a voided label and a failed fulfillment request", () => {
    const voided = parcel([shirt()], [], { displayStatus: "LABEL_VOIDED" });
    const failed = parcel([shirt()], [], { status: "ERROR", displayStatus: null });
    expect(shipmentStage(voided)).toBeNull();
    expect(shipmentStage(failed)).toBeNull();
    expect(shopperOrderStatus(order([shirt()], [voided, failed], { fulfillmentStatus: "UNFULFILLED" }))).toBe(
      "unfulfilled",
    );
  });
});

describe("one parcel", () => {
  it("is pending delivery when marked as fulfilled without tracking", () => {
    const manual = parcel([shirt()], [], { displayStatus: "MARKED_AS_FULFILLED", tracking: [] });
    expect(shopperOrderStatus(order([shippedLine(shirt())], [manual]))).toBe("pending_delivery");
  });

  it("reads the carrier state from displayStatus when no events were synced", () => {
    const cases = [
      ["CARRIER_PICKED_UP", "in_transit"],
      ["DELAYED", "in_transit"],
      ["OUT_FOR_DELIVERY", "out_for_delivery"],
      ["ATTEMPTED_DELIVERY", "attempted_delivery"],
      ["PICKED_UP", "delivered"],
      ["NOT_DELIVERED", "failed_delivery"],
      ["CONFIRMED", "pending_delivery"],
    ] as const;
    for (const [displayStatus, stage] of cases) {
      expect(shipmentStage(parcel([shirt()], [], { displayStatus })), displayStatus).toBe(stage);
    }
  });

  it("uses the latest event even when the input lists events out of order", () => {
    const shuffled = parcel(
      [shirt()],
      [
        ["DELIVERED", DAY3],
        ["IN_TRANSIT", DAY1],
        ["OUT_FOR_DELIVERY", DAY2],
      ],
      { displayStatus: "IN_TRANSIT" },
    );
    expect(shipmentStage(shuffled)).toBe("delivered");
  });

  it("compares event times across UTC offsets, not as strings", () => {
    // 09:00+02:00 is 07:00Z, earlier than the 08:00Z scan even though it sorts later as text.
    const events = parcel(
      [shirt()],
      [
        ["OUT_FOR_DELIVERY", "2026-03-02T08:00:00Z"],
        ["IN_TRANSIT", "2026-03-02T09:00:00+02:00"],
      ],
    );
    expect(shipmentStage(events)).toBe("out_for_delivery");
  });

  it("follows a redelivery after a failed attempt: stages can go backwards", () => {
    const redelivery = parcel(
      [shirt()],
      [
        ["OUT_FOR_DELIVERY", DAY1],
        ["ATTEMPTED_DELIVERY", DAY2],
        ["OUT_FOR_DELIVERY", DAY3],
      ],
    );
    expect(shipmentStage(redelivery)).toBe("out_for_delivery");
  });

  it("breaks a tie between events stamped with the same time by the parcel's life", () => {
    const sameMinute = parcel(
      [shirt()],
      [
        ["DELIVERED", DAY2],
        ["OUT_FOR_DELIVERY", DAY2],
      ],
    );
    expect(shipmentStage(sameMinute)).toBe("delivered");
  });

  it("trusts Shopify's delivered verdict over a truncated event list", () => {
    const delivered = parcel([shirt()], [["IN_TRANSIT", DAY1]], { displayStatus: "DELIVERED", deliveredAt: DAY3 });
    expect(shipmentStage(delivered)).toBe("delivered");
    const deliveredAtOnly = parcel([shirt()], [["IN_TRANSIT", DAY1]], { displayStatus: null, deliveredAt: DAY3 });
    expect(shipmentStage(deliveredAtOnly)).toBe("delivered");
  });

  it("falls back to pending delivery when Shopify says fulfilled but sent no fulfillment record", () => {
    expect(shopperOrderStatus(buildOrder({ lineItems: [shippedLine(shirt())], fulfillmentStatus: "FULFILLED" }))).toBe(
      "pending_delivery",
    );
  });
});

describe("several parcels", () => {
  it("shows the parcel still on its way when another has arrived", () => {
    const description = describeOrderStatus(
      order(
        [shippedLine(shirt()), shippedLine(trousers())],
        [parcel([shirt()], [["DELIVERED", DAY2]]), parcel([trousers()], [["IN_TRANSIT", DAY2]])],
      ),
    );
    expect(description.status).toBe("in_transit");
    expect(description.detail).toBe("1 of 2 packages delivered");
    expect(description.hasUnshippedItems).toBe(false);
  });

  it("shows the least advanced parcel among ordinary states", () => {
    const status = shopperOrderStatus(
      order(
        [shippedLine(shirt()), shippedLine(trousers())],
        [parcel([shirt()], [["OUT_FOR_DELIVERY", DAY3]]), parcel([trousers()], [])],
      ),
    );
    expect(status).toBe("pending_delivery");
  });

  it("shows the slower parcel in transit when the other is already out for delivery", () => {
    // Out for delivery is further along than in transit: the order arrives with its slowest parcel.
    const description = describeOrderStatus(
      order(
        [shippedLine(shirt()), shippedLine(trousers())],
        [parcel([shirt()], [["OUT_FOR_DELIVERY", DAY3]]), parcel([trousers()], [["IN_TRANSIT", DAY2]])],
      ),
    );
    expect(description.status).toBe("in_transit");
    expect(description.detail).toBe("2 packages");
  });

  it("puts a problem first: a failed parcel outranks one in transit and one delivered", () => {
    const status = shopperOrderStatus(
      order(
        [shippedLine(shirt()), shippedLine(trousers()), shippedLine(hat())],
        [
          parcel([shirt()], [["DELIVERED", DAY2]]),
          parcel([trousers()], [["IN_TRANSIT", DAY2]]),
          parcel([hat()], [["FAILURE", DAY3]]),
        ],
      ),
    );
    expect(status).toBe("failed_delivery");
  });

  it("asks the shopper to act: an attempted delivery outranks a parcel ready for pickup and one in transit", () => {
    const status = shopperOrderStatus(
      order(
        [shippedLine(shirt()), shippedLine(trousers()), shippedLine(hat())],
        [
          parcel([shirt()], [["READY_FOR_PICKUP", DAY2]]),
          parcel([trousers()], [["IN_TRANSIT", DAY2]]),
          parcel([hat()], [["ATTEMPTED_DELIVERY", DAY3]]),
        ],
      ),
    );
    expect(status).toBe("attempted_delivery");
  });

  it("is delivered only when every parcel is, and counts the packages", () => {
    const description = describeOrderStatus(
      order(
        [shippedLine(shirt()), shippedLine(trousers())],
        [parcel([shirt()], [["DELIVERED", DAY2]]), parcel([trousers()], [["DELIVERED", DAY3]])],
      ),
    );
    expect(description.status).toBe("delivered");
    expect(description.detail).toBe("2 packages");
  });
});

describe("partial fulfillment", () => {
  it("shows the shipped part's state and says how much is still to ship", () => {
    const description = describeOrderStatus(
      order(
        [shippedLine(shirt()), trousers({ quantity: 2, fulfillableQuantity: 2 })],
        [parcel([shirt()], [["IN_TRANSIT", DAY1]])],
      ),
    );
    expect(description).toMatchObject({
      status: "in_transit",
      hasUnshippedItems: true,
      items: { shipped: 1, unshipped: 2, total: 3 },
      detail: "1 of 3 items shipped",
    });
  });

  it("is still processing, not delivered, when the first parcel arrived and items remain", () => {
    const description = describeOrderStatus(
      order([shippedLine(shirt()), trousers()], [parcel([shirt()], [["DELIVERED", DAY2]])]),
    );
    expect(description.status).toBe("processing_fulfillment");
    expect(description.detail).toBe("1 of 2 items shipped");
  });

  it("counts only the shipped quantity of a line split across parcels", () => {
    const socks = buildLineItem({ id: "gid://shopify/LineItem/15", quantity: 3, fulfillableQuantity: 1 });
    const firstTwo = buildFulfillment({ lineItems: [{ lineItemId: socks.id, quantity: 2 }] });
    expect(describeOrderStatus(order([socks], [firstTwo])).detail).toBe("2 of 3 items shipped");
  });
});

describe("refunds", () => {
  it("keeps showing the parcel in transit after a partial refund, and mentions the refund", () => {
    const description = describeOrderStatus(
      order(
        [shippedLine(shirt()), trousers({ fulfillableQuantity: 0, refundedQuantity: 1 })],
        [parcel([shirt()], [["IN_TRANSIT", DAY1]])],
        { financialStatus: "PARTIALLY_REFUNDED", totalRefunded: money("45.00") },
      ),
    );
    expect(description.status).toBe("in_transit");
    expect(description.isPartiallyRefunded).toBe(true);
    expect(description.detail).toBe("Partially refunded");
  });

  it("keeps showing the parcel still moving after a partial refund when another parcel has arrived", () => {
    const description = describeOrderStatus(
      order(
        [shippedLine(shirt()), shippedLine(trousers()), hat({ fulfillableQuantity: 0, refundedQuantity: 1 })],
        [parcel([shirt()], [["DELIVERED", DAY2]]), parcel([trousers()], [["IN_TRANSIT", DAY2]])],
        { financialStatus: "PARTIALLY_REFUNDED", totalRefunded: money("25.00"), refunds: [buildRefund()] },
      ),
    );
    expect(description.status).toBe("in_transit");
    expect(description.isPartiallyRefunded).toBe(true);
    expect(description.detail).toBe("1 of 2 packages delivered · Partially refunded");
  });

  it("shows partially refunded once every one of several parcels has arrived", () => {
    const status = shopperOrderStatus(
      order(
        [shippedLine(shirt()), shippedLine(trousers()), hat({ fulfillableQuantity: 0, refundedQuantity: 1 })],
        [parcel([shirt()], [["DELIVERED", DAY2]]), parcel([trousers()], [["DELIVERED", DAY3]])],
        { financialStatus: "PARTIALLY_REFUNDED", totalRefunded: money("25.00"), refunds: [buildRefund()] },
      ),
    );
    expect(status).toBe("partially_refunded");
  });

  it("shows partially refunded once the unshipped item was refunded and the rest delivered", () => {
    const status = shopperOrderStatus(
      order(
        [shippedLine(shirt()), trousers({ fulfillableQuantity: 0, refundedQuantity: 1 })],
        [parcel([shirt()], [["DELIVERED", DAY2]])],
        { financialStatus: "PARTIALLY_REFUNDED", totalRefunded: money("45.00") },
      ),
    );
    expect(status).toBe("partially_refunded");
  });

  it("keeps a failed delivery visible despite a partial refund", () => {
    const status = shopperOrderStatus(
      order([shippedLine(shirt())], [parcel([shirt()], [["FAILURE", DAY2]])], {
        financialStatus: "PARTIALLY_REFUNDED",
        totalRefunded: money("5.00"),
      }),
    );
    expect(status).toBe("failed_delivery");
  });

  it("keeps an unfulfilled order unfulfilled after a shipping-fee refund", () => {
    const description = describeOrderStatus(
      order([shirt()], [], { financialStatus: "PARTIALLY_REFUNDED", totalRefunded: money("4.90") }),
    );
    expect(description.status).toBe("unfulfilled");
    expect(description.detail).toBe("Partially refunded");
  });

  it("notices a refund from the amount when the financial status lags behind", () => {
    const status = shopperOrderStatus(
      order([shippedLine(shirt())], [parcel([shirt()], [["DELIVERED", DAY2]])], { totalRefunded: money("10.00") }),
    );
    expect(status).toBe("partially_refunded");
  });

  it("does not treat a zero refund total as a refund", () => {
    const status = shopperOrderStatus(
      order([shippedLine(shirt())], [parcel([shirt()], [["DELIVERED", DAY2]])], { totalRefunded: money("0.00") }),
    );
    expect(status).toBe("delivered");
  });

  it("shows refunded even while a parcel is still in transit", () => {
    const status = shopperOrderStatus(
      order([shippedLine(shirt())], [parcel([shirt()], [["IN_TRANSIT", DAY1]])], { financialStatus: "REFUNDED" }),
    );
    expect(status).toBe("refunded");
  });
});

describe("cancellation", () => {
  it("wins over a partial fulfillment still in transit and explains why", () => {
    const description = describeOrderStatus(
      order([shippedLine(shirt()), trousers()], [parcel([shirt()], [["IN_TRANSIT", DAY1]])], {
        cancelledAt: DAY2,
        cancelReason: "INVENTORY",
        financialStatus: "PARTIALLY_REFUNDED",
      }),
    );
    expect(description.status).toBe("cancelled");
    expect(description.detail).toBe("Items unavailable");
    // The shipped part is still described for the timeline and the "report an issue" options.
    expect(description.shipments).toEqual([expect.objectContaining({ stage: "in_transit", itemCount: 1 })]);
  });

  it("does not tell the shopper an order was cancelled for fraud", () => {
    const description = describeOrderStatus(order([shirt()], [], { cancelledAt: DAY1, cancelReason: "FRAUD" }));
    expect(description.detail).toBe("Cancelled by the store");
  });
});

describe("gift cards and digital goods", () => {
  it("does not count an auto-fulfilled gift card as the order being under way", () => {
    const card = parcel([giftCard()], [], { requiresShipping: false, tracking: [] });
    const description = describeOrderStatus(order([shirt(), shippedLine(giftCard())], [card]));
    expect(description.status).toBe("unfulfilled");
    expect(description.items).toEqual({ shipped: 0, unshipped: 1, total: 1 });
  });

  it("is delivered when only a gift card was bought and fulfilled", () => {
    const card = parcel([giftCard()], [], { requiresShipping: false, tracking: [] });
    expect(shopperOrderStatus(order([shippedLine(giftCard())], [card]))).toBe("delivered");
  });

  it("follows the real parcel and does not call the gift card a package", () => {
    const card = parcel([giftCard()], [], { requiresShipping: false, tracking: [] });
    const shirtParcel = parcel([shirt()], [["IN_TRANSIT", DAY4]], { tracking: [buildTracking()] });
    const description = describeOrderStatus(
      order([shippedLine(shirt()), shippedLine(giftCard())], [card, shirtParcel]),
    );
    expect(description.status).toBe("in_transit");
    expect(description.detail).toBeNull();
  });
});

describe("which fulfillments are parcels on their way", () => {
  it("drops a voided label or a cancelled shipment even when the carrier had scanned it", () => {
    const voided = parcel([shirt()], [["LABEL_PRINTED", DAY1]], { displayStatus: "LABEL_VOIDED" });
    const cancelled = parcel([shirt()], [["IN_TRANSIT", DAY1]], { displayStatus: "CANCELED" });
    expect(shipmentStage(voided)).toBeNull();
    expect(shipmentStage(cancelled)).toBeNull();
  });

  it("neither lists a cancelled fulfillment as a shipment nor counts its items as shipped", () => {
    const cancelled = parcel([shirt()], [["IN_TRANSIT", DAY1]], { status: "CANCELLED", displayStatus: "CANCELED" });
    const description = describeOrderStatus(order([shirt()], [cancelled], { fulfillmentStatus: "UNFULFILLED" }));
    expect(description.shipments).toEqual([]);
    expect(description.items).toEqual({ shipped: 0, unshipped: 1, total: 1 });
  });

  it("delivers a gift card the moment it is fulfilled, not before", () => {
    const card = parcel([giftCard()], [], { requiresShipping: false, tracking: [] });
    expect(shipmentStage(card)).toBe("delivered");
    const pendingCard = parcel([giftCard()], [], { requiresShipping: false, tracking: [], status: "PENDING" });
    expect(shipmentStage(pendingCard)).toBe("processing_fulfillment");
  });

  it("takes Shopify's delivered or picked-up display status over an older carrier scan", () => {
    for (const displayStatus of ["DELIVERED", "PICKED_UP"] as const) {
      const stale = parcel([shirt()], [["IN_TRANSIT", DAY1]], { displayStatus, deliveredAt: null });
      expect(shipmentStage(stale), displayStatus).toBe("delivered");
    }
  });

  it("treats a legacy pending or open fulfillment without a display status as processing", () => {
    for (const status of ["PENDING", "OPEN"] as const) {
      expect(shipmentStage(parcel([shirt()], [], { status, displayStatus: null })), status).toBe(
        "processing_fulfillment",
      );
    }
  });

  it("is pending delivery when a fulfilled parcel has neither events nor a display status", () => {
    expect(shipmentStage(parcel([shirt()], [], { displayStatus: null }))).toBe("pending_delivery");
  });
});

describe("orders without a parcel", () => {
  it("keeps an order of an unfulfilled gift card unfulfilled: nothing physical, nothing sent yet", () => {
    expect(shopperOrderStatus(order([giftCard()], [], { fulfillmentStatus: "UNFULFILLED" }))).toBe("unfulfilled");
  });

  it("is pending delivery when Shopify says partially fulfilled, the rest was removed, and no record came", () => {
    const status = shopperOrderStatus(
      buildOrder({ lineItems: [shippedLine(shirt())], fulfillmentStatus: "PARTIALLY_FULFILLED" }),
    );
    expect(status).toBe("pending_delivery");
  });

  it("counts only physical items as still to ship: an unfulfilled gift card does not hold the order back", () => {
    const description = describeOrderStatus(
      order([shippedLine(shirt()), giftCard()], [parcel([shirt()], [["DELIVERED", DAY2]])]),
    );
    expect(description.items).toEqual({ shipped: 1, unshipped: 0, total: 1 });
    expect(description.status).toBe("delivered");
  });
});

describe("refund details", () => {
  const twoDelivered = () => [parcel([shirt()], [["DELIVERED", DAY2]]), parcel([trousers()], [["DELIVERED", DAY3]])];
  const bothShipped = () => [shippedLine(shirt()), shippedLine(trousers())];

  it("does not call a fully refunded order partially refunded, nor add a package count to it", () => {
    const description = describeOrderStatus(
      order(bothShipped(), twoDelivered(), { financialStatus: "REFUNDED", totalRefunded: money("89.99") }),
    );
    expect(description.status).toBe("refunded");
    expect(description.isPartiallyRefunded).toBe(false);
    expect(description.detail).toBeNull();
  });

  it("says nothing more than 'Partially refunded' once everything arrived", () => {
    const description = describeOrderStatus(
      order(bothShipped(), twoDelivered(), { financialStatus: "PARTIALLY_REFUNDED", totalRefunded: money("10.00") }),
    );
    expect(description.status).toBe("partially_refunded");
    expect(description.detail).toBeNull();
  });

  it("believes Shopify's partially refunded status when the refunded amount has not caught up", () => {
    const status = shopperOrderStatus(
      order([shippedLine(shirt())], [parcel([shirt()], [["DELIVERED", DAY2]])], {
        financialStatus: "PARTIALLY_REFUNDED",
        totalRefunded: money("0.00"),
      }),
    );
    expect(status).toBe("partially_refunded");
  });

  it.each(["-5.00", " -5.00"])("does not treat a negative refund total (%j) as a refund", (amount) => {
    const status = shopperOrderStatus(
      order([shippedLine(shirt())], [parcel([shirt()], [["DELIVERED", DAY2]])], { totalRefunded: money(amount) }),
    );
    expect(status).toBe("delivered");
  });
});

describe("package counts", () => {
  it("counts the delivered packages among three", () => {
    const description = describeOrderStatus(
      order(
        [shippedLine(shirt()), shippedLine(trousers()), shippedLine(hat())],
        [
          parcel([shirt()], [["DELIVERED", DAY2]]),
          parcel([trousers()], [["DELIVERED", DAY2]]),
          parcel([hat()], [["IN_TRANSIT", DAY2]]),
        ],
      ),
    );
    expect(description.detail).toBe("2 of 3 packages delivered");
  });
});

describe("compareIds", () => {
  it("orders ids by code unit, the same on every server and browser", () => {
    expect(compareIds("gid://shopify/FulfillmentEvent/10", "gid://shopify/FulfillmentEvent/9")).toBe(-1);
    expect(compareIds("gid://shopify/FulfillmentEvent/9", "gid://shopify/FulfillmentEvent/10")).toBe(1);
    expect(compareIds("B", "a")).toBe(-1);
    expect(compareIds("gid://shopify/FulfillmentEvent/9", "gid://shopify/FulfillmentEvent/9")).toBe(0);
  });
});

describe("shopper-facing wording", () => {
  it("labels every status in English", () => {
    expect(SHOPPER_ORDER_STATUS_LABELS_EN).toEqual({
      unfulfilled: "Unfulfilled",
      processing_fulfillment: "Processing fulfillment",
      pending_delivery: "Pending delivery",
      in_transit: "In transit",
      out_for_delivery: "Out for delivery",
      attempted_delivery: "Attempted delivery",
      ready_for_pickup: "Ready for pickup",
      delivered: "Delivered",
      failed_delivery: "Failed delivery",
      cancelled: "Cancelled",
      partially_refunded: "Partially refunded",
      refunded: "Refunded",
    });
  });

  it.each([
    ["CUSTOMER", "Cancelled at your request"],
    ["DECLINED", "Payment declined"],
    ["INVENTORY", "Items unavailable"],
    ["FRAUD", "Cancelled by the store"],
    ["STAFF", "Cancelled by the store"],
    ["OTHER", null],
  ] as const)("explains a cancellation for %s as %j", (cancelReason, detail) => {
    expect(describeOrderStatus(order([shirt()], [], { cancelledAt: DAY1, cancelReason })).detail).toBe(detail);
  });
});

describe("carrier states without events", () => {
  it("reads every display status Shopify sends for a fulfillment still in the warehouse or handed over", () => {
    const cases = [
      ["SUBMITTED", "processing_fulfillment"],
      ["LABEL_PURCHASED", "processing_fulfillment"],
      ["LABEL_PRINTED", "processing_fulfillment"],
      ["CONFIRMED", "pending_delivery"],
      ["FULFILLED", "pending_delivery"],
      ["MARKED_AS_FULFILLED", "pending_delivery"],
      ["IN_TRANSIT", "in_transit"],
      ["READY_FOR_PICKUP", "ready_for_pickup"],
      ["FAILURE", "failed_delivery"],
    ] as const;
    for (const [displayStatus, stage] of cases) {
      expect(shipmentStage(parcel([shirt()], [], { displayStatus })), displayStatus).toBe(stage);
    }
  });

  it("drops a cancelled or failed fulfillment whatever its display status and scans say", () => {
    for (const status of ["CANCELLED", "FAILURE"] as const) {
      const stale = parcel([shirt()], [["IN_TRANSIT", DAY1]], { status, displayStatus: "IN_TRANSIT" });
      expect(shipmentStage(stale), status).toBeNull();
    }
  });
});

describe("carrier events stamped with the same time", () => {
  // The parcel's life (docs/decisions/006-order-status.md): the later step is where it is now.
  const LIFE: FulfillmentEventStatus[] = [
    "LABEL_PURCHASED",
    "LABEL_PRINTED",
    "CONFIRMED",
    "CARRIER_PICKED_UP",
    "IN_TRANSIT",
    "DELAYED",
    "OUT_FOR_DELIVERY",
    "READY_FOR_PICKUP",
    "ATTEMPTED_DELIVERY",
    "FAILURE",
    "DELIVERED",
  ];

  it.each(LIFE.slice(1).map((later, index) => [LIFE[index]!, later]))(
    "takes %s then %s as the later one, whatever the input order",
    (earlier, later) => {
      for (const events of [
        [earlier, later],
        [later, earlier],
      ]) {
        const fulfillment = parcel(
          [shirt()],
          events.map((status) => [status, DAY2] as [FulfillmentEventStatus, string]),
        );
        expect(latestFulfillmentEvent(fulfillment)?.status).toBe(later);
      }
    },
  );
});
