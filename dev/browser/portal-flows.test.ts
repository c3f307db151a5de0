// The storefront portal's flows in real Chromium, as a shopper does them with a mouse, a keyboard
// or a screen reader: demo storefront (real theme app extension) → App Proxy emulation → the portal
// API stand-in (dev/storefront/portal-api-standin.ts), so these run whatever state the real API is
// in. Screenshots of the open portal go to $SHOPDESK_SCREENSHOTS when it is set.
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from "vitest";
import type { Storefront } from "../storefront/index.ts";
import type { PortalStandin } from "../storefront/portal-api-standin.ts";
import { requireChromium, type ShopdeskBrowser } from "./launch.ts";
import { startPortalBrowser, type PortalBrowser } from "./portal-browser.ts";

const API_SECRET = "portal-flows-secret";
const SCREENSHOTS = process.env.SHOPDESK_SCREENSHOTS;

requireChromium();

let api: PortalStandin;
let storefront: Storefront;
let harness: ShopdeskBrowser;
let portal: PortalBrowser;

beforeAll(async () => {
  portal = await startPortalBrowser({
    apiSecret: API_SECRET,
    customers: { 7: { firstName: "Ada", lastName: "Lovelace" } },
  });
  ({ api, storefront, harness } = portal);
}, 30_000);

afterAll(() => portal?.close());

beforeEach(() => {
  onTestFailed(async () => {
    // What the shopper saw, and what the API was asked, for a failure on a loaded machine.
    for (const [index, page] of harness.context.pages().entries()) {
      await page.screenshot({ path: `test-results/portal-flows-failure-${index}.png` }).catch(() => {});
    }
    console.error("portal API calls:", JSON.stringify(api.calls, null, 1));
  });
  api.calls.length = 0;
  api.requests.length = 0;
  api.channels = { emailCode: true, smsCode: true, orderNumber: true };
});

const launcher = (page: Page) => page.locator("[data-shopdesk-launcher]");
const dialog = (page: Page) => page.getByRole("dialog");
const status = (page: Page) => page.locator("[data-shopdesk-status]");
const activeIs = (page: Page, selector: string) => page.evaluate((s) => !!document.activeElement?.matches(s), selector);
/** What the focused element is, for a readable failure: tag, text or label. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el ? `${el.tagName.toLowerCase()}:${el.getAttribute("aria-label") ?? el.textContent?.trim() ?? ""}` : "";
  });
const focusInDialog = (page: Page) => page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'));

/** Opens the widget on its home view and, unless `home`, goes on to "Track my orders". */
async function openPortal(page: Page, path = "/", { home = false } = {}) {
  await page.goto(new URL(path, storefront.url).toString());
  await launcher(page).click();
  await dialog(page).waitFor();
  if (!home) await trackOrders(dialog(page));
}

async function trackOrders(scope: Page | Locator, name = "Track my orders") {
  await scope.getByRole("button", { name: new RegExp(`^${name}`) }).click();
}

async function signInByOrderNumber(scope: Page | Locator, email = "ada@example.com", number = "1003") {
  await scope.getByRole("radio", { name: "Email and order number" }).check();
  await scope.getByRole("textbox", { name: "Email" }).fill(email);
  await scope.getByRole("textbox", { name: "Order number" }).fill(number);
  await scope.getByRole("button", { name: "Sign in", exact: true }).click();
  await scope.getByRole("heading", { name: "Your orders", exact: true }).waitFor();
}

async function openOrder(page: Page, name: string) {
  await dialog(page)
    .getByRole("button", { name: new RegExp(`^${name}\\b`) })
    .click();
  await dialog(page)
    .getByRole("heading", { name: `Order ${name}` })
    .waitFor();
}

const orderNames = (page: Page) => dialog(page).locator(".sdp-order-card__name").allTextContents();

