import { Readable } from "node:stream";
import { createInterface } from "node:readline";
import { z } from "zod";
import { db } from "~/db.server";
import { assembleBulkCustomers, assembleBulkOrders, bulkOrderNeedsDetails } from "~/domain/shopify/bulk";
import { customerFromGraphql } from "~/domain/shopify/customer-mapping";
import { orderSnapshotFromGraphql } from "~/domain/shopify/order-mapping";
import type { ShopifyOrderSnapshot } from "~/domain/shopify/snapshots";
import type { Logger } from "~/lib/logger.server";
import { toStorableJson } from "~/lib/storable-text";
import { saveCustomerVersion, type CustomerShop } from "~/models/shopify-customer.server";
import { countOrdersNeedingDetails, ordersNeedingDetails, saveOrderVersions } from "~/models/shopify-order.server";
import { syncStateFor, updateSyncState, type SyncPhase } from "~/models/sync-state.server";
import { runAdminQuery, type AdminGraphqlClient } from "~/services/shopify/admin-graphql.server";
import {
  BULK_CUSTOMERS_QUERY,
  BULK_OPERATION_BY_ID,
  BULK_OPERATION_RUN,
  BULK_ORDERS_QUERY,
  ORDER_DETAILS_BATCH_SIZE,
} from "~/services/shopify/order-documents";
import { adminForBackgroundWork } from "~/services/shopify/shop-admin.server";
import { completeOrderDetailsOf, ON_DEMAND_HEADROOM_POINTS } from "./order-details.server";

// The install-time import, as a resumable state machine kept in SyncState. Each call does one
// step and says when to call again; the job re-enqueues itself, so a restart continues where the
// last stored step left off:
//   customers: bulk export → stream the JSONL into ShopifyCustomer (+ helpdesk matching)
//   orders:    bulk export → stream the JSONL into ShopifyOrder
//   details:   orders with shipments or refunds get their carrier events and refund lines, which
//              a bulk query cannot reach (Shopify forbids connections inside list fields): recent
//              orders first, the rest in the background within the rate limit
// Every order is listed with its status once the orders phase is done; the details only add the
// tracking timeline (and refund lines), and an order opened before its turn is fetched on demand.

export const BACKFILL_COUNTS_QUERY = `#graphql
  query ShopdeskBackfillCounts {
    ordersCount(limit: null) {
      count
    }
    customersCount(limit: null) {
      count
    }
  }
`;

const CountsSchema = z.object({
  ordersCount: z.object({ count: z.number() }).nullable(),
  customersCount: z.object({ count: z.number() }).nullable(),
});

const BulkRunSchema = z.object({
  bulkOperationRunQuery: z.object({
    bulkOperation: z.object({ id: z.string(), status: z.string() }).nullable(),
    userErrors: z.array(z.object({ message: z.string() })),
  }),
});

const BulkOperationSchema = z.object({
  bulkOperation: z
    .object({
      id: z.string(),
      status: z.string(),
      errorCode: z.string().nullable(),
      objectCount: z.union([z.string(), z.number()]).nullable(),
      url: z.string().nullable(),
    })
    .nullable(),
});

export type BackfillStep = { done: true } | { done: false; againInSeconds: number };

/** How many orders a details step completes before handing back to the queue: ten calls' worth. */
const DETAILS_PER_STEP = ORDER_DETAILS_BATCH_SIZE * 10;
/** Rows per database transaction while streaming a bulk file. */
const SAVE_BATCH = 250;

export class BulkOperationFailedError extends Error {
  override name = "BulkOperationFailedError";
}

async function loadShop(shopDomain: string) {
  return db.shop.findFirst({
    where: { domain: shopDomain, uninstalledAt: null },
    select: { id: true, domain: true, workspaceId: true, notesSyncEnabled: true },
  });
}

/**
 * The import gave up (its job ran out of retries): say so on the home page, with the reason, so the
 * merchant can retry once Shopify or the connection is back.
 */
export async function recordBackfillFailure(shopDomain: string, error: unknown) {
  const shop = await loadShop(shopDomain);
  if (!shop) return;
  const message = error instanceof Error ? error.message : String(error);
  await updateSyncState(shop.id, { backfillStatus: "failed", backfillError: message.slice(0, 500) });
}

