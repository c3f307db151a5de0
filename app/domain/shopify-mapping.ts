import { z } from "zod";
import {
  displayStatusFromShipmentStatus,
  eventStatusFromRest,
  FULFILLMENT_DISPLAY_STATUSES,
  FULFILLMENT_EVENT_STATUSES,
  FULFILLMENT_STATUSES,
  ORDER_CANCEL_REASONS,
  ORDER_FINANCIAL_STATUSES,
  ORDER_FULFILLMENT_STATUSES,
  type FulfillmentEventSnapshot,
  type FulfillmentLineItemSnapshot,
  type FulfillmentSnapshot,
  type FulfillmentStatus,
  type IsoDateTime,
  type LineItemSnapshot,
  type Money,
  type OrderFulfillmentStatus,
  type OrderSnapshot,
  type RefundSnapshot,
  type TrackingInfo,
} from "./order-snapshot";
import { compareFulfillmentEvents } from "./order-status";

/**
 * Shopify → snapshot mapping for both sync paths: REST-shaped webhook bodies and Admin GraphQL
 * nodes (ORDER_FIELDS / CUSTOMER_FIELDS in ~/services/shopify/order-documents, or bulk JSONL put
 * back together by assembleBulkOrders). Both produce the same values for the same order:
 * identity is always the GID (`admin_graphql_api_id` / `id`), money a decimal string with at
 * least two decimals, every timestamp ISO 8601 UTC without milliseconds.
 *
 * What the two shapes do not share, and how it is settled:
 * - REST has no carrier events, no deliveredAt/estimatedDeliveryAt and no paidAt; those stay
 *   null/[] and the merges never let such an unknown erase what another source knew.
 * - REST's shipment_status is null until a carrier reports, where GraphQL says FULFILLED (or
 *   MARKED_AS_FULFILLED…); null is kept rather than guessed (order-status reads both alike).
 *   A cancelled REST fulfillment is CANCELED, which GraphQL always says for those.
 * - REST names fulfillments "#1001.1", GraphQL "#1001-F1": REST names are rewritten.
 * - REST's order fulfillment_status has only fulfilled/partial/restocked/null; GraphQL's
 *   IN_PROGRESS, ON_HOLD, SCHEDULED… read as UNFULFILLED from a webhook.
 * - REST has no order totalRefunded: it is the sum of the refunds' successful refund
 *   transactions (transaction currency, i.e. presentment currency on multi-currency stores).
 * - REST customer webhooks carry no tags, locale, order count or amount spent: null, kept from
 *   what GraphQL said by mergeCustomerSnapshots.
 * - Numeric REST ids above 2^53 are rounded by JSON.parse. Identity never uses them; the few
 *   links that exist only as numbers (fulfillment_id, order_id) are turned into GIDs only when
 *   exact: parse bodies with parseShopifyJson to keep every digit.
 */

// --- Snapshot types added by the sync ---------------------------------------------------------

export interface AddressSnapshot {
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  country: string | null;
  countryCode: string | null;
  zip: string | null;
  phone: string | null;
}

/** ReturnStatus. */
export const RETURN_STATUSES = ["CANCELED", "CLOSED", "DECLINED", "OPEN", "REQUESTED"] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export interface ReturnSnapshot {
  id: string;
  name: string | null;
  status: ReturnStatus;
}

/** OrderSnapshot plus what the helpdesk shows around it; usable wherever an OrderSnapshot is. */
export interface ShopifyOrderSnapshot extends OrderSnapshot {
  /** Orders Shopify changed later win (see mergeOrderSnapshots). */
  updatedAt: IsoDateTime;
  email: string | null;
  phone: string | null;
  customerId: string | null;
  currencyCode: string;
  subtotalPrice: Money | null;
  note: string | null;
  tags: string[];
  shippingAddress: AddressSnapshot | null;
  billingAddress: AddressSnapshot | null;
  returns: ReturnSnapshot[];
}

/** CustomerState. */
export const CUSTOMER_STATES = ["DECLINED", "DISABLED", "ENABLED", "INVITED"] as const;
export type CustomerState = (typeof CUSTOMER_STATES)[number];

export interface ShopifyCustomerSnapshot {
  id: string;
  firstName: string | null;
  lastName: string | null;
  displayName: string;
  /** Trimmed and lower-cased. */
  email: string | null;
  /** As Shopify has it. */
  phone: string | null;
  /** "+14155550123" when the number carries its country code, else null. */
  phoneE164: string | null;
  note: string | null;
  /** Null when the source does not say (REST customer webhooks). */
  tags: string[] | null;
  state: CustomerState | null;
  locale: string | null;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
  defaultAddress: AddressSnapshot | null;
  addresses: AddressSnapshot[];
  numberOfOrders: number | null;
  amountSpent: Money | null;
}

/** A fulfillments/create|update webhook, with the order it belongs to when known exactly. */
export interface FulfillmentUpdate {
  orderId: string | null;
  fulfillment: FulfillmentSnapshot;
}

/** A fulfillment_events/create webhook. */
export interface FulfillmentEventUpdate {
  orderId: string | null;
  fulfillmentId: string;
  event: FulfillmentEventSnapshot;
  estimatedDeliveryAt: IsoDateTime | null;
}

/** A refunds/create webhook. */
export interface RefundUpdate {
  orderId: string | null;
  refund: RefundSnapshot;
}

// --- Value normalisation ------------------------------------------------------------------------

/** Any ISO 8601 time with an offset → "2026-11-01T15:00:00Z" (milliseconds only when present). */
export function toUtcIso(value: string): IsoDateTime {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new RangeError(`Not a timestamp: ${value}`);
  return new Date(time).toISOString().replace(/\.000Z$/, "Z");
}

/** "12.5", "12.50", 12.5 → "12.50"; more decimals are kept ("1.005"). Never goes through a float sum. */
export function normalizeDecimal(value: string | number): string {
  const text = String(value).trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`Not a decimal amount: ${text}`);
  const [, sign = "", whole = "0", fraction = ""] = match;
  const trimmed = fraction.replace(/0+$/, "");
  const digits = trimmed.length >= 2 ? trimmed : trimmed.padEnd(2, "0");
  const integer = whole.replace(/^0+(?=\d)/, "");
  return `${sign}${integer}.${digits}`;
}

function scaledDecimals(values: string[]): { scaled: bigint[]; scale: number } {
  const scale = Math.max(2, ...values.map((value) => value.split(".")[1]?.length ?? 0));
  const scaled = values.map((value) => {
    const negative = value.startsWith("-");
    const [whole = "0", fraction = ""] = value.replace(/^-/, "").split(".");
    const units = BigInt(whole + fraction.padEnd(scale, "0"));
    return negative ? -units : units;
  });
  return { scaled, scale };
}

function formatScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const text = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return normalizeDecimal(negative ? `-${text}` : text);
}

