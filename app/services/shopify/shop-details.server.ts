import { z } from "zod";
import { shopifyId } from "~/domain/shopify-ids";
import {
  isShopifyUnavailable,
  PAGE_LOAD_RETRY_POLICY,
  runAdminQuery,
  type AdminGraphqlClient,
  type AdminQueryOptions,
} from "./admin-graphql.server";

export const SHOP_DETAILS_QUERY = `#graphql
  query ShopDetails {
    shop {
      id
      name
      email
      myshopifyDomain
      currencyCode
      ianaTimezone
      plan {
        displayName
        partnerDevelopment
        shopifyPlus
      }
    }
  }
`;

const ShopDetailsSchema = z.object({
  shop: z.object({
    id: shopifyId("Shop"),
    name: z.string(),
    email: z.string(),
    myshopifyDomain: z.string(),
    currencyCode: z.string(),
    ianaTimezone: z.string(),
    plan: z.object({ displayName: z.string(), partnerDevelopment: z.boolean(), shopifyPlus: z.boolean() }),
  }),
});

export type ShopDetails = z.infer<typeof ShopDetailsSchema>["shop"];

export async function fetchShopDetails(admin: AdminGraphqlClient, options?: AdminQueryOptions): Promise<ShopDetails> {
  const result = await runAdminQuery(admin, SHOP_DETAILS_QUERY, ShopDetailsSchema, undefined, options);
  return result.shop;
}

/** What Shopdesk stored about the shop at install (models/shop.server.ts recordInstall). */
export interface StoredShop {
  domain: string;
  name: string | null;
  email: string | null;
  planName: string | null;
  currencyCode: string | null;
  ianaTimezone: string | null;
}

/** The shop as pages show it: names, plan, currency, timezone; no Shopify ids. */
export type ShopSummary = Omit<ShopDetails, "id">;

/** Our copy in the live shape. Plan flags are not stored: shown as a plain plan badge meanwhile. */
export function storedShopDetails(shop: StoredShop): ShopSummary {
  return {
    name: shop.name ?? shop.domain,
    email: shop.email ?? "",
    myshopifyDomain: shop.domain,
    currencyCode: shop.currencyCode ?? "",
    ianaTimezone: shop.ianaTimezone ?? "UTC",
    plan: { displayName: shop.planName ?? "", partnerDevelopment: false, shopifyPlus: false },
  };
}

/**
 * The shop as Shopify describes it now or, while Shopify can't be reached, as we stored it, so a
 * page can still show what it holds (`live: false` says which). Other failures are thrown.
 */
export async function shopDetailsOrStored(
  admin: AdminGraphqlClient,
  stored: StoredShop,
): Promise<{ details: ShopSummary; live: boolean }> {
  try {
    // The merchant is waiting: a short retry, then our copy.
    return { details: await fetchShopDetails(admin, { retry: PAGE_LOAD_RETRY_POLICY }), live: true };
  } catch (error) {
    if (!isShopifyUnavailable(error)) throw error;
    return { details: storedShopDetails(stored), live: false };
  }
}
