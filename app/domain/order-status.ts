import type {
  FulfillmentDisplayStatus,
  FulfillmentEventSnapshot,
  FulfillmentEventStatus,
  FulfillmentSnapshot,
  FulfillmentStatus,
  OrderCancelReason,
  OrderFulfillmentStatus,
  OrderSnapshot,
} from "./order-snapshot";

/**
 * The one status a shopper sees for an order in the portal. Rules (docs/decisions/006-order-status.md):
 * cancelled, then fully refunded, win; otherwise the shipments decide, with problems first and then the
 * least advanced parcel; a partial refund shows only once nothing is left to ship or deliver.
 */

export const SHOPPER_ORDER_STATUSES = [
  "unfulfilled",
  "processing_fulfillment",
  "pending_delivery",
  "in_transit",
  "out_for_delivery",
  "attempted_delivery",
  "ready_for_pickup",
  "delivered",
  "failed_delivery",
  "cancelled",
  "partially_refunded",
  "refunded",
] as const;
export type ShopperOrderStatus = (typeof SHOPPER_ORDER_STATUSES)[number];

export const SHOPPER_ORDER_STATUS_LABELS_EN: Record<ShopperOrderStatus, string> = {
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
};

/** Shopper-facing wording: FRAUD and STAFF are the store's business, not an accusation or an excuse. */
export const CANCEL_REASON_LABELS_EN: Record<OrderCancelReason, string | null> = {
  CUSTOMER: "Cancelled at your request",
  DECLINED: "Payment declined",
  INVENTORY: "Items unavailable",
  FRAUD: "Cancelled by the store",
  STAFF: "Cancelled by the store",
  OTHER: null,
};

/** Where one parcel is. */
export type ShipmentStage = Extract<
  ShopperOrderStatus,
  | "processing_fulfillment"
  | "pending_delivery"
  | "in_transit"
  | "out_for_delivery"
  | "attempted_delivery"
  | "ready_for_pickup"
  | "delivered"
  | "failed_delivery"
>;

export interface ShipmentState {
  fulfillmentId: string;
  stage: ShipmentStage;
  itemCount: number;
  /** False for gift cards and digital goods: fulfilled means delivered, and they are not a parcel. */
  requiresShipping: boolean;
}

export interface OrderStatusDescription {
  status: ShopperOrderStatus;
  /** English; other languages translate `status` and rebuild the detail from the counts. */
  label: string;
  /** Short English context for the UI ("2 of 3 items shipped"), or null. */
  detail: string | null;
  items: { shipped: number; unshipped: number; total: number };
  hasUnshippedItems: boolean;
  isPartiallyRefunded: boolean;
  /** Shipments that count (cancelled or failed fulfillment requests are left out). */
  shipments: ShipmentState[];
}

// A null stage means "this fulfillment is not a parcel on its way" (cancelled or voided).
const STAGE_BY_DISPLAY_STATUS: Record<FulfillmentDisplayStatus, ShipmentStage | null> = {
  SUBMITTED: "processing_fulfillment",
  LABEL_PURCHASED: "processing_fulfillment",
  LABEL_PRINTED: "processing_fulfillment",
  CONFIRMED: "pending_delivery",
  FULFILLED: "pending_delivery",
  MARKED_AS_FULFILLED: "pending_delivery",
  CARRIER_PICKED_UP: "in_transit",
  IN_TRANSIT: "in_transit",
  DELAYED: "in_transit",
  OUT_FOR_DELIVERY: "out_for_delivery",
  ATTEMPTED_DELIVERY: "attempted_delivery",
  READY_FOR_PICKUP: "ready_for_pickup",
  DELIVERED: "delivered",
  PICKED_UP: "delivered",
  FAILURE: "failed_delivery",
  NOT_DELIVERED: "failed_delivery",
  CANCELED: null,
  LABEL_VOIDED: null,
};

