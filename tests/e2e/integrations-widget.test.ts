import type { FrameLocator, Locator, Page } from "playwright-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatShopTime } from "../../app/components/formatting.ts";
import { requireChromium, type ShopdeskBrowser } from "../../dev/browser/launch.ts";
import { seedDemoTicketsOnceImported } from "../../dev/demo-tickets.ts";
import { NOT_AVAILABLE, type LoopReturn } from "../../dev/loop-returns/fixtures.ts";
import { DEMO_LOOP_API_KEY, startDemoLoop, type DemoLoop, type DemoLoopCustomer } from "../../dev/loop-returns/demo.ts";
import { RETURN_LINK_BUTTON, ZIP_LABEL } from "../../dev/loop-returns/seed-002.ts";
import { screenshot, screenshotOnFailure, startE2eStack, type E2eStack } from "../support/e2e";

// Seed 002's Loop Returns integration and widget, as the demo sets them up, over a Loop-shaped
// response from the fake Loop server (dev/loop-returns), in the embedded admin in real Chromium:
// the ticket sidebar shows the Loop card with each return as a card (its title and link filled
// from the return, dates in the store's zone, Loop's "N/A" left out, quoted reasons and negative
// prices as Loop sent them), and an agent runs the return's "Return portal link" action: its
// mandatory zip is asked for, the server sends the request with Loop's key, and the ticket records
// the result.
requireChromium();
const EU = "maple-goods-eu.myshopify.com";

