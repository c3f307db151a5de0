import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

// Which shop a request came from, for log lines written outside authenticate.admin (Remix's
// handleError, error responses). Only a session token signed with our secret counts: a `shop`
// query parameter is whatever the sender typed.

const HeaderSchema = z.object({ alg: z.literal("HS256") });
const ClaimsSchema = z.object({ dest: z.url(), aud: z.string() });
const SHOP_HOST = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

function decodePart(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    return null;
  }
}

/**
 * The shop a session token was signed for, or null. Expiry is deliberately not checked: a request
 * that failed because its token had just expired still came from that shop, and this only names
 * the shop in a log line; it authorises nothing.
 */
export function shopFromSessionToken(token: string, app: { apiKey: string; apiSecret: string }): string | null {
  const [header, payload, signature, extra] = token.split(".");
  if (!header || !payload || !signature || extra !== undefined) return null;
  if (!HeaderSchema.safeParse(decodePart(header)).success) return null;
  const expected = createHmac("sha256", app.apiSecret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const claims = ClaimsSchema.safeParse(decodePart(payload));
  if (!claims.success || claims.data.aud !== app.apiKey) return null;
  const host = new URL(claims.data.dest).hostname;
  return SHOP_HOST.test(host) ? host : null;
}

/** The session token App Bridge sent (Authorization header) or Admin put in the URL (id_token). */
export function sessionTokenOf(request: Request): string | null {
  const bearer = /^Bearer (\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (bearer) return bearer;
  try {
    return new URL(request.url).searchParams.get("id_token");
  } catch {
    return null;
  }
}
