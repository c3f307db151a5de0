// The widget's home view, quick answers and the offline contact form in real Chromium, against the
// portal API stand-in (dev/storefront/portal-api-standin.ts), as a shopper uses them with a mouse or
// a keyboard. The chat itself needs the app's live endpoints: tests/e2e/live-chat.test.ts.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from "vitest";
import type { PortalStandin, StandinQuickAnswer } from "../storefront/portal-api-standin.ts";
import type { Storefront } from "../storefront/index.ts";
import { requireChromium, type ShopdeskBrowser } from "./launch.ts";
import { startPortalBrowser, type PortalBrowser } from "./portal-browser.ts";

const SCREENSHOTS = process.env.SHOPDESK_SCREENSHOTS;

requireChromium();

let api: PortalStandin;
let storefront: Storefront;
let harness: ShopdeskBrowser;
let portal: PortalBrowser;

const SHIPPING: StandinQuickAnswer = {
  id: "qa-shipping",
  path: "",
  locale: "en",
  question: "Do you ship abroad?",
  answer: "Yes, to 40 countries.\n\nDuties are included at checkout.",
  links: [{ label: "Shipping policy", url: "https://shop.example/policies/shipping" }],
  followUps: [
    {
      path: "0",
      locale: "en",
      question: "How long does it take?",
      answer: "5 to 10 working days.",
      links: [],
      followUps: [
        {
          path: "0.0",
          locale: "en",
          question: "Can I pay for faster delivery?",
          answer: "Yes: Express arrives in 2 to 3 days.",
          links: [],
          followUps: [],
        },
      ],
    },
  ],
};

beforeAll(async () => {
  portal = await startPortalBrowser({ apiSecret: "portal-help-secret", customers: {} });
  ({ api, storefront, harness } = portal);
}, 30_000);

afterAll(() => portal?.close());

beforeEach(() => {
  onTestFailed(async () => {
    for (const [index, page] of harness.context.pages().entries()) {
      await page.screenshot({ path: `test-results/portal-help-failure-${index}.png` }).catch(() => {});
    }
    console.error("portal API calls:", JSON.stringify(api.calls, null, 1));
  });
  api.calls.length = 0;
  api.quickAnswerUses.length = 0;
  api.contacts.length = 0;
  api.quickAnswers = [SHIPPING];
  api.availability = { online: true, nextOpenAt: null, timezone: "UTC", message: "" };
});

const dialog = (page: Page) => page.getByRole("dialog");
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el ? `${el.tagName.toLowerCase()}:${el.textContent?.trim() ?? ""}` : "";
  });

async function openHome(path = "/?locale=en") {
  const page = await harness.context.newPage();
  await page.goto(new URL(path, storefront.url).toString());
  await page.locator("[data-shopdesk-launcher]").click();
  await dialog(page)
    .getByRole("button", { name: /^Track my orders/ })
    .waitFor();
  return page;
}

