import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { isShopDomain, SHOP_DOMAIN_MESSAGE } from "~/lib/shopify-urls";
import { findShop } from "~/models/shop.server";
import { fetchCustomerFirstName } from "~/services/shopify/customer-greeting.server";
import { authenticate } from "~/shopify.server";

const ProxyQuery = z.object({
  // Signed by Shopify, so well-formed in practice; checked anyway before it selects a store.
  shop: z.string().refine(isShopDomain, SHOP_DOMAIN_MESSAGE),
  logged_in_customer_id: z
    .string()
    .regex(/^\d*$/, "logged_in_customer_id must be numeric")
    .transform((id) => id || null),
});

// GET /apps/shopdesk/widget on the storefront, signed by Shopify's App Proxy: what the portal
// launcher needs to greet the shopper.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin } = await authenticate.public.appProxy(request);
  const query = ProxyQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return Response.json({ error: query.error.issues[0]?.message }, { status: 400 });

  const shop = await findShop(query.data.shop);
  if (!shop || shop.uninstalledAt || !admin) {
    return Response.json({ error: "Shopdesk is not installed on this store" }, { status: 404 });
  }
  const customerId = query.data.logged_in_customer_id;
  const firstName = customerId ? await fetchCustomerFirstName(admin, customerId) : null;
  return Response.json(
    { shop: { name: shop.name ?? shop.domain }, customer: { loggedIn: customerId !== null, firstName } },
    { headers: { "Cache-Control": "private, no-store" } },
  );
};
