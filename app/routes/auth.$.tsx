import type { LoaderFunctionArgs } from "@remix-run/node";
import { LoginErrorType } from "@shopify/shopify-app-remix/server";
import { env } from "~/env.server";
import { isAllowedExitIframeDestination } from "~/lib/shopify-urls";
import shopify, { authenticate } from "~/shopify.server";

const refuse = (message: string) =>
  new Response(message, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });

// Token exchange needs no OAuth callback; the library still serves its bounce and exit-iframe
// pages under /auth, and sends visits without the admin's parameters to /auth/login.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);

  // The library would open any Shopify admin (and throws, a 500, on anything else): only this
  // store's admin or Shopdesk itself, checked before it renders the page.
  if (url.pathname === "/auth/exit-iframe") {
    const destination = url.searchParams.get("exitIframe");
    if (
      !isAllowedExitIframeDestination(destination, { appUrl: env.SHOPIFY_APP_URL, shop: url.searchParams.get("shop") })
    )
      return refuse(
        "This link leaves the app only to Shopdesk or this store's Shopify admin; its destination is neither.",
      );
  }

  // Someone opened Shopdesk outside the Shopify admin. authenticate.admin() refuses to run here (a
  // 500); login() sends a named store to its admin to open or install the app.
  if (url.pathname === "/auth/login") {
    const problem = await shopify.login(request);
    if (problem.shop === LoginErrorType.InvalidShop)
      return refuse(
        "That is not a Shopify store: give its *.myshopify.com domain, or open Shopdesk from your Shopify admin.",
      );
    return refuse("Open Shopdesk from your Shopify admin (Apps → Shopdesk).");
  }

  await authenticate.admin(request);
  return null;
};
