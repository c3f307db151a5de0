// The emulator's world: plain records per shop. Money is kept in integer cents so totals add up
// exactly; GraphQL and webhook payloads format it as Shopify does ("12.50").

export type CurrencyCode = "EUR" | "USD" | "CAD" | "GBP";

export interface AddressRecord {
  id: number;
  firstName: string;
  lastName: string;
  company: string | null;
  address1: string;
  address2: string | null;
  city: string;
  province: string | null;
  provinceCode: string | null;
  country: string;
  countryCode: string;
  zip: string;
  phone: string | null;
}

export interface CustomerRecord {
  id: number;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  note: string | null;
  tags: string[];
  state: "ENABLED" | "DISABLED" | "INVITED" | "DECLINED";
  verifiedEmail: boolean;
  locale: string;
  createdAt: string;
  updatedAt: string;
  addresses: AddressRecord[];
  /** Orders of this customer, in creation order (kept in sync by the world). */
  orderIds: number[];
}

export interface LineItemRecord {
  id: number;
  title: string;
  variantTitle: string | null;
  sku: string;
  vendor: string;
  quantity: number;
  unitPriceCents: number;
  productId: number;
  variantId: number;
  grams: number;
  requiresShipping: boolean;
}

export type FulfillmentEventStatus =
  | "LABEL_PRINTED"
  | "LABEL_PURCHASED"
  | "CONFIRMED"
  | "CARRIER_PICKED_UP"
  | "IN_TRANSIT"
  | "OUT_FOR_DELIVERY"
  | "ATTEMPTED_DELIVERY"
  | "DELAYED"
  | "READY_FOR_PICKUP"
  | "DELIVERED"
  | "FAILURE";

export const FULFILLMENT_EVENT_STATUSES: readonly FulfillmentEventStatus[] = [
  "LABEL_PRINTED",
  "LABEL_PURCHASED",
  "CONFIRMED",
  "CARRIER_PICKED_UP",
  "IN_TRANSIT",
  "OUT_FOR_DELIVERY",
  "ATTEMPTED_DELIVERY",
  "DELAYED",
  "READY_FOR_PICKUP",
  "DELIVERED",
  "FAILURE",
];

export interface FulfillmentEventRecord {
  id: number;
  status: FulfillmentEventStatus;
  message: string | null;
  happenedAt: string;
  createdAt: string;
  estimatedDeliveryAt: string | null;
  city: string | null;
  country: string | null;
}

export interface TrackingInfoRecord {
  company: string | null;
  number: string | null;
  url: string | null;
}

export interface FulfillmentRecord {
  id: number;
  name: string;
  status: "SUCCESS" | "CANCELLED" | "PENDING" | "OPEN" | "ERROR" | "FAILURE";
  createdAt: string;
  updatedAt: string;
  trackingInfo: TrackingInfoRecord[];
  lineItems: { id: number; lineItemId: number; quantity: number }[];
  events: FulfillmentEventRecord[];
}

/** RefundLineItem.restockType: CANCEL puts unfulfilled items back in stock, RETURN returned ones. */
export type RestockType = "NO_RESTOCK" | "CANCEL" | "RETURN";

export interface RefundRecord {
  id: number;
  createdAt: string;
  note: string | null;
  lineItems: {
    id: number;
    lineItemId: number;
    quantity: number;
    subtotalCents: number;
    /** Absent in snapshots from before restocking was modelled: NO_RESTOCK. */
    restockType?: RestockType;
  }[];
  shippingCents: number;
  /** Total money returned to the buyer (line items + shipping, or a custom amount). */
  amountCents: number;
  transactionId: number;
  gateway: string;
}

export type ReturnStatus = "REQUESTED" | "OPEN" | "CLOSED" | "DECLINED" | "CANCELED";
export type ReturnDeclineReason = "FINAL_SALE" | "OTHER" | "RETURN_PERIOD_ENDED";

export interface ReturnLineItemRecord {
  id: number;
  fulfillmentLineItemId: number;
  lineItemId: number;
  quantity: number;
  /** ReturnReason enum value (UNKNOWN when the request gave none). */
  reason: string;
  /** Optional in snapshots from before these were modelled. */
  reasonNote?: string;
  customerNote?: string | null;
}

export interface ReturnRecord {
  id: number;
  name: string;
  status: ReturnStatus;
  createdAt: string;
  requestApprovedAt: string | null;
  closedAt: string | null;
  /** Set when the request was declined (optional in older snapshots). */
  decline?: { reason: ReturnDeclineReason; note: string | null } | null;
  lineItems: ReturnLineItemRecord[];
}

export type FinancialStatus = "PENDING" | "AUTHORIZED" | "PAID" | "PARTIALLY_PAID" | "VOIDED" | "EXPIRED";
export type CancelReason = "CUSTOMER" | "DECLINED" | "FRAUD" | "INVENTORY" | "OTHER" | "STAFF";

export interface OrderRecord {
  id: number;
  number: number;
  name: string;
  email: string | null;
  phone: string | null;
  customerId: number | null;
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  cancelledAt: string | null;
  cancelReason: CancelReason | null;
  /** orderCancel's staffNote (Order.cancellation.staffNote); optional in older snapshots. */
  cancellationStaffNote?: string | null;
  closedAt: string | null;
  currencyCode: CurrencyCode;
  /** Payment state before refunds; refunds are derived from `refunds`. */
  financialStatus: FinancialStatus;
  lineItems: LineItemRecord[];
  shippingCents: number;
  shippingTitle: string;
  shippingLineId: number;
  shippingAddress: AddressRecord | null;
  billingAddress: AddressRecord | null;
  paymentGatewayNames: string[];
  fulfillments: FulfillmentRecord[];
  refunds: RefundRecord[];
  returns: ReturnRecord[];
  note: string | null;
  tags: string[];
  sourceName: string;
  token: string;
  confirmationNumber: string;
  customerLocale: string;
}

