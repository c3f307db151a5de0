// A webhook storm against the app as production runs it: the built server under `npm start` in a
// process of its own (its job workers in the child process it starts, the default), real HTTP, a real PostgreSQL server,
// the store emulator as Shopify, and another shop's install-time backfill running throughout.
//
// The storm: real deliveries the emulator produced for one installed shop (orders/create,
// orders/updated, fulfillments/create|update, fulfillment_events/create carrier events,
// refunds/create, customers/create|update), `--events N` of them (default 2,000), plus 20%
// redeliveries (same X-Shopify-Event-Id and headers), shuffled, sent `--concurrency N` (32) at a
// time by one undici client in a process of its own (bench/storm-client.mjs), after 100 warm-up
// deliveries that are not measured. During the storm this process, which runs the store emulator
// (Shopify, whose work happens on Shopify's machines), runs at niceness 10, its session's
// autogroup too (yieldCpu).
//   storm-ack-p50|p99|max        per request, client side (request sent → 200 read)
//   storm-acks-per-second        deliveries ÷ (first sent → last answered)
//   storm-processed-per-second   distinct events ÷ (first sent → every one processed)
//   storm-backfill-rows-per-second  orders and customers the other shop's import stored during
//                                the storm, per second (the background load the acks shared)
//   storm-event-loop-delay-…     the app process's own loop during the storm
//                                (perf_hooks.monitorEventLoopDelay, loaded with --import)
//   storm-baseline-…             the same client and deliveries against a bare node:http server in
//                                its own process (reads the body, answers 200): median of 3 passes
//   …-ratio                      app ÷ baseline for latency, baseline ÷ app for throughput
// The database: a fresh embedded PostgreSQL server (the default install), or with
// BENCH_DATABASE_URL=postgresql://…/postgres a new database on that server (dropped afterwards).
// The backfill shop has `--backfill-orders N` (30,000) orders; the bench fails unless its import is
// "running" when the storm starts and when it ends.
// Flags: --no-build reuses build/ (otherwise `npm run build`'s two steps first); --separate-worker
// runs the jobs in an `npm run worker` process (JOBS_IN_PROCESS=false) instead of the web process.
// STORM_CPU_PROFILE=<path> writes a CPU profile of the app (and baseline) process during the storm.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import {
  DEV_APP_CREDENTIALS,
  freePort,
  migrateDatabase,
  repoRoot,
  webhookSubscriptionsFromToml,
} from "../dev/stack.ts";
import { startStoreEmulator, type StoreEmulator } from "../dev/store-emulator/index.ts";
import { adminHostParam, webhookHeaders } from "../dev/store-emulator/signing.ts";
import { benchDatabase, numberFlag, percentile, poll, report, seconds } from "./support.ts";

const EVENTS = numberFlag("events", 2000);
const CONCURRENCY = numberFlag("concurrency", 32);
const BACKFILL_ORDERS = numberFlag("backfill-orders", 30_000);
/** --separate-worker: JOBS_IN_PROCESS=false and one `npm run worker` process beside the web process. */
const SEPARATE_WORKER = process.argv.includes("--separate-worker");
const DUPLICATE_SHARE = 0.2;
const WARMUP = 100;
const STORM_TOPICS = new Set([
  "orders/create",
  "orders/updated",
  "fulfillments/create",
  "fulfillments/update",
  "fulfillment_events/create",
  "refunds/create",
  "customers/create",
  "customers/update",
]);
const STORM_SHOP = "storm-shop.myshopify.com";
const BACKFILL_SHOP = "backfill-shop.myshopify.com";
/** This process's niceness during the storm (it runs the emulator, i.e. Shopify). */
const EMULATOR_NICENESS = 10;

