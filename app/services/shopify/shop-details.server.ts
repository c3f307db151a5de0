import { z } from "zod";
import { shopifyId } from "~/domain/shopify-ids";
import { runAdminQuery, type AdminGraphqlClient } from "./admin-graphql.server";

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

export async function fetchShopDetails(admin: AdminGraphqlClient): Promise<ShopDetails> {
  const result = await runAdminQuery(admin, SHOP_DETAILS_QUERY, ShopDetailsSchema);
  return result.shop;
}
