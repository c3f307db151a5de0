#!/usr/bin/env node
// `npm test`: every check, in order, each one run even when an earlier one failed (an `&&` chain
// hid the integration and end-to-end results behind the first failure), then a table of what
// passed and failed and how long it took, after the failures themselves: CI keeps only the end of
// the output, where an early step's failing tests used to be out of sight. Exit 1 if any step failed.
//
//   npm test                       lint, typecheck, unit, integration, e2e
//   npm test -- unit integration   only those steps (names from the table below)
import { spawn } from "node:child_process";
import { stripVTControlCharacters } from "node:util";

const STEPS = [
  { name: "lint", script: "lint" },
  { name: "typecheck", script: "typecheck" },
  { name: "unit", script: "test:unit" },
  { name: "integration", script: "test:integration" },
  { name: "e2e", script: "test:e2e" },
];

function chooseSteps(args) {
  if (args.length === 0) return STEPS;
  const unknown = args.filter((arg) => !STEPS.some((step) => step.name === arg));
  if (unknown.length) {
    console.error(`Unknown step ${unknown.join(", ")}: choose from ${STEPS.map((step) => step.name).join(", ")}.`);
    process.exit(2);
  }
  return STEPS.filter((step) => args.includes(step.name));
}

// Ctrl-C reaches the running step too (same process group); after it ends, stop instead of
// starting the next one.
let interrupted = false;
process.on("SIGINT", () => (interrupted = true));
process.on("SIGTERM", () => (interrupted = true));

const DIGEST_LINES = 120;

/**
 * What to repeat at the end for a failed step: vitest's own "Failed Tests" section when it printed
 * one (each failing test with its error), else the step's last lines.
 * @param {string} output the step's stdout and stderr, as printed
 */
function failureDigest(output) {
  const lines = stripVTControlCharacters(output).split("\n");
  const failedTests = lines.findLastIndex((line) => /^⎯+ Failed Tests \d+ ⎯+$/.test(line.trim()));
  const excerpt = failedTests >= 0 ? lines.slice(failedTests) : lines.slice(-40);
  const kept = excerpt.slice(0, DIGEST_LINES);
  if (excerpt.length > kept.length)
    kept.push(`… ${excerpt.length - kept.length} more lines above, in the step's output`);
  return kept.join("\n").trimEnd();
}

/** @returns {Promise<{ code: number, output: string }>} exit code (1 if it could not start or was killed) and output */
function runScript(script) {
  // Under `npm test` npm names itself in npm_execpath: reuse that npm, not whatever is on PATH.
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli?.endsWith(".js")
    ? [process.execPath, [npmCli, "run", script]]
    : ["npm", ["run", script]];
  return new Promise((resolve) => {
    // Piped (to keep a copy for the digest) but still shown as it comes, in colour on a terminal.
    const env = process.stdout.isTTY && !process.env.NO_COLOR ? { ...process.env, FORCE_COLOR: "1" } : process.env;
    const child = spawn(command, args, {
      stdio: ["inherit", "pipe", "pipe"],
      env,
      shell: process.platform === "win32" && !npmCli,
    });
    const chunks = [];
    for (const [from, to] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      from.on("data", (chunk) => {
        chunks.push(chunk);
        to.write(chunk);
      });
    }
    child.on("error", (error) => {
      console.error(`Could not start npm run ${script}: ${error.message}`);
      resolve({ code: 1, output: error.message });
    });
    // The output is complete once the pipes close, but a process the step left running (a server,
    // a browser) may hold them open: after the step exits, wait for that at most a few seconds.
    const finish = (code) => resolve({ code: code ?? 1, output: Buffer.concat(chunks).toString("utf8") });
    child.on("exit", (code) => {
      const stragglers = setTimeout(() => finish(code), 3000);
      child.on("close", () => {
        clearTimeout(stragglers);
        finish(code);
      });
    });
  });
}

const results = [];
for (const step of chooseSteps(process.argv.slice(2))) {
  if (interrupted) {
    results.push({ ...step, status: "not run", seconds: 0 });
    continue;
  }
  console.log(`\n▶ npm run ${step.script}\n`);
  const started = performance.now();
  const { code, output } = await runScript(step.script);
  results.push({
    ...step,
    status: code === 0 ? "passed" : "failed",
    seconds: (performance.now() - started) / 1000,
    digest: code === 0 ? "" : failureDigest(output),
  });
}

for (const result of results.filter((result) => result.digest)) {
  console.log(`\n✗ ${result.name} failed (npm run ${result.script}):\n\n${result.digest}`);
}

const width = Math.max(...results.map((result) => result.name.length), "step".length);
console.log(`\n${"step".padEnd(width)}  result   seconds`);
for (const result of results) {
  console.log(`${result.name.padEnd(width)}  ${result.status.padEnd(7)}  ${result.seconds.toFixed(1).padStart(7)}`);
}
const passed = results.filter((result) => result.status === "passed").length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(interrupted ? 130 : failed ? 1 : 0);
