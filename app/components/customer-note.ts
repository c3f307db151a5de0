import { z } from "zod";
import { storableString } from "~/lib/storable-text";

/**
 * The longest note we accept. Shopify's Admin schema documents no limit for the customer note; 5,000
 * characters is the limit Shopify validates for notes elsewhere (NOTE_TOO_LONG, developer changelog
 * 2024-05-28), so a note we accept is one Shopify takes. Counted in UTF-16 units, as Polaris's
 * maxLength counts them.
 */
export const NOTE_MAX_LENGTH = 5000;

/**
 * The note form, shared by the editor (what it sends) and the profile route's action (what it
 * accepts). A blank note is no note: Shopify stores an emptied note as null too.
 */
export const NoteFormSchema = z.object({
  intent: z.literal("save-note"),
  // Refused before anything is sent to Shopify: a note PostgreSQL cannot store would reach
  // Shopify and then fail here, leaving the two sides apart.
  note: storableString({ error: "The note is missing" })
    .max(NOTE_MAX_LENGTH, `Keep the note under ${NOTE_MAX_LENGTH.toLocaleString("en")} characters`)
    .transform((note) => (note.trim() === "" ? null : note)),
  baseVersion: z
    .string({ error: "The note version is missing; reload the page" })
    .regex(/^\d+$/, "The note version is not valid; reload the page")
    .transform(Number),
  resolution: z.enum(["keep-mine", "take-theirs"]).optional(),
});
export type NoteFormInput = z.input<typeof NoteFormSchema>;

/** What the profile action answers to a note save. */
export type NoteActionData =
  | { status: "saved"; note: string | null; version: number; synced: "shopify" | "local-only"; reason: string | null }
  | { status: "conflict"; source: "agent" | "shopify"; theirs: string | null; mine: string | null; version: number }
  | {
      status: "invalid";
      /** `form`: the request as a whole (not a form, too large). */
      errors: { note?: string[]; baseVersion?: string[]; resolution?: string[]; intent?: string[]; form?: string[] };
    };

/** The line under the editor after a save. */
export function savedMessage(saved: { synced: "shopify" | "local-only"; reason: string | null }): string {
  if (saved.synced === "shopify") return "Synced to Shopify";
  return saved.reason ? `Saved in Shopdesk only — ${saved.reason}` : "Saved in Shopdesk only";
}

export interface NoteSyncFacts {
  /** What the service says: does a save reach Shopify? */
  syncing: boolean;
  reason: string | null;
  /** The Shopify customers this person is linked to, with their shop's display name. */
  linkedShops: string[];
}

/**
 * Why an agent's note stays in Shopdesk, said before they type (null when it syncs). Several
 * linked Shopify customers is spelt out with the stores, since that is the case agents ask about.
 */
export function noteSyncNotice(facts: NoteSyncFacts): string | null {
  if (facts.syncing) return null;
  if (facts.linkedShops.length >= 2) {
    const stores = [...new Set(facts.linkedShops)].sort((a, b) => a.localeCompare(b)).join(", ");
    return `This note is kept in Shopdesk only: the customer is linked to ${facts.linkedShops.length} Shopify customers (${stores})`;
  }
  if (facts.reason) return `This note is kept in Shopdesk only: ${facts.reason}`;
  if (facts.linkedShops.length === 0)
    return "This note is kept in Shopdesk only: the customer is not linked to a Shopify customer";
  return "This note is kept in Shopdesk only";
}

/** Same note for the purpose of "is there anything to save": blank and missing are equal. */
export function sameNote(a: string | null | undefined, b: string | null | undefined): boolean {
  const normal = (value: string | null | undefined) => (value && value.trim() !== "" ? value : null);
  return normal(a) === normal(b);
}
