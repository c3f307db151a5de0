import { createHmac, hkdfSync, randomInt, timingSafeEqual } from "node:crypto";
import { SIGN_IN_CODE_MINUTES } from "~/domain/portal-messages";
import type { CodeChannel } from "./sign-in-input";

// One-time sign-in codes (PortalSignInCode): made by the CSPRNG, stored only as an HMAC with a key
// derived from the app secret for this purpose, like the destination they were sent to. A stolen
// database alone cannot list the addresses or try the million codes offline: that needs the key.

export const SIGN_IN_CODE_TTL_MS = SIGN_IN_CODE_MINUTES * 60_000;
/** Wrong tries after which a code is dead (the shopper asks for a new one). */
export const MAX_WRONG_CODE_TRIES = 5;

/** Six digits, uniformly from 000000 to 999999. */
export const newSignInCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, "0");

const keys = new Map<string, Buffer>();
function keyOf(appSecret: string, purpose: "portal-sign-in-code" | "portal-code-destination"): Buffer {
  const id = `${purpose}\0${appSecret}`;
  let key = keys.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", appSecret, "shopdesk", purpose, 32));
    keys.set(id, key);
  }
  return key;
}

/**
 * Names a normalised destination (lower-cased email, E.164 phone) of one shop and channel: what
 * codes and send limits are filed under.
 */
export const destinationHash = (appSecret: string, shopId: string, channel: CodeChannel, destination: string) =>
  createHmac("sha256", keyOf(appSecret, "portal-code-destination"))
    .update(`${shopId}\0${channel}\0${destination}`)
    .digest("base64url");

/** The stored form of `code` sent to `destinationHash` by this shop: bound to both. */
export const codeHash = (appSecret: string, shopId: string, destination: string, code: string) =>
  createHmac("sha256", keyOf(appSecret, "portal-sign-in-code"))
    .update(`${shopId}\0${destination}\0${code}`)
    .digest("base64url");

/** Compares two stored hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
