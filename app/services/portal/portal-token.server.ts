import { z } from "zod";
import { readSignedToken, signToken } from "~/lib/signed-token.server";

// The storefront portal's session token (docs/decisions/023-portal.md): names a PortalSession of
// one shop, signed with a key derived from the app secret for this purpose only. The session row
// decides whether it is still good (idle expiry, sign-out); the token's own expiry caps its life.

/** The most a token lives, whatever the session's idle expiry says. */
export const PORTAL_TOKEN_MAX_AGE_MS = 24 * 60 * 60 * 1000;

const PURPOSE = "portal-session-token";

/** A token naming the portal session `id` of `shopId`, good for PORTAL_TOKEN_MAX_AGE_MS at most. */
export function issuePortalToken(session: { id: string; shopId: string }, appSecret: string, now = Date.now()) {
  return signToken(PURPOSE, { s: session.id, h: session.shopId, e: now + PORTAL_TOKEN_MAX_AGE_MS }, appSecret);
}

const TokenPayload = z.object({ s: z.string().uuid(), h: z.string().min(1), e: z.number().int() });

/** The session and shop a token names, or null when we did not sign it or it has expired. */
export function readPortalToken(
  token: string,
  appSecret: string,
  now = Date.now(),
): { sessionId: string; shopId: string } | null {
  const parsed = TokenPayload.safeParse(readSignedToken(PURPOSE, token, appSecret));
  if (!parsed.success || parsed.data.e <= now) return null;
  return { sessionId: parsed.data.s, shopId: parsed.data.h };
}
