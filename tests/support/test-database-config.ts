import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Shared by the global setup (builds a migrated template once per run) and database.ts (gives
// each test file its own copy).

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const migrationsDir = path.join(repoRoot, "prisma/migrations");
export const migrateScript = path.join(repoRoot, "prisma/tools/migrate.mjs");

/** Where PGlite templates and per-file copies live (the OS temp dir, never the repo). */
export const pgliteCacheRoot = path.join(os.tmpdir(), "shopdesk-test-db");

export type TestDatabaseTemplate =
  | { kind: "pglite"; templateDir: string; runDir: string }
  | { kind: "postgres"; adminUrl: string; templateName: string; databasePrefix: string };

declare module "vitest" {
  export interface ProvidedContext {
    testDatabaseTemplate: TestDatabaseTemplate;
  }
}

export function wantsPostgres(): boolean {
  return process.env.SHOPDESK_TEST_DB === "postgres";
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => statSync(path.join(dir, file)).isFile())
    .sort();
}

/**
 * Changes whenever a migration, the engine or the embedded Postgres changes: the cache key of the
 * migrated template, so a rerun with the same migrations skips migrating (PGlite takes seconds).
 */
export function templateHash(): string {
  const hash = createHash("sha256");
  for (const file of filesUnder(migrationsDir)) {
    hash
      .update(file)
      .update("\0")
      .update(readFileSync(path.join(migrationsDir, file)))
      .update("\0");
  }
  for (const pkg of ["@electric-sql/pglite", "@prisma/schema-engine-wasm"]) {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, "node_modules", pkg, "package.json"), "utf8")) as {
      version: string;
    };
    hash.update(`${pkg}@${manifest.version}\0`);
  }
  return hash.digest("hex").slice(0, 16);
}

/** postgresql://…/<database> with the same server and credentials as `url`. */
export function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
