import { randomUUID } from "node:crypto";
import pg from "pg";
import PgBoss from "pg-boss";
import { databaseUrl, onDatabaseClose } from "~/db.server";
import { logger } from "~/lib/logger.server";
import { tagClaims } from "./claim-tag.server";

// The pg-boss instance of this process (docs/decisions/003-durable-jobs.md), with a small pool of
// its own beside Prisma's.

const log = logger.child({ component: "jobs" });

/** What pg-boss needs from a database when it is given one (`new PgBoss({ db })`). */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number }>;
}

/** pg-boss keeps its tables in this schema; `migrate.mjs reset` drops it too. */
export const JOB_QUEUE_SCHEMA = "pgboss";

/** How often an idle worker looks for new jobs: a webhook is picked up within about a second. */
export const POLLING_INTERVAL_SECONDS = 0.5;

/** Dead-letter queues are only read to fill the Job ledger: no hurry. */
export const DEAD_LETTER_POLLING_INTERVAL_SECONDS = 2;

/** Each job queue has its own dead-letter queue, so the ledger knows where a dead job came from. */
const DEAD_LETTER_SUFFIX = "__dead";
export const deadLetterQueueName = (queue: string) => `${queue}${DEAD_LETTER_SUFFIX}`;
export const isDeadLetterQueue = (queue: string) => queue.endsWith(DEAD_LETTER_SUFFIX);

export interface QueueSettings {
  name: string;
  retryLimit: number;
  retryDelaySeconds: number;
  retryBackoff: boolean;
  timeoutSeconds: number;
}

export interface QueueState {
  boss: PgBoss;
  /** Queues created (or updated) by this process, by name. */
  ensured: Map<string, Promise<void>>;
  /** Queues this process works on. */
  subscribed: Set<string>;
  /** Worker ids per queue, to wake a local worker when a job is sent. */
  workers: Map<string, string[]>;
  /** This process's holder key once it holds its holder lock: the jobs it claims carry it. */
  holder: { key: number | null };
  /** Crash recovery of this process (recovery.server.ts), once its workers start. */
  recovery?: Promise<{ holderKey: number }>;
  /** Run after pg-boss stopped (its jobs finished or went back to the queue), last first. */
  afterStop: (() => Promise<void>)[];
  unregisterCloseHook: () => void;
}

// On globalThis for the same reason as the database: Vite dev re-evaluates modules.
const GLOBAL_KEY = Symbol.for("shopdesk.jobQueue");
type QueueGlobal = typeof globalThis & { [GLOBAL_KEY]?: Promise<QueueState> };
const holder = globalThis as QueueGlobal;

function createBoss(holder: QueueState["holder"]): { boss: PgBoss; closeDb: () => Promise<void> } {
  const database = postgresPool();
  // Every statement goes through here, so pg-boss's job claims name this process (claim-tag.server.ts).
  const db: SqlExecutor = {
    executeSql: (text, values) =>
      database.executor.executeSql(holder.key === null ? text : tagClaims(text, holder.key), values),
  };
  const boss = new PgBoss({
    schema: JOB_QUEUE_SCHEMA,
    db,
    migrate: true, // pg-boss installs and upgrades its own schema, under an advisory lock
    supervise: true, // maintenance (expire, archive, purge); one process does it per interval
    schedule: false, // no cron jobs yet: spares a timekeeper queue and its polling
  });
  return { boss, closeDb: database.close };
}

/** pg-boss's small pool (what it would open itself, given the URL). */
function postgresPool() {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, application_name: "shopdesk-jobs" });
  pool.on("error", (error) => log.error("job queue connection error", { error }));
  let ended = false;
  const executor: SqlExecutor = {
    // As pg-boss's own pool answers: for a script of several statements, node-postgres's array of
    // results, which is what pg-boss expects there.
    executeSql: (text, values) => {
      // A job that finished after the queue stopped (past the stop's wait) would have pg-boss
      // record it on a closed pool, and pg-boss does not await that write: an unhandled
      // rejection. Dropped instead, as a crash would drop it: the job runs again after recovery
      // (decision 013), and handlers are idempotent. `rows: null` is what pg-boss reads as
      // "nothing affected" (complete, fail) and "no jobs" (fetch); `[]` makes it read rows[0].count.
      if (ended) {
        log.warn("job queue write after stop dropped", { statement: text.slice(0, 60) });
        return Promise.resolve({ rows: null, rowCount: 0 } as never);
      }
      return pool.query(text, values) as Promise<never>;
    },
  };
  return {
    executor,
    close: () => {
      ended = true;
      return pool.end();
    },
  };
}

