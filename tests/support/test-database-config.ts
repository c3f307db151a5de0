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

/** Where each run's embedded PostgreSQL server keeps its data (the OS temp dir, never the repo). */
export const testServerRoot = path.join(os.tmpdir(), "shopdesk-test-db");

export interface TestDatabaseTemplate {
  adminUrl: string;
  templateName: string;
  databasePrefix: string;
}

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
 * Changes whenever a migration or the engine changes: the name of the migrated template database,
 * so a rerun on the same server with the same migrations skips migrating.
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
  for (const pkg of ["@prisma/schema-engine-wasm"]) {
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
