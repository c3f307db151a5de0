import { db } from "~/db.server";
import { MAX_QUICK_ANSWERS, QuickAnswerContentSchema, type QuickAnswerContent } from "~/domain/quick-answers";
import { STARTER_QUICK_ANSWERS, type StarterQuickAnswerKey } from "~/domain/starter-quick-answers";
import { Prisma } from "~/generated/prisma/client";
import { logger } from "~/lib/logger.server";

// A workspace's quick answers (decision 026). Every function takes the workspace the caller is
// authenticated for and finds nothing outside it: another workspace's id is "not found", never
// read or changed. Content is validated here too (QuickAnswerContentSchema), whoever calls.

type Client = Prisma.TransactionClient | typeof db;

/** A quick answer id that is not one of this workspace's (or no quick answer at all). */
export class QuickAnswerNotFoundError extends Error {
  constructor() {
    super("This quick answer does not exist or belongs to another workspace.");
  }
}

/** A change the workspace's quick answers do not allow, in words for the merchant. */
export class QuickAnswerRefused extends Error {}

const SELECT = { id: true, position: true, enabled: true, content: true, updatedAt: true } as const;
type Row = Prisma.QuickAnswerGetPayload<{ select: typeof SELECT }>;

export interface QuickAnswer {
  id: string;
  position: number;
  enabled: boolean;
  /** Null when the stored content cannot be read (the storefront then leaves the flow out). */
  content: QuickAnswerContent | null;
  updatedAt: Date;
}

function toQuickAnswer(row: Row): QuickAnswer {
  const parsed = QuickAnswerContentSchema.safeParse(row.content);
  if (!parsed.success) logger.warn("quick answer content could not be read", { quickAnswerId: row.id });
  return { ...row, content: parsed.success ? parsed.data : null };
}

