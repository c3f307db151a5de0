import { db } from "~/db.server";
import type { InboxView } from "~/domain/inbox-query";
import { logger } from "~/lib/logger.server";

// The inbox's view counts and tag list, read from InboxTally (decision 022): triggers on Ticket
// append each change's +1 / -1 per key ("<status>|<assigneeId>" or a tag), so a read sums a few
// hundred rows however many tickets the workspace holds, and the counts are exact. From time to
// time a read folds the workspace's rows into one per key, so the sum stays small.

/** Rows beyond one per key before a read folds them (each ticket change appends 2–6). */
export const TALLY_FOLD_THRESHOLD = 500;

/** How many tags the tag filter offers, most used first. */
export const INBOX_TAG_LIMIT = 100;

const NOBODY = "00000000-0000-0000-0000-000000000000";

interface TallyRow {
  kind: string;
  key: string;
  tickets: number;
  rows: number;
}

export interface InboxTallies {
  /** Tickets in each view, for the view tabs (exact). */
  counts: Record<InboxView, number>;
  /** The tags on the workspace's tickets (the tag filter's choices), most used first. */
  tags: string[];
}

/** The view counts (as seen by `agentId`, for "mine") and tags of the workspace's tickets. */
export async function inboxTallies(workspaceId: string, agentId: string | null): Promise<InboxTallies> {
  const rows = await db.$queryRaw<TallyRow[]>`
    SELECT kind, key, sum(delta)::int AS tickets, count(*)::int AS rows
      FROM "InboxTally" WHERE "workspaceId" = ${workspaceId}
     GROUP BY kind, key`;
  if (rows.reduce((sum, row) => sum + row.rows, 0) - rows.length > TALLY_FOLD_THRESHOLD) {
    // Not awaited: this read is already right; the fold makes the next ones cheaper.
    void foldInboxTallies(workspaceId).catch((error: unknown) =>
      logger.warn("inbox tallies not folded", { workspaceId, error }),
    );
  }
  const counts: Record<InboxView, number> = { open: 0, unassigned: 0, mine: 0, snoozed: 0, closed: 0, all: 0 };
  const me = agentId ?? NOBODY;
  const tags: { tag: string; tickets: number }[] = [];
  for (const { kind, key, tickets } of rows) {
    if (tickets <= 0) continue;
    if (kind === "tag") {
      tags.push({ tag: key, tickets });
      continue;
    }
    const [status, assigneeId] = key.split("|");
    counts.all += tickets;
    if (status === "snoozed") counts.snoozed += tickets;
    else if (status === "closed") counts.closed += tickets;
    else if (status === "open") {
      counts.open += tickets;
      if (assigneeId === "") counts.unassigned += tickets;
      if (assigneeId === me) counts.mine += tickets;
    }
  }
  tags.sort((a, b) => b.tickets - a.tickets || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  return { counts, tags: tags.slice(0, INBOX_TAG_LIMIT).map(({ tag }) => tag) };
}

/** How many tickets the workspace holds (every view key's sum): search's cost estimate reads it. */
export async function workspaceTicketCount(workspaceId: string): Promise<number> {
  const [row] = await db.$queryRaw<{ tickets: number }[]>`
    SELECT coalesce(sum(delta), 0)::int AS tickets FROM "InboxTally" WHERE "workspaceId" = ${workspaceId} AND kind = 'view'`;
  return row?.tickets ?? 0;
}

/**
 * Folds the workspace's tally rows into one per key (dropping keys at zero). One statement: rows
 * appended meanwhile are not in its snapshot and stay, so none is counted twice or lost; one fold
 * per workspace at a time (an advisory lock; a second caller skips).
 */
export async function foldInboxTallies(workspaceId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const [{ locked }] = await tx.$queryRaw<[{ locked: boolean }]>`
      SELECT pg_try_advisory_xact_lock(hashtext('inbox-tally'), hashtext(${workspaceId})) AS locked`;
    if (!locked) return false;
    await tx.$executeRaw`
      WITH folded AS (DELETE FROM "InboxTally" WHERE "workspaceId" = ${workspaceId} RETURNING kind, key, delta)
      INSERT INTO "InboxTally" ("workspaceId", kind, key, delta)
      SELECT ${workspaceId}, kind, key, sum(delta)::int FROM folded GROUP BY kind, key HAVING sum(delta) <> 0`;
    return true;
  });
}

/**
 * Recounts every workspace's tallies from its tickets: after a bulk load that bypassed the
 * triggers (the benchmark's seeding), or to repair. Takes a lock on Ticket against writes meanwhile.
 */
export async function rebuildInboxTallies(): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`LOCK TABLE "Ticket" IN SHARE MODE`;
    await tx.$executeRaw`DELETE FROM "InboxTally"`;
    await tx.$executeRaw`
      INSERT INTO "InboxTally" ("workspaceId", kind, key, delta)
      SELECT "workspaceId", 'view', status::text || '|' || coalesce("assigneeId", ''), count(*)::int
        FROM "Ticket" GROUP BY 1, 3
      UNION ALL
      SELECT t."workspaceId", 'tag', tag, count(*)::int
        FROM "Ticket" t, LATERAL (SELECT DISTINCT unnest(t.tags) AS tag) AS tags GROUP BY 1, 3`;
  });
}
