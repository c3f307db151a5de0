import { db } from "~/db.server";
import type { Job, Prisma } from "~/generated/prisma/client";
import { logger } from "~/lib/logger.server";
import { queueState, sendJob } from "./boss.server";

// The Job ledger: jobs that failed for good, for the home page to count and a person to retry or
// discard. Filled from each queue's pg-boss dead-letter queue (pg-boss copies a job there in the
// same statement that marks it failed, whatever the cause: handler errors, timeouts, a shutdown
// on the last attempt) and directly for data that no longer matches its job's schema.

export interface DeadJobInput {
  queue: string;
  data: unknown;
  error: string;
  attempts: number;
  sourceJobId: string;
}

const MAX_ERROR_LENGTH = 2000;

/** Records a dead job once: the same source job recorded again (a redelivery) changes nothing. */
export async function recordDeadJob(input: DeadJobInput): Promise<Job> {
  const entry = await db.job.upsert({
    where: { sourceJobId: input.sourceJobId },
    update: {},
    create: {
      queue: input.queue,
      shopId: await shopIdOf(input.data),
      data: (input.data ?? {}) as Prisma.InputJsonValue,
      error: input.error.slice(0, MAX_ERROR_LENGTH),
      attempts: input.attempts,
      sourceJobId: input.sourceJobId,
    },
  });
  logger.warn("job dead-lettered", { job: entry.queue, deadJobId: entry.id, shopId: entry.shopId ?? undefined });
  return entry;
}

/** The shop a job was about: jobs carry its id or, most (sync and webhook jobs), its domain. */
async function shopIdOf(data: unknown): Promise<string | null> {
  if (typeof data !== "object" || data === null) return null;
  if ("shopId" in data && typeof data.shopId === "string") return data.shopId;
  if (!("shopDomain" in data) || typeof data.shopDomain !== "string") return null;
  const shop = await db.shop.findUnique({ where: { domain: data.shopDomain }, select: { id: true } });
  return shop?.id ?? null;
}

/** A readable line from what pg-boss stored as a failed job's output. */
export function describeJobError(output: unknown): string {
  if (typeof output !== "object" || output === null) return "Unknown error";
  const { name, message, value } = output as { name?: unknown; message?: unknown; value?: unknown };
  if (typeof message === "string")
    return typeof name === "string" && name !== "Error" ? `${name}: ${message}` : message;
  if (typeof value === "string") return value; // e.g. "pg-boss shut down while active"
  if (typeof value === "object" && value !== null && "message" in value && typeof value.message === "string") {
    return value.message; // e.g. "job failed by timeout in active state"
  }
  return JSON.stringify(output);
}

export interface DeadJobFilter {
  shopId?: string;
  queue?: string;
}

function deadJobsWhere(filter: DeadJobFilter): Prisma.JobWhereInput {
  return {
    status: "dead",
    ...(filter.shopId ? { shopId: filter.shopId } : {}),
    ...(filter.queue ? { queue: filter.queue } : {}),
  };
}

/** Jobs waiting for a person (status dead). */
export function countDeadJobs(filter: DeadJobFilter = {}): Promise<number> {
  return db.job.count({ where: deadJobsWhere(filter) });
}

/** Most recent first. */
export function listDeadJobs(filter: DeadJobFilter & { take?: number } = {}): Promise<Job[]> {
  return db.job.findMany({ where: deadJobsWhere(filter), orderBy: { failedAt: "desc" }, take: filter.take ?? 50 });
}

/**
 * Sends a dead job back to its queue with a fresh set of attempts. Returns the new pg-boss job id,
 * or null if the entry is not dead (already retried or discarded: a double click does nothing).
 */
export async function retryDeadJob(id: string): Promise<string | null> {
  const claimed = await db.job.updateMany({
    where: { id, status: "dead" },
    data: { status: "retried", retriedAt: new Date() },
  });
  if (claimed.count === 0) return null;
  const entry = await db.job.findUniqueOrThrow({ where: { id } });
  try {
    const state = await queueState();
    const retryJobId = await sendJob(state, entry.queue, (entry.data ?? {}) as object);
    await db.job.update({ where: { id }, data: { retryJobId } });
    logger.info("dead job retried", { job: entry.queue, deadJobId: id, retryJobId });
    return retryJobId;
  } catch (error) {
    await db.job.update({ where: { id }, data: { status: "dead", retriedAt: null } });
    throw error;
  }
}

/** Dismisses a dead job (kept as a record). Returns false if it was not dead. */
export async function discardDeadJob(id: string): Promise<boolean> {
  const { count } = await db.job.updateMany({ where: { id, status: "dead" }, data: { status: "discarded" } });
  return count === 1;
}
