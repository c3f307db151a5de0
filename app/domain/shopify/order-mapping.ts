import { z } from "zod";
import {
  displayStatusFromShipmentStatus,
  eventStatusFromRest,
  FULFILLMENT_STATUSES,
  ORDER_CANCEL_REASONS,
  ORDER_FINANCIAL_STATUSES,
  ORDER_FULFILLMENT_STATUSES,
  type FulfillmentLineItemSnapshot,
  type FulfillmentSnapshot,
  type FulfillmentStatus,
  type IsoDateTime,
  type LineItemSnapshot,
  type Money,
  type OrderFulfillmentStatus,
  type RefundSnapshot,
  type TrackingInfo,
} from "../order-snapshot";
import { compareFulfillmentEvents } from "../order-status";
import { addressFromGraphql, addressFromRest } from "./addresses";
import { GraphqlOrderDetailsSchema, GraphqlOrderSchema, type gqlFulfillment, type gqlRefund } from "./graphql-payloads";
import { gidFromRestId, gidOrNull } from "./ids";
import { addDecimals } from "./money";
import { chargesFromGraphql, chargesFromRest, unitPriceFromGraphql, unitPriceFromRest } from "./order-prices";
import { restNumericId } from "./payload-fields";
import {
  RestFulfillmentEventSchema,
  RestFulfillmentSchema,
  RestOrderSchema,
  RestRefundSchema,
  type restLineItem,
  type restMoneySet,
} from "./rest-payloads";
import {
  RETURN_STATUSES,
  type FulfillmentEventUpdate,
  type FulfillmentUpdate,
  type OrderDetails,
  type RefundUpdate,
  type ShopifyOrderSnapshot,
} from "./snapshots";
import { normalizeEmail, normalizeFulfillmentName, quantityOf, tagList, upperEnum } from "./values";
import { toStorableJson } from "../../lib/storable-text";

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
 * - Text PostgreSQL cannot store (U+0000, lone surrogates) is made storable before parsing, by
 *   every mapper here and in customer-mapping (app/lib/storable-text): nothing Shopify sends can
 *   stop a row from being written.
 * - Numeric REST ids above 2^53 are rounded by JSON.parse. Identity never uses them; the few
 *   links that exist only as numbers (fulfillment_id, order_id) are turned into GIDs only when
 *   exact: parse bodies with parseShopifyJson to keep every digit.
 */

// --- Orders from webhooks -----------------------------------------------------------------------

type RestFulfillment = z.output<typeof RestFulfillmentSchema>;
type RestRefund = z.output<typeof RestRefundSchema>;

/** orders/* webhook body → snapshot. Throws a ZodError when a field we rely on is missing or malformed. */
export function orderSnapshotFromWebhook(payload: unknown): ShopifyOrderSnapshot {
  const order = RestOrderSchema.parse(toStorableJson(payload));
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
    ...chargesFromRest(order),
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
    variantTitle: item.variant_title,
    unitPrice: unitPriceFromRest(item),
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
  const fulfillment = RestFulfillmentSchema.parse(toStorableJson(payload));
  return { orderId: gidOrNull("Order", fulfillment.order_id), fulfillment: fulfillmentFromRest(fulfillment) };
}

/** fulfillment_events/create; null when the status is not one the snapshot knows (nothing to show). */
export function fulfillmentEventFromWebhook(payload: unknown): FulfillmentEventUpdate | null {
  const event = RestFulfillmentEventSchema.parse(toStorableJson(payload));
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
  const refund = RestRefundSchema.parse(toStorableJson(payload));
  return { orderId: gidOrNull("Order", refund.order_id), refund: refundFromRest(refund) };
}

// --- Orders from GraphQL ------------------------------------------------------------------------

type GqlOrder = z.output<typeof GraphqlOrderSchema>;
type GqlFulfillment = z.output<typeof gqlFulfillment>;
type GqlRefund = z.output<typeof gqlRefund>;

/** An ORDER_FIELDS node (or an assembled bulk order) → snapshot. Throws a ZodError on a malformed node. */
export function orderSnapshotFromGraphql(node: unknown): ShopifyOrderSnapshot {
  const order = GraphqlOrderSchema.parse(toStorableJson(node));
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
      variantTitle: item.variantTitle,
      unitPrice: unitPriceFromGraphql(item, order.currencyCode),
    })),
    // A bulk export carries fulfillments without their items: when no item of the order needs
    // shipping (gift cards, downloads), none of its fulfillments does, whatever the flag says.
    fulfillments: (order.fulfillments ?? []).map((fulfillment) =>
      fulfillmentFromGraphql(fulfillment, orderNeedsShipping(order.lineItems?.nodes ?? [])),
    ),
    refunds: (order.refunds ?? []).map(refundFromGraphql),
    payment: { gatewayNames: order.paymentGatewayNames ?? [], paidAt: paidAtFromTransactions(order.transactions) },
    updatedAt: order.updatedAt,
    email: normalizeEmail(order.email),
    phone: order.phone,
    customerId: order.customer?.id ?? null,
    currencyCode: order.currencyCode,
    subtotalPrice: order.subtotalPriceSet?.shopMoney ?? null,
    ...chargesFromGraphql(order),
    note: order.note,
    tags: tagList(order.tags),
    shippingAddress: addressFromGraphql(order.shippingAddress),
    billingAddress: addressFromGraphql(order.billingAddress),
    returns: (order.returns?.nodes ?? []).map((ret) => ({ id: ret.id, name: ret.name, status: ret.status })),
  };
}

/** Whether any item of the order needs shipping; true when the items are not known. */
function orderNeedsShipping(items: readonly { requiresShipping?: boolean | null }[]): boolean {
  return items.length === 0 || items.some((item) => item.requiresShipping ?? true);
}

function fulfillmentFromGraphql(fulfillment: GqlFulfillment, orderShips = true): FulfillmentSnapshot {
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
        : (fulfillment.requiresShipping ?? true) && orderShips,
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

/** An ORDER_DETAILS_BY_IDS_QUERY node → details. Throws a ZodError on a malformed node. */
export function orderDetailsFromGraphql(node: unknown): OrderDetails {
  const order = GraphqlOrderDetailsSchema.parse(toStorableJson(node));
  return {
    id: order.id,
    updatedAt: order.updatedAt,
    fulfillments: (order.fulfillments ?? []).map((fulfillment) => fulfillmentFromGraphql(fulfillment)),
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
