import type { FulfillmentLineItemSnapshot, IsoDateTime } from "../order-snapshot";

// Value normalisation shared by both sync paths.

/** Any ISO 8601 time with an offset → "2026-11-01T15:00:00Z" (milliseconds only when present). */
export function toUtcIso(value: string): IsoDateTime {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new RangeError(`Not a timestamp: ${value}`);
  return new Date(time).toISOString().replace(/\.000Z$/, "Z");
}

/** "555-555-SHIP" → null; "+1 (415) 555-0123" → "+14155550123"; "0044 20 7946 0958" → "+442079460958". */
export function normalizePhoneE164(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const compact = phone.trim().replace(/[\s().-]/g, "");
  const international = compact.startsWith("00") ? `+${compact.slice(2)}` : compact;
  return /^\+[1-9]\d{6,14}$/.test(international) ? international : null;
}

export function normalizeEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim().toLowerCase();
  return trimmed ? trimmed : null;
}

/** REST sends tags as "a, b"; GraphQL as a list. */
export function tagList(tags: string | string[] | null | undefined): string[] {
  const list = Array.isArray(tags) ? tags : (tags ?? "").split(",");
  return list.map((tag) => tag.trim()).filter(Boolean);
}

/** REST "#1001.2" → GraphQL's "#1001-F2", so both sources name a fulfillment alike. */
export function normalizeFulfillmentName(name: string | null | undefined): string | null {
  if (!name) return null;
  const rest = /^(.*)\.(\d+)$/.exec(name);
  return rest ? `${rest[1]}-F${rest[2]}` : name;
}

export function upperEnum<T extends string>(values: readonly T[], value: string | null | undefined): T | null {
  const upper = value?.trim().toUpperCase();
  return values.find((candidate) => candidate === upper) ?? null;
}

export function timeOf(iso: string): number {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

/** Records in the order Shopify lists them: by creation, then id (arrival order must not matter). */
export function compareByCreation(
  a: { createdAt: string | null; id: string },
  b: { createdAt: string | null; id: string },
) {
  return timeOf(a.createdAt ?? "") - timeOf(b.createdAt ?? "") || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function quantityOf(lines: readonly FulfillmentLineItemSnapshot[], lineItemId: string): number {
  return lines.filter((line) => line.lineItemId === lineItemId).reduce((total, line) => total + line.quantity, 0);
}
