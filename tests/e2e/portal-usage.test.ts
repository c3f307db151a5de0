import type { FrameLocator, Page } from "playwright-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireChromium, type ShopdeskBrowser } from "../../dev/browser/launch.ts";
import { screenshot, screenshotOnFailure, startE2eStack, type E2eStack } from "../support/e2e";

// The home page's Self-service portal card in Chromium: before any shopper signed in it says how to
// turn the portal on (a link to its settings); with sessions it shows sessions, billable ones, the
// share the portal answered alone, tracks and requests, and a tooltip that explains "billable".
requireChromium();
const EU = "maple-goods-eu.myshopify.com";
const DAY = 86_400_000;

let browser: ShopdeskBrowser;
let e2e: E2eStack | undefined;

beforeAll(async () => {
  e2e = await startE2eStack({ seed: { ordersPerShop: 4, customersPerShop: 4 } });
  ({ browser } = e2e);
});

afterAll(() => e2e?.stop());

async function openHome(name: string): Promise<{ page: Page; app: FrameLocator }> {
  const page = await browser.openAdmin(EU, "/app");
  await page.setViewportSize({ width: 1280, height: 900 });
  screenshotOnFailure(page, name);
  await page
    .frame({ name: "app-iframe" })!
    .waitForFunction(
      () =>
        (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized,
      undefined,
      { timeout: 60_000 },
    );
  return { page, app: page.frameLocator("iframe[name=app-iframe]") };
}

/** Portal sessions of the store as the portal records them: [tracks, requests, reached an agent, days ago]. */
async function addSessions(sessions: [number, number, boolean, number][]) {
  const client = new pg.Client({ connectionString: e2e!.stack.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(`SELECT id FROM "Shop" WHERE domain = $1`, [EU]);
    for (const [tracks, requests, reachedAgent, daysAgo] of sessions) {
      const createdAt = new Date(Date.now() - daysAgo * DAY);
      await client.query(
        `INSERT INTO "PortalSession" (id, "shopId", method, email, "createdAt", "lastSeenAt", "expiresAt", tracks, requests, "reachedAgentAt")
         VALUES (gen_random_uuid(), $1, 'email_code', 'shopper@example.com', $2, $2, $3, $4, $5, $6)`,
        [
          rows[0]!.id,
          createdAt,
          new Date(createdAt.getTime() + DAY),
          tracks,
          requests,
          reachedAgent ? createdAt : null,
        ],
      );
    }
  } finally {
    await client.end();
  }
}

describe("home page: self-service portal", () => {
  it("says how to turn the portal on, then shows its sessions, billable ones and deflection", async () => {
    const first = await openHome("home-portal-empty");
    const card = first.app.getByRole("region", { name: "Self-service portal" });
    await expect
      .poll(() => card.getByText("No shopper has used your self-service portal yet", { exact: false }).isVisible(), {
        timeout: 30_000,
      })
      .toBe(true);
    const setUp = card.getByRole("link", { name: "Set up the portal" });
    expect(await setUp.getAttribute("href")).toContain("/app/settings/portal");
    await card.scrollIntoViewIfNeeded();
    await screenshot(first.page, "home-portal-usage-empty");
    await first.page.close();

    // Eight sessions in the last 30 days: one with a request, one with a chat, one with both, five
    // that only tracked or read orders; and one 45 days ago that the figures leave out.
    await addSessions([
      [1, 1, false, 2],
      [0, 0, true, 3],
      [2, 1, true, 5],
      [1, 0, false, 1],
      [3, 0, false, 8],
      [1, 0, false, 12],
      [0, 0, false, 20],
      [2, 0, false, 28],
      [4, 2, true, 45],
    ]);
    const { page, app } = await openHome("home-portal-usage");
    const figures = app.getByRole("region", { name: "Self-service portal" });
    await expect
      .poll(() => figures.getByText("Last 30 days", { exact: false }).isVisible(), { timeout: 30_000 })
      .toBe(true);
    const text = (await figures.innerText()).replace(/\s+/g, " ");
    expect(text).toContain("Portal sessions 8");
    expect(text).toContain("Billable sessions 3");
    expect(text).toContain("Answered by the portal 63%");
    expect(text).toContain("5 of 8 sessions needed no one from your team");
    expect(text).toContain("Orders tracked 10");
    expect(text).toContain("Requests 2");
    expect(await figures.getByRole("link", { name: "Portal settings" }).getAttribute("href")).toContain(
      "/app/settings/portal",
    );

    await figures.getByText("Billable sessions", { exact: true }).hover();
    const tooltip = app.getByRole("tooltip");
    await expect.poll(() => tooltip.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await tooltip.innerText()).toContain("only tracked orders");
    await figures.scrollIntoViewIfNeeded();
    await screenshot(page, "home-portal-usage");
  });
});
