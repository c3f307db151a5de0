import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser, type FrameLocator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { requireChromium } from "../../dev/browser/launch.ts";
import { repoRoot } from "../../dev/stack.ts";
import { startDemo, stopDemo, type DemoRun } from "../support/demo-process.ts";

// A day in the inbox, in the demo as a merchant's team would use it, in real Chromium: an agent
// finds a ticket by order number, answers it with a macro, and the reply reaches a real SMTP
// server (the demo's mail catcher) threaded under the shopper's message; a second agent, in a
// browser of their own, sees who is there and the reply arrive without reloading; a snooze wakes
// by itself; two customer profiles are merged and the merge undone.
const chromiumPath = requireChromium();
const SHOP = "north-trail.myshopify.com";
const screenshots = path.join(repoRoot, "test-results");

let dataDir: string;
let demo: DemoRun | undefined;
let browser: Browser | undefined;
const browserErrors: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "shopdesk-helpdesk-e2e-"));
  chmodSync(dataDir, 0o755); // as root, the database server runs as another user that must reach it
  demo = await startDemo(dataDir);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [...(process.getuid?.() === 0 ? ["--no-sandbox"] : []), "--disable-dev-shm-usage"],
  });
  mkdirSync(screenshots, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (demo) await stopDemo(demo);
  rmSync(dataDir, { recursive: true, force: true });
});

/** A browser window of its own (an agent's computer), on the store's local admin. */
async function agentWindow(): Promise<{ page: Page; app: FrameLocator }> {
  const { userAgent } = (await (await browser!.newBrowserCDPSession()).send("Browser.getVersion")) as {
    userAgent: string;
  };
  const context = await browser!.newContext({
    userAgent: userAgent.replace("HeadlessChrome", "Chrome"),
    viewport: { width: 1400, height: 1000 },
  });
  const page = await context.newPage();
  // What the browser said went wrong, shown when the test fails.
  page.on("pageerror", (error) => browserErrors.push(`pageerror: ${error.stack ?? error.message}`));
  page.on("framenavigated", (frame) => {
    if (frame.name() === "app-iframe") browserErrors.push(`navigated: ${frame.url()}`);
  });
  page.on("console", (message) => {
    if (message.type() === "error") browserErrors.push(`console: ${message.text()}`);
  });
  return { page, app: page.frameLocator("iframe[name=app-iframe]") };
}

/** Goes to the app page `path` in the store's admin and waits until it is interactive. */
async function open(window: { page: Page; app: FrameLocator }, url: string) {
  await window.page.goto(url);
  await window.app.locator("html[data-hydrated]").waitFor({ state: "attached", timeout: 60_000 });
}

const appFrameUrl = (page: Page) =>
  new URL(
    page
      .frames()
      .find((frame) => frame.name() === "app-iframe")!
      .url(),
  );

interface CaughtMail {
  to: string;
  subject: string;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  text: string;
}

