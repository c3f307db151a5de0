// Crash recovery on PostgreSQL: the app (real webhook routes behind node:http, job workers in the
// web process as deployed by default) in a process of its own, an installed and imported shop, a
// storm of 1,000 signed orders/updated deliveries (`--deliveries N`), 32 in flight
// (`--concurrency N`). Halfway through the acknowledgements the app is killed with SIGKILL and
// started again at once; the sender retries what was not acknowledged, as Shopify does. Then the
// same with the web process not running jobs (JOBS_IN_PROCESS=false) and one `npm run worker`
// process, which is what gets killed and restarted: the same figures, named recovery-worker-….
//   restart-to-last-job-seconds  new process spawned → the last event that was acknowledged but not
//                                yet processed at the kill is processed (target ≤ 60 s)
//   lost-events                  acknowledged events never processed (within --max-wait seconds
//                                after the storm; must be 0)
//   restart-to-recovered-jobs-seconds  new process spawned → every webhook event a worker held (its
//                                lease) at the kill has run again and completed (the rest is backlog)
//   restart-to-listening-seconds new process spawned → it answers HTTP (the floor of both)
//   in-flight-at-kill, active-jobs-at-kill, jobs-recovered  what the kill left (unprocessed events,
//                                events under a worker's lease), and what the new process logged as recovered
// On a fresh embedded PostgreSQL (the default install), or a new database on BENCH_DATABASE_URL's
// server (see benchDatabase in support.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { Pool } from "undici";
import { DEV_APP_CREDENTIALS, freePort, migrateDatabase, webhookSubscriptionsFromToml } from "../dev/stack.ts";
import { startStoreEmulator } from "../dev/store-emulator/index.ts";
import { orderPayload, shopTime } from "../dev/store-emulator/payloads.ts";
import { adminHostParam, webhookHeaders } from "../dev/store-emulator/signing.ts";
import {
  appHandlers,
  BENCH_SHOP,
  benchDatabase,
  listen,
  numberFlag,
  poll,
  report,
  seconds,
  serveRoutes,
  sleep,
} from "./support.ts";

const CHILD_FLAG = "--app-process";
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

if (process.argv.includes(CHILD_FLAG)) await runAppProcess();
else await runBench();

/** The app as a deployment runs it: HTTP routes and, in the same process, the job workers. */
async function runAppProcess() {
  await import("../dev/intercept.mjs");
  const { ensureInProcessWorkers } = await import("~/jobs/runtime.server");
  const listening = listen(
    serveRoutes(await appHandlers(), () => process.env.SHOPIFY_APP_URL!),
    Number(process.env.PORT),
  );
  await ensureInProcessWorkers();
  await listening;
}

async function runBench() {
  await runScenario("web");
  await runScenario("worker");
}

/** Which process the kill hits: the web process running the jobs, or a separate worker process. */
type Victim = "web" | "worker";

