import { db } from "~/db.server";
import {
  deflectionFigures,
  QUICK_ANSWER_STATS_DAYS,
  quickAnswerAtPath,
  quickAnswerLocale,
  type DeflectionFigures,
} from "~/domain/quick-answers";
import { Prisma } from "~/generated/prisma/client";
import { findQuickAnswer } from "./quick-answer.server";

// Which quick answers shoppers opened, and whether they still reached an agent afterwards
// (deflection, decision 026). A use is "contacted" when the same visitor or portal session starts
// a chat, sends the contact form or files a request within CONTACT_WINDOW_MS after it.

type Client = Prisma.TransactionClient | typeof db;

/** How long after a quick answer reaching an agent still counts against it. */
export const CONTACT_WINDOW_MS = 24 * 60 * 60 * 1000;

const utc = (date: Date) => Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

export interface ContactWho {
  workspaceId: string;
  visitorId?: string | null;
  portalSessionId?: string | null;
}

/**
 * The shopper reached an agent (a chat started, a contact form, a request): their quick-answer
 * uses of the last 24 hours were not deflections. Call it in the transaction that stores the contact.
 */
export async function markQuickAnswersContacted(tx: Client, who: ContactWho, at: Date = new Date()): Promise<number> {
  const matches: Prisma.Sql[] = [];
  if (who.visitorId) matches.push(Prisma.sql`"visitorId" = ${who.visitorId}`);
  if (who.portalSessionId) matches.push(Prisma.sql`"portalSessionId" = ${who.portalSessionId}`);
  if (matches.length === 0) return 0;
  return tx.$executeRaw`
    UPDATE "QuickAnswerUse" SET "contactedAgentAt" = ${utc(at)}
    WHERE "workspaceId" = ${who.workspaceId}
      AND "contactedAgentAt" IS NULL
      AND "usedAt" >= ${utc(new Date(at.getTime() - CONTACT_WINDOW_MS))}
      AND "usedAt" <= ${utc(at)}
      AND (${Prisma.join(matches, " OR ")})`;
}

// ---- Uses and their figures -----------------------------------------------------------------

export interface QuickAnswerUseInput {
  /** The workspace of the authenticated shop (never from the client). */
  workspaceId: string;
  shopId: string;
  quickAnswerId: string;
  /** The follow-up opened: "" for the flow's own answer, "1.0" for a nested one. */
  path: string;
  locale: string;
  /** From a chat token we signed, never from the body alone. */
  visitorId?: string | null;
  /** From a portal token we signed. */
  portalSessionId?: string | null;
}

export type RecordUseResult = { ok: true; useId: bigint } | { ok: false; status: 400 | 404; error: string };

/**
 * Records that a shopper opened a flow's answer (or one of its follow-ups). Refuses, writing
 * nothing, a flow that is not an enabled one of this workspace (404) and a path the flow does not
 * have (400).
 */
export async function recordQuickAnswerUse(
  input: QuickAnswerUseInput,
  at: Date = new Date(),
): Promise<RecordUseResult> {
  const flow = await findQuickAnswer(input.workspaceId, input.quickAnswerId);
  if (!flow || !flow.enabled || !flow.content) {
    return { ok: false, status: 404, error: "This quick answer is no longer offered." };
  }
  if (!quickAnswerAtPath(flow.content, input.path)) {
    return { ok: false, status: 400, error: "This follow-up is not part of the quick answer." };
  }
  const use = await db.quickAnswerUse.create({
    data: {
      workspaceId: input.workspaceId,
      shopId: input.shopId,
      quickAnswerId: flow.id,
      path: input.path,
      locale: quickAnswerLocale(input.locale),
      visitorId: input.visitorId ?? null,
      portalSessionId: input.portalSessionId ?? null,
      usedAt: at,
    },
    select: { id: true },
  });
  return { ok: true, useId: use.id };
}

/**
 * Each flow's figures over the last QUICK_ANSWER_STATS_DAYS days: uses (any answer of the flow),
 * how many still reached an agent, the deflection rate. Flows without uses are absent. Uses of the
 * last 24 hours count as deflected until a contact says otherwise.
 */
export async function quickAnswerStats(
  workspaceId: string,
  now: Date = new Date(),
): Promise<Map<string, DeflectionFigures>> {
  const since = new Date(now.getTime() - QUICK_ANSWER_STATS_DAYS * 24 * 60 * 60 * 1000);
  const groups = await db.quickAnswerUse.groupBy({
    by: ["quickAnswerId"],
    where: { workspaceId, usedAt: { gte: since, lte: now } },
    _count: { _all: true, contactedAgentAt: true },
  });
  return new Map(
    groups.map((group) => [
      group.quickAnswerId,
      deflectionFigures({ uses: group._count._all, contacted: group._count.contactedAgentAt }),
    ]),
  );
}