describe("storefront portal: the dialog", () => {
  it("opens from the keyboard, traps focus inside, closes with Escape and gives focus back", async () => {
    const page = await harness.context.newPage();
    await page.goto(storefront.url);
    // Tab through the page until the launcher (it is the last control of the page).
    for (let i = 0; i < 40 && !(await activeIs(page, "[data-shopdesk-launcher]")); i++)
      await page.keyboard.press("Tab");
    expect(await activeIs(page, "[data-shopdesk-launcher]")).toBe(true);
    await page.keyboard.press("Enter");
    await dialog(page)
      .getByRole("button", { name: /^Track my orders/ })
      .waitFor();
    expect(await activeIs(page, "[data-shopdesk-close]")).toBe(true);
    // The home view's first way in is the next stop.
    await page.keyboard.press("Tab");
    expect(await focused(page)).toMatch(/^button:Track my orders/);
    await page.keyboard.press("Enter");
    await dialog(page).getByRole("heading", { name: "Sign in to see your orders" }).waitFor();
    await page.locator("[data-shopdesk-close]").focus();

    // Forward through every control and round again: focus never leaves the dialog.
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("Tab");
      expect(await focusInDialog(page), `Tab ${i + 1} left the dialog for ${await focused(page)}`).toBe(true);
      seen.add(await focused(page));
    }
    expect(seen).toContain("button:Close help panel");
    expect(seen).toContain("button:Send code");
    // Backwards from the first control wraps to the last.
    await page.locator("[data-shopdesk-close]").focus();
    await page.keyboard.press("Shift+Tab");
    expect(await focused(page)).toBe("button:Send code");

    // Focus sent outside by a script comes back in.
    await page.evaluate(() => (document.querySelector(".site-nav a") as HTMLElement).focus());
    expect(await focusInDialog(page)).toBe(true);

    await page.keyboard.press("Escape");
    await dialog(page).waitFor({ state: "hidden" });
    expect(await activeIs(page, "[data-shopdesk-launcher]")).toBe(true);
    expect(await launcher(page).getAttribute("aria-expanded")).toBe("false");
    await page.close();
  });

  it("labels every control, and its text meets WCAG AA contrast", async () => {
    const page = await harness.context.newPage();
    await openPortal(page);
    await signInByOrderNumber(dialog(page));
    await openOrder(page, "#1003");
    await dialog(page).getByRole("button", { name: "Return items" }).click();
    await dialog(page).getByRole("heading", { name: "Return items" }).waitFor();

    const unlabelled = await page.evaluate(() => {
      const panel = document.querySelector('[role="dialog"]')!;
      const bad: string[] = [];
      for (const el of panel.querySelectorAll<HTMLElement>("button, a, input, select, textarea")) {
        if (!el.getClientRects().length) continue;
        const field = el as HTMLInputElement;
        const name =
          el.getAttribute("aria-label") ||
          (field.labels && [...field.labels].map((l) => l.textContent).join(" ")) ||
          el.textContent;
        if (!name?.trim()) bad.push(el.outerHTML.slice(0, 80));
      }
      return bad;
    });
    expect(unlabelled).toEqual([]);

    const lowContrast = await page.evaluate(() => {
      const rgb = (value: string) => (value.match(/[\d.]+/g) ?? []).map(Number);
      const luminance = ([r, g, b]: number[]) =>
        [r!, g!, b!]
          .map((v) => v / 255)
          .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
          .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i]!, 0);
      /** The first opaque background behind an element. */
      const background = (el: Element | null): number[] => {
        for (; el; el = el.parentElement) {
          const color = rgb(getComputedStyle(el).backgroundColor);
          if (color.length === 3 || (color.length === 4 && color[3]! > 0.5)) return color.slice(0, 3);
        }
        return [255, 255, 255];
      };
      const bad: string[] = [];
      const elements = [
        document.querySelector("[data-shopdesk-launcher]")!,
        ...document.querySelectorAll('[role="dialog"] *'),
      ];
      for (const el of elements) {
        const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim());
        if (!ownText || !(el as HTMLElement).getClientRects().length) continue;
        const style = getComputedStyle(el);
        if (style.visibility === "hidden" || el.closest("[aria-disabled=true]")) continue;
        const [a, b] = [luminance(rgb(style.color)), luminance(background(el))];
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        if (ratio < 4.5) bad.push(`${el.tagName} "${el.textContent?.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
      }
      return bad;
    });
    expect(lowContrast).toEqual([]);
    await page.close();
  });

  it("fits a 320 px wide phone: the open portal fills the screen without sideways scrolling", async () => {
    const page = await harness.context.newPage();
    await page.setViewportSize({ width: 320, height: 640 });
    await openPortal(page);
    const box = (await dialog(page).boundingBox())!;
    expect(box.x).toBe(0);
    expect(box.width).toBe(320);
    await signInByOrderNumber(dialog(page));
    await openOrder(page, "#1004");
    await dialog(page).getByRole("button", { name: "Track" }).click();
    await dialog(page).getByRole("heading", { name: "Tracking" }).waitFor();
    const overflow = await page.evaluate(() => {
      const body = document.querySelector(".shopdesk-portal__body")!;
      return body.scrollWidth - body.clientWidth;
    });
    expect(overflow).toBe(0);
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/portal-track-320.png` });
    await page.close();
  });
});

