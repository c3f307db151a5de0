import { randomInt } from "node:crypto";
import { logger } from "~/lib/logger.server";
import {
  isDeadLetterQueue,
  JOB_QUEUE_SCHEMA,
  openDedicatedSession,
  wakeWorkers,
  type DedicatedSession,
  type QueueState,
  type SqlExecutor,
} from "./boss.server";
import { HOLDER_FIELD } from "./claim-tag.server";

// Crash recovery (docs/decisions/013-job-crash-recovery.md). pg-boss 10 only knows a job is
// `active`, not who runs it, and hands a crashed process's jobs back only when their expiry runs out
// (15 min by default, an hour for a backfill step). So:
//
// - Each process that runs jobs holds a session-level advisory lock (HOLDER_LOCK_CLASS, its own
//   random key) on a connection of its own for its whole life. PostgreSQL drops it the moment that
//   connection closes: at once when the process dies on this machine (kill -9, OOM), within ~25 s of
//   keepalives when a machine vanishes.
// - The statement that claims jobs tags each one with that key (claim-tag.server.ts).
// - A sweep, when workers start and every RECOVERY_SWEEP_SECONDS in every such process, hands back
//   to its queue every active job whose holder's lock is gone. A live process's jobs are never
//   touched, however long they run: no lease to renew, no clock to trust. An active job without a
//   tag (claimed by an older version during a deploy) is left to pg-boss's expiry as before.

const log = logger.child({ component: "jobs" });

/** First half of every holder lock key: "a Shopdesk process that runs jobs". */
export const HOLDER_LOCK_CLASS = 0x5d0b05;
/** How often each job-running process looks for jobs of processes that are gone. */
export const RECOVERY_SWEEP_SECONDS = 10;
/** What a recovered job's failed attempt says (the Job ledger shows it if it was the last one). */
export const RECOVERED_MESSAGE = "Its process stopped while running it (crash, kill or lost machine)";

export interface Recovery {
  holderKey: number;
}

/**
 * Takes this process's holder lock, hands back what stopped processes left running (logging each
 * job and the count), and sweeps again every RECOVERY_SWEEP_SECONDS until the queue stops. Once per
 * queue instance; call before any worker starts.
 */
export function ensureRecovery(state: QueueState): Promise<Recovery> {
  state.recovery ??= startRecovery(state).catch((error: unknown) => {
    delete state.recovery; // the next startJobWorkers tries again
    throw error;
  });
  return state.recovery;
}

async function startRecovery(state: QueueState): Promise<Recovery> {
  let session = await openDedicatedSession();
  const holderKey = await takeHolderKey(session);
  state.holder.key = holderKey; // from now on the jobs this process claims name it
  const recovery = { holderKey };
  let lost = false;
  const watch = (current: DedicatedSession) =>
    current.onLost((error) => {
      lost = true;
      log.error("job holder connection lost; reconnecting (other processes may take over its jobs)", { error });
    });
  watch(session);

  const recovered = await sweep(state, session);
  log.info("recovery sweep at start", { recovered, holderKey });

  let sweeping = false;
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    void (async () => {
      if (lost) {
        await session.close();
        session = await openDedicatedSession();
        state.holder.key = await takeHolderKey(session, holderKey);
        lost = false;
        watch(session);
        log.info("job holder connection restored", { holderKey });
      }
      const count = await sweep(state, session);
      if (count > 0) log.warn("recovery sweep handed back jobs of stopped processes", { recovered: count });
    })()
      .catch((error: unknown) => log.error("recovery sweep failed", { error }))
      .finally(() => (sweeping = false));
  }, RECOVERY_SWEEP_SECONDS * 1000);
  timer.unref();

  state.afterStop.push(async () => {
    clearInterval(timer);
    await session.close(); // releases the holder lock: nothing of ours is running any more
  });
  return recovery;
}