let e2e: E2eStack | undefined;
let browser: ShopdeskBrowser;
let demo: DemoLoop | undefined;
let customer: DemoLoopCustomer;
let returns: LoopReturn[];
let timeZone: string | null;

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
  e2e = await startE2eStack({ seed: { ordersPerShop: 40, customersPerShop: 10 } });
  ({ browser } = e2e);
  await e2e.stack.installShop(EU);
  // Tickets are seeded for imported customers: wait for the import itself, not only for no import
  // running (its SyncState row may not exist yet right after the install).
  const importDeadline = Date.now() + 150_000;
  for (;;) {
    const [state] = await query<{ backfillStatus: string }>(
      `SELECT ss."backfillStatus" FROM "SyncState" ss JOIN "Shop" s ON s.id = ss."shopId" WHERE s.domain = $1`,
      [EU],
    );
    if (state?.backfillStatus === "completed") break;
    if (state?.backfillStatus === "failed" || Date.now() > importDeadline) {
      throw new Error(`The store's import did not complete (${state?.backfillStatus ?? "not started"})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  // The demo's tickets (return and exchange ones among them), then the demo's Loop setup on them.
  await seedDemoTicketsOnceImported(e2e.stack.databaseUrl, new Map(), 90_000, 60);
  demo = await startDemoLoop({ databaseUrl: e2e.stack.databaseUrl, shopDomain: EU, port: 0, appEnv: process.env });
  // The customer with the most returns (a ticket of theirs was fetched at start).
  const candidates = demo.workspace.customers.filter((candidate) => candidate.ticketId);
  customer = candidates.sort(
    (a, b) =>
      (demo!.fixtures.byEmail[b.email.toLowerCase()]?.length ?? 0) -
      (demo!.fixtures.byEmail[a.email.toLowerCase()]?.length ?? 0),
  )[0]!;
  if (!customer) throw new Error("No demo customer with a ticket was given Loop returns");
  returns = demo.fixtures.byEmail[customer.email.toLowerCase()]!;
  const [shop] = await query<{ timeZone: string | null }>(
    `SELECT "ianaTimezone" AS "timeZone" FROM "Shop" WHERE domain = $1`,
    [EU],
  );
  timeZone = shop?.timeZone ?? null;
});

afterAll(async () => {
  await demo?.close();
  await e2e?.stop();
});

async function openTicket(name: string): Promise<{ page: Page; app: FrameLocator }> {
  const page = await browser.openAdmin(EU, `/app/tickets/${customer.ticketId}`);
  await page.setViewportSize({ width: 1400, height: 1200 });
  screenshotOnFailure(page, name);
  const app = page.frameLocator("iframe[name=app-iframe]");
  await app.locator("html[data-hydrated]").waitFor({ state: "attached", timeout: 60_000 });
  return { page, app };
}

/** The return's card in the sidebar: the box whose title links to the return in Loop's admin. */
const returnCard = (app: FrameLocator, item: LoopReturn): Locator =>
  app
    .locator("div")
    .filter({ has: app.locator(`a[href="https://admin.loopreturns.com/returns/${item.id}"]`) })
    .filter({ hasText: "Created at" })
    .last();

/** A row's value in a card: the text beside its title; null when the card has no such row. */
async function rowValue(app: FrameLocator, card: Locator, title: string): Promise<string | null> {
  const row = card
    .locator("div")
    .filter({ has: app.locator(`span:text-is("${title}")`) })
    .last();
  if ((await row.count()) === 0) return null;
  const text = (await row.innerText()).trim();
  return text.startsWith(title) ? text.slice(title.length).trim() : text;
}

describe("Loop Returns widget in the ticket sidebar", () => {
  it("shows the customer's returns from Loop's response: cards, dates, links, no N/A", async () => {
    expect(returns.length).toBeGreaterThanOrEqual(2);
    const { page, app } = await openTicket("loop-widget");
    const loopCard = app.getByRole("link", { name: "Loop Returns" });
    await loopCard.waitFor({ timeout: 60_000 });
    expect(await loopCard.getAttribute("href")).toBe("https://maple-goods-eu.loopreturns.com/#/");

    for (const item of returns) {
      const title = app.getByRole("link", { name: `Return ${item.order_name}: ${item.state}`, exact: true });
      expect(await title.count(), item.order_name).toBe(1);
      expect(await title.getAttribute("href")).toBe(`https://admin.loopreturns.com/returns/${item.id}`);
      const card = returnCard(app, item);
      // Dates in the store's zone, not Loop's raw ISO text.
      expect(await rowValue(app, card, "Created at")).toBe(formatShopTime(item.created_at, timeZone));
      expect(await rowValue(app, card, "Updated at")).toBe(formatShopTime(item.updated_at, timeZone));
      expect(await rowValue(app, card, "State")).toBe(item.state);
      expect(await rowValue(app, card, "Return total")).toBe(item.return_total);
      // Loop's "N/A" is no value: the row is left out; a real carrier is shown.
      expect(await rowValue(app, card, "Carrier")).toBe(item.carrier === NOT_AVAILABLE ? null : item.carrier);
      expect(await rowValue(app, card, "Tracking number")).toBe(
        item.tracking_number === NOT_AVAILABLE ? null : item.tracking_number,
      );
      const status = card.getByRole("link", { name: "Status page" });
      expect(await status.getAttribute("href")).toBe(item.status_page_url);
      // Returned items, with Loop's quoted reasons and negative prices as Loop sent them.
      for (const line of item.line_items) {
        expect(await card.getByText(line.title, { exact: true }).count(), line.title).toBe(1);
        expect(await card.getByText(line.return_reason, { exact: true }).count(), line.return_reason).toBe(1);
        expect(await card.getByText(line.price, { exact: true }).count(), line.price).toBeGreaterThanOrEqual(1);
      }
    }
    const sidebar = await app.locator("body").innerText();
    expect(sidebar).not.toContain(NOT_AVAILABLE);
    expect(sidebar).not.toContain("+00:00");
    await screenshot(page, "loop-widget");
  });

  it("runs a return's Return portal link with its mandatory zip and records the result on the ticket", async () => {
    const [item] = returns;
    const { page, app } = await openTicket("loop-widget-action");
    const card = returnCard(app, item!);
    await card.waitFor({ timeout: 60_000 });
    const linkRequests = () => demo!.loop.requests().filter((request) => request.url === "/api/v1/order/link");
    const before = linkRequests().length;

    await card.getByRole("button", { name: RETURN_LINK_BUTTON }).click();
    const zip = app.getByLabel(ZIP_LABEL);
    await zip.waitFor({ timeout: 10_000 });
    // Pre-filled with the return's customer; emptied, the action does not run.
    expect(await zip.inputValue()).toBe(customer.email.toLowerCase());
    await zip.fill("");
    await app.getByRole("button", { name: "Run" }).click();
    await expect.poll(() => app.getByText(`Fill in ${ZIP_LABEL}.`).count(), { timeout: 10_000 }).toBe(1);
    expect(linkRequests().length).toBe(before);

    // A zip Loop does not match: Loop's 400 is shown and recorded.
    await zip.fill("someone.else@example.com");
    await app.getByRole("button", { name: "Run" }).click();
    await expect
      .poll(() => app.getByText(`${RETURN_LINK_BUTTON} failed (HTTP 400)`, { exact: false }).count(), {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);

    await zip.fill(customer.email);
    await app.getByRole("button", { name: "Run" }).click();
    await expect.poll(() => linkRequests().length, { timeout: 15_000 }).toBe(before + 2);
    const sent = linkRequests().at(-1)!;
    expect(sent.method).toBe("POST");
    expect(JSON.parse(sent.body)).toEqual({ name: item!.order_name, zip: customer.email });
    // Loop's key was added by the server: the page never had it.
    expect(sent.headers["x-authorization"]).toBe(DEMO_LOOP_API_KEY);
    expect(sent.status).toBe(200);
    expect(await page.content()).not.toContain(DEMO_LOOP_API_KEY);
    expect(await app.locator("body").innerHTML()).not.toContain(DEMO_LOOP_API_KEY);

    // Recorded on the ticket (its timeline) and in the integration's delivery log with Loop's link.
    const recorded = `ran "${RETURN_LINK_BUTTON}" (Loop Returns): done (HTTP 200)`;
    await expect.poll(() => app.getByText(recorded, { exact: false }).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await app.getByText(`ran "${RETURN_LINK_BUTTON}" (Loop Returns): it failed (HTTP 400)`).count()).toBe(1);
    const deliveries = await query<{ status: string; responseStatus: number; responseExcerpt: string }>(
      `SELECT status, "responseStatus", "responseExcerpt" FROM "IntegrationDelivery"
        WHERE "ticketId" = $1 AND trigger = 'custom-action' ORDER BY "createdAt"`,
      [customer.ticketId],
    );
    expect(deliveries.map((delivery) => [delivery.status, delivery.responseStatus])).toEqual([
      ["failed", 400],
      ["succeeded", 200],
    ]);
    const { url } = JSON.parse(deliveries[1]!.responseExcerpt) as { url: string };
    expect(url).toMatch(/^https:\/\/maple-goods-eu\.loopreturns\.com\/#\/link\/[0-9a-f-]{36}$/);
    // The agent reads Loop's link on the ticket, to pass it on to the shopper.
    expect(await app.getByText(`${recorded}: ${url}`).count()).toBe(1);
    await screenshot(page, "loop-widget-action");
  });
});
