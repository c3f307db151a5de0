import { z } from "zod";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { isShopDomain } from "~/lib/shopify-urls";
import { readBodyWithLimit } from "~/lib/request-body.server";
import { authenticate } from "~/shopify.server";
import { clientIpFrom } from "./client-ip";
import { issuePortalToken, readPortalToken } from "./portal-token.server";

// Who is calling the storefront portal's API (docs/decisions/023-portal.md).
// Every call comes through Shopify's App Proxy: a signed query names the shop (and the store's
// logged-in customer). Shopify strips cookies on the way, so a signed-in shopper is named by a
// short-lived token the widget holds and sends in the JSON body of every call (POST only: a body
// is forwarded as it is; a token in a URL would sit in access logs).

/** How long a portal sign-in lasts without activity. */
export const PORTAL_SESSION_TTL_MS = 2 * 60 * 60 * 1000;

/** The portal's requests are a few fields; a return's item list is the longest. */
export const MAX_PORTAL_BODY_BYTES = 32 * 1024;

/** A portal API answer: JSON, never cached (private to the shopper). */
export function portalJson(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "private, no-store" } });
}

/** The JSON error every refusal answers with: a message for the shopper, in plain words. */
export const portalError = (status: number, error: string, extra: Record<string, unknown> = {}) =>
  portalJson({ error, ...extra }, status);

export interface PortalCall {
  shop: { id: string; domain: string; workspaceId: string; name: string | null; ianaTimezone: string | null };
  /** The store's logged-in customer (numeric id) per the signed query, or null. */
  loggedInCustomerId: string | null;
  /** The shopper's address as Shopify forwards it (rate limits only: never an identity). */
  clientIp: string;
  /** The JSON body (an object), unvalidated: each route parses what it needs. */
  body: Record<string, unknown>;
  /** The storefront's locale the widget sent ("fr", "de-CH"), not validated. */
  locale: string | null;
}

const ProxyQuery = z.object({
  shop: z.string().refine(isShopDomain),
  logged_in_customer_id: z
    .string()
    .regex(/^\d*$/)
    .optional()
    .transform((id) => id || null),
});

/**
 * Authenticates an App Proxy call to the portal API and reads its body. Throws the Response to
 * answer instead: 401 for a bad or missing proxy signature (authenticate.public.appProxy), 404 for
 * a store that has not installed Shopdesk, 405 for anything but POST, 400 for a body that is not a
 * JSON object, 413 past MAX_PORTAL_BODY_BYTES.
 */
export async function portalCall(request: Request): Promise<PortalCall> {
  await authenticate.public.appProxy(request);
  const query = ProxyQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw portalError(400, "This request did not come through the store.");
  const shop = await db.shop.findUnique({
    where: { domain: query.data.shop },
    select: { id: true, domain: true, workspaceId: true, name: true, ianaTimezone: true, uninstalledAt: true },
  });
  if (!shop || shop.uninstalledAt) throw portalError(404, "Shopdesk is not installed on this store.");
  if (request.method !== "POST") throw portalError(405, "Send this request as a POST with a JSON body.");
  const read = await readBodyWithLimit(request, MAX_PORTAL_BODY_BYTES);
  if (!read.ok) throw portalError(413, "This request is too large.");
  let body: unknown;
  try {
    body = read.bytes.length === 0 ? {} : JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(read.bytes));
  } catch {
    throw portalError(400, "This request's body is not JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw portalError(400, "This request's body must be a JSON object.");
  }
  const record = body as Record<string, unknown>;
  const { uninstalledAt: _uninstalled, ...installed } = shop;
  return {
    shop: installed,
    loggedInCustomerId: query.data.logged_in_customer_id,
    clientIp: clientIpFrom(request.headers.get("x-forwarded-for"), env.TRUSTED_PROXY_HOPS),
    body: record,
    locale: typeof record.locale === "string" ? record.locale.slice(0, 20) : null,
  };
}

/**
 * The portal session the call's token names, which must be of this shop, not revoked and not
 * expired; its expiry slides on use. Throws a 401 with a message the widget shows before asking
 * the shopper to sign in again.
 */
export async function requirePortalSession(call: PortalCall) {
  const token = typeof call.body.token === "string" ? call.body.token : "";
  const named = token ? readPortalToken(token, env.SHOPIFY_API_SECRET) : null;
  if (!named || named.shopId !== call.shop.id) throw portalError(401, "Please sign in again.", { signIn: true });
  const now = new Date();
  const session = await db.portalSession.findFirst({
    where: { id: named.sessionId, shopId: call.shop.id, revokedAt: null, expiresAt: { gt: now } },
  });
  if (!session) throw portalError(401, "Please sign in again.", { signIn: true });
  const expiresAt = new Date(now.getTime() + PORTAL_SESSION_TTL_MS);
  await db.portalSession.update({ where: { id: session.id }, data: { lastSeenAt: now, expiresAt } });
  return { ...session, lastSeenAt: now, expiresAt };
}

export type PortalSignInMethod = "email_code" | "sms_code" | "order_number" | "store_login";

/** Opens a portal session for a signed-in shopper and returns the token the widget will hold. */
export async function openPortalSession(
  shopId: string,
  shopper: {
    method: PortalSignInMethod;
    email?: string | null;
    phone?: string | null;
    shopifyCustomerId?: string | null;
    /** Email + order number: the session sees this order only. */
    orderId?: string | null;
    locale?: string;
  },
) {
  const session = await db.portalSession.create({
    data: {
      shopId,
      method: shopper.method,
      email: shopper.email?.toLowerCase() ?? null,
      phone: shopper.phone ?? null,
      shopifyCustomerId: shopper.shopifyCustomerId ?? null,
      orderId: shopper.orderId ?? null,
      locale: shopper.locale ?? "en",
      expiresAt: new Date(Date.now() + PORTAL_SESSION_TTL_MS),
    },
  });
  return { session, token: issuePortalToken(session, env.SHOPIFY_API_SECRET) };
}
