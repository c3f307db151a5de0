import { db } from "~/db.server";

export interface ClaimedWebhookEvent {
  id: string;
  shopDomain: string;
  /** A worker had claimed it before and its lease ran out (it crashed or hung): recovered. */
  recovered: boolean;
}

/**
 * Claims up to `limit` due events for `leaseSeconds` (oldest first). SKIP LOCKED lets several
 * workers claim side by side; an event whose lease expired is due again.
 */
export async function claimWebhookEvents(limit: number, leaseSeconds: number): Promise<ClaimedWebhookEvent[]> {
  return db.$queryRaw<ClaimedWebhookEvent[]>`
    UPDATE "WebhookEvent" AS event
       SET "leasedUntil" = now() + make_interval(secs => ${leaseSeconds})
      FROM (
        SELECT "id", "leasedUntil" IS NOT NULL AS "recovered"
          FROM "WebhookEvent"
         WHERE "availableAt" <= now() AND ("leasedUntil" IS NULL OR "leasedUntil" < now())
         ORDER BY "availableAt"
         LIMIT ${limit}
           FOR UPDATE SKIP LOCKED
      ) AS due
     WHERE event."id" = due."id"
    RETURNING event."id", event."shopDomain", due."recovered"`;
}

/** Extends the lease of events a worker is still working through. */
export async function renewWebhookLeases(ids: readonly string[], leaseSeconds: number): Promise<void> {
  if (ids.length === 0) return;
  await db.$executeRaw`
    UPDATE "WebhookEvent" SET "leasedUntil" = now() + make_interval(secs => ${leaseSeconds})
     WHERE "id" = ANY(${[...ids]}::text[]) AND "leasedUntil" IS NOT NULL`;
}

/** Hands claimed events back to the queue at once (a stopping worker that did not start them). */
export async function releaseWebhookLeases(ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.webhookEvent.updateMany({ where: { id: { in: [...ids] } }, data: { leasedUntil: null } });
}

/** Failed attempts so far and the last error, or null when the event no longer exists. */
export function webhookEventAttempts(id: string) {
  return db.webhookEvent.findUnique({ where: { id }, select: { attempts: true, lastError: true } });
}

/** Takes a handled event (processed or skipped) out of the queue. */
export async function releaseWebhookEvent(id: string): Promise<void> {
  await db.webhookEvent.updateMany({ where: { id }, data: { availableAt: null, leasedUntil: null } });
}

/** After a failed attempt: due again after `delaySeconds`, or, with null, out of the queue for good. */
export async function rescheduleWebhookEvent(id: string, delaySeconds: number | null): Promise<void> {
  await db.webhookEvent.updateMany({
    where: { id },
    data: { leasedUntil: null, availableAt: delaySeconds === null ? null : new Date(Date.now() + delaySeconds * 1000) },
  });
}

export function getWebhookEvent(id: string) {
  return db.webhookEvent.findUnique({ where: { id } });
}

export async function markWebhookEvent(id: string, status: "processed" | "skipped") {
  // updateMany: shop/redact erases its own event row while it runs.
  await db.webhookEvent.updateMany({ where: { id }, data: { status, processedAt: new Date(), lastError: null } });
}

export async function markWebhookAttemptFailed(id: string, error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  // The row may be gone if the failing handler was shop/redact erasing its own shop's events.
  await db.webhookEvent.updateMany({
    where: { id },
    data: { status: "failed", lastError: message.slice(0, 2000), attempts: { increment: 1 } },
  });
}

export async function webhookActivity(shopDomain: string) {
  const [byStatus, latest] = await Promise.all([
    db.webhookEvent.groupBy({ by: ["status"], where: { shopDomain }, _count: { _all: true } }),
    db.webhookEvent.findMany({
      where: { shopDomain },
      orderBy: { receivedAt: "desc" },
      take: 25,
      select: {
        id: true,
        topic: true,
        status: true,
        receivedAt: true,
        processedAt: true,
        attempts: true,
        lastError: true,
      },
    }),
  ]);
  const counts = { received: 0, processed: 0, skipped: 0, failed: 0 };
  for (const group of byStatus) counts[group.status] = group._count._all;
  return { counts, latest };
}
