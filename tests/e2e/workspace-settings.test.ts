import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireChromium, type ShopdeskBrowser } from "../../dev/browser/launch.ts";
import { screenshotOnFailure, startE2eStack, type E2eStack } from "../support/e2e";

// A merchant connects their two stores in Settings, then takes one out again, confirming first.
requireChromium();
const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";

let browser: ShopdeskBrowser;
let e2e: E2eStack | undefined;

beforeAll(async () => {
  e2e = await startE2eStack({ seed: { ordersPerShop: 4, customersPerShop: 4, sharedCustomers: 2 } });
  ({ browser } = e2e);
});

afterAll(() => e2e?.stop());

/** Opens the store's admin and goes to Shopdesk's Settings from the app's navigation. */
async function openSettings(shop: string, name: string): Promise<{ page: Page; app: FrameLocator }> {
  const page = await browser.openAdmin(shop);
  screenshotOnFailure(page, name);
  const app = page.frameLocator("iframe[name=app-iframe]");
  await expect.poll(() => app.getByText("Sync with Shopify").isVisible(), { timeout: 60_000 }).toBe(true);
  // The admin's navigation is handled client-side once Remix has started (as in admin-and-storefront).
  await page
    .frame({ name: "app-iframe" })!
    .waitForFunction(
      () =>
        (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized,
    );
  await page.locator("[data-app-nav] a", { hasText: "Settings" }).click();
  await expect
    .poll(() => app.getByRole("heading", { name: "Join a workspace" }).isVisible(), { timeout: 30_000 })
    .toBe(true);
  return { page, app };
}

describe("workspace settings", () => {
  it("connects two stores with a link code, then one leaves after confirming", async () => {
    const eu = await openSettings(EU, "workspace-eu");
    const us = await openSettings(US, "workspace-us");
    // Alone in its workspace, a store has nothing to leave.
    expect(await us.app.getByRole("button", { name: "Leave this workspace" }).count()).toBe(0);

    await eu.app.getByRole("button", { name: "Create a link code" }).click();
    const code = eu.app.getByText(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await expect.poll(() => code.isVisible(), { timeout: 30_000 }).toBe(true);

    await us.app.getByLabel("Link code from your other store").fill((await code.textContent())!);
    await us.app.getByRole("button", { name: "Join workspace" }).click();
    await expect
      .poll(() => us.app.getByText("This store joined the workspace Maple Goods EU").isVisible(), { timeout: 30_000 })
      .toBe(true);

    await us.app.getByRole("button", { name: "Leave this workspace" }).click();
    const dialog = us.app.getByRole("dialog");
    await expect
      .poll(() => dialog.getByText("Take Maple Goods US out of Maple Goods EU?").isVisible(), { timeout: 10_000 })
      .toBe(true);
    // Cancel changes nothing.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(() => us.app.getByRole("dialog").count(), { timeout: 10_000 }).toBe(0);
    expect(await us.app.getByText("Maple Goods EU", { exact: true }).count()).toBeGreaterThan(0);

    await us.app.getByRole("button", { name: "Leave this workspace" }).click();
    await us.app.getByRole("dialog").getByRole("button", { name: "Leave workspace" }).click();
    await expect
      .poll(() => us.app.getByText("This store now has its own workspace, Maple Goods US").isVisible(), {
        timeout: 30_000,
      })
      .toBe(true);
    await expect
      .poll(() => us.app.getByRole("button", { name: "Leave this workspace" }).count(), { timeout: 10_000 })
      .toBe(0);
    // The banner of the earlier join no longer describes where the store is.
    expect(await us.app.getByText("This store joined the workspace Maple Goods EU").count()).toBe(0);
  });
});
