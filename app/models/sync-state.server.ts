import { db } from "~/db.server";
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
export async function getSyncProgress(shopId: string) {
  const [state, heldOrders, heldCustomers] = await Promise.all([
    db.syncState.findUnique({ where: { shopId } }),
    db.shopifyOrder.count({ where: { shopId, deletedAt: null } }),
    db.shopifyCustomer.count({ where: { shopId, deletedAt: null } }),
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
    heldOrders,
    heldCustomers,
  };
}

export type SyncProgress = Awaited<ReturnType<typeof getSyncProgress>>;