/** Exact sum of decimal strings. */
export function addDecimals(values: string[]): string {
  const { scaled, scale } = scaledDecimals(values.length > 0 ? values.map(normalizeDecimal) : ["0"]);
  return formatScaled(
    scaled.reduce((total, value) => total + value, 0n),
    scale,
  );
}

export function compareDecimals(a: string, b: string): number {
  const { scaled } = scaledDecimals([normalizeDecimal(a), normalizeDecimal(b)]);
  const [left = 0n, right = 0n] = scaled;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** "555-555-SHIP" → null; "+1 (415) 555-0123" → "+14155550123"; "0044 20 7946 0958" → "+442079460958". */
export function normalizePhoneE164(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const compact = phone.trim().replace(/[\s().-]/g, "");
  const international = compact.startsWith("00") ? `+${compact.slice(2)}` : compact;
  return /^\+[1-9]\d{6,14}$/.test(international) ? international : null;
}

export function normalizeEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim().toLowerCase();
  return trimmed ? trimmed : null;
}

/** REST sends tags as "a, b"; GraphQL as a list. */
function tagList(tags: string | string[] | null | undefined): string[] {
  const list = Array.isArray(tags) ? tags : (tags ?? "").split(",");
  return list.map((tag) => tag.trim()).filter(Boolean);
}

/** REST "#1001.2" → GraphQL's "#1001-F2", so both sources name a fulfillment alike. */
export function normalizeFulfillmentName(name: string | null | undefined): string | null {
  if (!name) return null;
  const rest = /^(.*)\.(\d+)$/.exec(name);
  return rest ? `${rest[1]}-F${rest[2]}` : name;
}

function upperEnum<T extends string>(values: readonly T[], value: string | null | undefined): T | null {
  const upper = value?.trim().toUpperCase();
  return values.find((candidate) => candidate === upper) ?? null;
}

// --- Ids ----------------------------------------------------------------------------------------

export class ShopifyIdPrecisionError extends Error {
  constructor(
    readonly type: string,
    readonly value: number,
  ) {
    super(`${type} id ${value} is above 2^53 and was rounded by JSON.parse; parse the body with parseShopifyJson`);
    this.name = "ShopifyIdPrecisionError";
  }
}

/** GID from a REST numeric id; throws when JSON.parse already lost digits. */
export function gidFromRestId(type: string, id: number | string): string {
  if (typeof id === "number" && !Number.isSafeInteger(id)) throw new ShopifyIdPrecisionError(type, id);
  const digits = String(id);
  if (!/^\d+$/.test(digits)) throw new RangeError(`Not a ${type} id: ${digits}`);
  return `gid://shopify/${type}/${digits}`;
}

/** Like gidFromRestId, but null for an absent or rounded id: for links that are only routing hints. */
function gidOrNull(type: string, id: number | string | null | undefined): string | null {
  if (id === null || id === undefined) return null;
  if (typeof id === "number" && !Number.isSafeInteger(id)) return null;
  return gidFromRestId(type, id);
}

/**
 * JSON.parse that keeps integers beyond 2^53 exact by reading them as strings. Only bare
 * integer tokens outside strings are touched; everything else parses as usual.
 */
export function parseShopifyJson(text: string): unknown {
  let quoted = "";
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '"') {
      const end = endOfJsonString(text, index);
      quoted += text.slice(index, end);
      index = end;
    } else if (char === "-" || (char >= "0" && char <= "9")) {
      const token = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(index, index + 400))![0];
      const unsafeInteger = /^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token));
      quoted += unsafeInteger ? `"${token}"` : token;
      index += token.length;
    } else {
      quoted += char;
      index++;
    }
  }
  return JSON.parse(quoted) as unknown;
}

function endOfJsonString(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length && text[index] !== '"') index += text[index] === "\\" ? 2 : 1;
  return index + 1;
}

// --- Zod building blocks ------------------------------------------------------------------------

const gid = z.string().regex(/^gid:\/\/shopify\/\w+\/\d+/, "expected a Shopify GID");
const restNumericId = z.union([z.number(), z.string().regex(/^\d+$/)]);
const timestamp = z.string().transform((value, context) => {
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    context.addIssue({ code: "custom", message: `not a timestamp: ${value}` });
    return z.NEVER;
  }
  return toUtcIso(value);
});
const optionalTimestamp = timestamp.nullish().transform((value) => value ?? null);
const optionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? null);
const decimal = z.union([z.string(), z.number()]).transform((value, context) => {
  try {
    return normalizeDecimal(value);
  } catch {
    context.addIssue({ code: "custom", message: `not a decimal amount: ${value}` });
    return z.NEVER;
  }
});

// --- REST webhook schemas (loose: unknown keys pass through) ------------------------------------

const restMoneySet = z.looseObject({
  shop_money: z.looseObject({ amount: decimal, currency_code: z.string() }),
});

const restAddress = z
  .looseObject({
    name: optionalText,
    first_name: optionalText,
    last_name: optionalText,
    company: optionalText,
    address1: optionalText,
    address2: optionalText,
    city: optionalText,
    province: optionalText,
    province_code: optionalText,
    country: optionalText,
    country_code: optionalText,
    zip: optionalText,
    phone: optionalText,
  })
  .nullish();

const restLineItem = z.looseObject({
  admin_graphql_api_id: gid,
  title: z.string(),
  quantity: z.number().int(),
  current_quantity: z.number().int().nullish(),
  fulfillable_quantity: z.number().int().nullish(),
  requires_shipping: z.boolean().nullish(),
});

export const RestFulfillmentSchema = z.looseObject({
  admin_graphql_api_id: gid,
  order_id: restNumericId.nullish(),
  name: optionalText,
  status: z.string(),
  created_at: timestamp,
  updated_at: timestamp,
  shipment_status: optionalText,
  tracking_company: optionalText,
  tracking_numbers: z.array(z.string()).nullish(),
  tracking_urls: z.array(z.string()).nullish(),
  line_items: z
    .array(
      z.looseObject({
        admin_graphql_api_id: gid,
        quantity: z.number().int(),
        requires_shipping: z.boolean().nullish(),
      }),
    )
    .nullish(),
});
export type RestFulfillmentPayload = z.input<typeof RestFulfillmentSchema>;

export const RestFulfillmentEventSchema = z.looseObject({
  admin_graphql_api_id: gid,
  fulfillment_id: restNumericId,
  order_id: restNumericId.nullish(),
  status: z.string(),
  happened_at: timestamp,
  message: optionalText,
  city: optionalText,
  province: optionalText,
  country: optionalText,
  estimated_delivery_at: optionalTimestamp,
});
export type RestFulfillmentEventPayload = z.input<typeof RestFulfillmentEventSchema>;