interface Delivery {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A process with the event-loop probe; resolves its figures since the last reset. */
class Probed {
  constructor(readonly child: ChildProcess) {}
  private ask<T>(message: string, matches: (reply: unknown) => boolean): Promise<T> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: unknown) => {
        if (!matches(reply)) return;
        this.child.off("message", onMessage);
        resolve(reply as T);
      };
      this.child.on("message", onMessage);
      this.child.send(message, (error) => error && reject(error));
    });
  }
  reset() {
    return this.ask<string>("event-loop:reset", (reply) => reply === "event-loop:reset");
  }
  report() {
    return this.ask<{ p50: number; p99: number; max: number }>(
      "event-loop:report",
      (reply) => typeof reply === "object" && reply !== null && "p99" in reply,
    );
  }
  async stop() {
    if (this.child.exitCode !== null || this.child.pid === undefined) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    process.kill(-this.child.pid, "SIGTERM");
    const timer = setTimeout(() => process.kill(-this.child.pid!, "SIGKILL"), 25_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * Lowers this process's CPU priority. Linux groups processes by session ("autogroups") and shares
 * the CPU between the groups first, so a niceness alone only ranks a process within its own
 * session: the session's group is lowered too (the storm client has a session of its own).
 */
function yieldCpu(niceness: number): void {
  os.setPriority(niceness);
  try {
    writeFileSync("/proc/self/autogroup", String(niceness));
  } catch {
    // Not Linux, or no autogroups: the niceness is all there is.
  }
}

const PROBE = ["--import", path.join(repoRoot, "bench/event-loop-probe.mjs")];

function startAppProcess(port: number, env: NodeJS.ProcessEnv, logFile: string, entry: string[]): Probed {
  const logFd = openSync(logFile, "a");
  const child = spawn(process.execPath, ["--import", path.join(repoRoot, "dev/intercept.mjs"), ...PROBE, ...entry], {
    cwd: repoRoot,
    env: { ...env, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production" },
    stdio: ["ignore", logFd, logFd, "ipc"],
    detached: true,
  });
  closeSync(logFd);
  return new Probed(child);
}

/** The baseline: node:http in a process of its own that reads each body and answers 200. */
async function startBareServer(): Promise<{ url: string; server: Probed }> {
  const source = `
    const server = require("node:http").createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200).end());
    });
    server.keepAliveTimeout = 60000;
    server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
    process.on("SIGTERM", () => process.exit(0));`;
  const child = spawn(process.execPath, [...PROBE, "-e", source], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    detached: true,
  });
  const port = await new Promise<number>((resolve) => {
    const onMessage = (message: unknown) => {
      if (typeof message === "object" && message !== null && "port" in message) {
        child.off("message", onMessage);
        resolve((message as { port: number }).port);
      }
    };
    child.on("message", onMessage);
  });
  return { url: `http://127.0.0.1:${port}`, server: new Probed(child) };
}

/** The sender, a process of its own (bench/storm-client.mjs) that stays up for every pass. */
let stormClient: ChildProcess | null = null;
let deliveryFiles = 0;

/** Sends every delivery with `concurrency` requests in flight; latency of each in ms. */
async function send(origin: string, deliveries: readonly Delivery[], concurrency: number) {
  const file = path.join(workDir, `deliveries-${deliveryFiles++}.json`);
  writeFileSync(file, JSON.stringify(deliveries));
  stormClient ??= spawn(process.execPath, ["--expose-gc", path.join(repoRoot, "bench/storm-client.mjs")], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    // A session of its own, so it keeps its full share of the CPU when this one yields (yieldCpu).
    detached: true,
  });
  const client = stormClient;
  const result = await new Promise<{ latencies: number[]; perSecond: number; failures: string[]; error?: string }>(
    (resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`The storm client exited with ${code}`));
      client.once("exit", onExit);
      client.once("message", (message) => {
        client.off("exit", onExit);
        resolve(message as never);
      });
      client.send({ origin, concurrency, file });
    },
  );
  rmSync(file);
  if (result.error) throw new Error(`The storm client failed: ${result.error}`);
  if (result.failures.length > 0) {
    throw new Error(`${result.failures.length} deliveries were not acknowledged:\n${result.failures[0]}`);
  }
  return { latencies: result.latencies, perSecond: result.perSecond };
}

