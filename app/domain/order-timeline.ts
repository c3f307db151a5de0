import type {
  FulfillmentEventSnapshot,
  FulfillmentEventStatus,
  FulfillmentSnapshot,
  IsoDateTime,
  Money,
  OrderCancelReason,
  OrderSnapshot,
} from "./order-snapshot";
import { CANCEL_REASON_LABELS_EN, compareIds, compareInLifecycle } from "./order-status";
import { describeTracking, type TrackingLink } from "./tracking-links";

/**
 * The "Track" timeline: what happened to an order, oldest first. Every entry has an id built from
 * the Shopify record it comes from (stable React key, unique even when a webhook replay delivered
 * the same carrier event twice) and a UTC time; equal times keep a fixed order.
 */

interface TimelineEventBase {
  id: string;
  /** UTC, normalised from whatever offset Shopify sent. */
  at: IsoDateTime;
}

export type TimelineEvent =
  | (TimelineEventBase & { kind: "order_placed"; orderName: string })
  | (TimelineEventBase & { kind: "payment_received"; gateways: string[] })
  | (TimelineEventBase & {
      kind: "shipment_created";
      fulfillmentId: string;
      fulfillmentName: string | null;
      itemCount: number;
      requiresShipping: boolean;
      tracking: TrackingLink[];
    })
  | (TimelineEventBase & {
      kind: "carrier_update";
      fulfillmentId: string;
      status: FulfillmentEventStatus;
      message: string | null;
      location: string | null;
    })
  | (TimelineEventBase & { kind: "shipment_delivered"; fulfillmentId: string; pickedUp: boolean })
  | (TimelineEventBase & { kind: "shipment_cancelled"; fulfillmentId: string })
  | (TimelineEventBase & { kind: "order_cancelled"; reason: OrderCancelReason | null; reasonText: string | null })
  | (TimelineEventBase & { kind: "refund_issued"; refundId: string; amount: Money; itemCount: number });

export type TimelineEventKind = TimelineEvent["kind"];

export const CARRIER_EVENT_LABELS_EN: Record<FulfillmentEventStatus, string> = {
  LABEL_PURCHASED: "Shipping label created",
  LABEL_PRINTED: "Shipping label printed",
  CONFIRMED: "Confirmed by carrier",
  CARRIER_PICKED_UP: "Picked up by carrier",
  IN_TRANSIT: "In transit",
  DELAYED: "Delayed",
  OUT_FOR_DELIVERY: "Out for delivery",
  READY_FOR_PICKUP: "Ready for pickup",
  ATTEMPTED_DELIVERY: "Delivery attempted",
  FAILURE: "Delivery failed",
  DELIVERED: "Delivered",
};

/** English title of an entry; other languages will switch on the same kinds and statuses. */
export function timelineEventLabelEn(event: TimelineEvent): string {
  switch (event.kind) {
    case "order_placed":
      return "Order placed";
    case "payment_received":
      return "Payment received";
    case "shipment_created":
      return event.requiresShipping ? "Shipped" : "Fulfilled";
    case "carrier_update":
      return CARRIER_EVENT_LABELS_EN[event.status];
    case "shipment_delivered":
      return event.pickedUp ? "Picked up" : "Delivered";
    case "shipment_cancelled":
      return "Shipment cancelled";
    case "order_cancelled":
      return "Order cancelled";
    case "refund_issued":
      return "Refund issued";
  }
}

// On equal timestamps the story still reads in order: placed before paid, shipped before scanned.
const KIND_ORDER: readonly TimelineEventKind[] = [
  "order_placed",
  "payment_received",
  "shipment_created",
  "carrier_update",
  "shipment_delivered",
  "shipment_cancelled",
  "order_cancelled",
  "refund_issued",
];

export function orderTimeline(order: OrderSnapshot): TimelineEvent[] {
  const candidates: TimelineEvent[] = [
    ...orderEvents(order),
    ...order.fulfillments.flatMap(fulfillmentEvents),
    ...refundEvents(order),
  ];
  return uniqueById(candidates.flatMap(inUtc)).sort(compareTimelineEvents);
}