export const RestRefundSchema = z.looseObject({
  admin_graphql_api_id: gid,
  order_id: restNumericId.nullish(),
  created_at: optionalTimestamp,
  total_duties_set: restMoneySet.nullish(),
  refund_line_items: z
    .array(
      z.looseObject({
        line_item_id: restNumericId,
        quantity: z.number().int(),
        line_item: z.looseObject({ admin_graphql_api_id: gid }).nullish(),
      }),
    )
    .nullish(),
  transactions: z
    .array(
      z.looseObject({
        kind: z.string(),
        status: optionalText,
        amount: decimal,
        currency: optionalText,
      }),
    )
    .nullish(),
});
export type RestRefundPayload = z.input<typeof RestRefundSchema>;

/** orders/create|updated|cancelled|fulfilled|partially_fulfilled|edited|paid. */
export const RestOrderSchema = z.looseObject({
  admin_graphql_api_id: gid,
  name: z.string(),
  email: optionalText,
  phone: optionalText,
  created_at: timestamp,
  updated_at: timestamp,
  processed_at: optionalTimestamp,
  cancelled_at: optionalTimestamp,
  cancel_reason: optionalText,
  closed_at: optionalTimestamp,
  financial_status: optionalText,
  fulfillment_status: optionalText,
  currency: z.string(),
  total_price_set: restMoneySet,
  subtotal_price_set: restMoneySet.nullish(),
  payment_gateway_names: z.array(z.string()).nullish(),
  customer: z.looseObject({ admin_graphql_api_id: gid }).nullish(),
  shipping_address: restAddress,
  billing_address: restAddress,
  note: optionalText,
  tags: z.union([z.string(), z.array(z.string())]).nullish(),
  line_items: z.array(restLineItem),
  fulfillments: z.array(RestFulfillmentSchema).nullish(),
  refunds: z.array(RestRefundSchema).nullish(),
  returns: z.array(z.looseObject({ admin_graphql_api_id: gid, name: optionalText, status: z.string() })).nullish(),
});
export type RestOrderPayload = z.input<typeof RestOrderSchema>;

const restCustomerAddress = restAddress.unwrap().unwrap();

/** customers/create|update. */
export const RestCustomerSchema = z.looseObject({
  admin_graphql_api_id: gid,
  first_name: optionalText,
  last_name: optionalText,
  email: optionalText,
  phone: optionalText,
  note: optionalText,
  tags: z.union([z.string(), z.array(z.string())]).nullish(),
  state: optionalText,
  locale: optionalText,
  created_at: timestamp,
  updated_at: timestamp,
  default_address: restCustomerAddress.nullish(),
  addresses: z.array(restCustomerAddress).nullish(),
});
export type RestCustomerPayload = z.input<typeof RestCustomerSchema>;

/** customers/delete: only ids. */
export const RestCustomerDeleteSchema = z.looseObject({ admin_graphql_api_id: gid });

// --- GraphQL node schemas -----------------------------------------------------------------------

const gqlMoney = z.looseObject({ amount: decimal, currencyCode: z.string() });
const gqlMoneyBag = z.looseObject({ shopMoney: gqlMoney });
/** Paged connections come as { nodes }; an absent connection means "not fetched" (bulk exports). */
const nodesOf = <T extends z.ZodType>(node: T) => z.looseObject({ nodes: z.array(node) }).nullish();

const gqlAddress = z
  .looseObject({
    name: optionalText,
    firstName: optionalText,
    lastName: optionalText,
    company: optionalText,
    address1: optionalText,
    address2: optionalText,
    city: optionalText,
    province: optionalText,
    provinceCode: optionalText,
    country: optionalText,
    countryCodeV2: optionalText,
    zip: optionalText,
    phone: optionalText,
  })
  .nullish();

const gqlFulfillmentEvent = z.looseObject({
  id: gid,
  status: z.enum(FULFILLMENT_EVENT_STATUSES),
  happenedAt: timestamp,
  message: optionalText,
  city: optionalText,
  province: optionalText,
  country: optionalText,
});

const gqlFulfillment = z.looseObject({
  id: gid,
  name: optionalText,
  status: z.enum(FULFILLMENT_STATUSES),
  displayStatus: z.enum(FULFILLMENT_DISPLAY_STATUSES).nullish(),
  createdAt: timestamp,
  updatedAt: timestamp,
  deliveredAt: optionalTimestamp,
  estimatedDeliveryAt: optionalTimestamp,
  requiresShipping: z.boolean().nullish(),
  trackingInfo: z.array(z.looseObject({ company: optionalText, number: optionalText, url: optionalText })).nullish(),
  events: nodesOf(gqlFulfillmentEvent),
  fulfillmentLineItems: nodesOf(
    z.looseObject({
      quantity: z.number().int(),
      lineItem: z.looseObject({ id: gid, requiresShipping: z.boolean().nullish() }),
    }),
  ),
});

const gqlRefund = z.looseObject({
  id: gid,
  createdAt: optionalTimestamp,
  totalRefundedSet: gqlMoneyBag,
  refundLineItems: nodesOf(z.looseObject({ quantity: z.number().int(), lineItem: z.looseObject({ id: gid }) })),
});

/** The shape of ORDER_FIELDS (and of a bulk-exported order after assembleBulkOrders). */
export const GraphqlOrderSchema = z.looseObject({
  id: gid,
  name: z.string(),
  email: optionalText,
  phone: optionalText,
  createdAt: timestamp,
  updatedAt: timestamp,
  processedAt: timestamp,
  cancelledAt: optionalTimestamp,
  cancelReason: z.enum(ORDER_CANCEL_REASONS).nullish(),
  closedAt: optionalTimestamp,
  displayFinancialStatus: z.enum(ORDER_FINANCIAL_STATUSES).nullish(),
  displayFulfillmentStatus: z.enum(ORDER_FULFILLMENT_STATUSES),
  currencyCode: z.string(),
  totalPriceSet: gqlMoneyBag,
  subtotalPriceSet: gqlMoneyBag.nullish(),
  totalRefundedSet: gqlMoneyBag,
  paymentGatewayNames: z.array(z.string()).nullish(),
  transactions: z
    .array(z.looseObject({ kind: z.string(), status: z.string(), processedAt: optionalTimestamp }))
    .nullish(),
  customer: z.looseObject({ id: gid }).nullish(),
  shippingAddress: gqlAddress,
  billingAddress: gqlAddress,
  note: optionalText,
  tags: z.array(z.string()).nullish(),
  lineItems: nodesOf(
    z.looseObject({
      id: gid,
      title: z.string(),
      quantity: z.number().int(),
      currentQuantity: z.number().int().nullish(),
      fulfillableQuantity: z.number().int().nullish(),
      requiresShipping: z.boolean().nullish(),
    }),
  ),
  fulfillments: z.array(gqlFulfillment).nullish(),
  refunds: z.array(gqlRefund).nullish(),
  returns: nodesOf(z.looseObject({ id: gid, name: optionalText, status: z.enum(RETURN_STATUSES) })),
});
export type GraphqlOrderNode = z.input<typeof GraphqlOrderSchema>;

