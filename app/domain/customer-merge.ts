import { z } from "zod";
import { normalizeEmail, samePhone } from "./customer-identity";
import { combineNotes } from "./note-sync";

// Merging two helpdesk customers, without the database: which values the merged profile keeps
// (the agent's choices), when two profiles look like one person (suggestions), and the words for
// a refusal. The model (app/models/customer-merge.server.ts) moves the rows and records the undo.

/** A merge can be undone for this long (the anchor's merge is irreversible; ours is not). */
export const MERGE_UNDO_DAYS = 30;
export const MERGE_UNDO_MS = MERGE_UNDO_DAYS * 24 * 3600_000;

/** The fields an agent chooses between. Everything else (tickets, Shopify links) follows the person. */
export interface MergeableProfile {
  name: string | null;
  emails: string[];
  phones: string[];
  note: string | null;
}

/**
 * The merge form: the profile on screen ("this") keeps its page and absorbs the "other" one.
 * Emails and phones are always the union (dropping one would let the next Shopify sync create a
 * new person for it); the agent picks which is primary.
 */
export const MergeFormSchema = z.object({
  intent: z.literal("merge"),
  otherId: z.uuid({ error: "Choose the customer to merge with" }),
  name: z.enum(["this", "other"], { error: "Choose which name to keep" }),
  note: z.enum(["this", "other", "both"], { error: "Choose which note to keep" }),
  primaryEmail: z
    .string()
    .max(320)
    .optional()
    .transform((value) => normalizeEmail(value) ?? null),
  primaryPhone: z
    .string()
    .max(40)
    .optional()
    .transform((value) => (value?.trim() ? value.trim() : null)),
});
export type MergeForm = z.output<typeof MergeFormSchema>;

export const UndoMergeFormSchema = z.object({
  intent: z.literal("undo-merge"),
  mergeId: z.uuid({ error: "This merge could not be found; reload the page" }),
});

/** The agent's choices, as the model takes them ("survivor" is the profile that stays). */
export interface MergeChoices {
  name: "survivor" | "merged";
  note: "survivor" | "merged" | "both";
  primaryEmail: string | null;
  primaryPhone: string | null;
}

export const choicesFromForm = (form: MergeForm): MergeChoices => ({
  name: form.name === "this" ? "survivor" : "merged",
  note: form.note === "this" ? "survivor" : form.note === "other" ? "merged" : "both",
  primaryEmail: form.primaryEmail,
  primaryPhone: form.primaryPhone,
});

/** A choice the two profiles cannot satisfy (a primary email neither has): the form's fault, a 400. */
export class MergeChoiceError extends Error {}

const unionOf = (first: readonly string[], second: readonly string[]) => [...new Set([...first, ...second])];

function withPrimary(list: string[], primary: string | null, what: string): string[] {
  if (!primary) return list;
  if (!list.includes(primary)) throw new MergeChoiceError(`The primary ${what} must be one of the two customers'.`);
  return [primary, ...list.filter((value) => value !== primary)];
}

/** What the surviving profile looks like after the merge, from both profiles and the choices. */
export function mergedProfile(
  survivor: MergeableProfile,
  merged: MergeableProfile,
  choices: MergeChoices,
): MergeableProfile {
  const name = choices.name === "merged" ? (merged.name ?? survivor.name) : (survivor.name ?? merged.name);
  const note =
    choices.note === "survivor"
      ? survivor.note
      : choices.note === "merged"
        ? merged.note
        : combineNotes(
            survivor.note,
            merged.note,
            `Note of ${merged.name ?? merged.emails[0] ?? "the merged profile"}`,
          );
  return {
    name,
    emails: withPrimary(unionOf(survivor.emails, merged.emails), choices.primaryEmail, "email"),
    phones: withPrimary(unionOf(survivor.phones, merged.phones), choices.primaryPhone, "phone"),
    note,
  };
}

// ---- Suggestions -------------------------------------------------------------------------------

export interface SuggestionAddress {
  address1?: string | null;
  zip?: string | null;
  city?: string | null;
  countryCode?: string | null;
}

export interface SuggestionCandidate extends MergeableProfile {
  id: string;
  addresses: SuggestionAddress[];
}

export type SuggestionReason = "email" | "phone" | "name-and-address";

export interface MergeSuggestion<T> {
  candidate: T;
  reasons: SuggestionReason[];
  /** "Same email (ava@example.com)" — what the agent reads next to the suggestion. */
  because: string;
}

/** Lower-cased, without accents or punctuation, single spaces: "Zoë  O'Neil" → "zoe oneil". */
export function normalizeName(name: string | null | undefined): string | null {
  if (!name) return null;
  const folded = name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, "")
    .replace(/\s+/g, " ")
    .trim();
  return folded || null;
}

/** An address as a comparable key (street, postcode, country), or null when too vague to identify a home. */
export function addressKey(address: SuggestionAddress): string | null {
  const fold = (value: string | null | undefined) => normalizeName(value)?.replace(/\s/g, "") ?? "";
  const street = fold(address.address1);
  const zip = fold(address.zip);
  if (!street || !(zip || fold(address.city))) return null;
  return [street, zip || fold(address.city), fold(address.countryCode)].join("|");
}

/**
 * Profiles that look like the same person as `target`: a shared email, a shared phone number
 * (formatting and a missing country code ignored), or the same name at the same address. A name
 * alone never suggests a merge: two Jane Smiths are two people.
 */
