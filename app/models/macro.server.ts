import { db } from "~/db.server";
import {
  MACRO_LANGUAGE_LABELS,
  MACRO_LANGUAGES,
  MAX_MACRO_NAME_LENGTH,
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

// ---- Stores moving between workspaces (app/services/workspace-link.server.ts) -------------------

/**
 * Actions for another workspace: an assignment to one agent follows that person (same email) when
 * they are an agent there too, and is dropped otherwise ("me" and "nobody" need no change).
 */
async function actionsFor(client: Client, stored: unknown, toWorkspaceId: string): Promise<Prisma.InputJsonValue> {
  const { actions, readable } = readMacroActions(stored);
  if (!readable) return (stored ?? {}) as Prisma.InputJsonValue;
  const { assignTo, ...rest } = actions;
  if (!assignTo || assignTo === "me" || assignTo === "nobody") return actions as Prisma.InputJsonValue;
  const person = await client.agent.findUnique({ where: { id: assignTo }, select: { email: true } });
  const there = person
    ? await client.agent.findUnique({
        where: { workspaceId_email: { workspaceId: toWorkspaceId, email: person.email } },
        select: { id: true },
      })
    : null;
  return (there ? { ...rest, assignTo: there.id } : rest) as Prisma.InputJsonValue;
}

const isShippedStarter = (macro: { starterKey: string | null; language: string; name: string; body: string }) =>
  STARTER_MACROS.some(
    (starter) =>
      starter.key === macro.starterKey &&
      starter.language === macro.language &&
      starter.name === macro.name &&
      starter.body === macro.body,
  );

/**
 * Moves the macros of a workspace that is about to go (its last store joined `to`) into `to`, so
 * the merchant's replies are not lost with it. A starter macro still as shipped is dropped when
 * `to` has that starter; anything the merchant wrote or edited moves, renamed "Name (from …)" when
 * `to` already has that name in that language. Run in the move's transaction.
 */
export async function moveMacros(client: Client, fromWorkspaceId: string, toWorkspaceId: string) {
  const from = await client.workspace.findUnique({ where: { id: fromWorkspaceId }, select: { name: true } });
  const fromName = from?.name ?? "another workspace";
  const [target, moving] = await Promise.all([
    client.macro.findMany({
      where: { workspaceId: toWorkspaceId },
      select: { name: true, language: true, starterKey: true },
    }),
    client.macro.findMany({ where: { workspaceId: fromWorkspaceId }, orderBy: { createdAt: "asc" } }),
  ]);
  const key = (language: string, value: string) => `${language}\n${value}`;
  const names = new Set(target.map((macro) => key(macro.language, macro.name)));
  const starters = new Set(
    target.flatMap((macro) => (macro.starterKey ? [key(macro.language, macro.starterKey)] : [])),
  );
  let moved = 0;
  for (const macro of moving) {
    const starterTaken = macro.starterKey !== null && starters.has(key(macro.language, macro.starterKey));
    if (starterTaken && isShippedStarter(macro)) continue;
    let name = macro.name;
    for (let attempt = 2; names.has(key(macro.language, name)); attempt++) {
      const suffix = attempt === 2 ? ` (from ${fromName})` : ` (from ${fromName} ${attempt - 1})`;
      name = `${macro.name.slice(0, Math.max(1, MAX_MACRO_NAME_LENGTH - suffix.length))}${suffix}`;
    }
    names.add(key(macro.language, name));
    if (macro.starterKey && !starterTaken) starters.add(key(macro.language, macro.starterKey));
    await client.macro.update({
      where: { id: macro.id },
      data: {
        workspaceId: toWorkspaceId,
        name,
        actions: await actionsFor(client, macro.actions, toWorkspaceId),
        ...(starterTaken ? { starterKey: null } : {}),
      },
    });
    moved++;
  }
  return moved;
}

/**
 * Gives a new workspace (a store that left `from`) a copy of `from`'s macros: the team's replies
 * are both workspaces' now, each edited on its own from here. Uses start again from zero.
 */
export async function copyMacros(client: Client, fromWorkspaceId: string, toWorkspaceId: string) {
  const macros = await client.macro.findMany({ where: { workspaceId: fromWorkspaceId } });
  const data = [];
  for (const macro of macros) {
    data.push({
      workspaceId: toWorkspaceId,
      name: macro.name,
      language: macro.language,
      body: macro.body,
      actions: await actionsFor(client, macro.actions, toWorkspaceId),
      starterKey: macro.starterKey,
    });
  }
  const { count } = await client.macro.createMany({ data, skipDuplicates: true });
  return count;
}
