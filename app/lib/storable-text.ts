import { z } from "zod";

// PostgreSQL cannot store U+0000 in text or jsonb, and jsonb also refuses a lone UTF-16 surrogate
// ("\ud800" without its pair). One rule for such text (decision 007):
// - from people (forms, search, API bodies) it is refused with a 400 before any side effect;
// - from Shopify (webhooks, Admin API answers), which we cannot refuse, it is made storable:
//   NUL removed, lone surrogates replaced by U+FFFD.

// eslint-disable-next-line no-control-regex
const NUL = /\u0000/g;

/** True when PostgreSQL can store the string as it is. */
export const isStorableText = (value: string) => !value.includes("\u0000") && value.isWellFormed();

export const UNSTORABLE_TEXT_MESSAGE =
  "This text contains a character that cannot be saved (a NUL byte or a broken character). Remove it and try again.";

/**
 * A zod string for text typed by a person: refused, not altered, when it cannot be stored.
 * `params` are z.string()'s (e.g. the message for a missing field).
 */
export const storableString = (params?: Parameters<typeof z.string>[0]) =>
  z.string(params).refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE });

/** Makes one string storable: NUL removed, lone surrogates replaced. */
export const toStorableText = (value: string) =>
  isStorableText(value) ? value : value.replace(NUL, "").toWellFormed();

/**
 * True when JSON text can go into a jsonb column as it is: no NUL or broken character in the text,
 * and no escape that would decode to one (\u0000, or any surrogate escape: a paired one is fine
 * but rare, and telling them apart is the slow path's job). False only means "check the parsed
 * value with toStorableJson".
 */
export const isStorableJsonText = (text: string) =>
  isStorableText(text) && !/\\u(?:0000|[dD][89abcdefABCDEF])/.test(text);

/**
 * Makes every string (values and keys) of parsed JSON storable, for data we receive from Shopify.
 * Returns the same object when nothing needed changing, so the common case allocates nothing.
 */
export function toStorableJson<T>(value: T): T {
  if (typeof value === "string") return toStorableText(value) as T;
  if (Array.isArray(value)) {
    let changed: unknown[] | null = null;
    value.forEach((item, index) => {
      const cleaned = toStorableJson(item);
      if (cleaned !== item) (changed ??= [...value])[index] = cleaned;
    });
    return (changed ?? value) as T;
  }
  if (value && typeof value === "object") {
    let changed: Record<string, unknown> | null = null;
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const cleanKey = toStorableText(key);
      const cleaned = toStorableJson(item);
      if (cleanKey !== key || cleaned !== item) {
        changed ??= { ...(value as Record<string, unknown>) };
        if (cleanKey !== key) delete changed[key];
        changed[cleanKey] = cleaned;
      }
    }
    return (changed ?? value) as T;
  }
  return value;
}
