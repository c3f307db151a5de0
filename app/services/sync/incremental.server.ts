import { db } from "~/db.server";
import { customerFromWebhook, customerIdFromDeleteWebhook } from "~/domain/shopify/customer-mapping";
import {
  fulfillmentEventFromWebhook,
  fulfillmentFromWebhook,
  orderIdFromEditWebhook,
  orderSnapshotFromWebhook,
  refundFromWebhook,
} from "~/domain/shopify/order-mapping";
import type { Logger } from "~/lib/logger.server";
import { markCustomerDeleted, saveCustomerVersion } from "~/models/shopify-customer.server";
import {
  findOrderIdByFulfillment,
  orderHasFulfillment,
  patchOrder,
  patches,
  saveOrderVersion,
} from "~/models/shopify-order.server";
import { adminForBackgroundWork } from "~/services/shopify/shop-admin.server";
import { fetchOrdersByIds } from "./shopify-reads.server";

// Incremental sync: one function per webhook family. Each is idempotent and order-safe (the model
// merges keep the newest of everything), so Shopify's retries, duplicates and reordering converge.

export type SyncOutcome = "processed" | "skipped";

async function syncShop(shopDomain: string) {
  return db.shop.findFirst({
    where: { domain: shopDomain, uninstalledAt: null },
    select: { id: true, workspaceId: true, notesSyncEnabled: true },
  });
}

/** Pulls the order from Shopify and stores it (a partial webhook arrived before the order). */
async function fetchAndSaveOrder(shopDomain: string, shopId: string, orderId: string) {
  const admin = await adminForBackgroundWork(shopDomain);
  const [order] = await fetchOrdersByIds(admin, [orderId]);
  if (order) await saveOrderVersion(shopId, order);
  return Boolean(order);
}

export async function syncOrderWebhook(shopDomain: string, payload: unknown): Promise<SyncOutcome> {
  const shop = await syncShop(shopDomain);
  if (!shop) return "skipped";
  const outcome = await saveOrderVersion(shop.id, orderSnapshotFromWebhook(payload));
  return outcome === "unchanged" ? "skipped" : "processed";
}

/** orders/edited carries the edit, not the order: refetch the order. */
export async function syncOrderEdit(shopDomain: string, payload: unknown): Promise<SyncOutcome> {
  const shop = await syncShop(shopDomain);
  const orderId = orderIdFromEditWebhook(payload);
  if (!shop || !orderId) return "skipped";
  return (await fetchAndSaveOrder(shopDomain, shop.id, orderId)) ? "processed" : "skipped";
}

async function patchOrFetch(
  shopDomain: string,
  shopId: string,
  orderId: string | null,
  fulfillmentId: string | null,
  patch: Parameters<typeof patchOrder>[2],
  log: Logger,
): Promise<SyncOutcome> {
  const target = orderId ?? (fulfillmentId ? await findOrderIdByFulfillment(shopId, fulfillmentId) : null);
  if (!target) {
    // Neither the payload nor our copy says which order this is (ids beyond 2^53 lose precision
    // in JSON): reconcile will pick the change up from Shopify.
    log.warn("webhook names no order we can identify; left to reconcile", { fulfillmentId });
    return "skipped";
  }
  let outcome = await patchOrder(shopId, target, patch);
  if (outcome === "missing") {
    if (!(await fetchAndSaveOrder(shopDomain, shopId, target))) return "skipped";
    outcome = await patchOrder(shopId, target, patch);
  }
  return outcome === "unchanged" || outcome === "missing" ? "skipped" : "processed";
}

export async function syncFulfillmentWebhook(shopDomain: string, payload: unknown, log: Logger): Promise<SyncOutcome> {
  const shop = await syncShop(shopDomain);
  if (!shop) return "skipped";
  const { orderId, fulfillment } = fulfillmentFromWebhook(payload);
  return patchOrFetch(shopDomain, shop.id, orderId, fulfillment.id, patches.fulfillment(fulfillment), log);
}

export async function syncFulfillmentEventWebhook(
  shopDomain: string,
  payload: unknown,
  log: Logger,
): Promise<SyncOutcome> {
  const shop = await syncShop(shopDomain);
  const update = fulfillmentEventFromWebhook(payload);
  if (!shop || !update) return "skipped";
  const orderId = update.orderId ?? (await findOrderIdByFulfillment(shop.id, update.fulfillmentId));
  // A carrier event can overtake its fulfillment's own webhook. Shopify already has both, so fetch
  // the order (its events included) rather than drop an event we have nowhere to attach.
  if (orderId && !(await orderHasFulfillment(shop.id, orderId, update.fulfillmentId))) {
    return (await fetchAndSaveOrder(shopDomain, shop.id, orderId)) ? "processed" : "skipped";
  }
  const patch = patches.fulfillmentEvent(update.fulfillmentId, update.event, update.estimatedDeliveryAt);
  return patchOrFetch(shopDomain, shop.id, orderId, update.fulfillmentId, patch, log);
}

export async function syncRefundWebhook(shopDomain: string, payload: unknown, log: Logger): Promise<SyncOutcome> {
  const shop = await syncShop(shopDomain);
  if (!shop) return "skipped";
  const { orderId, refund } = refundFromWebhook(payload);
  return patchOrFetch(shopDomain, shop.id, orderId, null, patches.refund(refund), log);
}

export async function syncCustomerWebhook(shopDomain: string, payload: unknown): Promise<SyncOutcome> {
  const shop = await syncShop(shopDomain);
  if (!shop) return "skipped";
  const outcome = await saveCustomerVersion(shop, customerFromWebhook(payload));
  return outcome === "created" || outcome === "updated" ? "processed" : "skipped";
}

export async function syncCustomerDeletion(shopDomain: string, payload: unknown): Promise<SyncOutcome> {
  const shop = await syncShop(shopDomain);
  if (!shop) return "skipped";
  await markCustomerDeleted(shop.id, customerIdFromDeleteWebhook(payload));
  return "processed";
}
