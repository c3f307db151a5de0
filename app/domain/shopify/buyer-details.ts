import type { ShopifyOrderSnapshot } from "./snapshots";

/**
 * The order without what identifies the buyer (customers/redact). The rest — items, amounts,
 * shipments, refunds — is the merchant's record of a sale and stays.
 */
export function withoutBuyerDetails(snapshot: ShopifyOrderSnapshot): ShopifyOrderSnapshot {
  return {
    ...snapshot,
    email: null,
    phone: null,
    customerId: null,
    shippingAddress: null,
    billingAddress: null,
    note: null,
  };
}
