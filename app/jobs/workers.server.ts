import type PgBoss from "pg-boss";
import { logger } from "~/lib/logger.server";
import {
  addWorker,
  DEAD_LETTER_POLLING_INTERVAL_SECONDS,
  deadLetterQueueName,
  ensureQueue,
  POLLING_INTERVAL_SECONDS,
  queueState,
  type QueueState,
} from "./boss.server";
import { HOLDER_FIELD } from "./claim-tag.server";
import { describeJobError, recordDeadJob } from "./dead-letters.server";
import { JOB_DEFAULTS, queueSettings, type AnyJobDefinition } from "./queue.server";
import { ensureRecovery } from "./recovery.server";
import { startWebhookEventWorker, WEBHOOK_PROCESS_QUEUE } from "~/services/webhooks/event-worker.server";
import { jobDefinitions } from "./registry.server";
import { integrationDeliveryJob, startIntegrationDispatcher } from "./integrations.server";
import { replyDeliveryJob, startReplySweep } from "./mail.server";
import { startSnoozeSweep, ticketWakeJob } from "./tickets.server";

// The running side of the durable jobs (docs/decisions/003-durable-jobs.md): workers fetch jobs of
// the registered definitions, validate their data, run the handler, and let pg-boss retry or
// dead-letter what throws.

// The newest definition of each job, which running workers look up on every job: Vite dev
// re-evaluates an edited handler's module, and the next job runs the new code without a restart.
const LATEST_KEY = Symbol.for("shopdesk.jobDefinitions");
type DefinitionsGlobal = typeof globalThis & { [LATEST_KEY]?: Map<string, AnyJobDefinition> };
const latestDefinitions = ((globalThis as DefinitionsGlobal)[LATEST_KEY] ??= new Map());

/**
 * Starts workers for every job definition (default: app/jobs/registry.server.ts) that has none in
 * this process yet, and makes running workers use these definitions from now on. Idempotent; tests
 * pass their own definitions.
 */
export async function startJobWorkers(definitions: readonly AnyJobDefinition[] = jobDefinitions): Promise<void> {
  for (const definition of definitions) latestDefinitions.set(definition.name, definition);
  const state = await queueState();
  // Before any worker claims a job: the claims must name a holder whose lock is held.
  await ensureRecovery(state);
  for (const definition of definitions) {
    // Claimed before the first await, so two concurrent calls cannot both subscribe it.
    if (state.subscribed.has(definition.name)) continue;
    state.subscribed.add(definition.name);
    try {
      await startWorkersFor(state, definition);
    } catch (error) {
      state.subscribed.delete(definition.name);
      throw error;
    }
  }
  // Webhook processing claims stored events straight from their table (decision 014).
  if (definitions.some(({ name }) => name === WEBHOOK_PROCESS_QUEUE)) startWebhookEventWorker();
  if (definitions.some(({ name }) => name === ticketWakeJob.name)) startSnoozeSweep();
  if (definitions.some(({ name }) => name === replyDeliveryJob.name)) startReplySweep();
  // Ticket events become integration deliveries (decision 025).
  if (definitions.some(({ name }) => name === integrationDeliveryJob.name)) startIntegrationDispatcher();
}

async function startWorkersFor(state: QueueState, definition: AnyJobDefinition): Promise<void> {
  await ensureQueue(state, queueSettings(definition));
  const concurrency = Math.max(1, definition.concurrency ?? JOB_DEFAULTS.concurrency);
  for (let i = 0; i < concurrency; i++) {
    const workerId: string = await state.boss.work<unknown>(
      definition.name,
      { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: POLLING_INTERVAL_SECONDS },
      async ([job]) => {
        if (!job) return;
        await runJob(latestDefinitions.get(definition.name) ?? definition, job);
        // A job was waiting, so more may be: fetch again now instead of after the polling interval.
        state.boss.notifyWorker(workerId);
      },
    );
    addWorker(state, definition.name, workerId);
  }
  const deadLetterQueue = deadLetterQueueName(definition.name);
  await state.boss.work<unknown>(
    deadLetterQueue,
    { batchSize: 10, includeMetadata: true, pollingIntervalSeconds: DEAD_LETTER_POLLING_INTERVAL_SECONDS },
    async (jobs) => {
      for (const job of jobs) await recordDeadJob(deadLetterEntry(definition.name, job));
    },
  );
}

/** Validates, runs, logs. A thrown error reaches pg-boss, which retries or dead-letters the job. */
export async function runJob(definition: AnyJobDefinition, job: PgBoss.JobWithMetadata<unknown>): Promise<void> {
  const attempt = job.retryCount + 1;
  const attempts = job.retryLimit + 1;
  let log = logger.child({ job: definition.name, jobId: job.id, attempt, attempts });
  const parsed = definition.schema.safeParse(job.data);
  if (!parsed.success) {
    // Retrying cannot fix the data: straight to the ledger, and the queue counts the job done.
    log.error("job data does not match the job's schema; dead-lettered without retrying", {
      issues: parsed.error.issues,
    });
    await recordDeadJob({
      queue: definition.name,
      data: job.data,
      error: `Invalid job data: ${parsed.error.message}`,
      attempts: attempt,
      sourceJobId: job.id,
    });
    return;
  }
  // Jobs about one shop carry its domain: every line they log names it.
  const shop = (parsed.data as { shopDomain?: unknown } | null)?.shopDomain;
  if (typeof shop === "string") log = log.child({ shop });
  const started = Date.now();
  try {
    await definition.handler(parsed.data, { jobId: job.id, attempt, attempts, log });
    log.debug("job done", { ms: Date.now() - started });
  } catch (error) {
    const willRetry = attempt < attempts;
    log.error(willRetry ? "job failed; will retry" : "job failed for good; dead-lettered", {
      error,
      ms: Date.now() - started,
    });
    throw error;
  }
}

function deadLetterEntry(queue: string, job: PgBoss.JobWithMetadata<unknown>) {
  return {
    queue,
    data: job.data,
    error: describeJobError(withoutHolderTag(job.output)),
    // The dead-letter copy carries the original's retry limit: every attempt was used.
    attempts: job.retryLimit + 1,
    sourceJobId: job.id,
  };
}

/** The output as the failure left it, without the tag its claim added (claim-tag.server.ts). */
function withoutHolderTag(output: unknown): unknown {
  if (typeof output !== "object" || output === null || !(HOLDER_FIELD in output)) return output;
  const { [HOLDER_FIELD]: _holder, ...rest } = output as Record<string, unknown>;
  return rest;
}
