// Starts Shopdesk the way Shopify would run it, all on 127.0.0.1: the store emulator, the app
// (Vite dev server or the production build under `npm start`) with the network preload that
// routes *.myshopify.com to the emulator, and the demo storefront. Used by `npm run demo` and the
// end-to-end tests, so both exercise exactly the same wiring.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseToml } from "smol-toml";
import { redactUrl } from "../prisma/tools/db-adapter.mjs";
import { embeddedDataDir, resolveDatabaseUrl, stopEmbeddedPostgres } from "../prisma/tools/local-postgres.mjs";
import { startStoreEmulator, type EmulatorSnapshot, type StoreEmulator } from "./store-emulator/index.ts";
import { adminHostParam } from "./store-emulator/signing.ts";
import { loginChoices } from "./storefront/demo-customers.ts";
import { startStorefront, type Storefront } from "./storefront/index.ts";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Dev-only credentials: the emulator accepts whatever the app is configured with. */
export const DEV_APP_CREDENTIALS = { apiKey: "shopdesk-dev-client-id", apiSecret: "shopdesk-dev-client-secret" };

export interface StackOptions {
  mode: "dev" | "build";
  /**
   * embedded:<dir> (the stack starts that folder's PostgreSQL server, or takes over one a killed
   * run left behind, and stops it with the stack) or postgresql://… (a server already running).
   */
  databaseUrl: string;
  appPort?: number;
  emulatorPort?: number;
  storefrontPort?: number;
  /** Orders and customers per seeded shop (defaults: the emulator's seed). */
  seed?: Parameters<typeof startStoreEmulator>[0]["seed"];
  log?: (line: string) => void;
  /**
   * Where the app's stdout/stderr go; default: kept in memory (the last 20 KB) and shown only if the
   * app fails to start. `{ file }` appends it to that file.
   */
  appOutput?: "inherit" | "buffer" | { file: string };
  /** A previous run's emulator.snapshot(): the stores, installs and tokens carry on (no seeding). */
  emulatorSnapshot?: EmulatorSnapshot;
}

export interface Stack {
  appUrl: string;
  /** The postgresql:// URL the app uses (for tests that check what it stored). */
  databaseUrl: string;
  /** The app's process id (its own process group). */
  appPid: number | undefined;
  emulator: StoreEmulator;
  storefront: Storefront;
  /** Opens the app for a shop as the Shopify admin would, which installs it (token exchange). */
  installShop(shopDomain: string): Promise<void>;
  /** The app's latest stdout and stderr (its JSON log lines) when started with appOutput "buffer". */
  appOutput(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** App-specific webhook subscriptions from shopify.app.toml, as Shopify would register them. */
export function webhookSubscriptionsFromToml(): { topic: string; uri: string }[] {
  const config = parseToml(readFileSync(path.join(repoRoot, "shopify.app.toml"), "utf8")) as {
    webhooks: { subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[] };
  };
  return config.webhooks.subscriptions.flatMap((subscription) =>
    [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])].map((topic) => ({
      topic,
      uri: subscription.uri,
    })),
  );
}

export function migrateDatabase(databaseUrl: string) {
  const result = spawnSync(process.execPath, [path.join(repoRoot, "prisma/tools/migrate.mjs"), "deploy"], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`Migrations failed:\n${result.stdout}\n${result.stderr}`);
}

async function waitForHttp(url: string, app: ChildProcess, output: () => string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.exitCode !== null) throw new Error(`The app exited with code ${app.exitCode}:\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The app did not answer at ${url} within ${timeoutMs / 1000}s:\n${output()}`);
}

function startApp(mode: StackOptions["mode"], port: number, env: NodeJS.ProcessEnv, output: StackOptions["appOutput"]) {
  const preload = ["--import", path.join(repoRoot, "dev/intercept.mjs")];
  const args =
    mode === "dev"
      ? [...preload, "node_modules/@remix-run/dev/dist/cli.js", "vite:dev", "--port", String(port), "--strictPort"]
      : [...preload, "server.mjs", "build/server/index.js"]; // npm start
  let buffered = "";
  const logFile = typeof output === "object" ? output.file : null;
  const logFd = logFile ? openSync(logFile, "a") : null;
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: output === "inherit" ? "inherit" : logFd !== null ? ["ignore", logFd, logFd] : ["ignore", "pipe", "pipe"],
    // Its own process group, so stopping the stack also stops whatever the app spawned.
    detached: true,
  });
  if (logFd !== null) closeSync(logFd); // the child has its own copy
  const keep = (chunk: Buffer) => {
    buffered = (buffered + chunk.toString("utf8")).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const fileTail = () => {
    const text = readFileSync(logFile!, "utf8");
    return `${text.slice(-20_000)}\n(the whole log: ${logFile}, ${statSync(logFile!).size} bytes)`;
  };
  return { child, output: logFile ? fileTail : () => buffered };
}

