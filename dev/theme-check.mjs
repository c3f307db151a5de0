// Lints every theme app extension in extensions/ with Shopify's theme-check (the same checks as
// `shopify app build`), fully offline:   node dev/theme-check.mjs [--verbose]
// Each extension carries its own .theme-check.yml (`extends: theme-check:theme-app-extension`).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const extensionsDir = path.join(repoRoot, "extensions");
const verbose = process.argv.includes("--verbose");

// theme-check first downloads the Liquid docs from raw.githubusercontent.com into ~/.cache and only
// falls back to its bundled copy after that fails (slowly, with stack-trace-looking logs). Feeding
// it the bundled copy through its own SHOPIFY_TLD_ROOT hook makes runs deterministic and offline.
// Both variables are read when the package loads, hence the dynamic import below.
const scratch = mkdtempSync(path.join(os.tmpdir(), "shopdesk-theme-check-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
if (!process.env.SHOPIFY_TLD_ROOT) {
  const require = createRequire(import.meta.url);
  const checkNode = path.dirname(require.resolve("@shopify/theme-check-node/package.json"));
  const docsUpdater = path.dirname(
    createRequire(path.join(checkNode, "package.json")).resolve("@shopify/theme-check-docs-updater/package.json"),
  );
  const bundled = path.join(docsUpdater, "data");
  const tld = path.join(scratch, "tld");
  cpSync(bundled, path.join(tld, "data"), { recursive: true });
  // Upstream layout is schemas/<uri> (e.g. schemas/theme/section.json); the bundle is flat.
  for (const manifest of ["manifest_theme.json", "manifest_theme_app_extension.json"]) {
    cpSync(path.join(bundled, manifest), path.join(tld, "schemas", manifest));
    for (const { uri } of JSON.parse(readFileSync(path.join(bundled, manifest), "utf8")).schemas) {
      mkdirSync(path.dirname(path.join(tld, "schemas", uri)), { recursive: true });
      cpSync(path.join(bundled, path.basename(uri)), path.join(tld, "schemas", uri));
    }
  }
  process.env.SHOPIFY_TLD_ROOT = tld;
  process.env.XDG_CACHE_HOME = path.join(scratch, "cache");
}

const { themeCheckRun } = await import("@shopify/theme-check-node");
const log = verbose ? (message) => console.error(`[theme-check] ${message}`) : () => {};
const severities = ["error", "warning", "info"];

const extensions = existsSync(extensionsDir)
  ? readdirSync(extensionsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(extensionsDir, entry.name))
  : [];
let total = 0;
for (const root of extensions) {
  const config = path.join(root, ".theme-check.yml");
  const name = path.relative(repoRoot, root);
  if (!existsSync(config)) {
    console.log(`${name}: missing .theme-check.yml (extends: theme-check:theme-app-extension)`);
    total += 1;
    continue;
  }
  const { offenses } = await themeCheckRun(root, config, log);
  for (const offense of offenses) {
    const file = path.relative(repoRoot, fileURLToPath(offense.uri));
    console.log(
      `${file}:${offense.start.line + 1}:${offense.start.character + 1} ${severities[offense.severity] ?? "offense"} ${offense.check}: ${offense.message}`,
    );
  }
  console.log(`${name}: ${offenses.length} offense(s)`);
  total += offenses.length;
}
if (extensions.length === 0) console.log("theme-check: no extensions found");
process.exit(total > 0 ? 1 : 0);