async function runScenario(victim: Victim) {
  const figure = victim === "web" ? "recovery" : "recovery-worker";
  const deliveriesWanted = numberFlag("deliveries", 1000);
  const concurrency = numberFlag("concurrency", 32);
  const maxWaitMs = numberFlag("max-wait", 300) * 1000;
  const database = await benchDatabase();
  const databaseUrl = database.url;
  console.error(`${figure}: on ${database.description}`);
  const logDir = mkdtempSync(path.join(os.tmpdir(), "shopdesk-bench-recovery-"));
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  db.on("error", () => {}); // an idle connection ended by the DROP DATABASE at the end
  let app: AppProcess | null = null;
  let worker: AppProcess | null = null;
  let finished = false;
  const emulatorCleanup: (() => Promise<void>)[] = [];
  try {
    migrateDatabase(databaseUrl);
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    const { apiKey, apiSecret } = DEV_APP_CREDENTIALS;
    const shop = BENCH_SHOP.domain;
    const emulator = await startStoreEmulator({
      app: { apiKey, apiSecret, url: appUrl },
      webhooks: webhookSubscriptionsFromToml(),
      seed: {
        ordersPerShop: 200,
        customersPerShop: 50,
        shops: [BENCH_SHOP],
      },
    });
    emulatorCleanup.push(() => emulator.close());
    const env = {
      ...process.env,
      SHOPIFY_API_KEY: apiKey,
      SHOPIFY_API_SECRET: apiSecret,
      SHOPIFY_APP_URL: appUrl,
      SHOPDESK_EMULATOR_URL: emulator.url,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: "info",
      PORT: String(port),
      JOBS_IN_PROCESS: victim === "web" ? "true" : "false",
    };
    const startVictim = (life: number) =>
      victim === "web"
        ? startAppProcess(env, path.join(logDir, `app-${life}.log`))
        : startWorkerProcess(env, path.join(logDir, `worker-${life}.log`));

    app = startAppProcess(env, path.join(logDir, "app.log"));
    if (victim === "worker") worker = startVictim(1);
    await app.listening;
    await worker?.listening;
    const install = new URL("/app", appUrl);
    install.searchParams.set("embedded", "1");
    install.searchParams.set("shop", shop);
    install.searchParams.set("host", adminHostParam(shop));
    install.searchParams.set("id_token", emulator.sessionToken(shop));
    const installed = await fetch(install, { headers: { "user-agent": "Mozilla/5.0 Chrome/156.0" } });
    if (installed.status !== 200) throw new Error(`Install failed: ${installed.status} ${await installed.text()}`);
    await poll(
      "the import",
      async () => {
        const { rows } = await db.query(`SELECT "backfillStatus"::text AS status FROM "SyncState"`);
        return rows[0]?.status === "completed" ? true : null;
      },
      180_000,
      250,
    );

    // Signed in advance, each a newer version of one of the shop's orders with its own event id.
    const emulated = emulator.shop(shop);
    const orders = emulated.orders();
    const baseTime = Date.now();
    const deliveries = Array.from({ length: deliveriesWanted }, (_, index) => {
      const order = orders[index % orders.length]!;
      const body = JSON.stringify({
        ...(orderPayload(emulated.state, order) as object),
        note: `recovery bench ${index}`,
        updated_at: shopTime(new Date(baseTime + (index + 1) * 1000).toISOString(), emulated.record.ianaTimezone),
      });
      const eventId = randomUUID();
      return { eventId, body, headers: webhookHeaders({ topic: "orders/updated", shop, body, eventId }, apiSecret) };
    });

    const acknowledged = new Set<string>();
    let killed: { restartedAt: number; inFlight: string[]; activeJobs: string[] } | null = null;
    let killing: Promise<void> | null = null;
    const killAndRestart = async () => {
      const target = victim === "web" ? app! : worker!;
      target.child.kill("SIGKILL");
      await target.exited;
      const unprocessed = await db.query<{ eventId: string }>(
        `SELECT "eventId" FROM "WebhookEvent" WHERE status::text NOT IN ('processed', 'skipped')`,
      );
      // Webhook events are claimed from their own table with a lease (decision 014): the ones
      // a worker held when it was killed.
      const active = await db.query<{ id: string }>(
        `SELECT id FROM "WebhookEvent"
          WHERE "leasedUntil" > now() AND status::text NOT IN ('processed', 'skipped')`,
      );
      const restartedAt = performance.now();
      if (victim === "web") app = startVictim(2);
      else worker = startVictim(2);
      killed = {
        restartedAt,
        inFlight: unprocessed.rows.map((row) => row.eventId),
        activeJobs: active.rows.map((row) => row.id),
      };
    };

    // Shopify's side: every delivery until it is acknowledged (a refused or cut connection, or an
    // error status, is tried again shortly).
    const pool = new Pool(appUrl, { connections: concurrency });
    let next = 0;
    const sender = async () => {
      for (let index = next++; index < deliveries.length; index = next++) {
        const { eventId, body, headers } = deliveries[index]!;
        for (;;) {
          try {
            const response = await pool.request({ path: "/webhooks/orders/updated", method: "POST", headers, body });
            await response.body.text();
            if (response.statusCode === 200) break;
          } catch {
            // the app is down or restarting
          }
          await sleep(200);
        }
        acknowledged.add(eventId);
        if (acknowledged.size >= deliveries.length / 2) killing ??= killAndRestart();
      }
    };
    const storm = Promise.all(Array.from({ length: concurrency }, sender));

    await poll("the kill", async () => killing, 120_000, 20);
    await killing;
    const { restartedAt, inFlight, activeJobs } = killed!;
    const restarted = victim === "web" ? app! : worker!;
    const listeningAt = await restarted.listening.then(() => performance.now());
    const recoveredJobsDoneAt = await poll(
      "the jobs running at the kill completed",
      async () => {
        const { rows } = await db.query<{ count: string }>(
          `SELECT count(*) FROM "WebhookEvent" WHERE id = ANY($1::text[]) AND status::text IN ('processed', 'skipped')`,
          [activeJobs],
        );
        return Number(rows[0]!.count) === activeJobs.length ? performance.now() : null;
      },
      maxWaitMs,
      100,
    ).catch((error: unknown) => {
      console.error(String(error));
      return Number.NaN;
    });
    let lastInFlightDoneAt = Number.NaN;
    try {
      await poll(
        "every event in flight at the kill processed",
        async () => ((await unprocessedOf(db, inFlight)) === 0 ? true : null),
        maxWaitMs,
        100,
      );
      lastInFlightDoneAt = performance.now();
    } catch (error) {
      console.error(String(error));
    }

    await storm;
    await pool.close();
    const lost = await (async () => {
      try {
        await poll(
          "every acknowledged event processed",
          async () => ((await unprocessedOf(db, [...acknowledged])) === 0 ? true : null),
          Number.isNaN(lastInFlightDoneAt) ? 1_000 : maxWaitMs,
          250,
        );
        return 0;
      } catch {
        return unprocessedOf(db, [...acknowledged]);
      }
    })();

    const restartLog = readLogLines(path.join(logDir, `${victim === "web" ? "app" : "worker"}-2.log`));
    const recoveredLines = restartLog.filter(
      (line) =>
        line.msg === "job recovered from a stopped process" ||
        line.msg === "webhook event recovered: its worker's lease ran out before it finished",
    ).length;
    const atStart = restartLog.find((line) => line.msg === "recovery sweep at start");
    console.error(
      `${figure}: ${inFlight.length} events unprocessed at the kill, ${activeJobs.length} webhook jobs active; the new ` +
        `process logged ${recoveredLines} recovered (${String(atStart?.recovered ?? "no")} at start).` +
        (process.env.BENCH_KEEP_LOGS ? ` Logs: ${logDir}` : " BENCH_KEEP_LOGS=1 keeps the app's logs."),
    );

    report(
      `${figure}-restart-to-last-job-seconds`,
      Number.isNaN(lastInFlightDoneAt) ? Number.POSITIVE_INFINITY : seconds(restartedAt, lastInFlightDoneAt),
      "s",
    );
    report(`${figure}-lost-events`, lost, "events");
    report(
      `${figure}-restart-to-recovered-jobs-seconds`,
      Number.isNaN(recoveredJobsDoneAt) ? Number.POSITIVE_INFINITY : seconds(restartedAt, recoveredJobsDoneAt),
      "s",
    );
    report(
      `${figure}-restart-to-${victim === "web" ? "listening" : "ready"}-seconds`,
      seconds(restartedAt, listeningAt),
      "s",
    );
    report(`${figure}-in-flight-at-kill`, inFlight.length, "events");
    report(`${figure}-active-jobs-at-kill`, activeJobs.length, "jobs");
    report(`${figure}-jobs-recovered`, recoveredLines, "jobs");
    finished = true;
  } finally {
    if (worker) await worker.stop();
    if (app) await app.stop();
    for (const cleanup of emulatorCleanup) await cleanup();
    await db.end();
    await database.dispose();
    if (finished && !process.env.BENCH_KEEP_LOGS) rmSync(logDir, { recursive: true, force: true });
  }
}

