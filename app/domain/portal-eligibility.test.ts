import { describe, expect, it } from "vitest";
import {
  buildFulfillment,
  buildFulfillmentEvent,
  buildLineItem,
  buildOrder,
  money,
  type OrderSnapshot,
} from "./order-snapshot";
import { SHOPPER_ORDER_STATUSES, type ShopperOrderStatus } from "./order-status";
import {
  eligibilityFacts,
  loopReturnUrl,
  orderDeliveredAt,
  portalActions,
  returnableQuantity,
  returnWindowClosesAt,
  shownAction,
  type EligibilityOptions,
  type EligibilityOrder,
  type HiddenReason,
  type PortalActionKind,
} from "./portal-eligibility";

// ---- Helpers -------------------------------------------------------------------------------------

const DAY = 86_400_000;
const NOW = new Date("2026-03-20T12:00:00Z");
const daysBefore = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

/** The schema's defaults (PortalSettings). */
const DEFAULTS: EligibilityOptions = {
  trackEnabled: true,
  returnEnabled: true,
  returnWindowFrom: "delivered",
  returnWindowDays: 30,
  loopReturnsUrl: null,
  cancelEnabled: true,
  cancelStatuses: ["unfulfilled", "processing_fulfillment"],
  reportIssueEnabled: true,
};

const DELIVERED_STATUSES: ReadonlySet<ShopperOrderStatus> = new Set(["delivered", "partially_refunded"]);

/**
 * An order in `status` as the snapshot facts would give it: placed 10 days ago; delivered 3 days
 * ago when the status means it all arrived; with a shipped, unrefunded unit unless nothing shipped
 * yet or all was refunded.
 */
function orderIn(status: ShopperOrderStatus, overrides: Partial<EligibilityOrder> = {}): EligibilityOrder {
  return {
    name: "#1001",
    status,
    placedAt: daysBefore(10),
    deliveredAt: DELIVERED_STATUSES.has(status) ? daysBefore(3) : null,
    returnableUnits: status === "unfulfilled" || status === "refunded" || status === "cancelled" ? 0 : 1,
    shippingZip: "75011",
    ...overrides,
  };
}

const decide = (
  order: EligibilityOrder,
  options: Partial<EligibilityOptions> = {},
  context: { now?: Date; timeZone?: string | null; issueOptionCount?: number } = {},
) =>
  portalActions(
    order,
    { ...DEFAULTS, ...options },
    { now: context.now ?? NOW, timeZone: context.timeZone ?? null, issueOptionCount: context.issueOptionCount ?? 3 },
  );

/** "shown", or the hidden reason, for one action. */
function outcome(actions: ReturnType<typeof decide>, kind: PortalActionKind): "shown" | HiddenReason {
  if (shownAction(actions, kind)) return "shown";
  const hidden = actions.hidden.find((entry) => entry.kind === kind);
  if (!hidden) throw new Error(`${kind} is neither shown nor hidden`);
  return hidden.reason;
}

// ---- Every action is decided, once ---------------------------------------------------------------

describe("portalActions", () => {
  it("decides each of the four actions exactly once, shown in a fixed order, for every status", () => {
    for (const status of SHOPPER_ORDER_STATUSES) {
      const actions = decide(orderIn(status));
      const kinds = [...actions.shown.map((a) => a.kind), ...actions.hidden.map((h) => h.kind)];
      expect(kinds.sort(), status).toEqual(["cancel", "report_issue", "return", "track"]);
      const order = ["track", "return", "cancel", "report_issue"];
      const shown = actions.shown.map((a) => a.kind);
      expect(shown, status).toEqual(order.filter((kind) => shown.includes(kind as PortalActionKind)));
    }
  });
});

// ---- Track -----------------------------------------------------------------------------------------

describe("Track", () => {
  it("is shown for every status while tracking is on, and hidden (disabled) when it is off", () => {
    for (const status of SHOPPER_ORDER_STATUSES) {
      expect(outcome(decide(orderIn(status)), "track"), status).toBe("shown");
      expect(outcome(decide(orderIn(status), { trackEnabled: false }), "track"), status).toBe("disabled");
    }
  });
});

