import { mergeOrderDetails, orderDetailsCover } from "~/domain/shopify/merges";
import type { ShopifyOrderSnapshot } from "~/domain/shopify/snapshots";
import { markDetailsComplete, patchOrders, saveOrderVersions } from "~/models/shopify-order.server";
import type { AdminGraphqlClient, AdminQueryOptions } from "~/services/shopify/admin-graphql.server";
import { fetchOrderDetailsByIds, fetchOrdersByIds } from "./shopify-reads.server";

/**
 * Points the import's details pass leaves in the shop's Admin API bucket, so an order someone opens
 * is fetched at once instead of queueing behind the background pass: one order's details (~127)
 * plus its whole-order fallback (~440), with room to spare.
 */
export const ON_DEMAND_HEADROOM_POINTS = 700;

/**
 * Completes stored orders with what a bulk export cannot carry (carrier events, fulfillment and
 * refund lines) and marks them done. The merges are unions by id, so a carrier event a webhook
 * stored meanwhile is neither lost nor doubled, and running this twice for one order is harmless.
 * Orders whose details page was cut, or that changed since they were stored, are fetched whole.
 */
export async function completeOrderDetailsOf(
  shopId: string,
  admin: AdminGraphqlClient,
  ids: readonly string[],
  options: AdminQueryOptions = {},
): Promise<void> {
  const details = await fetchOrderDetailsByIds(admin, ids, options);
  const wholeOrders: string[] = [];
  await patchOrders(
    shopId,
    new Map(
      details.map((detail) => [
        detail.id,
        (snapshot: ShopifyOrderSnapshot) => {
          if (!orderDetailsCover(snapshot, detail)) wholeOrders.push(detail.id);
          return mergeOrderDetails(snapshot, detail);
        },
      ]),
    ),
  );
  if (wholeOrders.length > 0) await saveOrderVersions(shopId, await fetchOrdersByIds(admin, wholeOrders, options));
  // Orders Shopify no longer has are done too: there is nothing more to fetch for them.
  await markDetailsComplete(shopId, ids);
}
