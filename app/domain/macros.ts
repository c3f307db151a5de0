import { z } from "zod";
import { storableString } from "~/lib/storable-text";
import {
  MACRO_LANGUAGES,
  PORTAL_REQUEST_DECISION_LABELS,
  PORTAL_REQUEST_DECISIONS,
  templateProblems,
  type MacroLanguage,
} from "./macro-template";
import { MAX_MESSAGE_LENGTH, MAX_TAGS, PRIORITY_LABELS, tagSchema, TICKET_PRIORITIES } from "./tickets";
import { STARTER_MACROS } from "./starter-macros";

// Macros without the database: what a macro's actions may be, the settings page's forms (shared
// by the page and its action), and how actions read in words. The text and its variables are in
// ./macro-template.ts (no zod there: the browser's previews use it); the starter set in
// ./starter-macros.ts.

export * from "./macro-template";
export { STARTER_MACROS, STARTER_MACRO_KEYS, type StarterMacro, type StarterMacroKey } from "./starter-macros";

export const MAX_MACRO_NAME_LENGTH = 80;

/** How long a macro may snooze a ticket: the choices the settings page offers, in hours. */
export const MACRO_SNOOZE_HOURS = [4, 24, 72, 168] as const;

// ---- Actions ---------------------------------------------------------------------------------

/**
 * What applying a macro does to the ticket, stored in Macro.actions. Every field is optional:
 * `{}` is a macro that only writes text. `assignTo` is "me" (whoever applies it), "nobody", or one
 * agent's id.
 */
export const macroActionsSchema = z
  .object({
    status: z.enum(["open", "closed", "snoozed"], { error: "Choose open, closed or snoozed." }).optional(),
    snoozeHours: z
      .number()
      .int()
      .refine((hours) => (MACRO_SNOOZE_HOURS as readonly number[]).includes(hours), "Choose how long to snooze.")
      .optional(),
    addTags: z.array(tagSchema).max(MAX_TAGS, `Add at most ${MAX_TAGS} tags.`).optional(),
    removeTags: z.array(tagSchema).max(MAX_TAGS, `Remove at most ${MAX_TAGS} tags.`).optional(),
    assignTo: z
      .union([z.literal("me"), z.literal("nobody"), z.uuid({ error: "Choose who gets the ticket." })], {
        error: "Choose who gets the ticket.",
      })
      .optional(),
    priority: z.enum(TICKET_PRIORITIES, { error: "Choose a priority." }).optional(),
    /** The ticket's pending return or cancellation request from the portal: approve (done in Shopify) or decline. */
    portalRequest: z.enum(PORTAL_REQUEST_DECISIONS, { error: "Choose approve or decline." }).optional(),
  })
  .refine((actions) => actions.status !== "snoozed" || actions.snoozeHours !== undefined, {
    message: "Choose how long to snooze.",
    path: ["snoozeHours"],
  })
  .refine((actions) => !actions.addTags?.some((tag) => actions.removeTags?.includes(tag)), {
    message: "A tag cannot be both added and removed.",
    path: ["removeTags"],
  })
  .transform(({ snoozeHours, ...actions }) => ({
    ...actions,
    // A duration only means something with a snooze.
    ...(actions.status === "snoozed" ? { snoozeHours } : {}),
  }));
export type MacroActions = z.output<typeof macroActionsSchema>;

/** Stored actions as the app uses them; a value this version cannot read counts as no actions. */
export function readMacroActions(stored: unknown): { actions: MacroActions; readable: boolean } {
  const parsed = macroActionsSchema.safeParse(stored ?? {});
  return parsed.success ? { actions: parsed.data, readable: true } : { actions: {}, readable: false };
}

const SNOOZE_WORDS: Record<number, string> = { 4: "4 hours", 24: "1 day", 72: "3 days", 168: "1 week" };

/**
 * The actions in words, one line each ("Close the ticket", "Add tags: refund"). `agents` names
 * the agents an action may assign to; an agent that is gone reads as such.
 */
export function describeMacroActions(actions: MacroActions, agents: ReadonlyMap<string, string> = new Map()): string[] {
  const lines: string[] = [];
  if (actions.addTags?.length) lines.push(`Add tags: ${actions.addTags.join(", ")}`);
  if (actions.removeTags?.length) lines.push(`Remove tags: ${actions.removeTags.join(", ")}`);
  if (actions.priority) lines.push(`Set priority to ${PRIORITY_LABELS[actions.priority]}`);
  if (actions.assignTo === "me") lines.push("Assign to whoever applies it");
  else if (actions.assignTo === "nobody") lines.push("Unassign");
  else if (actions.assignTo)
    lines.push(`Assign to ${agents.get(actions.assignTo) ?? "an agent who is no longer here"}`);
  if (actions.portalRequest) lines.push(PORTAL_REQUEST_DECISION_LABELS[actions.portalRequest]);
  if (actions.status === "open") lines.push("Reopen the ticket");
  if (actions.status === "closed") lines.push("Close the ticket");
  if (actions.status === "snoozed")
    lines.push(`Snooze the ticket for ${SNOOZE_WORDS[actions.snoozeHours ?? 0] ?? `${actions.snoozeHours} hours`}`);
  return lines;
}

// ---- The settings page's forms ---------------------------------------------------------------

