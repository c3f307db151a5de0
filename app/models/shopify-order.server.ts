import { db } from "~/db.server";
import { shopperOrderStatus } from "~/domain/order-status";
import { withoutBuyerDetails } from "~/domain/shopify/buyer-details";
import { orderActivityAt } from "~/domain/tracking-import";
import { mergeFulfillment, mergeFulfillmentEvent, mergeOrderSnapshots, mergeRefund } from "~/domain/shopify/merges";
import type { ShopifyOrderSnapshot } from "~/domain/shopify/snapshots";
import { Prisma } from "~/generated/prisma/client";
import { sameJson } from "~/lib/canonical-json";

type Tx = Prisma.TransactionClient;

export type OrderWriteOutcome = "created" | "updated" | "unchanged";

function columnsFor(snapshot: ShopifyOrderSnapshot) {
  return {
    name: snapshot.name,
    email: snapshot.email,
    phone: snapshot.phone,
    shopifyCustomerId: snapshot.customerId,
    shopifyCreatedAt: new Date(snapshot.createdAt),
    activityAt: orderActivityAt(snapshot),
    shopifyUpdatedAt: new Date(snapshot.updatedAt),
    cancelledAt: snapshot.cancelledAt ? new Date(snapshot.cancelledAt) : null,
    financialStatus: snapshot.financialStatus,
    fulfillmentStatus: snapshot.fulfillmentStatus,
    shopperStatus: shopperOrderStatus(snapshot),
    totalAmount: snapshot.totalPrice.amount,
    currencyCode: snapshot.currencyCode,
    snapshot: snapshot as unknown as Prisma.InputJsonValue,
  };
}

interface StoredOrder {
  snapshot: ShopifyOrderSnapshot;
  buyerErasedAt: Date | null;
}

/** Locks the order's row for the rest of the transaction: merges on one order run one at a time. */
async function lockedOrder(tx: Tx, shopId: string, shopifyId: string): Promise<StoredOrder | null> {
  const rows = await tx.$queryRaw<StoredOrder[]>`
    SELECT snapshot, "buyerErasedAt" FROM "ShopifyOrder"
    WHERE "shopId" = ${shopId} AND "shopifyId" = ${shopifyId} FOR UPDATE`;
  return rows[0] ?? null;
}

/**
 * What is stored of a merged version: once customers/redact erased the buyer from an order, every
 * later version (a retried webhook with the same updatedAt, a newer one, a reconcile) is stored
 * without the buyer too.
 */
function storable(stored: StoredOrder | undefined | null, next: ShopifyOrderSnapshot) {
  return stored?.buyerErasedAt ? withoutBuyerDetails(next) : next;
}

async function write(tx: Tx, shopId: string, previous: ShopifyOrderSnapshot | null, next: ShopifyOrderSnapshot) {
  if (!previous) {
    await tx.shopifyOrder.create({ data: { shopId, shopifyId: next.id, ...columnsFor(next) } });
    return "created" as const;
  }
  if (sameJson(previous, next)) return "unchanged" as const;
  await tx.shopifyOrder.update({
    where: { shopId_shopifyId: { shopId, shopifyId: next.id } },
    data: { ...columnsFor(next), deletedAt: null },
  });
  return "updated" as const;
}

/**
 * Applies a whole-order version (webhook, backfill, reconcile). Never lets an older version win:
 * mergeOrderSnapshots keeps the newer order-level fields and every fulfillment, carrier event and
 * refund either side knows — so replays, duplicates and reordering converge on one state.
 */
export async function saveOrderVersion(
  shopId: string,
  incoming: ShopifyOrderSnapshot,
  tx?: Tx,
): Promise<OrderWriteOutcome> {
  const run = async (client: Tx) => {
    const stored = await lockedOrder(client, shopId, incoming.id);
    const current = stored?.snapshot ?? null;
    return write(client, shopId, current, storable(stored, mergeOrderSnapshots(current, incoming)));
  };
  if (tx) return run(tx);
  return db.$transaction(run).catch(async (error: unknown) => {
    // Two first versions of a new order at once: the loser merges into the winner's row.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return db.$transaction(run);
    throw error;
  });
}

