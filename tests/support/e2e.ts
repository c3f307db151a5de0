import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { onTestFailed, onTestFinished } from "vitest";
import { launchShopdeskBrowser, type ShopdeskBrowser } from "../../dev/browser/launch.ts";
import { DEV_APP_CREDENTIALS, repoRoot, startStack, type Stack, type StackOptions } from "../../dev/stack.ts";

// What every end-to-end file shares: the production build of Shopdesk with the emulator, the demo
// storefront and its own database in a temporary folder, a headless Chromium on it, and screenshots
// in test-results/.

export const screenshotsDir = path.join(repoRoot, "test-results");

export interface E2eStack {
  stack: Stack;
  browser: ShopdeskBrowser;
  /** Stops the browser, the stack and its database, and deletes the folder. */
  stop(): Promise<void>;
}

export async function startE2eStack(options: {
  seed: NonNullable<StackOptions["seed"]>;
  appOutput?: StackOptions["appOutput"];
  withStorefront?: boolean;
}): Promise<E2eStack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "shopdesk-e2e-"));
  chmodSync(dataDir, 0o755); // as root, the database server runs as another user that must reach it
  let stack: Stack | undefined;
  let browser: ShopdeskBrowser | undefined;
  const stop = async () => {
    await browser?.close();
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    stack = await startStack({
      mode: "build",
      databaseUrl: `embedded:${path.join(dataDir, "postgres")}`,
      seed: options.seed,
      ...(options.appOutput ? { appOutput: options.appOutput } : {}),
    });
    browser = await launchShopdeskBrowser({
      headless: true,
      appUrl: stack.appUrl,
      ...DEV_APP_CREDENTIALS,
      ...(options.withStorefront ? { storefrontUrl: stack.storefront.url } : {}),
      shopNames: Object.fromEntries(stack.emulator.shops().map((shop) => [shop.domain, shop.name])),
    });
    return { stack, browser, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Saves a full-page screenshot as test-results/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage: true });
}

/** Keeps a screenshot of the page when the running test fails (always, with SHOPDESK_SCREENSHOTS=1). */
export function screenshotOnFailure(page: Page, name: string): void {
  onTestFailed(() => screenshot(page, `${name}-failed`));
  if (process.env.SHOPDESK_SCREENSHOTS === "1") onTestFinished(() => screenshot(page, name));
}
