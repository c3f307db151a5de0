import { db } from "~/db.server";
import { enqueueBackfill, enqueueReconcileNow, scheduleReconcile } from "~/jobs/sync-kinds.server";
import { resetBackfill } from "~/models/sync-state.server";

/**
 * After install (or reinstall, or a token refresh): import what we do not hold yet; once imported,
 * catch up on what changed while we were away and keep the periodic reconcile going. Safe to call
 * on every auth: each job is a singleton per shop.
 */
export async function startSyncAfterInstall(shopDomain: string) {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, include: { syncState: true } });
  if (!shop) return;
  if (shop.syncState?.backfillStatus !== "completed") {
    await enqueueBackfill(shopDomain);
    return;
  }
  await requestReconcile(shopDomain);
  await scheduleReconcile(shopDomain);
}

/** The merchant asks for a fresh import (after a failure, or to start over). */
export async function requestBackfill(shopDomain: string) {
  const shop = await db.shop.findUniqueOrThrow({ where: { domain: shopDomain } });
  await resetBackfill(shop.id);
  await enqueueBackfill(shopDomain);
}

/** Run reconcile now (the periodic one keeps its own schedule). */
export async function requestReconcile(shopDomain: string) {
  await enqueueReconcileNow(shopDomain);
}
