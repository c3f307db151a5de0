import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signAppProxyUrl } from "../../dev/store-emulator/signing.ts";
import type { OrderRecord } from "../../dev/store-emulator/model.ts";
import { startIntegrationStack, TEST_APP, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill } from "../support/sync.ts";

// The portal's order summary end to end: the store's orders imported by the install's bulk export,
// read back through the portal API as a shopper signed in by email + order number sees them: each item's variant and unit price, the shipping and the tax,
// in the shopper's language and the order's currency.
const SHOP = "maple-goods-eu.myshopify.com";

let stack: IntegrationStack;
const { db } = await import("~/db.server");

beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 24, customersPerShop: 8 } });
  expect((await stack.install(SHOP)).status).toBe(200);
  await waitForBackfill(SHOP);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

let ipCount = 0;
async function portal(path: string, body: unknown) {
  const url = signAppProxyUrl(new URL(`/proxy/portal/${path}`, stack.app.url), {
    apiSecret: TEST_APP.apiSecret,
    shop: SHOP,
    pathPrefix: "/apps/shopdesk",
  });
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": `10.78.0.${++ipCount}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const money = (cents: number, currency: string, locale: string) =>
  new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);

interface Summary {
  lineItems: { title: string; variantTitle: string | null; quantity: number; price: string | null }[];
  subtotal: string | null;
  shipping: string | null;
  tax: string | null;
  taxIncluded: boolean;
  total: string;
}

/** The summary the order's shopper gets, signed in by email + order number in `locale`. */
async function summaryOf(order: OrderRecord, locale: string): Promise<Summary> {
  const signIn = await portal("order-sign-in", { email: order.email, orderNumber: order.name.slice(1), locale });
  expect(signIn.status).toBe(200);
  const row = await db.shopifyOrder.findFirstOrThrow({
    where: { shop: { domain: SHOP }, shopifyId: `gid://shopify/Order/${order.id}` },
    select: { id: true },
  });
  const answer = await portal("order", { token: signIn.json.token, orderId: row.id, locale });
  expect(answer.status).toBe(200);
  return (answer.json.order as { summary: Summary }).summary;
}

describe("the portal's order summary", () => {
  it("shows each item's variant and unit price, the shipping and the tax, as imported from Shopify", async () => {
    const orders = stack.emulator.shop(SHOP).orders();
    // An order with a variant, a paid shipping and an item bought more than once, if the seed has one.
    const order =
      orders.find(
        (candidate) =>
          candidate.email &&
          candidate.shippingCents > 0 &&
          candidate.lineItems.some((item) => item.variantTitle) &&
          candidate.lineItems.some((item) => item.quantity > 1),
      ) ?? orders.find((candidate) => candidate.email && candidate.lineItems.some((item) => item.variantTitle));
    expect(order).toBeDefined();
    const { currencyCode } = order!;

    const summary = await summaryOf(order!, "fr");
    expect(summary.lineItems).toEqual(
      order!.lineItems.map((item) =>
        expect.objectContaining({
          title: item.title,
          variantTitle: item.variantTitle,
          quantity: item.quantity,
          price: money(item.unitPriceCents, currencyCode, "fr"),
        }),
      ),
    );
    expect(summary.shipping).toBe(money(order!.shippingCents, currencyCode, "fr"));
    // The emulator charges no tax, and says the prices do not include it (as its REST payload does).
    expect(summary.tax).toBe(money(0, currencyCode, "fr"));
    expect(summary.taxIncluded).toBe(false);
    // French writes the amount first: "39,95 €".
    expect(summary.lineItems[0]!.price).toMatch(/^\d[\d\s\u202f]*,\d{2}\s€$/);
  });

  it("speaks the shopper's language: the same order in German and English", async () => {
    const order = stack.emulator
      .shop(SHOP)
      .orders()
      .find((candidate) => candidate.email && candidate.shippingCents > 0)!;
    const german = await summaryOf(order, "de");
    const english = await summaryOf(order, "en");
    expect(german.shipping).toBe(money(order.shippingCents, order.currencyCode, "de"));
    expect(english.shipping).toBe(money(order.shippingCents, order.currencyCode, "en"));
    expect(english.lineItems[0]!.price).toBe(money(order.lineItems[0]!.unitPriceCents, order.currencyCode, "en"));
  });
});
