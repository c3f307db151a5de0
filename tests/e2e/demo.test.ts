import type { ChildProcess } from "node:child_process";
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireChromium } from "../../dev/browser/launch.ts";
import { DEV_APP_CREDENTIALS, repoRoot } from "../../dev/stack.ts";
import { adminHostParam, mintSessionToken } from "../../dev/store-emulator/signing.ts";
import { startDemo as startDemoProcess, stopDemo, type DemoRun } from "../support/demo-process.ts";

// `npm run demo` as a new user runs it: started, given a store change with the emulator CLI, stopped
// with Ctrl-C, three times on the same data directory; every run must deliver the change to Shopdesk.
// Then the merchant admin it prints is opened in a browser of our own (not the demo's).
const chromiumPath = requireChromium();
const SHOP = "north-trail.myshopify.com";
const LOOP_SHOP = "maple-goods-eu.myshopify.com";
const run = promisify(execFile);
const screenshots = path.join(repoRoot, "test-results");

let dataDir: string;
let demo: ChildProcess | undefined;
let browser: Browser | undefined;

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), "shopdesk-demo-e2e-"));
  chmodSync(dataDir, 0o755); // as root, the database server runs as another user that must reach it
});

afterAll(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) await stop(demo);
  rmSync(dataDir, { recursive: true, force: true });
});

type Printed = DemoRun;

let current: DemoRun | undefined;

async function startDemo(): Promise<Printed> {
  current = await startDemoProcess(dataDir);
  demo = current.child;
  return current;
}

/** Ctrl-C, as a person stops the demo; a demo that has not exited 30 s later fails the test. */
async function stop(_child: ChildProcess) {
  await stopDemo(current!);
}

