import { z } from "zod";
import { db } from "~/db.server";
import { customerFromGraphql } from "~/domain/shopify/customer-mapping";
import type { Logger } from "~/lib/logger.server";
import { saveCustomerVersion } from "~/models/shopify-customer.server";
import { saveOrderVersions } from "~/models/shopify-order.server";
import { syncStateFor, updateSyncState } from "~/models/sync-state.server";
import { runAdminQuery, type AdminGraphqlClient } from "~/services/shopify/admin-graphql.server";
import {
  CUSTOMERS_UPDATED_SINCE_QUERY,
  ORDERS_UPDATED_SINCE_QUERY,
  updatedSinceSearch,
} from "~/services/shopify/order-documents";
import { adminForBackgroundWork } from "~/services/shopify/shop-admin.server";
import { fetchOrdersByIds } from "./shopify-reads.server";

// Reconcile: pull whatever Shopify changed since our cursor, whether or not its webhook reached
// us (a deleted subscription, an outage, a delivery Shopify gave up on). Cheap when nothing changed:
// one page of ids per resource.

const PageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });
const OrderIdsPage = z.object({
  orders: z.object({ pageInfo: PageInfo, nodes: z.array(z.object({ id: z.string(), updatedAt: z.string() })) }),
});
const CustomersPage = z.object({ customers: z.object({ pageInfo: PageInfo, nodes: z.array(z.unknown()) }) });

export interface ReconcileResult {
  ordersChanged: number;
  customersChanged: number;
}

const later = (a: Date | null, b: Date) => (a && a > b ? a : b);

/**
 * Each run reads again from a little before the cursor. Shopify's search index catches up with a
 * change asynchronously, so a change can become searchable after a later one already moved the
 * cursor past it; re-reading a few minutes is cheap (stored versions are skipped or merge to nothing).
 */
const SEARCH_INDEX_LAG_MS = 2 * 60_000;
const searchFrom = (cursor: Date) => new Date(cursor.getTime() - SEARCH_INDEX_LAG_MS);

async function reconcileOrders(shopId: string, admin: AdminGraphqlClient, since: Date) {
  let after: string | null = null;
  let newest: Date | null = null;
  let changed = 0;
  do {
    const page: z.infer<typeof OrderIdsPage> = await runAdminQuery(admin, ORDERS_UPDATED_SINCE_QUERY, OrderIdsPage, {
      after,
      query: updatedSinceSearch(since),
    });
    const ids = page.orders.nodes.map((node) => node.id);
    const stored = await db.shopifyOrder.findMany({
      where: { shopId, shopifyId: { in: ids } },
      select: { shopifyId: true, shopifyUpdatedAt: true },
    });
    const storedAt = new Map(stored.map((row) => [row.shopifyId, row.shopifyUpdatedAt.getTime()]));
    const stale = page.orders.nodes.filter((node) => (storedAt.get(node.id) ?? -1) < Date.parse(node.updatedAt));
    if (stale.length > 0) {
      const result = await saveOrderVersions(
        shopId,
        await fetchOrdersByIds(
          admin,
          stale.map((node) => node.id),
        ),
      );
      changed += result.created + result.updated;
    }
    for (const node of page.orders.nodes) newest = later(newest, new Date(node.updatedAt));
    after = page.orders.pageInfo.hasNextPage ? page.orders.pageInfo.endCursor : null;
  } while (after);
  return { changed, newest };
}

async function reconcileCustomers(
  shop: { id: string; workspaceId: string; notesSyncEnabled: boolean },
  admin: AdminGraphqlClient,
  since: Date,
) {
  let after: string | null = null;
  let newest: Date | null = null;
  let changed = 0;
  do {
    const page: z.infer<typeof CustomersPage> = await runAdminQuery(
      admin,
      CUSTOMERS_UPDATED_SINCE_QUERY,
      CustomersPage,
      {
        after,
        query: updatedSinceSearch(since),
      },
    );
    for (const node of page.customers.nodes) {
      const customer = customerFromGraphql(node);
      const outcome = await saveCustomerVersion(shop, customer);
      if (outcome === "created" || outcome === "updated") changed++;
      newest = later(newest, new Date(customer.updatedAt));
    }
    after = page.customers.pageInfo.hasNextPage ? page.customers.pageInfo.endCursor : null;
  } while (after);
  return { changed, newest };
}

export async function reconcileShop(shopDomain: string, log: Logger): Promise<ReconcileResult | null> {
  const shop = await db.shop.findFirst({
    where: { domain: shopDomain, uninstalledAt: null },
    select: { id: true, workspaceId: true, notesSyncEnabled: true },
  });
  if (!shop) return null;
  const state = await syncStateFor(shop.id);
  // Until the import has set the cursors, it is the import that brings everything in.
  if (!state.ordersCursor || !state.customersCursor) return null;

  const admin = await adminForBackgroundWork(shopDomain);
  const orders = await reconcileOrders(shop.id, admin, searchFrom(state.ordersCursor));
  const customers = await reconcileCustomers(shop, admin, searchFrom(state.customersCursor));
  await updateSyncState(shop.id, {
    // The newest change Shopify reported, not our clock: a skewed clock cannot skip changes.
    ordersCursor: later(state.ordersCursor, orders.newest ?? state.ordersCursor),
    customersCursor: later(state.customersCursor, customers.newest ?? state.customersCursor),
    lastReconciledAt: new Date(),
  });
  const result = { ordersChanged: orders.changed, customersChanged: customers.changed };
  if (result.ordersChanged + result.customersChanged > 0) log.info("reconcile pulled missed changes", { ...result });
  return result;
}
