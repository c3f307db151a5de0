import { isShopDomain } from "./shopify-urls";

/** The session token a request carries, where the library looks for it: Bearer header, then id_token. */
export function sessionTokenOf(request: Request): string | null {
  const bearer = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "");
  return bearer?.[1] ?? new URL(request.url).searchParams.get("id_token");
}

/**
 * True when the token's payload can be read and its `dest` is not https://<store>.myshopify.com.
 * No token Shopify signs looks like that, so it is refused before the library, which throws (a 500)
 * on such a `dest` after checking the signature. A token that cannot be read at all is left to the
 * library's own refusal. Reads the payload without verifying it: it only ever refuses.
 */
export function namesNoStore(token: string): boolean {
  let claims: unknown;
  try {
    const payload = token.split(".")[1] ?? "";
    claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
  } catch {
    return false;
  }
  if (!claims || typeof claims !== "object") return false;
  const { dest } = claims as { dest?: unknown };
  if (typeof dest !== "string" || !URL.canParse(dest)) return true;
  const url = new URL(dest);
  return url.protocol !== "https:" || !isShopDomain(url.hostname);
}