export const macroNameSchema = storableString({ error: "Give the macro a name." })
  .transform((name) => name.replace(/\s+/g, " ").trim())
  .pipe(
    z
      .string()
      .min(1, "Give the macro a name.")
      .max(MAX_MACRO_NAME_LENGTH, `A name is at most ${MAX_MACRO_NAME_LENGTH} characters.`),
  );

export const macroLanguageSchema = z.enum(MACRO_LANGUAGES, { error: "Choose the language the text is written in." });

/** The text: like a reply (not empty, at most MAX_MESSAGE_LENGTH), and only variables Shopdesk knows. */
export const macroBodySchema = storableString({ error: "Write the text of the reply." })
  .refine((body) => body.trim().length > 0, "Write the text of the reply.")
  .refine(
    (body) => body.length <= MAX_MESSAGE_LENGTH,
    `The text is at most ${MAX_MESSAGE_LENGTH / 1024} KiB; shorten it.`,
  )
  .superRefine((body, context) => {
    for (const problem of templateProblems(body)) context.addIssue({ code: "custom", message: problem });
  });

/** A comma-separated list of tags from a text field. */
const tagListField = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean),
  );

const optionalChoice = <const T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z
    .union([z.literal(""), z.enum(values)], { error: message })
    .optional()
    .transform((value) => (value ? value : undefined));

/** Create (no id) or edit (id) a macro: every field of the form, actions flattened. */
export const MacroSaveFormSchema = z
  .object({
    intent: z.literal("save"),
    id: z.uuid({ error: "This macro does not exist." }).optional(),
    name: macroNameSchema,
    language: macroLanguageSchema,
    body: macroBodySchema,
    status: optionalChoice(["open", "closed", "snoozed"], "Choose open, closed or snoozed."),
    snoozeHours: z
      .string()
      .optional()
      .transform((value) => (value ? Number(value) : undefined)),
    addTags: tagListField,
    removeTags: tagListField,
    assignTo: z.string().optional(),
    priority: optionalChoice(TICKET_PRIORITIES, "Choose a priority."),
    portalRequest: optionalChoice(PORTAL_REQUEST_DECISIONS, "Choose approve or decline."),
  })
  .transform((form, context) => {
    const actions = macroActionsSchema.safeParse({
      status: form.status,
      snoozeHours: form.status === "snoozed" ? form.snoozeHours : undefined,
      addTags: form.addTags.length ? form.addTags : undefined,
      removeTags: form.removeTags.length ? form.removeTags : undefined,
      assignTo: form.assignTo || undefined,
      priority: form.priority,
      portalRequest: form.portalRequest,
    });
    if (!actions.success) {
      for (const issue of actions.error.issues) context.addIssue({ ...issue, code: "custom", path: issue.path });
      return z.NEVER;
    }
    return {
      intent: form.intent,
      id: form.id,
      name: form.name,
      language: form.language,
      body: form.body,
      actions: actions.data,
    };
  });
export type MacroInput = Omit<z.output<typeof MacroSaveFormSchema>, "id" | "intent">;

/** Delete one macro or several (the list's selection): comma-separated ids. */
export const MacroDeleteFormSchema = z.object({
  intent: z.literal("delete"),
  ids: z
    .string({ error: "Choose the macros to delete." })
    .transform((value) => [...new Set(value.split(",").map((id) => id.trim()))].filter(Boolean))
    .pipe(
      z
        .array(z.uuid({ error: "This macro does not exist." }))
        .min(1, "Choose the macros to delete.")
        .max(500, "Delete at most 500 macros at once."),
    ),
});

/** Add the starter set, in the languages chosen (comma-separated; all when none is given). */
export const MacroStartersFormSchema = z.object({
  intent: z.literal("add-starters"),
  languages: z
    .string()
    .optional()
    .transform((value) => (value ?? "").split(",").filter(Boolean))
    .pipe(z.array(macroLanguageSchema))
    .transform((languages): MacroLanguage[] => (languages.length ? [...new Set(languages)] : [...MACRO_LANGUAGES])),
});

export const MacroFormSchema = z.discriminatedUnion(
  "intent",
  [MacroSaveFormSchema, MacroDeleteFormSchema, MacroStartersFormSchema],
  { error: "Unknown macro form." },
);

/** The macros page's list query (search box and language filter). */
export const MacroListQuerySchema = z.object({
  q: storableString()
    .transform((q) => q.trim())
    .pipe(z.string().max(200, "Search for at most 200 characters."))
    .optional(),
  language: z
    .union([z.literal(""), macroLanguageSchema], { error: "Choose the language the text is written in." })
    .optional(),
});

/** A macro as the settings form's fields (what MacroSaveFormSchema reads back). */
export function macroFormFields(macro: { name: string; language: string; body: string; actions: MacroActions }) {
  const { actions } = macro;
  return {
    name: macro.name,
    language: macro.language,
    body: macro.body,
    status: actions.status ?? "",
    snoozeHours: actions.snoozeHours ? String(actions.snoozeHours) : "24",
    addTags: (actions.addTags ?? []).join(", "),
    removeTags: (actions.removeTags ?? []).join(", "),
    assignTo: actions.assignTo ?? "",
    priority: actions.priority ?? "",
    portalRequest: actions.portalRequest ?? "",
  };
}
export type MacroFormFields = ReturnType<typeof macroFormFields>;

/** Starter macros by key, for tests and the model. */
export const starterMacro = (key: string, language: MacroLanguage) =>
  STARTER_MACROS.find((macro) => macro.key === key && macro.language === language) ?? null;
