import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

// Tokens the storefront carries for us (the portal session, the chat widget): `v1.<claims as
// base64url JSON>.<HMAC>`, each kind signed with its own key derived from the app secret, so a
// token of one kind is never accepted as another. What the claims mean, and when they expire, is
// the caller's.

const TOKEN_VERSION = "v1";

const keys = new Map<string, { secret: string; key: Buffer }>();
function keyOf(purpose: string, appSecret: string): Buffer {
  const cached = keys.get(purpose);
  if (cached?.secret === appSecret) return cached.key;
  const key = Buffer.from(hkdfSync("sha256", appSecret, "shopdesk", purpose, 32));
  keys.set(purpose, { secret: appSecret, key });
  return key;
}

const sign = (purpose: string, signed: string, appSecret: string) =>
  createHmac("sha256", keyOf(purpose, appSecret)).update(signed).digest("base64url");

/** A token carrying `claims`, signed for `purpose`. */
export function signToken(purpose: string, claims: object, appSecret: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${TOKEN_VERSION}.${payload}.${sign(purpose, `${TOKEN_VERSION}.${payload}`, appSecret)}`;
}

/** The claims of a token we signed for `purpose` (to be checked by the caller), or null. */
export function readSignedToken(purpose: string, token: string, appSecret: string): unknown {
  const parts = token.split(".");
  const [version, payload, signature] = parts;
  if (parts.length !== 3 || version !== TOKEN_VERSION || !payload || !signature) return null;
  const expected = Buffer.from(sign(purpose, `${version}.${payload}`, appSecret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown;
  } catch {
    return null;
  }
}