/** The shape of ORDER_DETAILS_BY_IDS_QUERY's order nodes. */
export const GraphqlOrderDetailsSchema = z.looseObject({
  id: gid,
  updatedAt: timestamp,
  fulfillments: z.array(gqlFulfillment).nullish(),
  refunds: z.array(gqlRefund).nullish(),
});
export type GraphqlOrderDetailsNode = z.input<typeof GraphqlOrderDetailsSchema>;

/** The shape of CUSTOMER_FIELDS (and of a bulk-exported customer after assembleBulkCustomers). */
export const GraphqlCustomerSchema = z.looseObject({
  id: gid,
  firstName: optionalText,
  lastName: optionalText,
  displayName: optionalText,
  defaultEmailAddress: z.looseObject({ emailAddress: optionalText }).nullish(),
  defaultPhoneNumber: z.looseObject({ phoneNumber: optionalText }).nullish(),
  note: optionalText,
  tags: z.array(z.string()).nullish(),
  state: z.enum(CUSTOMER_STATES).nullish(),
  locale: optionalText,
  createdAt: timestamp,
  updatedAt: timestamp,
  numberOfOrders: z.union([z.string(), z.number()]).nullish(),
  amountSpent: gqlMoney.nullish(),
  defaultAddress: gqlAddress,
  addressesV2: nodesOf(gqlAddress.unwrap().unwrap()),
});
export type GraphqlCustomerNode = z.input<typeof GraphqlCustomerSchema>;

// --- Orders from webhooks -----------------------------------------------------------------------

type RestFulfillment = z.output<typeof RestFulfillmentSchema>;
type RestRefund = z.output<typeof RestRefundSchema>;
type RestAddress = NonNullable<z.output<typeof restAddress>>;

/** orders/* webhook body → snapshot. Throws a ZodError when a field we rely on is missing or malformed. */
export function orderSnapshotFromWebhook(payload: unknown): ShopifyOrderSnapshot {
  const order = RestOrderSchema.parse(payload);
  const refunds = (order.refunds ?? []).map((refund) => refundFromRest(refund, order.currency));
  return {
    id: order.admin_graphql_api_id,
    name: order.name,
    createdAt: order.created_at,
    processedAt: order.processed_at ?? order.created_at,
    cancelledAt: order.cancelled_at,
    cancelReason: upperEnum(ORDER_CANCEL_REASONS, order.cancel_reason),
    closedAt: order.closed_at,
    financialStatus: upperEnum(ORDER_FINANCIAL_STATUSES, order.financial_status),
    fulfillmentStatus: fulfillmentStatusFromRest(order.fulfillment_status),
    totalPrice: moneyFromRestSet(order.total_price_set),
    totalRefunded: sumRefunds(refunds, order.currency),
    lineItems: order.line_items.map((item) => lineItemFromRest(item, order.refunds ?? [])),
    fulfillments: (order.fulfillments ?? []).map(fulfillmentFromRest),
    refunds,
    // REST orders carry no transactions, so when payment happened is unknown here.
    payment: { gatewayNames: order.payment_gateway_names ?? [], paidAt: null },
    updatedAt: order.updated_at,
    email: normalizeEmail(order.email),
    phone: order.phone,
    customerId: order.customer?.admin_graphql_api_id ?? null,
    currencyCode: order.currency,
    subtotalPrice: order.subtotal_price_set ? moneyFromRestSet(order.subtotal_price_set) : null,
    note: order.note,
    tags: tagList(order.tags),
    shippingAddress: addressFromRest(order.shipping_address),
    billingAddress: addressFromRest(order.billing_address),
    returns: (order.returns ?? []).flatMap((ret) => {
      const status = upperEnum(RETURN_STATUSES, ret.status);
      return status ? [{ id: ret.admin_graphql_api_id, name: ret.name, status }] : [];
    }),
  };
}

function fulfillmentStatusFromRest(value: string | null): OrderFulfillmentStatus {
  if (value === "partial") return "PARTIALLY_FULFILLED";
  return upperEnum(ORDER_FULFILLMENT_STATUSES, value) ?? "UNFULFILLED";
}

function moneyFromRestSet(set: z.output<typeof restMoneySet>): Money {
  return { amount: set.shop_money.amount, currencyCode: set.shop_money.currency_code };
}

function lineItemFromRest(item: z.output<typeof restLineItem>, refunds: RestRefund[]): LineItemSnapshot {
  return {
    id: item.admin_graphql_api_id,
    title: item.title,
    quantity: item.quantity,
    fulfillableQuantity: item.fulfillable_quantity ?? 0,
    refundedQuantity: removedQuantity(item.quantity, item.current_quantity) ?? refundedFromRest(item, refunds),
    requiresShipping: item.requires_shipping ?? true,
  };
}

/** What GraphQL and REST both express: ordered minus still on the order (refunds, edits). */
function removedQuantity(quantity: number, current: number | null | undefined): number | null {
  return current === null || current === undefined ? null : Math.max(0, quantity - current);
}

function refundedFromRest(item: z.output<typeof restLineItem>, refunds: RestRefund[]): number {
  const lines = refunds.flatMap((refund) => refundLinesFromRest(refund));
  return Math.min(item.quantity, quantityOf(lines, item.admin_graphql_api_id));
}

function addressFromRest(address: RestAddress | null | undefined): AddressSnapshot | null {
  if (!address) return null;
  return {
    name: address.name,
    firstName: address.first_name,
    lastName: address.last_name,
    company: address.company,
    address1: address.address1,
    address2: address.address2,
    city: address.city,
    province: address.province,
    provinceCode: address.province_code,
    country: address.country,
    countryCode: address.country_code,
    zip: address.zip,
    phone: address.phone,
  };
}

function fulfillmentFromRest(fulfillment: RestFulfillment): FulfillmentSnapshot {
  const status = restFulfillmentStatus(fulfillment.status);
  const lines = fulfillment.line_items ?? [];
  return {
    id: fulfillment.admin_graphql_api_id,
    name: normalizeFulfillmentName(fulfillment.name),
    createdAt: fulfillment.created_at,
    updatedAt: fulfillment.updated_at,
    status,
    displayStatus: status === "CANCELLED" ? "CANCELED" : displayStatusFromShipmentStatus(fulfillment.shipment_status),
    deliveredAt: null,
    estimatedDeliveryAt: null,
    // Shopify's Fulfillment.requiresShipping means "any of its line items requires shipping".
    requiresShipping: lines.length === 0 || lines.some((line) => line.requires_shipping ?? true),
    tracking: trackingFromRest(fulfillment),
    lineItems: lines.map((line) => ({ lineItemId: line.admin_graphql_api_id, quantity: line.quantity })),
    events: [],
  };
}