describe("storefront portal: signing in", () => {
  it("signs in by email and order number and lists the shopper's orders newest first", async () => {
    const page = await harness.context.newPage();
    await openPortal(page);
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/portal-sign-in.png` });
    await signInByOrderNumber(dialog(page), "ada@example.com", "1003");
    expect(await orderNames(page)).toEqual(["#1004", "#1003", "#1002"]);
    const signIn = api.calls.find((call) => call.name === "order-sign-in")!;
    expect(signIn.body).toMatchObject({ email: "ada@example.com", orderNumber: "1003", locale: "en" });
    const orders = api.calls.find((call) => call.name === "orders")!;
    expect(orders.body.token).toMatch(/^v1\./);
    await expect(page.evaluate(() => sessionStorage.getItem("shopdesk-portal-token"))).resolves.toBe(orders.body.token);
    await dialog(page).getByText("Signed in as Ada").waitFor();

    await dialog(page).getByRole("button", { name: "Show more orders" }).click();
    await expect.poll(() => orderNames(page)).toEqual(["#1004", "#1003", "#1002", "#1001"]);
    expect(await focused(page)).toMatch(/^button:#1001/); // focus on the first new order
    expect(await dialog(page).getByRole("button", { name: "Show more orders" }).count()).toBe(0);
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/portal-orders.png` });

    // The token outlives a page load (sessionStorage), not the tab.
    await page.reload();
    await launcher(page).click();
    await trackOrders(dialog(page));
    await dialog(page).getByRole("heading", { name: "Your orders" }).waitFor();
    await page.close();
  });

  it("refuses a wrong order number with a message the shopper can act on", async () => {
    const page = await harness.context.newPage();
    await openPortal(page);
    const panel = dialog(page);
    await panel.getByRole("radio", { name: "Email and order number" }).check();
    await panel.getByRole("button", { name: "Sign in", exact: true }).click();
    await panel.getByText("Enter a valid email address.").waitFor();
    expect(await activeIs(page, 'input[type="email"]')).toBe(true);
    expect(await panel.getByRole("textbox", { name: "Email" }).getAttribute("aria-invalid")).toBe("true");
    expect(api.calls.filter((call) => call.name === "order-sign-in")).toEqual([]);

    await panel.getByRole("textbox", { name: "Email" }).fill("ada@example.com");
    await panel.getByRole("textbox", { name: "Order number" }).fill("9999");
    await panel.getByRole("button", { name: "Sign in", exact: true }).click();
    await status(page).getByText("We couldn’t find an order with that email and number.").waitFor();
    await page.close();
  });

  it("signs in with a 6-digit code sent by email, with a wait before resending", async () => {
    const page = await harness.context.newPage();
    await openPortal(page);
    const panel = dialog(page);
    await panel.getByRole("textbox", { name: "Email" }).fill("ada@example.com");
    await panel.getByRole("button", { name: "Send code" }).click();
    await panel.getByRole("heading", { name: "Enter your code" }).waitFor();
    expect(await activeIs(page, "h3")).toBe(true); // the new step is read out
    await panel.getByText("If this matches an account, we’ve sent a code.").waitFor();
    const resend = panel.getByRole("button", { name: "Send a new code" });
    expect(await resend.getAttribute("aria-disabled")).toBe("true");
    await panel.getByText(/You can ask for a new code in \d+ s\./).waitFor();
    const code = panel.getByRole("textbox", { name: "6-digit code" });
    expect(await code.getAttribute("autocomplete")).toBe("one-time-code");
    expect(await code.getAttribute("inputmode")).toBe("numeric");

    await code.fill("12");
    await panel.getByRole("button", { name: "Verify" }).click();
    await panel.getByText("Enter the 6 digits of your code.").waitFor();
    await code.fill("000000");
    await panel.getByRole("button", { name: "Verify" }).click();
    await status(page).getByText("That code isn’t valid.").waitFor();

    const sent = api.sentCodes.filter((c) => c.destination === "ada@example.com").at(-1)!;
    expect(sent.channel).toBe("email");
    await code.fill(sent.code);
    await panel.getByRole("button", { name: "Verify" }).click();
    await panel.getByRole("heading", { name: "Your orders" }).waitFor();
    expect(api.calls.find((call) => call.name === "verify" && call.body.code === sent.code)?.body).toMatchObject({
      channel: "email",
      destination: "ada@example.com",
      locale: "en",
    });
    await page.close();
  });

  it("offers only the sign-in ways the store allows, and texts a code to a phone", async () => {
    api.channels = { emailCode: false, smsCode: true, orderNumber: false };
    const page = await harness.context.newPage();
    await openPortal(page);
    const panel = dialog(page);
    expect(await panel.getByRole("radio").count()).toBe(0); // one way: no choice to make
    await panel.getByRole("textbox", { name: "Mobile phone number" }).fill("+1 555 0100");
    await panel.getByRole("button", { name: "Send code" }).click();
    await panel.getByRole("heading", { name: "Enter your code" }).waitFor();
    expect(api.calls.find((call) => call.name === "code")?.body).toMatchObject({
      channel: "sms",
      destination: "+1 555 0100",
    });
    await panel.getByRole("button", { name: "Use a different address" }).click();
    await panel.getByRole("textbox", { name: "Mobile phone number" }).waitFor();
    await page.close();
  });

  it("skips the code for a shopper logged in to the store", async () => {
    const page = await harness.context.newPage();
    await page.goto(new URL("/account/login?customer=7", storefront.url).toString());
    await launcher(page).click();
    await trackOrders(dialog(page));
    await dialog(page).getByRole("heading", { name: "Your orders" }).waitFor();
    expect(api.calls.find((call) => call.name === "session")).toMatchObject({ loggedInCustomerId: "7" });
    await dialog(page).getByRole("button", { name: "Sign out" }).click();
    await page.goto(new URL("/account/logout", storefront.url).toString());
    await page.close();
  });
});

