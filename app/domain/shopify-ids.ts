import { z } from "zod";

// What Shopify's identifiers look like, checked wherever one arrives from outside (a webhook
// header or payload) before it is used to find, change or erase anything.

// A shop's permanent myshopify.com domain, as Shopify sends it in X-Shopify-Shop-Domain and in
// payloads: one lower-case DNS label (letters, digits, inner hyphens). Nothing else is accepted —
// no other Shopify domain, no port, no trailing dot, no upper case (which would be a second
// spelling of the same tenant key).
const MYSHOPIFY_DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.myshopify\.com$/;

export const isMyshopifyDomain = (value: string) => MYSHOPIFY_DOMAIN.test(value);

// Shopify ids are positive 64-bit integers. Up to 19 digits, never a leading zero.
const DIGITS = /^[1-9]\d{0,18}$/;

/**
 * The numeric id in a Shopify id as payloads carry it: a positive integer, a numeric string, or
 * (with `type`) a GID of exactly that type, `gid://shopify/Customer/191167`. Null for anything
 * else, including integers above 2^53 that JSON.parse has already rounded (their digits are wrong).
 */
export function shopifyIdDigits(value: unknown, type?: string): string | null {
  if (typeof value === "number") return Number.isSafeInteger(value) && value > 0 ? String(value) : null;
  if (typeof value !== "string") return null;
  if (DIGITS.test(value)) return value;
  const prefix = `gid://shopify/${type}/`;
  if (type && value.startsWith(prefix) && DIGITS.test(value.slice(prefix.length))) return value.slice(prefix.length);
  return null;
}

/** Zod: a Shopify id (see shopifyIdDigits), parsed to its digits. */
export const shopifyId = (type?: string) =>
  z.union([z.number(), z.string()]).transform((value, context) => {
    const digits = shopifyIdDigits(value, type);
    if (digits === null) {
      context.addIssue({
        code: "custom",
        message: `expected a Shopify id (a positive integer${type ? ` or gid://shopify/${type}/<number>` : ""}), got ${JSON.stringify(value).slice(0, 60)}`,
      });
      return z.NEVER;
    }
    return digits;
  });
