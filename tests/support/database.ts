import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { withDatabaseName, type TestDatabaseTemplate } from "./test-database-config";

export interface TestDatabase {
  /** The DATABASE_URL this test file runs against (already set in process.env). */
  url: string;
  /** Closes the app's connection if one was opened, then deletes the database. */
  dispose(): Promise<void>;
}

/**
 * Gives the current test file a database of its own, copied from the migrated template the global
 * setup built, and points process.env.DATABASE_URL at it. Call it before any app module is
 * imported (tests/support/setup-integration.ts does): ~/env.server reads the variable once.
 */
export async function prepareTestDatabase(): Promise<TestDatabase> {
  const template = inject("testDatabaseTemplate");
  const database = await createFromTemplate(template);
  process.env.DATABASE_URL = database.url;
  return {
    url: database.url,
    dispose: async () => {
      await closeAppDatabase();
      await database.remove();
    },
  };
}

const uniqueSuffix = () => `${process.pid}_${randomBytes(4).toString("hex")}`;

async function createFromTemplate(template: TestDatabaseTemplate) {
  const name = `${template.databasePrefix}${uniqueSuffix()}`;
  await adminQuery(template.adminUrl, `CREATE DATABASE "${name}" TEMPLATE "${template.templateName}"`);
  return {
    url: withDatabaseName(template.adminUrl, name),
    remove: () => adminQuery(template.adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    // Two files copying the template at the same instant: PostgreSQL refuses the second while the
    // first holds it ("source database is being accessed by other users"); wait and retry.
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(sql);
        return;
      } catch (error) {
        const busy = (error as { code?: string }).code === "55006";
        if (!busy || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  } finally {
    await client.end();
  }
}

// Only when a test opened it: importing ~/db.server just to close it would open a database.
async function closeAppDatabase(): Promise<void> {
  if (!(Symbol.for("shopdesk.database") in globalThis)) return;
  const { closeDatabase } = await import("~/db.server");
  await closeDatabase();
}
