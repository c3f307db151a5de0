import { formatPhone } from "./formatting";
import { z } from "zod";
import { MergeFormSchema, UndoMergeFormSchema } from "~/domain/customer-merge";
import { storableString } from "~/lib/storable-text";
import { NoteFormSchema } from "./customer-note";

// The profile page's merge flow, shared by the route (what it accepts) and its components (what
// they send and show): the page's query, and what the merge and undo actions answer.

/**
 * `mergeWith`: a search for the profile to merge with (manual merge); `compare`: the profile the
 * agent picked, shown side by side with this one to choose what to keep.
 */
export const ProfileQuerySchema = z.object({
  mergeWith: storableString()
    .max(200, "Search with at most 200 characters")
    .optional()
    .transform((value) => value?.trim() ?? ""),
  compare: z.uuid({ error: "This customer could not be found" }).optional(),
  /** Set by the merge's redirect: the page confirms that merge. */
  merged: z.uuid({ error: "This merge could not be found" }).optional(),
});
export type ProfileQuery = z.output<typeof ProfileQuerySchema>;

/** What the merge and undo intents of the profile action answer. */
export type MergeActionData =
  | { status: "merged"; message: string }
  | { status: "undone"; message: string }
  | { status: "refused"; message: string }
  | { status: "invalid"; errors: Partial<Record<string, string[]>> };

/** One line about a profile for the chooser: "Ava Lind · ava@example.com". */
export function profileLabel(profile: { name: string | null; emails: string[]; phones: string[] }): string {
  return profile.name ?? profile.emails[0] ?? formatPhone(profile.phones[0]) ?? "Unnamed customer";
}

/** "Merged A. Lind into this profile. You can undo it for 30 days." */
export function mergedMessage(mergedName: string | null, days: number): string {
  return `Merged ${mergedName ?? "the other profile"} into this profile. You can undo it for ${days} days.`;
}

export function undoneMessage(mergedName: string | null): string {
  return `Merge undone: ${mergedName ?? "the other profile"} is a separate customer again.`;
}

/** Every form the profile page posts, told apart by `intent`. */
export const ProfileActionSchema = z.discriminatedUnion("intent", [
  NoteFormSchema,
  MergeFormSchema,
  UndoMergeFormSchema,
]);
