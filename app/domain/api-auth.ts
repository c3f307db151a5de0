// The REST API's credentials and rate limit, without I/O: HTTP basic auth as the anchor's clients
// send it (`curl -u user:key`), and the per-key window the database keeps.

/** Requests one key may make per window. The anchor allows 40 per 20 s; we allow twice that. */
export const API_RATE_LIMIT = 80;
export const API_RATE_WINDOW_MS = 20_000;

/** What an API key looks like: a prefix that names it in secret scanners, then 32 random bytes. */
export const API_KEY_PREFIX = "shpdsk_";
export const API_KEY_PATTERN = /^shpdsk_[A-Za-z0-9_-]{43}$/;

/** The user name and key of an `Authorization: Basic …` header, or null when it is not one. */
export function parseBasicAuth(header: string | null): { username: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  // A NUL byte cannot be in a user name or key, and PostgreSQL would refuse it in the lookup.
  if (decoded.includes("\u0000")) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Whole seconds until a window that began at `windowStart` ends (at least 1: "retry now" is never right). */
export function retryAfterSeconds(windowStart: Date, now: Date, windowMs = API_RATE_WINDOW_MS): number {
  return Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
}
