import { isRouteErrorResponse } from "@remix-run/react";

/**
 * What an error that reached a boundary means for the merchant:
 * - `shopify-auth`: the Shopify library's own page (session-token bounce, exit-iframe), thrown as a
 *   2xx Response whose HTML loads App Bridge; it must render as is, or authentication stalls.
 * - `not-found`: a 404 (ours: unknown customer, unknown page).
 * - `signed-out`: Shopify no longer accepts the session (401) after App Bridge's own retry.
 * - `refused`: another 4xx; `message` when our route gave one a person can act on.
 * - `unexpected`: a 5xx, an exception; nothing to show but an apology and a reference.
 */
export type RouteErrorKind =
  | { kind: "shopify-auth"; html: string }
  | { kind: "not-found" }
  | { kind: "signed-out" }
  | { kind: "refused"; message: string | null }
  | { kind: "unexpected" };

/** A short, single-line text: ours are; a library's HTML or JSON body is not shown to people. */
function personMessage(data: unknown): string | null {
  const text =
    typeof data === "string"
      ? data
      : typeof data === "object" && data !== null && "message" in data && typeof data.message === "string"
        ? data.message
        : null;
  if (!text || text.length > 200 || /[\n<>{}]/.test(text)) return null;
  return text;
}

export function classifyRouteError(error: unknown): RouteErrorKind {
  if (!isRouteErrorResponse(error)) return { kind: "unexpected" };
  if (error.status < 300) return { kind: "shopify-auth", html: typeof error.data === "string" ? error.data : "" };
  if (error.status === 404) return { kind: "not-found" };
  if (error.status === 401) return { kind: "signed-out" };
  if (error.status < 500) return { kind: "refused", message: personMessage(error.data) };
  return { kind: "unexpected" };
}