// ---- Return ----------------------------------------------------------------------------------------

describe("Return: every status, both window rules (placed 10 days ago, delivered 3 days ago, 30-day window)", () => {
  const fromDelivery: Record<ShopperOrderStatus, "shown" | HiddenReason> = {
    unfulfilled: "nothing_to_return",
    processing_fulfillment: "not_delivered",
    pending_delivery: "not_delivered",
    in_transit: "not_delivered",
    out_for_delivery: "not_delivered",
    attempted_delivery: "not_delivered",
    ready_for_pickup: "not_delivered",
    delivered: "shown",
    failed_delivery: "not_delivered",
    cancelled: "cancelled",
    partially_refunded: "shown",
    refunded: "refunded",
  };
  // Counted from the order, a parcel on its way may already be sent back (Shopify accepts a return
  // of fulfilled items); an order with nothing shipped has nothing to return: Cancel is its action.
  const fromCreated: Record<ShopperOrderStatus, "shown" | HiddenReason> = {
    unfulfilled: "nothing_to_return",
    processing_fulfillment: "shown",
    pending_delivery: "shown",
    in_transit: "shown",
    out_for_delivery: "shown",
    attempted_delivery: "shown",
    ready_for_pickup: "shown",
    delivered: "shown",
    failed_delivery: "shown",
    cancelled: "cancelled",
    partially_refunded: "shown",
    refunded: "refunded",
  };

  for (const status of SHOPPER_ORDER_STATUSES) {
    it(`${status}: ${fromDelivery[status]} from delivery, ${fromCreated[status]} from the order date`, () => {
      expect(outcome(decide(orderIn(status)), "return")).toBe(fromDelivery[status]);
      expect(outcome(decide(orderIn(status), { returnWindowFrom: "created" }), "return")).toBe(fromCreated[status]);
      expect(outcome(decide(orderIn(status), { returnEnabled: false }), "return")).toBe("disabled");
      expect(outcome(decide(orderIn(status), { returnEnabled: false, returnWindowFrom: "created" }), "return")).toBe(
        "disabled",
      );
    });
  }

  it("is hidden once the window has closed, under either rule", () => {
    expect(outcome(decide(orderIn("delivered"), { returnWindowDays: 2 }), "return")).toBe("window_closed");
    expect(outcome(decide(orderIn("delivered"), { returnWindowDays: 3 }), "return")).toBe("shown");
    expect(outcome(decide(orderIn("in_transit"), { returnWindowFrom: "created", returnWindowDays: 9 }), "return")).toBe(
      "window_closed",
    );
    expect(
      outcome(decide(orderIn("in_transit"), { returnWindowFrom: "created", returnWindowDays: 10 }), "return"),
    ).toBe("shown");
  });

  it("counts from the delivery, not the order date, when the window is from delivery (and the reverse)", () => {
    const lateDelivery = orderIn("delivered", { placedAt: daysBefore(40), deliveredAt: daysBefore(5) });
    expect(outcome(decide(lateDelivery), "return")).toBe("shown");
    expect(outcome(decide(lateDelivery, { returnWindowFrom: "created" }), "return")).toBe("window_closed");
  });

  it("is hidden when nothing that shipped is left to return (all refunded)", () => {
    expect(outcome(decide(orderIn("partially_refunded", { returnableUnits: 0 })), "return")).toBe("nothing_to_return");
  });

  it("is never shown for a cancelled or refunded order, even within the window and with units", () => {
    for (const status of ["cancelled", "refunded"] as const) {
      const order = orderIn(status, { returnableUnits: 2, deliveredAt: daysBefore(1) });
      expect(outcome(decide(order), "return")).toBe(status);
      expect(outcome(decide(order, { returnWindowFrom: "created" }), "return")).toBe(status);
    }
  });

  it("says until when: the last millisecond of the window's last day", () => {
    const action = shownAction(decide(orderIn("delivered", { deliveredAt: "2026-03-01T15:00:00Z" })), "return");
    expect(action).toEqual({ kind: "return", via: "request", returnBy: "2026-03-31T23:59:59.999Z" });
  });

  describe("Loop Returns", () => {
    it("sends the shopper to the merchant's Loop portal with the order name and postcode", () => {
      const action = shownAction(
        decide(orderIn("delivered"), { loopReturnsUrl: "https://returns.maple-goods.example/" }),
        "return",
      );
      expect(action).toMatchObject({ kind: "return", via: "loop" });
      const url = new URL((action as { url: string }).url);
      expect(url.origin + url.pathname).toBe("https://returns.maple-goods.example/");
      expect(Object.fromEntries(url.searchParams)).toEqual({ order: "1001", zip: "75011" });
    });

    it("keeps the merchant's own query and leaves the postcode out when the order has none", () => {
      expect(loopReturnUrl("https://maple.loopreturns.com/?lang=fr", { name: "#A-1002", shippingZip: null })).toBe(
        "https://maple.loopreturns.com/?lang=fr&order=A-1002",
      );
      expect(loopReturnUrl("  https://maple.loopreturns.com  ", { name: "1003", shippingZip: " 10115 " })).toBe(
        "https://maple.loopreturns.com/?order=1003&zip=10115",
      );
    });

    it("applies the same eligibility: out of the window or undelivered, no Loop button either", () => {
      const loop = { loopReturnsUrl: "https://maple.loopreturns.com" };
      expect(outcome(decide(orderIn("delivered"), { ...loop, returnWindowDays: 1 }), "return")).toBe("window_closed");
      expect(outcome(decide(orderIn("in_transit"), loop), "return")).toBe("not_delivered");
      expect(outcome(decide(orderIn("cancelled"), loop), "return")).toBe("cancelled");
    });

    it("is hidden (loop_url_invalid) for an address that is not http(s); a blank one means no Loop", () => {
      for (const bad of ["javascript:alert(1)", "not a url", "ftp://maple.example/returns"]) {
        expect(outcome(decide(orderIn("delivered"), { loopReturnsUrl: bad }), "return"), bad).toBe("loop_url_invalid");
      }
      expect(shownAction(decide(orderIn("delivered"), { loopReturnsUrl: "  " }), "return")).toMatchObject({
        via: "request",
      });
    });
  });
});

