// The storefront launcher in real Chromium: demo storefront (real app embed) → App Proxy emulation
// → the portal API stand-in (dev/storefront/portal-api-standin.ts). What the loader does on its
// own: nothing fetched before the shopper shows interest, the UI's assets on first hover or open,
// the dialog's keyboard behaviour, and the failures it must survive. The portal's flows are in
// portal-flows.test.ts.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Storefront } from "../storefront/index.ts";
import type { PortalStandin } from "../storefront/portal-api-standin.ts";
import { requireChromium, type ShopdeskBrowser } from "./launch.ts";
import { startPortalBrowser, type PortalBrowser } from "./portal-browser.ts";

const API_SECRET = "widget-test-secret";

requireChromium();

describe("storefront portal widget (real Chromium)", () => {
  let api: PortalStandin;
  let storefront: Storefront;
  let harness: ShopdeskBrowser;
  let portal: PortalBrowser;

  beforeAll(async () => {
    portal = await startPortalBrowser({ apiSecret: API_SECRET, customers: { 7: { firstName: "Ada" } } });
    ({ api, storefront, harness } = portal);
  }, 30_000);

  afterAll(() => portal?.close());

  const launcher = (page: Page) => page.locator("[data-shopdesk-launcher]");
  const dialog = (page: Page) => page.getByRole("dialog");
  const sessionCalls = () => api.calls.filter((call) => call.name === "session").length;

  /** Every request the page makes for the portal UI's assets. */
  function uiRequests(page: Page): string[] {
    const seen: string[] = [];
    page.on("request", (request) => {
      if (/portal-app\.(js|css)/.test(request.url())) seen.push(new URL(request.url()).pathname);
    });
    return seen;
  }

  it("fetches nothing until asked, then opens on click, and closes with Escape back to the launcher", async () => {
    const page = await harness.context.newPage();
    const assets = uiRequests(page);
    api.calls.length = 0;
    await page.goto(storefront.url);
    // The loader arrives on its own after the page has loaded; nothing else does.
    await page.waitForFunction(() => "ShopdeskPortalLoader" in window);
    await page.waitForLoadState("networkidle");
    expect(assets).toEqual([]);
    expect(api.calls).toEqual([]);
    await expect(launcher(page).getAttribute("aria-expanded")).resolves.toBe("false");

    await launcher(page).click();
    await expect.poll(() => launcher(page).getAttribute("aria-expanded")).toBe("true");
    await dialog(page).getByRole("heading", { name: "Demo Goods" }).waitFor();
    await expect(dialog(page).getAttribute("aria-modal")).resolves.toBe("true");
    await dialog(page)
      .getByRole("button", { name: /^Track my orders/ })
      .waitFor();
    await expect(dialog(page).getByText("Hi there! How can we help you today?").isVisible()).resolves.toBe(true);
    await expect(page.locator("[data-shopdesk-status]").isHidden()).resolves.toBe(true); // nothing to announce
    await expect(page.evaluate(() => document.activeElement?.hasAttribute("data-shopdesk-close"))).resolves.toBe(true);
    expect(assets.sort()).toEqual([
      "/extensions/shopdesk-portal/assets/portal-app.css",
      "/extensions/shopdesk-portal/assets/portal-app.js",
    ]);

    await page.keyboard.press("Escape");
    await dialog(page).waitFor({ state: "hidden" });
    await expect(launcher(page).getAttribute("aria-expanded")).resolves.toBe("false");
    await expect(page.evaluate(() => document.activeElement?.hasAttribute("data-shopdesk-launcher"))).resolves.toBe(
      true,
    );
    await launcher(page).click();
    await dialog(page)
      .getByRole("button", { name: /^Track my orders/ })
      .click();
    await dialog(page).getByRole("heading", { name: "Sign in to see your orders" }).waitFor();
    await page.keyboard.press("Escape");
    await launcher(page).click();
    await dialog(page).getByRole("heading", { name: "Sign in to see your orders" }).waitFor();
    expect(sessionCalls()).toBe(1); // the UI keeps its state between opens
    expect(assets).toHaveLength(2);
    await page.close();
  });

  it("opens on a click made before the loader has arrived", async () => {
    const page = await harness.context.newPage();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/assets/portal.js", async (route) => {
      await held; // the loader is slow to come
      await route.continue();
    });
    await page.goto(storefront.url);
    await launcher(page).click();
    expect(await page.evaluate(() => "ShopdeskPortalLoader" in window)).toBe(false);
    expect(await launcher(page).getAttribute("aria-expanded")).toBe("false");
    release();
    await dialog(page)
      .getByRole("button", { name: /^Track my orders/ })
      .waitFor();
    expect(await launcher(page).getAttribute("aria-expanded")).toBe("true");
    await page.close();
  });

  it("starts loading the UI on hover, before the click", async () => {
    const page = await harness.context.newPage();
    const assets = uiRequests(page);
    await page.goto(storefront.url);
    const before = sessionCalls();
    await launcher(page).hover();
    await expect.poll(() => assets.length).toBe(2);
    expect(sessionCalls()).toBe(before); // the UI is ready; the app is asked only on open
    await page.close();
  });

  it("greets a logged-in shopper by first name, in the storefront language", async () => {
    const page = await harness.openStorefront("/account/login?customer=7");
    await page.locator("[data-demo-account]", { hasText: "Ada" }).waitFor();
    await launcher(page).click();
    await dialog(page).getByText("Signed in as Ada").waitFor();

    await page.goto(new URL("/?locale=fr", storefront.url).toString());
    await page.getByRole("button", { name: "Aide" }).click();
    await dialog(page).getByText("Connecté en tant que Ada").waitFor();
    await page.goto(new URL("/account/logout?locale=en", storefront.url).toString());
    await page.close();
  });

  it("says so when the portal API fails, and tries again on request", async () => {
    const page = await harness.openStorefront("/?locale=en");
    let failing = true;
    await page.route("**/apps/shopdesk/portal/session", (route) =>
      failing ? route.fulfill({ status: 500, contentType: "application/json", body: "{}" }) : route.continue(),
    );
    await launcher(page).click();
    const track = dialog(page).getByRole("button", { name: /^Track my orders/ });
    await track.click();
    await page
      .locator("[data-shopdesk-status]")
      .getByText("We couldn’t load help right now. Please try again later.")
      .waitFor();
    failing = false;
    await track.click();
    await dialog(page).getByRole("heading", { name: "Sign in to see your orders" }).waitFor();
    await page.close();
  });

  it("opens with an error line when the UI cannot be downloaded, and downloads it on the next open", async () => {
    const page = await harness.context.newPage();
    let blocked = true;
    await page.route("**/portal-app.js", (route) => (blocked ? route.abort() : route.continue()));
    await page.goto(storefront.url);
    await launcher(page).click();
    const status = page.locator("[data-shopdesk-status]");
    await status.getByText("We couldn’t load help right now. Please try again later.").waitFor();
    await page.getByRole("button", { name: "Close help panel" }).click();
    blocked = false;
    await launcher(page).click();
    await dialog(page)
      .getByRole("button", { name: /^Track my orders/ })
      .waitFor();
    await page.close();
  });
});
