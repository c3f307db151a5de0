import { db } from "~/db.server";

// How long the events feed and the delivery log are kept (docs/decisions/025-integrations.md,
// "How long the history is kept"): both grow with every ticket change, so without a limit the
// tables, their indexes and every sweep over them grow for ever.

/** Events older than this leave the feed (/api/events), once they have been dispatched. */
export const EVENT_RETENTION_DAYS = 90;
/** Finished deliveries older than this leave Settings → Integrations' log. */
export const DELIVERY_RETENTION_DAYS = 30;
/** Rows deleted per statement: short statements, so no long lock or transaction. */
const BATCH = 5_000;

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

/** Deletes old events and finished deliveries, a batch at a time; returns how many of each went. */
export async function pruneIntegrationHistory(now = new Date()): Promise<{ events: number; deliveries: number }> {
  let events = 0;
  for (;;) {
    const deleted = await db.$executeRaw`
      DELETE FROM "ApiEvent" WHERE "id" IN (
        SELECT "id" FROM "ApiEvent"
        WHERE "createdAt" < ${daysBefore(now, EVENT_RETENTION_DAYS)} AND "dispatchedAt" IS NOT NULL
        LIMIT ${BATCH})`;
    events += deleted;
    if (deleted < BATCH) break;
  }
  let deliveries = 0;
  for (;;) {
    const deleted = await db.$executeRaw`
      DELETE FROM "IntegrationDelivery" WHERE "id" IN (
        SELECT "id" FROM "IntegrationDelivery"
        WHERE "createdAt" < ${daysBefore(now, DELIVERY_RETENTION_DAYS)}
          AND "status" NOT IN ('pending', 'failed')
        LIMIT ${BATCH})`;
    deliveries += deleted;
    if (deleted < BATCH) break;
  }
  return { events, deliveries };
}
