import type { OrderSnapshot } from "./order-snapshot";

// Which orders get their carrier events (tracking timeline) first after install. A bulk export
// cannot carry carrier events, and fetching them costs Admin API points one order at a time, so a
// large store's history takes hours. The orders someone is likely to ask about come first: those
// placed or shipped lately, newest first; older ones follow in the background, and any order
// opened before its turn is fetched on the spot.

/** Orders placed or shipped within this many days count as recent. */
export const RECENT_ORDER_DAYS = 60;

const DAY_MS = 86_400_000;

/** The start of the "recent" window. */
export function recentOrdersSince(now: Date): Date {
  return new Date(now.getTime() - RECENT_ORDER_DAYS * DAY_MS);
}

/** The latest of when the order was placed and when a shipment of it went out. */
export function orderActivityAt(order: Pick<OrderSnapshot, "createdAt" | "fulfillments">): Date {
  let latest = Date.parse(order.createdAt);
  for (const fulfillment of order.fulfillments) {
    const shippedAt = Date.parse(fulfillment.createdAt);
    if (!Number.isNaN(shippedAt) && shippedAt > latest) latest = shippedAt;
  }
  return new Date(latest);
}

/**
 * The order in which tracking details are imported (Array.sort comparator): latest activity first,
 * so every recent order comes before every older one; ties by id for a fixed order. The database
 * query in models/shopify-order.server.ts (ordersNeedingDetails) sorts the same way.
 */
export function trackingImportOrder(a: { id: string; activityAt: Date }, b: { id: string; activityAt: Date }): number {
  return b.activityAt.getTime() - a.activityAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
