import { createHmac, hkdfSync } from "node:crypto";
import { db } from "~/db.server";
import { env } from "~/env.server";

// The storefront portal's rate limits (PortalRateEvent rows): code sends per address and per IP,
// sign-in attempts per IP. A sliding window per limit: an action is allowed while fewer than `max`
// of its kind and key were allowed in the last `windowMs`; a refused action is not counted (a
// flood of refused attempts does not push the window forward). Keys are HMACs, never addresses.

export interface RateLimit {
  /** What is counted, e.g. "code-send:ip". */
  kind: string;
  /** Whose it is: a rateKey() hash. */
  key: string;
  max: number;
  windowMs: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The longest window of any portal limit: older rows count for nothing and are deleted. */
export const LONGEST_RATE_WINDOW_MS = 24 * HOUR;

/** The portal's limits, per shop. A shopper does one or two of each; an attacker hits them fast. */
export const PORTAL_LIMITS = {
  /** Codes sent to one address or number (its inbox, its phone bill). */
  codeSendPerDestination: [
    { max: 3, windowMs: 10 * MINUTE },
    { max: 10, windowMs: LONGEST_RATE_WINDOW_MS },
  ],
  /** Code requests from one IP, whatever the address (spraying addresses). */
  codeSendPerIp: [{ max: 20, windowMs: HOUR }],
  /** Code checks from one IP (guessing across addresses and codes; each code also dies after 5). */
  verifyPerIp: [{ max: 20, windowMs: 15 * MINUTE }],
  /** Email + order number tries from one IP (enumerating order numbers). */
  orderSignInPerIp: [{ max: 10, windowMs: 15 * MINUTE }],
  /** Email + order number tries for one email from anywhere (the same, spread over many IPs). */
  orderSignInPerEmail: [{ max: 20, windowMs: HOUR }],
} as const;

/** The limits of one rule for one key. */
export const limitsFor = (
  kind: keyof typeof PORTAL_LIMITS,
  key: string,
  rules: readonly { max: number; windowMs: number }[] = PORTAL_LIMITS[kind],
): RateLimit[] => rules.map((rule) => ({ kind, key, ...rule }));

let keyCache: { secret: string; key: Buffer } | null = null;
function rateKeySecret(): Buffer {
  if (keyCache?.secret !== env.SHOPIFY_API_SECRET) {
    const key = Buffer.from(hkdfSync("sha256", env.SHOPIFY_API_SECRET, "shopdesk", "portal-rate-key", 32));
    keyCache = { secret: env.SHOPIFY_API_SECRET, key };
  }
  return keyCache.key;
}

/** What a limit is keyed by (an IP, an email), as a keyed hash: rate rows hold no address. */
export const rateKey = (what: string, value: string) =>
  createHmac("sha256", rateKeySecret()).update(`${what}\0${value}`).digest("base64url");

/**
 * Takes one action under every limit in `limits`, or none: if any is full, nothing is counted and
 * the answer says when the fullest frees up. Concurrent calls for the same keys take turns (an
 * advisory lock per kind and key), so a burst cannot slip past a limit.
 */
export async function takeRateLimits(shopId: string, limits: RateLimit[], now = new Date()): Promise<RateDecision> {
  const decision = await db.$transaction(async (tx) => {
    const counted = [...new Map(limits.map((limit) => [`${limit.kind}\0${limit.key}`, limit])).values()].sort((a, b) =>
      `${a.kind}\0${a.key}` < `${b.kind}\0${b.key}` ? -1 : 1,
    );
    // Locks in one order (sorted), so two calls with overlapping keys cannot deadlock.
    for (const { kind, key } of counted) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('shopdesk.portal-rate'), hashtext(${`${shopId}:${kind}:${key}`}))`;
    }
    let waitMs = 0;
    for (const limit of limits) {
      // The newest `max` allowed actions in the window: with `max` of them, the oldest of those
      // leaving the window is when the next action is allowed.
      const recent = await tx.portalRateEvent.findMany({
        where: { shopId, kind: limit.kind, key: limit.key, at: { gt: new Date(now.getTime() - limit.windowMs) } },
        orderBy: { at: "desc" },
        take: limit.max,
        select: { at: true },
      });
      if (recent.length >= limit.max) {
        waitMs = Math.max(waitMs, recent.at(-1)!.at.getTime() + limit.windowMs - now.getTime());
      }
    }
    if (waitMs > 0) return { ok: false as const, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    await tx.portalRateEvent.createMany({ data: counted.map(({ kind, key }) => ({ shopId, kind, key, at: now })) });
    return { ok: true as const };
  });
  await forgetOldRateEvents(now);
  return decision;
}

const CLEANUP_EVERY_MS = MINUTE;
let lastCleanup = 0;

/** Deletes events older than the longest window, at most once a minute per process. */
async function forgetOldRateEvents(now: Date) {
  if (now.getTime() - lastCleanup < CLEANUP_EVERY_MS && now.getTime() >= lastCleanup) return;
  lastCleanup = now.getTime();
  await db.portalRateEvent.deleteMany({ where: { at: { lt: new Date(now.getTime() - LONGEST_RATE_WINDOW_MS) } } });
}
