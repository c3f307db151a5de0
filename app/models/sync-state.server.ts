import { db } from "~/db.server";
import { recentOrdersSince } from "~/domain/tracking-import";
import type { Prisma, SyncState } from "~/generated/prisma/client";

export type SyncPhase = "customers" | "orders" | "details";

export async function syncStateFor(shopId: string): Promise<SyncState> {
  return db.syncState.upsert({ where: { shopId }, create: { shopId }, update: {} });
}

export async function updateSyncState(shopId: string, data: Prisma.SyncStateUpdateInput): Promise<SyncState> {
  return db.syncState.update({ where: { shopId }, data });
}

/** Starts (or restarts, after a failure or on request) the import from the customers phase. */
export async function resetBackfill(shopId: string) {
  await syncStateFor(shopId);
  await updateSyncState(shopId, {
    backfillStatus: "pending",
    backfillPhase: null,
    bulkOperationId: null,
    linesProcessed: 0,
    backfillError: null,
  });
}

/** What the home page shows: the import's progress and the last reconcile. */
export async function getSyncProgress(shopId: string, now = new Date()) {
  const held = { shopId, deletedAt: null };
  const recent = { activityAt: { gte: recentOrdersSince(now) } };
  const [state, heldOrders, heldCustomers, pending, recentTotal, recentPending] = await Promise.all([
    db.syncState.findUnique({ where: { shopId } }),
    db.shopifyOrder.count({ where: held }),
    db.shopifyCustomer.count({ where: { shopId, deletedAt: null } }),
    db.shopifyOrder.count({ where: { ...held, detailsPending: true } }),
    db.shopifyOrder.count({ where: { ...held, ...recent } }),
    db.shopifyOrder.count({ where: { ...held, ...recent, detailsPending: true } }),
  ]);
  return {
    status: state?.backfillStatus ?? "pending",
    phase: (state?.backfillPhase ?? null) as SyncPhase | null,
    customers: { synced: state?.customersSynced ?? 0, total: state?.customersTotal ?? null },
    orders: { synced: state?.ordersSynced ?? 0, total: state?.ordersTotal ?? null },
    details: { synced: state?.detailsSynced ?? 0, total: state?.detailsTotal ?? null },
    startedAt: state?.backfillStartedAt ?? null,
    completedAt: state?.backfillCompletedAt ?? null,
    error: state?.backfillError ?? null,
    lastReconciledAt: state?.lastReconciledAt ?? null,
    // Carrier events, counted from the orders themselves: the background pass and orders opened
    // on demand both complete them.
    tracking: { total: heldOrders, pending, recentTotal, recentPending },
    heldOrders,
    heldCustomers,
  };
}

export type SyncProgress = Awaited<ReturnType<typeof getSyncProgress>>;