export async function runBackfillStep(shopDomain: string, log: Logger): Promise<BackfillStep> {
  const shop = await loadShop(shopDomain);
  if (!shop) return { done: true };
  const state = await syncStateFor(shop.id);
  if (state.backfillStatus === "completed") return { done: true };
  const admin = await adminForBackgroundWork(shopDomain);

  if (state.backfillStatus !== "running") {
    const counts = await runAdminQuery(admin, BACKFILL_COUNTS_QUERY, CountsSchema);
    await updateSyncState(shop.id, {
      backfillStatus: "running",
      backfillPhase: "customers",
      bulkOperationId: null,
      linesProcessed: 0,
      customersSynced: 0,
      ordersSynced: 0,
      detailsSynced: 0,
      detailsTotal: null,
      customersTotal: counts.customersCount?.count ?? null,
      ordersTotal: counts.ordersCount?.count ?? null,
      backfillStartedAt: new Date(),
      backfillCompletedAt: null,
      backfillError: null,
      // Anything that changes from now on reaches us by webhook or reconcile.
      ordersCursor: state.ordersCursor ?? new Date(),
      customersCursor: state.customersCursor ?? new Date(),
    });
    log.info("backfill started", { orders: counts.ordersCount?.count, customers: counts.customersCount?.count });
    return { done: false, againInSeconds: 0 };
  }

  const phase = (state.backfillPhase ?? "customers") as SyncPhase;
  if (phase === "details") return completeOrderDetails(shop.id, admin, log);

  if (!state.bulkOperationId) {
    const started = await runAdminQuery(admin, BULK_OPERATION_RUN, BulkRunSchema, {
      query: phase === "customers" ? BULK_CUSTOMERS_QUERY : BULK_ORDERS_QUERY,
    });
    const operation = started.bulkOperationRunQuery.bulkOperation;
    if (!operation) {
      throw new BulkOperationFailedError(started.bulkOperationRunQuery.userErrors.map((e) => e.message).join("; "));
    }
    await updateSyncState(shop.id, { bulkOperationId: operation.id, linesProcessed: 0 });
    log.info("bulk export started", { phase, bulkOperationId: operation.id });
    return { done: false, againInSeconds: 1 };
  }

  const { bulkOperation } = await runAdminQuery(admin, BULK_OPERATION_BY_ID, BulkOperationSchema, {
    id: state.bulkOperationId,
  });
  if (!bulkOperation || ["FAILED", "CANCELED", "CANCELING", "EXPIRED"].includes(bulkOperation.status)) {
    // Start this phase's export again on the next attempt.
    await updateSyncState(shop.id, { bulkOperationId: null, linesProcessed: 0 });
    throw new BulkOperationFailedError(
      `Bulk export of ${phase} ${bulkOperation?.status ?? "vanished"}${bulkOperation?.errorCode ? ` (${bulkOperation.errorCode})` : ""}`,
    );
  }
  if (bulkOperation.status !== "COMPLETED") return { done: false, againInSeconds: 1 };

  if (bulkOperation.url) {
    const shopForSave: CustomerShop = shop;
    if (phase === "customers") await ingestCustomers(shopForSave, bulkOperation.url, state.linesProcessed, log);
    else await ingestOrders(shop.id, bulkOperation.url, state.linesProcessed, log);
  }
  const nextPhase: SyncPhase = phase === "customers" ? "orders" : "details";
  await updateSyncState(shop.id, {
    backfillPhase: nextPhase,
    bulkOperationId: null,
    linesProcessed: 0,
    ...(nextPhase === "details" ? { detailsTotal: await countOrdersNeedingDetails(shop.id), detailsSynced: 0 } : {}),
  });
  log.info("bulk export stored", { phase });
  return { done: false, againInSeconds: 0 };
}

/** The JSONL file, line by line, as objects — streamed, never held whole (100k orders ≈ 50 MB). */
async function* bulkLines(url: string): AsyncGenerator<object> {
  const response = await fetch(url);
  if (!response.ok || !response.body)
    throw new BulkOperationFailedError(`Bulk file download failed: ${response.status}`);
  const lines = createInterface({ input: Readable.fromWeb(response.body as never), crlfDelay: Infinity });
  // Text PostgreSQL cannot store (a NUL in a note) is made storable before anything reads it.
  for await (const line of lines) if (line.trim()) yield toStorableJson(JSON.parse(line) as object);
}

async function ingestCustomers(shop: CustomerShop, url: string, alreadyStored: number, log: Logger) {
  let seen = 0;
  let stored = alreadyStored;
  for await (const node of assembleBulkCustomers(bulkLines(url))) {
    if (seen++ < alreadyStored) continue; // stored before a restart
    await saveCustomerVersion(shop, customerFromGraphql(node));
    stored++;
    if (stored % SAVE_BATCH === 0) await updateSyncState(shop.id, { linesProcessed: stored, customersSynced: stored });
  }
  await updateSyncState(shop.id, { linesProcessed: stored, customersSynced: stored });
  log.info("customers imported", { customers: stored });
}

async function ingestOrders(shopId: string, url: string, alreadyStored: number, log: Logger) {
  let seen = 0;
  let stored = alreadyStored;
  let batch: { order: ShopifyOrderSnapshot; needsDetails: boolean }[] = [];
  const flush = async () => {
    const needing = new Set(batch.filter((entry) => entry.needsDetails).map((entry) => entry.order.id));
    await saveOrderVersions(
      shopId,
      batch.map((entry) => entry.order),
      { detailsPending: (order) => needing.has(order.id) },
    );
    stored += batch.length;
    batch = [];
    await updateSyncState(shopId, { linesProcessed: stored, ordersSynced: stored });
  };
  for await (const node of assembleBulkOrders(bulkLines(url))) {
    if (seen++ < alreadyStored) continue;
    batch.push({ order: orderSnapshotFromGraphql(node), needsDetails: bulkOrderNeedsDetails(node) });
    if (batch.length >= SAVE_BATCH) await flush();
  }
  await flush();
  log.info("orders imported", { orders: stored });
}

async function completeOrderDetails(shopId: string, admin: AdminGraphqlClient, log: Logger): Promise<BackfillStep> {
  const ids = await ordersNeedingDetails(shopId, DETAILS_PER_STEP);
  if (ids.length === 0) {
    await updateSyncState(shopId, {
      backfillStatus: "completed",
      backfillPhase: null,
      backfillCompletedAt: new Date(),
    });
    log.info("backfill completed");
    return { done: true };
  }
  // Recent orders first (ordersNeedingDetails); any order someone opens meanwhile is fetched on
  // demand (order-timeline.server.ts), with the points this pass leaves in the bucket.
  await completeOrderDetailsOf(shopId, admin, ids, { leaveInBucket: ON_DEMAND_HEADROOM_POINTS });
  await updateSyncState(shopId, { detailsSynced: { increment: ids.length } });
  return { done: false, againInSeconds: 0 };
}
