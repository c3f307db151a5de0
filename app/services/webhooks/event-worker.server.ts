import pg from "pg";
import { databaseUrl, onDatabaseClose } from "~/db.server";
import { recordDeadJob } from "~/jobs/dead-letters.server";
import { onStopJobs } from "~/jobs/queue.server";
import { logger } from "~/lib/logger.server";
import {
  claimWebhookEvents,
  releaseWebhookEvent,
  releaseWebhookLeases,
  webhookEventAttempts,
  renewWebhookLeases,
  rescheduleWebhookEvent,
  type ClaimedWebhookEvent,
} from "~/models/webhook-event.server";
import { WEBHOOK_EVENTS_CHANNEL } from "~/models/webhook-intake.server";
import { processWebhookEvent } from "./process.server";

// Works through the WebhookEvent table, which is the queue of stored webhooks (decision 014): the
// intake's one INSERT is the enqueue. Each process that runs jobs runs one of these; several
// processes share the table (FOR UPDATE SKIP LOCKED). Failed events retry with backoff, then go
// to the Job ledger like any dead job; an event whose worker died is taken over once its lease
// runs out.

/** The name failures are filed under in the Job ledger (and the jobs its Retry button sends). */
export const WEBHOOK_PROCESS_QUEUE = "webhook-process";

export const WEBHOOK_EVENT_RETRY = {
  /** Attempts in all: Shopify itself retries for hours, reconcile heals the rest. */
  attempts: 7,
  /** First retry after this, doubling (with jitter) each time. */
  baseDelaySeconds: 5,
};

/** A lease this long, renewed every third of it while the worker runs: a dead worker's events are due again within it. */
export const WEBHOOK_LEASE_SECONDS = 15;
/** Renewal stops after this (the old job timeout): a hung handler's events go to another worker. */
const MAX_HOLD_MS = 15 * 60_000;
const BATCH_SIZE = 10;
/** Fallback when no NOTIFY arrives (retries coming due, expired leases, a lost listener). */
const POLL_INTERVAL_MS = 1_000;

const log = logger.child({ component: "jobs", job: WEBHOOK_PROCESS_QUEUE });

/** Delay before retry number `attempt` (1-based count of failures so far), with ±20% jitter. */
export function retryDelaySeconds(failures: number): number {
  const base = WEBHOOK_EVENT_RETRY.baseDelaySeconds * 2 ** Math.max(0, failures - 1);
  return base * (0.8 + Math.random() * 0.4);
}

class WebhookEventWorker {
  private running = true;
  private wake: (() => void) | null = null;
  private listener: pg.Client | null = null;
  private readonly loop: Promise<void>;

  constructor() {
    this.loop = this.run();
    void this.listen();
  }

  /** Looks for due events now instead of at the next poll. */
  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.poke();
    await this.loop;
    await this.listener?.end().catch(() => {});
  }

  /** A stored event's NOTIFY wakes the worker of any process at once. */
  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: "shopdesk-webhook-events" });
    client.on("error", (error) => {
      log.warn("webhook event listener lost its connection; polling until the next start", { error });
      if (this.listener === client) this.listener = null;
    });
    client.on("notification", () => this.poke());
    try {
      await client.connect();
      await client.query(`LISTEN ${WEBHOOK_EVENTS_CHANNEL}`);
      if (!this.running) throw new Error("stopped");
      this.listener = client;
    } catch (error) {
      if (this.running) log.warn("webhook event listener did not start; polling every second", { error });
      await client.end().catch(() => {});
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed: ClaimedWebhookEvent[] = [];
      try {
        claimed = await claimWebhookEvents(BATCH_SIZE, WEBHOOK_LEASE_SECONDS);
      } catch (error) {
        if (!this.running) break;
        log.error("claiming webhook events failed; trying again", { error });
      }
      if (claimed.length > 0) {
        await this.work(claimed);
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_INTERVAL_MS);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** One after another, renewing the leases of those still waiting their turn. */
  private async work(events: ClaimedWebhookEvent[]): Promise<void> {
    const pending = new Set(events.map(({ id }) => id));
    const started = Date.now();
    const renewal = setInterval(
      () => {
        if (Date.now() - started > MAX_HOLD_MS) return;
        renewWebhookLeases([...pending], WEBHOOK_LEASE_SECONDS).catch((error: unknown) =>
          log.warn("renewing webhook event leases failed", { error }),
        );
      },
      (WEBHOOK_LEASE_SECONDS * 1000) / 3,
    );
    try {
      for (const event of events) {
        // Stopping: the rest go back to the queue when their lease ends (kept short for that).
        if (!this.running) break;
        await processOne(event);
        pending.delete(event.id);
      }
    } finally {
      clearInterval(renewal);
      // Stopping: hand back what was claimed and not started, so another process takes it now.
      await releaseWebhookLeases([...pending]).catch(() => {});
    }
  }
}

