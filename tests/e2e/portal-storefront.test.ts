import type { BrowserContext, Locator, Page } from "playwright-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireChromium, type ShopdeskBrowser } from "../../dev/browser/launch.ts";
import { carrierDisplayName } from "../../app/domain/tracking-links.ts";
import { pointWorkspacesAt } from "../../dev/demo-mail.ts";
import { startMailCatcher, type CaughtMail, type MailCatcher } from "../../dev/mail-catcher.ts";
import type { CustomerRecord, OrderRecord } from "../../dev/store-emulator/model.ts";
import { describeOrderState } from "../../dev/store-emulator/seed.ts";
import type { Stack } from "../../dev/stack.ts";
import { screenshotOnFailure, startE2eStack, type E2eStack } from "../support/e2e";

// Issue 9's "done when", as a shopper and an agent do it, in Chromium against the production
// build: the demo storefront (the real theme app extension, its App Proxy stripping cookies,
// signing and passing logged_in_customer_id) → the real portal API → PostgreSQL and the store
// emulator; sign-in codes arrive at a real SMTP server. The shopper signs in with the emailed
// code, tracks a parcel, asks for a return and a cancellation that an agent approves from the
// ticket in the embedded admin (the emulator's order changes, the portal shows the new status);
// actions an order is not eligible for are not offered; email + order number, a shopper logged in
// to the store, and a French storefront with a French code email.
requireChromium();
const SHOP = "maple-goods-eu.myshopify.com"; // the demo storefront's store
const SHOP_NAME = "Maple Goods EU";
const DAY = 86_400_000;
/** The store has no portal settings row: returns within 30 days of delivery (the schema's default). */
const RETURN_WINDOW_DAYS = 30;

let e2e: E2eStack | undefined;
let stack: Stack;
let browser: ShopdeskBrowser;
let mail: MailCatcher | undefined;
/** Contexts this file opened besides the harness's own (a shopper logged in to the store). */
const extraContexts: BrowserContext[] = [];

/** When every parcel of `order` arrived (its DELIVERED carrier event), or null. */
function deliveredAt(order: OrderRecord): number | null {
  const event = order.fulfillments.at(-1)?.events.find((candidate) => candidate.status === "DELIVERED");
  return event ? Date.parse(event.happenedAt) : null;
}

/** The seeded orders the test needs, found by what they are (the seed is deterministic). */
interface Cast {
  shopper: CustomerRecord & { email: string };
  inTransit: OrderRecord;
  /** Delivered well inside the return window. */
  returnable: OrderRecord;
  /** Delivered, but the window closed days ago. */
  windowClosed: OrderRecord;
  unfulfilled: OrderRecord;
  /** Another customer, logged in to the store. */
  storeCustomer: CustomerRecord & { email: string };
  /** Another customer's order, past its return window: the email + order number sign-in. */
  otherOrder: OrderRecord;
}
let cast: Cast;

function findCast(): Cast {
  const shop = stack.emulator.shop(SHOP);
  const now = Date.now();
  const ordersOf = (customer: CustomerRecord) => customer.orderIds.map((id) => shop.order(id)!);
  const kindOf = (order: OrderRecord) => describeOrderState(order);
  const closedWindow = (order: OrderRecord) =>
    kindOf(order) === "delivered" && deliveredAt(order)! < now - (RETURN_WINDOW_DAYS + 2) * DAY;
  const shopper = shop.customers().find((customer) => {
    const orders = ordersOf(customer);
    return (
      customer.email &&
      orders.some((order) => kindOf(order) === "in_transit") &&
      orders.some((order) => kindOf(order) === "unfulfilled") &&
      orders.some((order) => kindOf(order) === "delivered" && deliveredAt(order)! > now - 20 * DAY) &&
      orders.some(closedWindow)
    );
  });
  expect(shopper, "the seed has a shopper with an in-transit, an unfulfilled and two delivered orders").toBeTruthy();
  const orders = ordersOf(shopper!);
  const storeCustomer = shop
    .customers()
    .find((customer) => customer !== shopper && customer.email && ordersOf(customer).some(closedWindow));
  expect(storeCustomer, "the seed has a second shopper with an order past its return window").toBeTruthy();
  return {
    shopper: shopper as Cast["shopper"],
    inTransit: orders.find((order) => kindOf(order) === "in_transit")!,
    returnable: orders.find((order) => kindOf(order) === "delivered" && deliveredAt(order)! > now - 20 * DAY)!,
    windowClosed: orders.find(closedWindow)!,
    unfulfilled: orders.find((order) => kindOf(order) === "unfulfilled")!,
    storeCustomer: storeCustomer as Cast["storeCustomer"],
    otherOrder: ordersOf(storeCustomer!).find(closedWindow)!,
  };
}