async function startQueue(): Promise<QueueState> {
  const holder: QueueState["holder"] = { key: null };
  const { boss, closeDb } = createBoss(holder);
  boss.on("error", (error) => log.error("job queue error", { error }));
  await boss.start();
  // Registered before the database closes, so in-flight jobs finish while it still works.
  const unregisterCloseHook = onDatabaseClose(() => stopQueue());
  return {
    boss,
    holder,
    ensured: new Map(),
    subscribed: new Set(),
    workers: new Map(),
    afterStop: [closeDb], // runs last
    unregisterCloseHook,
  };
}

/** The started queue of this process (started on first use). */
export function queueState(): Promise<QueueState> {
  if (!holder[GLOBAL_KEY]) {
    const starting = startQueue();
    holder[GLOBAL_KEY] = starting;
    starting.catch(() => {
      if (holder[GLOBAL_KEY] === starting) delete holder[GLOBAL_KEY]; // let the next call retry
    });
  }
  return holder[GLOBAL_KEY];
}

/** The pg-boss instance, for admin tooling and tests (send raw data, inspect a job). */
export async function jobQueue(): Promise<PgBoss> {
  return (await queueState()).boss;
}

/**
 * Stops the queue of this process: workers stop fetching, in-flight jobs get `graceTimeoutMs` to
 * finish, then any still running are failed back to the queue (another attempt later).
 */
export async function stopQueue(graceTimeoutMs = 20_000): Promise<void> {
  const current = holder[GLOBAL_KEY];
  if (!current) return;
  delete holder[GLOBAL_KEY];
  const state = await current.catch(() => null);
  if (!state) return;
  state.unregisterCloseHook();
  await state.boss.stop({ graceful: true, wait: true, timeout: graceTimeoutMs });
  for (const hook of state.afterStop.reverse()) {
    await hook().catch((error: unknown) => log.error("job queue stop step failed", { error }));
  }
}

/**
 * A database session of its own for as long as the process runs jobs: session-level advisory locks
 * live exactly as long as it does (see recovery.server.ts), and transactions on it interleave with
 * nothing else.
 */
export interface DedicatedSession extends SqlExecutor {
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Called once if the connection breaks (the server restarted, the network dropped). */
  onLost(listener: (error: unknown) => void): void;
  close(): Promise<void>;
}

export async function openDedicatedSession(): Promise<DedicatedSession> {
  const client = new pg.Client({
    connectionString: databaseUrl,
    application_name: "shopdesk-jobs-holder",
    keepAlive: true,
  });
  await client.connect();
  // A machine that vanishes without closing its connection: PostgreSQL notices within ~25 s instead
  // of the OS default of two hours. And no idle timeout may end a session that is idle by design.
  for (const setting of [
    "tcp_keepalives_idle = 10",
    "tcp_keepalives_interval = 5",
    "tcp_keepalives_count = 3",
    "idle_session_timeout = 0",
  ]) {
    await client.query(`SET ${setting}`).catch(() => {}); // absent on older servers, no-op on sockets
  }
  let chain: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const result = chain.then(work, work);
    chain = result.catch(() => {});
    return result;
  };
  const run = async (text: string, values?: unknown[]) => {
    const result = await client.query(text, values);
    return { rows: result.rows as unknown[], rowCount: result.rowCount ?? result.rows.length };
  };
  let lost = false;
  const listeners: ((error: unknown) => void)[] = [];
  const onBroken = (error: unknown) => {
    if (lost) return;
    lost = true;
    for (const listener of listeners) listener(error);
  };
  client.on("error", onBroken);
  client.on("end", () => onBroken(new Error("connection ended")));
  let closed = false;
  return {
    executeSql: (text, values) => serialized(() => run(text, values)),
    transaction: (work) =>
      serialized(async () => {
        await client.query("BEGIN");
        try {
          const result = await work({ executeSql: run });
          await client.query("COMMIT");
          return result;
        } catch (error) {
          await client.query("ROLLBACK").catch(() => {});
          throw error;
        }
      }),
    onLost: (listener) => listeners.push(listener),
    close: async () => {
      if (closed) return;
      closed = true;
      lost = true; // an intended end is no loss
      await client.end().catch(() => {});
    },
  };
}

