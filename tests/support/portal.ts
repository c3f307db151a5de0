import { buildOrder, money, type OrderSnapshot } from "../../app/domain/order-snapshot.ts";
import type { AddressSnapshot, ShopifyOrderSnapshot } from "../../app/domain/shopify/snapshots.ts";

// Orders for the storefront portal's integration tests: a shopper's order as the sync stores it,
// written straight to the shop's copy (no Shopify round trip), with the row id the portal API names.

export interface PortalShopper {
  customerId: string | null;
  email: string | null;
}

/**
 * Makes order snapshots numbered from `firstNumber` (gid://shopify/Order/<n>, named
 * `<namePrefix><n>`): each test file its own range, so orders never collide.
 */
export function orderSnapshots(options: {
  firstNumber: number;
  namePrefix: string;
  shippingAddress?: AddressSnapshot | null;
}) {
  let next = options.firstNumber;
  return (shopper: PortalShopper, order: Partial<OrderSnapshot> = {}): ShopifyOrderSnapshot => {
    const id = ++next;
    const base = buildOrder({ id: `gid://shopify/Order/${id}`, name: `${options.namePrefix}${id}`, ...order });
    return {
      ...base,
      updatedAt: base.createdAt,
      email: shopper.email,
      phone: null,
      customerId: shopper.customerId,
      currencyCode: base.totalPrice.currencyCode,
      subtotalPrice: money("79.99", base.totalPrice.currencyCode),
      note: null,
      tags: [],
      shippingAddress: options.shippingAddress ?? null,
      billingAddress: null,
      returns: [],
    };
  };
}

export interface SavedOrder {
  /** Our ShopifyOrder row id: what the portal API names an order by. */
  rowId: string;
  name: string;
  /** The first line item's Shopify id ("" without one). */
  lineItemId: string;
}

/** Stores the order as the sync does, and returns its row id. */
export async function saveOrder(shopId: string, snapshot: ShopifyOrderSnapshot): Promise<SavedOrder> {
  const { db } = await import("~/db.server");
  const { saveOrderVersion } = await import("~/models/shopify-order.server");
  await saveOrderVersion(shopId, snapshot);
  const row = await db.shopifyOrder.findUniqueOrThrow({
    where: { shopId_shopifyId: { shopId, shopifyId: snapshot.id } },
    select: { id: true },
  });
  return { rowId: row.id, name: snapshot.name, lineItemId: snapshot.lineItems[0]?.id ?? "" };
}