describe("returnWindowClosesAt: the window ends at midnight after its last day, in the store's zone", () => {
  it("in UTC: delivered 1 March 15:00, 30 days → open through 31 March, closed from 1 April 00:00", () => {
    const order = orderIn("delivered", { deliveredAt: "2026-03-01T15:00:00Z" });
    const at = (iso: string) => outcome(decide(order, {}, { now: new Date(iso) }), "return");
    expect(at("2026-03-31T15:00:00.000Z")).toBe("shown"); // exactly 30 × 24 h: still open
    expect(at("2026-03-31T23:59:59.999Z")).toBe("shown");
    expect(at("2026-04-01T00:00:00.000Z")).toBe("window_closed");
    expect(at("2026-03-01T15:00:00.000Z")).toBe("shown"); // the moment it arrived
  });

  it("counts days from the start's local date: 00:30 in Paris is already the next day", () => {
    // 1 March 23:30 UTC is 2 March 00:30 in Paris: the last day is 1 April, Paris time (CEST).
    expect(returnWindowClosesAt("2026-03-01T23:30:00Z", 30, "Europe/Paris")?.toISOString()).toBe(
      "2026-04-01T22:00:00.000Z",
    );
    expect(returnWindowClosesAt("2026-03-01T23:30:00Z", 30, null)?.toISOString()).toBe("2026-04-01T00:00:00.000Z");
    const order = orderIn("delivered", { deliveredAt: "2026-03-01T23:30:00Z" });
    const inParis = (iso: string) =>
      outcome(decide(order, {}, { now: new Date(iso), timeZone: "Europe/Paris" }), "return");
    expect(inParis("2026-04-01T21:59:59.999Z")).toBe("shown");
    expect(inParis("2026-04-01T22:00:00.000Z")).toBe("window_closed");
  });

  it("west of UTC: 21:00 in Los Angeles is the same local day, and the clocks moving forward are followed", () => {
    // 2 March 05:00 UTC = 1 March 21:00 PST; 7 days → last day 8 March (DST starts that night) →
    // closes 9 March 00:00 PDT = 07:00 UTC.
    expect(returnWindowClosesAt("2026-03-02T05:00:00Z", 7, "America/Los_Angeles")?.toISOString()).toBe(
      "2026-03-09T07:00:00.000Z",
    );
  });

  it("follows the clocks moving back (Paris, 25 October 2026)", () => {
    expect(returnWindowClosesAt("2026-10-20T12:00:00Z", 5, "Europe/Paris")?.toISOString()).toBe(
      "2026-10-25T23:00:00.000Z",
    );
  });

  it("where a clock change skips midnight (Santiago), the next day starts when the clock jumps", () => {
    // Chile moves 6 September 2026 00:00 → 01:00: that day starts at 01:00 -03, 04:00 UTC.
    expect(returnWindowClosesAt("2026-09-04T12:00:00Z", 1, "America/Santiago")?.toISOString()).toBe(
      "2026-09-06T04:00:00.000Z",
    );
    // And back on 5 April 2026 00:00 → 4 April 23:00: 4 April 00:00 -03 is 03:00 UTC.
    expect(returnWindowClosesAt("2026-04-03T12:00:00Z", 0, "America/Santiago")?.toISOString()).toBe(
      "2026-04-04T03:00:00.000Z",
    );
  });

  it("half-hour zones (Tehran, +03:30)", () => {
    expect(returnWindowClosesAt("2026-03-28T12:00:00Z", 0, "Asia/Tehran")?.toISOString()).toBe(
      "2026-03-28T20:30:00.000Z",
    );
  });

  it("0 days: the day itself; a zone the runtime does not know: UTC; a huge window: capped, still a date", () => {
    expect(returnWindowClosesAt("2026-03-01T15:00:00Z", 0, "UTC")?.toISOString()).toBe("2026-03-02T00:00:00.000Z");
    expect(returnWindowClosesAt("2026-03-01T15:00:00Z", 30, "Mars/Olympus_Mons")?.toISOString()).toBe(
      "2026-04-01T00:00:00.000Z",
    );
    expect(returnWindowClosesAt("2026-03-01T15:00:00Z", 1e12, "UTC")?.getUTCFullYear()).toBe(2126);
    expect(returnWindowClosesAt("2026-03-01T15:00:00Z", -5, "UTC")?.toISOString()).toBe("2026-03-02T00:00:00.000Z");
  });

  it("a start that is not a date closes nothing open: Return is hidden", () => {
    expect(returnWindowClosesAt("not a date", 30, "UTC")).toBeNull();
    expect(outcome(decide(orderIn("delivered", { deliveredAt: "garbage" })), "return")).toBe("window_closed");
  });
});

