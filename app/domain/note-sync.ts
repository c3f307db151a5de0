export interface NoteLink {
  shop: { name: string | null; domain: string; notesSyncEnabled: boolean };
}

/**
 * Why a helpdesk customer's note is not mirrored to a Shopify customer note, or null when it is.
 * With two or more linked Shopify customers there is no single note to mirror, so none is.
 */
export function noteSyncBlocker(links: readonly NoteLink[]): string | null {
  if (links.length === 0) return "no Shopify customer is linked";
  if (links.length > 1) {
    const shops = links.map((link) => link.shop.name ?? link.shop.domain).join(", ");
    return `the customer is linked to ${links.length} Shopify customers (${shops})`;
  }
  if (!links[0]!.shop.notesSyncEnabled) return "note sync with Shopify is turned off in Settings";
  return null;
}

/** Two people merged into one: keep both notes, the second labelled with where it came from. */
export function combineNotes(kept: string | null, merged: string | null, mergedFrom: string): string | null {
  const first = kept?.trim() ? kept : null;
  const second = merged?.trim() ? merged : null;
  if (!second || second === first) return first;
  if (!first) return second;
  return `${first}\n\n— ${mergedFrom}: ${second}`;
}
