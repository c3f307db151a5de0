import { db } from "~/db.server";
import { usageFigures, usagePeriod, type UsageFigures, type UsagePeriod } from "~/domain/portal-usage";
import { Prisma } from "~/generated/prisma/client";

// The storefront portal's usage, recorded on each PortalSession as it happens (a track, a request,
// the shopper reaching an agent) and added up per store for the home page (domain/portal-usage.ts
// says what is billable). Every write is one UPDATE of the session's row; the report is one
// aggregate over the store's sessions of the period, read through (shopId, createdAt).

type Client = Prisma.TransactionClient | typeof db;

/**
 * A moment for a raw query against Prisma's `timestamp(3)` columns, which hold UTC wall time: the
 * instant, read in UTC whatever the connection's time zone.
 */
const utc = (date: Date) => Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

/**
 * How many orders a session remembers having tracked. Past this (a wholesale buyer going through
 * hundreds of orders in one visit) opening a further order counts each time: the row stays small.
 */
export const MAX_TRACKED_ORDERS_REMEMBERED = 100;

/**
 * The session opened an order's tracking. Counted once per order and session: the widget reloads
 * the order after each request and the shopper comes back to it, and each of those is the same
 * "where is my order?" answered once, not a new one. True when this one counted.
 */
export async function recordTrack(sessionId: string, orderId: string): Promise<boolean> {
  const counted = await db.$executeRaw`
    UPDATE "PortalSession"
    SET tracks = tracks + 1,
        "trackedOrderIds" = CASE
          WHEN cardinality("trackedOrderIds") < ${MAX_TRACKED_ORDERS_REMEMBERED}
          THEN array_append("trackedOrderIds", ${orderId}::text)
          ELSE "trackedOrderIds" END
    WHERE id = ${sessionId} AND NOT (${orderId}::text = ANY ("trackedOrderIds"))`;
  return counted > 0;
}

/** The session filed a request (return, cancellation, issue report): in the request's transaction. */
export async function recordRequest(tx: Client, sessionId: string): Promise<void> {
  await tx.portalSession.update({ where: { id: sessionId }, data: { requests: { increment: 1 } } });
}

/**
 * Who a shopper's message reached an agent through: the ticket it landed on (a request's ticket,
 * when the shopper answers its confirmation by email), or the portal session itself (a chat
 * started from the portal).
 */
export type AgentContact = { ticketId: string } | { shopId: string; portalSessionId: string };

/**
 * The shopper reached an agent: the first time per session is kept (later messages change
 * nothing). A ticket that did not come from the portal has no session and records nothing. Call it
 * in the transaction that stores the shopper's message.
 */
export async function recordAgentContact(tx: Client, contact: AgentContact, at: Date = new Date()): Promise<boolean> {
  const updated =
    "ticketId" in contact
      ? await tx.$executeRaw`
          UPDATE "PortalSession" SET "reachedAgentAt" = ${utc(at)}
          WHERE "reachedAgentAt" IS NULL
            AND id = (SELECT "sessionId" FROM "PortalRequest" WHERE "ticketId" = ${contact.ticketId})`
      : await tx.$executeRaw`
          UPDATE "PortalSession" SET "reachedAgentAt" = ${utc(at)}
          WHERE id = ${contact.portalSessionId} AND "shopId" = ${contact.shopId} AND "reachedAgentAt" IS NULL`;
  return updated > 0;
}

export interface PortalUsage extends UsageFigures {
  period: UsagePeriod;
  /** False until a shopper has ever signed in to this store's portal: the home page explains it. */
  everUsed: boolean;
}

/**
 * The store's portal figures over the last `days` days in its zone (30 by default): one aggregate
 * over the sessions started in the period, by the (shopId, createdAt) index, however many there are.
 */
export async function getPortalUsage(
  shopId: string,
  options: { timeZone: string | null; now?: Date; days?: number },
): Promise<PortalUsage> {
  const period = usagePeriod(options.now ?? new Date(), options.timeZone, options.days);
  const [row] = await db.$queryRaw<
    { sessions: bigint; billable: bigint; agent: bigint; tracks: bigint | null; requests: bigint | null }[]
  >`
    SELECT count(*) AS sessions,
           count(*) FILTER (WHERE requests > 0 OR "reachedAgentAt" IS NOT NULL) AS billable,
           count(*) FILTER (WHERE "reachedAgentAt" IS NOT NULL) AS agent,
           sum(tracks) AS tracks,
           sum(requests) AS requests
    FROM "PortalSession"
    WHERE "shopId" = ${shopId} AND "createdAt" >= ${utc(period.from)} AND "createdAt" <= ${utc(period.to)}`;
  const sessions = Number(row?.sessions ?? 0);
  const everUsed =
    sessions > 0 || (await db.portalSession.findFirst({ where: { shopId }, select: { id: true } })) !== null;
  return {
    period,
    everUsed,
    ...usageFigures({
      sessions,
      billableSessions: Number(row?.billable ?? 0),
      agentContactSessions: Number(row?.agent ?? 0),
      tracks: Number(row?.tracks ?? 0),
      requests: Number(row?.requests ?? 0),
    }),
  };
}