async function query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** Polls `check` until it returns a truthy value; fails with `what` after `timeoutMs`. */
async function until<T>(what: string, check: () => Promise<T>, timeoutMs = 60_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Waited ${timeoutMs / 1000} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  // 24 orders for 4 customers: one shopper has an order in each state the test needs.
  e2e = await startE2eStack({ seed: { ordersPerShop: 24, customersPerShop: 4 }, withStorefront: true });
  ({ stack, browser } = e2e);
  cast = findCast();
  // Installed as the Shopify admin installs it; then its orders and customers are imported.
  await stack.installShop(SHOP);
  const orders = stack.emulator.shop(SHOP).orders().length;
  const customers = stack.emulator.shop(SHOP).customers().length;
  await until(
    "the store's orders and customers to be imported",
    async () => {
      const [row] = await query<{ orders: number; customers: number }>(
        `SELECT (SELECT count(*)::int FROM "ShopifyOrder" o WHERE o."shopId" = s.id) AS orders,
                (SELECT count(*)::int FROM "ShopifyCustomer" c WHERE c."shopId" = s.id) AS customers
         FROM "Shop" s WHERE s.domain = $1`,
        [SHOP],
      );
      return row && row.orders === orders && row.customers === customers;
    },
    120_000,
  );
  // The workspace's outgoing email goes to a real SMTP server that keeps what it receives.
  mail = await startMailCatcher({ webPort: false });
  expect(await pointWorkspacesAt(stack.databaseUrl, mail)).toBeGreaterThan(0);
}, 240_000);

afterAll(async () => {
  for (const context of extraContexts) await context.close().catch(() => {});
  await e2e?.stop();
  await mail?.close();
});

const dialog = (page: Page) => page.getByRole("dialog");
/** The widget opens on its home view; the orders are behind its first way in. */
const trackMyOrders = (panel: Locator, name = "Track my orders") =>
  panel.getByRole("button", { name: new RegExp(`^${name}`) }).click();

/** The newest code email to `to`, caught after `since` (a message id). */
async function codeFrom(to: string, since: number, subject: RegExp): Promise<{ code: string; mail: CaughtMail }> {
  const caught = await mail!.waitFor(
    (message) => message.id > since && message.envelope.to.includes(to) && subject.test(message.subject),
    30_000,
  );
  const code = /\b(\d{6})\b/.exec(caught.subject)?.[1];
  expect(code, `a 6-digit code in "${caught.subject}"`).toBeTruthy();
  expect(caught.text).toContain(code!);
  return { code: code!, mail: caught };
}

const lastMailId = () => mail!.messages().at(-1)?.id ?? 0;

async function signInWithEmailedCode(page: Page) {
  const panel = dialog(page);
  const since = lastMailId();
  await panel.getByRole("textbox", { name: "Email" }).fill(cast.shopper.email);
  await panel.getByRole("button", { name: "Send code" }).click();
  await panel.getByRole("heading", { name: "Enter your code" }).waitFor();
  const { code } = await codeFrom(cast.shopper.email, since, /is your sign-in code for/);
  await panel.getByRole("textbox", { name: "6-digit code" }).fill(code);
  await panel.getByRole("button", { name: "Verify" }).click();
  await panel.getByRole("heading", { name: "Your orders", exact: true }).waitFor();
}

async function openOrder(scope: Locator, name: string, heading = `Order ${name}`) {
  await scope.getByRole("button", { name: new RegExp(`^${name}\\b`) }).click();
  await scope.getByRole("heading", { name: heading }).waitFor();
}

async function backToOrders(scope: Locator) {
  await scope.getByRole("button", { name: "Back to your orders" }).click();
  await scope.getByRole("heading", { name: "Your orders", exact: true }).waitFor();
}

const orderNames = (scope: Locator) => scope.locator(".sdp-order-card__name").allTextContents();
const actionCount = (scope: Locator, name: string) => scope.getByRole("button", { name, exact: true }).count();

/**
 * An agent opens the portal-request tickets in the embedded admin, opens the one with `subject`,
 * clicks `button` and waits until the ticket gives the request its `outcome` (a return is approved
 * and waits for the parcel; a cancellation is done at once).
 */
