import { z } from "zod";
import { shopifyIdDigits } from "~/domain/shopify-ids";
import { AdminApiError, isShopifyUnavailable } from "./admin-graphql.server";

// What returns.server.ts and order-cancel.server.ts share: the userError shape of Shopify's return and
// cancel mutations, and their results as values a person can act on instead of exceptions.

/** ReturnUserError and OrderCancelUserError: `code` is the mutation's error enum value. */
export const ShopifyUserErrorSchema = z.object({
  field: z.array(z.string()).nullable(),
  message: z.string(),
  code: z.string().nullable(),
});
export type ShopifyUserError = z.infer<typeof ShopifyUserErrorSchema>;

/**
 * Why Shopify did not do it:
 * - `rejected`: Shopify refused (userErrors) or we saw it would (nothing returnable); nothing changed.
 * - `access-denied`: the app's access scopes don't cover it (the merchant must grant them).
 * - `unavailable`: no useful answer (network, 5xx, throttled); `message` says whether it may have run.
 */
export interface ShopifyActionFailure {
  ok: false;
  reason: "rejected" | "access-denied" | "unavailable";
  /** For the agent, in plain language: what happened and what to do. */
  message: string;
  /** Shopify's own errors, for the log and the ticket's record. */
  userErrors: readonly ShopifyUserError[];
}

export type ShopifyActionResult<T> = ({ ok: true } & T) | ShopifyActionFailure;

export function rejected(message: string, userErrors: readonly ShopifyUserError[] = []): ShopifyActionFailure {
  return { ok: false, reason: "rejected", message, userErrors };
}

/** `gid://shopify/<type>/<digits>` from a GID or bare digits; a TypeError for anything else (a caller bug). */
export function toGid(type: string, id: string): string {
  const digits = shopifyIdDigits(id, type);
  if (digits === null) throw new TypeError(`Expected a Shopify ${type} id, got ${JSON.stringify(id).slice(0, 60)}`);
  return `gid://shopify/${type}/${digits}`;
}

/**
 * The Admin API failures an agent can act on, as values; anything else (an invalid document, a
 * changed response shape, a bug) is rethrown for the route's error boundary and the log.
 * `action.doing` completes "Shopdesk isn't allowed to …"; `action.scopes` names what to grant.
 */
export function failureFromError(error: unknown, action: { doing: string; scopes: string }): ShopifyActionFailure {
  if (error instanceof AdminApiError && error.graphqlErrors.some((entry) => entry.code === "ACCESS_DENIED")) {
    return {
      ok: false,
      reason: "access-denied",
      message: `Shopdesk isn't allowed to ${action.doing} in this store yet (it needs the ${action.scopes} permission). Open Shopdesk from the Shopify admin to accept the updated permissions, then try again.`,
      userErrors: [],
    };
  }
  if (isShopifyUnavailable(error)) {
    // THROTTLED and 429 are refused before anything runs; a lost connection or a 5xx may come after.
    const nothingRan = error.reason === "throttled" || error.status === 429;
    return {
      ok: false,
      reason: "unavailable",
      message: nothingRan
        ? "Shopify is busy right now and changed nothing. Try again in a minute."
        : "Shopify didn't answer, so we can't tell whether it went through. Check the order in Shopify before trying again.",
      userErrors: [],
    };
  }
  throw error;
}
