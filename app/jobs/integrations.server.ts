import pg from "pg";
import { databaseUrl, db, onDatabaseClose } from "~/db.server";
import { logger } from "~/lib/logger.server";
import { attemptIntegrationDelivery } from "~/services/integrations/delivery.server";
import { DISPATCH_BATCH, dispatchApiEvents } from "~/services/integrations/dispatch.server";
import { pruneIntegrationHistory } from "~/services/integrations/retention.server";
import { JOB_QUEUE_SCHEMA } from "./boss.server";
import { integrationDeliveryJobKind, queueIntegrationDelivery } from "./integration-kinds.server";
import { defineJob, onStopJobs } from "./queue.server";

// The HTTP integration jobs' handlers (names, data and settings in integration-kinds.server.ts),
// and the dispatcher that turns ticket events into deliveries (docs/decisions/025-integrations.md).

export const integrationDeliveryJob = defineJob({
  ...integrationDeliveryJobKind,
  // Calls wait on the network, not the CPU: several at once per process.
  concurrency: 8,
  async handler({ workspaceId, deliveryId }, { attempt, attempts, log }) {
    const outcome = await attemptIntegrationDelivery(workspaceId, deliveryId, { finalAttempt: attempt >= attempts });
    if (outcome.status === "failed" && outcome.willRetry) {
      // Thrown so the queue retries it, with backoff; the attempt is already in the delivery log.
      throw new Error(outcome.error);
    }
    log.info("integration delivery finished", { workspaceId, deliveryId, status: outcome.status });
  },
});

/** Channel the ApiEvent triggers announce new events on (migration integration_events). */
export const API_EVENTS_CHANNEL = "shopdesk_api_events";
/** Fallback when no NOTIFY arrives (a lost listener, an event committed while none listened). */
const DISPATCH_POLL_MS = 1_000;
/** How long a delivery may wait with no job before the sweep queues one. */
export const STUCK_DELIVERY_MINUTES = 2;
const SWEEP_EVERY_MS = 60_000;
/** How often old events and finished deliveries are deleted (retention.server.ts). */
const PRUNE_EVERY_MS = 60 * 60_000;

const log = logger.child({ component: "jobs", job: "integration-dispatch" });

/**
 * Queues deliveries left pending or failed with no job waiting, running or retrying for them: the
 * process died between dispatching an event and queuing its calls. Returns how many it queued.
 */
export async function queueStuckDeliveries(now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - STUCK_DELIVERY_MINUTES * 60_000);
  const stuck = await db.$queryRawUnsafe<{ id: string; workspaceId: string }[]>(
    `SELECT d.id, d."workspaceId" FROM "IntegrationDelivery" d
     WHERE d.status IN ('pending', 'failed') AND d."createdAt" < $1
       AND NOT EXISTS (
         SELECT 1 FROM "${JOB_QUEUE_SCHEMA}".job j
         WHERE j.name = $2 AND j.state IN ('created', 'retry', 'active') AND j.data->>'deliveryId' = d.id)
     ORDER BY d."createdAt" LIMIT 200`,
    before,
    integrationDeliveryJobKind.name,
  );
  let queued = 0;
  for (const { id, workspaceId } of stuck) if (await queueIntegrationDelivery(workspaceId, id)) queued++;
  return queued;
}

class IntegrationDispatcher {
  private running = true;
  private wake: (() => void) | null = null;
  private listener: pg.Client | null = null;
  private readonly loop: Promise<void>;
  private readonly sweep: NodeJS.Timeout;
  private readonly prune: NodeJS.Timeout;

  constructor() {
    this.loop = this.run();
    void this.listen();
    this.sweep = setInterval(() => {
      queueStuckDeliveries().then(
        (queued) => queued > 0 && log.warn("queued integration deliveries that were left without a job", { queued }),
        (error: unknown) => log.error("the integration delivery sweep failed; it runs again shortly", { error }),
      );
    }, SWEEP_EVERY_MS);
    this.sweep.unref();
    const prune = () =>
      pruneIntegrationHistory().then(
        (pruned) => (pruned.events > 0 || pruned.deliveries > 0) && log.info("pruned old integration history", pruned),
        (error: unknown) => log.error("pruning old integration history failed; it runs again in an hour", { error }),
      );
    this.prune = setInterval(() => void prune(), PRUNE_EVERY_MS);
    this.prune.unref();
  }

  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.sweep);
    clearInterval(this.prune);
    this.poke();
    await this.loop;
    await this.listener?.end().catch(() => {});
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: "shopdesk-api-events" });
    client.on("error", (error) => {
      log.warn("api event listener lost its connection; polling until the next start", { error });
      if (this.listener === client) this.listener = null;
    });
    client.on("notification", () => this.poke());
    try {
      await client.connect();
      await client.query(`LISTEN ${API_EVENTS_CHANNEL}`);
      if (!this.running) throw new Error("stopped");
      this.listener = client;
    } catch (error) {
      if (this.running) log.warn("api event listener did not start; polling every second", { error });
      await client.end().catch(() => {});
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let taken = 0;
      try {
        taken = await dispatchApiEvents(DISPATCH_BATCH);
      } catch (error) {
        if (!this.running) break;
        log.error("dispatching api events failed; trying again", { error });
      }
      if (taken === DISPATCH_BATCH) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, DISPATCH_POLL_MS);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }
}

const GLOBAL_KEY = Symbol.for("shopdesk.integrationDispatcher");
type DispatcherGlobal = typeof globalThis & { [GLOBAL_KEY]?: IntegrationDispatcher };
const holder = globalThis as DispatcherGlobal;

/** Starts this process's dispatcher (idempotent), stopped with the job workers or the database. */
export function startIntegrationDispatcher(): void {
  if (holder[GLOBAL_KEY]) return;
  holder[GLOBAL_KEY] = new IntegrationDispatcher();
  const stop = async () => {
    unregisterClose();
    unregisterStop();
    const dispatcher = holder[GLOBAL_KEY];
    delete holder[GLOBAL_KEY];
    await dispatcher?.stop();
  };
  const unregisterClose = onDatabaseClose(stop);
  const unregisterStop = onStopJobs(stop);
}
