import { z } from "zod";
import {
  describeMacroActions,
  macroFormFields,
  MacroListQuerySchema,
  previewLine,
  type MacroFormFields,
  type MacroFormSchema,
} from "~/domain/macros";
import type { FieldErrors } from "~/lib/form-errors";
import { listAgents } from "~/models/agent.server";
import {
  addStarterMacros,
  countMacros,
  createMacro,
  deleteMacros,
  findMacro,
  listMacros,
  MacroNotFoundError,
  MacroRefused,
  updateMacro,
} from "~/models/macro.server";

// The Settings → Macros page (app/routes/app.settings.macros.tsx): what its loader shows and what
// its forms do, for one workspace. The route authenticates and answers; this decides.

export interface MacroRow {
  id: string;
  name: string;
  language: string;
  preview: string;
  actions: string[];
  usageCount: number;
  lastUsedAt: string | null;
  starter: boolean;
}

export interface MacroSettingsPage {
  macros: MacroRow[];
  /** All the workspace's macros, whatever the search (the empty state shows only when 0). */
  total: number;
  agents: { id: string; name: string }[];
  query: { q: string; language: string };
  /** The macro open in the editor: "new" for a new one, its id and fields for an existing one. */
  editing: { id: string | "new"; fields: MacroFormFields | null } | null;
  error: string | null;
}

const NOT_FOUND = new MacroNotFoundError().message;

/** The page for these search params (q, language, edit); a status of 400 or 404 says what to show. */
export async function macroSettingsPage(
  workspaceId: string,
  params: URLSearchParams,
): Promise<{ status: 200 | 400 | 404; page: MacroSettingsPage }> {
  const parsed = MacroListQuerySchema.safeParse({
    q: params.get("q") ?? undefined,
    language: params.get("language") ?? undefined,
  });
  const query = parsed.success ? parsed.data : {};
  const [macros, total, agents] = await Promise.all([
    listMacros(workspaceId, { q: query.q, language: query.language || undefined }),
    countMacros(workspaceId),
    listAgents(workspaceId),
  ]);
  const names = new Map(agents.map((agent) => [agent.id, agent.name]));
  const page: MacroSettingsPage = {
    macros: macros.map((macro) => ({
      id: macro.id,
      name: macro.name,
      language: macro.language,
      preview: previewLine(macro.body),
      actions: describeMacroActions(macro.actions, names),
      usageCount: macro.usageCount,
      lastUsedAt: macro.lastUsedAt?.toISOString() ?? null,
      starter: macro.starterKey !== null,
    })),
    total,
    agents: agents.map(({ id, name }) => ({ id, name })),
    query: { q: query.q ?? "", language: query.language ?? "" },
    editing: null,
    error: null,
  };
  if (!parsed.success) {
    return { status: 400, page: { ...page, error: parsed.error.issues[0]?.message ?? "Check the search." } };
  }

  const edit = params.get("edit");
  if (edit === "new") return { status: 200, page: { ...page, editing: { id: "new", fields: null } } };
  if (edit) {
    const macro = z.uuid().safeParse(edit).success ? await findMacro(workspaceId, edit) : null;
    if (!macro) return { status: 404, page: { ...page, error: NOT_FOUND } };
    return { status: 200, page: { ...page, editing: { id: macro.id, fields: macroFormFields(macro) } } };
  }
  return { status: 200, page };
}

export type MacroFormResult =
  | { ok: true; status: 200; intent: string; toast: string; id?: string }
  | { ok: false; status: 400 | 404 | 409; intent: string; errors: FieldErrors };

/** Saves, deletes or adds starter macros for the workspace, from the parsed form. */
export async function handleMacroForm(
  workspaceId: string,
  form: z.output<typeof MacroFormSchema>,
): Promise<MacroFormResult> {
  const { intent } = form;
  try {
    switch (form.intent) {
      case "save": {
        const { id, intent: _save, ...input } = form;
        const macro = id ? await updateMacro(workspaceId, id, input) : await createMacro(workspaceId, input);
        return { ok: true, status: 200, intent, toast: id ? "Macro saved" : "Macro created", id: macro.id };
      }
      case "delete": {
        const count = await deleteMacros(workspaceId, form.ids);
        return { ok: true, status: 200, intent, toast: count === 1 ? "Macro deleted" : `${count} macros deleted` };
      }
      case "add-starters": {
        const added = await addStarterMacros(workspaceId, form.languages);
        const toast =
          added === 0
            ? "You already have every starter macro in these languages"
            : `${added} starter ${added === 1 ? "macro" : "macros"} added`;
        return { ok: true, status: 200, intent, toast };
      }
    }
  } catch (error) {
    if (error instanceof MacroNotFoundError)
      return { ok: false, status: 404, intent, errors: { form: [error.message] } };
    if (error instanceof MacroRefused) {
      // A name already used is a conflict with what exists; an agent not in the team, a bad field.
      const status = error.field === "name" ? 409 : 400;
      return { ok: false, status, intent, errors: { [error.field]: [error.message] } };
    }
    throw error;
  }
}
