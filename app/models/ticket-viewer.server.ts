import { db } from "~/db.server";

// Who has a ticket open right now, and whether they are writing a reply. The ticket page's live
// connection keeps its row fresh; a row not refreshed for VIEWER_STALE_AFTER_MS is someone who
// left without saying so (a closed laptop), and is not shown. Changes are announced by a database
// trigger (migration ticket_change_notifications), so every app instance hears them.

/** Twice the live connection's heartbeat, plus slack for a slow network. */
export const VIEWER_STALE_AFTER_MS = 60_000;

/**
 * Records that the agent has the ticket open, and whether they are writing a reply (undefined:
 * unchanged, a heartbeat). False when the ticket or agent is not the workspace's.
 */
export async function markViewing(
  workspaceId: string,
  ticketId: string,
  agentId: string,
  replying: boolean | undefined,
) {
  const now = new Date();
  // INSERT … SELECT from the ticket and agent of this workspace: another workspace's ids insert nothing.
  const rows = await db.$executeRaw`
    INSERT INTO "TicketViewer" ("ticketId", "agentId", "workspaceId", "replying", "seenAt")
    SELECT t.id, a.id, t."workspaceId", ${replying ?? false}, ${now}
    FROM "Ticket" t JOIN "Agent" a ON a."workspaceId" = t."workspaceId" AND a.id = ${agentId}
    WHERE t.id = ${ticketId} AND t."workspaceId" = ${workspaceId}
    ON CONFLICT ("ticketId", "agentId") DO UPDATE
      SET "replying" = COALESCE(${replying ?? null}::boolean, "TicketViewer"."replying"), "seenAt" = EXCLUDED."seenAt"`;
  return rows > 0;
}

/** The agent closed the ticket (or their connection ended). */
export async function stopViewing(workspaceId: string, ticketId: string, agentId: string) {
  await db.ticketViewer.deleteMany({ where: { workspaceId, ticketId, agentId } });
}

/** The other agents with the ticket open now, replying ones first. */
export async function ticketViewers(
  workspaceId: string,
  ticketId: string,
  exceptAgentId: string | null,
  now = new Date(),
) {
  const rows = await db.ticketViewer.findMany({
    where: {
      workspaceId,
      ticketId,
      seenAt: { gt: new Date(now.getTime() - VIEWER_STALE_AFTER_MS) },
      ...(exceptAgentId ? { agentId: { not: exceptAgentId } } : {}),
    },
    include: { agent: { select: { id: true, name: true } } },
    orderBy: [{ replying: "desc" }, { seenAt: "asc" }],
  });
  return rows.map((row) => ({ agentId: row.agent.id, name: row.agent.name, replying: row.replying }));
}

/** Forgets viewers gone quiet long ago (rows of a crashed instance's connections). */
export function forgetStaleViewers(now = new Date()) {
  return db.ticketViewer.deleteMany({
    where: { seenAt: { lt: new Date(now.getTime() - 10 * VIEWER_STALE_AFTER_MS) } },
  });
}
