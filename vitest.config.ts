import os from "node:os";
import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// The app reads the same variables in tests as in production; only their values are local.
const appEnv = {
  NODE_ENV: "test" as const,
  SHOPIFY_API_KEY: "shopdesk-test-key",
  SHOPIFY_API_SECRET: "shopdesk-test-secret",
  SHOPIFY_APP_URL: "http://127.0.0.1:3999",
  LOG_LEVEL: "silent",
  // Test-only key for secrets at rest (app/lib/secrets.server.ts); never a real deployment's.
  SHOPDESK_SECRETS_KEY: "dGVzdC1vbmx5LXNob3BkZXNrLXNlY3JldHMta2V5LTA=",
};

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    env: appEnv,
    onConsoleLog: undefined,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["app/**/*.test.{ts,tsx}", "dev/**/*.test.ts", "prisma/**/*.test.ts"],
          // Browser tests of the dev harness run with the end-to-end project (they need Chromium).
          exclude: ["dev/browser/**", "**/node_modules/**"],
          setupFiles: ["./tests/support/setup-unit.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["./tests/support/global-setup.ts"],
          setupFiles: ["./tests/support/setup-integration.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: "forks",
          // A file spends much of its time waiting on its servers, the database and timers: one file
          // more than there are cores keeps them busy (2 cores: 760 s one at a time, 470 s three).
          maxWorkers: Math.max(2, os.availableParallelism()) + 1,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts", "dev/browser/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Each file has its own ports, database folder and browser. One file keeps about 1.2 of 2
          // cores busy (its browser, app, database and emulator mostly wait): two at a time took
          // 575 s where one at a time took 769 s, and timing-sensitive steps keep wide margins.
          maxWorkers: 2,
        },
      },
    ],
  },
});
