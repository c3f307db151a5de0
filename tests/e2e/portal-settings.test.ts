import type { FrameLocator, Page } from "playwright-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireChromium, type ShopdeskBrowser } from "../../dev/browser/launch.ts";
import { screenshot, screenshotOnFailure, startE2eStack, type E2eStack } from "../support/e2e";

// A merchant opens Settings → Self-service portal: a warning says the launcher is off in the live
// theme, with the way to the theme editor; a colour too light for white text is refused with what
// to fix, nothing saved; a good one is saved with a toast and is still there after a reload.
requireChromium();
const EU = "maple-goods-eu.myshopify.com";

let browser: ShopdeskBrowser;
let e2e: E2eStack | undefined;

beforeAll(async () => {
  e2e = await startE2eStack({ seed: { ordersPerShop: 4, customersPerShop: 4, sharedCustomers: 2 } });
  ({ browser } = e2e);
});

afterAll(() => e2e?.stop());

async function openPortalSettings(name: string): Promise<{ page: Page; app: FrameLocator }> {
  const page = await browser.openAdmin(EU, "/app/settings/portal");
  await page.setViewportSize({ width: 1280, height: 900 });
  screenshotOnFailure(page, name);
  const app = page.frameLocator("iframe[name=app-iframe]");
  await page
    .frame({ name: "app-iframe" })!
    .waitForFunction(
      () =>
        (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized,
      undefined,
      { timeout: 60_000 },
    );
  return { page, app };
}

async function storedLauncher() {
  const client = new pg.Client({ connectionString: e2e!.stack.databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ accentColor: string; launcherLabel: string | null }>(
      `SELECT p."accentColor", p."launcherLabel" FROM "PortalSettings" p JOIN "Shop" s ON s.id = p."shopId" WHERE s.domain = $1`,
      [EU],
    );
    return result.rows[0] ?? null;
  } finally {
    await client.end();
  }
}

describe("portal settings", () => {
  it("warns that the launcher is off, refuses an unreadable colour, saves a good one", async () => {
    e2e!.stack.emulator.setAppEmbed(EU, false);
    const { page, app } = await openPortalSettings("portal-settings");

    const warning = app.getByText(`Shoppers can't open the portal on Maple Goods EU yet`);
    await expect.poll(() => warning.isVisible(), { timeout: 30_000 }).toBe(true);
    const fix = app.getByRole("link", { name: "Turn it on in the theme editor" });
    expect(await fix.getAttribute("href")).toBe(`https://${EU}/admin/themes/current/editor?context=apps`);
    await screenshot(page, "portal-settings");

    await app.getByLabel("Accent colour").fill("#ffcc00");
    await app.getByRole("button", { name: "Save" }).last().click();
    await expect.poll(() => app.getByText("Nothing was saved").isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await app.getByText(/too light for the launcher's white text/).count()).toBeGreaterThan(0);
    expect(await storedLauncher()).toBeNull();

    await app.getByLabel("Accent colour").fill("#0B5D1E");
    await app.getByLabel("Label", { exact: true }).fill("Order help");
    await app.getByRole("button", { name: "Save" }).last().click();
    await expect
      .poll(() => storedLauncher(), { timeout: 30_000 })
      .toEqual({ accentColor: "#0b5d1e", launcherLabel: "Order help" });
    await expect.poll(() => app.getByText("Nothing was saved").count(), { timeout: 10_000 }).toBe(0);
    // Saved: App Bridge's "Unsaved changes" bar goes away.
    const saveBarShowing = () =>
      page
        .frame({ name: "app-iframe" })!
        .evaluate(() => (document.querySelector("ui-save-bar") as (Element & { showing?: boolean }) | null)?.showing);
    await expect.poll(saveBarShowing, { timeout: 10_000 }).toBe(false);
    await screenshot(page, "portal-settings-saved");

    // Turned on in the theme: the warning goes, the saved values stay.
    e2e!.stack.emulator.setAppEmbed(EU, true);
    await page.reload();
    const reloaded = page.frameLocator("iframe[name=app-iframe]");
    await expect
      .poll(() => reloaded.getByText("The portal launcher is on in your live theme, Dawn.").isVisible(), {
        timeout: 60_000,
      })
      .toBe(true);
    expect(await reloaded.getByLabel("Accent colour").inputValue()).toBe("#0b5d1e");
    expect(await reloaded.getByText("Shoppers can't open the portal").count()).toBe(0);
  });
});