function restFulfillmentStatus(value: string): FulfillmentStatus {
  const status = upperEnum(FULFILLMENT_STATUSES, value);
  if (!status) throw new RangeError(`Unknown fulfillment status: ${value}`);
  return status;
}

/**
 * REST flattens tracking into parallel lists with one carrier name; pair numbers and URLs by
 * position (GraphQL keeps them as objects, so a URL missing in the middle cannot be placed).
 */
function trackingFromRest(fulfillment: RestFulfillment): TrackingInfo[] {
  const numbers = fulfillment.tracking_numbers ?? [];
  const urls = fulfillment.tracking_urls ?? [];
  const company = fulfillment.tracking_company;
  const count = Math.max(numbers.length, urls.length, company ? 1 : 0);
  return Array.from({ length: count }, (_, index) => ({
    company,
    number: numbers[index] ?? null,
    url: urls[index] ?? null,
  }));
}

function refundFromRest(refund: RestRefund, orderCurrency?: string): RefundSnapshot {
  const successfulRefunds = (refund.transactions ?? []).filter(
    (transaction) => transaction.kind === "refund" && (transaction.status ?? "success") === "success",
  );
  return {
    id: refund.admin_graphql_api_id,
    createdAt: refund.created_at,
    amount: {
      amount: addDecimals(successfulRefunds.map((transaction) => transaction.amount)),
      currencyCode:
        successfulRefunds[0]?.currency ?? orderCurrency ?? refund.total_duties_set?.shop_money.currency_code ?? "",
    },
    lineItems: refundLinesFromRest(refund),
  };
}

function refundLinesFromRest(refund: RestRefund): FulfillmentLineItemSnapshot[] {
  return (refund.refund_line_items ?? []).map((line) => ({
    lineItemId: line.line_item?.admin_graphql_api_id ?? gidFromRestId("LineItem", line.line_item_id),
    quantity: line.quantity,
  }));
}

function sumRefunds(refunds: RefundSnapshot[], currencyCode: string): Money {
  const sameCurrency = refunds.filter((refund) => refund.amount.currencyCode === currencyCode);
  return { amount: addDecimals(sameCurrency.map((refund) => refund.amount.amount)), currencyCode };
}

/** fulfillments/create|update. */
export function fulfillmentFromWebhook(payload: unknown): FulfillmentUpdate {
  const fulfillment = RestFulfillmentSchema.parse(payload);
  return { orderId: gidOrNull("Order", fulfillment.order_id), fulfillment: fulfillmentFromRest(fulfillment) };
}

/** fulfillment_events/create; null when the status is not one the snapshot knows (nothing to show). */
export function fulfillmentEventFromWebhook(payload: unknown): FulfillmentEventUpdate | null {
  const event = RestFulfillmentEventSchema.parse(payload);
  const status = eventStatusFromRest(event.status);
  if (!status) return null;
  return {
    orderId: gidOrNull("Order", event.order_id),
    fulfillmentId: gidFromRestId("Fulfillment", event.fulfillment_id),
    event: {
      id: event.admin_graphql_api_id,
      status,
      happenedAt: event.happened_at,
      message: event.message,
      city: event.city,
      province: event.province,
      country: event.country,
    },
    estimatedDeliveryAt: event.estimated_delivery_at,
  };
}

/**
 * orders/edited carries an order edit, not the order (and the order only as a numeric id): the
 * caller refetches the order (ORDERS_BY_IDS_QUERY) or waits for the orders/updated that follows.
 */
export function orderIdFromEditWebhook(payload: unknown): string | null {
  const edit = z.looseObject({ order_edit: z.looseObject({ order_id: restNumericId }) }).parse(payload);
  return gidOrNull("Order", edit.order_edit.order_id);
}

/** refunds/create. */
export function refundFromWebhook(payload: unknown): RefundUpdate {
  const refund = RestRefundSchema.parse(payload);
  return { orderId: gidOrNull("Order", refund.order_id), refund: refundFromRest(refund) };
}

// --- Orders from GraphQL ------------------------------------------------------------------------

type GqlOrder = z.output<typeof GraphqlOrderSchema>;
type GqlFulfillment = z.output<typeof gqlFulfillment>;
type GqlRefund = z.output<typeof gqlRefund>;
type GqlAddress = NonNullable<z.output<typeof gqlAddress>>;

/** An ORDER_FIELDS node (or an assembled bulk order) → snapshot. Throws a ZodError on a malformed node. */
export function orderSnapshotFromGraphql(node: unknown): ShopifyOrderSnapshot {
  const order = GraphqlOrderSchema.parse(node);
  return {
    id: order.id,
    name: order.name,
    createdAt: order.createdAt,
    processedAt: order.processedAt,
    cancelledAt: order.cancelledAt,
    cancelReason: order.cancelReason ?? null,
    closedAt: order.closedAt,
    financialStatus: order.displayFinancialStatus ?? null,
    fulfillmentStatus: order.displayFulfillmentStatus,
    totalPrice: order.totalPriceSet.shopMoney,
    totalRefunded: order.totalRefundedSet.shopMoney,
    lineItems: (order.lineItems?.nodes ?? []).map((item) => ({
      id: item.id,
      title: item.title,
      quantity: item.quantity,
      fulfillableQuantity: item.fulfillableQuantity ?? 0,
      refundedQuantity: removedQuantity(item.quantity, item.currentQuantity) ?? 0,
      requiresShipping: item.requiresShipping ?? true,
    })),
    fulfillments: (order.fulfillments ?? []).map(fulfillmentFromGraphql),
    refunds: (order.refunds ?? []).map(refundFromGraphql),
    payment: { gatewayNames: order.paymentGatewayNames ?? [], paidAt: paidAtFromTransactions(order.transactions) },
    updatedAt: order.updatedAt,
    email: normalizeEmail(order.email),
    phone: order.phone,
    customerId: order.customer?.id ?? null,
    currencyCode: order.currencyCode,
    subtotalPrice: order.subtotalPriceSet?.shopMoney ?? null,
    note: order.note,
    tags: tagList(order.tags),
    shippingAddress: addressFromGraphql(order.shippingAddress),
    billingAddress: addressFromGraphql(order.billingAddress),
    returns: (order.returns?.nodes ?? []).map((ret) => ({ id: ret.id, name: ret.name, status: ret.status })),
  };
}

