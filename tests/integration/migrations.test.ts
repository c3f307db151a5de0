import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, it } from "vitest";
import { stopEmbeddedPostgres } from "../../prisma/tools/local-postgres.mjs";
import { migrateScript, repoRoot } from "../support/test-database-config";

// prisma/tools/migrate.mjs as CI and developers run it (a child process, like `npm run db:*`), with
// this file's DATABASE_URL: `diff` replays the migrations on a temporary shadow database of the
// same server, exactly as `npm run db:check` does.
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
  // As root, PostgreSQL runs as another user, which must be able to reach its folder in here.
  await fs.chmod(scratch, 0o755);
});
afterAll(() => fs.rm(scratch, { recursive: true, force: true }));

// Concurrent: each test is one to three child processes (migrate.mjs skips V8's optimising compiler).
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

  it("embedded:<dir> creates a PostgreSQL server in that folder on first use; deploy then status agree", async ({
    expect,
  }) => {
    const url = `embedded:${path.join(scratch, "fresh-server")}`;
    try {
      const before = await migrate("status", "--url", url);
      expect(before.code).toBe(1);
      expect(before.stdout).toMatch(/Pending: \d{14}_init/);

      // A second process finds the running server (and its password) instead of starting another.
      const deploy = await migrate("deploy", "--url", url);
      expect(deploy).toMatchObject({ code: 0, stdout: expect.stringMatching(/Applied: \d{14}_init/) });
      expect(await migrate("status", "--url", url)).toMatchObject({
        code: 0,
        stdout: expect.stringContaining("up to date"),
      });

      // Stopped (a reboot), the next command starts it again on the same data.
      expect(await stopEmbeddedPostgres(path.join(scratch, "fresh-server"))).toBe(true);
      expect(await migrate("status", "--url", url)).toMatchObject({
        code: 0,
        stdout: expect.stringContaining("up to date"),
      });
    } finally {
      await stopEmbeddedPostgres(path.join(scratch, "fresh-server"));
    }
  });

  it("names the problem when the URL is not one we support", async ({ expect }) => {
    const result = await migrate("status", "--url", "mysql://localhost/shop");
    expect(result).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("use embedded:<dir> or postgresql://"),
    });
  });
});