describe("storefront widget: home", () => {
  it("opens on three ways in, and asks the app nothing about chat for a shopper who never chatted", async () => {
    const page = await openHome();
    const panel = dialog(page);
    await panel.getByRole("button", { name: /^Quick answers/ }).waitFor();
    await panel.getByRole("button", { name: /^Talk to an agent/ }).waitFor();
    await expect.poll(() => api.calls.map((call) => call.name).sort()).toEqual(["availability", "session"]);
    await expect(page.evaluate(() => localStorage.getItem("shopdesk-chat"))).resolves.toBeNull();
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/widget-home.png` });

    // Track my orders leads to sign-in, and its back button home again, focus on the first way in.
    await panel.getByRole("button", { name: /^Track my orders/ }).click();
    await panel.getByRole("heading", { name: "Sign in to see your orders" }).waitFor();
    await panel.getByRole("button", { name: "Back" }).click();
    await panel.getByRole("button", { name: /^Quick answers/ }).waitFor();
    expect(await focused(page)).toMatch(/^button:Track my orders/);
    await page.close();
  });

  it("fits a 320 px wide phone without sideways scrolling", async () => {
    const page = await harness.context.newPage();
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(new URL("/?locale=en", storefront.url).toString());
    await page.locator("[data-shopdesk-launcher]").click();
    await dialog(page)
      .getByRole("button", { name: /^Talk to an agent/ })
      .waitFor();
    const overflow = await page.evaluate(() => {
      const body = document.querySelector(".shopdesk-portal__body")!;
      return body.scrollWidth - body.clientWidth;
    });
    expect(overflow).toBe(0);
    await page.close();
  });
});

describe("storefront widget: quick answers", () => {
  it("answers at once, with links and nested follow-ups, and records each answer opened", async () => {
    const page = await openHome();
    const panel = dialog(page);
    await panel.getByRole("button", { name: /^Quick answers/ }).click();
    await panel.getByRole("heading", { name: "Quick answers" }).waitFor();
    await panel.getByRole("button", { name: "Do you ship abroad?" }).click();
    await panel.getByRole("heading", { name: "Do you ship abroad?" }).waitFor();
    expect(await focused(page)).toBe("h3:Do you ship abroad?");
    await panel.getByText("Duties are included at checkout.").waitFor();
    const link = panel.getByRole("link", { name: /Shipping policy/ });
    await expect(link.getAttribute("href")).resolves.toBe("https://shop.example/policies/shipping");
    await expect(link.getAttribute("target")).resolves.toBe("_blank");
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/widget-quick-answer.png` });

    await panel.getByRole("button", { name: "How long does it take?" }).click();
    await panel.getByText("5 to 10 working days.").waitFor();
    await panel.getByRole("button", { name: "Can I pay for faster delivery?" }).click();
    await panel.getByText("Yes: Express arrives in 2 to 3 days.").waitFor();
    // Back goes up one follow-up at a time.
    await panel.getByRole("button", { name: "Back", exact: true }).click();
    await panel.getByRole("heading", { name: "How long does it take?" }).waitFor();

    await expect
      .poll(() => api.quickAnswerUses)
      .toEqual([
        { quickAnswerId: "qa-shipping", path: "" },
        { quickAnswerId: "qa-shipping", path: "0" },
        { quickAnswerId: "qa-shipping", path: "0.0" },
        { quickAnswerId: "qa-shipping", path: "0" },
      ]);
    // Still stuck: the agent is one click away.
    await panel.getByRole("button", { name: "Talk to an agent" }).waitFor();
    await page.close();
  });

  it("leaves quick answers off the home view when the store has none", async () => {
    api.quickAnswers = [];
    const page = await openHome();
    // The list arrives only when asked; asking once tells the widget there is nothing to offer.
    await dialog(page)
      .getByRole("button", { name: /^Quick answers/ })
      .click();
    await dialog(page).getByText("There are no quick answers yet.").waitFor();
    await dialog(page).getByRole("button", { name: "Back" }).click();
    await dialog(page)
      .getByRole("button", { name: /^Talk to an agent/ })
      .waitFor();
    await expect(
      dialog(page)
        .getByRole("button", { name: /^Quick answers/ })
        .count(),
    ).resolves.toBe(0);
    await page.close();
  });
});

describe("storefront widget: outside business hours", () => {
  it("says when the team is back and takes a message by email instead of a chat", async () => {
    api.availability = {
      online: false,
      nextOpenAt: "2026-12-02T09:00:00.000Z",
      timezone: "Europe/London",
      message: "We’re back tomorrow at 9:00.",
    };
    const page = await openHome();
    const panel = dialog(page);
    await panel.getByText("We’re away right now").waitFor();
    await panel.getByText("We’re back tomorrow at 9:00.").waitFor();
    await expect(panel.getByRole("button", { name: /^Talk to an agent/ }).count()).resolves.toBe(0);
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/widget-offline-home.png` });

    await panel.getByRole("button", { name: "Send us a message" }).click();
    await panel.getByRole("heading", { name: "Send us a message" }).waitFor();
    // Nothing typed: each wrong field says what to do, and focus goes to the first.
    await panel.getByRole("button", { name: "Send message" }).click();
    await panel.getByText("Enter a valid email address.").waitFor();
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).type)).toBe("email");
    expect(api.contacts).toEqual([]);

    await panel.getByRole("textbox", { name: "Email" }).fill("grace@example.com");
    await panel.getByRole("textbox", { name: /^Name/ }).fill("Grace");
    await panel.getByRole("textbox", { name: "Message" }).fill("Can I change the size of my order?");
    await panel.getByRole("textbox", { name: /^Order number/ }).fill("1004");
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/widget-offline-form.png` });
    await panel.getByRole("button", { name: "Send message" }).click();
    await panel.getByRole("heading", { name: "Message sent" }).waitFor();
    await panel.getByText("Our team will answer you tomorrow at 9:00, by email.", { exact: false }).waitFor();
    expect(api.contacts).toEqual([
      expect.objectContaining({
        email: "grace@example.com",
        name: "Grace",
        message: "Can I change the size of my order?",
        orderNumber: "1004",
        locale: "en",
      }),
    ]);
    await page.close();
  });
});