async function approveFromTicket(
  subject: string,
  button: "Approve return" | "Approve cancellation",
  outcome: "Approved" | "Done",
) {
  const page = await browser.openAdmin(SHOP, "/app/inbox?view=all&channel=portal_request");
  screenshotOnFailure(page, `portal-storefront-agent-${button.toLowerCase().replace(/ /g, "-")}`);
  const app = page.frameLocator("iframe[name=app-iframe]");
  await app.locator("html[data-hydrated]").waitFor({ state: "attached", timeout: 60_000 });
  await app.locator("tbody tr", { hasText: subject }).first().locator("a").first().click();
  await expect.poll(() => page.locator("[data-app-title]").textContent(), { timeout: 30_000 }).toContain(subject);
  await app.getByRole("button", { name: button }).click();
  await app.getByText(new RegExp(`^${outcome} by `)).waitFor({ timeout: 30_000 });
  expect(await app.getByRole("button", { name: button }).count()).toBe(0);
  await page.close();
}

/** Opens `name` again (the portal reads an order afresh on opening) until `ready` holds. */
async function reopenOrderUntil(scope: Locator, name: string, ready: () => Promise<boolean>) {
  for (const deadline = Date.now() + 30_000; ;) {
    await openOrder(scope, name);
    if (await ready()) return;
    if (Date.now() > deadline) throw new Error(`Order ${name} in the portal did not change within 30 s`);
    await backToOrders(scope);
  }
}

const requestStatus = (scope: Locator, kind: "Return" | "Cancellation") =>
  scope.locator(".sdp-requests li", { hasText: kind }).locator(".sdp-pill");

/** The shopper's page, signed in by code, for the steps that follow one another. */
let shopperPage: Page;

