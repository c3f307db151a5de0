import { readFileSync, readlinkSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

// A production install (`npm ci --omit=dev`) has only `dependencies`: the scripts a server runs
// must not need tsx, Vite or anything else from `devDependencies`.
const repoRoot = path.resolve(import.meta.dirname, "..");
const manifest = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const PRODUCTION_SCRIPTS = ["start", "worker", "db:deploy", "db:status"];

/** The package that provides a command in node_modules/.bin (npm links bins there). */
function packageOfBin(bin: string): string {
  const target = readlinkSync(path.join(repoRoot, "node_modules/.bin", bin));
  const parts = path.relative(path.join(repoRoot, "node_modules"), path.resolve(repoRoot, "node_modules/.bin", target));
  const [first, second] = parts.split(path.sep);
  return first!.startsWith("@") ? `${first}/${second}` : first!;
}

/** Packages a plain .mjs file and the .mjs files it imports load by bare name (not node: ones). */
function bareImportsOf(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const source = readFileSync(path.join(repoRoot, file), "utf8");
  const specifiers = [...source.matchAll(/(?:from|import\()\s*["']([^"']+)["']/g)].map((match) => match[1]!);
  return specifiers.flatMap((specifier) => {
    if (specifier.startsWith(".")) return bareImportsOf(path.join(path.dirname(file), specifier), seen);
    if (specifier.startsWith("node:") || builtinModules.includes(specifier)) return [];
    return [
      specifier
        .split("/")
        .slice(0, specifier.startsWith("@") ? 2 : 1)
        .join("/"),
    ];
  });
}

describe("production scripts", () => {
  it.each(PRODUCTION_SCRIPTS)("npm run %s needs only production dependencies", (name) => {
    const [command, file] = manifest.scripts[name]!.split(/\s+/);
    if (command === "node") {
      expect(file).toMatch(/^(\.\/)?(build\/.*\.js|.*\.mjs)$/); // built or plain JavaScript, no loader
      if (!file!.replace(/^\.\//, "").startsWith("build/")) {
        const imports = bareImportsOf(file!);
        expect(imports.length).toBeGreaterThan(0);
        for (const dependency of imports) expect(Object.keys(manifest.dependencies)).toContain(dependency);
      }
    } else {
      expect(Object.keys(manifest.dependencies)).toContain(packageOfBin(command!));
    }
  });
});
