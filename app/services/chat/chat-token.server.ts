import { z } from "zod";
import { readSignedToken, signToken } from "~/lib/signed-token.server";

// The storefront chat widget's token (decision 026): names one ChatVisitor of one shop, signed
// with a key derived from the app secret for this purpose only (a portal session token is not a
// chat token, nor the reverse). It is the only credential of the /chat/* endpoints on the app's
// origin; the visitor's row, not the token, says which shop and workspace a call is for.

/** How long a token is good for. */
export const CHAT_TOKEN_LIFE_MS = 24 * 60 * 60 * 1000;
/** How long after expiring a token may still be swapped for a new one (a returning shopper). */
export const CHAT_TOKEN_REFRESH_MS = 30 * 24 * 60 * 60 * 1000;

const PURPOSE = "chat-widget-token";

/**
 * A token naming the visitor `id` of `shopId`, good for CHAT_TOKEN_LIFE_MS; with the signed-in
 * portal session it was issued for (`p`), so a chat started from the portal counts as the
 * session's contact with an agent.
 */
export function issueChatToken(
  visitor: { id: string; shopId: string },
  appSecret: string,
  now = Date.now(),
  portalSessionId: string | null = null,
) {
  const expiresAt = new Date(now + CHAT_TOKEN_LIFE_MS);
  const claims = {
    v: visitor.id,
    h: visitor.shopId,
    e: expiresAt.getTime(),
    ...(portalSessionId ? { p: portalSessionId } : {}),
  };
  return { token: signToken(PURPOSE, claims, appSecret), expiresAt };
}

const TokenPayload = z.object({ v: z.uuid(), h: z.string().min(1), e: z.number().int(), p: z.uuid().optional() });

/**
 * The visitor and shop a token names, or null when we did not sign it or it has expired. With
 * `forRefresh`, an expired token is still read for CHAT_TOKEN_REFRESH_MS after its expiry.
 */
export function readChatToken(
  token: string,
  appSecret: string,
  now = Date.now(),
  options: { forRefresh?: boolean } = {},
): { visitorId: string; shopId: string; portalSessionId: string | null } | null {
  const parsed = TokenPayload.safeParse(readSignedToken(PURPOSE, token, appSecret));
  if (!parsed.success) return null;
  const goodUntil = parsed.data.e + (options.forRefresh ? CHAT_TOKEN_REFRESH_MS : 0);
  if (goodUntil <= now) return null;
  return { visitorId: parsed.data.v, shopId: parsed.data.h, portalSessionId: parsed.data.p ?? null };
}
