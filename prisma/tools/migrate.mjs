#!/usr/bin/env node
// Shopdesk's stand-in for `prisma migrate dev|deploy|status|diff|reset`.
//
// Prisma 7's CLI only migrates through its native schema-engine binary, downloaded from a host we
// cannot rely on (offline installs, CI). The same Rust engine is published on npm compiled to
// WebAssembly (@prisma/schema-engine-wasm) and talks to the database through a driver adapter, so
// this script drives it directly. The result is interchangeable with the CLI's: same
// prisma/migrations/<timestamp>_<name>/migration.sql folders, same migration_lock.toml, same
// `_prisma_migrations` table and checksums.
//
// Usage: node prisma/tools/migrate.mjs <command> [--url URL] [--schema FILE] [--config prisma.config.ts]
//   dev --name <n> [--create-only] [--accept-data-loss]
//                      apply pending migrations, then create (and apply) one for schema changes
//   deploy             apply pending migrations (CI, production)
//   status             list applied / pending migrations; exit 1 unless up to date
//   diff [--check]     SQL from the migrations to schema.prisma; --check: exit 2 on drift
//   diff --from-empty  SQL that creates schema.prisma from an empty database
//   reset --force      drop everything (including the job queue) and re-apply all migrations
//   resolve --applied <name> | --rolled-back <name>   recover from a failed migration
// The database is --url, else DATABASE_URL, else prisma.config.ts's datasource.url.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { parseArgs } from "node:util";
import v8 from "node:v8";
import { loadConfigFromFile } from "@prisma/config";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { createMigrationAdapterFactory, parseDatabaseUrl, redactUrl } from "./db-adapter.mjs";

// Each run lives a few seconds, but by default V8 also recompiles the hot parts of the schema
// engine's WebAssembly with its optimising compiler on background threads: more CPU time than the
// run itself, never paid back. Set before any WebAssembly is compiled.
v8.setFlagsFromString("--liftoff-only");

const USAGE = "usage: migrate.mjs <dev|deploy|status|diff|reset|resolve> [--url URL] (see the header of this file)";

/** Exit codes: 0 ok, 1 error or not up to date, 2 drift (diff --check). */
const EXIT_DRIFT = 2;

// The job queue (pg-boss) keeps its own tables in this schema; reset empties it too, since its
// jobs point at rows that no longer exist.
const JOB_QUEUE_SCHEMA = "pgboss";

class UsageError extends Error {}

function parseCommandLine(argv) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: "string" },
      url: { type: "string" },
      schema: { type: "string" },
      name: { type: "string", short: "n" },
      "create-only": { type: "boolean" },
      "accept-data-loss": { type: "boolean" },
      "skip-generate": { type: "boolean" },
      check: { type: "boolean" },
      "from-empty": { type: "boolean" },
      force: { type: "boolean" },
      applied: { type: "string" },
      "rolled-back": { type: "string" },
    },
  });
  if (positionals.length !== 1) throw new UsageError(USAGE);
  return { command: positionals[0], opts: values };
}

async function loadSchemaEngine() {
  // Same sequence as @prisma/internals' wasm loader: the package entry uses an ESM wasm import,
  // which Node 20 cannot load without a flag.
  const gluePath = "@prisma/schema-engine-wasm/schema_engine_bg";
  const glue = await import(gluePath);
  const wasmUrl = new URL("schema_engine_bg.wasm", import.meta.resolve(gluePath));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmUrl)), {
    "./schema_engine_bg.js": glue,
  });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return glue;
}