/** Fisher–Yates with a fixed seed, so two runs send the same order. */
function shuffle<T>(items: T[], seed = 7): T[] {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * Makes the storm shop's world change the way a busy store does and keeps the deliveries the
 * emulator would have sent (held, never released): new orders, shipments with carrier events,
 * refunds, customers created and updated.
 */
function generateDeliveries(emulator: StoreEmulator, count: number): Delivery[] {
  emulator.holdWebhooks();
  const firstLogId = emulator.deliveries.length;
  const wanted = () => emulator.deliveries.slice(firstLogId).filter((entry) => STORM_TOPICS.has(entry.topic));
  const customers = emulator.shop(STORM_SHOP).customers();
  for (let round = 0; wanted().length < count; round++) {
    const customer = customers[round % customers.length]!;
    const order = emulator.createOrder(STORM_SHOP, { customer: customer.id, note: `storm ${round}` });
    if (round % 4 === 3) {
      emulator.createCustomer(STORM_SHOP, {
        firstName: "Storm",
        lastName: `Person ${round}`,
        email: `storm.${round}@example.com`,
      });
    }
    emulator.updateCustomer(STORM_SHOP, customer.id, { note: `storm note ${round}` });
    if (round % 3 === 2) continue; // some orders stay unfulfilled
    emulator.fulfill(STORM_SHOP, { order: order.id, carrier: "UPS", trackingNumber: `1ZSTORM${round}` });
    emulator.addFulfillmentEvent(STORM_SHOP, { order: order.id, status: "IN_TRANSIT" });
    emulator.addFulfillmentEvent(STORM_SHOP, { order: order.id, status: "OUT_FOR_DELIVERY" });
    if (round % 5 === 0) emulator.refund(STORM_SHOP, { order: order.id, amount: "1.00", note: "storm refund" });
  }
  return wanted()
    .slice(0, count)
    .map((entry) => {
      const headers = webhookHeaders(
        {
          topic: entry.topic,
          shop: entry.shop,
          body: entry.body,
          apiVersion: entry.apiVersion,
          webhookId: entry.webhookId,
          eventId: entry.eventId,
          triggeredAt: entry.triggeredAt,
        },
        DEV_APP_CREDENTIALS.apiSecret,
      );
      return { path: new URL(entry.url).pathname, headers, body: entry.body };
    });
}

// ── the run ────────────────────────────────────────────────────────────────────────────────────

if (!process.argv.includes("--no-build")) {
  // What `npm run build` does: the Remix server, then the job worker.
  for (const args of [
    ["node_modules/@remix-run/dev/dist/cli.js", "vite:build"],
    ["node_modules/vite/bin/vite.js", "build", "--config", "vite.worker.config.ts"],
  ]) {
    const build = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`The build failed:\n${build.stdout}\n${build.stderr}`);
  }
}

