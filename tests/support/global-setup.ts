import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { serverUrl, startEmbeddedPostgres, stopEmbeddedPostgres } from "../../prisma/tools/local-postgres.mjs";
import {
  migrateScript,
  repoRoot,
  testServerRoot,
  templateHash,
  wantsPostgres,
  withDatabaseName,
  type TestDatabaseTemplate,
} from "./test-database-config";

// Once per `vitest run`: a template database with every migration applied, which each test file
// copies with CREATE DATABASE … TEMPLATE (tests/support/database.ts). The server is a fresh
// embedded PostgreSQL of this run's own (the app's default database, tuned for throwaway data), or
// with SHOPDESK_TEST_DB=postgres the server DATABASE_URL names (npm run test:pg, another version).

const STALE_AFTER_MS = 60 * 60 * 1000;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  const server = wantsPostgres() ? { adminUrl: externalAdminUrl(), stop: async () => {} } : await startRunServer(runId);
  try {
    const template = await preparePostgresTemplate(runId, server.adminUrl);
    project.provide("testDatabaseTemplate", template);
    return async () => {
      await dropRunDatabases(template);
      await server.stop();
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
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

function externalAdminUrl(): string {
  const adminUrl = process.env.DATABASE_URL ?? "";
  if (!/^postgres(ql)?:\/\//.test(adminUrl)) {
    throw new Error(
      "SHOPDESK_TEST_DB=postgres needs DATABASE_URL=postgresql://user@host:port/postgres (a role with CREATEDB).",
    );
  }
  return adminUrl;
}

// ---- This run's embedded server -------------------------------------------------------------

async function startRunServer(runId: string): Promise<{ adminUrl: string; stop: () => Promise<void> }> {
  await fs.mkdir(testServerRoot, { recursive: true });
  await pruneCrashedRuns();
  const dataDir = path.join(testServerRoot, `run-${runId}`);
  const { state } = await startEmbeddedPostgres(dataDir, { tuneForTests: true });
  return {
    adminUrl: serverUrl(state, "postgres"),
    stop: async () => {
      await stopEmbeddedPostgres(dataDir);
      await fs.rm(dataDir, { recursive: true, force: true });
      await fs.rm(`${dataDir}.log`, { force: true });
    },
  };
}

/** Servers and folders of runs that crashed (killed before their teardown), once an hour old. */
async function pruneCrashedRuns(): Promise<void> {
  const now = Date.now();
  for (const entry of await fs.readdir(testServerRoot)) {
    const full = path.join(testServerRoot, entry);
    const stat = await fs.stat(full).catch(() => null);
    if (!stat || now - stat.mtimeMs <= STALE_AFTER_MS) continue;
    if (stat.isDirectory()) await stopEmbeddedPostgres(full).catch(() => {});
    await fs.rm(full, { recursive: true, force: true });
  }
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

async function preparePostgresTemplate(runId: string, adminUrl: string): Promise<TestDatabaseTemplate> {
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
  return { adminUrl, templateName, databasePrefix: `shopdesk_test_${runId}_` };
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
async function dropRunDatabases(template: TestDatabaseTemplate): Promise<void> {
  await withAdmin(template.adminUrl, async (admin) => {
    const leftovers = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
      [template.databasePrefix],
    );
    for (const { datname } of leftovers.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}