describe("the helpdesk in the demo", () => {
  it("answers a ticket with a macro by email, live for a second agent; snoozes and wakes; merges and undoes", async () => {
    const adminUrl = demo!.adminUrls.get(SHOP)!;
    const first = await agentWindow();
    const second = await agentWindow();
    onTestFailed(async () => {
      console.error(`Browser errors:\n${browserErrors.join("\n")}`);
      if (demo?.appLog) copyFileSync(demo.appLog, path.join(screenshots, "helpdesk-failed-app.log"));
      await first.page.screenshot({ path: path.join(screenshots, "helpdesk-failed-first-agent.png") });
      await second.page.screenshot({ path: path.join(screenshots, "helpdesk-failed-second-agent.png") });
    });

    // The first agent: an email ticket about an order, found by the order's number.
    await open(first, `${adminUrl}/app/inbox?view=all&channel=email`);
    const rows = first.app.locator("tbody tr");
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    const orderName = /#\d{4}/.exec((await rows.allTextContents()).join(" "))?.[0];
    expect(orderName, "an email ticket names an order").toBeTruthy();
    await first.app.getByPlaceholder(/Search subject/).fill(orderName!);
    await first.app.getByRole("button", { name: "Search" }).click();
    await expect
      .poll(async () => (await rows.allTextContents()).every((row) => row.includes(orderName!)), { timeout: 30_000 })
      .toBe(true);
    await rows.first().locator("a").first().click();
    await expect
      .poll(() => first.app.getByRole("button", { name: "Send reply" }).isVisible(), { timeout: 30_000 })
      .toBe(true);
    const ticketPath = appFrameUrl(first.page).pathname;
    expect(ticketPath).toMatch(/^\/app\/tickets\/[0-9a-f-]{36}$/);
    const title = (await first.page.locator("[data-app-title]").textContent()) ?? "";
    expect(title).toMatch(/^#\d+ /);
    const subject = title.replace(/^#\d+ /, "");

    // The second agent, another staff member in their own browser, opens the same ticket.
    await open(second, adminUrl);
    await expect.poll(() => second.page.getByLabel("Signed in as").isVisible(), { timeout: 60_000 }).toBe(true);
    await second.page.getByLabel("Signed in as").selectOption({ label: "Jonas Weber" });
    await expect
      .poll(
        () =>
          second.app
            .getByTestId("signed-in-agent")
            .textContent()
            .catch(() => null),
        { timeout: 60_000 },
      )
      .toContain("Jonas Weber");
    await open(second, `${adminUrl}${ticketPath}`);
    await expect
      .poll(() => second.app.getByRole("button", { name: "Send reply" }).isVisible(), { timeout: 30_000 })
      .toBe(true);
    // Each sees the other there.
    await expect
      .poll(
        () =>
          first.app
            .getByTestId("ticket-presence")
            .textContent()
            .catch(() => ""),
        { timeout: 30_000 },
      )
      .toContain("Jonas Weber is viewing this ticket");

    // A macro fills the reply in for this customer and order; sending applies it.
    await first.app.getByPlaceholder("Insert a macro: search by name or text").fill("Where is my order");
    await first.app.getByRole("option", { name: /^Where is my order \(English\)/ }).click();
    const replyBox = first.app.getByPlaceholder(/^Write to /);
    await expect.poll(() => replyBox.inputValue(), { timeout: 30_000 }).toContain(orderName!);
    const reply = await replyBox.inputValue();
    expect(reply).not.toMatch(/\{\{|\}\}/);
    const orderLine = reply
      .split("\n")
      .find((line) => line.includes(orderName!))!
      .trim();
    const repliesSeenBySecond = second.app.getByTestId("thread-entry-agent_reply").filter({ hasText: orderLine });
    const before = await repliesSeenBySecond.count();
    await first.page.screenshot({ path: path.join(screenshots, "helpdesk-reply-with-macro.png") });
    await first.app.getByRole("button", { name: "Send reply" }).click();
    await expect.poll(() => replyBox.inputValue(), { timeout: 30_000 }).toBe("");

    // The second agent sees it arrive without reloading; it goes out by email.
    await expect.poll(() => repliesSeenBySecond.count(), { timeout: 30_000 }).toBe(before + 1);
    await expect
      .poll(() => first.app.getByTestId("thread-entry-agent_reply").last().textContent(), { timeout: 60_000 })
      .toMatch(/Sent/);
    await second.page.screenshot({ path: path.join(screenshots, "helpdesk-second-agent-live.png") });

    const caught = async () =>
      ((await (await fetch(new URL("/messages.json", demo!.mailUrl))).json()) as CaughtMail[]).filter(
        (mail) => mail.subject === `Re: ${subject}`,
      );
    await expect.poll(async () => (await caught()).length, { timeout: 60_000 }).toBe(1);
    const [mail] = await caught();
    expect(mail!.text).toContain(orderLine);
    // Threaded under the shopper's message: In-Reply-To names it, References ends with it.
    expect(mail!.messageId).toMatch(/^<[^<>@\s]+@[^<>\s]+>$/);
    expect(mail!.messageId).not.toBe(mail!.inReplyTo);
    expect(mail!.inReplyTo).toMatch(/^<[^<>\s]+@[^<>\s]+>$/);
    expect(mail!.references.at(-1)).toBe(mail!.inReplyTo);
    expect(mail!.to).toMatch(/@/);

    // Snoozed until the first whole minute at least 70 s away (the field has minutes, and a snooze
    // is at least a minute away): the merge below runs meanwhile, then the durable job wakes it and
    // the second agent's page shows it open again.
    const until = await first.page
      .frames()
      .find((frame) => frame.name() === "app-iframe")!
      .evaluate(() => {
        const at = new Date(Date.now() + 70_000);
        if (at.getSeconds() > 0 || at.getMilliseconds() > 0) at.setMinutes(at.getMinutes() + 1, 0, 0);
        const pad = (value: number) => String(value).padStart(2, "0");
        return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
      });
    await first.app.getByLabel("Snooze until (your computer's time)").fill(until);
    await first.app.getByRole("button", { name: "Snooze", exact: true }).click();
    await expect.poll(() => second.app.getByText(/^Snoozed until /).isVisible(), { timeout: 30_000 }).toBe(true);

    // Two profiles of one shopper: a new one (no orders yet) merged into the ticket's customer, then undone.
    const email = `mia.merge.${Date.now()}@example.com`;
    const created = await fetch(new URL("/_emulator/commands", demo!.emulatorUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ command: "createCustomer", shop: SHOP, firstName: "Mia", lastName: "Merge", email }),
    });
    expect(created.status).toBe(200);
    // The list is read when the page loads: look again until the new customer's webhook arrived.
    await expect
      .poll(
        async () => {
          await open(first, `${adminUrl}/app/customers?q=${encodeURIComponent(email)}`);
          return first.app
            .getByRole("link", { name: /Mia Merge/ })
            .waitFor({ timeout: 5_000 })
            .then(() => true)
            .catch(() => false);
        },
        { timeout: 90_000, interval: 1000 },
      )
      .toBe(true);
    await first.app
      .getByRole("link", { name: /Mia Merge/ })
      .first()
      .click();
    await expect
      .poll(() => first.app.getByLabel("Find a profile to merge").isVisible(), { timeout: 30_000 })
      .toBe(true);
    const other = (await second.app.locator(`a[href^="/app/customers/"]`).first().textContent())!.trim();
    await first.app.getByLabel("Find a profile to merge").fill(other);
    await first.app.getByRole("button", { name: "Search" }).click();
    await first.app
      .getByRole("link", { name: new RegExp(`Compare with ${other}`) })
      .first()
      .click({ force: true }); // a Polaris resource item: its text lies over its link
    await first.app.getByRole("button", { name: "Merge…" }).click();
    await first.app.getByRole("button", { name: "Merge customers" }).click();
    await expect
      .poll(() => first.app.getByRole("button", { name: "Undo" }).first().isVisible(), { timeout: 30_000 })
      .toBe(true);
    await first.page.screenshot({ path: path.join(screenshots, "helpdesk-merged.png") });
    await first.app.getByRole("button", { name: "Undo" }).first().click();
    await expect
      .poll(
        () =>
          first.app
            .getByText(/^Undone on /)
            .first()
            .isVisible(),
        { timeout: 30_000 },
      )
      .toBe(true);
    // Both profiles are back, each found by its own email.
    await open(first, `${adminUrl}/app/customers?q=${encodeURIComponent(email)}`);
    await expect
      .poll(() => first.app.getByRole("link", { name: /Mia Merge/ }).isVisible(), { timeout: 30_000 })
      .toBe(true);
    await open(first, `${adminUrl}/app/customers?q=${encodeURIComponent(other)}`);
    await expect
      .poll(() => first.app.getByRole("link", { name: other }).first().isVisible(), { timeout: 30_000 })
      .toBe(true);

    // The snooze ends while the second agent's page stays open on the ticket.
    await expect
      .poll(() => second.app.getByText(/^Snoozed until /).isVisible(), { timeout: 180_000, interval: 2000 })
      .toBe(false);
    await expect.poll(() => second.app.getByText("The snooze ended; the ticket is open again").isVisible()).toBe(true);
  }, 600_000);
});