describe("storefront portal: an order", () => {
  it("tracks an order in transit: carrier, tracking link and timeline; no cancel or return offered", async () => {
    const page = await harness.context.newPage();
    await openPortal(page);
    await signInByOrderNumber(dialog(page));
    await openOrder(page, "#1004");
    const panel = dialog(page);
    expect(await panel.getByRole("button", { name: "Cancel order" }).count()).toBe(0);
    expect(await panel.getByRole("button", { name: "Return items" }).count()).toBe(0);
    expect(await panel.getByRole("link", { name: /Start a return/ }).count()).toBe(0);
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/portal-order.png` });

    await panel.getByRole("button", { name: "Track" }).click();
    await panel.getByRole("heading", { name: "Tracking" }).waitFor();
    expect(await activeIs(page, "h3")).toBe(true);
    await panel.getByText("UPS").waitFor();
    await panel.getByText("1Z999AA10123456784").waitFor();
    const link = panel.getByRole("link", { name: /Track on the carrier’s site/ });
    expect(await link.getAttribute("href")).toBe("https://www.ups.com/track?tracknum=1Z999AA10123456784");
    expect(await link.getAttribute("target")).toBe("_blank");
    expect(await link.textContent()).toContain("opens in a new tab");
    expect(await panel.locator(".sdp-timeline__label").allTextContents()).toEqual([
      "In transit",
      "Shipped",
      "Order placed",
    ]);
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/portal-track.png` });

    await panel.getByRole("button", { name: "Back to order #1004" }).click();
    await panel.getByRole("button", { name: "Order summary" }).click();
    await panel.getByRole("heading", { name: "Order summary" }).waitFor();
    await panel.getByText("Everyday Tee").waitFor();
    expect(await panel.locator(".sdp-items li").first().textContent()).toContain("Quantity: 1");
    await panel.getByText("Visa •••• 4242 · Paid").waitFor();
    await panel.getByRole("heading", { name: "Shipping address" }).waitFor();
    await page.close();
  });

  it("sums an order up: each item's variant and unit price, then subtotal, shipping, tax and total", async () => {
    const page = await harness.context.newPage();
    await openPortal(page);
    await signInByOrderNumber(dialog(page));
    await openOrder(page, "#1003");
    const panel = dialog(page);
    await panel.getByRole("button", { name: "Order summary" }).click();
    await panel.getByRole("heading", { name: "Order summary" }).waitFor();
    const items = await panel.locator(".sdp-items li").allTextContents();
    // Two mugs at $18.00 each: the unit price with the count, never read as the line's total.
    expect(items[0]).toContain("Morning Mug");
    expect(items[0]).toContain("Terracotta");
    expect(items[0]).toContain("2 × $18.00");
    expect(items[1]).toContain("$32.00");
    expect(items[1]).not.toContain("×");
    const totals = await panel
      .locator(".sdp-totals")
      .evaluate((list) =>
        [...list.querySelectorAll("dt")].map((term) => [term.textContent, term.nextElementSibling?.textContent]),
      );
    // Tax the prices already include is named so, not read as added on top.
    expect(totals).toEqual([
      ["Subtotal", "$68.00"],
      ["Shipping", "$4.90"],
      ["Tax included", "$5.44"],
      ["Total", "$72.90"],
    ]);
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/portal-summary.png` });
    await page.close();
  });

  it("requests a return of a delivered order's items, then shows the request and its status", async () => {
    const page = await harness.context.newPage();
    await openPortal(page);
    await signInByOrderNumber(dialog(page));
    await openOrder(page, "#1003");
    const panel = dialog(page);
    expect(await panel.getByRole("button", { name: "Cancel order" }).count()).toBe(0);
    await panel.getByRole("button", { name: "Return items" }).click();
    await panel.getByRole("heading", { name: "Return items" }).waitFor();

    await panel.getByRole("button", { name: "Request a return" }).click();
    await panel.getByText("Choose at least one item to return.").waitFor();
    await panel.getByText("Choose a reason.").waitFor();
    expect(api.requests).toEqual([]);

    const mugs = panel.getByRole("combobox", { name: /Quantity of Morning Mug to return/ });
    expect(await mugs.locator("option").allTextContents()).toEqual(["0", "1", "2"]);
    // The tote was refunded already: nothing of it can be returned.
    expect(await panel.getByRole("combobox", { name: /Market Tote/ }).count()).toBe(0);
    await mugs.selectOption("1");
    await panel
      .getByRole("combobox", { name: "Reason for the return" })
      .selectOption({ label: "Damaged or defective" });
    await panel.getByRole("textbox", { name: /Message/ }).fill("The handle arrived cracked.");
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/portal-return.png` });
    await panel.getByRole("button", { name: "Request a return" }).click();

    await panel.getByRole("heading", { name: "Request sent" }).waitFor();
    await panel.getByText("We’ve received your request for order #1003.", { exact: false }).waitFor();
    await panel.getByText("Status: Received").waitFor();
    expect(api.requests).toEqual([
      {
        orderId: "gid://shopify/Order/1003",
        kind: "return",
        body: expect.objectContaining({
          items: [{ lineItemId: "li-1003-1", quantity: 1 }],
          reason: "DEFECTIVE",
          message: "The handle arrived cracked.",
          locale: "en",
        }),
      },
    ]);

    await panel.getByRole("button", { name: "Back to order #1003" }).click();
    await panel.getByRole("heading", { name: "Your requests" }).waitFor();
    await panel.locator(".sdp-requests li", { hasText: "Return" }).getByText("Received").waitFor();
    await page.close();
  });

  it("asks to cancel an unfulfilled order after a confirmation, and keeps it on 'Keep my order'", async () => {
    const page = await harness.context.newPage();
    await openPortal(page);
    await signInByOrderNumber(dialog(page));
    await openOrder(page, "#1002");
    const panel = dialog(page);
    expect(await panel.getByRole("button", { name: "Track" }).count()).toBe(0);
    expect(await panel.getByRole("button", { name: "Return items" }).count()).toBe(0);

    await panel.getByRole("button", { name: "Cancel order" }).click();
    await panel.getByRole("heading", { name: "Cancel this order?" }).waitFor();
    await panel.getByRole("button", { name: "Keep my order" }).click();
    await panel.getByRole("heading", { name: "Order #1002" }).waitFor();
    expect(api.requests).toEqual([]);

    await panel.getByRole("button", { name: "Cancel order" }).click();
    await panel.getByRole("button", { name: "Yes, ask to cancel" }).click();
    await panel.getByRole("heading", { name: "Request sent" }).waitFor();
    expect(api.requests.map((r) => [r.orderId, r.kind])).toEqual([["gid://shopify/Order/1002", "cancel"]]);
    await page.close();
  });

  it("reports an issue from the order's own options", async () => {
    const page = await harness.context.newPage();
    await openPortal(page);
    await signInByOrderNumber(dialog(page));
    await openOrder(page, "#1004");
    const panel = dialog(page);
    await panel.getByRole("button", { name: "Report an issue" }).click();
    await panel.getByRole("group", { name: "What went wrong?" }).waitFor();
    expect(await panel.getByRole("radio").count()).toBe(2); // in transit: change address, delayed
    await panel.getByRole("button", { name: "Send report" }).click();
    await panel.getByText("Choose what went wrong.").waitFor();
    await panel.getByRole("radio", { name: "My order is late" }).check();
    await panel.getByRole("textbox", { name: /Message/ }).fill("It has not moved for a week.");
    await panel.getByRole("button", { name: "Send report" }).click();
    await panel.getByRole("heading", { name: "Request sent" }).waitFor();
    expect(api.requests[0]?.body).toMatchObject({
      kind: "issue",
      issue: "delayed",
      message: "It has not moved for a week.",
    });
    await page.close();
  });

  it("sends the shopper to the merchant's Loop Returns portal when returns go through Loop", async () => {
    const page = await harness.context.newPage();
    await openPortal(page);
    await signInByOrderNumber(dialog(page));
    await dialog(page).getByRole("button", { name: "Show more orders" }).click();
    await openOrder(page, "#1001");
    const link = dialog(page).getByRole("link", { name: /Start a return/ });
    expect(await link.getAttribute("href")).toBe("https://returns.example.com/demo-goods");
    expect(await link.getAttribute("rel")).toBe("noopener noreferrer");
    expect(await dialog(page).getByRole("button", { name: "Report an issue" }).count()).toBe(0);
    await page.close();
  });
});