// ---- Cancel ----------------------------------------------------------------------------------------

describe("Cancel", () => {
  it("with the default statuses: shown only while unfulfilled or processing fulfillment", () => {
    for (const status of SHOPPER_ORDER_STATUSES) {
      const expected =
        status === "unfulfilled" || status === "processing_fulfillment"
          ? "shown"
          : status === "cancelled"
            ? "cancelled"
            : status === "refunded"
              ? "refunded"
              : "status_not_allowed";
      expect(outcome(decide(orderIn(status)), "cancel"), status).toBe(expected);
    }
  });

  it("follows the merchant's statuses (pending delivery added), never for a cancelled or refunded order", () => {
    const statuses = { cancelStatuses: [...SHOPPER_ORDER_STATUSES] };
    for (const status of SHOPPER_ORDER_STATUSES) {
      const expected = status === "cancelled" || status === "refunded" ? status : "shown";
      expect(outcome(decide(orderIn(status), statuses), "cancel"), status).toBe(expected);
    }
    const withPending = { cancelStatuses: ["unfulfilled", "processing_fulfillment", "pending_delivery"] };
    expect(outcome(decide(orderIn("pending_delivery"), withPending), "cancel")).toBe("shown");
    expect(outcome(decide(orderIn("in_transit"), withPending), "cancel")).toBe("status_not_allowed");
    expect(outcome(decide(orderIn("unfulfilled"), { cancelStatuses: [] }), "cancel")).toBe("status_not_allowed");
  });

  it("is hidden (disabled) for every status when the merchant turned it off", () => {
    for (const status of SHOPPER_ORDER_STATUSES) {
      expect(outcome(decide(orderIn(status), { cancelEnabled: false }), "cancel"), status).toBe("disabled");
    }
  });
});

