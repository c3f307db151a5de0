import type { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { env } from "~/env.server";
import { PrismaClient } from "~/generated/prisma/client";
import { logger } from "~/lib/logger.server";
import { openPglite, parseDatabaseUrl, redactUrl } from "../prisma/tools/db-adapter.mjs";

// The Prisma client, on the database DATABASE_URL names (docs/decisions/002-database.md):
//   pglite:<dir> | pglite:memory  embedded PostgreSQL in this process (the default)
//   postgres(ql)://…              a PostgreSQL server through node-postgres

type CloseHook = () => Promise<void>;

interface Database {
  prisma: PrismaClient;
  /** The embedded database, when DATABASE_URL is pglite:…; the job queue shares it. */
  pglite: PGlite | null;
  closeHooks: Set<CloseHook>;
  close(): Promise<void>;
}

// One database per process, kept on globalThis: Vite's dev server re-evaluates modules on every
// change, and a second PGlite on the same folder would corrupt it.
const GLOBAL_KEY = Symbol.for("shopdesk.database");
type DatabaseGlobal = typeof globalThis & { [GLOBAL_KEY]?: Database };
const holder = globalThis as DatabaseGlobal;

function openDatabase(url: string): Database {
  const target = parseDatabaseUrl(url);
  if (target.kind === "postgres") {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: target.url }) });
    logger.debug("database: PostgreSQL", { url: redactUrl(target.url) });
    return withClose(prisma, null, async () => prisma.$disconnect());
  }
  const { pglite, close } = openPglite(target.dataDir);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  logger.debug("database: PGlite", { dataDir: target.dataDir ?? "memory" });
  return withClose(prisma, pglite, async () => {
    await prisma.$disconnect();
    await close();
  });
}

function withClose(prisma: PrismaClient, pglite: PGlite | null, disconnect: () => Promise<void>): Database {
  const closeHooks = new Set<CloseHook>();
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      // Hooks first (the job queue stops and finishes its jobs) while the connection still works.
      for (const hook of [...closeHooks].reverse()) {
        await hook().catch((error: unknown) => logger.error("database close hook failed", { error }));
      }
      await disconnect();
    })();
    return closing;
  };
  return { prisma, pglite, closeHooks, close };
}

function database(): Database {
  holder[GLOBAL_KEY] ??= openDatabase(env.DATABASE_URL);
  return holder[GLOBAL_KEY];
}

export const db: PrismaClient = database().prisma;

/** The PGlite instance behind `db`, or null on PostgreSQL. */
export const pglite: PGlite | null = database().pglite;

/**
 * Runs `hook` when the database is about to close (before the connection goes), so whatever uses it
 * (the job queue) can finish first. Returns a function that unregisters it.
 */
export function onDatabaseClose(hook: CloseHook): () => void {
  const { closeHooks } = database();
  closeHooks.add(hook);
  return () => closeHooks.delete(hook);
}

/**
 * Closes the database for this process (shutdown, end of a test file): close hooks, then Prisma,
 * then PGlite and its folder lock. Safe to call twice; a later import opens a fresh one.
 */
export async function closeDatabase(): Promise<void> {
  const current = holder[GLOBAL_KEY];
  if (!current) return;
  await current.close();
  if (holder[GLOBAL_KEY] === current) delete holder[GLOBAL_KEY];
}
