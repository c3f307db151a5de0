import { randomUUID } from "node:crypto";
import { db } from "~/db.server";

export interface IncomingWebhook {
  shopDomain: string;
  topic: string;
  eventId: string;
  webhookId: string;
  apiVersion: string;
  triggeredAt: Date | null;
  payload: unknown;
}

export type RecordResult = { kind: "new"; id: string } | { kind: "duplicate" };

/** The channel a stored event is announced on, so idle workers claim it at once. */
export const WEBHOOK_EVENTS_CHANNEL = "shopdesk_webhook_events";

/**
 * Stores a delivery once, due for processing now: storing is enqueuing (the table is the queue,
 * decision 014), so no crash can leave a stored event without its job. A second delivery of the
 * same event changes nothing. Resolves once the row is committed.
 *
 * Deliveries arriving while earlier ones are being written share the next INSERT (group commit):
 * under a storm each statement carries many events, so the database does one round trip, one
 * commit and one NOTIFY for all of them instead of one each; a lone delivery goes out at once.
 */
export function recordWebhookEvent(webhook: IncomingWebhook): Promise<RecordResult> {
  return new Promise((resolve, reject) => {
    waiting.push({ webhook, id: randomUUID(), resolve, reject });
    flush();
  });
}

interface PendingWrite {
  webhook: IncomingWebhook;
  id: string;
  resolve(result: RecordResult): void;
  reject(error: unknown): void;
}

/** Statements in flight at once: a few pool connections, never all of them. */
const MAX_CONCURRENT_WRITES = 3;
/** Events per statement: keeps one statement's parameters and payloads bounded. */
const MAX_EVENTS_PER_WRITE = 64;
let waiting: PendingWrite[] = [];
let writesInFlight = 0;

function flush(): void {
  while (waiting.length > 0 && writesInFlight < MAX_CONCURRENT_WRITES) {
    const batch = waiting.slice(0, MAX_EVENTS_PER_WRITE);
    waiting = waiting.slice(batch.length);
    writesInFlight++;
    insertEvents(batch)
      .then(
        (stored) => {
          for (const write of batch)
            write.resolve(stored.has(write.id) ? { kind: "new", id: write.id } : { kind: "duplicate" });
        },
        (error: unknown) => {
          for (const write of batch) write.reject(error);
        },
      )
      .finally(() => {
        writesInFlight--;
        flush();
      });
  }
}

/** One INSERT of a batch; the ids of the rows stored (the others were already there). */
async function insertEvents(batch: readonly PendingWrite[]): Promise<Set<string>> {
  const rows = batch.map(({ webhook, id }) => ({
    id,
    shopDomain: webhook.shopDomain,
    eventId: webhook.eventId,
    webhookId: webhook.webhookId,
    topic: webhook.topic,
    apiVersion: webhook.apiVersion,
    // Prisma stores DateTime as UTC in timestamp(3); the cast ignores the ISO string's "Z".
    triggeredAt: webhook.triggeredAt?.toISOString() ?? null,
    payload: webhook.payload,
  }));
  const stored = await db.$queryRaw<{ id: string }[]>`
    WITH inserted AS (
      INSERT INTO "WebhookEvent"
        ("id", "shopDomain", "eventId", "webhookId", "topic", "apiVersion", "triggeredAt", "payload")
      SELECT "id", "shopDomain", "eventId", "webhookId", "topic", "apiVersion", "triggeredAt", "payload"
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS event(
          "id" text, "shopDomain" text, "eventId" text, "webhookId" text, "topic" text, "apiVersion" text,
          "triggeredAt" timestamp(3), "payload" jsonb)
      ON CONFLICT ("shopDomain", "eventId") DO NOTHING
      RETURNING "id"
    )
    SELECT "id", pg_notify(${WEBHOOK_EVENTS_CHANNEL}, '')::text AS "notified" FROM inserted`;
  return new Set(stored.map(({ id }) => id));
}

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