describe("a shopper on the demo storefront, signed in with an emailed code", () => {
  it("signs in with the 6-digit code the SMTP server received, and sees their orders newest first", async () => {
    shopperPage = await browser.openStorefront();
    screenshotOnFailure(shopperPage, "portal-storefront-sign-in");
    await shopperPage.locator("[data-shopdesk-launcher]").click();
    const panel = dialog(shopperPage);
    await trackMyOrders(panel);
    await panel.getByRole("heading", { name: "Sign in to see your orders" }).waitFor();
    await signInWithEmailedCode(shopperPage);
    await panel.getByText(`Signed in as ${cast.shopper.firstName}`).waitFor();
    const expected = cast.shopper.orderIds
      .map((id) => stack.emulator.shop(SHOP).order(id)!)
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
      .map((order) => order.name);
    await expect.poll(() => orderNames(panel)).toEqual(expected);
  });

  it("tracks an order in transit: its carrier, tracking link and timeline; Cancel and Return not offered", async () => {
    screenshotOnFailure(shopperPage, "portal-storefront-track");
    const panel = dialog(shopperPage);
    const order = cast.inTransit;
    const [tracking] = order.fulfillments.at(-1)!.trackingInfo;
    await openOrder(panel, order.name);
    // A parcel on its way can no longer be cancelled, and nothing arrived to send back.
    expect(await actionCount(panel, "Cancel order")).toBe(0);
    expect(await actionCount(panel, "Return items")).toBe(0);

    await panel.getByRole("button", { name: "Track" }).click();
    await panel.getByRole("heading", { name: "Tracking" }).waitFor();
    // The carrier by the name shoppers know it by ("PostNL International" is PostNL's service).
    const fact = (label: string) => panel.locator("dt", { hasText: label }).locator("xpath=following-sibling::dd[1]");
    expect(await fact("Carrier").textContent()).toBe(carrierDisplayName(tracking!.company));
    expect(await fact("Tracking number").textContent()).toBe(tracking!.number);
    const link = panel.getByRole("link", { name: /Track on the carrier’s site/ });
    expect(await link.getAttribute("href")).toBe(tracking!.url);
    const labels = await panel.locator(".sdp-timeline__label").allTextContents();
    expect(labels[0]).toBe("In transit"); // newest first
    expect(labels).toContain("Shipped");
    expect(labels.at(-1)).toBe("Order placed");
    await panel.getByRole("button", { name: `Back to order ${order.name}` }).click();
    await backToOrders(panel);
  });

  it("is not offered a return on an order delivered more than 30 days ago, nor to cancel it", async () => {
    screenshotOnFailure(shopperPage, "portal-storefront-window-closed");
    const panel = dialog(shopperPage);
    await openOrder(panel, cast.windowClosed.name);
    await panel.getByRole("button", { name: "Track" }).waitFor();
    expect(await actionCount(panel, "Return items")).toBe(0);
    expect(await panel.getByRole("link", { name: /Start a return/ }).count()).toBe(0);
    expect(await actionCount(panel, "Cancel order")).toBe(0);
    await backToOrders(panel);
  });

  it("asks to return an item of a delivered order; an agent approves it from the ticket; Shopify has the return and the portal says Approved", async () => {
    screenshotOnFailure(shopperPage, "portal-storefront-return");
    const panel = dialog(shopperPage);
    const order = cast.returnable;
    const item = order.lineItems[0]!;
    await openOrder(panel, order.name);
    expect(await actionCount(panel, "Cancel order")).toBe(0);
    await panel.getByRole("button", { name: "Return items" }).click();
    await panel.getByRole("heading", { name: "Return items" }).waitFor();
    await panel
      .getByRole("combobox", { name: new RegExp(`Quantity of ${escapeRegExp(item.title)}`) })
      .selectOption("1");
    await panel
      .getByRole("combobox", { name: "Reason for the return" })
      .selectOption({ label: "Damaged or defective" });
    await panel.getByRole("textbox", { name: /Message/ }).fill("The enamel chipped in the box.");
    const since = lastMailId();
    await panel.getByRole("button", { name: "Request a return" }).click();
    await panel.getByRole("heading", { name: "Request sent" }).waitFor();
    await panel.getByText("Status: Received").waitFor();
    // One confirmation to the shopper, in the portal's language.
    await mail!.waitFor(
      (message) =>
        message.id > since &&
        message.envelope.to.includes(cast.shopper.email) &&
        message.subject === `We received your return request for order ${order.name}`,
      30_000,
    );

    const [request] = await query<{ kind: string; status: string; subject: string; channel: string }>(
      `SELECT r.kind::text, r.status::text, t.subject, t.channel::text
       FROM "PortalRequest" r JOIN "Ticket" t ON t.id = r."ticketId" JOIN "ShopifyOrder" o ON o.id = r."orderId"
       WHERE o."shopifyId" = $1`,
      [`gid://shopify/Order/${order.id}`],
    );
    expect(request).toEqual({
      kind: "return",
      status: "received",
      subject: `Return request for order ${order.name}`,
      channel: "portal_request",
    });
    await panel.getByRole("button", { name: `Back to order ${order.name}` }).click();
    expect(await requestStatus(panel, "Return").textContent()).toBe("Received");
    await backToOrders(panel);

    await approveFromTicket(`Return request for order ${order.name}`, "Approve return", "Approved");
    // Filed and approved in Shopify (returnRequest + returnApproveRequest): an open return of that item.
    const filed = await until("the return in the store emulator", async () =>
      stack.emulator
        .shop(SHOP)
        .order(order.id)!
        .returns.find((candidate) => candidate.status === "OPEN"),
    );
    expect(filed.requestApprovedAt).not.toBeNull();
    expect(filed.lineItems).toEqual([
      expect.objectContaining({ lineItemId: item.id, quantity: 1, reason: "DEFECTIVE" }),
    ]);
    await reopenOrderUntil(
      panel,
      order.name,
      async () => (await requestStatus(panel, "Return").textContent()) !== "Received",
    );
    expect(await requestStatus(panel, "Return").textContent()).toBe("Approved");
    await backToOrders(panel);
  });

  it("asks to cancel an unfulfilled order; an agent approves it; Shopify cancels the order and the portal says so", async () => {
    screenshotOnFailure(shopperPage, "portal-storefront-cancel");
    const panel = dialog(shopperPage);
    const order = cast.unfulfilled;
    await openOrder(panel, order.name);
    // Nothing has shipped: nothing to send back.
    expect(await actionCount(panel, "Return items")).toBe(0);
    await panel.getByRole("button", { name: "Cancel order" }).click();
    await panel.getByRole("heading", { name: "Cancel this order?" }).waitFor();
    await panel.getByRole("button", { name: "Yes, ask to cancel" }).click();
    await panel.getByRole("heading", { name: "Request sent" }).waitFor();
    await panel.getByText("Status: Received").waitFor();
    expect(stack.emulator.shop(SHOP).order(order.id)!.cancelledAt).toBeNull();
    await panel.getByRole("button", { name: `Back to order ${order.name}` }).click();
    expect(await requestStatus(panel, "Cancellation").textContent()).toBe("Received");
    await backToOrders(panel);

    await approveFromTicket(`Cancellation request for order ${order.name}`, "Approve cancellation", "Done");
    await until(
      "the order cancelled in the store emulator",
      async () => stack.emulator.shop(SHOP).order(order.id)!.cancelledAt,
    );
    // The request is done, and once Shopify's webhook arrives the order reads Cancelled, with
    // nothing left to cancel.
    await reopenOrderUntil(
      panel,
      order.name,
      async () => (await panel.locator(".sdp-order__meta .sdp-pill").textContent()) === "Cancelled",
    );
    expect(await requestStatus(panel, "Cancellation").textContent()).toBe("Done");
    expect(await actionCount(panel, "Cancel order")).toBe(0);
    await backToOrders(panel);
  });
});