/** A page of Shopdesk as the admin would open it (with a fresh session token), as HTML. */
async function appPage(appUrl: string, pathAndQuery: string, shop = SHOP): Promise<string> {
  const url = new URL(pathAndQuery, appUrl);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", adminHostParam(shop));
  url.searchParams.set("id_token", mintSessionToken({ shop, ...DEV_APP_CREDENTIALS }));
  const response = await fetch(url, { headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0" } });
  return response.text();
}

/** The customer's note as Shopdesk shows it on the customer's profile, once it arrived. */
async function noteInShopdesk(appUrl: string, email: string, note: string): Promise<boolean> {
  const list = await appPage(appUrl, `/app/customers?q=${encodeURIComponent(email)}`);
  const id = /\/app\/customers\/([A-Za-z0-9_-]+)/.exec(list)?.[1];
  if (!id) return false;
  return (await appPage(appUrl, `/app/customers/${id}`)).includes(note);
}

/** The customers the demo printed as having Loop returns (Maple Goods EU's Loop Returns integration). */
function loopCustomers(output: string): string[] {
  const block = /Customers with Loop returns[^\n]*\n((?: {6}\S+@[^\n]*\n)+)/.exec(output)?.[1] ?? "";
  return [...block.matchAll(/^ {6}([^\s,]+@[^\s,]+)/gm)].map((match) => match[1]!);
}

/** Whether a ticket of the customer shows the Loop Returns card with a return in its sidebar. */
async function loopCardOnTicket(appUrl: string, email: string): Promise<boolean> {
  const inbox = await appPage(appUrl, `/app/inbox?view=all&q=${encodeURIComponent(email)}`, LOOP_SHOP);
  const ticketId = /\/app\/tickets\/([0-9a-f-]{36})/.exec(inbox)?.[1];
  if (!ticketId) return false;
  const page = await appPage(appUrl, `/app/tickets/${ticketId}`, LOOP_SHOP);
  return page.includes("Loop Returns") && /Return #\d+: (open|closed|expired)/.test(page);
}

describe("npm run demo", () => {
  const printed: Printed[] = [];

  it("restarted three times in a row, still delivers store changes made with the emulator CLI", async () => {
    for (let round = 1; round <= 3; round++) {
      const demoRun = await startDemo();
      printed.push(demoRun);
      expect(demoRun.output(), demoRun.output()).toContain("Check passed");
      // Seeded once: the first run says how many, a restarted demo keeps them (and says nothing).
      if (round === 1) expect(demoRun.output()).toMatch(/\d+ demo tickets in the inbox/);
      else expect(demoRun.output()).not.toMatch(/demo tickets in the inbox/);
      expect(demoRun.adminUrls.size).toBe(3);
      expect(demoRun.storefrontUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(readFileSync(demoRun.appLog, "utf8")).toContain("Authenticating admin request");
      // Loop Returns: the fake on 127.0.0.1, the same customers every run, their tickets with the Loop card.
      expect(demoRun.output()).toMatch(/Loop Returns: {5}http:\/\/127\.0\.0\.1:\d+ /);
      expect(demoRun.output()).not.toMatch(/Loop Returns: +not set up|Loop calls did not succeed/);
      const withReturns = loopCustomers(demoRun.output());
      expect(withReturns.length).toBeGreaterThan(0);
      if (round > 1) expect(withReturns).toEqual(loopCustomers(printed[0]!.output()));
      expect(await loopCardOnTicket(demoRun.appUrl, withReturns[0]!)).toBe(true);

      const env = { ...process.env, SHOPDESK_EMULATOR_URL: demoRun.emulatorUrl };
      const cli = ["--import", "tsx", "dev/store-emulator/cli.ts"];
      const { stdout } = await run(process.execPath, [...cli, "shops"], { cwd: repoRoot, env });
      expect(stdout).toContain(SHOP);
      const response = await fetch(`${demoRun.emulatorUrl}/_emulator/shops/${SHOP}/customers`);
      const { customers } = (await response.json()) as { customers: { email: string | null }[] };
      const email = customers.find((customer) => customer.email)!.email!;
      const note = `Restart ${round}: call after 5pm ${Date.now()}`;
      await run(process.execPath, [...cli, "set-customer-note", "--shop", SHOP, "--customer", email, "--note", note], {
        cwd: repoRoot,
        env,
      });
      await expect
        .poll(() => noteInShopdesk(demoRun.appUrl, email, note), { timeout: 30_000, interval: 1000 })
        .toBe(true);
      if (round < 3) await stop(demo!);
    }
  }, 210_000);

  it("serves the merchant admin at the printed local URL to a browser of its own", async () => {
    const last = printed.at(-1)!;
    const adminUrl = last.adminUrls.get(SHOP)!;
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [...(process.getuid?.() === 0 ? ["--no-sandbox"] : []), "--disable-dev-shm-usage"],
    });
    // A plain browser: no routes, no exposed functions; only the user agent says it is not a bot.
    const { userAgent } = (await (await browser.newBrowserCDPSession()).send("Browser.getVersion")) as {
      userAgent: string;
    };
    const page = await browser.newPage({
      userAgent: userAgent.replace("HeadlessChrome", "Chrome"),
      viewport: { width: 1400, height: 900 },
    });
    await page.goto(adminUrl);
    const app = page.frameLocator("iframe[name=app-iframe]");
    await expect
      .poll(() => app.getByRole("heading", { name: "North Trail Outfitters" }).isVisible(), { timeout: 60_000 })
      .toBe(true);
    await expect.poll(() => page.locator("[data-app-title]").textContent()).toBe("Shopdesk");
    // The agent's landing: their tickets first, the system's figures folded away.
    await expect.poll(() => app.getByRole("heading", { name: "Your open tickets" }).isVisible()).toBe(true);
    expect(await app.getByText(/^Sync with Shopify: /).isVisible()).toBe(true);
    const signedIn = app.getByTestId("signed-in-agent");
    await expect
      .poll(() => signedIn.textContent(), { timeout: 30_000 })
      .toBe("Signed in as Sam Okafor (hello@northtrail.example)");
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: path.join(screenshots, "demo-local-admin.png") });

    // Another staff member of the store: the admin reloads as them, and Shopdesk knows them.
    await page.getByLabel("Signed in as").selectOption({ label: "Jonas Weber" });
    await expect
      .poll(() => signedIn.textContent().catch(() => null), { timeout: 60_000 })
      .toBe("Signed in as Jonas Weber (jonas@northtrail.example)");
    expect(await page.getByLabel("Signed in as").inputValue()).toBe("2");
    await page.screenshot({ path: path.join(screenshots, "demo-local-admin-second-staff.png") });

    // The inbox of a working store: demo tickets in every view, searchable by order number.
    await page.goto(`${adminUrl}/app/inbox`);
    const rows = app.locator("tbody tr");
    await expect.poll(() => app.getByRole("tab").count(), { timeout: 60_000 }).toBe(6);
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(5);
    const tabs = await app.getByRole("tab").allTextContents();
    expect(tabs.map((tab) => tab.replace(/[\d,]+/g, "").trim())).toEqual([
      "Open",
      "Unassigned",
      "Mine",
      "Snoozed",
      "Closed",
      "All",
    ]);
    await page.screenshot({ path: path.join(screenshots, "demo-inbox.png") });
    const orderName = /#\d{4}/.exec((await rows.allTextContents()).join(" "))?.[0];
    expect(orderName).toBeTruthy();
    await app.getByPlaceholder(/Search subject/).fill(orderName!);
    await app.getByRole("button", { name: "Search" }).click();
    await expect
      .poll(async () => (await rows.allTextContents()).every((row) => row.includes(orderName!)), { timeout: 30_000 })
      .toBe(true);
    await page.screenshot({ path: path.join(screenshots, "demo-inbox-search.png") });

    // Customers with the columns an agent wants; the Activity page in merchant words.
    await page.goto(`${adminUrl}/app/customers`);
    await expect
      .poll(() => app.getByRole("columnheader", { name: "Total spent" }).isVisible(), { timeout: 60_000 })
      .toBe(true);
    await expect.poll(() => page.locator("[data-app-title]").textContent()).toBe("Customers");
    await page.screenshot({ path: path.join(screenshots, "demo-customers.png") });
    await page.goto(`${adminUrl}/app/activity`);
    await expect
      .poll(() => app.getByRole("heading", { name: "Privacy requests" }).isVisible(), { timeout: 60_000 })
      .toBe(true);
    await page.screenshot({ path: path.join(screenshots, "demo-activity.png") });
    // With the merchant's browser still open on it, as a person would leave it.
    await stop(demo!);
  }, 150_000);
});