type OrderPatch = (snapshot: ShopifyOrderSnapshot) => ShopifyOrderSnapshot;

/**
 * Applies a partial change (a fulfillment, a carrier event, a refund) to a stored order. Returns
 * "missing" when we do not hold the order yet: the caller fetches it from Shopify first.
 */
export async function patchOrder(
  shopId: string,
  orderId: string,
  patch: OrderPatch,
): Promise<OrderWriteOutcome | "missing"> {
  return db.$transaction(async (tx) => {
    const stored = await lockedOrder(tx, shopId, orderId);
    if (!stored) return "missing" as const;
    return write(tx, shopId, stored.snapshot, storable(stored, patch(stored.snapshot)));
  });
}

/**
 * patchOrder for many orders in one transaction (backfill details): each row locked, patched and
 * written as patchOrder does. Orders we do not hold are skipped.
 */
export async function patchOrders(
  shopId: string,
  patchesById: ReadonlyMap<string, OrderPatch>,
): Promise<Map<string, OrderWriteOutcome>> {
  const outcomes = new Map<string, OrderWriteOutcome>();
  if (patchesById.size === 0) return outcomes;
  return db.$transaction(
    async (tx) => {
      const ids = [...patchesById.keys()];
      const rows = await tx.$queryRaw<(StoredOrder & { shopifyId: string })[]>`
        SELECT "shopifyId", snapshot, "buyerErasedAt" FROM "ShopifyOrder"
        WHERE "shopId" = ${shopId} AND "shopifyId" = ANY(${ids}) FOR UPDATE`;
      for (const row of rows) {
        const patched = storable(row, patchesById.get(row.shopifyId)!(row.snapshot));
        outcomes.set(row.shopifyId, await write(tx, shopId, row.snapshot, patched));
      }
      return outcomes;
    },
    { timeout: 60_000 },
  );
}

export const patches = {
  fulfillment:
    (fulfillment: Parameters<typeof mergeFulfillment>[1]): OrderPatch =>
    (snapshot) =>
      mergeFulfillment(snapshot, fulfillment),
  fulfillmentEvent:
    (
      fulfillmentId: string,
      event: Parameters<typeof mergeFulfillmentEvent>[2],
      estimatedDeliveryAt: string | null = null,
    ): OrderPatch =>
    (snapshot) =>
      mergeFulfillmentEvent(snapshot, fulfillmentId, event, estimatedDeliveryAt),
  refund:
    (refund: Parameters<typeof mergeRefund>[1]): OrderPatch =>
    (snapshot) =>
      mergeRefund(snapshot, refund),
};

/** The order a fulfillment belongs to, when a webhook did not say (fulfillment events may not). */
export async function findOrderIdByFulfillment(shopId: string, fulfillmentId: string): Promise<string | null> {
  const rows = await db.$queryRaw<{ shopifyId: string }[]>`
    SELECT "shopifyId" FROM "ShopifyOrder"
    WHERE "shopId" = ${shopId} AND snapshot->'fulfillments' @> ${JSON.stringify([{ id: fulfillmentId }])}::jsonb
    LIMIT 1`;
  return rows[0]?.shopifyId ?? null;
}