function fulfillmentFromGraphql(fulfillment: GqlFulfillment): FulfillmentSnapshot {
  const lines = fulfillment.fulfillmentLineItems?.nodes ?? [];
  return {
    id: fulfillment.id,
    name: fulfillment.name,
    createdAt: fulfillment.createdAt,
    updatedAt: fulfillment.updatedAt,
    status: fulfillment.status,
    displayStatus: fulfillment.displayStatus ?? null,
    deliveredAt: fulfillment.deliveredAt,
    estimatedDeliveryAt: fulfillment.estimatedDeliveryAt,
    // Same rule as REST when the lines are known, so both sources agree on gift-card parcels.
    requiresShipping:
      lines.length > 0
        ? lines.some((line) => line.lineItem.requiresShipping ?? true)
        : (fulfillment.requiresShipping ?? true),
    tracking: (fulfillment.trackingInfo ?? []).map((info) => ({
      company: info.company,
      number: info.number,
      url: info.url,
    })),
    lineItems: lines.map((line) => ({ lineItemId: line.lineItem.id, quantity: line.quantity })),
    // Fetched newest first (so a cut page keeps the news); stored oldest first like every source.
    events: (fulfillment.events?.nodes ?? [])
      .map((event) => ({
        id: event.id,
        status: event.status,
        happenedAt: event.happenedAt,
        message: event.message,
        city: event.city,
        province: event.province,
        country: event.country,
      }))
      .sort(compareFulfillmentEvents),
  };
}

function refundFromGraphql(refund: GqlRefund): RefundSnapshot {
  return {
    id: refund.id,
    createdAt: refund.createdAt,
    amount: refund.totalRefundedSet.shopMoney,
    lineItems: (refund.refundLineItems?.nodes ?? []).map((line) => ({
      lineItemId: line.lineItem.id,
      quantity: line.quantity,
    })),
  };
}

/** What ORDER_DETAILS_BY_IDS_QUERY adds to a bulk-exported order (see mergeOrderDetails). */
export interface OrderDetails {
  id: string;
  updatedAt: IsoDateTime;
  fulfillments: FulfillmentSnapshot[];
  refunds: RefundSnapshot[];
}

/** An ORDER_DETAILS_BY_IDS_QUERY node → details. Throws a ZodError on a malformed node. */
export function orderDetailsFromGraphql(node: unknown): OrderDetails {
  const order = GraphqlOrderDetailsSchema.parse(node);
  return {
    id: order.id,
    updatedAt: order.updatedAt,
    fulfillments: (order.fulfillments ?? []).map(fulfillmentFromGraphql),
    refunds: (order.refunds ?? []).map(refundFromGraphql),
  };
}

/** When the order became paid: the last successful sale or capture. */
function paidAtFromTransactions(transactions: GqlOrder["transactions"]): IsoDateTime | null {
  const times = (transactions ?? [])
    .filter((transaction) => ["SALE", "CAPTURE"].includes(transaction.kind) && transaction.status === "SUCCESS")
    .flatMap((transaction) => (transaction.processedAt ? [transaction.processedAt] : []))
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  return times.at(-1) ?? null;
}

function addressFromGraphql(address: GqlAddress | null | undefined): AddressSnapshot | null {
  if (!address) return null;
  return {
    name: address.name,
    firstName: address.firstName,
    lastName: address.lastName,
    company: address.company,
    address1: address.address1,
    address2: address.address2,
    city: address.city,
    province: address.province,
    provinceCode: address.provinceCode,
    country: address.country,
    countryCode: address.countryCodeV2,
    zip: address.zip,
    phone: address.phone,
  };
}

// --- Bulk JSONL ---------------------------------------------------------------------------------

export interface AssembleBulkOptions {
  /**
   * True (default) when the operation ran with groupObjects: true (BULK_OPERATION_RUN does): a
   * parent's children all come before the next parent, so each parent is yielded as soon as the
   * next one starts. False for ungrouped files: children may come anywhere after their parent,
   * so everything is held until the end.
   */
  grouped?: boolean;
}

type JsonObject = Record<string, unknown>;

const ORDER_CHILD_CONNECTIONS: Readonly<Record<string, string>> = { LineItem: "lineItems", Return: "returns" };
const CUSTOMER_CHILD_CONNECTIONS: Readonly<Record<string, string>> = { MailingAddress: "addressesV2" };

/**
 * Lines of a BULK_ORDERS_QUERY export → order nodes shaped like ORDER_FIELDS (connections as
 * { nodes }), minus what a bulk query cannot reach: fulfillments without events or line items,
 * refunds without line items. Fetch those orders again with ORDERS_BY_IDS_QUERY (see
 * bulkOrderNeedsDetails) for a complete snapshot; orderSnapshotFromGraphql accepts both.
 */
export function assembleBulkOrders(
  lines: AsyncIterable<object> | Iterable<object>,
  options: AssembleBulkOptions = {},
): AsyncGenerator<JsonObject> {
  return assembleBulkObjects(lines, ORDER_CHILD_CONNECTIONS, options);
}

/** Lines of a BULK_CUSTOMERS_QUERY export → customer nodes shaped like CUSTOMER_FIELDS. */
export function assembleBulkCustomers(
  lines: AsyncIterable<object> | Iterable<object>,
  options: AssembleBulkOptions = {},
): AsyncGenerator<JsonObject> {
  return assembleBulkObjects(lines, CUSTOMER_CHILD_CONNECTIONS, options);
}

/** A bulk-exported order whose fulfillments or refunds need ORDERS_BY_IDS_QUERY for their details. */
export function bulkOrderNeedsDetails(node: JsonObject): boolean {
  const hasItems = (value: unknown) => Array.isArray(value) && value.length > 0;
  return hasItems(node.fulfillments) || hasItems(node.refunds);
}

async function* assembleBulkObjects(
  lines: AsyncIterable<object> | Iterable<object>,
  childConnections: Readonly<Record<string, string>>,
  { grouped = true }: AssembleBulkOptions,
): AsyncGenerator<JsonObject> {
  const open = new Map<string, JsonObject>();
  const yielded = new Set<string>();
  // Children met before their parent (possible in ungrouped files).
  const waiting = new Map<string, JsonObject[]>();
  for await (const line of lines) {
    const object = line as JsonObject;
    const parentId = object.__parentId;
    if (typeof parentId !== "string") {
      const id = requireId(object);
      if (grouped) yield* drain(open, yielded);
      const root = { ...object };
      for (const child of waiting.get(id) ?? []) attachChild(root, child, childConnections);
      waiting.delete(id);
      open.set(id, root);
      continue;
    }
    const parent = open.get(parentId);
    if (parent) attachChild(parent, object, childConnections);
    else if (yielded.has(parentId)) throw new Error(`Bulk line for ${parentId} came after its parent was complete`);
    else waiting.set(parentId, [...(waiting.get(parentId) ?? []), object]);
  }
  if (waiting.size > 0) throw new Error(`Bulk lines refer to missing parents: ${[...waiting.keys()].join(", ")}`);
  yield* drain(open, yielded);
}

function* drain(open: Map<string, JsonObject>, yielded: Set<string>): Generator<JsonObject> {
  for (const [id, object] of open) {
    yielded.add(id);
    yield object;
  }
  open.clear();
}