async function loadProjectConfig(opts) {
  const { config, error, resolvedPath } = await loadConfigFromFile({ configFile: opts.config });
  if (error) throw new Error(`Could not load the Prisma config (${error._tag}): ${error.error?.message ?? ""}`);
  const baseDir = resolvedPath ? path.dirname(resolvedPath) : process.cwd();
  const schemaPath = opts.schema
    ? path.resolve(opts.schema)
    : path.resolve(baseDir, config.schema ?? "prisma/schema.prisma");
  const migrationsDir = path.resolve(
    baseDir,
    config.migrations?.path ?? path.join(path.dirname(schemaPath), "migrations"),
  );
  return {
    schemaPath,
    migrationsDir,
    url: opts.url ?? process.env.DATABASE_URL ?? config.datasource?.url,
    shadowDatabaseUrl: config.datasource?.shadowDatabaseUrl,
    initShadowDb: config.migrations?.initShadowDb ?? "",
    filters: { externalTables: config.tables?.external ?? [], externalEnums: config.enums?.external ?? [] },
  };
}

async function readSchemaFiles(schemaPath) {
  const stat = await fs.stat(schemaPath).catch(() => null);
  if (!stat) throw new Error(`Prisma schema not found: ${schemaPath}`);
  const files = stat.isDirectory()
    ? (await fs.readdir(schemaPath, { recursive: true }))
        .filter((file) => file.endsWith(".prisma"))
        .map((file) => path.join(schemaPath, file))
    : [schemaPath];
  return Promise.all(files.sort().map(async (file) => ({ path: file, content: await fs.readFile(file, "utf8") })));
}

const LOCK_FILE = "migration_lock.toml";

// Mirrors the CLI's listMigrations(): <dir>/<name>/migration.sql sorted by name, plus the lock file.
async function readMigrationsList(baseDir, shadowDbInitScript) {
  const lockContent = await fs.readFile(path.join(baseDir, LOCK_FILE), "utf8").catch(() => null);
  const entries = await fs.readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const migrationDirectories = [];
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const content = await fs.readFile(path.join(baseDir, entry.name, "migration.sql"), "utf8").then(
      (value) => ({ tag: "ok", value }),
      (error) => ({ tag: "error", value: error.message }),
    );
    migrationDirectories.push({ path: entry.name, migrationFile: { path: "migration.sql", content } });
  }
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  return { baseDir, lockfile: { path: LOCK_FILE, content: lockContent }, migrationDirectories, shadowDbInitScript };
}

async function writeMigration(list, { connectorType, generatedMigrationName, extension, migrationScript }) {
  const dir = path.join(list.baseDir, generatedMigrationName);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, `migration.${extension}`), migrationScript, "utf8");
  await fs.writeFile(
    path.join(list.baseDir, LOCK_FILE),
    "# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\n" +
      `provider = "${connectorType}"\n`,
    "utf8",
  );
  return dir;
}

// The WASM engine reports a missing `_prisma_migrations` table as P1014 from devDiagnostic and
// diagnoseMigrationHistory where the native engine says "not initialised": same meaning.
const isMissingMigrationsTable = (error) => error?.code === "P1014" && /_prisma_migrations/.test(error.message);

function runPrismaGenerate() {
  const cli = createRequire(import.meta.url).resolve("prisma/build/index.js");
  const result = spawnSync(process.execPath, [cli, "generate"], { stdio: "inherit" });
  if (result.status !== 0) throw new Error("prisma generate failed (see above)");
}

