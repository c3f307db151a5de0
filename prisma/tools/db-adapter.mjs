// Connection helpers shared by the migration runner (prisma/tools/migrate.mjs) and the app
// (app/db.server.ts): which database a DATABASE_URL names, and the Prisma driver-adapter factory
// the WASM schema engine needs.
//
//   embedded:<dir>        Shopdesk's own PostgreSQL server, in <dir> (local-postgres.mjs)
//   postgres(ql)://…      any PostgreSQL server
// Either way the app talks to PostgreSQL through node-postgres (@prisma/adapter-pg).
import { randomUUID } from "node:crypto";
import { embeddedDataDir, resolveDatabaseUrl } from "./local-postgres.mjs";

/**
 * @typedef {{ kind: "embedded", dataDir: string } | { kind: "postgres", url: string }} DatabaseTarget
 * dataDir is an absolute path.
 */

/**
 * @param {string | undefined} url
 * @returns {DatabaseTarget}
 */
export function parseDatabaseUrl(url) {
  if (!url) throw new Error("No database URL: set DATABASE_URL (embedded:<dir> or postgresql://…).");
  if (url.startsWith("embedded:")) return { kind: "embedded", dataDir: embeddedDataDir(url) };
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: "postgres", url };
  throw new Error(`Unsupported DATABASE_URL "${redactUrl(url)}": use embedded:<dir> or postgresql://…`);
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
 *  - pg: executeScript() in 7.10 splits a migration at every ";", which cuts a function body
 *    ($$ … $$) apart. The script goes to the server whole instead (the simple query protocol runs
 *    several statements), as the native engine sends it.
 * @param {string | undefined} url
 * @param {{ shadowDatabaseUrl?: string }} [options]
 */
export async function createMigrationAdapterFactory(url, { shadowDatabaseUrl } = {}) {
  parseDatabaseUrl(url); // a clear error for an unsupported URL
  return createPgMigrationFactory(await resolveDatabaseUrl(url), shadowDatabaseUrl);
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
  const adapterProto = Object.getPrototypeOf(adapter);
  if (!adapterProto.__shopdeskWholeScript) {
    adapterProto.executeScript = async function (script) {
      try {
        await this.client.query(script);
      } catch (error) {
        this.onError(error);
      }
    };
    adapterProto.__shopdeskWholeScript = true;
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
