// The storefront launcher in real Chromium: demo storefront (real app embed) → App Proxy emulation
// → a stand-in app answering GET /proxy/widget like the real route.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStorefront, type Storefront } from "../storefront/index.ts";
import { requireChromium, launchShopdeskBrowser, type ShopdeskBrowser } from "./launch.ts";

const API_SECRET = "widget-test-secret";
const FIRST_NAMES: Record<string, string> = { "7": "Ada" };

requireChromium();

describe("storefront portal widget (real Chromium)", () => {
  let widgetRequests = 0;
  let failNext = false;
  const app = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://app.local");
    if (url.pathname !== "/proxy/widget") return res.writeHead(404).end();
    widgetRequests++;
    if (failNext) {
      failNext = false;
      return res.writeHead(500, { "content-type": "text/plain" }).end("boom");
    }
    const customerId = url.searchParams.get("logged_in_customer_id") ?? "";
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        shop: { name: "Demo Goods" },
        customer: { loggedIn: customerId !== "", firstName: FIRST_NAMES[customerId] ?? null },
      }),
    );
  });
  let storefront: Storefront;
  let harness: ShopdeskBrowser;

  beforeAll(async () => {
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    storefront = await startStorefront({
      appUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}`,
      apiSecret: API_SECRET,
      shop: "demo-goods.myshopify.com",
      shopName: "Demo Goods",
      lookupCustomer: (id) => (FIRST_NAMES[id] ? { firstName: FIRST_NAMES[id] } : null),
    });
    harness = await launchShopdeskBrowser({
      appUrl: "http://127.0.0.1:9",
      apiKey: "unused",
      apiSecret: API_SECRET,
      storefrontUrl: storefront.url,
    });
  }, 30_000);

  afterAll(async () => {
    await harness?.close();
    await storefront?.close();
    app.closeAllConnections();
    await new Promise((resolve) => app.close(resolve));
  });

  const launcher = (page: Page) => page.locator("[data-shopdesk-launcher]");
  const dialog = (page: Page) => page.getByRole("dialog");

  it("opens on click, loads the shop from the App Proxy once, and closes with Escape", async () => {
    const page = await harness.openStorefront();
    widgetRequests = 0;
    await expect(launcher(page).getAttribute("aria-expanded")).resolves.toBe("false");
    expect(widgetRequests).toBe(0); // nothing fetched until the shopper asks
    await launcher(page).click();
    await expect(launcher(page).getAttribute("aria-expanded")).resolves.toBe("true");
    await dialog(page).getByRole("heading", { name: "Demo Goods" }).waitFor();
    await expect(dialog(page).getByText("Hi there! How can we help you today?").isVisible()).resolves.toBe(true);
    await expect(page.locator("[data-shopdesk-status]").isHidden()).resolves.toBe(true); // guest: no "Signed in"
    await expect(page.evaluate(() => document.activeElement?.hasAttribute("data-shopdesk-close"))).resolves.toBe(true);

    await page.keyboard.press("Escape");
    await dialog(page).waitFor({ state: "hidden" });
    await expect(launcher(page).getAttribute("aria-expanded")).resolves.toBe("false");
    await expect(page.evaluate(() => document.activeElement?.hasAttribute("data-shopdesk-launcher"))).resolves.toBe(
      true,
    );
    await launcher(page).click();
    await dialog(page).getByRole("heading", { name: "Demo Goods" }).waitFor();
    expect(widgetRequests).toBe(1);
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

  it("shows an error line when the App Proxy call fails, and retries on the next open", async () => {
    const page = await harness.openStorefront("/?locale=en");
    failNext = true;
    await launcher(page).click();
    const status = page.locator("[data-shopdesk-status]");
    await status.getByText("We couldn’t load help right now. Please try again later.").waitFor();
    await page.getByRole("button", { name: "Close help panel" }).click();
    await launcher(page).click();
    await dialog(page).getByRole("heading", { name: "Demo Goods" }).waitFor();
    await expect(status.isHidden()).resolves.toBe(true);
    if (process.env.SHOPDESK_SCREENSHOTS) {
      await page.screenshot({ path: `${process.env.SHOPDESK_SCREENSHOTS}/storefront-widget.png` });
    }
    await page.close();
  });
});
