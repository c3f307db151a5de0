import type { ConsoleMessage, Frame, FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireChromium, type ShopdeskBrowser } from "../../dev/browser/launch.ts";
import { DEV_APP_CREDENTIALS, type Stack } from "../../dev/stack.ts";
import { screenshot, screenshotOnFailure, startE2eStack, type E2eStack } from "../support/e2e";

// What a merchant sees when something goes wrong, in Chromium against the production build:
// Shopify unreachable, a customer that does not exist, the app opened outside the admin, and a
// failure nobody planned for. Screenshots of every state go to test-results/error-pages-*.png.
requireChromium();
const SHOP = "maple-goods-eu.myshopify.com";
const STORED_NAME = "Maple Goods EU";
/** A shop nobody has opened Shopdesk on yet: its first visit installs the app. */
const NEW_SHOP = "north-trail.myshopify.com";

let stack: Stack;
let browser: ShopdeskBrowser;
let e2e: E2eStack | undefined;

beforeAll(async () => {
  // The app inherits this: its warnings and errors are what the last test reads.
  process.env.LOG_LEVEL = "warn";
  e2e = await startE2eStack({ seed: { ordersPerShop: 8, customersPerShop: 6 }, appOutput: "buffer" });
  ({ stack, browser } = e2e);
});

afterAll(() => e2e?.stop());

const shot = (page: Page, name: string) => screenshot(page, `error-pages-${name}`);

/**
 * Everything the page and its frames write to the console as an error, and uncaught exceptions.
 * Except Chromium's note that a response came with the status the test expects (a 404 page, a 400
 * for a refused form): that status is the point.
 */
