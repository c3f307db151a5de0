import type PgBoss from "pg-boss";
import type { ZodType } from "zod";
import { logger, type Logger } from "~/lib/logger.server";
import {
  addWorker,
  DEAD_LETTER_POLLING_INTERVAL_SECONDS,
  deadLetterQueueName,
  ensureQueue,
  POLLING_INTERVAL_SECONDS,
  queueState,
  sendJob,
  stopQueue,
  type QueueSettings,
  type QueueState,
  type SendOptions,
} from "./boss.server";
import { describeJobError, recordDeadJob } from "./dead-letters.server";

// Durable jobs (docs/decisions/003-durable-jobs.md): define a job once, enqueue it from anywhere,
// and the workers of whichever processes run them (the web process, `npm run worker` processes)
// execute it at least once, with retries and backoff; a job that fails
// for good lands in the Job ledger, where it can be retried.

export interface JobContext {
  /** pg-boss job id. */
  jobId: string;
  /** 1 for the first run, 2 for the first retry, … */
  attempt: number;
  /** A child logger carrying the job's name, id and attempt. */
  log: Logger;
}

export interface JobDefinition<T> {
  /** Queue name: letters, digits, dashes, underscores. Stable: renaming strands queued jobs. */
  name: string;
  /** Checked when enqueuing and again before the handler runs (older queued data, raw sends). */
  schema: ZodType<T>;
  /** Must be idempotent: a job can run more than once (a retry after a crash mid-way). */
  handler(data: T, context: JobContext): Promise<void>;
  /** Retries after the first attempt (default 3). */
  retryLimit?: number;
  /** Delay before a retry (default 5 s); with backoff, the base of an exponential delay. */
  retryDelaySeconds?: number;
  /** Exponential backoff with jitter between retries (default true). */
  retryBackoff?: boolean;
  /** A run taking longer counts as failed (default 15 minutes). */
  timeoutSeconds?: number;
  /** Jobs of this kind a single process runs at once (default 1). */
  concurrency?: number;
}

/** A job definition of any data type, for lists of them (the registry). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own data type
export type AnyJobDefinition = JobDefinition<any>;

const DEFAULTS = { retryLimit: 3, retryDelaySeconds: 5, retryBackoff: true, timeoutSeconds: 15 * 60, concurrency: 1 };

export function defineJob<T>(definition: JobDefinition<T>): JobDefinition<T> {
  if (!/^[A-Za-z0-9_-]+$/.test(definition.name)) {
    throw new Error(`Job name "${definition.name}": use letters, digits, dashes and underscores only`);
  }
  return definition;
}

function queueSettings(definition: AnyJobDefinition): QueueSettings {
  return {
    name: definition.name,
    retryLimit: definition.retryLimit ?? DEFAULTS.retryLimit,
    retryDelaySeconds: definition.retryDelaySeconds ?? DEFAULTS.retryDelaySeconds,
    retryBackoff: definition.retryBackoff ?? DEFAULTS.retryBackoff,
    timeoutSeconds: definition.timeoutSeconds ?? DEFAULTS.timeoutSeconds,
  };
}

export type EnqueueOptions = SendOptions;

/**
 * Queues a job. Throws a ZodError if `data` does not match the job's schema (nothing is queued).
 * Returns the job id, or null when `singletonKey` matched a job that is still waiting.
 *
 * The queue has its own connections: a job enqueued inside a `db.$transaction(…)` callback is
 * visible to workers even if that transaction later rolls back. Enqueue after the commit.
 */
export async function enqueue<T>(job: JobDefinition<T>, data: T, options: EnqueueOptions = {}): Promise<string | null> {
  job.schema.parse(data);
  const state = await queueState();
  await ensureQueue(state, queueSettings(job));
  return sendJob(state, job.name, data as object, options);
}

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
export async function startJobWorkers(definitions?: readonly AnyJobDefinition[]): Promise<void> {
  const list = definitions ?? (await import("./registry.server")).jobDefinitions;
  for (const definition of list) latestDefinitions.set(definition.name, definition);
  const state = await queueState();
  for (const definition of list) {
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
}

async function startWorkersFor(state: QueueState, definition: AnyJobDefinition): Promise<void> {
  await ensureQueue(state, queueSettings(definition));
  const concurrency = Math.max(1, definition.concurrency ?? DEFAULTS.concurrency);
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
    await definition.handler(parsed.data, { jobId: job.id, attempt, log });
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
    error: describeJobError(job.output),
    // The dead-letter copy carries the original's retry limit: every attempt was used.
    attempts: job.retryLimit + 1,
    sourceJobId: job.id,
  };
}

/** Stops this process's workers gracefully (in-flight jobs finish or go back to the queue). */
export async function stopJobs(): Promise<void> {
  await stopQueue();
}
