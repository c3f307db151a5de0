import { db } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";

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
