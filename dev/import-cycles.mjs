// Fails when modules under app/ import each other in a circle (static or dynamic imports; type-only
// imports are erased at build time and do not count). `npm run lint` runs it.
// A circle means modules with more than one concern: which one loads first decides what the other
// sees, and Vite dev re-evaluation of one re-runs the other. Split the shared part out instead.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const appDir = path.join(root, "app");
const EXTENSIONS = [".ts", ".tsx", ".js", ".mjs"];

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return entry === "generated" ? [] : sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry) && !/\.test\.tsx?$/.test(entry) ? [full] : [];
  });
}

function resolveImport(fromFile, specifier) {
  let base;
  if (specifier.startsWith("~/")) base = path.join(appDir, specifier.slice(2));
  else if (specifier.startsWith(".")) base = path.resolve(path.dirname(fromFile), specifier);
  else return null; // a package
  const candidates = [
    base,
    ...EXTENSIONS.map((ext) => base + ext),
    ...EXTENSIONS.map((ext) => path.join(base, `index${ext}`)),
  ];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile()) ?? null;
}

// `import x from "…"`, `export … from "…"`, `import("…")`; not `import type` / `export type`.
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s+(?!type\s)(?:[^'"`;]*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function importsOf(file) {
  const text = readFileSync(file, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "");
  const found = new Set();
  for (const match of text.matchAll(IMPORT)) {
    const resolved = resolveImport(file, match[1] ?? match[2]);
    if (resolved && resolved.startsWith(appDir)) found.add(resolved);
  }
  return [...found];
}

/** Strongly connected components with more than one module (or a module importing itself). */
export function findCycles(graph) {
  let index = 0;
  const indices = new Map();
  const lowlinks = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const visit = (node) => {
    indices.set(node, index);
    lowlinks.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        lowlinks.set(node, Math.min(lowlinks.get(node), lowlinks.get(next)));
      } else if (onStack.has(next)) lowlinks.set(node, Math.min(lowlinks.get(node), indices.get(next)));
    }
    if (lowlinks.get(node) === indices.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.reverse());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return cycles;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const graph = new Map(sourceFiles(appDir).map((file) => [file, importsOf(file)]));
  const cycles = findCycles(graph);
  for (const cycle of cycles) {
    console.error(`Import cycle: ${cycle.map((file) => path.relative(root, file)).join(" → ")} → …`);
  }
  if (cycles.length > 0) {
    console.error("Split the part both sides need into a module of its own (see dev/import-cycles.mjs).");
    process.exit(1);
  }
  console.log(`No import cycles among ${graph.size} modules under app/.`);
}