/** Processes one claimed event; a failure is retried later or filed in the Job ledger. */
export async function processOne(event: ClaimedWebhookEvent): Promise<void> {
  const eventLog = log.child({ shop: event.shopDomain, webhookEventId: event.id });
  if (event.recovered) eventLog.warn("webhook event recovered: its worker's lease ran out before it finished");
  const startedAt = Date.now();
  try {
    await processWebhookEvent(event.id, eventLog);
    await releaseWebhookEvent(event.id);
    eventLog.debug("job done", { ms: Date.now() - startedAt });
  } catch (error) {
    // processWebhookEvent counted the failed attempt (attempts + 1) before rethrowing.
    await failed(event, error, eventLog, Date.now() - startedAt).catch((cause: unknown) =>
      eventLog.error("recording a failed webhook attempt failed; the lease will bring it back", { error: cause }),
    );
  }
}

async function failed(event: ClaimedWebhookEvent, error: unknown, eventLog: typeof log, ms: number) {
  const counted = await webhookEventAttempts(event.id);
  if (!counted) return; // erased while it ran (shop/redact)
  const attempts = WEBHOOK_EVENT_RETRY.attempts;
  const attempt = Math.max(1, counted.attempts);
  if (attempt < attempts) {
    const delay = retryDelaySeconds(attempt);
    await rescheduleWebhookEvent(event.id, delay);
    eventLog.error("job failed; will retry", { error, ms, attempt, attempts, retryInSeconds: Math.round(delay) });
    return;
  }
  eventLog.error("job failed for good; dead-lettered", { error, ms, attempt, attempts });
  await rescheduleWebhookEvent(event.id, null);
  await recordDeadJob({
    queue: WEBHOOK_PROCESS_QUEUE,
    data: { webhookEventId: event.id, shopDomain: event.shopDomain },
    error: counted.lastError ?? (error instanceof Error ? error.message : String(error)),
    attempts: attempt,
    // One ledger entry per event and run of attempts.
    sourceJobId: `webhook-event:${event.id}:${attempt}`,
  });
}

// One worker per process, on globalThis like the job queue (Vite dev re-evaluates modules).
const GLOBAL_KEY = Symbol.for("shopdesk.webhookEventWorker");
type WorkerGlobal = typeof globalThis & { [GLOBAL_KEY]?: WebhookEventWorker };
const holder = globalThis as WorkerGlobal;

/** Starts this process's webhook event worker (idempotent). */
export function startWebhookEventWorker(): void {
  if (holder[GLOBAL_KEY]) return;
  holder[GLOBAL_KEY] = new WebhookEventWorker();
  // With the job workers (stopJobs), and before the database closes (shutdown, end of a test file).
  const stop = async () => {
    unregisterClose();
    unregisterStop();
    await stopWebhookEventWorker();
  };
  const unregisterClose = onDatabaseClose(stop);
  const unregisterStop = onStopJobs(stop);
}

/** Stops it: the event in hand finishes; claimed ones not started go back when their lease ends. */
export async function stopWebhookEventWorker(): Promise<void> {
  const worker = holder[GLOBAL_KEY];
  if (!worker) return;
  delete holder[GLOBAL_KEY];
  await worker.stop();
}

/** Wakes this process's worker, if it runs one: a stored event is processed without waiting for the poll. */
export function wakeWebhookEventWorker(): void {
  holder[GLOBAL_KEY]?.poke();
}
