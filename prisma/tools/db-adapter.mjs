// Connection helpers shared by the migration runner (prisma/tools/migrate.mjs) and the app
// (app/db.server.ts): which database a DATABASE_URL names, opening PGlite safely, and the Prisma
// driver-adapter factory the WASM schema engine needs.
//
//   pglite:<dir>          embedded PostgreSQL (WASM) persisted in <dir>, relative to the cwd
//   pglite:memory         embedded, in memory (gone when the process exits)
//   postgres(ql)://…      a PostgreSQL server through node-postgres
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";

/**
 * @typedef {{ kind: "pglite", dataDir: string | null } | { kind: "postgres", url: string }} DatabaseTarget
 * dataDir is an absolute path, or null for an in-memory PGlite.
 */

/**
 * @param {string | undefined} url
 * @returns {DatabaseTarget}
 */
export function parseDatabaseUrl(url) {
  if (!url) throw new Error("No database URL: set DATABASE_URL (pglite:<dir>, pglite:memory or postgresql://…).");
  if (url.startsWith("pglite:")) {
    const where = url.slice("pglite:".length);
    if (where === "memory" || where === "memory://") return { kind: "pglite", dataDir: null };
    if (where === "") throw new Error("DATABASE_URL pglite: needs a folder (pglite:./.shopdesk/db) or pglite:memory.");
    return { kind: "pglite", dataDir: path.resolve(where) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: "postgres", url };
  throw new Error(`Unsupported DATABASE_URL "${redactUrl(url)}": use pglite:<dir>, pglite:memory or postgresql://…`);
}

/** The URL without its password, for error messages and logs. */
export function redactUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ":***@");
  }
}

// ---------------------------------------------------------------------------------------------
// PGlite: one process per data folder
// ---------------------------------------------------------------------------------------------

// PGlite has no postmaster: two processes (the dev server and `npm run db:migrate`, say) opening
// the same folder silently corrupt it. A lock file next to the folder, holding the owner's pid,
// turns that into a clear error. A lock whose process is gone (crash, kill -9) is taken over.
const heldLocks = new Set();

function lockPathFor(dataDir) {
  return `${dataDir}.lock`;
}

function isProcessAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === "EPERM";
  }
}

/**
 * @param {string} dataDir
 * @returns {() => void} releases the lock
 */
export function lockPgliteDir(dataDir) {
  const lockPath = lockPathFor(dataDir);
  mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      heldLocks.add(lockPath);
      return () => releasePgliteLock(lockPath);
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== "EEXIST") throw error;
    }
    const owner = Number.parseInt(readFileSync(lockPath, "utf8"), 10);
    // Our own pid in a lock we did not take is a leftover (containers reuse low pids).
    const ownedElsewhere = owner > 0 && owner !== process.pid && isProcessAlive(owner);
    if (ownedElsewhere || heldLocks.has(lockPath)) {
      throw new Error(
        `The PGlite database ${dataDir} is in use by process ${owner} (the dev server, a worker or a migration?). ` +
          "PGlite allows one process per folder: stop that process first.",
      );
    }
    unlinkSync(lockPath); // stale: its owner is gone
  }
  throw new Error(`Could not lock ${dataDir}`);
}

function releasePgliteLock(lockPath) {
  if (!heldLocks.delete(lockPath)) return;
  try {
    unlinkSync(lockPath);
  } catch {
    // already gone
  }
}

// A process that exits without closing the database still frees its folder for the next one.
process.once("exit", () => {
  for (const lockPath of [...heldLocks]) releasePgliteLock(lockPath);
});

/**
 * Opens (creating if missing) a PGlite database and locks its folder for this process. Synchronous
 * so the app can build its Prisma client at import time; PGlite queues queries until it is ready
 * (await `pglite.waitReady` to surface a startup failure early).
 * @param {string | null} dataDir absolute folder, or null for memory
 * @returns {{ pglite: PGlite, close: () => Promise<void> }}
 */
