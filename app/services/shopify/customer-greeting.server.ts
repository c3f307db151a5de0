import { z } from "zod";
import { runAdminQuery, type AdminGraphqlClient } from "./admin-graphql.server";

export const CUSTOMER_FIRST_NAME_QUERY = `#graphql
  query CustomerFirstName($id: ID!) {
    customer(id: $id) {
      firstName
    }
  }
`;

const CustomerFirstNameSchema = z.object({ customer: z.object({ firstName: z.string().nullable() }).nullable() });

/** The first name of a logged-in storefront customer, or null if Shopify has none. */
export async function fetchCustomerFirstName(admin: AdminGraphqlClient, customerId: string): Promise<string | null> {
  const result = await runAdminQuery(admin, CUSTOMER_FIRST_NAME_QUERY, CustomerFirstNameSchema, {
    id: `gid://shopify/Customer/${customerId}`,
  });
  return result.customer?.firstName ?? null;
}
