import { randomBytes } from "node:crypto";
import { env } from "~/env.server";
import { logger, type Logger } from "~/lib/logger.server";
import { AdminApiError } from "~/services/shopify/admin-graphql.server";
import { sessionTokenOf, shopFromSessionToken } from "~/services/shopify/session-token.server";

// A failure the merchant sees and support must find: one reference per failed request, written in
// the error's log line and shown on the error page (entry.server.tsx sends it in a Server-Timing
// header; app/components/error-reference.ts reads it in the browser). See decision 010.

// Keyed by the Request Remix hands to handleError, handleRequest and handleDataRequest alike.
const references = new WeakMap<Request, string>();

// No 0/O or 1/I: people read these out over the phone.
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

export function newReference(): string {
  const chars = [...randomBytes(8)].map((byte) => ALPHABET[byte % ALPHABET.length]).join("");
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** The reference of a request that failed, if one was logged. */
export function referenceOf(request: Request): string | undefined {
  return references.get(request);
}

function referenceFor(request: Request): string {
  const existing = references.get(request);
  if (existing) return existing;
  const created = newReference();
  references.set(request, created);
  return created;
}

/** The shop a request came from (its signed session token), else the shop the failure names. */
export function shopOfRequest(request: Request, error?: unknown): string | undefined {
  const token = sessionTokenOf(request);
  const shop = token
    ? shopFromSessionToken(token, { apiKey: env.SHOPIFY_API_KEY, apiSecret: env.SHOPIFY_API_SECRET })
    : null;
  if (shop) return shop;
  return error instanceof AdminApiError ? error.shop : undefined;
}

// The path only: query strings carry id_token, hmac and signature parameters.
function where(request: Request) {
  return { method: request.method, path: new URL(request.url).pathname };
}

// Remix may report one exception twice (React's onError, then handleError for a failed shell).
const logged = new WeakSet<object>();

/** An exception from a loader, action or render: logged once, with the request's reference. */
export function logRequestFailure(request: Request, error: unknown, log: Logger = logger): string {
  const reference = referenceFor(request);
  if (typeof error === "object" && error !== null) {
    if (logged.has(error)) return reference;
    logged.add(error);
  }
  log.error("request failed", { reference, shop: shopOfRequest(request, error), ...where(request), error });
  return reference;
}

/**
 * A 5xx answer that no exception explains (a Response thrown with status 500, e.g. by the Shopify
 * library when a token exchange fails): logged so its reference can be found too.
 */
export function referenceForServerError(request: Request, status: number, log: Logger = logger): string | undefined {
  const existing = references.get(request);
  if (existing || status < 500) return existing;
  const reference = referenceFor(request);
  log.error("request answered with a server error", {
    reference,
    shop: shopOfRequest(request),
    ...where(request),
    status,
  });
  return reference;
}
