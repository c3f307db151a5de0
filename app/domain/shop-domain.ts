/**
 * What a merchant types to say which store they mean, turned into its myshopify.com domain.
 * People paste what their address bar shows, so besides `your-store` and
 * `your-store.myshopify.com` we take a full URL of either and the new admin's
 * `admin.shopify.com/store/your-store`. Anything else is not a store we can send them to.
 */

/** Shopify store handles: lowercase letters, digits and hyphens, starting with a letter or digit. */
const HANDLE = /^[a-z0-9][a-z0-9-]{0,59}$/;
const MYSHOPIFY = /^([a-z0-9][a-z0-9-]{0,59})\.myshopify\.com$/;

export const SHOP_DOMAIN_HINT = "Enter your shop's myshopify.com domain, like your-store.myshopify.com";

/** `your-store.myshopify.com` for what the merchant typed, or null when it names no store. */
export function parseShopDomain(input: string): string | null {
  const text = input.trim().toLowerCase();
  if (!text || /\s/.test(text)) return null;
  let url: URL;
  try {
    url = new URL(/^https?:\/\//.test(text) ? text : `https://${text}`);
  } catch {
    return null;
  }
  if (url.username || url.password || url.port) return null;
  const host = url.hostname;
  if (host === "admin.shopify.com") {
    const handle = /^\/store\/([^/]+)/.exec(url.pathname)?.[1];
    return handle && HANDLE.test(handle) ? `${handle}.myshopify.com` : null;
  }
  // A bare handle must be just that: "your-store/admin" is a typo, not a store.
  if (!host.includes("."))
    return HANDLE.test(host) && !/^https?:\/\//.test(text) && url.pathname === "/" ? `${host}.myshopify.com` : null;
  return MYSHOPIFY.test(host) ? host : null;
}
