/**
 * Shopify retries a webhook with its original payload for hours and does not order deliveries,
 * so a payload may describe an older state than the one we hold. Apply it only when it is
 * strictly newer; an equal timestamp is the same version (a replay) and changes nothing.
 */
export function isNewerThanStored(stored: Date | null | undefined, incoming: Date | null | undefined): boolean {
  if (!incoming || Number.isNaN(incoming.getTime())) return stored == null;
  if (!stored) return true;
  return incoming.getTime() > stored.getTime();
}