async function stopProcessGroup(child: ChildProcess) {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? (() => {});
  const appPort = options.appPort ?? (await freePort());
  const appUrl = `http://127.0.0.1:${appPort}`;
  const { apiKey, apiSecret } = DEV_APP_CREDENTIALS;

  const database = await openStackDatabase(options.databaseUrl);
  migrateDatabase(database.url);
  log(`database ready (${database.description})`);

  const emulator = await startStoreEmulator({
    port: options.emulatorPort ?? 0,
    app: { apiKey, apiSecret, url: appUrl },
    webhooks: webhookSubscriptionsFromToml(),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.emulatorSnapshot ? { snapshot: options.emulatorSnapshot } : {}),
  });
  log(`store emulator at ${emulator.url}`);

  const app = startApp(
    options.mode,
    appPort,
    {
      ...process.env,
      NODE_ENV: options.mode === "dev" ? "development" : "production",
      SHOPIFY_API_KEY: apiKey,
      SHOPIFY_API_SECRET: apiSecret,
      SHOPIFY_APP_URL: appUrl,
      DATABASE_URL: database.url,
      SHOPDESK_EMULATOR_URL: emulator.url,
    },
    options.appOutput,
  );
  try {
    await waitForHttp(`${appUrl}/`, app.child, app.output);
  } catch (error) {
    await stopProcessGroup(app.child);
    await emulator.close();
    await database.stop();
    throw error;
  }
  log(`Shopdesk at ${appUrl}`);

  const [firstShop] = emulator.shops();
  if (!firstShop) throw new Error("The emulator has no shops");
  const storefront = await startStorefront({
    port: options.storefrontPort ?? 0,
    appUrl,
    apiSecret,
    shop: firstShop.domain,
    shopName: firstShop.name,
    emulatorUrl: emulator.url,
    // The store's own customers, read live from the emulator, so a login names one the app knows.
    lookupCustomer: (id) => emulator.shop(firstShop.domain).customer(id) ?? null,
    loginCustomers: () => loginChoices(emulator.shop(firstShop.domain).customers()),
  });
  log(`storefront at ${storefront.url}`);

  return {
    appUrl,
    databaseUrl: database.url,
    appPid: app.child.pid,
    emulator,
    storefront,
    async installShop(shopDomain) {
      const url = new URL("/app", appUrl);
      url.searchParams.set("embedded", "1");
      url.searchParams.set("shop", shopDomain);
      url.searchParams.set("host", adminHostParam(shopDomain));
      url.searchParams.set("id_token", emulator.sessionToken(shopDomain));
      // A browser user agent: the library answers bots with 410.
      const response = await fetch(url, { headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0" } });
      if (response.status !== 200) {
        throw new Error(`Installing on ${shopDomain} failed: ${response.status} ${await response.text()}`);
      }
    },
    appOutput: () => app.output(),
    async stop() {
      await storefront.close();
      await stopProcessGroup(app.child);
      await emulator.close();
      await database.stop();
    },
  };
}

/** The stack's database: for embedded:<dir>, that folder's server, started if it is not running. */
async function openStackDatabase(databaseUrl: string) {
  const url = await resolveDatabaseUrl(databaseUrl); // the app's own resolution of DATABASE_URL
  if (!databaseUrl.startsWith("embedded:")) {
    return { url, description: "PostgreSQL server from DATABASE_URL", stop: async () => {} };
  }
  const dataDir = embeddedDataDir(databaseUrl);
  return {
    url,
    description: `${redactUrl(url)}, data in ${dataDir}`,
    stop: async () => {
      await stopEmbeddedPostgres(dataDir);
    },
  };
}
