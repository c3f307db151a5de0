import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "..");
const run = promisify(execFile);

// The repository's real `npm test` (its package.json script and dev/test-all.mjs) in a scratch
// folder whose steps are stand-ins: each step prints a marker, some fail.
async function npmTestWith(steps: Record<string, string>): Promise<{ code: number; stdout: string; output: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "shopdesk-test-all-"));
  scratch.push(dir);
  const repoPackage = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  await fs.mkdir(path.join(dir, "dev"));
  await fs.copyFile(path.join(repoRoot, "dev/test-all.mjs"), path.join(dir, "dev/test-all.mjs"));
  await fs.writeFile(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "npm-test-probe", private: true, scripts: { test: repoPackage.scripts.test, ...steps } }),
  );
  try {
    const { stdout, stderr } = await run("npm", ["test"], { cwd: dir });
    return { code: 0, stdout, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, output: failed.stdout + failed.stderr };
  }
}

const scratch: string[] = [];
afterEach(async () => {
  for (const dir of scratch.splice(0)) await fs.rm(dir, { recursive: true, force: true });
});

// Six npm processes per test (about 0.3 s each, several times that on a busy machine).
describe("npm test", { timeout: 30_000 }, () => {
  it("runs every step after an early failure, then reports each and fails", async () => {
    const { code, stdout, output } = await npmTestWith({
      lint: "node -e \"console.log('LINT-RAN'); process.exit(3)\"",
      typecheck: "node -e \"console.log('TYPECHECK-RAN')\"",
      "test:unit": "node -e \"console.log('UNIT-RAN'); process.exit(1)\"",
      "test:integration": "node -e \"console.log('INTEGRATION-RAN')\"",
      "test:e2e": "node -e \"console.log('E2E-RAN')\"",
    });

    expect(code).not.toBe(0);
    for (const marker of ["LINT-RAN", "TYPECHECK-RAN", "UNIT-RAN", "INTEGRATION-RAN", "E2E-RAN"]) {
      expect(output).toContain(marker);
    }
    expect(output).toMatch(/^lint\s+failed\s+\d+\.\d$/m);
    expect(output).toMatch(/^unit\s+failed\s+\d+\.\d$/m);
    expect(output).toMatch(/^integration\s+passed\s+\d+\.\d$/m);
    expect(stdout.trimEnd().split("\n").at(-1)).toBe("3 passed, 2 failed");
  });

  it("repeats each failed step's failures at the end, where CI's excerpt of the output is", async () => {
    // Like vitest's report: progress first, then its "Failed Tests" section, then the summary.
    const vitestLike = [
      "for (let i = 0; i < 500; i++) console.log('progress line ' + i);",
      "console.log('\\u001b[31m⎯⎯⎯ Failed Tests 1 ⎯⎯⎯\\u001b[39m');",
      "console.log(' FAIL  tests/integration/orders.test.ts > keeps the newest status');",
      "console.log('AssertionError: expected 2 to be 3');",
      "console.log(' Test Files  1 failed | 71 passed (72)');",
      // exitCode, not exit(): exit() can cut off output still queued for the pipe.
      "process.exitCode = 1;",
    ].join(" ");
    const { code, stdout } = await npmTestWith({
      lint: "node -e \"for (let i = 0; i < 100; i++) console.log('lint line ' + i); process.exitCode = 1\"",
      typecheck: "node -e \"console.log('ok')\"",
      "test:unit": "node -e \"console.log('ok')\"",
      "test:integration": `node -e "${vitestLike}"`,
      "test:e2e": "node -e \"console.log('E2E-RAN')\"",
    });

    expect(code).not.toBe(0);
    const afterLastStep = stdout.slice(stdout.lastIndexOf("E2E-RAN"));
    const integration = afterLastStep.slice(afterLastStep.indexOf("✗ integration failed"));
    expect(afterLastStep).toContain("✗ integration failed (npm run test:integration)");
    expect(integration).toContain(
      "\n⎯⎯⎯ Failed Tests 1 ⎯⎯⎯\n FAIL  tests/integration/orders.test.ts > keeps the newest status\nAssertionError: expected 2 to be 3\n",
    );
    expect(integration).not.toContain("progress line");
    expect(integration).not.toContain("\u001b[");
    // Without vitest's section: the step's last lines.
    const lint = afterLastStep.slice(
      afterLastStep.indexOf("✗ lint failed"),
      afterLastStep.indexOf("✗ integration failed"),
    );
    expect(lint).toContain("lint line 99");
    expect(lint).not.toContain("lint line 10\n");
    expect(afterLastStep.indexOf("✗ integration failed")).toBeLessThan(afterLastStep.indexOf("step  "));
    expect(stdout.trimEnd().split("\n").at(-1)).toBe("3 passed, 2 failed");
  });

  it("moves on when a step exits but leaves a process holding its output open", async () => {
    const leaves = `node -e "require('child_process').spawn('sleep', ['40'], { stdio: 'inherit', detached: true }).unref(); console.log('LEFT-ONE')"`;
    const ok = "node -e \"console.log('ok')\"";
    const started = performance.now();
    const { code, stdout } = await npmTestWith({
      lint: leaves,
      typecheck: ok,
      "test:unit": ok,
      "test:integration": ok,
      "test:e2e": ok,
    });

    expect(code).toBe(0);
    expect(stdout).toContain("LEFT-ONE");
    expect(stdout.trimEnd().split("\n").at(-1)).toBe("5 passed, 0 failed");
    expect(performance.now() - started).toBeLessThan(25_000); // not the 40 s the process lives
  });

  it("exits 0 when every step passes", async () => {
    const ok = "node -e \"console.log('ok')\"";
    const { code, stdout } = await npmTestWith({
      lint: ok,
      typecheck: ok,
      "test:unit": ok,
      "test:integration": ok,
      "test:e2e": ok,
    });

    expect(code).toBe(0);
    expect(stdout.trimEnd().split("\n").at(-1)).toBe("5 passed, 0 failed");
  });
});
