import { randomUUID } from "node:crypto";
import pg from "pg";
import { databaseUrl, onDatabaseClose } from "~/db.server";
import { coalesced } from "~/lib/coalesced";
import { logger } from "~/lib/logger.server";

// The one write a webhook acknowledgement waits for, on connections of its own (decision 014).

export interface IncomingWebhook {
  shopDomain: string;
  topic: string;
  eventId: string;
  webhookId: string;
  apiVersion: string;
  triggeredAt: Date | null;
  /**
   * The payload as JSON text PostgreSQL can store (see isStorableJsonText): a string, or its UTF-8
   * bytes (valid UTF-8), which go to the database as they are, without being encoded again.
   */
  payloadJson: string | Buffer;
}

export type RecordResult = { kind: "new"; id: string } | { kind: "duplicate" };

/** The channel a stored event is announced on, so idle workers claim it at once. */
export const WEBHOOK_EVENTS_CHANNEL = "shopdesk_webhook_events";

/** Statements in flight at once, each on a connection of the intake's own pool. */
const MAX_CONCURRENT_WRITES = 3;
/** Events per statement: keeps one statement's parameters and payloads bounded. */
const MAX_EVENTS_PER_WRITE = 64;
const COLUMNS = ["id", "shopDomain", "eventId", "webhookId", "topic", "apiVersion", "triggeredAt", "payload"] as const;

/**
 * Stores a delivery once, due for processing now: storing is enqueuing (the table is the queue,
 * decision 014), so no crash can leave a stored event without its job. A second delivery of the
 * same event changes nothing. Resolves once the row is committed.
 *
 * Deliveries arriving while earlier ones are being written share the next INSERT (group commit):
 * under a storm each statement carries many events, so the database does one round trip and one
 * commit for all of them instead of one each; a lone delivery goes out at once. Workers hear of
 * new events from announceStoredEvents, after the commit.
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
          if (stored.size > 0) announceStoredEvents();
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

/**
 * Wakes idle workers in every process (NOTIFY), coalesced: one announcement at a time, and one
 * more after it for whatever was stored meanwhile. It is a statement of its own, after the insert's
 * commit, because PostgreSQL serialises the commits of all transactions that notify (a
 * database-wide lock held through the commit's WAL flush): inside the insert it made concurrent
 * groups, and the inbox's own notifying writes, commit one after another. A lost announcement
 * costs only time: workers also look every second.
 */
const announceStoredEvents = coalesced(async () => {
  // Not once the database is closing (the pool is gone): that would open a new one.
  if (!pool) return;
  await pool
    .query(`SELECT pg_notify('${WEBHOOK_EVENTS_CHANNEL}', '')`)
    .catch((error: unknown) => logger.warn("could not announce stored webhook events", { error }));
});

/**
 * The intake's own pool, straight on node-postgres: an acknowledgement never waits for a
 * connection behind a page's or a job's queries, and skips the ORM's per-query work (its query
 * plan, and serialising every payload once more), which cost more than the insert itself.
 */
let pool: pg.Pool | null = null;
function intakePool(): pg.Pool {
  if (pool) return pool;
  const created = new pg.Pool({
    connectionString: databaseUrl,
    max: MAX_CONCURRENT_WRITES + 1, // and one announcement
    // Kept open between storms: a storm after a quiet spell would otherwise first wait for new
    // connections (a server process and authentication each). Idle, they do not keep the process
    // from exiting.
    idleTimeoutMillis: 0,
    allowExitOnIdle: true,
    application_name: "shopdesk-webhook-intake",
  });
  // An idle connection the server ends (a restart, a dropped test database) must not become an
  // uncaught error that takes the process down: the pool drops it and opens another on demand.
  created.on("error", (error) => logger.warn("webhook intake connection lost", { error }));
  pool = created;
  onDatabaseClose(async () => {
    if (pool === created) pool = null;
    await created.end();
  });
  return created;
}

/**
 * Tries for one batch: a database restart ends every idle connection at once, and the pool learns
 * that one has gone only when it fails or its end arrives, so the first tries may each get one.
 */
const MAX_INSERT_ATTEMPTS = MAX_CONCURRENT_WRITES + 2;

/**
 * Stores a batch; the ids of the rows stored (the others were already there). A statement that
 * failed because its connection had ended is sent again on another: Shopify would redeliver,
 * but only after its timeout. Sent again, rows the lost statement may have committed still count
 * as stored by this batch (their ids are ours), not as duplicates.
 */
async function insertEvents(batch: readonly PendingWrite[]): Promise<Set<string>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await insertEventsOnce(batch, { afterLostConnection: attempt > 1 });
    } catch (error) {
      if (attempt >= MAX_INSERT_ATTEMPTS || !isLostConnection(error)) throw error;
      logger.warn("webhook intake connection lost mid-write; writing again on another", { attempt, error });
    }
  }
}

/** Server codes for a connection the server is ending (admin, crash or fast shutdown) and client-side ends. */
const CONNECTION_ENDED_CODES = new Set(["57P01", "57P02", "57P03", "ECONNRESET", "EPIPE"]);

function isLostConnection(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return CONNECTION_ENDED_CODES.has(code) || code.startsWith("08");
  // node-postgres's own errors for a socket that closed under a query have no code.
  return /^Connection terminated|^Client has encountered a connection error/.test(error.message);
}

/**
 * One INSERT of a batch. Each value is a parameter of its own, the payload as the JSON text it
 * arrived as: nothing is escaped or re-encoded on the way.
 */
async function insertEventsOnce(
  batch: readonly PendingWrite[],
  { afterLostConnection }: { afterLostConnection: boolean },
): Promise<Set<string>> {
  const values: unknown[] = [];
  const rows = batch.map(({ webhook, id }) => {
    const first = values.length + 1;
    values.push(
      id,
      webhook.shopDomain,
      webhook.eventId,
      webhook.webhookId,
      webhook.topic,
      webhook.apiVersion,
      // Prisma keeps DateTime as UTC in timestamp(3); the cast ignores the ISO string's "Z".
      webhook.triggeredAt?.toISOString() ?? null,
      webhook.payloadJson,
    );
    return `($${first}, $${first + 1}, $${first + 2}, $${first + 3}, $${first + 4}, $${first + 5}, $${first + 6}::timestamp(3), $${first + 7}::text::json)`;
  });
  const { rows: stored } = await intakePool().query<{ id: string }>(
    `WITH inserted AS (
       INSERT INTO "WebhookEvent" (${COLUMNS.map((column) => `"${column}"`).join(", ")})
       VALUES ${rows.join(", ")}
       ON CONFLICT ("shopDomain", "eventId") DO NOTHING
       RETURNING "id"
     )
     SELECT "id" FROM inserted${
       // The statement's snapshot predates its own inserts, so the two sets do not overlap.
       afterLostConnection
         ? ` UNION ALL SELECT "id" FROM "WebhookEvent" WHERE "id" = ANY($${values.length + 1}::text[])`
         : ""
     }`,
    afterLostConnection ? [...values, batch.map(({ id }) => id)] : values,
  );
  return new Set(stored.map(({ id }) => id));
}
