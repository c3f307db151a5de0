import { db } from "~/db.server";
import {
  MACRO_LANGUAGE_LABELS,
  MACRO_LANGUAGES,
  readMacroActions,
  STARTER_MACROS,
  type MacroActions,
  type MacroInput,
  type MacroLanguage,
} from "~/domain/macros";
import { Prisma } from "~/generated/prisma/client";
import { logger } from "~/lib/logger.server";

// A workspace's macros. Every function takes the workspace the caller is authenticated for and
// finds nothing outside it: another workspace's macro id is "not found", never read or changed.

type Client = Prisma.TransactionClient | typeof db;

/** A macro id that is not one of this workspace's macros (or no macro at all). */
export class MacroNotFoundError extends Error {
  constructor() {
    super("This macro does not exist or belongs to another workspace.");
  }
}

/** A change the workspace's macros do not allow; `field` is the form field to show it under. */
export class MacroRefused extends Error {
  constructor(
    message: string,
    readonly field: "name" | "assignTo" | "form",
  ) {
    super(message);
  }
}

const SELECT = {
  id: true,
  name: true,
  language: true,
  body: true,
  actions: true,
  starterKey: true,
  usageCount: true,
  lastUsedAt: true,
  updatedAt: true,
} as const;

type Row = Prisma.MacroGetPayload<{ select: typeof SELECT }>;

export interface Macro {
  id: string;
  name: string;
  language: MacroLanguage;
  body: string;
  actions: MacroActions;
  /** False when the stored actions could not be read (they are then applied as none). */
  actionsReadable: boolean;
  starterKey: string | null;
  usageCount: number;
  lastUsedAt: Date | null;
  updatedAt: Date;
}

function toMacro(row: Row): Macro {
  const { actions, readable } = readMacroActions(row.actions);
  if (!readable) logger.warn("macro actions could not be read; applied as none", { macroId: row.id });
  return {
    ...row,
    // Written only through macroLanguageSchema; an unknown one reads as English rather than failing.
    language: (MACRO_LANGUAGES as readonly string[]).includes(row.language) ? (row.language as MacroLanguage) : "en",
    actions,
    actionsReadable: readable,
  };
}

export interface MacroListOptions {
  /** Part of the name or the text, any letter case. */
  q?: string;
  language?: MacroLanguage;
  take?: number;
}

/** The workspace's macros, most used first (then most recently used, then by name). */
export async function listMacros(workspaceId: string, options: MacroListOptions = {}): Promise<Macro[]> {
  const q = options.q?.trim();
  const rows = await db.macro.findMany({
    where: {
      workspaceId,
      ...(options.language ? { language: options.language } : {}),
      ...(q
        ? {
            OR: [
              { name: { contains: q, mode: "insensitive" as const } },
              { body: { contains: q, mode: "insensitive" as const } },
            ],
          }
        : {}),
    },
    orderBy: [{ usageCount: "desc" }, { lastUsedAt: { sort: "desc", nulls: "last" } }, { name: "asc" }, { id: "asc" }],
    take: Math.min(Math.max(options.take ?? 500, 1), 500),
    select: SELECT,
  });
  return rows.map(toMacro);
}

export function countMacros(workspaceId: string) {
  return db.macro.count({ where: { workspaceId } });
}

/** One of the workspace's macros, or null. */
export async function findMacro(workspaceId: string, macroId: string, client: Client = db): Promise<Macro | null> {
  const row = await client.macro.findFirst({ where: { id: macroId, workspaceId }, select: SELECT });
  return row ? toMacro(row) : null;
}

async function assertAssigneeInWorkspace(client: Client, workspaceId: string, actions: MacroActions) {
  const agentId = actions.assignTo;
  if (!agentId || agentId === "me" || agentId === "nobody") return;
  const found = await client.agent.count({ where: { id: agentId, workspaceId } });
  if (found === 0) throw new MacroRefused("Choose one of your team's agents.", "assignTo");
}

const nameTaken = (input: { name: string; language: MacroLanguage }) =>
  new MacroRefused(
    `There is already a macro named "${input.name}" in ${MACRO_LANGUAGE_LABELS[input.language]}. Choose another name.`,
    "name",
  );

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

export async function createMacro(workspaceId: string, input: MacroInput): Promise<Macro> {
  await assertAssigneeInWorkspace(db, workspaceId, input.actions);
  try {
    const row = await db.macro.create({
      data: {
        workspaceId,
        name: input.name,
        language: input.language,
        body: input.body,
        actions: input.actions as Prisma.InputJsonValue,
      },
      select: SELECT,
    });
    return toMacro(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input);
    throw error;
  }
}

/** Replaces the macro's name, language, text and actions. */
export async function updateMacro(workspaceId: string, macroId: string, input: MacroInput): Promise<Macro> {
  return db
    .$transaction(async (tx) => {
      const current = await tx.macro.findFirst({ where: { id: macroId, workspaceId }, select: SELECT });
      if (!current) throw new MacroNotFoundError();
      await assertAssigneeInWorkspace(tx, workspaceId, input.actions);
      const row = await tx.macro.update({
        where: { id: current.id },
        data: {
          name: input.name,
          language: input.language,
          body: input.body,
          actions: input.actions as Prisma.InputJsonValue,
          // In another language it is no longer that starter's translation (and the starter set
          // may hold one in that language already).
          ...(input.language !== current.language ? { starterKey: null } : {}),
        },
        select: SELECT,
      });
      return toMacro(row);
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) throw nameTaken(input);
      throw error;
    });
}

export async function deleteMacro(workspaceId: string, macroId: string): Promise<void> {
  await deleteMacros(workspaceId, [macroId]);
}

/** Deletes all of these macros, or none when one of them is not this workspace's. */
export async function deleteMacros(workspaceId: string, macroIds: readonly string[]): Promise<number> {
  const ids = [...new Set(macroIds)];
  return db.$transaction(async (tx) => {
    const { count } = await tx.macro.deleteMany({ where: { id: { in: ids }, workspaceId } });
    // Throwing rolls the deletes back: a list naming someone else's macro deletes nothing.
    if (count !== ids.length) throw new MacroNotFoundError();
    return count;
  });
}

/**
 * Adds the starter macros in these languages that the workspace does not have yet (by starter
 * key, or a macro of its own with the same name in that language). Running it twice adds nothing;
 * returns how many were added.
 */
export async function addStarterMacros(
  workspaceId: string,
  languages: readonly MacroLanguage[] = MACRO_LANGUAGES,
  client: Client = db,
): Promise<number> {
  const { count } = await client.macro.createMany({
    data: STARTER_MACROS.filter((macro) => languages.includes(macro.language)).map((macro) => ({
      workspaceId,
      name: macro.name,
      language: macro.language,
      body: macro.body,
      actions: macro.actions as Prisma.InputJsonValue,
      starterKey: macro.key,
    })),
    skipDuplicates: true,
  });
  return count;
}

/** Counts one more use of the macro (the most-used list's order). */
export async function recordMacroUse(client: Client, workspaceId: string, macroId: string, at = new Date()) {
  const { count } = await client.macro.updateMany({
    where: { id: macroId, workspaceId },
    data: { usageCount: { increment: 1 }, lastUsedAt: at },
  });
  if (count === 0) throw new MacroNotFoundError();
}