/** Every command gets the engine plus the project's paths; returns the exit code. */
const commands = {
  async deploy({ engine, migrations, filters, rel, cfg }) {
    const list = await migrations();
    console.log(`${list.migrationDirectories.length} migration(s) found in ${rel(cfg.migrationsDir)}`);
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: list, filters });
    console.log(
      appliedMigrationNames.length ? `Applied: ${appliedMigrationNames.join(", ")}` : "No pending migrations to apply.",
    );
    return 0;
  },

  async dev({ engine, migrations, filters, schema, opts, rel }) {
    // WASM-engine quirks: evaluateDataLoss/createMigration only find the shadow database through a
    // cache that a successful devDiagnostic fills, so devDiagnostic must run right before them
    // (after pending migrations were applied), not just once at the start.
    const list = await migrations();
    const diagnose = () => engine.devDiagnostic({ migrationsList: list, filters });
    let diagnostic = await diagnose().catch((error) =>
      isMissingMigrationsTable(error) ? null : Promise.reject(error),
    );
    if (diagnostic?.action.tag === "reset") {
      throw new Error(
        `${diagnostic.action.reason}\nThe database must be reset: npm run db:migrate is not enough; run ` +
          "`node prisma/tools/migrate.mjs reset --force` (all data will be lost).",
      );
    }
    const pending = await engine.applyMigrations({ migrationsList: list, filters });
    if (pending.appliedMigrationNames.length)
      console.log(`Applied pending: ${pending.appliedMigrationNames.join(", ")}`);
    if (!diagnostic || pending.appliedMigrationNames.length) diagnostic = await diagnose();
    if (diagnostic.action.tag === "reset") throw new Error(diagnostic.action.reason);

    const input = { migrationsList: list, schema, filters };
    const loss = await engine.evaluateDataLoss(input);
    if (loss.unexecutableSteps?.length) {
      throw new Error(loss.unexecutableSteps.map((step) => step.message).join("\n"));
    }
    for (const warning of loss.warnings ?? []) console.warn(`warning: ${warning.message}`);
    if (loss.warnings?.length && !opts["accept-data-loss"] && !opts["create-only"]) {
      throw new Error("Data loss warnings above: re-run with --accept-data-loss, or --create-only and edit the SQL.");
    }
    if (loss.migrationSteps === 0 && !opts["create-only"]) {
      console.log("Already in sync: no schema change to turn into a migration.");
      return 0;
    }
    if (!opts.name) throw new UsageError("The schema changed: name the migration with --name <what_changed>.");
    const created = await engine.createMigration({ migrationName: opts.name, draft: !!opts["create-only"], ...input });
    if (created.migrationScript === null) {
      console.log("No schema change.");
      return 0;
    }
    const dir = await writeMigration(list, created);
    console.log(`Created ${rel(dir)}/migration.${created.extension}`);
    if (opts["create-only"]) return 0;
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: await migrations(), filters });
    console.log(`Applied: ${appliedMigrationNames.join(", ")}`);
    if (!opts["skip-generate"]) runPrismaGenerate();
    return 0;
  },

  async status({ engine, migrations, filters, rel, cfg }) {
    const list = await migrations();
    const names = list.migrationDirectories.map((m) => m.path);
    const report = await engine
      .diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters })
      .catch((error) => {
        if (!isMissingMigrationsTable(error)) throw error;
        return {
          failedMigrationNames: [],
          editedMigrationNames: [],
          history: names.length ? { diagnostic: "databaseIsBehind", unappliedMigrationNames: names } : null,
        };
      });
    console.log(`${names.length} migration(s) in ${rel(cfg.migrationsDir)}`);
    for (const line of describeHistory(report)) console.log(line);
    const upToDate = !report.history && !report.failedMigrationNames?.length && !report.editedMigrationNames?.length;
    console.log(upToDate ? "Database schema is up to date." : "Database is NOT up to date.");
    return upToDate ? 0 : 1;
  },

  async diff({ engine, migrations, filters, schemaFiles, opts }) {
    const from = opts["from-empty"] ? { tag: "empty" } : { tag: "migrations", ...(await migrations()) };
    const to = { tag: "schemaDatamodel", files: schemaFiles };
    // --check prints the engine's human summary ("[+] Added tables …"); otherwise the SQL itself.
    const result = await engine.diff({ from, to, script: !opts.check, exitCode: !!opts.check, filters });
    if (result.stdout) process.stdout.write(result.stdout.endsWith("\n") ? result.stdout : `${result.stdout}\n`);
    if (opts.check && result.exitCode === EXIT_DRIFT) {
      console.error(
        "Drift: the migrations do not produce prisma/schema.prisma (changes above). " +
          "Create a migration: npm run db:migrate -- --name <what_changed>",
      );
    } else if (opts.check) {
      console.log("No drift: the migrations produce prisma/schema.prisma.");
    }
    return result.exitCode;
  },

  async reset({ engine, migrations, filters, opts, adapterFactory }) {
    if (!opts.force) throw new UsageError("reset drops all data: pass --force");
    await engine.reset({ filter: filters });
    const adapter = await adapterFactory.connect();
    await adapter.executeScript(`DROP SCHEMA IF EXISTS "${JOB_QUEUE_SCHEMA}" CASCADE`);
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: await migrations(), filters });
    console.log(`Database reset; applied: ${appliedMigrationNames.join(", ") || "(none)"}`);
    return 0;
  },

  async resolve({ engine, migrations, opts }) {
    if (opts.applied) {
      await engine.markMigrationApplied({ migrationsList: await migrations(), migrationName: opts.applied });
      console.log(`Migration ${opts.applied} marked as applied.`);
    } else if (opts["rolled-back"]) {
      await engine.markMigrationRolledBack({ migrationName: opts["rolled-back"] });
      console.log(`Migration ${opts["rolled-back"]} marked as rolled back.`);
    } else {
      throw new UsageError("resolve needs --applied <name> or --rolled-back <name>");
    }
    return 0;
  },
};

