// Mutation testing (`npm run test:mutation`, not in CI): Stryker changes the code in small ways
// (`every` → `some`, `<` → `<=`, a branch removed) and reruns the tests; a change no test notices
// is a bug the suite would let through. Score and judged survivors: docs/mutation-testing.md.
//
// Scopes, chosen with MUTATION_SCOPE, because their tests differ by orders of magnitude in cost:
// - domain (default): app/domain against its unit tests only. Integration tests also reach the
//   domain (through sync), but each mutant would then restart an emulator and a database.
// - services: the services that decide whose data a request touches, against the integration
//   files that exercise them (a unit test cannot kill a scoping mutant).
// - mapping: app/domain/shopify-mapping (1,300 lines) against the domain's unit tests.
//
// Stryker 9.6 because 10 needs Node 22 (docs/decisions/001-node-20.md).

// Being split into a folder; both spellings so the scopes survive the move.
const SHOPIFY_MAPPING = ["app/domain/shopify-mapping.ts", "app/domain/shopify/**/*.ts"];

// What each scope mutates; stryker.vitest.config.ts picks the tests it runs against.
const scopes = {
  domain: ["app/domain/**/*.ts", "!app/domain/**/*.test.ts", ...SHOPIFY_MAPPING.map((glob) => `!${glob}`)],
  mapping: [...SHOPIFY_MAPPING, "!app/domain/**/*.test.ts"],
  // The services that decide whose data a request touches.
  services: ["app/services/workspace-link.server.ts", "app/services/privacy/personal-data.server.ts"],
};

const scopeName = process.env.MUTATION_SCOPE ?? "domain";
const mutate = scopes[scopeName];
if (!mutate) throw new Error(`MUTATION_SCOPE must be one of ${Object.keys(scopes).join(", ")}; got "${scopeName}"`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "stryker.vitest.config.ts", related: true },
  mutate,
  // Each mutant reruns only the tests that executed its code in the first run.
  coverageAnalysis: "perTest",
  // A timeout counts as a kill: on a busy machine the integration files' start-up (emulator,
  // install, backfill) must not turn slowness into kills.
  timeoutMS: scopeName === "services" ? 60_000 : 5_000,
  // Two cores shared with other work: one worker keeps the machine usable.
  concurrency: 1,
  // No incremental mode: it reuses a module-level ("static") mutant's old Survived verdict even
  // after its tests changed, since Stryker does not know which tests cover such a mutant. A full
  // domain run takes about seven minutes anyway.
  incremental: false,
  reporters: ["clear-text", "html", "progress"],
  htmlReporter: { fileName: `reports/mutation/${scopeName}.html` },
  clearTextReporter: { allowColor: false, logTests: false },
  thresholds: { high: 90, low: 75, break: null },
  tempDirName: ".stryker-tmp",
};
