// Which Shopify addresses a request may name. Pure, so the rules are unit tested on their own.

/** A store's permanent domain as Shopify sends it (App Proxy `shop`, session token `dest`). */
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

export const SHOP_DOMAIN_MESSAGE = "The shop must be the store's permanent *.myshopify.com domain";

export const isShopDomain = (value: string) => SHOP_DOMAIN.test(value);

/** maple-goods-eu.myshopify.com → maple-goods-eu, the store's handle in admin.shopify.com URLs. */
export const shopHandle = (shopDomain: string) => shopDomain.replace(/\.myshopify\.com$/, "");

/**
 * Where /auth/exit-iframe may send the admin's top window: Shopdesk itself, or this store's own
 * Shopify admin (admin.shopify.com/store/<handle>/… or <shop>.myshopify.com/admin/…, https). The
 * destination is a query parameter anyone can write into a link, so anything else (another site,
 * another store's admin, a storefront) is refused. Stricter than the library's own check, which
 * admits any store's admin.
 */
export function isAllowedExitIframeDestination(
  destination: string | null,
  { appUrl, shop }: { appUrl: string; shop: string | null },
): boolean {
  if (!destination || destination.trim() !== destination || /[\\\s]/.test(destination)) return false;
  let url: URL;
  try {
    url = new URL(destination, appUrl);
  } catch {
    return false;
  }
  if (url.origin === new URL(appUrl).origin) return !destination.startsWith("//");
  if (!shop || !isShopDomain(shop) || url.protocol !== "https:" || url.port !== "" || url.username || url.password)
    return false;
  if (url.hostname === "admin.shopify.com") {
    return url.pathname === `/store/${shopHandle(shop)}` || url.pathname.startsWith(`/store/${shopHandle(shop)}/`);
  }
  return url.hostname === shop && (url.pathname === "/admin" || url.pathname.startsWith("/admin/"));
}