/** Whether we hold the order with this fulfillment in it. */
export async function orderHasFulfillment(shopId: string, orderId: string, fulfillmentId: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ found: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM "ShopifyOrder"
      WHERE "shopId" = ${shopId} AND "shopifyId" = ${orderId}
        AND snapshot->'fulfillments' @> ${JSON.stringify([{ id: fulfillmentId }])}::jsonb
    ) AS found`;
  return rows[0]?.found ?? false;
}

/**
 * Saves many whole-order versions in one transaction (backfill pages): the same merge rules as
 * saveOrderVersion, with one read and one insert for the batch instead of one per order.
 */
export async function saveOrderVersions(
  shopId: string,
  incoming: readonly ShopifyOrderSnapshot[],
  options: { detailsPending?: (order: ShopifyOrderSnapshot) => boolean } = {},
): Promise<{ created: number; updated: number }> {
  if (incoming.length === 0) return { created: 0, updated: 0 };
  return db.$transaction(
    async (tx) => {
      const ids = incoming.map((order) => order.id);
      const rows = await tx.$queryRaw<(StoredOrder & { shopifyId: string })[]>`
        SELECT "shopifyId", snapshot, "buyerErasedAt" FROM "ShopifyOrder"
        WHERE "shopId" = ${shopId} AND "shopifyId" = ANY(${ids}) FOR UPDATE`;
      const stored = new Map<string, StoredOrder>(rows.map((row) => [row.shopifyId, row]));
      const creates: Prisma.ShopifyOrderCreateManyInput[] = [];
      let updated = 0;
      for (const order of incoming) {
        const row = stored.get(order.id);
        const current = row?.snapshot ?? null;
        const next = storable(row, mergeOrderSnapshots(current, order));
        const detailsPending = options.detailsPending?.(order) ?? false;
        if (!current) {
          creates.push({ shopId, shopifyId: order.id, ...columnsFor(next), detailsPending });
          stored.set(order.id, { snapshot: next, buyerErasedAt: null });
        } else if (!sameJson(current, next) || detailsPending) {
          await tx.shopifyOrder.update({
            where: { shopId_shopifyId: { shopId, shopifyId: order.id } },
            data: { ...columnsFor(next), deletedAt: null, ...(detailsPending ? { detailsPending } : {}) },
          });
          updated++;
        }
      }
      if (creates.length > 0) await tx.shopifyOrder.createMany({ data: creates, skipDuplicates: true });
      return { created: creates.length, updated };
    },
    { timeout: 60_000 },
  );
}

/**
 * Orders the backfill still has to complete with their shipments' carrier events and refund lines,
 * in the order of trackingImportOrder (~/domain/tracking-import): recent activity first.
 */
export async function ordersNeedingDetails(shopId: string, take: number) {
  const rows = await db.shopifyOrder.findMany({
    where: { shopId, detailsPending: true },
    select: { shopifyId: true },
    orderBy: [{ activityAt: "desc" }, { shopifyId: "asc" }],
    take,
  });
  return rows.map((row) => row.shopifyId);
}

export async function markDetailsComplete(shopId: string, shopifyIds: readonly string[]) {
  await db.shopifyOrder.updateMany({
    where: { shopId, shopifyId: { in: [...shopifyIds] } },
    data: { detailsPending: false },
  });
}

/** Orders still waiting for their details; with `activeSince`, only those active since then. */
export function countOrdersNeedingDetails(shopId: string, activeSince?: Date) {
  return db.shopifyOrder.count({
    where: { shopId, detailsPending: true, ...(activeSince ? { activityAt: { gte: activeSince } } : {}) },
  });
}

/** Orders active (placed or shipped) since the date, pending details or not. */
export function countOrdersActiveSince(shopId: string, activeSince: Date) {
  return db.shopifyOrder.count({ where: { shopId, deletedAt: null, activityAt: { gte: activeSince } } });
}

/** One order of the shop, as stored, with whether its carrier events are still to be fetched. */
export async function findOrder(shopId: string, shopifyId: string) {
  const row = await db.shopifyOrder.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId } },
    select: { shopifyId: true, snapshot: true, detailsPending: true, deletedAt: true },
  });
  if (!row || row.deletedAt) return null;
  return {
    shopifyId: row.shopifyId,
    snapshot: row.snapshot as unknown as ShopifyOrderSnapshot,
    detailsPending: row.detailsPending,
  };
}
