import type { FrameLocator, Page } from "playwright-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireChromium, type ShopdeskBrowser } from "../../dev/browser/launch.ts";
import { screenshot, screenshotOnFailure, startE2eStack, type E2eStack } from "../support/e2e";

// A merchant opens Settings → Self-service portal: a warning says the launcher is off in the live
// theme, with the way to the theme editor; the Launcher section sends them to the theme editor's
// app embed for its colour, position and label (no field of its own); a return window out of range
// is refused with what to fix, nothing saved; a good one is saved and is still there after a reload.
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

async function storedReturnWindow() {
  const client = new pg.Client({ connectionString: e2e!.stack.databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ returnWindowDays: number }>(
      `SELECT p."returnWindowDays" FROM "PortalSettings" p JOIN "Shop" s ON s.id = p."shopId" WHERE s.domain = $1`,
      [EU],
    );
    return result.rows[0] ?? null;
  } finally {
    await client.end();
  }
}

describe("portal settings", () => {
  it("warns that the launcher is off, sends its look to the theme editor, refuses a bad window, saves a good one", async () => {
    e2e!.stack.emulator.setAppEmbed(EU, false);
    const { page, app } = await openPortalSettings("portal-settings");

    const warning = app.getByText(`Shoppers can't open the portal on Maple Goods EU yet`);
    await expect.poll(() => warning.isVisible(), { timeout: 30_000 }).toBe(true);
    const fix = app.getByRole("link", { name: "Turn it on in the theme editor" });
    const appEmbedsUrl = `https://${EU}/admin/themes/current/editor?context=apps`;
    expect(await fix.getAttribute("href")).toBe(appEmbedsUrl);

    // The launcher's look lives in the theme editor (the storefront reads it there): a link, no fields.
    expect(await app.getByText(/The launcher's colour, position and label are set in the theme editor/).count()).toBe(
      1,
    );
    const openEditor = app.getByRole("link", { name: "Open the theme editor" });
    expect(await openEditor.getAttribute("href")).toBe(appEmbedsUrl);
    expect(await openEditor.getAttribute("target")).toBe("_top");
    expect(await app.getByLabel("Accent colour").count()).toBe(0);
    expect(await app.getByLabel("Label", { exact: true }).count()).toBe(0);
    await screenshot(page, "portal-settings");

    await app.getByLabel("Return window", { exact: true }).fill("400");
    await app.getByRole("button", { name: "Save" }).last().click();
    await expect.poll(() => app.getByText("Nothing was saved").isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await app.getByText(/from 1 to 365/).count()).toBeGreaterThan(0);
    expect(await storedReturnWindow()).toBeNull();

    await app.getByLabel("Return window", { exact: true }).fill("45");
    await app.getByRole("button", { name: "Save" }).last().click();
    await expect.poll(() => storedReturnWindow(), { timeout: 30_000 }).toEqual({ returnWindowDays: 45 });
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
    expect(await reloaded.getByLabel("Return window", { exact: true }).inputValue()).toBe("45");
    expect(await reloaded.getByText("Shoppers can't open the portal").count()).toBe(0);
  });
});
