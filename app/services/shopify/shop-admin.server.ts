import { unauthenticated } from "~/shopify.server";
import { adminForShop, type AdminGraphqlClient } from "./admin-graphql.server";

/** An Admin API client for background work (jobs), from the shop's stored offline session. */
export async function adminForBackgroundWork(shopDomain: string): Promise<AdminGraphqlClient> {
  const { admin } = await unauthenticated.admin(shopDomain);
  return adminForShop(shopDomain, admin);
}
