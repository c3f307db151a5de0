/**
 * A synced Shopify order, normalised so that both the Admin GraphQL sync and the REST webhook
 * payloads (orders/*, fulfillments/*, fulfillment_events/create, refunds/create) map onto it.
 * Enum values are the GraphQL Admin 2026-07 spellings; REST's lower-case values are converted
 * with the helpers at the bottom. Timestamps stay ISO 8601 strings so a snapshot survives a JSON
 * column or a Remix loader unchanged; compare them with Date.parse, never as strings (REST sends
 * local offsets such as "2021-12-31T19:00:00-05:00").
 */

/** ISO 8601 date-time, with or without an offset. */
export type IsoDateTime = string;

/** A decimal amount kept as Shopify sends it ("89.99"): floats would round money. */
export interface Money {
  amount: string;
  currencyCode: string;
}

/** OrderDisplayFinancialStatus. */
export const ORDER_FINANCIAL_STATUSES = [
  "PENDING",
  "AUTHORIZED",
  "PARTIALLY_PAID",
  "PAID",
  "PARTIALLY_REFUNDED",
  "REFUNDED",
  "VOIDED",
  "EXPIRED",
] as const;
export type OrderFinancialStatus = (typeof ORDER_FINANCIAL_STATUSES)[number];

/** OrderDisplayFulfillmentStatus (OPEN, PENDING_FULFILLMENT and RESTOCKED are legacy but still returned). */
export const ORDER_FULFILLMENT_STATUSES = [
  "UNFULFILLED",
  "PARTIALLY_FULFILLED",
  "FULFILLED",
  "RESTOCKED",
  "PENDING_FULFILLMENT",
  "OPEN",
  "IN_PROGRESS",
  "ON_HOLD",
  "SCHEDULED",
  "REQUEST_DECLINED",
] as const;
export type OrderFulfillmentStatus = (typeof ORDER_FULFILLMENT_STATUSES)[number];