describe("storefront portal: sessions and languages", () => {
  it("signs out: back to sign-in, the token forgotten here and on the server", async () => {
    const page = await harness.context.newPage();
    await openPortal(page);
    await signInByOrderNumber(dialog(page));
    await dialog(page).getByRole("button", { name: "Sign out" }).click();
    await dialog(page).getByRole("heading", { name: "Sign in to see your orders" }).waitFor();
    await status(page).getByText("You’re signed out.").waitFor();
    expect(await activeIs(page, "h3")).toBe(true);
    expect(api.calls.find((call) => call.body.signOut)?.body.token).toMatch(/^v1\./);
    await expect(page.evaluate(() => sessionStorage.getItem("shopdesk-portal-token"))).resolves.toBeNull();
    await expect(dialog(page).getByText("Signed in as Ada").count()).resolves.toBe(0);
    await page.close();
  });

  it("goes back to sign-in when the session has ended (401)", async () => {
    const page = await harness.context.newPage();
    await openPortal(page);
    await signInByOrderNumber(dialog(page));
    api.expireSessions();
    await dialog(page)
      .getByRole("button", { name: /^#1003/ })
      .click();
    await dialog(page).getByRole("heading", { name: "Sign in to see your orders" }).waitFor();
    await status(page).getByText("Please sign in again.").waitFor();
    expect(await focusInDialog(page)).toBe(true);
    await expect(page.evaluate(() => sessionStorage.getItem("shopdesk-portal-token"))).resolves.toBeNull();
    await signInByOrderNumber(dialog(page));
    await page.close();
  });

  it("speaks French on a French storefront, and asks the API in French", async () => {
    const page = await harness.context.newPage();
    await page.goto(new URL("/?locale=fr", storefront.url).toString());
    await page.getByRole("button", { name: "Aide" }).click();
    const panel = dialog(page);
    await trackOrders(panel, "Suivre mes commandes");
    await panel.getByRole("heading", { name: "Connectez-vous pour voir vos commandes" }).waitFor();
    await panel.getByRole("radio", { name: "E-mail et numéro de commande" }).check();
    await panel.getByRole("textbox", { name: "E-mail" }).fill("ada@example.com");
    await panel.getByRole("textbox", { name: "Numéro de commande" }).fill("1003");
    await panel.getByRole("button", { name: "Se connecter" }).click();
    await panel.getByRole("heading", { name: "Vos commandes" }).waitFor();
    await panel.getByText("En transit").waitFor();
    await panel.getByText("Connecté en tant que Ada").waitFor();
    await panel.getByRole("button", { name: /^#1004/ }).click();
    await panel.getByRole("heading", { name: "Commande #1004" }).waitFor();
    await panel.getByRole("button", { name: "Suivre" }).click();
    await panel.getByRole("heading", { name: "Historique de la commande" }).waitFor();
    expect(api.calls.filter((call) => call.body.locale !== "fr")).toEqual([]);
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/portal-fr.png` });
    await page.close();
  });
});

describe("storefront portal: the full-page block", () => {
  it("shows the portal inline on the Help page, without the floating launcher", async () => {
    const page = await harness.context.newPage();
    await page.goto(new URL("/pages/help?locale=en", storefront.url).toString());
    const portal = page.locator("[data-shopdesk-portal-page]");
    await portal.getByRole("button", { name: /^Track my orders/ }).waitFor();
    expect(await launcher(page).isVisible()).toBe(false);
    // A page block does not take focus from the page on load.
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
    await trackOrders(portal);
    await portal.getByRole("heading", { name: "Sign in to see your orders" }).waitFor();
    await signInByOrderNumber(portal);
    await portal.getByRole("button", { name: /^#1004/ }).click();
    await portal.getByRole("heading", { name: "Order #1004" }).waitFor();
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/portal-help-page.png`, fullPage: true });
    await page.close();
  });
});
