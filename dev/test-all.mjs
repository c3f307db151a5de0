#!/usr/bin/env node
// `npm test`: every check, in order, each one run even when an earlier one failed (an `&&` chain
// hid the integration and end-to-end results behind the first failure), then a table of what
// passed and failed and how long it took. Exit 1 if any step failed.
//
//   npm test                       lint, typecheck, unit, integration, e2e
//   npm test -- unit integration   only those steps (names from the table below)
import { spawn } from "node:child_process";

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

/** @returns {Promise<number>} the step's exit code (1 if it could not start or was killed) */
function runScript(script) {
  // Under `npm test` npm names itself in npm_execpath: reuse that npm, not whatever is on PATH.
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli?.endsWith(".js")
    ? [process.execPath, [npmCli, "run", script]]
    : ["npm", ["run", script]];
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", shell: process.platform === "win32" && !npmCli });
    child.on("error", (error) => {
      console.error(`Could not start npm run ${script}: ${error.message}`);
      resolve(1);
    });
    child.on("exit", (code) => resolve(code ?? 1));
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
  const code = await runScript(step.script);
  results.push({ ...step, status: code === 0 ? "passed" : "failed", seconds: (performance.now() - started) / 1000 });
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
