import type { ZodType } from "zod";
import type { Logger } from "~/lib/logger.server";
import { ensureQueue, queueState, sendJob, stopQueue, type QueueSettings, type SendOptions } from "./boss.server";

// Durable jobs (docs/decisions/003-durable-jobs.md): define a job once, enqueue it from anywhere,
// and the workers of whichever processes run them (the web process, `npm run worker` processes)
// execute it at least once, with retries and backoff; a job that fails
// for good lands in the Job ledger, where it can be retried.
//
// This module is the producing side: what a job is and how to queue one. It imports no handler, so
// a service can enqueue a job whose handler calls that same service; the running side (workers,
// the registry of handlers) is workers.server.ts.

export interface JobContext {
  /** pg-boss job id. */
  jobId: string;
  /** 1 for the first run, 2 for the first retry, … */
  attempt: number;
  /** Runs this job has in all (its retry limit + 1): `attempt === attempts` is its last chance. */
  attempts: number;
  /** A child logger carrying the job's name, id and attempt. */
  log: Logger;
}

/** What queuing a job needs: its name, data and queue settings. A JobDefinition is one too. */
export interface JobKind<T> {
  /** Queue name: letters, digits, dashes, underscores. Stable: renaming strands queued jobs. */
  name: string;
  /** Checked when enqueuing and again before the handler runs (older queued data, raw sends). */
  schema: ZodType<T>;
  /** Retries after the first attempt (default 3). */
  retryLimit?: number;
  /** Delay before a retry (default 5 s); with backoff, the base of an exponential delay. */
  retryDelaySeconds?: number;
  /** Exponential backoff with jitter between retries (default true). */
  retryBackoff?: boolean;
  /** A run taking longer counts as failed (default 15 minutes). */
  timeoutSeconds?: number;
}

export interface JobDefinition<T> extends JobKind<T> {
  /** Must be idempotent: a job can run more than once (a retry after a crash mid-way). */
  handler(data: T, context: JobContext): Promise<void>;
  /** Jobs of this kind a single process runs at once (default 1). */
  concurrency?: number;
}

/** A job definition of any data type, for lists of them (the registry). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own data type
export type AnyJobDefinition = JobDefinition<any>;

/** What a definition leaves out. */
export const JOB_DEFAULTS = {
  retryLimit: 3,
  retryDelaySeconds: 5,
  retryBackoff: true,
  timeoutSeconds: 15 * 60,
  concurrency: 1,
};

/**
 * A job that producers queue without importing its handler (which may import them): the handler
 * joins it in a module of its own, `defineJob({ ...kind, handler })`.
 */
export function defineJobKind<T>(kind: JobKind<T>): JobKind<T> {
  if (!/^[A-Za-z0-9_-]+$/.test(kind.name)) {
    throw new Error(`Job name "${kind.name}": use letters, digits, dashes and underscores only`);
  }
  return kind;
}

export function defineJob<T>(definition: JobDefinition<T>): JobDefinition<T> {
  defineJobKind(definition);
  return definition;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- settings do not depend on the data type
export function queueSettings(definition: JobKind<any>): QueueSettings {
  return {
    name: definition.name,
    retryLimit: definition.retryLimit ?? JOB_DEFAULTS.retryLimit,
    retryDelaySeconds: definition.retryDelaySeconds ?? JOB_DEFAULTS.retryDelaySeconds,
    retryBackoff: definition.retryBackoff ?? JOB_DEFAULTS.retryBackoff,
    timeoutSeconds: definition.timeoutSeconds ?? JOB_DEFAULTS.timeoutSeconds,
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
export async function enqueue<T>(job: JobKind<T>, data: T, options: EnqueueOptions = {}): Promise<string | null> {
  job.schema.parse(data);
  const state = await queueState();
  await ensureQueue(state, queueSettings(job));
  return sendJob(state, job.name, data as object, options);
}

const STOP_HOOKS_KEY = Symbol.for("shopdesk.jobStopHooks");
type StopHooksGlobal = typeof globalThis & { [STOP_HOOKS_KEY]?: Set<() => Promise<void>> };
const stopHooks = ((globalThis as StopHooksGlobal)[STOP_HOOKS_KEY] ??= new Set());

/** Runs `hook` when stopJobs stops this process's workers (workers outside pg-boss: decision 014). */
export function onStopJobs(hook: () => Promise<void>): () => void {
  stopHooks.add(hook);
  return () => stopHooks.delete(hook);
}

/** Stops this process's workers gracefully (in-flight jobs finish or go back to the queue). */
export async function stopJobs(): Promise<void> {
  for (const hook of [...stopHooks]) await hook();
  await stopQueue();
}
