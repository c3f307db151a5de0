import { db } from "~/db.server";
import { orderTimeline, type TimelineEvent } from "~/domain/order-timeline";
import type { ShopifyOrderSnapshot } from "~/domain/shopify/snapshots";
import { logger as appLogger, type Logger } from "~/lib/logger.server";
import { findOrder } from "~/models/shopify-order.server";
import { PAGE_LOAD_RETRY_POLICY, type AdminGraphqlClient } from "~/services/shopify/admin-graphql.server";
import { adminForBackgroundWork } from "~/services/shopify/shop-admin.server";
import { completeOrderDetailsOf } from "./order-details.server";

/**
 * - complete: the order's carrier events are imported (and kept current by webhooks);
 * - unavailable: they were not imported yet and Shopify could not be asked just now: the order is
 *   shown with what the bulk import gave (its status, shipments and tracking numbers).
 */
export type TrackingDetails = "complete" | "unavailable";

export interface OrderWithTimeline {
  order: ShopifyOrderSnapshot;
  timeline: TimelineEvent[];
  trackingDetails: TrackingDetails;
}

/** Fetches in flight per shop and order: people opening the same order at once share one fetch. */
const inFlight = new Map<string, Promise<void>>();

/**
 * The order of the shop (Shopify GID) with its tracking timeline, for an agent's order view and
 * the shopper portal. The import fetches carrier events recent orders first; an order opened before
 * its turn is fetched now, once, with the Admin API points the background pass leaves free. Never
 * throws for Shopify trouble: the order comes back with `trackingDetails: "unavailable"`. Null when
 * the shop (installed) holds no such order. `shopDomain` must come from an authenticated request.
 */
export async function ensureOrderTimeline(
  shopDomain: string,
  orderId: string,
  options: { admin?: AdminGraphqlClient; log?: Logger } = {},
): Promise<OrderWithTimeline | null> {
  const shop = await db.shop.findFirst({ where: { domain: shopDomain, uninstalledAt: null }, select: { id: true } });
  if (!shop) return null;
  const stored = await findOrder(shop.id, orderId);
  if (!stored) return null;
  if (!stored.detailsPending) return withTimeline(stored.snapshot, "complete");

  const log = (options.log ?? appLogger).child({ shop: shopDomain, component: "order-timeline" });
  const key = `${shop.id} ${orderId}`;
  let fetching = inFlight.get(key);
  if (!fetching) {
    fetching = (async () => {
      const admin = options.admin ?? (await adminForBackgroundWork(shopDomain));
      await completeOrderDetailsOf(shop.id, admin, [orderId], { retry: PAGE_LOAD_RETRY_POLICY });
    })().finally(() => inFlight.delete(key));
    inFlight.set(key, fetching);
  }
  try {
    await fetching;
  } catch (error) {
    log.warn("tracking details could not be fetched on demand", {
      orderId,
      error: error instanceof Error ? error.message : String(error),
    });
    return withTimeline(stored.snapshot, "unavailable");
  }
  const fetched = await findOrder(shop.id, orderId);
  return fetched ? withTimeline(fetched.snapshot, "complete") : null;
}

function withTimeline(order: ShopifyOrderSnapshot, trackingDetails: TrackingDetails): OrderWithTimeline {
  return { order, timeline: orderTimeline(order), trackingDetails };
}