function collectConsoleErrors(page: Page, expected: { status: number; path: string }): string[] {
  const errors: string[] = [];
  page.on("console", (message: ConsoleMessage) => {
    if (message.type() !== "error") return;
    const status = /^Failed to load resource: the server responded with a status of (\d+)/.exec(message.text());
    const path = new URL(message.location().url).pathname;
    if (Number(status?.[1]) === expected.status && path.startsWith(expected.path)) return;
    errors.push(`${message.location().url}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

/** Where the login page sends a store: Shopdesk in its admin (installed first if it is not yet). */
const adminUrl = (handle: string) =>
  `https://admin.shopify.com/store/${handle}/oauth/install?client_id=${DEV_APP_CREDENTIALS.apiKey}`;

/**
 * Where the login page sends the browser outside the app. The redirect is read off the app's
 * answer and not followed: the admin is on the internet, which this machine has none of (and
 * Playwright's routes do not see redirect targets, so the browser would try to resolve them).
 */
async function interceptExternalRedirects(page: Page): Promise<string[]> {
  const targets: string[] = [];
  await page.route(`${stack.appUrl}/auth/login**`, async (route) => {
    const response = await route.fetch({ maxRedirects: 0, timeout: 15_000 });
    const location = response.headers()["location"];
    if (response.status() >= 300 && response.status() < 400 && location && /^https?:\/\//.test(location)) {
      targets.push(location);
      return route.fulfill({ status: 200, contentType: "text/html", body: "<p>Shopify admin</p>" });
    }
    return route.fulfill({ response });
  });
  return targets;
}

/**
 * page.close() waits for route handlers still running (Playwright ≥ 1.41); a late request the
 * browser makes after the redirect must not hold the test until its timeout, as it once did on CI.
 */
async function closeIntercepted(page: Page): Promise<void> {
  await page.unrouteAll({ behavior: "ignoreErrors" });
  // Even unrouted, close() once waited past the test's 120 s on CI (after every assertion had
  // passed): it gets 10 s, then the context's own close at the end of the file takes the page.
  const closed = page.close().catch(() => {});
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

const appFrame = (page: Page): FrameLocator => page.frameLocator("iframe[name=app-iframe]");
const appFrameHandle = (page: Page): Frame => page.frame({ name: "app-iframe" })!;
const visible = (locator: { isVisible(): Promise<boolean> }) => () => locator.isVisible();
/** Links the app's NavMenu put in the admin's left navigation. */
const adminNavLinks = (page: Page) => page.locator("[data-app-nav] a").allTextContents();

/** No stack frames, file paths or framework error pages in what the merchant can read. */
async function expectNoDeveloperDetails(frame: FrameLocator) {
  const text = await frame.locator("body").innerText();
  expect(text).not.toMatch(/Application Error|Unexpected Server Error|\bat \S+ \(|\.js:\d+|node_modules|Error:/);
}

describe("Shopify unreachable", () => {
  it("home shows what Shopdesk holds with a warning and Retry; Retry shows the live page once Shopify answers", async () => {
    const page = await browser.openAdmin(SHOP);
    screenshotOnFailure(page, "home");
    const app = appFrame(page);
    await expect.poll(visible(app.getByRole("heading", { name: STORED_NAME })), { timeout: 60_000 }).toBe(true);
    // Let the import finish first: its jobs would otherwise meet the failures too. (The page
    // refreshes itself while the import runs.)
    await expect.poll(visible(app.getByText("Up to date").first()), { timeout: 90_000, interval: 1000 }).toBe(true);

    // Renamed in Shopify since install: the live page shows the new name, our copy the old one.
    stack.emulator.renameShop(SHOP, "Maple Goods Europe");
    stack.emulator.failNext(SHOP, 1000, "503");
    await page.reload();
    const banner = app.getByText("Shopify can't be reached right now");
    await expect.poll(visible(banner), { timeout: 60_000 }).toBe(true);
    expect(await app.getByRole("heading", { name: STORED_NAME }).isVisible()).toBe(true);
    expect(await app.getByText("Sync with Shopify").isVisible()).toBe(true);
    expect(await app.getByText("Data Shopdesk holds for this store").isVisible()).toBe(true);
    const retry = app.getByRole("button", { name: "Retry" });
    expect(await retry.isVisible()).toBe(true);
    await expectNoDeveloperDetails(app);
    await shot(page, "home-shopify-down");

    stack.emulator.clearFailures(SHOP);
    await retry.click();
    await expect
      .poll(visible(app.getByRole("heading", { name: "Maple Goods Europe" })), { timeout: 30_000 })
      .toBe(true);
    expect(await banner.isVisible()).toBe(false);
    await shot(page, "home-shopify-back");
    await page.close();
  });
});

describe("something that does not exist", () => {
  it("an unknown customer is a 404 page inside the app, with its navigation and no console errors", async () => {
    const page = await browser.context.newPage();
    screenshotOnFailure(page, "customer-not-found");
    const errors = collectConsoleErrors(page, { status: 404, path: "/app/customers/" });
    await page.goto(
      new URL(
        `/store/maple-goods-eu/apps/shopdesk/app/customers/${crypto.randomUUID()}`,
        "https://admin.shopify.com",
      ).toString(),
    );
    const app = appFrame(page);
    await expect
      .poll(visible(app.getByRole("heading", { name: "We couldn't find this customer" })), { timeout: 60_000 })
      .toBe(true);
    // The NavMenu is still there: the admin shows the app's links.
    await expect
      .poll(() => adminNavLinks(page))
      .toEqual(["Inbox", "Customers", "On the store now", "Activity", "Settings"]);
    await expect.poll(() => page.locator("[data-app-title]").textContent()).toBe("Customer not found");
    // One heading for the page (light DOM only: the title bar stand-in draws its own in Shadow DOM).
    expect(await appFrameHandle(page).evaluate(() => document.querySelectorAll("h1").length)).toBe(1);
    await expectNoDeveloperDetails(app);
    await shot(page, "customer-not-found");

    await app.getByRole("link", { name: "Back to Customers" }).click();
    await expect
      .poll(() => appFrameHandle(page).evaluate(() => location.pathname), { timeout: 30_000 })
      .toBe("/app/customers");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a malformed customer id and an unknown app page are 404s inside the app too", async () => {
    const page = await browser.context.newPage();
    screenshotOnFailure(page, "page-not-found");
    const errors = collectConsoleErrors(page, { status: 404, path: "/app/" });
    await page.goto("https://admin.shopify.com/store/maple-goods-eu/apps/shopdesk/app/customers/not-an-id");
    const app = appFrame(page);
    await expect
      .poll(visible(app.getByRole("heading", { name: "We couldn't find this customer" })), { timeout: 60_000 })
      .toBe(true);

    await page.goto("https://admin.shopify.com/store/maple-goods-eu/apps/shopdesk/app/no-such-page");
    await expect
      .poll(visible(app.getByRole("heading", { name: "We couldn't find this page" })), { timeout: 60_000 })
      .toBe(true);
    await expect
      .poll(() => adminNavLinks(page))
      .toEqual(["Inbox", "Customers", "On the store now", "Activity", "Settings"]);
    expect(await app.getByRole("link", { name: "Go to Home" }).isVisible()).toBe(true);
    await shot(page, "page-not-found");
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("outside the Shopify admin", () => {
  it("/app in a browser tab lands on the login page, which sends a shop domain to its admin", async () => {
    const page = await browser.context.newPage();
    screenshotOnFailure(page, "login");
    const errors = collectConsoleErrors(page, { status: 400, path: "/auth/login" });
    const landing = await page.goto(new URL("/app/customers", stack.appUrl).toString());
    expect(new URL(page.url()).pathname).toBe("/auth/login");
    expect(landing?.status()).toBe(200);
    expect(await page.getByText("Open Shopdesk from your Shopify admin (Apps → Shopdesk)").isVisible()).toBe(true);
    expect(await page.locator("body").innerText()).not.toMatch(/authenticate\.admin|shopify\.login|login path/i);
    await shot(page, "login");

    const field = page.getByLabel("Shop domain");
    await field.fill("not a shop!");
    await page.getByRole("button", { name: "Open Shopdesk" }).click();
    const inlineError = page.getByText("Enter your shop's myshopify.com domain, like your-store.myshopify.com");
    await expect.poll(visible(inlineError), { timeout: 20_000 }).toBe(true);
    expect(new URL(page.url()).pathname).toBe("/auth/login");
    await shot(page, "login-invalid");

    expect(errors).toEqual([]);

    const adminRequests = await interceptExternalRedirects(page);
    await field.fill("Maple-Goods-EU");
    await page.getByRole("button", { name: "Open Shopdesk" }).click();
    await expect.poll(() => adminRequests, { timeout: 20_000 }).toEqual([adminUrl("maple-goods-eu")]);
    await closeIntercepted(page);
  });

  it("a full shop domain works too, and so does a ?shop= link", async () => {
    const page = await browser.context.newPage();
    screenshotOnFailure(page, "login-redirects");
    const adminRequests = await interceptExternalRedirects(page);
    await page.goto(new URL("/auth/login", stack.appUrl).toString());
    await page.getByLabel("Shop domain").fill("https://north-trail.myshopify.com/");
    await page.getByRole("button", { name: "Open Shopdesk" }).click();
    await expect.poll(() => adminRequests.length, { timeout: 20_000 }).toBe(1);
    await page.goto(new URL("/auth/login?shop=maple-goods-us.myshopify.com", stack.appUrl).toString());
    await expect.poll(() => adminRequests.length, { timeout: 20_000 }).toBe(2);
    expect(adminRequests).toEqual([adminUrl("north-trail"), adminUrl("maple-goods-us")]);
    await closeIntercepted(page);
  });
});

describe("a failure nobody planned for", () => {
  it("shows a friendly message with a reference that is in the log with the shop, never a stack", async () => {
    // Shopify fails while Shopdesk is being installed on a new store (the token exchange).
    stack.emulator.failNext(NEW_SHOP, 1000, "503");
    const page = await browser.openAdmin(NEW_SHOP);
    screenshotOnFailure(page, "unexpected");
    const app = appFrame(page);
    await expect
      .poll(visible(app.getByRole("heading", { name: "Something went wrong" })), { timeout: 60_000 })
      .toBe(true);
    const reference = (await app.getByTestId("error-reference").innerText()).trim();
    expect(reference).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await expect
      .poll(() => adminNavLinks(page))
      .toEqual(["Inbox", "Customers", "On the store now", "Activity", "Settings"]);
    await expectNoDeveloperDetails(app);
    await shot(page, "unexpected-error");

    const logLine = stack
      .appOutput()
      .split("\n")
      .filter((line) => line.includes(reference))
      .map((line) => JSON.parse(line) as Record<string, unknown>)[0];
    expect(logLine).toMatchObject({ level: "error", shop: NEW_SHOP, reference });
    expect(JSON.stringify(logLine)).not.toMatch(/id_token=|eyJ/);

    // Trying again while Shopify still fails: a client-side request, a new reference, also logged.
    await app.getByRole("button", { name: "Try again" }).click();
    await expect
      .poll(async () => (await app.getByTestId("error-reference").innerText()).trim(), { timeout: 30_000 })
      .not.toBe(reference);
    const second = (await app.getByTestId("error-reference").innerText()).trim();
    expect(second).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await expect.poll(() => stack.appOutput().includes(`"reference":"${second}"`)).toBe(true);

    stack.emulator.clearFailures(NEW_SHOP);
    await app.getByRole("button", { name: "Try again" }).click();
    await expect
      .poll(visible(app.getByRole("heading", { name: "North Trail Outfitters" })), { timeout: 60_000 })
      .toBe(true);
    await page.close();
  });
});