export function mergeSuggestions<T extends SuggestionCandidate>(
  target: SuggestionCandidate,
  candidates: readonly T[],
): MergeSuggestion<T>[] {
  const name = normalizeName(target.name);
  const homes = new Set(target.addresses.map(addressKey).filter((key): key is string => key !== null));
  const suggestions: MergeSuggestion<T>[] = [];
  for (const candidate of candidates) {
    if (candidate.id === target.id) continue;
    const reasons: SuggestionReason[] = [];
    const parts: string[] = [];
    const email = candidate.emails.find((value) => target.emails.includes(value));
    if (email) {
      reasons.push("email");
      parts.push(`same email (${email})`);
    }
    const phone = candidate.phones.find((value) => target.phones.some((known) => samePhone(known, value)));
    if (phone) {
      reasons.push("phone");
      parts.push(`same phone (${phone})`);
    }
    if (
      name &&
      normalizeName(candidate.name) === name &&
      candidate.addresses.some((address) => {
        const key = addressKey(address);
        return key !== null && homes.has(key);
      })
    ) {
      reasons.push("name-and-address");
      parts.push("same name and address");
    }
    if (reasons.length === 0) continue;
    const because = parts.join(", ");
    suggestions.push({ candidate, reasons, because: because.charAt(0).toUpperCase() + because.slice(1) });
  }
  // Strongest evidence first: an email beats a phone beats a name and address.
  const rank = (suggestion: MergeSuggestion<T>) =>
    suggestion.reasons.includes("email") ? 0 : suggestion.reasons.includes("phone") ? 1 : 2;
  return suggestions.sort((a, b) => rank(a) - rank(b));
}

// ---- Refusals ----------------------------------------------------------------------------------

/** Why two profiles that both bought in the same store cannot be merged, naming the stores. */
export function orderHistoryRefusal(storeNames: readonly string[]): string {
  const stores =
    storeNames.length === 1 ? storeNames[0] : `${storeNames.slice(0, -1).join(", ")} and ${storeNames.at(-1)}`;
  return (
    `These customers cannot be merged: both have Shopify orders in ${stores}. ` +
    "Shopify cannot merge two customers of one store, so Shopdesk keeps them as two profiles to keep each " +
    "order with its own Shopify customer."
  );
}

export const SAME_CUSTOMER_REFUSAL = "A customer cannot be merged with itself: choose another profile.";

/** "1 Mar 2026" for refusals and the history (UTC: the day the merge happened for the record). */
const day = (date: Date) =>
  date.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

export interface UndoFacts {
  createdAt: Date;
  undoableUntil: Date;
  undoneAt: Date | null;
  mergedName: string | null;
}

/** Why a merge cannot be undone (any more), or null when it can. */
export function undoRefusal(merge: UndoFacts, now: Date): string | null {
  if (merge.undoneAt) return `This merge was already undone on ${day(merge.undoneAt)}.`;
  if (now.getTime() > merge.undoableUntil.getTime())
    return (
      `Merges can be undone for ${MERGE_UNDO_DAYS} days; this one was made on ${day(merge.createdAt)}, ` +
      "so it is now permanent."
    );
  return null;
}

export function chainedUndoRefusal(survivorName: string | null, laterSurvivorName: string | null): string {
  return (
    `${survivorName ?? "The customer this profile was merged into"} was since merged into ` +
    `${laterSurvivorName ?? "another customer"}. Undo that merge first, then this one.`
  );
}

export { day as formatMergeDay };

// ---- The undo snapshot (the JSON column, read through a schema like any boundary) --------------

const ProfileRowSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string().nullable(),
  emails: z.array(z.string()),
  phones: z.array(z.string()),
  note: z.string().nullable(),
  noteVersion: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ProfileRow = z.infer<typeof ProfileRowSchema>;

export const MergeSnapshotSchema = z.object({
  version: z.literal(1),
  survivor: ProfileRowSchema,
  merged: ProfileRowSchema,
  /** The survivor's fields right after the merge: an undo restores only what nobody changed since. */
  result: z.object({
    name: z.string().nullable(),
    emails: z.array(z.string()),
    phones: z.array(z.string()),
    note: z.string().nullable(),
    noteVersion: z.number().int(),
  }),
  /** Ids of the rows that pointed at the merged profile and were moved to the survivor. */
  moved: z.object({
    tickets: z.array(z.string()),
    ticketEntries: z.array(z.string()),
    shopifyCustomers: z.array(z.string()),
    merges: z.array(z.string()),
  }),
});
export type MergeSnapshot = z.infer<typeof MergeSnapshotSchema>;

/**
 * The survivor's fields after an undo: each field goes back to what it was before the merge unless
 * it changed since (an agent edited the note, the sync learnt a new email); then the change stays,
 * minus the merged profile's identities, which return with it.
 */
export function restoredSurvivor(snapshot: MergeSnapshot, current: MergeableProfile & { noteVersion: number }) {
  const { survivor, merged, result } = snapshot;
  const sameList = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((v, i) => v === b[i]);
  const restoreList = (now: string[], atMerge: string[], before: string[], mergedOwn: string[]) => {
    if (sameList(now, atMerge)) return before;
    const learntSince = now.filter((value) => !atMerge.includes(value) && !mergedOwn.includes(value));
    return unionOf(before, learntSince);
  };
  const noteUnchanged = current.note === result.note && current.noteVersion === result.noteVersion;
  const fields = {
    name: current.name === result.name ? survivor.name : current.name,
    emails: restoreList(current.emails, result.emails, survivor.emails, merged.emails),
    phones: restoreList(current.phones, result.phones, survivor.phones, merged.phones),
    note: noteUnchanged ? survivor.note : current.note,
    // Never backwards unless nothing happened since: an editor open on the merged note then conflicts.
    noteVersion: noteUnchanged ? survivor.noteVersion : current.noteVersion + 1,
  };
  const exact =
    fields.name === survivor.name &&
    sameList(fields.emails, survivor.emails) &&
    sameList(fields.phones, survivor.phones) &&
    noteUnchanged;
  return { ...fields, exact };
}