const database = await benchDatabase();
console.error(`bench storm: on ${database.description}`);
const workDir = mkdtempSync(path.join(os.tmpdir(), "shopdesk-storm-"));
const appLog = path.join(workDir, "app.log");
let app: Probed | null = null;
let worker: Probed | null = null;
let succeeded = false;
let emulator: StoreEmulator | null = null;
const dbClient = new pg.Client({ connectionString: database.url });
try {
  migrateDatabase(database.url);
  await dbClient.connect();
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const { apiKey, apiSecret } = DEV_APP_CREDENTIALS;
  const shopSeed = (domain: string, name: string) => ({
    domain,
    name,
    ownerEmail: `owner@${domain}`,
    ownerName: "Bea Bench",
    currencyCode: "EUR" as const,
    ianaTimezone: "Europe/Berlin",
    region: "EU" as const,
  });
  // The seed gives every shop the same size, so both start small and the backfill shop then gets
  // its many orders through the emulator (before its install, so no webhooks go out for them).
  emulator = await startStoreEmulator({
    app: { apiKey, apiSecret, url: appUrl },
    webhooks: webhookSubscriptionsFromToml(),
    seed: {
      ordersPerShop: 120,
      customersPerShop: 60,
      shops: [shopSeed(STORM_SHOP, "Storm Shop"), shopSeed(BACKFILL_SHOP, "Backfill Shop")],
    },
  });
  console.error(`bench storm: emulator up; adding ${BACKFILL_ORDERS} orders to ${BACKFILL_SHOP}`);
  const backfillCustomers = emulator.shop(BACKFILL_SHOP).customers();
  for (let index = 0; index < BACKFILL_ORDERS; index++) {
    emulator.createOrder(BACKFILL_SHOP, { customer: backfillCustomers[index % backfillCustomers.length]!.id });
  }
  const appEnv = {
    ...process.env,
    SHOPIFY_API_KEY: apiKey,
    SHOPIFY_API_SECRET: apiSecret,
    SHOPIFY_APP_URL: appUrl,
    DATABASE_URL: database.url,
    SHOPDESK_EMULATOR_URL: emulator.url,
    LOG_LEVEL: "warn",
    ...(SEPARATE_WORKER ? { JOBS_IN_PROCESS: "false" } : {}),
  };
  app = startAppProcess(appPort, appEnv, appLog, ["server.mjs", "build/server/index.js"]); // npm start
  if (SEPARATE_WORKER) worker = startAppProcess(appPort, appEnv, appLog, ["build/worker/worker.js"]);
  const appLogTail = () => readFileSync(appLog, "utf8").slice(-4000);
  await poll(
    "the app to listen",
    async () => {
      if (app!.child.exitCode !== null) throw new Error(`The app exited:\n${appLogTail()}`);
      return fetch(`${appUrl}/`).then(
        (response) => (response.status < 500 ? true : null),
        () => null,
      );
    },
    60_000,
    200,
  );

  const install = async (shop: string) => {
    const url = new URL("/app", appUrl);
    url.searchParams.set("embedded", "1");
    url.searchParams.set("shop", shop);
    url.searchParams.set("host", adminHostParam(shop));
    url.searchParams.set("id_token", emulator!.sessionToken(shop));
    const response = await fetch(url, { headers: { "user-agent": "Mozilla/5.0 Chrome/156.0" } });
    if (response.status !== 200) throw new Error(`Installing ${shop} failed: ${response.status}`);
  };
  const syncState = async (shop: string) => {
    const { rows } = await dbClient.query<{ status: string; phase: string | null; error: string | null }>(
      `SELECT s."backfillStatus" AS status, s."backfillPhase" AS phase, s."backfillError" AS error
         FROM "SyncState" s JOIN "Shop" p ON p.id = s."shopId" WHERE p.domain = $1`,
      [shop],
    );
    return rows[0] ?? null;
  };
  /** Orders and customers the shop's import has stored so far. */
  const backfilledRows = async (shop: string) => {
    const { rows } = await dbClient.query<{ orders: number; customers: number }>(
      `SELECT (SELECT count(*) FROM "ShopifyOrder" o WHERE o."shopId" = p.id)::int AS orders,
              (SELECT count(*) FROM "ShopifyCustomer" c WHERE c."shopId" = p.id)::int AS customers
         FROM "Shop" p WHERE p.domain = $1`,
      [shop],
    );
    const { orders = 0, customers = 0 } = rows[0] ?? {};
    return { orders, total: orders + customers };
  };

  // The storm shop is installed and imported first (its storm updates what it already holds).
  await install(STORM_SHOP);
  await poll(
    "the storm shop's import",
    async () => {
      const state = await syncState(STORM_SHOP);
      if (state?.status === "failed") throw new Error(`Import failed: ${state.error}`);
      return state?.status === "completed" ? true : null;
    },
    600_000,
    500,
  );
  console.error(`bench storm: ${STORM_SHOP} imported; generating ${WARMUP + EVENTS} deliveries`);
  const generated = generateDeliveries(emulator, WARMUP + EVENTS);
  const warmup = generated.slice(0, WARMUP);
  const unique = generated.slice(WARMUP);
  const duplicates = shuffle([...unique], 11).slice(
    0,
    Math.round((unique.length * DUPLICATE_SHARE) / (1 - DUPLICATE_SHARE)),
  );
  const storm = shuffle([...unique, ...duplicates]);
  const topics = new Map<string, number>();
  for (const delivery of unique) {
    const topic = delivery.headers["x-shopify-topic"]!;
    topics.set(topic, (topics.get(topic) ?? 0) + 1);
  }
  console.error(
    `bench storm: ${storm.length} deliveries, ${duplicates.length} of them redeliveries; topics ${JSON.stringify(Object.fromEntries(topics))}`,
  );

  const unprocessed = async () => {
    const { rows } = await dbClient.query<{ total: number; open: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status NOT IN ('processed', 'skipped'))::int AS open
         FROM "WebhookEvent" WHERE "shopDomain" = $1`,
      [STORM_SHOP],
    );
    return rows[0]!;
  };
  const allProcessed = (expected: number, timeoutMs: number) =>
    poll(
      `all ${expected} storm events processed`,
      async () => {
        const { total, open } = await unprocessed();
        return total === expected && open === 0 ? true : null;
      },
      timeoutMs,
      50,
    );

  const bareServer = startBareServer(); // idle until the app's storm is over
  await send(appUrl, warmup, CONCURRENCY);
  await allProcessed(warmup.length, 120_000);

  // The other shop's import, running before and after the storm.
  await install(BACKFILL_SHOP);
  await poll(
    "the backfill shop's import to run",
    async () => ((await syncState(BACKFILL_SHOP))?.status === "running" ? true : null),
    60_000,
    100,
  );
  // Into its writing: the storm shares the database with the import's inserts, not only with
  // Shopify preparing the export (which happens on Shopify's machines).
  const importStarted = performance.now();
  let lastOrders = (await backfilledRows(BACKFILL_SHOP)).orders;
  await poll(
    "the backfill shop's import to store orders",
    async () => {
      const { orders } = await backfilledRows(BACKFILL_SHOP);
      const rising = orders > lastOrders;
      lastOrders = orders;
      return rising ? true : null;
    },
    300_000,
    250,
  );
  console.error(`bench storm: ${BACKFILL_SHOP} import storing orders after ${seconds(importStarted).toFixed(1)} s`);
  const before = await syncState(BACKFILL_SHOP);
  console.error(`bench storm: ${BACKFILL_SHOP} import ${before?.status} (phase ${before?.phase}) at the start`);

  // The emulator stands in for Shopify, whose work happens on Shopify's machines: from here on it
  // (this process) yields the CPU to the app under test. Its children, already started, keep
  // their priority; the baseline server is started before this too.
  yieldCpu(EMULATOR_NICENESS);
  const backfilledBefore = await backfilledRows(BACKFILL_SHOP);
  await app.reset();
  const started = performance.now();
  const acks = await send(appUrl, storm, CONCURRENCY);
  const loop = await app.report();
  const stormSeconds = seconds(started);
  const backfilledAfter = await backfilledRows(BACKFILL_SHOP);
  const backfillRowsPerSecond = (backfilledAfter.total - backfilledBefore.total) / stormSeconds;
  const after = await syncState(BACKFILL_SHOP);
  console.error(
    `bench storm: ${BACKFILL_SHOP} import ${after?.status} (phase ${after?.phase}) at the end of the storm`,
  );
  await allProcessed(warmup.length + unique.length, 300_000);
  const processedPerSecond = unique.length / seconds(started);
  const afterProcessing = await syncState(BACKFILL_SHOP);
  if (before?.status !== "running" || after?.status !== "running") {
    throw new Error(`The backfill was not running throughout the storm (${before?.status} → ${after?.status})`);
  }
  console.error(
    `bench storm: ${BACKFILL_SHOP} import ${afterProcessing?.status} (phase ${afterProcessing?.phase}) once every event was processed`,
  );
  const { rows: duplicateRows } = await dbClient.query<{ count: number }>(
    `SELECT count(*)::int FROM (SELECT 1 FROM "WebhookEvent" GROUP BY "shopDomain", "eventId" HAVING count(*) > 1) d`,
  );
  if (duplicateRows[0]!.count > 0) throw new Error(`${duplicateRows[0]!.count} events were stored twice`);

  await app.stop();
  app = null;
  await worker?.stop();
  worker = null;

  const bare = await bareServer;
  try {
    await send(bare.url, storm, CONCURRENCY); // warm-up pass
    const passes: { latencies: number[]; perSecond: number; loop: { p99: number; max: number } }[] = [];
    for (let pass = 0; pass < 3; pass++) {
      await bare.server.reset();
      const result = await send(bare.url, storm, CONCURRENCY);
      passes.push({ ...result, loop: await bare.server.report() });
    }
    const median = (pick: (pass: (typeof passes)[number]) => number) => percentile(passes.map(pick), 50);
    const baseline = {
      p50: median(({ latencies }) => percentile(latencies, 50)),
      p99: median(({ latencies }) => percentile(latencies, 99)),
      max: median(({ latencies }) => Math.max(...latencies)),
      perSecond: median(({ perSecond }) => perSecond),
      loopP99: median(({ loop }) => loop.p99),
      loopMax: median(({ loop }) => loop.max),
    };

    const p50 = percentile(acks.latencies, 50);
    const p99 = percentile(acks.latencies, 99);
    const max = Math.max(...acks.latencies);
    report("storm-ack-p50", p50, "ms");
    report("storm-ack-p99", p99, "ms");
    report("storm-ack-max", max, "ms");
    report("storm-acks-per-second", acks.perSecond, "acks/s");
    report("storm-processed-per-second", processedPerSecond, "events/s");
    report("storm-backfill-rows-per-second", backfillRowsPerSecond, "rows/s");
    report("storm-event-loop-delay-p99", loop.p99, "ms");
    report("storm-event-loop-delay-max", loop.max, "ms");
    report("storm-baseline-ack-p50", baseline.p50, "ms");
    report("storm-baseline-ack-p99", baseline.p99, "ms");
    report("storm-baseline-ack-max", baseline.max, "ms");
    report("storm-baseline-acks-per-second", baseline.perSecond, "acks/s");
    report("storm-baseline-event-loop-delay-p99", baseline.loopP99, "ms");
    report("storm-baseline-event-loop-delay-max", baseline.loopMax, "ms");
    report("storm-ack-p50-ratio", p50 / baseline.p50, "x");
    report("storm-ack-p99-ratio", p99 / baseline.p99, "x");
    report("storm-acks-per-second-ratio", baseline.perSecond / acks.perSecond, "x");
    succeeded = true;
  } finally {
    await bare.server.stop();
  }
} catch (error) {
  console.error(`bench storm: the app's log is in ${appLog}`);
  throw error;
} finally {
  await app?.stop();
  await worker?.stop();
  (stormClient as ChildProcess | null)?.disconnect();
  await dbClient.end().catch(() => {});
  await emulator?.close();
  await database.dispose();
  if (succeeded) rmSync(workDir, { recursive: true, force: true });
}