describe("other ways in", () => {
  it("signs in by email and order number, to that one order", async () => {
    const page = await browser.openStorefront();
    screenshotOnFailure(page, "portal-storefront-order-number");
    await page.locator("[data-shopdesk-launcher]").click();
    const panel = dialog(page);
    await trackMyOrders(panel);
    const order = cast.otherOrder;
    await panel.getByRole("radio", { name: "Email and order number" }).check();
    await panel.getByRole("textbox", { name: "Email" }).fill(order.email!);
    await panel.getByRole("textbox", { name: "Order number" }).fill(String(order.number));
    await panel.getByRole("button", { name: "Sign in", exact: true }).click();
    await panel.getByRole("heading", { name: "Your orders", exact: true }).waitFor();
    expect(await orderNames(panel)).toEqual([order.name]);
    await openOrder(panel, order.name);
    await panel.getByRole("button", { name: "Track" }).waitFor();
    expect(await actionCount(panel, "Return items")).toBe(0); // delivered over 30 days ago
    await page.close();
  });

  it("skips the code for a shopper logged in to the store (logged_in_customer_id)", async () => {
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 900 } });
    extraContexts.push(context);
    const page = await context.newPage();
    screenshotOnFailure(page, "portal-storefront-logged-in");
    const since = lastMailId();
    const customer = cast.storeCustomer;
    // The demo storefront's customer login; the App Proxy then passes logged_in_customer_id.
    await page.goto(new URL(`/account/login?customer=${customer.id}`, stack.storefront.url).toString());
    await page.locator("[data-shopdesk-launcher]").click();
    const panel = dialog(page);
    await trackMyOrders(panel);
    await panel.getByRole("heading", { name: "Your orders", exact: true }).waitFor();
    await panel.getByText(`Signed in as ${customer.firstName}`).waitFor();
    const names = await orderNames(panel);
    expect(names.sort()).toEqual(customer.orderIds.map((id) => stack.emulator.shop(SHOP).order(id)!.name).sort());
    expect(mail!.messages().filter((message) => message.id > since)).toEqual([]);
    await context.close();
  });

  it("speaks French on the French storefront, and the code email is in French", async () => {
    const page = await browser.openStorefront("/?locale=fr");
    screenshotOnFailure(page, "portal-storefront-french");
    await page.getByRole("button", { name: "Aide" }).click();
    const panel = dialog(page);
    await trackMyOrders(panel, "Suivre mes commandes");
    await panel.getByRole("heading", { name: "Connectez-vous pour voir vos commandes" }).waitFor();
    const since = lastMailId();
    await panel.getByRole("textbox", { name: "E-mail" }).fill(cast.shopper.email);
    await panel.getByRole("button", { name: "Envoyer le code" }).click();
    await panel.getByRole("heading", { name: "Saisissez votre code" }).waitFor();
    const { code, mail: email } = await codeFrom(
      cast.shopper.email,
      since,
      new RegExp(`^\\d{6} est votre code de connexion pour ${SHOP_NAME}$`),
    );
    expect(email.text).toMatch(/^Bonjour,/);
    expect(email.text).toContain("Il expire dans 10 minutes");
    await panel.getByRole("textbox", { name: "Code à 6 chiffres" }).fill(code);
    await panel.getByRole("button", { name: "Valider" }).click();
    await panel.getByRole("heading", { name: "Vos commandes" }).waitFor();
    await panel.getByText(`Connecté en tant que ${cast.shopper.firstName}`).waitFor();
    await openOrder(panel, cast.inTransit.name, `Commande ${cast.inTransit.name}`);
    await panel.getByRole("button", { name: "Suivre" }).click();
    await panel.getByRole("heading", { name: "Historique de la commande" }).waitFor();
    expect(await panel.locator(".sdp-timeline__label").first().textContent()).toBe("En transit");
    await page.close();
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