function orderEvents(order: OrderSnapshot): TimelineEvent[] {
  const events: TimelineEvent[] = [
    { id: `order_placed:${order.id}`, at: order.processedAt, kind: "order_placed", orderName: order.name },
  ];
  if (order.payment.paidAt) {
    events.push({
      id: `payment_received:${order.id}`,
      at: order.payment.paidAt,
      kind: "payment_received",
      gateways: order.payment.gatewayNames,
    });
  }
  if (order.cancelledAt) {
    events.push({
      id: `order_cancelled:${order.id}`,
      at: order.cancelledAt,
      kind: "order_cancelled",
      reason: order.cancelReason,
      reasonText: order.cancelReason ? CANCEL_REASON_LABELS_EN[order.cancelReason] : null,
    });
  }
  return events;
}

function fulfillmentEvents(fulfillment: FulfillmentSnapshot): TimelineEvent[] {
  const fulfillmentId = fulfillment.id;
  const events: TimelineEvent[] = [
    {
      id: `shipment_created:${fulfillmentId}`,
      at: fulfillment.createdAt,
      kind: "shipment_created",
      fulfillmentId,
      fulfillmentName: fulfillment.name,
      itemCount: fulfillment.lineItems.reduce((total, line) => total + line.quantity, 0),
      requiresShipping: fulfillment.requiresShipping,
      tracking: fulfillment.tracking.map(describeTracking).filter((link) => link.number || link.url),
    },
    ...fulfillment.events.map((event) => carrierUpdate(fulfillmentId, event)),
  ];
  const delivered = deliveryWithoutCarrierEvent(fulfillment);
  if (delivered) events.push(delivered);
  if (fulfillment.status === "CANCELLED") {
    // Shopify keeps no cancellation time; the last update of a cancelled fulfillment is the cancellation.
    events.push({
      id: `shipment_cancelled:${fulfillmentId}`,
      at: fulfillment.updatedAt,
      kind: "shipment_cancelled",
      fulfillmentId,
    });
  }
  return events;
}

function carrierUpdate(fulfillmentId: string, event: FulfillmentEventSnapshot): TimelineEvent {
  return {
    id: `carrier_update:${event.id}`,
    at: event.happenedAt,
    kind: "carrier_update",
    fulfillmentId,
    status: event.status,
    message: event.message?.trim() || null,
    location: formatLocation(event),
  };
}

/**
 * Merchants mark local deliveries and pickups as done without a carrier, so Shopify has a
 * deliveredAt but no DELIVERED event; the shopper should still see the parcel arrive.
 */
function deliveryWithoutCarrierEvent(fulfillment: FulfillmentSnapshot): TimelineEvent | null {
  if (!fulfillment.deliveredAt) return null;
  if (fulfillment.events.some((event) => event.status === "DELIVERED")) return null;
  return {
    id: `shipment_delivered:${fulfillment.id}`,
    at: fulfillment.deliveredAt,
    kind: "shipment_delivered",
    fulfillmentId: fulfillment.id,
    pickedUp: fulfillment.displayStatus === "PICKED_UP",
  };
}

function refundEvents(order: OrderSnapshot): TimelineEvent[] {
  return order.refunds.flatMap((refund) =>
    refund.createdAt
      ? [
          {
            id: `refund_issued:${refund.id}`,
            at: refund.createdAt,
            kind: "refund_issued" as const,
            refundId: refund.id,
            amount: refund.amount,
            itemCount: refund.lineItems.reduce((total, line) => total + line.quantity, 0),
          },
        ]
      : [],
  );
}

/** "Lyon, Auvergne-Rhône-Alpes, FR" from whichever parts the carrier sent. */
function formatLocation(event: FulfillmentEventSnapshot): string | null {
  const parts = [event.city, event.province, event.country].map((part) => part?.trim()).filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : null;
}

/** Drops an entry whose time cannot be read; rewrites the others in UTC so they compare and render alike. */
function inUtc(event: TimelineEvent): TimelineEvent[] {
  const time = Date.parse(event.at);
  return Number.isNaN(time) ? [] : [{ ...event, at: new Date(time).toISOString() }];
}

function uniqueById(events: TimelineEvent[]): TimelineEvent[] {
  const byId = new Map<string, TimelineEvent>();
  for (const event of events) if (!byId.has(event.id)) byId.set(event.id, event);
  return [...byId.values()];
}

function compareTimelineEvents(a: TimelineEvent, b: TimelineEvent): number {
  return (
    Date.parse(a.at) - Date.parse(b.at) ||
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
    (a.kind === "carrier_update" && b.kind === "carrier_update" ? compareInLifecycle(a.status, b.status) : 0) ||
    compareIds(a.id, b.id)
  );
}