async function unprocessedOf(db: pg.Pool, eventIds: string[]): Promise<number> {
  const { rows } = await db.query<{ count: string }>(
    `SELECT $2::int - count(*) AS count FROM "WebhookEvent"
     WHERE "eventId" = ANY($1::text[]) AND status::text IN ('processed', 'skipped')`,
    [eventIds, eventIds.length],
  );
  return Number(rows[0]!.count);
}

interface AppProcess {
  child: ChildProcess;
  listening: Promise<void>;
  exited: Promise<unknown>;
  stop(): Promise<void>;
}

/** The web process (with or without job workers, as JOBS_IN_PROCESS says); ready once it answers. */
function startAppProcess(env: NodeJS.ProcessEnv, logFile: string): AppProcess {
  return startProcess([fileURLToPath(import.meta.url), CHILD_FLAG], env, logFile, async () => {
    try {
      await fetch(`${env.SHOPIFY_APP_URL}/`);
      return true;
    } catch {
      return false;
    }
  });
}

/** `npm run worker` (from source, with the emulator's network preload); ready once it says so. */
function startWorkerProcess(env: NodeJS.ProcessEnv, logFile: string): AppProcess {
  const args = ["--import", path.join(repoRoot, "dev/intercept.mjs"), path.join(repoRoot, "app/jobs/worker.ts")];
  return startProcess(args, env, logFile, async () =>
    readLogLines(logFile).some((line) => line.msg === "worker started"),
  );
}

function startProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
  isReady: () => Promise<boolean>,
): AppProcess {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const write = (chunk: Buffer) => appendFileSync(logFile, chunk);
  child.stdout!.on("data", write);
  child.stderr!.on("data", write);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const listening = (async () => {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`A bench process exited (${child.exitCode}); see ${logFile}`);
      if (await isReady()) return;
      await sleep(50);
    }
  })();
  return {
    child,
    listening,
    exited,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function readLogLines(file: string): Record<string, unknown>[] {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}
