import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import base from "./vitest.config";

// The tests each mutation scope runs (stryker.config.mjs says what it mutates). Chosen here rather
// than with Stryker's `testFiles`: with a test filter Stryker 9.6 switches a module-level mutant on
// after the module has loaded (stryker-js issue 6144), so every mutated table "survived".
const SCOPE_TESTS = {
  // The mapping's tests replay the store emulator's orders (seconds each): with them, every static
  // mutant (a module-level table, rerun against all tests) would cost half a minute.
  domain: {
    project: "unit",
    include: ["app/domain/**/*.test.ts"],
    exclude: ["app/domain/shopify-mapping.test.ts", "app/domain/shopify/**"],
  },
  mapping: { project: "unit", include: ["app/domain/**/*.test.ts"], exclude: [] },
  // The integration files that reach the scope services (a unit test cannot kill a scoping mutant).
  services: {
    project: "integration",
    include: [
      "tests/integration/workspace-link.test.ts",
      "tests/integration/notes-and-workspaces.test.ts",
      "tests/integration/privacy-sync.test.ts",
      "tests/integration/webhooks.test.ts",
      "tests/integration/settings.test.ts",
    ],
    exclude: [],
  },
} as const;

const scopeName = (process.env.MUTATION_SCOPE ?? "domain") as keyof typeof SCOPE_TESTS;
const scope = SCOPE_TESTS[scopeName];
if (!scope) throw new Error(`MUTATION_SCOPE must be one of ${Object.keys(SCOPE_TESTS).join(", ")}`);

const projects = (base.test?.projects ?? []) as TestProjectInlineConfiguration[];

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    projects: projects
      .filter((project) => project.test?.name === scope.project)
      .map((project) => ({
        ...project,
        test: { ...project.test, include: [...scope.include], exclude: ["**/node_modules/**", ...scope.exclude] },
      })),
  },
});
