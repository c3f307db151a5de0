// The shopper's IP for the portal's per-IP limits (docs/decisions/023-portal.md, "The shopper's IP").
// Shopify's App Proxy adds the client's address to X-Forwarded-For. Whatever the browser sent in that
// header comes before it, so only entries added by proxies we trust count: counted from the right,
// skipping the hops of the operator's own proxies between Shopify and the app (TRUSTED_PROXY_HOPS).

/** The entry `trustedHops` places from the right of X-Forwarded-For, or "unknown" when there is none. */
export function clientIpFrom(forwardedFor: string | null, trustedHops = 0): string {
  const entries = (forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries[entries.length - 1 - trustedHops] ?? "unknown";
}
