// npm run bench [-- NAME] [-- flags for the bench]
// Runs every bench/<name>.ts (or those whose name starts with NAME), each in its own Node process
// (fresh database, fresh env), and prints the figures they report: `bench FIGURE: VALUE UNIT`, figure
// names starting with the bench's name. NAME may also name figures (`webhook-ack-p99`): the bench
// it belongs to runs and only those figures print. Other output of a bench goes to stderr. Exits
// non-zero when a bench crashes or overruns.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const NOT_BENCHES = new Set(["run", "support"]);
const TIMEOUT_MS = 20 * 60_000;

const benches = readdirSync(benchDir)
  .filter((file) => file.endsWith(".ts") && !NOT_BENCHES.has(file.slice(0, -3)))
  .map((file) => file.slice(0, -3))
  .sort();

const [first, ...rest] = process.argv.slice(2);
const filter = first && !first.startsWith("--") ? first : "";
const benchArgs = filter ? rest : process.argv.slice(2);
const selected = benches.filter((name) => name.startsWith(filter) || filter.startsWith(`${name}-`));
if (selected.length === 0) {
  console.error(`No bench matches "${filter}". Benches: ${benches.join(", ")}`);
  process.exit(2);
}

function runBench(name: string): Promise<number | null> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(benchDir, `${name}.ts`), ...benchArgs], {
    cwd: path.dirname(benchDir),
    stdio: ["ignore", "pipe", "inherit"],
  });
  const timer = setTimeout(() => {
    console.error(`bench ${name}: still running after ${TIMEOUT_MS / 60_000} min, stopping it`);
    child.kill("SIGKILL");
  }, TIMEOUT_MS);
  let pending = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.startsWith("bench ")) process.stderr.write(`${line}\n`);
      else if (line.slice("bench ".length).startsWith(filter) || name.startsWith(filter)) console.log(line);
    }
  });
  return new Promise((resolve) =>
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (pending) process.stderr.write(`${pending}\n`);
      resolve(signal ? null : code);
    }),
  );
}

let failed = 0;
for (const name of selected) {
  const code = await runBench(name);
  if (code !== 0) {
    console.error(`bench ${name} failed (${code === null ? "killed" : `exit code ${code}`})`);
    failed++;
  }
}
process.exit(failed > 0 ? 1 : 0);
