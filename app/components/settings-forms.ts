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

// One rule for field errors, shared with the action's form reader (app/lib/form-data.server.ts).
export { fieldErrorsOf, type FieldErrors } from "~/lib/form-errors";
