// Shared by the benchmarks: figures on stdout, percentiles, flags, and the app in a script — the
// real route modules behind a node:http server on 127.0.0.1, the store emulator as Shopify, the
// network preload, the job workers, and a fresh migrated database (benchDatabase).
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { DEV_APP_CREDENTIALS, migrateDatabase, repoRoot, webhookSubscriptionsFromToml } from "../dev/stack.ts";
import { startStoreEmulator, type SeedOptions, type StoreEmulator } from "../dev/store-emulator/index.ts";
import { adminHostParam } from "../dev/store-emulator/signing.ts";
import { toFetchRequest } from "../tests/support/node-request.ts";

/** One figure, exactly as `npm run bench` prints it. */
export function report(name: string, value: number, unit: string): void {
  const abs = Math.abs(value);
  const text = abs >= 100 ? value.toFixed(0) : abs >= 1 ? value.toFixed(1) : value.toPrecision(2);
  console.log(`bench ${name}: ${text} ${unit}`);
}

/** Nearest-rank percentile (p in 0–100) of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** `--name N` from the command line, else the default. */
export function numberFlag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? fallback : Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} takes a positive number`);
  return value;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const seconds = (fromMs: number, toMs = performance.now()) => (toMs - fromMs) / 1000;

/** Polls until `check` returns a value, or throws after `timeoutMs` naming what it waited for. */
export async function poll<T>(what: string, check: () => Promise<T | null>, timeoutMs: number, intervalMs = 100) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export type Handler = (args: { request: Request; params: Record<string, string>; context: object }) => unknown;

/** The app's handlers by path: every webhook route's action, and /app's loader (authentication only). */
export async function appHandlers(): Promise<Map<string, Handler>> {
  const handlers = new Map<string, Handler>();
  const routesDir = path.join(repoRoot, "app/routes");
  for (const file of await fs.readdir(routesDir)) {
    if (!/^webhooks\..*\.tsx$/.test(file) || file.includes(".test.")) continue;
    const route = (await import(path.join(routesDir, file))) as { action?: Handler };
    if (route.action) handlers.set(`/${file.replace(/\.tsx$/, "").replace(/\./g, "/")}`, route.action);
  }
  // app/routes/app.tsx imports Polaris CSS (Vite only); its loader is exactly this call.
  const { authenticate } = await import("~/shopify.server");
  handlers.set("/app", async ({ request }) => {
    await authenticate.admin(request);
    return new Response("ok");
  });
  return handlers;
}

/** A request listener that answers with the app's handler for the path (404 otherwise). */
export function serveRoutes(handlers: ReadonlyMap<string, Handler>, origin: () => string): http.RequestListener {
  return async (req, res) => {
    let response: Response;
    try {
      const request = await toFetchRequest(req, origin());
      const handler = handlers.get(new URL(request.url).pathname);
      const result = handler
        ? await Promise.resolve()
            .then(() => handler({ request, params: {}, context: {} }))
            .catch((thrown: unknown) => {
              if (thrown instanceof Response) return thrown; // the library's 401/400/302
              throw thrown;
            })
        : new Response("Not found", { status: 404 });
      response = result instanceof Response ? result : Response.json(result ?? null);
    } catch (error) {
      response = new Response(error instanceof Error ? error.message : String(error), { status: 500 });
    }
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  };
}

/** A node:http server on 127.0.0.1 for `handle`; resolves once listening. */
export async function listen(handle: http.RequestListener, port = 0) {
  const server = http.createServer(handle);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The one store the benches install on. */
export const BENCH_SHOP = {
  domain: "bench-shop.myshopify.com",
  name: "Bench Shop",
  ownerEmail: "owner@bench.example",
  ownerName: "Bea Bench",
  currencyCode: "EUR",
  ianaTimezone: "Europe/Berlin",
  region: "EU",
} as const;

export interface BenchApp {
  url: string;
  emulator: StoreEmulator;
  shop: string;
  apiSecret: string;
  /** Opens the embedded app as the admin does: token exchange, install, backfill enqueued. */
  install(): Promise<void>;
  stop(): Promise<void>;
}

/** The app with its job workers against an emulator seeded with one shop. Call before any app import. */
export async function startBenchApp(seed: Omit<SeedOptions, "shops">): Promise<BenchApp> {
  const database = await benchDatabase();
  const databaseUrl = database.url;
  migrateDatabase(databaseUrl);

  const handlers = new Map<string, Handler>(); // filled once the app may be imported
  const server = await listen(serveRoutes(handlers, () => server.url));

  const { apiKey, apiSecret } = DEV_APP_CREDENTIALS;
  Object.assign(process.env, {
    SHOPIFY_API_KEY: apiKey,
    SHOPIFY_API_SECRET: apiSecret,
    SHOPIFY_APP_URL: server.url,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "silent",
  });
  const shop = BENCH_SHOP.domain;
  const emulator = await startStoreEmulator({
    app: { apiKey, apiSecret, url: server.url },
    webhooks: webhookSubscriptionsFromToml(),
    seed: {
      ...seed,
      shops: [BENCH_SHOP],
    },
  });
  process.env.SHOPDESK_EMULATOR_URL = emulator.url;
  await import("../dev/intercept.mjs");
  for (const [route, handler] of await appHandlers()) handlers.set(route, handler);
  const { stopJobs } = await import("~/jobs/queue.server");
  const { startJobWorkers } = await import("~/jobs/workers.server");
  await startJobWorkers();

  return {
    url: server.url,
    emulator,
    shop,
    apiSecret,
    async install() {
      const url = new URL("/app", server.url);
      url.searchParams.set("embedded", "1");
      url.searchParams.set("shop", shop);
      url.searchParams.set("host", adminHostParam(shop));
      url.searchParams.set("id_token", emulator.sessionToken(shop));
      const response = await fetch(url, { headers: { "user-agent": "Mozilla/5.0 Chrome/156.0" } });
      if (response.status !== 200) throw new Error(`Install failed: ${response.status} ${await response.text()}`);
    },
    async stop() {
      await stopJobs();
      const { closeDatabase } = await import("~/db.server");
      await closeDatabase();
      await emulator.close();
      await server.close();
      await database.dispose();
    },
  };
}

export interface BenchDatabase {
  /** postgresql://… of an empty database of this bench run's own. */
  url: string;
  /** Which server, for the bench's stderr. */
  description: string;
  dispose(): Promise<void>;
}

/**
 * A bench that loads the app's modules in its own process: a fresh (or BENCH_DATABASE_URL's)
 * database, migrated, and the environment the app reads, set before any app module is imported.
 */
export async function benchAppDatabase(name: string): Promise<BenchDatabase> {
  const database = await benchDatabase();
  console.error(`bench ${name}: ${database.description}`);
  migrateDatabase(database.url);
  Object.assign(process.env, {
    SHOPIFY_API_KEY: DEV_APP_CREDENTIALS.apiKey,
    SHOPIFY_API_SECRET: DEV_APP_CREDENTIALS.apiSecret,
    SHOPIFY_APP_URL: "https://bench.shopdesk.example",
    DATABASE_URL: database.url,
    LOG_LEVEL: "silent",
    SHOPDESK_SECRETS_KEY: process.env.SHOPDESK_SECRETS_KEY ?? randomBytes(32).toString("base64"),
  });
  return database;
}

/**
 * An empty database for one bench run. On the embedded default (what `npm ci && npm run demo`
 * runs): a fresh Shopdesk PostgreSQL server in the OS temp dir, stopped and deleted afterwards.
 * With BENCH_DATABASE_URL=postgresql://…/postgres (a role with CREATEDB): a new database on that
 * server, dropped afterwards.
 */
export async function benchDatabase(): Promise<BenchDatabase> {
  const external = process.env.BENCH_DATABASE_URL;
  const name = `shopdesk_bench_${process.pid}_${Date.now().toString(36)}`;
  if (external) {
    await adminQuery(external, `CREATE DATABASE "${name}"`);
    const url = new URL(external);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      description: `PostgreSQL from BENCH_DATABASE_URL (${url.host})`,
      dispose: () => adminQuery(external, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    };
  }
  const { ensureDatabase, serverUrl, startEmbeddedPostgres, stopEmbeddedPostgres } =
    await import("../prisma/tools/local-postgres.mjs");
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "shopdesk-bench-"));
  await fs.chmod(root, 0o755); // as root, the server runs as another user that must reach it
  const dataDir = path.join(root, "postgres");
  const removeRoot = () => rmSync(root, { recursive: true, force: true });
  const { state } = await startEmbeddedPostgres(dataDir);
  process.once("exit", () => {
    // After a crash too: the server would otherwise outlive the bench.
    try {
      process.kill(Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]), "SIGINT");
    } catch {
      // already stopped
    }
  });
  await ensureDatabase(state, name);
  return {
    url: serverUrl(state, name),
    description: `embedded PostgreSQL (default install) on 127.0.0.1:${state.port}`,
    dispose: async () => {
      await stopEmbeddedPostgres(dataDir);
      removeRoot();
    },
  };
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The shop's SyncState (null before the install created it). */
export async function syncState(shop: string) {
  const { db } = await import("~/db.server");
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { syncState: true } });
  return row?.syncState ?? null;
}

// ---------------------------------------------------------------------------------------------
// App beside bare SQL (bench/tickets.ts, bench/portal-orders.ts)
//
// The bare side sends the very statements the app sent, through `pg` without Prisma: one run of
// the app's function is captured at the pg pool Prisma's adapter queries through, each statement
// with its "wave" (1 + the latest wave among the statements that had finished when it was sent: a
// statement sent after another finished may depend on it). The replay sends each wave's statements
// at once, the waves one after another, as the app did.

export interface CapturedStatement {
  text: string;
  values: unknown[];
  wave: number;
}

let capturing: CapturedStatement[] | null = null;
let finishedWave = 0;
let captureInstalled = false;

/** Patches pg.Pool#query once so captureStatements sees what Prisma's adapter sends. */
async function installCapture() {
  if (captureInstalled) return;
  captureInstalled = true;
  const { default: pg } = await import("pg");
  type AnyQuery = (this: unknown, ...args: unknown[]) => Promise<unknown>;
  const poolQuery = pg.Pool.prototype.query as unknown as AnyQuery;
  pg.Pool.prototype.query = function (this: unknown, ...args: unknown[]) {
    const config = args[0] as { text?: string; values?: unknown[] } | string;
    const list = capturing;
    if (!list || typeof config !== "object" || !config.text) return poolQuery.apply(this, args);
    const statement = { text: config.text, values: config.values ?? [], wave: finishedWave + 1 };
    list.push(statement);
    return poolQuery.apply(this, args).finally(() => {
      if (capturing === list) finishedWave = Math.max(finishedWave, statement.wave);
    });
  } as typeof pg.Pool.prototype.query;
}

/** The statements one run of `work` sends through any pg pool (only this run may be in flight). */
export async function captureStatements(work: () => Promise<unknown>): Promise<CapturedStatement[]> {
  await installCapture();
  const list: CapturedStatement[] = [];
  capturing = list;
  finishedWave = 0;
  try {
    await work();
  } finally {
    capturing = null;
  }
  return list;
}

/** Sends captured statements through `pool`, wave by wave, each wave's at once. */
export async function replayStatements(
  pool: { query(config: { text: string; values: unknown[] }): Promise<unknown> },
  statements: readonly CapturedStatement[],
) {
  const waves = new Map<number, CapturedStatement[]>();
  for (const statement of statements) waves.set(statement.wave, [...(waves.get(statement.wave) ?? []), statement]);
  for (const wave of [...waves.keys()].sort((a, b) => a - b)) {
    await Promise.all(waves.get(wave)!.map(({ text, values }) => pool.query({ text, values })));
  }
}

export interface AppAndBareSamples {
  /** Milliseconds of each run through the app, and of the same statements sent bare. */
  app: number[];
  bare: number[];
}

/**
 * Warm-up, then app and bare alternately (drift hits both alike) until `iterations` or the time
 * budget runs out, at least `minimum` each unless that takes over 3 budgets.
 */
export async function sampleAppAndBare(
  app: () => Promise<unknown>,
  bare: () => Promise<unknown>,
  limits: { iterations: number; budgetSeconds: number; warmup?: number; minimum?: number },
): Promise<AppAndBareSamples & { seconds: number }> {
  const once = async (run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    return performance.now() - started;
  };
  const warming = performance.now();
  for (let i = 0; i < (limits.warmup ?? 5) && (i === 0 || seconds(warming) < limits.budgetSeconds / 4); i++) {
    await once(app);
    await once(bare);
  }
  const samples: AppAndBareSamples = { app: [], bare: [] };
  const started = performance.now();
  while (
    (samples.app.length < (limits.minimum ?? 10) && seconds(started) < 3 * limits.budgetSeconds) ||
    (samples.app.length < limits.iterations && seconds(started) < limits.budgetSeconds)
  ) {
    samples.app.push(await once(app));
    samples.bare.push(await once(bare));
  }
  return { ...samples, seconds: seconds(started) };
}

/** NAME-p50|p95, NAME-bare-p50|p95 and NAME-ratio (app p95 ÷ bare p95: what the app adds to SQL). */
export function reportAppAndBare(name: string, samples: AppAndBareSamples): void {
  const appP95 = percentile(samples.app, 95);
  const bareP95 = percentile(samples.bare, 95);
  report(`${name}-p50`, percentile(samples.app, 50), "ms");
  report(`${name}-p95`, appP95, "ms");
  report(`${name}-bare-p50`, percentile(samples.bare, 50), "ms");
  report(`${name}-bare-p95`, bareP95, "ms");
  report(`${name}-ratio`, appP95 / bareP95, "x");
}