function requireId(object: JsonObject): string {
  if (typeof object.id !== "string") throw new Error("Bulk line without an id");
  return object.id;
}

function attachChild(parent: JsonObject, child: JsonObject, childConnections: Readonly<Record<string, string>>): void {
  const { __parentId: _parent, ...node } = child;
  const type = typeof node.id === "string" ? /^gid:\/\/shopify\/(\w+)\//.exec(node.id)?.[1] : undefined;
  const field = type ? childConnections[type] : undefined;
  if (!field) throw new Error(`Unexpected bulk child ${String(node.id)} under ${String(parent.id)}`);
  const connection = (parent[field] as { nodes: JsonObject[] } | undefined) ?? { nodes: [] };
  parent[field] = { nodes: [...connection.nodes, node] };
}

// --- Merging into a stored snapshot -------------------------------------------------------------

/**
 * Adds or updates one fulfillment. An older version (by updatedAt) never replaces a newer one;
 * either way carrier events are kept from both (REST versions carry none), and what one version
 * does not know (null dates, empty line items) is taken from the other.
 */
export function mergeFulfillment<T extends OrderSnapshot>(snapshot: T, fulfillment: FulfillmentSnapshot): T {
  const current = snapshot.fulfillments.find((candidate) => candidate.id === fulfillment.id);
  const merged = current ? combineFulfillmentVersions(current, fulfillment) : withEventFacts(fulfillment);
  const fulfillments = current
    ? snapshot.fulfillments.map((candidate) => (candidate.id === fulfillment.id ? merged : candidate))
    : [...snapshot.fulfillments, merged].sort(compareByCreation);
  return { ...snapshot, fulfillments };
}

function combineFulfillmentVersions(current: FulfillmentSnapshot, incoming: FulfillmentSnapshot): FulfillmentSnapshot {
  // Ties go to the incoming version, so re-applying the same version changes nothing.
  const incomingIsNewer = timeOf(incoming.updatedAt) >= timeOf(current.updatedAt);
  const [newer, older] = incomingIsNewer ? [incoming, current] : [current, incoming];
  return withEventFacts({
    ...newer,
    name: newer.name ?? older.name,
    displayStatus: newer.displayStatus ?? older.displayStatus,
    deliveredAt: newer.deliveredAt ?? older.deliveredAt,
    estimatedDeliveryAt: newer.estimatedDeliveryAt ?? older.estimatedDeliveryAt,
    lineItems: newer.lineItems.length > 0 ? newer.lineItems : older.lineItems,
    events: unionEvents(older.events, newer.events),
  });
}

/** Events by id; the later list's copy of an event wins. */
function unionEvents(
  first: readonly FulfillmentEventSnapshot[],
  second: readonly FulfillmentEventSnapshot[],
): FulfillmentEventSnapshot[] {
  const byId = new Map<string, FulfillmentEventSnapshot>();
  for (const event of [...first, ...second]) byId.set(event.id, event);
  return [...byId.values()].sort(compareFulfillmentEvents);
}

/** Fills what Shopify derives from carrier events when the source left it unknown. */
function withEventFacts(fulfillment: FulfillmentSnapshot): FulfillmentSnapshot {
  const events = [...fulfillment.events].sort(compareFulfillmentEvents);
  const latest = events.at(-1);
  const firstDelivery = events.find((event) => event.status === "DELIVERED");
  const cancelled = fulfillment.status === "CANCELLED";
  return {
    ...fulfillment,
    events,
    displayStatus: fulfillment.displayStatus ?? (latest && !cancelled ? latest.status : null),
    deliveredAt: fulfillment.deliveredAt ?? firstDelivery?.happenedAt ?? null,
  };
}

/**
 * Adds one carrier event to a known fulfillment (unknown fulfillment: unchanged — the
 * fulfillments/create webhook or a resync will bring it). Deduplicated by id; the newest event
 * moves displayStatus on, as Shopify does, whatever order events arrive in.
 */
export function mergeFulfillmentEvent<T extends OrderSnapshot>(
  snapshot: T,
  fulfillmentId: string,
  event: FulfillmentEventSnapshot,
  estimatedDeliveryAt: IsoDateTime | null = null,
): T {
  const fulfillment = snapshot.fulfillments.find((candidate) => candidate.id === fulfillmentId);
  if (!fulfillment) return snapshot;
  const events = unionEvents(fulfillment.events, [event]);
  const isLatest = events.at(-1)?.id === event.id;
  const updated = withEventFacts({
    ...fulfillment,
    events,
    displayStatus: isLatest && fulfillment.status !== "CANCELLED" ? event.status : fulfillment.displayStatus,
    deliveredAt: fulfillment.deliveredAt ?? (event.status === "DELIVERED" ? event.happenedAt : null),
    estimatedDeliveryAt:
      estimatedDeliveryAt && (isLatest || !fulfillment.estimatedDeliveryAt)
        ? estimatedDeliveryAt
        : fulfillment.estimatedDeliveryAt,
  });
  return {
    ...snapshot,
    fulfillments: snapshot.fulfillments.map((candidate) => (candidate.id === fulfillmentId ? updated : candidate)),
  };
}

/**
 * Adds a refund (refunds/create) once. The order's refunded total and the refunded quantities
 * grow to at least what the refunds on record add up to, so a refund the order total already
 * counted is never counted twice.
 */
export function mergeRefund<T extends OrderSnapshot>(snapshot: T, refund: RefundSnapshot): T {
  const withRefund = upsertRefund(snapshot, refund);
  return {
    ...withRefund,
    totalRefunded: atLeastRefundSum(withRefund),
    lineItems: withRefund.lineItems.map((item) => ({
      ...item,
      refundedQuantity: Math.min(
        item.quantity,
        Math.max(
          item.refundedQuantity,
          quantityOf(
            withRefund.refunds.flatMap((r) => r.lineItems),
            item.id,
          ),
        ),
      ),
    })),
  };
}

function upsertRefund<T extends OrderSnapshot>(snapshot: T, refund: RefundSnapshot): T {
  const current = snapshot.refunds.find((candidate) => candidate.id === refund.id);
  if (!current) return { ...snapshot, refunds: [...snapshot.refunds, refund].sort(compareByCreation) };
  const merged: RefundSnapshot = {
    ...refund,
    createdAt: refund.createdAt ?? current.createdAt,
    lineItems: refund.lineItems.length > 0 ? refund.lineItems : current.lineItems,
  };
  return {
    ...snapshot,
    refunds: snapshot.refunds.map((candidate) => (candidate.id === refund.id ? merged : candidate)),
  };
}

function atLeastRefundSum(snapshot: OrderSnapshot): Money {
  const currency = snapshot.totalRefunded.currencyCode;
  const amounts = snapshot.refunds
    .filter((refund) => refund.amount.currencyCode === currency)
    .map((refund) => refund.amount.amount);
  const sum = addDecimals(amounts);
  return compareDecimals(sum, snapshot.totalRefunded.amount) > 0
    ? { amount: sum, currencyCode: currency }
    : snapshot.totalRefunded;
}

