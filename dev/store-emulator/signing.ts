// What Shopify signs, reproduced with node:crypto: session tokens (App Bridge id_token), webhook
// HMACs and App Proxy signatures. Used by the store emulator, the demo storefront and tests; the
// app verifies all three through @shopify/shopify-app-remix, never through this file.
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

const base64url = (input: string | Buffer) => Buffer.from(input).toString("base64url");

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
}

/** App Bridge session token: an HS256 JWT signed with the app's client secret. */
export function mintSessionToken(options: {
  shop: string;
  apiKey: string;
  apiSecret: string;
  userId?: string;
  ttlSeconds?: number;
}): string {
  const now = Math.floor(Date.now() / 1000);
  const claims: SessionTokenClaims = {
    iss: `https://${options.shop}/admin`,
    dest: `https://${options.shop}`,
    aud: options.apiKey,
    sub: options.userId ?? "1",
    exp: now + (options.ttlSeconds ?? 60),
    nbf: now - 5,
    iat: now - 5,
    jti: randomUUID(),
    sid: randomUUID(),
  };
  const input = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${createHmac("sha256", options.apiSecret).update(input).digest("base64url")}`;
}

/** Checks a session token as Shopify's token endpoint does; throws with the reason otherwise. */
export function verifySessionToken(token: string, apiSecret: string): SessionTokenClaims {
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) throw new Error("malformed token");
  const expected = Buffer.from(createHmac("sha256", apiSecret).update(`${header}.${payload}`).digest("base64url"));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new Error("bad signature");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as SessionTokenClaims;
  const now = Date.now() / 1000;
  if (claims.exp < now - 10) throw new Error("expired");
  if (claims.nbf > now + 10) throw new Error("not yet valid");
  return claims;
}

/** X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the raw body bytes. */
export function webhookHmac(rawBody: string | Buffer, apiSecret: string): string {
  return createHmac("sha256", apiSecret).update(rawBody).digest("base64");
}

export interface WebhookDelivery {
  topic: string;
  shop: string;
  body: string;
  apiVersion?: string;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: string;
}

/** Headers Shopify sends with a webhook delivery (names as in @shopify/shopify-api's ShopifyHeader). */
export function webhookHeaders(delivery: WebhookDelivery, apiSecret: string): Record<string, string> {
  return {
    "content-type": "application/json",
    "x-shopify-hmac-sha256": webhookHmac(delivery.body, apiSecret),
    "x-shopify-topic": delivery.topic,
    "x-shopify-shop-domain": delivery.shop,
    "x-shopify-api-version": delivery.apiVersion ?? "2026-07",
    "x-shopify-webhook-id": delivery.webhookId ?? randomUUID(),
    "x-shopify-event-id": delivery.eventId ?? randomUUID(),
    "x-shopify-triggered-at": delivery.triggeredAt ?? new Date().toISOString(),
  };
}

/**
 * App Proxy signature: hex HMAC-SHA256 over the query's `key=value` pairs (repeated keys joined
 * with ","), sorted with localeCompare as @shopify/shopify-api does, concatenated with no separator.
 */
export function appProxySignature(params: URLSearchParams, apiSecret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const message = [...grouped.keys()]
    .sort((a, b) => a.localeCompare(b))
    .map((key) => `${key}=${grouped.get(key)!.join(",")}`)
    .join("");
  return createHmac("sha256", apiSecret).update(message).digest("hex");
}

/** Adds the parameters Shopify's App Proxy adds to a forwarded storefront request, then signs. */
export function signAppProxyUrl(
  url: string | URL,
  options: { apiSecret: string; shop: string; pathPrefix: string; loggedInCustomerId?: string; timestamp?: number },
): URL {
  const signed = new URL(url);
  signed.searchParams.delete("signature");
  signed.searchParams.set("shop", options.shop);
  signed.searchParams.set("logged_in_customer_id", options.loggedInCustomerId ?? "");
  signed.searchParams.set("path_prefix", options.pathPrefix);
  signed.searchParams.set("timestamp", String(options.timestamp ?? Math.floor(Date.now() / 1000)));
  signed.searchParams.set("signature", appProxySignature(signed.searchParams, options.apiSecret));
  return signed;
}

/** The `host` parameter Shopify Admin gives embedded apps: base64("admin.shopify.com/store/<handle>"). */
export function adminHostParam(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`)
    .toString("base64")
    .replace(/=+$/, "");
}
