import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signAppProxyUrl } from "../../dev/store-emulator/signing.ts";
import { startStorefront, type Storefront } from "../../dev/storefront/index.ts";
import { startIntegrationStack, TEST_APP, type IntegrationStack } from "../support/integration-stack.ts";

const SHOP = "maple-goods-eu.myshopify.com";

let stack: IntegrationStack;
let storefront: Storefront;
beforeAll(async () => {
  stack = await startIntegrationStack();
  expect((await stack.install(SHOP)).status).toBe(200);
  storefront = await startStorefront({
    appUrl: stack.app.url,
    apiSecret: TEST_APP.apiSecret,
    shop: SHOP,
    shopName: "Maple Goods EU",
  });
});
afterAll(async () => {
  await storefront.close();
  await stack.stop();
});

const signed = (params: { loggedInCustomerId?: string; shop?: string } = {}) =>
  signAppProxyUrl(new URL("/proxy/widget", stack.app.url), {
    apiSecret: TEST_APP.apiSecret,
    shop: params.shop ?? SHOP,
    pathPrefix: "/apps/shopdesk",
    loggedInCustomerId: params.loggedInCustomerId,
  });

describe("App Proxy: /apps/shopdesk/widget", () => {
  it("greets an anonymous shopper with the shop's name, through the storefront's proxy", async () => {
    const response = await fetch(new URL("/apps/shopdesk/widget", storefront.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      shop: { name: "Maple Goods EU" },
      customer: { loggedIn: false, firstName: null },
    });
  });

  it("names a logged-in customer from Shopify's customer record", async () => {
    const customer = stack.emulator.shop(SHOP).customers()[3]!;
    const response = await fetch(signed({ loggedInCustomerId: String(customer.id) }));
    expect(await response.json()).toMatchObject({ customer: { loggedIn: true, firstName: customer.firstName } });
  });

  it("refuses a request whose logged-in customer was changed after signing", async () => {
    const url = signed({ loggedInCustomerId: "1" });
    url.searchParams.set("logged_in_customer_id", "2");
    expect((await fetch(url)).status).toBe(400);
  });

  it("refuses an unsigned request", async () => {
    expect((await fetch(new URL(`/proxy/widget?shop=${SHOP}`, stack.app.url))).status).toBe(400);
  });

  it("answers 404 for a store that has not installed Shopdesk", async () => {
    const response = await fetch(signed({ shop: "north-trail.myshopify.com" }));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "Shopdesk is not installed on this store" });
  });
});