/**
 * Creates the queue and its dead-letter queue, or brings their settings in line with the job
 * definition (createQueue ignores an existing queue). Once per process and queue.
 */
export function ensureQueue(state: QueueState, settings: QueueSettings): Promise<void> {
  let ensured = state.ensured.get(settings.name);
  if (!ensured) {
    ensured = createOrUpdateQueue(state.boss, settings);
    state.ensured.set(settings.name, ensured);
    ensured.catch(() => state.ensured.delete(settings.name));
  }
  return ensured;
}

async function createOrUpdateQueue(boss: PgBoss, settings: QueueSettings): Promise<void> {
  const deadLetter = deadLetterQueueName(settings.name);
  const options: PgBoss.Queue = {
    name: settings.name,
    // "short": at most one *waiting* job per singletonKey (see sendJob).
    policy: "short",
    retryLimit: settings.retryLimit,
    retryDelay: settings.retryDelaySeconds,
    retryBackoff: settings.retryBackoff,
    expireInSeconds: settings.timeoutSeconds,
    deadLetter,
  };
  await createQueueOnce(boss, deadLetter, {
    name: deadLetter,
    // Standard policy: pg-boss inserts dead-letter copies without a singleton key, so under
    // "short" a second dead job would collide with the first one still waiting there.
    policy: "standard",
  });
  await createQueueOnce(boss, settings.name, options);
  await boss.updateQueue(settings.name, options); // createQueue leaves an existing queue as it was
}

const DEADLOCK = "40P01";

/**
 * pg-boss creates a queue as a partition of its job table. Two processes starting together (two
 * workers after a deploy) can deadlock attaching partitions; PostgreSQL aborts one of them, which
 * then finds the queue created or tries again.
 */
async function createQueueOnce(boss: PgBoss, name: string, options: PgBoss.Queue): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if (await boss.getQueue(name)) return;
    try {
      await boss.createQueue(name, options);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== DEADLOCK || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
    }
  }
}

export interface SendOptions {
  /** While a job with this key waits in the queue, sending another one with it is a no-op (null). */
  singletonKey?: string;
  /** A Date, or a delay in seconds. */
  startAfter?: Date | number;
}

/** Sends data to a queue that ensureQueue created; returns the job id, or null if deduplicated. */
export async function sendJob(
  state: QueueState,
  queue: string,
  data: object,
  options: SendOptions = {},
): Promise<string | null> {
  const id = await state.boss.send(queue, data, {
    // Under the "short" policy every job without a key would share the empty key and only one
    // could wait at a time: a job that does not ask for deduplication gets a key of its own.
    singletonKey: options.singletonKey ?? `unique:${randomUUID()}`,
    ...(options.startAfter !== undefined ? { startAfter: options.startAfter } : {}),
  });
  // A worker of this process is waiting out its polling interval: wake it now.
  if (id && options.startAfter === undefined) wakeWorkers(state, queue);
  return id;
}

export function wakeWorkers(state: QueueState, queue: string): void {
  for (const workerId of state.workers.get(queue) ?? []) state.boss.notifyWorker(workerId);
}

export function addWorker(state: QueueState, queue: string, workerId: string): void {
  state.workers.set(queue, [...(state.workers.get(queue) ?? []), workerId]);
}