function describeHistory(report) {
  const lines = [];
  if (report.failedMigrationNames?.length) lines.push(`Failed: ${report.failedMigrationNames.join(", ")}`);
  if (report.editedMigrationNames?.length) {
    lines.push(`Edited after being applied: ${report.editedMigrationNames.join(", ")}`);
  }
  const history = report.history;
  if (history?.unappliedMigrationNames?.length) lines.push(`Pending: ${history.unappliedMigrationNames.join(", ")}`);
  if (history?.unpersistedMigrationNames?.length) {
    lines.push(`Applied but missing from the folder: ${history.unpersistedMigrationNames.join(", ")}`);
  }
  if (history && !history.unappliedMigrationNames?.length && !history.unpersistedMigrationNames?.length) {
    lines.push(`History: ${JSON.stringify(history)}`);
  }
  return lines;
}

let databaseUrl; // for error messages

async function main(argv) {
  const { command, opts } = parseCommandLine(argv);
  const run = commands[command];
  if (!run) throw new UsageError(`Unknown command "${command}". ${USAGE}`);
  const cfg = await loadProjectConfig(opts);
  databaseUrl = cfg.url;
  parseDatabaseUrl(cfg.url); // fail on a bad URL before loading the engine
  const schemaFiles = await readSchemaFiles(cfg.schemaPath);
  const adapterFactory = await createMigrationAdapterFactory(cfg.url, { shadowDatabaseUrl: cfg.shadowDatabaseUrl });
  try {
    const wasm = await loadSchemaEngine();
    const debug = (message) => process.env.DEBUG_SCHEMA_ENGINE && console.error("[schema-engine]", message);
    const engine = await wasm.SchemaEngine.new(
      { datamodels: schemaFiles.map((file) => [file.path, file.content]) },
      debug,
      bindMigrationAwareSqlAdapterFactory(adapterFactory),
    );
    try {
      return await run({
        engine,
        cfg,
        opts,
        adapterFactory,
        schemaFiles,
        schema: { files: schemaFiles },
        filters: cfg.filters,
        migrations: () => readMigrationsList(cfg.migrationsDir, cfg.initShadowDb),
        rel: (p) => path.relative(process.cwd(), p) || ".",
      });
    } finally {
      engine.free();
    }
  } finally {
    await adapterFactory.close();
  }
}

function describeError(error, url) {
  if (error instanceof UsageError) return error.message;
  const code = error?.code ? `${error.code}: ` : "";
  const message = error?.message ?? String(error);
  const where = url ? ` (database: ${redactUrl(url)})` : "";
  if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT/.test(message)) {
    return `Cannot reach the PostgreSQL server${where}: ${message}. Is it running, and is DATABASE_URL right?`;
  }
  return `${code}${message}${error?.code ? where : ""}`;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`Error: ${describeError(error, databaseUrl)}`);
    if (process.env.DEBUG_SCHEMA_ENGINE) console.error(error);
    process.exit(1);
  },
);
