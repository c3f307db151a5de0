import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";

// The storefront portal's session token (docs/decisions/023-portal.md): names a PortalSession of
// one shop, signed with a key derived from the app secret for this purpose only. The session row
// decides whether it is still good (idle expiry, sign-out); the token's own expiry caps its life.

/** The most a token lives, whatever the session's idle expiry says. */
export const PORTAL_TOKEN_MAX_AGE_MS = 24 * 60 * 60 * 1000;

const TOKEN_VERSION = "v1";

const keyOf = (appSecret: string) => Buffer.from(hkdfSync("sha256", appSecret, "shopdesk", "portal-session-token", 32));

const sign = (payload: string, appSecret: string) =>
  createHmac("sha256", keyOf(appSecret)).update(payload).digest("base64url");

/** A token naming the portal session `id` of `shopId`, good for PORTAL_TOKEN_MAX_AGE_MS at most. */
export function issuePortalToken(session: { id: string; shopId: string }, appSecret: string, now = Date.now()) {
  const payload = Buffer.from(
    JSON.stringify({ s: session.id, h: session.shopId, e: now + PORTAL_TOKEN_MAX_AGE_MS }),
  ).toString("base64url");
  return `${TOKEN_VERSION}.${payload}.${sign(`${TOKEN_VERSION}.${payload}`, appSecret)}`;
}

const TokenPayload = z.object({ s: z.string().uuid(), h: z.string().min(1), e: z.number().int() });

/** The session and shop a token names, or null when we did not sign it or it has expired. */
export function readPortalToken(
  token: string,
  appSecret: string,
  now = Date.now(),
): { sessionId: string; shopId: string } | null {
  const parts = token.split(".");
  const [version, payload, signature] = parts;
  if (parts.length !== 3 || version !== TOKEN_VERSION || !payload || !signature) return null;
  const expected = Buffer.from(sign(`${version}.${payload}`, appSecret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const parsed = TokenPayload.safeParse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
    if (!parsed.success || parsed.data.e <= now) return null;
    return { sessionId: parsed.data.s, shopId: parsed.data.h };
  } catch {
    return null;
  }
}
