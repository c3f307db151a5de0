import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireChromium, type ShopdeskBrowser } from "../../dev/browser/launch.ts";
import type { Stack } from "../../dev/stack.ts";
import { screenshotOnFailure, startE2eStack, type E2eStack } from "../support/e2e";

// A person's path through Shopdesk, in Chromium against the production build: open the app from
// the Shopify admin (which installs it), move around it, then use the portal on the storefront.
requireChromium();
const SHOP = "maple-goods-eu.myshopify.com";

let stack: Stack;
let browser: ShopdeskBrowser;
let e2e: E2eStack | undefined;
/** The customer page the note test leaves open, for the order test after it. */
let customerPage: Page | undefined;

beforeAll(async () => {
  e2e = await startE2eStack({ seed: { ordersPerShop: 20, customersPerShop: 10 }, withStorefront: true });
  ({ stack, browser } = e2e);
});

afterAll(() => e2e?.stop());

describe("merchant in the Shopify admin", () => {
  let admin: Page;

  it("installs Shopdesk by opening it, and sees the store's name and plan from Shopify", async () => {
    expect(stack.emulator.isInstalled(SHOP)).toBe(false);
    admin = await browser.openAdmin(SHOP);
    screenshotOnFailure(admin, "admin-home");
    const app = admin.frameLocator("iframe[name=app-iframe]");
    await expect
      .poll(() => app.getByRole("heading", { name: "Maple Goods EU" }).isVisible(), { timeout: 60_000 })
      .toBe(true);
    await expect.poll(() => app.getByText("Sync with Shopify").isVisible()).toBe(true);
    expect(stack.emulator.isInstalled(SHOP)).toBe(true);
    expect(browser.blocked).toEqual([]);
  });

  it("moves to the Activity page client-side, without reloading the app", async () => {
    screenshotOnFailure(admin, "admin-activity");
    const frame = admin.frame({ name: "app-iframe" })!;
    await frame.waitForFunction(
      () =>
        (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized,
    );
    await frame.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

    await admin.locator("[data-app-nav] a", { hasText: "Activity" }).click();
    const app = admin.frameLocator("iframe[name=app-iframe]");
    await expect.poll(() => frame.evaluate(() => location.pathname), { timeout: 30_000 }).toBe("/app/activity");
    await expect.poll(() => app.getByRole("heading", { name: "Privacy requests" }).isVisible()).toBe(true);
    expect(await frame.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(await frame.evaluate(() => location.pathname)).toBe("/app/activity");
  });

  it("shows a webhook Shopify sends while the merchant watches", async () => {
    screenshotOnFailure(admin, "admin-activity-webhook");
    stack.emulator.sendCompliance(SHOP, "customers/data_request", {
      customer: stack.emulator.shop(SHOP).customers()[0]!.id,
    });
    await stack.emulator.waitForDeliveries();
    const app = admin.frameLocator("iframe[name=app-iframe]");
    await expect
      .poll(
        async () => {
          await admin.locator("[data-app-nav] a", { hasText: "Activity" }).click();
          return app.getByText("Customer data request: report prepared").isVisible();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(true);
  });
});

describe("agent working with a customer", () => {
  it("sees the import finish, then edits a note that syncs to Shopify and resolves a concurrent edit", async () => {
    const page = await browser.openAdmin(SHOP);
    customerPage = page;
    screenshotOnFailure(page, "customer-note");
    const app = page.frameLocator("iframe[name=app-iframe]");
    await expect
      .poll(
        async () => {
          await page.locator("[data-app-home]").click();
          return app.getByText("Up to date").first().isVisible();
        },
        { timeout: 60_000, interval: 2000 },
      )
      .toBe(true);

    const customer = stack.emulator
      .shop(SHOP)
      .customers()
      .find((candidate) => candidate.orderIds.length > 0 && candidate.email)!;
    await page.locator("[data-app-nav] a", { hasText: "Customers" }).click();
    await app
      .getByLabel(/search/i)
      .first()
      .fill(customer.email!);
    await app
      .getByLabel(/search/i)
      .first()
      .press("Enter");
    await app
      .getByRole("link", { name: `${customer.firstName} ${customer.lastName}` })
      .first()
      .click();
    // The profile's title is the admin's title bar (decision 016), not a heading in the app.
    await expect
      .poll(() => page.locator("[data-app-title]").textContent(), { timeout: 30_000 })
      .toBe(`${customer.firstName} ${customer.lastName}`);

    const note = app.getByLabel("Note");
    await note.fill("Leave parcels with the neighbour");
    await note.blur();
    await expect.poll(() => app.getByText("Synced to Shopify").isVisible(), { timeout: 20_000 }).toBe(true);
    expect(stack.emulator.shop(SHOP).customer(customer.id)!.note).toBe("Leave parcels with the neighbour");

    // The owner edits the same note in Shopify while the agent is still on the page.
    stack.emulator.setCustomerNote(SHOP, customer.id, "Owner: call before delivery");
    await note.fill("Agent: leave at the back door");
    await note.blur();
    await expect.poll(() => app.getByText("In Shopify", { exact: true }).isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await app.getByText("Owner: call before delivery").isVisible()).toBe(true);
    expect(stack.emulator.shop(SHOP).customer(customer.id)!.note).toBe("Owner: call before delivery");

    await app.getByRole("button", { name: "Keep my edit" }).click();
    await expect
      .poll(() => stack.emulator.shop(SHOP).customer(customer.id)!.note, { timeout: 20_000 })
      .toBe("Agent: leave at the back door");
  });

  it("opens one of the customer's orders and reads its status and tracking timeline", async () => {
    const page = customerPage!;
    screenshotOnFailure(page, "order-timeline");
    const app = page.frameLocator("iframe[name=app-iframe]");
    const timelineLink = app.getByRole("link", { name: /^Timeline of order / }).first();
    const label = (await timelineLink.getAttribute("aria-label"))!;
    const orderName = label.replace("Timeline of order ", "");
    await timelineLink.click();
    // One title per page: the order's is the admin's title bar (App Bridge), not a heading in the app.
    await expect
      .poll(() => page.locator("[data-app-title]").textContent(), { timeout: 30_000 })
      .toBe(`Order ${orderName}`);
    await expect.poll(() => app.getByRole("heading", { name: "Timeline" }).isVisible()).toBe(true);
    expect(
      await app
        .getByText(/Placed|Order placed/)
        .first()
        .isVisible(),
    ).toBe(true);
  });
});

describe("shopper on the storefront", () => {
  it("opens the Shopdesk launcher and is greeted by the store through the App Proxy", async () => {
    const store = await browser.openStorefront();
    screenshotOnFailure(store, "storefront");
    const launcher = store.getByRole("button", { name: /help|support|question/i }).first();
    await launcher.click();
    const panel = store.getByRole("dialog");
    await expect.poll(() => panel.getByText("Maple Goods EU").isVisible(), { timeout: 30_000 }).toBe(true);
  });
});