/** Order of a parcel's life, used to break ties between carrier events stamped with the same time. */
const EVENT_LIFECYCLE: readonly FulfillmentEventStatus[] = [
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

/**
 * Which parcel speaks for the order: states that need the shopper (or the store) to act come first,
 * then the least advanced parcel, since the order has not arrived until its slowest parcel has.
 */
const ORDER_STAGE_PRECEDENCE: readonly ShipmentStage[] = [
  "failed_delivery",
  "attempted_delivery",
  "ready_for_pickup",
  "processing_fulfillment",
  "pending_delivery",
  "in_transit",
  "out_for_delivery",
  "delivered",
];

// Cancelled, or a fulfillment-service request that failed: nothing left the warehouse.
const NOT_SHIPPING_FULFILLMENT_STATUSES: ReadonlySet<FulfillmentStatus> = new Set(["CANCELLED", "ERROR", "FAILURE"]);

const PROCESSING_ORDER_STATUSES: ReadonlySet<OrderFulfillmentStatus> = new Set([
  "IN_PROGRESS",
  "PENDING_FULFILLMENT",
  "ON_HOLD",
  "SCHEDULED",
]);

/** Chronological; equal times follow the parcel's life, then the id, so the order never flickers. */
export function compareFulfillmentEvents(a: FulfillmentEventSnapshot, b: FulfillmentEventSnapshot): number {
  return (
    timeOf(a.happenedAt) - timeOf(b.happenedAt) || compareInLifecycle(a.status, b.status) || compareIds(a.id, b.id)
  );
}

export function compareInLifecycle(a: FulfillmentEventStatus, b: FulfillmentEventStatus): number {
  return EVENT_LIFECYCLE.indexOf(a) - EVENT_LIFECYCLE.indexOf(b);
}

/** Code-unit order, not localeCompare: the same on every server and browser. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function latestFulfillmentEvent(fulfillment: FulfillmentSnapshot): FulfillmentEventSnapshot | null {
  return [...fulfillment.events].sort(compareFulfillmentEvents).at(-1) ?? null;
}

/**
 * Where one fulfillment is, or null when it does not count as a shipment. The latest carrier event
 * is preferred to displayStatus because events carry their own time and arrive by webhook before a
 * resync refreshes displayStatus; "delivered" from Shopify is final either way (event lists can be
 * truncated by pagination).
 */
export function shipmentStage(fulfillment: FulfillmentSnapshot): ShipmentStage | null {
  if (NOT_SHIPPING_FULFILLMENT_STATUSES.has(fulfillment.status)) return null;
  if (fulfillment.displayStatus === "CANCELED" || fulfillment.displayStatus === "LABEL_VOIDED") return null;
  // Gift cards and digital goods arrive the moment they are fulfilled.
  if (!fulfillment.requiresShipping && fulfillment.status === "SUCCESS") return "delivered";
  if (
    fulfillment.deliveredAt ||
    fulfillment.displayStatus === "DELIVERED" ||
    fulfillment.displayStatus === "PICKED_UP"
  ) {
    return "delivered";
  }
  const latest = latestFulfillmentEvent(fulfillment);
  if (latest) return STAGE_BY_DISPLAY_STATUS[latest.status];
  // Legacy third-party-service states: the service has not shipped yet.
  if (fulfillment.status === "PENDING" || fulfillment.status === "OPEN") return "processing_fulfillment";
  return fulfillment.displayStatus ? STAGE_BY_DISPLAY_STATUS[fulfillment.displayStatus] : "pending_delivery";
}

export function shopperOrderStatus(order: OrderSnapshot): ShopperOrderStatus {
  return describeOrderStatus(order).status;
}

export function describeOrderStatus(order: OrderSnapshot): OrderStatusDescription {
  const shipments = activeShipments(order);
  const items = itemCounts(order, shipments);
  const isPartiallyRefunded = hasPartialRefund(order);
  const status = decideStatus(order, shipments, items.unshipped, isPartiallyRefunded);
  return {
    status,
    label: SHOPPER_ORDER_STATUS_LABELS_EN[status],
    detail: describeDetail(order, status, shipments, items, isPartiallyRefunded),
    items,
    hasUnshippedItems: items.unshipped > 0,
    isPartiallyRefunded,
    shipments,
  };
}

function decideStatus(
  order: OrderSnapshot,
  shipments: ShipmentState[],
  unshipped: number,
  isPartiallyRefunded: boolean,
): ShopperOrderStatus {
  if (order.cancelledAt) return "cancelled";
  if (order.financialStatus === "REFUNDED") return "refunded";
  // A partial refund is news only once shipping has nothing more to say.
  if (isPartiallyRefunded && nothingLeftToShipOrDeliver(shipments, unshipped)) return "partially_refunded";
  return statusFromShipping(order, shipments, unshipped);
}

function nothingLeftToShipOrDeliver(shipments: ShipmentState[], unshipped: number): boolean {
  return unshipped === 0 && shipments.every((shipment) => shipment.stage === "delivered");
}

function statusFromShipping(order: OrderSnapshot, shipments: ShipmentState[], unshipped: number): ShopperOrderStatus {
  const stages = new Set(parcels(shipments).map((parcel) => parcel.stage));
  const leading = ORDER_STAGE_PRECEDENCE.find((stage) => stages.has(stage));
  if (!leading) return statusWithoutParcels(order.fulfillmentStatus, shipments, unshipped);
  // Some parcels arrived but more items are still to ship: the order is under way, not delivered.
  if (leading === "delivered" && unshipped > 0) return "processing_fulfillment";
  return leading;
}

function statusWithoutParcels(
  fulfillmentStatus: OrderFulfillmentStatus,
  shipments: ShipmentState[],
  unshipped: number,
): ShopperOrderStatus {
  if (PROCESSING_ORDER_STATUSES.has(fulfillmentStatus)) return "processing_fulfillment";
  if (unshipped === 0) {
    // Only gift cards or downloads, all fulfilled: they reached the shopper when fulfilled.
    if (shipments.length > 0) return "delivered";
    // Shopify says items went out but the snapshot holds no fulfillment record: shipped, nothing tracked.
    if (fulfillmentStatus === "FULFILLED" || fulfillmentStatus === "PARTIALLY_FULFILLED") return "pending_delivery";
  }
  return "unfulfilled";
}

function activeShipments(order: OrderSnapshot): ShipmentState[] {
  return order.fulfillments.flatMap((fulfillment) => {
    const stage = shipmentStage(fulfillment);
    if (!stage) return [];
    const itemCount = sumQuantities(fulfillment.lineItems.map((line) => line.quantity));
    return [{ fulfillmentId: fulfillment.id, stage, itemCount, requiresShipping: fulfillment.requiresShipping }];
  });
}

function parcels(shipments: ShipmentState[]): ShipmentState[] {
  return shipments.filter((shipment) => shipment.requiresShipping);
}

/** Physical items only: a gift card never waits in a warehouse. */
function itemCounts(order: OrderSnapshot, shipments: ShipmentState[]): OrderStatusDescription["items"] {
  const shipped = sumQuantities(parcels(shipments).map((parcel) => parcel.itemCount));
  const unshipped = sumQuantities(
    order.lineItems.filter((item) => item.requiresShipping).map((item) => item.fulfillableQuantity),
  );
  return { shipped, unshipped, total: shipped + unshipped };
}

function hasPartialRefund(order: OrderSnapshot): boolean {
  if (order.financialStatus === "REFUNDED") return false;
  return order.financialStatus === "PARTIALLY_REFUNDED" || isPositiveAmount(order.totalRefunded.amount);
}

function describeDetail(
  order: OrderSnapshot,
  status: ShopperOrderStatus,
  shipments: ShipmentState[],
  items: OrderStatusDescription["items"],
  isPartiallyRefunded: boolean,
): string | null {
  if (status === "cancelled") return order.cancelReason ? CANCEL_REASON_LABELS_EN[order.cancelReason] : null;
  if (status === "refunded" || status === "partially_refunded") return null;
  const parts: string[] = [];
  if (items.shipped > 0 && items.unshipped > 0) {
    parts.push(`${items.shipped} of ${items.total} items shipped`);
  } else if (parcels(shipments).length > 1) {
    const packages = parcels(shipments);
    const delivered = packages.filter((parcel) => parcel.stage === "delivered").length;
    parts.push(
      delivered > 0 && delivered < packages.length
        ? `${delivered} of ${packages.length} packages delivered`
        : `${packages.length} packages`,
    );
  }
  if (isPartiallyRefunded) parts.push("Partially refunded");
  return parts.length > 0 ? parts.join(" · ") : null;
}

function sumQuantities(quantities: readonly number[]): number {
  return quantities.reduce((total, quantity) => total + Math.max(0, quantity), 0);
}

/** "0.00", "0", "" and negatives are not a refund; avoids float parsing of money. */
function isPositiveAmount(amount: string): boolean {
  return !amount.trim().startsWith("-") && /[1-9]/.test(amount);
}

/** Unparseable times sort first rather than throwing: a bad timestamp must not hide the order. */
function timeOf(iso: string): number {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}
