import type { LoaderFunctionArgs } from "@remix-run/node";
import { env } from "~/env.server";
import { isAllowedExitIframeDestination } from "~/lib/shopify-urls";
import { authenticate } from "~/shopify.server";

const refuse = (message: string) =>
  new Response(message, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });

// Token exchange needs no OAuth callback; the library still serves its bounce and exit-iframe
// pages under /auth (the login page, /auth/login, is a route of its own).
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

  await authenticate.admin(request);
  return null;
};