export function openPglite(dataDir) {
  if (dataDir === null) {
    const pglite = new PGlite("memory://");
    return { pglite, close: () => closePglite(pglite) };
  }
  const release = lockPgliteDir(dataDir);
  try {
    mkdirSync(dataDir, { recursive: true });
    const pglite = new PGlite(dataDir, { loadDataDir: emptyClusterDumpFor(dataDir) });
    return {
      pglite,
      close: async () => {
        try {
          await closePglite(pglite);
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

async function closePglite(pglite) {
  if (pglite.closed) return;
  await pglite.waitReady.catch(() => {}); // closing while it starts up throws
  if (!pglite.closed) await pglite.close();
}

// ---------------------------------------------------------------------------------------------
// Driver adapters for the WASM schema engine (migration process only)
// ---------------------------------------------------------------------------------------------

/**
 * A Prisma migration-aware adapter factory for `url`, plus `close()` for everything it opened.
 * It carries fixes that only the schema engine needs (PrismaClient never hits these paths):
 *  - pg: the schema describer reads catalog columns of type "char" (OID 18), which adapter-pg
 *    7.10 rejects as an unsupported native type; they are reported as text.
 *  - pg: PrismaPg.connectToShadowDb() in 7.10 reuses the main database (its connectionString wins
 *    over the temporary database name) and drops the temporary database before closing its pool.
 *    Replaced: shadowDatabaseUrl if configured, else CREATE/DROP a temporary database (needs
 *    CREATEDB, like the native `prisma migrate dev`).
 *  - PGlite: pglite-prisma-adapter's executeScript() does not await PGlite's exec(), so a failing
 *    migration would be recorded as applied and its error surface as an unhandled rejection.
 *  - PGlite: the shadow database (a fresh in-memory PGlite per call) is never closed; close it.
 * @param {string | undefined} url
 * @param {{ shadowDatabaseUrl?: string }} [options]
 */
export async function createMigrationAdapterFactory(url, { shadowDatabaseUrl } = {}) {
  const target = parseDatabaseUrl(url);
  return target.kind === "pglite"
    ? createPgliteMigrationFactory(target.dataDir)
    : createPgMigrationFactory(target.url, shadowDatabaseUrl);
}

async function createPgliteMigrationFactory(dataDir) {
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  const main = dataDir === null ? { pglite: await createEmptyMemoryPglite() } : openPglite(dataDir);
  await main.pglite.waitReady;
  const shadows = [];
  const factory = new PrismaPGlite(main.pglite);
  const connect = factory.connect.bind(factory);
  factory.connect = async () => awaitingExecuteScript(await connect(), main.pglite);
  factory.connectToShadowDb = async () => {
    const shadow = await createEmptyMemoryPglite();
    shadows.push(shadow);
    const adapter = awaitingExecuteScript(await new PrismaPGlite(shadow).connect(), shadow);
    adapter.dispose = () => closePglite(shadow);
    return adapter;
  };
  factory.close = async () => {
    for (const shadow of shadows) await closePglite(shadow);
    if (main.close) await main.close();
    else await closePglite(main.pglite);
  };
  return factory;
}

// initdb inside PGlite takes about 3 s; restoring a dump of a freshly initialised cluster about
// 0.5 s. Shadow databases (every `dev` and `diff`), pglite:memory and new pglite:<dir> folders
// start from such a dump, cached in the OS temp dir per PGlite version.
function emptyClusterDumpPath() {
  const entry = fileURLToPath(import.meta.resolve("@electric-sql/pglite"));
  const manifest = JSON.parse(readFileSync(path.join(path.dirname(entry), "../package.json"), "utf8"));
  return path.join(os.tmpdir(), `shopdesk-pglite-${manifest.version}-empty.tar`);
}

/**
 * A new folder (no PG_VERSION yet) starts from the cached empty cluster instead of running initdb;
 * without a cached dump (or for an existing database), PGlite initialises or opens it as usual.
 * @param {string} dataDir
 * @returns {Blob | undefined}
 */
function emptyClusterDumpFor(dataDir) {
  if (existsSync(path.join(dataDir, "PG_VERSION"))) return undefined;
  try {
    return new Blob([readFileSync(emptyClusterDumpPath())]);
  } catch {
    return undefined;
  }
}

async function createEmptyMemoryPglite() {
  const dumpPath = emptyClusterDumpPath();
  const dump = await fs.readFile(dumpPath).catch(() => null);
  if (dump) {
    try {
      return await PGlite.create("memory://", { loadDataDir: new Blob([dump]) });
    } catch {
      await fs.rm(dumpPath, { force: true }); // unreadable: rebuild it below
    }
  }
  const pglite = await PGlite.create("memory://");
  const fresh = Buffer.from(await (await pglite.dumpDataDir("none")).arrayBuffer());
  const partial = `${dumpPath}.${process.pid}`;
  await fs.writeFile(partial, fresh);
  await fs.rename(partial, dumpPath); // atomic: a concurrent reader never sees half a file
  return pglite;
}

function awaitingExecuteScript(adapter, pglite) {
  adapter.executeScript = async (script) => {
    try {
      await pglite.exec(script);
    } catch (error) {
      adapter.onError(error); // converts database errors into Prisma's DriverAdapterError
    }
  };
  return adapter;
}

async function createPgMigrationFactory(url, shadowDatabaseUrl) {
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const opened = [];
  const track = (adapter) => {
    opened.push(adapter);
    return pgCharAsText(adapter);
  };
  const factory = new PrismaPg({ connectionString: url });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => track(await connect());
  factory.connectToShadowDb = shadowDatabaseUrl
    ? async () => track(await new PrismaPg({ connectionString: shadowDatabaseUrl }).connect())
    : () => pgTemporaryShadowDb(PrismaPg, url, factory);
  factory.close = async () => {
    for (const adapter of opened) await adapter.dispose().catch(() => {});
  };
  return factory;
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

function pgCharAsText(adapter) {
  // performIO lives on the PgQueryable prototype shared with transactions: patch it once.
  const proto = Object.getPrototypeOf(Object.getPrototypeOf(adapter));
  if (!proto.__shopdeskCharAsText) {
    const performIO = proto.performIO;
    proto.performIO = async function (query) {
      const result = await performIO.call(this, query);
      for (const field of result?.fields ?? []) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
      return result;
    };
    proto.__shopdeskCharAsText = true;
  }
  return adapter;
}

async function pgTemporaryShadowDb(PrismaPg, url, mainFactory) {
  const admin = await mainFactory.connect();
  const database = `prisma_migrate_shadow_db_${randomUUID()}`;
  await admin.executeScript(`CREATE DATABASE "${database}"`);
  const dropShadow = () => admin.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
  const shadowUrl = new URL(url);
  shadowUrl.pathname = `/${database}`;
  let shadow;
  try {
    shadow = pgCharAsText(await new PrismaPg({ connectionString: shadowUrl.toString() }).connect());
  } catch (error) {
    await dropShadow();
    throw error;
  }
  const dispose = shadow.dispose.bind(shadow);
  shadow.dispose = async () => {
    await dispose(); // close the shadow's pool first: a database with open connections cannot be dropped
    await dropShadow();
  };
  return shadow;
}
