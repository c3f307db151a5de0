import { z } from "zod";
import { defineJobKind, enqueue } from "./queue.server";

// The sync jobs as their producers see them (install, the home page's buttons, the jobs themselves):
// name, data and queue settings. Their handlers, which import the sync services, are in
// sync.server.ts, so a service can queue a sync job without importing itself back.

const ShopJobData = z.object({ shopDomain: z.string().regex(/\.myshopify\.com$/, "a myshopify.com domain") });

/** How often each shop is reconciled with Shopify when nothing asks sooner. */
export const RECONCILE_EVERY_SECONDS = 15 * 60;

export const BACKFILL_RETRIES = 5;

export const backfillJobKind = defineJobKind({
  name: "sync-backfill",
  schema: ShopJobData,
  retryLimit: BACKFILL_RETRIES,
  retryDelaySeconds: 10,
  timeoutSeconds: 60 * 60,
});

export const reconcileJobKind = defineJobKind({
  name: "sync-reconcile",
  schema: ShopJobData,
  retryLimit: 3,
  retryDelaySeconds: 30,
});

/** The shop's import, or its next step; a no-op when one is already waiting. */
export function enqueueBackfill(shopDomain: string, options: { startAfter?: number } = {}) {
  return enqueue(backfillJobKind, { shopDomain }, { singletonKey: `backfill:${shopDomain}`, ...options });
}

/** The next periodic reconcile; a no-op when one is already waiting. */
export function scheduleReconcile(shopDomain: string) {
  return enqueue(
    reconcileJobKind,
    { shopDomain },
    { singletonKey: `reconcile:${shopDomain}`, startAfter: RECONCILE_EVERY_SECONDS },
  );
}

/** Run reconcile now (the periodic one keeps its own schedule). */
export function enqueueReconcileNow(shopDomain: string) {
  return enqueue(reconcileJobKind, { shopDomain }, { singletonKey: `reconcile-now:${shopDomain}` });
}
