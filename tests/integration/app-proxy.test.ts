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

  describe("signature", () => {
    const customerId = () => String(stack.emulator.shop(SHOP).customers()[2]!.id);

    /** A refusal names the problem the caller can fix. */
    async function expectRefused(url: URL) {
      const response = await fetch(url);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: expect.stringMatching(/^This request is not signed by Shopify/) });
    }

    it("refuses a request with every parameter Shopify sends but no signature", async () => {
      const twin = signed({ loggedInCustomerId: customerId() });
      expect((await fetch(twin)).status).toBe(200);
      const unsigned = new URL(twin);
      unsigned.searchParams.delete("signature");
      expect([...unsigned.searchParams.keys()].sort()).toEqual([
        "logged_in_customer_id",
        "path_prefix",
        "shop",
        "timestamp",
      ]);
      await expectRefused(unsigned);
    });

    it("refuses a request whose signature is wrong", async () => {
      const twin = signed({ loggedInCustomerId: customerId() });
      expect((await fetch(twin)).status).toBe(200);
      const forged = new URL(twin);
      forged.searchParams.set("signature", "0".repeat(64));
      await expectRefused(forged);
    });

    it("refuses a request whose logged-in customer was changed after signing", async () => {
      const twin = signed({ loggedInCustomerId: customerId() });
      expect((await fetch(twin)).status).toBe(200);
      const tampered = new URL(twin);
      tampered.searchParams.set("logged_in_customer_id", String(Number(customerId()) + 1));
      await expectRefused(tampered);
    });

    it("refuses a correctly signed request that is older than the library's 90 seconds", async () => {
      const fresh = signed({ loggedInCustomerId: customerId() });
      expect((await fetch(fresh)).status).toBe(200);
      const stale = signAppProxyUrl(new URL("/proxy/widget", stack.app.url), {
        apiSecret: TEST_APP.apiSecret,
        shop: SHOP,
        pathPrefix: "/apps/shopdesk",
        loggedInCustomerId: customerId(),
        timestamp: Math.floor(Date.now() / 1000) - 10 * 60,
      });
      await expectRefused(stale);
    });
  });

  it("answers a signed request for a shop that is not a myshopify.com store with 400", async () => {
    for (const shop of [
      "evil.example",
      "",
      "maple-goods-eu.myshopify.com.evil.example",
      "admin.shopify.com/store/maple-goods-eu",
    ]) {
      const response = await fetch(signed({ shop }));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: expect.stringMatching(/myshopify\.com/) });
    }
  });

  it("answers 404 for a store that has not installed Shopdesk", async () => {
    for (const shop of ["north-trail.myshopify.com", "never-heard-of.myshopify.com"]) {
      const response = await fetch(signed({ shop }));
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: "Shopdesk is not installed on this store" });
    }
  });
});
