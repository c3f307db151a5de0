import type { FrameLocator, Page } from "playwright-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireChromium, type ShopdeskBrowser } from "../../dev/browser/launch.ts";
import { screenshot, screenshotOnFailure, startE2eStack, type E2eStack } from "../support/e2e";

// A merchant opens Settings → Business hours from the Settings page, turns hours on in New York
// time, types a closing time before the opening (refused where it is, nothing saved), fixes it,
// copies Monday to the weekdays, adds a holiday and saves; the schedule is stored and still there
// after a reload, with the preview saying whether chat is online now.
requireChromium();
const EU = "maple-goods-eu.myshopify.com";

let browser: ShopdeskBrowser;
let e2e: E2eStack | undefined;

beforeAll(async () => {
  e2e = await startE2eStack({ seed: { ordersPerShop: 2, customersPerShop: 2, sharedCustomers: 1 } });
  ({ browser } = e2e);
});

afterAll(() => e2e?.stop());

async function openBusinessHours(name: string): Promise<{ page: Page; app: FrameLocator }> {
  const page = await browser.openAdmin(EU, "/app/settings");
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
  await app.getByRole("link", { name: "Set business hours" }).click();
  await expect.poll(() => app.getByLabel("Use business hours").isVisible(), { timeout: 30_000 }).toBe(true);
  return { page, app };
}

async function storedHours() {
  const client = new pg.Client({ connectionString: e2e!.stack.databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ enabled: boolean; timezone: string; weekly: unknown; holidays: unknown }>(
      `SELECT b.enabled, b.timezone, b.weekly, b.holidays
       FROM "BusinessHours" b JOIN "Shop" s ON s."workspaceId" = b."workspaceId" WHERE s.domain = $1`,
      [EU],
    );
    return result.rows[0] ?? null;
  } finally {
    await client.end();
  }
}

describe("business hours settings", () => {
  it("refuses a closing time before the opening where it is typed, then saves the week and a holiday", async () => {
    const { page, app } = await openBusinessHours("business-hours");
    const preview = app.locator("#business-hours-preview");
    expect(await preview.textContent()).toBe("Business hours are off: chat shows as online at all times.");

    await app.getByLabel("Use business hours").check();
    await app.getByLabel("Time zone").selectOption("America/New_York");
    await app.getByLabel("Monday", { exact: true }).check();
    await app.getByLabel("Monday closes").fill("08:00");
    await app.getByRole("button", { name: "Save" }).click();
    const refusal = app.getByText("The closing time must be after the opening time.");
    await expect.poll(() => refusal.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await storedHours()).toBeNull();

    await app.getByLabel("Monday closes").fill("17:30");
    await expect.poll(() => refusal.count(), { timeout: 10_000 }).toBe(0);
    await app.getByRole("button", { name: "Copy Monday to weekdays" }).click();
    await app.getByRole("button", { name: "Add holiday" }).click();
    await app.getByLabel("Date").fill("2030-12-25");
    await app.getByLabel("Name").fill("Christmas Day");
    await expect.poll(() => preview.textContent(), { timeout: 10_000 }).toMatch(/^Right now: (online|offline)\./);
    await app.getByRole("button", { name: "Save" }).click();

    await expect.poll(() => storedHours(), { timeout: 15_000 }).toMatchObject({ enabled: true });
    expect(await storedHours()).toEqual({
      enabled: true,
      timezone: "America/New_York",
      weekly: [1, 2, 3, 4, 5].map((day) => ({ day, opens: "09:00", closes: "17:30" })),
      holidays: [{ date: "2030-12-25", name: "Christmas Day" }],
    });
    await expect.poll(() => app.getByRole("button", { name: "Save" }).isEnabled(), { timeout: 15_000 }).toBe(true);
    await screenshot(page, "business-hours-settings-saved");

    // Still there after a reload, the preview computed from it.
    await page.reload();
    const again = page.frameLocator("iframe[name=app-iframe]");
    await expect.poll(() => again.getByLabel("Friday closes").inputValue(), { timeout: 30_000 }).toBe("17:30");
    expect(await again.getByLabel("Saturday", { exact: true }).isChecked()).toBe(false);
    expect(await again.getByLabel("Name").inputValue()).toBe("Christmas Day");
    expect(await again.locator("#business-hours-preview").textContent()).toMatch(
      /^Right now: (online\.|offline\. Next opening .* at \d{1,2}:\d{2} \(America\/New York time\)\.)$/,
    );
    await screenshot(page, "business-hours-settings-reloaded");
  });
});