/** A key no live process holds (or `wanted`, after a reconnect), locked for this session's life. */
async function takeHolderKey(session: DedicatedSession, wanted?: number): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const key = wanted !== undefined && attempt === 0 ? wanted : randomInt(1, 2 ** 31 - 1);
    const { rows } = await session.executeSql("SELECT pg_try_advisory_lock($1::int, $2::int) AS taken", [
      HOLDER_LOCK_CLASS,
      key,
    ]);
    if ((rows[0] as { taken: boolean }).taken) return key;
  }
}

interface Orphan {
  name: string;
  id: string;
  holder: number;
}

// Active jobs whose holder lock nobody holds. Locked (SKIP LOCKED) so two processes sweeping at once
// never hand back the same job twice.
const ORPHANS_SQL = `
  WITH live AS (
    SELECT objid::bigint AS holder FROM pg_locks
    WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid = $1::int::oid
      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
  )
  SELECT j.name, j.id::text AS id, (j.output ->> '${HOLDER_FIELD}')::numeric::float8 AS holder
  FROM ${JOB_QUEUE_SCHEMA}.job j
  WHERE j.state = 'active'
    AND CASE WHEN jsonb_typeof(j.output -> '${HOLDER_FIELD}') = 'number'
      THEN (j.output ->> '${HOLDER_FIELD}')::numeric NOT IN (SELECT holder FROM live)
      ELSE false END
  FOR UPDATE OF j SKIP LOCKED`;

/** Hands orphaned jobs back to their queues; returns how many. */
async function sweep(state: QueueState, session: DedicatedSession): Promise<number> {
  const orphans = await session.transaction(async (tx) => {
    const { rows } = await tx.executeSql(ORPHANS_SQL, [HOLDER_LOCK_CLASS]);
    const found = rows as Orphan[];
    for (const [queue, jobs] of groupByQueue(found)) await handBack(state, tx, queue, jobs);
    return found;
  });
  for (const orphan of orphans) {
    log.warn("job recovered from a stopped process", {
      job: orphan.name,
      jobId: orphan.id,
      holder: orphan.holder,
    });
  }
  for (const queue of new Set(orphans.map((orphan) => orphan.name))) wakeWorkers(state, queue);
  return orphans.length;
}

function groupByQueue(orphans: Orphan[]): Map<string, string[]> {
  const byQueue = new Map<string, string[]>();
  for (const { name, id } of orphans) byQueue.set(name, [...(byQueue.get(name) ?? []), id]);
  return byQueue;
}

/**
 * pg-boss's own fail (so retries, the retry limit and the dead-letter queue apply as to any failed
 * attempt: a job that crashes its process every time ends in the ledger), then due at once: the
 * crash was not the job's fault, and a backoff would push the recovery past the target.
 */
async function handBack(state: QueueState, tx: SqlExecutor, queue: string, jobIds: string[]): Promise<void> {
  if (isDeadLetterQueue(queue)) {
    // A dead-letter copy only waits to be written to the Job ledger, and its output is the original
    // failure the ledger shows: back to waiting as it was, not failed with our message.
    await tx.executeSql(
      `UPDATE ${JOB_QUEUE_SCHEMA}.job SET state = 'retry', start_after = now(), output = output - '${HOLDER_FIELD}'
       WHERE name = $1 AND id = ANY($2::uuid[]) AND state = 'active'`,
      [queue, jobIds],
    );
    return;
  }
  // pg-boss 10's types leave out fail(name, ids, data, options), which its code accepts.
  const fail = state.boss.fail.bind(state.boss) as unknown as (
    name: string,
    ids: string[],
    data: object,
    options: { db: SqlExecutor },
  ) => Promise<unknown>;
  await fail(queue, jobIds, { message: RECOVERED_MESSAGE }, { db: tx });
  await tx.executeSql(
    `UPDATE ${JOB_QUEUE_SCHEMA}.job SET start_after = now()
     WHERE name = $1 AND id = ANY($2::uuid[]) AND state = 'retry'`,
    [queue, jobIds],
  );
}
