import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/test-database-config";

// `npm run worker` in production runs the bundled build/worker/worker.js on node alone. Everything
// the bundle pulls in must behave as a library there (a module that ran its own command line when
// it was "the main script" once made the bundled worker print a usage line and exit at start).

// Inside the repository, so the bundle's packages resolve from node_modules as in build/worker/.
const cacheDir = path.join(repoRoot, "node_modules/.cache");
mkdirSync(cacheDir, { recursive: true });
const outDir = mkdtempSync(path.join(cacheDir, "shopdesk-worker-build-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe("the built job worker", () => {
  it("starts on this file's database, keeps running, and stops cleanly on SIGTERM", async () => {
    const build = spawnSync(
      process.execPath,
      [
        "node_modules/vite/bin/vite.js",
        "build",
        "--config",
        "vite.worker.config.ts",
        "--outDir",
        outDir,
        "--logLevel",
        "error",
      ],
      { cwd: repoRoot, encoding: "utf8" },
    );
    expect(build.status, build.stderr).toBe(0);

    const child = spawn(process.execPath, [path.join(outDir, "worker.js")], {
      cwd: repoRoot,
      env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "info" }, // DATABASE_URL: this file's database
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

    const deadline = Date.now() + 30_000;
    while (!output.includes('"worker started"') && child.exitCode === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(output).toContain('"worker started"');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(child.exitCode, output).toBeNull(); // still working

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