// ---- Report an issue ----------------------------------------------------------------------------

describe("Report an issue", () => {
  it("is shown when on and the order's state has options; hidden otherwise, with the reason", () => {
    for (const status of SHOPPER_ORDER_STATUSES) {
      expect(outcome(decide(orderIn(status)), "report_issue"), status).toBe("shown");
      expect(outcome(decide(orderIn(status), {}, { issueOptionCount: 0 }), "report_issue"), status).toBe("no_options");
      expect(outcome(decide(orderIn(status), { reportIssueEnabled: false }), "report_issue"), status).toBe("disabled");
    }
  });
});

// ---- From synced orders ------------------------------------------------------------------------------

describe("eligibilityFacts and orderDeliveredAt, from a synced order", () => {
  const shirt = () => buildLineItem({ id: "gid://shopify/LineItem/1", title: "Linen shirt", quantity: 2 });
  const shipped = (overrides: Partial<OrderSnapshot> = {}, fulfillment = {}) => {
    const item = shirt();
    return buildOrder({
      name: "#1042",
      fulfillmentStatus: "FULFILLED",
      lineItems: [{ ...item, fulfillableQuantity: 0 }],
      fulfillments: [buildFulfillment({ lineItems: [{ lineItemId: item.id, quantity: 2 }], ...fulfillment })],
      ...overrides,
    });
  };

  it("an unfulfilled order: placed when processed, nothing delivered, nothing to return", () => {
    const facts = eligibilityFacts(buildOrder({ name: "#1001", processedAt: "2026-02-27T10:00:00Z" }));
    expect(facts).toEqual({
      name: "#1001",
      status: "unfulfilled",
      placedAt: "2026-02-27T10:00:00Z",
      deliveredAt: null,
      returnableUnits: 0,
      shippingZip: null,
    });
  });

  it("delivered: Shopify's deliveredAt first", () => {
    const order = shipped({}, { deliveredAt: "2026-03-04T09:00:00Z", displayStatus: "DELIVERED" });
    expect(eligibilityFacts({ ...order, shippingAddress: { zip: "10115" } })).toMatchObject({
      status: "delivered",
      deliveredAt: "2026-03-04T09:00:00.000Z",
      returnableUnits: 2,
      shippingZip: "10115",
    });
  });

  it("delivered by a carrier event only: the DELIVERED event's time", () => {
    const order = shipped(
      {},
      {
        displayStatus: "IN_TRANSIT",
        updatedAt: "2026-03-09T00:00:00Z",
        events: [
          buildFulfillmentEvent({ status: "IN_TRANSIT", happenedAt: "2026-03-02T08:00:00Z" }),
          buildFulfillmentEvent({ status: "DELIVERED", happenedAt: "2026-03-03T17:45:00Z" }),
        ],
      },
    );
    expect(eligibilityFacts(order).deliveredAt).toBe("2026-03-03T17:45:00.000Z");
  });

  it("delivered per displayStatus alone: the fulfillment's last update (no earlier than the delivery)", () => {
    const order = shipped({}, { displayStatus: "DELIVERED", updatedAt: "2026-03-05T12:00:00Z" });
    expect(eligibilityFacts(order).deliveredAt).toBe("2026-03-05T12:00:00.000Z");
  });

  it("several parcels: delivered when the last one arrived; one still on its way: not delivered", () => {
    const [a, b] = [shirt(), buildLineItem({ id: "gid://shopify/LineItem/2", title: "Hat" })];
    const parcel = (item: typeof a, deliveredAt: string | null) =>
      buildFulfillment({
        lineItems: [{ lineItemId: item.id, quantity: item.quantity }],
        deliveredAt,
        displayStatus: deliveredAt ? "DELIVERED" : "IN_TRANSIT",
      });
    const both = buildOrder({
      fulfillmentStatus: "FULFILLED",
      lineItems: [a, b].map((item) => ({ ...item, fulfillableQuantity: 0 })),
      fulfillments: [parcel(a, "2026-03-04T09:00:00Z"), parcel(b, "2026-03-06T18:00:00Z")],
    });
    expect(eligibilityFacts(both)).toMatchObject({ status: "delivered", deliveredAt: "2026-03-06T18:00:00.000Z" });
    const oneOnItsWay = { ...both, fulfillments: [parcel(a, "2026-03-04T09:00:00Z"), parcel(b, null)] };
    expect(eligibilityFacts(oneOnItsWay)).toMatchObject({
      status: "in_transit",
      deliveredAt: null,
      returnableUnits: 3,
    });
  });

  it("a partial refund leaves the unrefunded units to return; a full refund none", () => {
    const partly = shipped(
      { financialStatus: "PARTIALLY_REFUNDED", totalRefunded: money("20.00") },
      { deliveredAt: "2026-03-04T09:00:00Z" },
    );
    partly.lineItems = [{ ...partly.lineItems[0]!, refundedQuantity: 1 }];
    expect(eligibilityFacts(partly)).toMatchObject({ status: "partially_refunded", returnableUnits: 1 });
    expect(eligibilityFacts(partly).deliveredAt).toBe("2026-03-04T09:00:00.000Z");
    const all = { ...partly, financialStatus: "REFUNDED" as const };
    all.lineItems = [{ ...partly.lineItems[0]!, refundedQuantity: 2 }];
    expect(eligibilityFacts(all)).toMatchObject({ status: "refunded", returnableUnits: 0 });
  });

  it("digital goods are delivered when fulfilled and are nothing to send back", () => {
    const card = buildLineItem({ id: "gid://shopify/LineItem/9", title: "Gift card", requiresShipping: false });
    const order = buildOrder({
      fulfillmentStatus: "FULFILLED",
      lineItems: [{ ...card, fulfillableQuantity: 0 }],
      fulfillments: [
        buildFulfillment({
          createdAt: "2026-03-01T10:05:00Z",
          requiresShipping: false,
          tracking: [],
          lineItems: [{ lineItemId: card.id, quantity: 1 }],
        }),
      ],
    });
    expect(orderDeliveredAt(order, "delivered")).toBe("2026-03-01T10:05:00.000Z");
    expect(eligibilityFacts(order)).toMatchObject({ status: "delivered", returnableUnits: 0 });
  });

  it("a cancelled order is cancelled, whatever shipped", () => {
    const order = shipped({ cancelledAt: "2026-03-02T10:00:00Z" }, { deliveredAt: "2026-03-04T09:00:00Z" });
    expect(eligibilityFacts(order)).toMatchObject({ status: "cancelled", deliveredAt: null });
    expect(outcome(decide(eligibilityFacts(order)), "return")).toBe("cancelled");
  });
});

describe("returnableQuantity: what the order page shows and a return request may ask for", () => {
  it("counts units shipped and not refunded; none of a line that never ships", () => {
    expect(returnableQuantity(buildLineItem({ quantity: 3, fulfillableQuantity: 0 }))).toBe(3);
    expect(returnableQuantity(buildLineItem({ quantity: 3, fulfillableQuantity: 1 }))).toBe(2);
    expect(returnableQuantity(buildLineItem({ quantity: 3, fulfillableQuantity: 3 }))).toBe(0);
    expect(returnableQuantity(buildLineItem({ quantity: 3, fulfillableQuantity: 0, refundedQuantity: 1 }))).toBe(2);
    // Shopify already leaves refunded units out of fulfillableQuantity: never below zero.
    expect(returnableQuantity(buildLineItem({ quantity: 2, fulfillableQuantity: 1, refundedQuantity: 2 }))).toBe(0);
    expect(returnableQuantity(buildLineItem({ quantity: 1, fulfillableQuantity: 0, requiresShipping: false }))).toBe(0);
  });
});
