import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import {
  migrateScript,
  pgliteCacheRoot,
  repoRoot,
  templateHash,
  wantsPostgres,
  withDatabaseName,
  type TestDatabaseTemplate,
} from "./test-database-config";

// Once per `vitest run`: a database with every migration applied, which each test file copies
// (tests/support/database.ts). PGlite: a data folder in the OS temp dir, kept between runs and
// keyed by the migrations' hash. PostgreSQL (SHOPDESK_TEST_DB=postgres, server from DATABASE_URL):
// a template database, also keyed by the hash, copied with CREATE DATABASE … TEMPLATE.

const STALE_AFTER_MS = 60 * 60 * 1000;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  const template = wantsPostgres() ? await preparePostgresTemplate(runId) : await preparePgliteTemplate(runId);
  project.provide("testDatabaseTemplate", template);
  return () => (template.kind === "pglite" ? removeRunDir(template.runDir) : dropRunDatabases(template));
}

function migrate(url: string, verb: "deploy"): void {
  const result = spawnSync(process.execPath, [migrateScript, verb, "--url", url], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: url },
  });
  if (result.status !== 0) {
    throw new Error(`Migrating the test template failed (${url}):\n${result.stdout}\n${result.stderr}`);
  }
}

// ---- PGlite ---------------------------------------------------------------------------------

async function preparePgliteTemplate(runId: string): Promise<TestDatabaseTemplate> {
  await fs.mkdir(pgliteCacheRoot, { recursive: true });
  const templateDir = path.join(pgliteCacheRoot, `template-${templateHash()}`);
  if (!existsSync(templateDir)) {
    // Built aside then renamed, so a concurrent run never copies a half-migrated folder.
    const building = `${templateDir}.building-${runId}`;
    migrate(`pglite:${building}`, "deploy");
    await fs.rename(building, templateDir).catch(async () => {
      await fs.rm(building, { recursive: true, force: true }); // another run finished first
    });
  }
  // Marks the template as in use: another run on this machine (other migrations) prunes templates
  // by age, and must not delete this one while this run copies from it.
  const now = new Date();
  await fs.utimes(templateDir, now, now);
  await pruneStaleEntries(path.basename(templateDir));
  const runDir = path.join(pgliteCacheRoot, `run-${runId}`);
  await fs.mkdir(runDir, { recursive: true });
  return { kind: "pglite", templateDir, runDir };
}

/** Old templates (other migrations) and folders of runs that crashed, once they are an hour old. */
async function pruneStaleEntries(keep: string): Promise<void> {
  const now = Date.now();
  for (const entry of await fs.readdir(pgliteCacheRoot)) {
    if (entry === keep) continue;
    const full = path.join(pgliteCacheRoot, entry);
    const stat = await fs.stat(full).catch(() => null);
    if (stat && now - stat.mtimeMs > STALE_AFTER_MS) await fs.rm(full, { recursive: true, force: true });
  }
}

async function removeRunDir(runDir: string): Promise<void> {
  await fs.rm(runDir, { recursive: true, force: true });
}

// ---- PostgreSQL -----------------------------------------------------------------------------

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function preparePostgresTemplate(runId: string): Promise<TestDatabaseTemplate> {
  const adminUrl = process.env.DATABASE_URL ?? "";
  if (!/^postgres(ql)?:\/\//.test(adminUrl)) {
    throw new Error(
      "SHOPDESK_TEST_DB=postgres needs DATABASE_URL=postgresql://user@host:port/postgres (a role with CREATEDB).",
    );
  }
  const templateName = `shopdesk_tpl_${templateHash()}`;
  await withAdmin(adminUrl, async (admin) => {
    await dropOtherTemplates(admin, templateName);
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [templateName]);
    if (exists.rowCount) return;
    const building = `${templateName}_b${runId}`;
    await admin.query(`CREATE DATABASE "${building}"`);
    try {
      migrate(withDatabaseName(adminUrl, building), "deploy");
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${templateName}"`);
    } catch (error) {
      await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      const raced = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [templateName]);
      if (!raced.rowCount) throw error; // not another run finishing first: a real failure
    }
  });
  return { kind: "postgres", adminUrl, templateName, databasePrefix: `shopdesk_test_${runId}_` };
}

/** Templates of older migrations. One another run is copying right now stays (DROP refuses). */
async function dropOtherTemplates(admin: pg.Client, keep: string): Promise<void> {
  const others = await admin.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE starts_with(datname, 'shopdesk_tpl_') AND datname <> $1",
    [keep],
  );
  for (const { datname } of others.rows) {
    await admin.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => {});
  }
}

/** Databases of this run that a crashed test file left behind. */
async function dropRunDatabases(template: Extract<TestDatabaseTemplate, { kind: "postgres" }>): Promise<void> {
  await withAdmin(template.adminUrl, async (admin) => {
    const leftovers = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
      [template.databasePrefix],
    );
    for (const { datname } of leftovers.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}
