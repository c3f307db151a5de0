#!/usr/bin/env node
// Stands in for Prisma's native `schema-engine` binary, which the CLI would download from a host
// we cannot reach. `prisma generate | validate | format` only need the file to exist. Commands that
// really need the engine (`prisma migrate *`, `prisma db *`) get a clear error instead of a hang or
// a silent exit 0; use `npm run db:migrate | db:deploy | db:status | db:check` (WASM engine).
const MESSAGE =
  "Prisma's native schema engine is not available offline. Use npm run db:migrate | db:deploy | db:status | db:check (prisma/tools/migrate.mjs, WASM schema engine).";
const args = process.argv.slice(2);
if (args.includes("--version")) {
  console.log("schema-engine-cli offline-placeholder");
  process.exit(0);
}
if (args.includes("cli")) {
  // One-shot mode: the CLI skips the first stderr line and parses the rest as JSON log lines.
  console.error("schema-engine offline placeholder");
  console.error(
    JSON.stringify({
      level: "ERROR",
      target: "schema_engine::logger",
      fields: { error_code: "OFFLINE", message: MESSAGE },
    }),
  );
  process.exit(1);
}
// JSON-RPC mode: answer every request with an error, exit when stdin closes.
let buffer = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  buffer += chunk;
  let newline;
  while ((newline = buffer.indexOf("\n")) >= 0) {
    const line = buffer.slice(0, newline);
    buffer = buffer.slice(newline + 1);
    let id = null;
    try {
      id = JSON.parse(line).id ?? null;
    } catch {
      // not JSON: answer with id null
    }
    const error = {
      code: 4466,
      message: MESSAGE,
      data: { is_panic: false, message: MESSAGE, error_code: "OFFLINE", meta: {} },
    };
    process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id, error }) + "\n");
  }
});
process.stdin.on("end", () => process.exit(0));
