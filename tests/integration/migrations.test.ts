import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, it } from "vitest";
import { lockPgliteDir } from "../../prisma/tools/db-adapter.mjs";
import { migrateScript, repoRoot } from "../support/test-database-config";

// prisma/tools/migrate.mjs as CI and developers run it (a child process, like `npm run db:*`), with
// this file's DATABASE_URL. `diff` never opens a PGlite folder (it works on in-memory copies), so
// the db:check tests run exactly as `npm run db:check` does; on PostgreSQL it uses the server.
const run = promisify(execFile);

async function migrate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [migrateScript, ...args], { cwd: repoRoot });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let scratch = "";
beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), "shopdesk-migrate-test-"));
});
afterAll(() => fs.rm(scratch, { recursive: true, force: true }));

// Concurrent: each test is one to three child processes. They stay cheap: a new PGlite folder
// starts from a cached empty cluster, not initdb, and migrate.mjs skips V8's optimising compiler.
describe.concurrent("migrate.mjs", () => {
  it("db:check: prisma/schema.prisma and prisma/migrations agree", async ({ expect }) => {
    const result = await migrate("diff", "--check");
    expect(result.stderr).not.toContain("Drift");
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining("No difference detected") });
  });

  it("db:check: a schema change without a migration is drift (exit 2, with a summary)", async ({ expect }) => {
    const schema = await fs.readFile(path.join(repoRoot, "prisma/schema.prisma"), "utf8");
    const drifted = path.join(scratch, "drifted.prisma");
    await fs.writeFile(drifted, `${schema}\nmodel DriftProbe {\n  id    String @id\n  label String\n}\n`);

    const result = await migrate("diff", "--check", "--schema", drifted);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("DriftProbe");
    expect(result.stderr).toContain("npm run db:migrate -- --name");
  });

  it("status reports pending migrations until deploy applies them", async ({ expect }) => {
    const url = `pglite:${path.join(scratch, "fresh-db")}`;
    const before = await migrate("status", "--url", url);
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/Pending: \d{14}_init/);

    const deploy = await migrate("deploy", "--url", url);
    expect(deploy).toMatchObject({ code: 0, stdout: expect.stringMatching(/Applied: \d{14}_init/) });
    expect(await migrate("status", "--url", url)).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("up to date"),
    });
  });

  it("refuses a PGlite folder another live process has open", async ({ expect }) => {
    const dir = path.join(scratch, "busy-db");
    const release = lockPgliteDir(dir); // as the dev server does when it opens the database
    try {
      const result = await migrate("status", "--url", `pglite:${dir}`);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`in use by process ${process.pid}`);
    } finally {
      release();
    }
  });

  it("names the problem when the URL is not one we support", async ({ expect }) => {
    const result = await migrate("status", "--url", "mysql://localhost/shop");
    expect(result).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("pglite:<dir>, pglite:memory or postgresql://"),
    });
  });
});