function quantityOf(lines: readonly FulfillmentLineItemSnapshot[], lineItemId: string): number {
  return lines.filter((line) => line.lineItemId === lineItemId).reduce((total, line) => total + line.quantity, 0);
}

/**
 * A new version of a whole order (orders/* webhook, reconcile or backfill) against the stored
 * one. The later updatedAt decides the order-level fields (ties: the incoming one); fulfillments
 * and refunds from both are combined with the same rules as mergeFulfillment, and facts only
 * one source carries (carrier events, paidAt) survive a version that lacks them.
 */
export function mergeOrderSnapshots(
  current: ShopifyOrderSnapshot | null,
  incoming: ShopifyOrderSnapshot,
): ShopifyOrderSnapshot {
  if (!current) return { ...incoming, fulfillments: incoming.fulfillments.map(withEventFacts) };
  const incomingIsNewer = timeOf(incoming.updatedAt) >= timeOf(current.updatedAt);
  const [newer, older] = incomingIsNewer ? [incoming, current] : [current, incoming];
  let merged: ShopifyOrderSnapshot = {
    ...newer,
    fulfillments: newer.fulfillments.map(withEventFacts),
    payment: { ...newer.payment, paidAt: newer.payment.paidAt ?? older.payment.paidAt },
  };
  for (const fulfillment of older.fulfillments) merged = mergeFulfillment(merged, fulfillment);
  for (const refund of older.refunds) merged = upsertRefund(merged, refund);
  return merged;
}

/**
 * Completes a bulk-exported order with its details: each fulfillment and refund goes through
 * mergeFulfillment / mergeRefund, so applying details twice, or after a webhook already brought a
 * newer version, changes nothing. Order-level fields (updatedAt included) are left alone: the
 * details do not carry them (see orderDetailsCover).
 */
export function mergeOrderDetails<T extends OrderSnapshot>(snapshot: T, details: OrderDetails): T {
  let merged = snapshot;
  for (const fulfillment of details.fulfillments) merged = mergeFulfillment(merged, fulfillment);
  for (const refund of details.refunds) merged = mergeRefund(merged, refund);
  return merged;
}

/**
 * Whether the details complete this stored order: they describe no newer version of it, and the
 * page held every fulfillment and refund we know. Otherwise fetch the whole order instead.
 */
export function orderDetailsCover(snapshot: ShopifyOrderSnapshot, details: OrderDetails): boolean {
  const has = (items: readonly { id: string }[], id: string) => items.some((item) => item.id === id);
  return (
    timeOf(details.updatedAt) <= timeOf(snapshot.updatedAt) &&
    snapshot.fulfillments.every((fulfillment) => has(details.fulfillments, fulfillment.id)) &&
    snapshot.refunds.every((refund) => has(details.refunds, refund.id))
  );
}

// --- Customers ----------------------------------------------------------------------------------

/** customers/create|update. */
export function customerFromWebhook(payload: unknown): ShopifyCustomerSnapshot {
  const customer = RestCustomerSchema.parse(payload);
  const email = normalizeEmail(customer.email);
  return {
    id: customer.admin_graphql_api_id,
    firstName: customer.first_name,
    lastName: customer.last_name,
    displayName: displayNameOf(customer.first_name, customer.last_name, email, customer.phone),
    email,
    phone: customer.phone,
    phoneE164: normalizePhoneE164(customer.phone),
    note: customer.note,
    tags: customer.tags === undefined || customer.tags === null ? null : tagList(customer.tags),
    state: upperEnum(CUSTOMER_STATES, customer.state),
    locale: customer.locale,
    createdAt: customer.created_at,
    updatedAt: customer.updated_at,
    defaultAddress: addressFromRest(customer.default_address),
    addresses: (customer.addresses ?? []).flatMap((address) => addressFromRest(address) ?? []),
    numberOfOrders: null,
    amountSpent: null,
  };
}

/** customers/delete → the GID of the deleted customer. */
export function customerIdFromDeleteWebhook(payload: unknown): string {
  return RestCustomerDeleteSchema.parse(payload).admin_graphql_api_id;
}

/** A CUSTOMER_FIELDS node (or an assembled bulk customer). */
export function customerFromGraphql(node: unknown): ShopifyCustomerSnapshot {
  const customer = GraphqlCustomerSchema.parse(node);
  const email = normalizeEmail(customer.defaultEmailAddress?.emailAddress);
  const phone = customer.defaultPhoneNumber?.phoneNumber ?? null;
  return {
    id: customer.id,
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName: customer.displayName || displayNameOf(customer.firstName, customer.lastName, email, phone),
    email,
    phone,
    phoneE164: normalizePhoneE164(phone),
    note: customer.note,
    tags: customer.tags ? tagList(customer.tags) : null,
    state: customer.state ?? null,
    locale: customer.locale,
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
    defaultAddress: addressFromGraphql(customer.defaultAddress),
    addresses: (customer.addressesV2?.nodes ?? []).flatMap((address) => addressFromGraphql(address) ?? []),
    numberOfOrders:
      customer.numberOfOrders === null || customer.numberOfOrders === undefined
        ? null
        : Number(customer.numberOfOrders),
    amountSpent: customer.amountSpent ?? null,
  };
}

/** Shopify's own fallback: the name, else the email, else the phone. */
function displayNameOf(
  firstName: string | null,
  lastName: string | null,
  email: string | null,
  phone: string | null,
): string {
  return [firstName, lastName].filter(Boolean).join(" ").trim() || email || phone || "";
}

/** Newer updatedAt wins (ties: incoming); fields one source never carries are kept from the other. */
export function mergeCustomerSnapshots(
  current: ShopifyCustomerSnapshot | null,
  incoming: ShopifyCustomerSnapshot,
): ShopifyCustomerSnapshot {
  if (!current) return incoming;
  const incomingIsNewer = timeOf(incoming.updatedAt) >= timeOf(current.updatedAt);
  const [newer, older] = incomingIsNewer ? [incoming, current] : [current, incoming];
  return {
    ...newer,
    tags: newer.tags ?? older.tags,
    locale: newer.locale ?? older.locale,
    numberOfOrders: newer.numberOfOrders ?? older.numberOfOrders,
    amountSpent: newer.amountSpent ?? older.amountSpent,
  };
}

// --- Helpers ------------------------------------------------------------------------------------

function timeOf(iso: string): number {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

/** Records in the order Shopify lists them: by creation, then id (arrival order must not matter). */
function compareByCreation(a: { createdAt: string | null; id: string }, b: { createdAt: string | null; id: string }) {
  return timeOf(a.createdAt ?? "") - timeOf(b.createdAt ?? "") || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