/** Positions are handed out and swapped under one lock per workspace, so two saves never collide. */
const lockWorkspaceQuickAnswers = (tx: Prisma.TransactionClient, workspaceId: string) =>
  tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('shopdesk.quick-answers'), hashtext(${workspaceId}))`;

/** The workspace's quick answers in the order the storefront offers them. */
export async function listQuickAnswers(
  workspaceId: string,
  options: { enabledOnly?: boolean } = {},
  client: Client = db,
): Promise<QuickAnswer[]> {
  const rows = await client.quickAnswer.findMany({
    where: { workspaceId, ...(options.enabledOnly ? { enabled: true } : {}) },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }, { id: "asc" }],
    // Past the cap only after two workspaces joined (moveQuickAnswers): still all listed.
    take: 4 * MAX_QUICK_ANSWERS,
    select: SELECT,
  });
  return rows.map(toQuickAnswer);
}

/** One of the workspace's quick answers, or null. */
export async function findQuickAnswer(
  workspaceId: string,
  quickAnswerId: string,
  client: Client = db,
): Promise<QuickAnswer | null> {
  if (!isUuid(quickAnswerId)) return null;
  const row = await client.quickAnswer.findFirst({ where: { id: quickAnswerId, workspaceId }, select: SELECT });
  return row ? toQuickAnswer(row) : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids are uuids: anything else names nothing (and is not worth a query). */
export const isUuid = (value: string) => UUID.test(value);

function validContent(content: unknown): QuickAnswerContent {
  const parsed = QuickAnswerContentSchema.safeParse(content);
  if (!parsed.success) throw new QuickAnswerRefused(parsed.error.issues[0]?.message ?? "Check the quick answer.");
  return parsed.data;
}

async function createIn(
  tx: Prisma.TransactionClient,
  workspaceId: string,
  content: QuickAnswerContent,
  enabled: boolean,
): Promise<QuickAnswer> {
  const existing = await tx.quickAnswer.aggregate({ where: { workspaceId }, _count: true, _max: { position: true } });
  if (existing._count >= MAX_QUICK_ANSWERS) {
    throw new QuickAnswerRefused(
      `You have ${MAX_QUICK_ANSWERS} quick answers, the most a store can offer. Delete one you no longer need first.`,
    );
  }
  const row = await tx.quickAnswer.create({
    data: {
      workspaceId,
      position: (existing._max.position ?? -1) + 1,
      enabled,
      content: content as unknown as Prisma.InputJsonValue,
    },
    select: SELECT,
  });
  return toQuickAnswer(row);
}

/** Adds a flow at the end of the list. */
export async function createQuickAnswer(
  workspaceId: string,
  input: { content: unknown; enabled?: boolean },
): Promise<QuickAnswer> {
  const content = validContent(input.content);
  return db.$transaction(async (tx) => {
    await lockWorkspaceQuickAnswers(tx, workspaceId);
    return createIn(tx, workspaceId, content, input.enabled ?? true);
  });
}

/** Adds one of the starter flows, turned off so the merchant checks its words before shoppers see it. */
export async function addStarterQuickAnswer(workspaceId: string, key: StarterQuickAnswerKey): Promise<QuickAnswer> {
  const starter = STARTER_QUICK_ANSWERS.find((candidate) => candidate.key === key);
  if (!starter) throw new QuickAnswerRefused("Choose one of the suggested quick answers.");
  return db.$transaction(async (tx) => {
    await lockWorkspaceQuickAnswers(tx, workspaceId);
    return createIn(tx, workspaceId, validContent(starter.content), false);
  });
}

/** Replaces a flow's content and, when given, whether shoppers see it. */
export async function updateQuickAnswer(
  workspaceId: string,
  quickAnswerId: string,
  input: { content: unknown; enabled?: boolean },
): Promise<QuickAnswer> {
  const content = validContent(input.content);
  return updateOne(workspaceId, quickAnswerId, {
    content: content as unknown as Prisma.InputJsonValue,
    ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
  });
}

export async function setQuickAnswerEnabled(
  workspaceId: string,
  quickAnswerId: string,
  enabled: boolean,
): Promise<QuickAnswer> {
  return updateOne(workspaceId, quickAnswerId, { enabled });
}

async function updateOne(workspaceId: string, quickAnswerId: string, data: Prisma.QuickAnswerUpdateManyMutationInput) {
  if (!isUuid(quickAnswerId)) throw new QuickAnswerNotFoundError();
  const { count } = await db.quickAnswer.updateMany({ where: { id: quickAnswerId, workspaceId }, data });
  if (count === 0) throw new QuickAnswerNotFoundError();
  const row = await db.quickAnswer.findFirstOrThrow({ where: { id: quickAnswerId, workspaceId }, select: SELECT });
  return toQuickAnswer(row);
}

/** Deletes a flow and its uses (the figures go with it). */
export async function deleteQuickAnswer(workspaceId: string, quickAnswerId: string): Promise<void> {
  if (!isUuid(quickAnswerId)) throw new QuickAnswerNotFoundError();
  const { count } = await db.quickAnswer.deleteMany({ where: { id: quickAnswerId, workspaceId } });
  if (count === 0) throw new QuickAnswerNotFoundError();
}

/**
 * Moves a flow one place up or down in the storefront's order (swapping with its neighbour).
 * Already first (or last): nothing changes.
 */
export async function moveQuickAnswer(
  workspaceId: string,
  quickAnswerId: string,
  direction: "up" | "down",
): Promise<void> {
  if (!isUuid(quickAnswerId)) throw new QuickAnswerNotFoundError();
  await db.$transaction(async (tx) => {
    await lockWorkspaceQuickAnswers(tx, workspaceId);
    const rows = await tx.quickAnswer.findMany({
      where: { workspaceId },
      orderBy: [{ position: "asc" }, { createdAt: "asc" }, { id: "asc" }],
      select: { id: true },
    });
    const index = rows.findIndex((row) => row.id === quickAnswerId);
    if (index === -1) throw new QuickAnswerNotFoundError();
    const target = direction === "up" ? index - 1 : index + 1;
    if (target < 0 || target >= rows.length) return;
    [rows[index], rows[target]] = [rows[target]!, rows[index]!];
    // Rewrites every position as 0..n-1: also mends ties left by anything written outside this lock.
    for (const [position, row] of rows.entries()) {
      await tx.quickAnswer.update({ where: { id: row.id }, data: { position } });
    }
  });
}

// ---- Stores moving between workspaces (app/services/workspace-link.server.ts) -------------------

/**
 * Moves the flows of a workspace that is about to go (its last store joined `to`) into `to`, after
 * `to`'s own, with their uses (the figures stay). They arrive turned off: `to`'s other stores share
 * its quick answers, and would otherwise show them to their shoppers unasked. Run in the move's
 * transaction.
 */
export async function moveQuickAnswers(tx: Prisma.TransactionClient, fromWorkspaceId: string, toWorkspaceId: string) {
  await lockWorkspaceQuickAnswers(tx, toWorkspaceId);
  const last = await tx.quickAnswer.aggregate({ where: { workspaceId: toWorkspaceId }, _max: { position: true } });
  const offset = (last._max.position ?? -1) + 1;
  await tx.$executeRaw`
    UPDATE "QuickAnswer" SET "workspaceId" = ${toWorkspaceId}, position = position + ${offset}, enabled = false,
      "updatedAt" = now()
    WHERE "workspaceId" = ${fromWorkspaceId}`;
  await tx.quickAnswerUse.updateMany({ where: { workspaceId: fromWorkspaceId }, data: { workspaceId: toWorkspaceId } });
}

/**
 * Copies a workspace's flows into the new workspace of a store leaving it, as they were (its
 * shoppers keep seeing them); the figures stay with the workspace they were counted in.
 */
export async function copyQuickAnswers(tx: Prisma.TransactionClient, fromWorkspaceId: string, toWorkspaceId: string) {
  const flows = await tx.quickAnswer.findMany({
    where: { workspaceId: fromWorkspaceId },
    select: { position: true, enabled: true, content: true },
  });
  if (flows.length === 0) return;
  await tx.quickAnswer.createMany({
    data: flows.map((flow) => ({
      workspaceId: toWorkspaceId,
      position: flow.position,
      enabled: flow.enabled,
      content: flow.content as Prisma.InputJsonValue,
    })),
  });
}
