import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireChromium, type ShopdeskBrowser } from "../../dev/browser/launch.ts";
import { screenshot, screenshotOnFailure, startE2eStack, type E2eStack } from "../support/e2e";

// Settings → Quick answers in the embedded admin, in real Chromium: the empty page with its
// suggestions, a flow written in English with a follow-up, the French tab filled in (a missing
// answer shown under its field first), saved, and back in the list; the database holds the French
// follow-up. Screenshots in test-results/quick-answers-*.png.
requireChromium();
const EU = "maple-goods-eu.myshopify.com";

let e2e: E2eStack | undefined;
let browser: ShopdeskBrowser;

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: e2e!.stack.databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  e2e = await startE2eStack({ seed: { ordersPerShop: 1, customersPerShop: 1 } });
  ({ browser } = e2e);
  await e2e.stack.installShop(EU);
});
afterAll(() => e2e?.stop());

describe("Settings → Quick answers", () => {
  it("creates a flow with a follow-up in English and French", async () => {
    const page = await browser.openAdmin(EU);
    screenshotOnFailure(page, "quick-answers-settings");
    const app = page.frameLocator("iframe[name=app-iframe]");
    await expect.poll(() => app.getByText("Sync with Shopify").isVisible(), { timeout: 60_000 }).toBe(true);
    await page
      .frame({ name: "app-iframe" })!
      .waitForFunction(
        () =>
          (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state
            .initialized,
      );
    await page.locator("[data-app-nav] a", { hasText: "Settings" }).click();
    await app.getByRole("link", { name: "Manage quick answers" }).click();
    await expect
      .poll(() => app.getByText("Answer common questions instantly").isVisible(), { timeout: 30_000 })
      .toBe(true);
    expect(await app.getByText("Shipping policy: “How long does shipping take?”").isVisible()).toBe(true);
    await screenshot(page, "quick-answers-empty");

    await app.getByRole("link", { name: "Create quick answer" }).click();
    await expect.poll(() => app.getByLabel("Question", { exact: true }).isVisible(), { timeout: 30_000 }).toBe(true);
    await app.getByLabel("Question", { exact: true }).fill("Do you ship abroad?");
    await app.getByLabel("Answer", { exact: true }).fill("Yes, to 40 countries.");
    await app.getByRole("button", { name: "Add link", exact: true }).click();
    await app.getByLabel("Link 1 text", { exact: true }).fill("Shipping policy");
    await app.getByLabel("Link 1 address", { exact: true }).fill("https://maple-goods.example/policies/shipping");
    await app.getByRole("button", { name: "Add follow-up", exact: true }).click();
    await app.getByLabel("Follow-up 1 question", { exact: true }).fill("How long does it take?");
    await app.getByLabel("Follow-up 1 answer", { exact: true }).fill("5 to 10 business days.");

    await app.getByRole("tab", { name: "French" }).click();
    await expect
      .poll(() => app.getByText("Leave French blank to show English to these shoppers.").isVisible())
      .toBe(true);
    expect(await app.getByLabel("Question", { exact: true }).getAttribute("placeholder")).toBe(
      "English: Do you ship abroad?",
    );
    await app.getByLabel("Question", { exact: true }).fill("Livrez-vous à l'étranger ?");
    await app.getByLabel("Answer", { exact: true }).fill("Oui, dans 40 pays.");
    await app.getByLabel("Follow-up 1 question", { exact: true }).fill("Quel est le délai ?");
    // Saved without the follow-up's French answer: the problem is shown under its field.
    await app.getByRole("button", { name: "Save" }).first().click();
    await expect.poll(() => app.getByText("French, follow-up 1: Enter the answer.").isVisible()).toBe(true);
    expect(await app.getByText("Enter the answer.", { exact: true }).isVisible()).toBe(true);
    expect(await query(`SELECT id FROM "QuickAnswer"`)).toEqual([]);
    await screenshot(page, "quick-answers-problem");

    await app.getByLabel("Follow-up 1 answer", { exact: true }).fill("De 5 à 10 jours ouvrés.");
    await app.getByRole("button", { name: "Quel est le délai ?" }).click(); // the preview opens the follow-up
    await expect.poll(() => app.getByText("De 5 à 10 jours ouvrés.").first().isVisible()).toBe(true);
    await app.getByRole("button", { name: "Save" }).first().click();
    await expect.poll(async () => (await query(`SELECT id FROM "QuickAnswer"`)).length, { timeout: 20_000 }).toBe(1);
    await expect
      .poll(() => page.url(), { timeout: 20_000 })
      .toMatch(/quick-answers%2F[0-9a-f-]{36}|quick-answers\/[0-9a-f-]{36}/);
    await expect.poll(() => app.getByRole("button", { name: "Delete" }).isVisible()).toBe(true);
    await screenshot(page, "quick-answers-editor-fr");

    const [row] = await query<{ enabled: boolean; content: Record<string, unknown> }>(
      `SELECT enabled, content FROM "QuickAnswer"`,
    );
    expect(row!.enabled).toBe(true);
    expect(row!.content).toMatchObject({
      en: {
        question: "Do you ship abroad?",
        links: [{ label: "Shipping policy", url: "https://maple-goods.example/policies/shipping" }],
      },
      fr: { question: "Livrez-vous à l'étranger ?", answer: "Oui, dans 40 pays.", links: [] },
      followUps: [
        {
          en: { question: "How long does it take?", answer: "5 to 10 business days." },
          fr: { question: "Quel est le délai ?", answer: "De 5 à 10 jours ouvrés." },
          followUps: [],
        },
      ],
    });
    expect(row!.content).not.toHaveProperty("de");

    await page.locator("[data-app-nav] a", { hasText: "Settings" }).click();
    await app.getByRole("link", { name: "Manage quick answers" }).click();
    await expect
      .poll(() => app.getByRole("link", { name: "Do you ship abroad?" }).isVisible(), { timeout: 30_000 })
      .toBe(true);
    expect(await app.getByText("1 follow-up").isVisible()).toBe(true);
    expect(await app.getByText("On", { exact: true }).isVisible()).toBe(true);
    await screenshot(page, "quick-answers-list");
  });
});
