import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "~/env.server";
import { PrismaClient } from "~/generated/prisma/client";
import { logger } from "~/lib/logger.server";
import { redactUrl } from "../prisma/tools/db-adapter.mjs";
import { resolveDatabaseUrl } from "../prisma/tools/local-postgres.mjs";

// The Prisma client on the PostgreSQL server DATABASE_URL names (docs/decisions/011-local-postgresql.md):
//   embedded:<dir>   Shopdesk's own server in that folder, started on first use (the default)
//   postgres(ql)://… any PostgreSQL server
// Always node-postgres through @prisma/adapter-pg: one driver, a pool of connections, and no query
// ever runs on this process's event loop.

type CloseHook = () => Promise<void>;

interface Database {
  prisma: PrismaClient;
  /** The postgresql:// URL in use (the job queue opens its own pool on it). */
  url: string;
  closeHooks: Set<CloseHook>;
  close(): Promise<void>;
}

/**
 * Connections of the web process's Prisma pool. Requests, job handlers and a backfill share it;
 * enough that a request never waits behind a handful of long queries, few enough that several
 * processes stay well under the server's max_connections (200 on the embedded server).
 */
const POOL_SIZE = 12;

// One database per process, kept on globalThis: Vite's dev server re-evaluates modules on every
// change, and each evaluation would otherwise open another pool.
const GLOBAL_KEY = Symbol.for("shopdesk.database");
type DatabaseGlobal = typeof globalThis & { [GLOBAL_KEY]?: Promise<Database> };
const holder = globalThis as DatabaseGlobal;

async function openDatabase(configuredUrl: string): Promise<Database> {
  const url = await resolveDatabaseUrl(configuredUrl);
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, max: POOL_SIZE, application_name: "shopdesk" }),
  });
  logger.debug("database: PostgreSQL", { url: redactUrl(url) });
  const closeHooks = new Set<CloseHook>();
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      // Hooks first (the job queue stops and finishes its jobs) while the connection still works.
      for (const hook of [...closeHooks].reverse()) {
        await hook().catch((error: unknown) => logger.error("database close hook failed", { error }));
      }
      await prisma.$disconnect();
    })();
    return closing;
  };
  return { prisma, url, closeHooks, close };
}

function database(): Promise<Database> {
  holder[GLOBAL_KEY] ??= openDatabase(env.DATABASE_URL);
  return holder[GLOBAL_KEY];
}

// Top-level await: the embedded server may have to start (about a second, once per machine boot)
// before anything can query.
const opened = await database();

export const db: PrismaClient = opened.prisma;

/** The postgresql:// URL `db` is connected to. */
export const databaseUrl: string = opened.url;

/**
 * Runs `hook` when the database is about to close (before the connection goes), so whatever uses it
 * (the job queue) can finish first. Returns a function that unregisters it.
 */
export function onDatabaseClose(hook: CloseHook): () => void {
  const { closeHooks } = opened;
  closeHooks.add(hook);
  return () => closeHooks.delete(hook);
}

/**
 * Closes the database for this process (shutdown, end of a test file): close hooks, then Prisma's
 * pool. Safe to call twice. The embedded server keeps running for the next process.
 */
export async function closeDatabase(): Promise<void> {
  const current = holder[GLOBAL_KEY];
  if (!current) return;
  await (await current).close();
  if (holder[GLOBAL_KEY] === current) delete holder[GLOBAL_KEY];
}