export interface ShopRecord {
  id: number;
  domain: string;
  name: string;
  email: string;
  contactEmail: string;
  ownerName: string;
  currencyCode: CurrencyCode;
  ianaTimezone: string;
  timezoneLabel: string;
  plan: { displayName: string; partnerDevelopment: boolean; shopifyPlus: boolean };
  address: {
    address1: string;
    city: string;
    province: string;
    provinceCode: string;
    country: string;
    countryCode: string;
    countryName: string;
    zip: string;
    phone: string;
  };
  primaryLocale: string;
  createdAt: string;
  updatedAt: string;
}

// ---- derived values ----------------------------------------------------------------------

export const gid = (type: string, id: number | string) => `gid://shopify/${type}/${id}`;

/** Parses `gid://shopify/Order/123` (query strings such as `?model_name=` are ignored). */
export function parseGid(value: string): { type: string; id: number } | null {
  const match = /^gid:\/\/shopify\/(\w+)\/(\d+)(?:\?.*)?$/.exec(value);
  return match ? { type: match[1]!, id: Number(match[2]) } : null;
}

export const formatCents = (cents: number) => (cents / 100).toFixed(2);

export function lineItemsSubtotalCents(order: OrderRecord): number {
  return order.lineItems.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0);
}

export const orderTotalCents = (order: OrderRecord) => lineItemsSubtotalCents(order) + order.shippingCents;

export const refundedCents = (order: OrderRecord) => order.refunds.reduce((sum, refund) => sum + refund.amountCents, 0);

export function fulfilledQuantity(order: OrderRecord, lineItemId: number): number {
  let quantity = 0;
  for (const fulfillment of order.fulfillments) {
    if (fulfillment.status !== "SUCCESS") continue;
    for (const item of fulfillment.lineItems) if (item.lineItemId === lineItemId) quantity += item.quantity;
  }
  return quantity;
}

/** Returns that still hold their items: a declined or canceled request frees them for a new return. */
export const returnHoldsItems = (ret: ReturnRecord) => ret.status !== "DECLINED" && ret.status !== "CANCELED";

/** What of a fulfillment line item can still be returned: shipped minus what active returns hold. */
export function returnableQuantity(order: OrderRecord, fulfillmentLineItemId: number): number {
  let shipped = 0;
  for (const fulfillment of order.fulfillments) {
    if (fulfillment.status !== "SUCCESS") continue;
    for (const line of fulfillment.lineItems) if (line.id === fulfillmentLineItemId) shipped += line.quantity;
  }
  let held = 0;
  for (const ret of order.returns) {
    if (!returnHoldsItems(ret)) continue;
    for (const line of ret.lineItems) if (line.fulfillmentLineItemId === fulfillmentLineItemId) held += line.quantity;
  }
  return Math.max(0, shipped - held);
}

export function refundedQuantity(order: OrderRecord, lineItemId: number): number {
  let quantity = 0;
  for (const refund of order.refunds) {
    for (const item of refund.lineItems) if (item.lineItemId === lineItemId) quantity += item.quantity;
  }
  return quantity;
}

/** Quantity still to ship: ordered minus shipped minus refunded-before-shipping. */
export function unfulfilledQuantity(order: OrderRecord, item: LineItemRecord): number {
  if (order.cancelledAt) return 0;
  const fulfilled = fulfilledQuantity(order, item.id);
  const removed = Math.max(0, refundedQuantity(order, item.id) - fulfilled);
  return Math.max(0, item.quantity - fulfilled - removed);
}

export function displayFulfillmentStatus(order: OrderRecord): "UNFULFILLED" | "PARTIALLY_FULFILLED" | "FULFILLED" {
  let ordered = 0;
  let fulfilled = 0;
  for (const item of order.lineItems) {
    ordered += item.quantity;
    fulfilled += Math.min(item.quantity, fulfilledQuantity(order, item.id));
  }
  if (fulfilled === 0) return "UNFULFILLED";
  return fulfilled >= ordered ? "FULFILLED" : "PARTIALLY_FULFILLED";
}

export function displayFinancialStatus(order: OrderRecord): FinancialStatus | "REFUNDED" | "PARTIALLY_REFUNDED" {
  const refunded = refundedCents(order);
  if (refunded > 0) return refunded >= orderTotalCents(order) ? "REFUNDED" : "PARTIALLY_REFUNDED";
  return order.financialStatus;
}

/** Fulfillment.displayStatus: the latest tracking event wins, otherwise "FULFILLED". */
export function fulfillmentDisplayStatus(fulfillment: FulfillmentRecord): string {
  if (fulfillment.status === "CANCELLED") return "CANCELED";
  const latest = latestEvent(fulfillment);
  return latest ? latest.status : "FULFILLED";
}

export function latestEvent(fulfillment: FulfillmentRecord): FulfillmentEventRecord | undefined {
  let latest: FulfillmentEventRecord | undefined;
  for (const event of fulfillment.events) {
    if (!latest || event.happenedAt >= latest.happenedAt) latest = event;
  }
  return latest;
}

export const customerDisplayName = (customer: CustomerRecord) =>
  `${customer.firstName} ${customer.lastName}`.trim() || customer.email || customer.phone || "";

export const addressName = (address: AddressRecord) => `${address.firstName} ${address.lastName}`.trim();
