import type {
  FulfillmentEventSnapshot,
  FulfillmentSnapshot,
  IsoDateTime,
  Money,
  OrderSnapshot,
  RefundSnapshot,
} from "../order-snapshot";
import { compareFulfillmentEvents } from "../order-status";
import { addDecimals, compareDecimals } from "./money";
import type { OrderDetails, ShopifyCustomerSnapshot, ShopifyOrderSnapshot } from "./snapshots";
import { compareByCreation, quantityOf, timeOf } from "./values";

// Merging a new version into a stored snapshot.

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
