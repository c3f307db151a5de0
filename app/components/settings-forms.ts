import { z } from "zod";

/**
 * The settings page's forms, shared by the page (what each form sends, client-side checks) and the
 * route's action (what it accepts). One action, one `intent` per form.
 */
export const NotesSyncFormSchema = z.object({
  intent: z.literal("notes-sync"),
  enabled: z.enum(["true", "false"], { error: "Choose on or off" }).transform((value) => value === "true"),
});

export const CreateLinkCodeFormSchema = z.object({ intent: z.literal("create-link-code") });

export const JoinWorkspaceFormSchema = z.object({
  intent: z.literal("join-workspace"),
  code: z
    .string({ error: "Enter the code from the other store" })
    .trim()
    .min(1, "Enter the code from the other store")
    .max(64, "That is longer than a link code; check you copied only the code"),
});

export const LeaveWorkspaceFormSchema = z.object({ intent: z.literal("leave-workspace") });

export const SettingsFormSchema = z.discriminatedUnion(
  "intent",
  [NotesSyncFormSchema, CreateLinkCodeFormSchema, JoinWorkspaceFormSchema, LeaveWorkspaceFormSchema],
  { error: "Unknown settings form" },
);
export type SettingsForm = z.output<typeof SettingsFormSchema>;

export type FieldErrors = Partial<Record<string, string[]>>;

/** Field errors keyed by field name, as the action returns them with a 400. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : "form";
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}