/** OrderCancelReason. */
export const ORDER_CANCEL_REASONS = ["CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "OTHER", "STAFF"] as const;
export type OrderCancelReason = (typeof ORDER_CANCEL_REASONS)[number];

/** FulfillmentStatus (OPEN and PENDING are legacy third-party-service states). */
export const FULFILLMENT_STATUSES = ["SUCCESS", "CANCELLED", "ERROR", "FAILURE", "OPEN", "PENDING"] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

/** FulfillmentDisplayStatus, exactly as in the Admin 2026-07 schema. */
export const FULFILLMENT_DISPLAY_STATUSES = [
  "ATTEMPTED_DELIVERY",
  "CANCELED",
  "CARRIER_PICKED_UP",
  "CONFIRMED",
  "DELAYED",
  "DELIVERED",
  "FAILURE",
  "FULFILLED",
  "IN_TRANSIT",
  "LABEL_PRINTED",
  "LABEL_PURCHASED",
  "LABEL_VOIDED",
  "MARKED_AS_FULFILLED",
  "NOT_DELIVERED",
  "OUT_FOR_DELIVERY",
  "PICKED_UP",
  "READY_FOR_PICKUP",
  "SUBMITTED",
] as const;
export type FulfillmentDisplayStatus = (typeof FULFILLMENT_DISPLAY_STATUSES)[number];

/** FulfillmentEventStatus, exactly as in the Admin 2026-07 schema. */
export const FULFILLMENT_EVENT_STATUSES = [
  "ATTEMPTED_DELIVERY",
  "CARRIER_PICKED_UP",
  "CONFIRMED",
  "DELAYED",
  "DELIVERED",
  "FAILURE",
  "IN_TRANSIT",
  "LABEL_PRINTED",
  "LABEL_PURCHASED",
  "OUT_FOR_DELIVERY",
  "READY_FOR_PICKUP",
] as const;
export type FulfillmentEventStatus = (typeof FULFILLMENT_EVENT_STATUSES)[number];

/** `shipment_status` of the REST fulfillment webhooks (null until a carrier reports). */
export const REST_SHIPMENT_STATUSES = [
  "label_printed",
  "label_purchased",
  "attempted_delivery",
  "ready_for_pickup",
  "confirmed",
  "in_transit",
  "out_for_delivery",
  "delivered",
  "failure",
] as const;
export type RestShipmentStatus = (typeof REST_SHIPMENT_STATUSES)[number];

export interface LineItemSnapshot {
  id: string;
  title: string;
  quantity: number;
  /** Still to ship: Shopify already subtracts fulfilled, in-progress, refunded and removed units. */
  fulfillableQuantity: number;
  refundedQuantity: number;
  /** False for gift cards and digital goods: they never travel with a carrier. */
  requiresShipping: boolean;
  /** "Blue / M"; null for a product without variants. Absent from orders synced before it was kept. */
  variantTitle?: string | null;
  /** One unit before discounts (GraphQL originalUnitPriceSet, REST price_set), in the shop's currency. */
  unitPrice?: Money | null;
}

export interface TrackingInfo {
  company: string | null;
  number: string | null;
  url: string | null;
}

export interface FulfillmentLineItemSnapshot {
  lineItemId: string;
  quantity: number;
}

export interface FulfillmentEventSnapshot {
  id: string;
  status: FulfillmentEventStatus;
  happenedAt: IsoDateTime;
  message: string | null;
  city: string | null;
  province: string | null;
  country: string | null;
}

export interface FulfillmentSnapshot {
  id: string;
  /** "#1001-F1" in GraphQL, "#1001.1" in REST. */
  name: string | null;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
  status: FulfillmentStatus;
  /** GraphQL displayStatus, or REST shipment_status via displayStatusFromShipmentStatus. */
  displayStatus: FulfillmentDisplayStatus | null;
  deliveredAt: IsoDateTime | null;
  estimatedDeliveryAt: IsoDateTime | null;
  requiresShipping: boolean;
  tracking: TrackingInfo[];
  lineItems: FulfillmentLineItemSnapshot[];
  /** Any order: consumers sort by happenedAt. */
  events: FulfillmentEventSnapshot[];
}

export interface RefundSnapshot {
  id: string;
  /** Nullable in the Admin API; a refund without a date has no place on a timeline. */
  createdAt: IsoDateTime | null;
  amount: Money;
  lineItems: FulfillmentLineItemSnapshot[];
}

export interface PaymentSnapshot {
  gatewayNames: string[];
  /** When the order became paid (last successful SALE/CAPTURE), if the source told us. */
  paidAt: IsoDateTime | null;
}

export interface OrderSnapshot {
  id: string;
  /** "#1001". */
  name: string;
  createdAt: IsoDateTime;
  /** When the shopper placed it; differs from createdAt for imported orders. */
  processedAt: IsoDateTime;
  cancelledAt: IsoDateTime | null;
  cancelReason: OrderCancelReason | null;
  closedAt: IsoDateTime | null;
  /** Nullable in the Admin API (e.g. some draft-order conversions). */
  financialStatus: OrderFinancialStatus | null;
  fulfillmentStatus: OrderFulfillmentStatus;
  totalPrice: Money;
  totalRefunded: Money;
  lineItems: LineItemSnapshot[];
  fulfillments: FulfillmentSnapshot[];
  refunds: RefundSnapshot[];
  payment: PaymentSnapshot;
}

// --- REST → snapshot value conversions -------------------------------------------------------

/** REST shipment_status "in_transit" → displayStatus IN_TRANSIT; unknown values are dropped, not guessed. */
export function displayStatusFromShipmentStatus(value: string | null | undefined): FulfillmentDisplayStatus | null {
  return enumValue(FULFILLMENT_DISPLAY_STATUSES, value);
}

/** REST fulfillment event status "out_for_delivery" → OUT_FOR_DELIVERY. */
export function eventStatusFromRest(value: string | null | undefined): FulfillmentEventStatus | null {
  return enumValue(FULFILLMENT_EVENT_STATUSES, value);
}

function enumValue<T extends string>(values: readonly T[], value: string | null | undefined): T | null {
  const upper = value?.trim().toUpperCase();
  return values.find((candidate) => candidate === upper) ?? null;
}

// --- Small constructors for tests, fixtures and the demo store ------------------------------

let sequence = 0;
const nextId = (type: string) => `gid://shopify/${type}/${++sequence}`;

export function money(amount: string, currencyCode = "USD"): Money {
  return { amount, currencyCode };
}

export function buildLineItem(overrides: Partial<LineItemSnapshot> = {}): LineItemSnapshot {
  const quantity = overrides.quantity ?? 1;
  return {
    id: nextId("LineItem"),
    title: "Aviator sunglasses",
    quantity,
    fulfillableQuantity: quantity,
    refundedQuantity: 0,
    requiresShipping: true,
    ...overrides,
  };
}

export function buildTracking(overrides: Partial<TrackingInfo> = {}): TrackingInfo {
  return { company: "UPS", number: "1Z999AA10123456784", url: null, ...overrides };
}

export function buildFulfillmentEvent(overrides: Partial<FulfillmentEventSnapshot> = {}): FulfillmentEventSnapshot {
  return {
    id: nextId("FulfillmentEvent"),
    status: "IN_TRANSIT",
    happenedAt: "2026-03-02T09:00:00Z",
    message: null,
    city: null,
    province: null,
    country: null,
    ...overrides,
  };
}

export function buildFulfillment(overrides: Partial<FulfillmentSnapshot> = {}): FulfillmentSnapshot {
  const createdAt = overrides.createdAt ?? "2026-03-01T15:00:00Z";
  return {
    id: nextId("Fulfillment"),
    name: null,
    createdAt,
    updatedAt: createdAt,
    status: "SUCCESS",
    displayStatus: "FULFILLED",
    deliveredAt: null,
    estimatedDeliveryAt: null,
    requiresShipping: true,
    tracking: [buildTracking()],
    lineItems: [],
    events: [],
    ...overrides,
  };
}

export function buildRefund(overrides: Partial<RefundSnapshot> = {}): RefundSnapshot {
  return {
    id: nextId("Refund"),
    createdAt: "2026-03-05T10:00:00Z",
    amount: money("10.00"),
    lineItems: [],
    ...overrides,
  };
}

/** A paid, unfulfilled one-item order unless told otherwise. */
export function buildOrder(overrides: Partial<OrderSnapshot> = {}): OrderSnapshot {
  const createdAt = overrides.createdAt ?? "2026-03-01T10:00:00Z";
  return {
    id: nextId("Order"),
    name: "#1001",
    createdAt,
    processedAt: createdAt,
    cancelledAt: null,
    cancelReason: null,
    closedAt: null,
    financialStatus: "PAID",
    fulfillmentStatus: "UNFULFILLED",
    totalPrice: money("89.99"),
    totalRefunded: money("0.00"),
    lineItems: [buildLineItem()],
    fulfillments: [],
    refunds: [],
    payment: { gatewayNames: ["shopify_payments"], paidAt: createdAt },
    ...overrides,
  };
}
