import { describe, expect, it } from "vitest";
import {
  buildFulfillment,
  buildFulfillmentEvent,
  buildOrder,
  buildRefund,
  FULFILLMENT_EVENT_STATUSES,
} from "./order-snapshot";
import { SHOPPER_ORDER_STATUSES } from "./order-status";
import { orderTimeline, timelineEventLabelEn } from "./order-timeline";
import { PORTAL_LOCALES } from "./portal-messages";
import {
  FINANCIAL_STATUS_LABELS,
  ORDER_MESSAGES,
  SHOPPER_STATUS_LABELS,
  shopperStatusLabel,
  timelineEventLabel,
  TRACKING_NOTICES,
} from "./portal-order-labels";

describe("labels", () => {
  it("name every shopper status, payment status and notice in every language, each distinct", () => {
    for (const locale of PORTAL_LOCALES) {
      const statuses = SHOPPER_ORDER_STATUSES.map((status) => shopperStatusLabel(status, locale));
      expect(
        statuses.filter((label) => label.trim() === ""),
        locale,
      ).toEqual([]);
      expect(new Set(statuses).size, locale).toBe(SHOPPER_ORDER_STATUSES.length);
      expect(Object.keys(FINANCIAL_STATUS_LABELS[locale]).sort()).toEqual(
        Object.keys(FINANCIAL_STATUS_LABELS.en).sort(),
      );
      expect(Object.keys(TRACKING_NOTICES[locale]).sort()).toEqual(["details_delayed", "details_unavailable"]);
      expect(Object.keys(ORDER_MESSAGES[locale]).sort()).toEqual(["invalidRequest", "listChanged", "orderNotFound"]);
    }
    expect(SHOPPER_STATUS_LABELS.fr.delivered).toBe("Livrée");
  });

  it("title every timeline entry: English as the admin's, the other languages their own", () => {
    const order = buildOrder({
      cancelledAt: "2026-03-09T10:00:00Z",
      fulfillments: [
        buildFulfillment({
          status: "CANCELLED",
          events: FULFILLMENT_EVENT_STATUSES.map((status, index) =>
            buildFulfillmentEvent({ status, happenedAt: `2026-03-0${2 + (index % 7)}T09:00:00Z` }),
          ),
        }),
        buildFulfillment({ deliveredAt: "2026-03-04T10:00:00Z", displayStatus: "PICKED_UP" }),
        buildFulfillment({ requiresShipping: false }),
      ],
      refunds: [buildRefund()],
    });
    const timeline = orderTimeline(order);
    const kinds = new Set(timeline.map((event) => event.kind));
    expect(kinds.size).toBe(8);
    for (const event of timeline) {
      expect(timelineEventLabel(event, "en")).toBe(timelineEventLabelEn(event));
      for (const language of ["fr", "de", "es"] as const) {
        expect(timelineEventLabel(event, language).trim(), `${language} ${event.kind}`).not.toBe("");
      }
    }
    const placed = timeline.find((event) => event.kind === "order_placed")!;
    expect(timelineEventLabel(placed, "fr")).toBe("Commande passée");
  });
});
