import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill } from "../support/sync.ts";
import { unwrap } from "../support/route-results.ts";

// What the routes answer when something goes wrong, through the real route modules against the
// store emulator: Shopify down on the home page, addresses that lead nowhere, the login page.
const SHOP = "maple-goods-eu.myshopify.com";
const STORED_NAME = "Maple Goods EU";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 6, customersPerShop: 4 } });
  expect((await stack.install(SHOP)).status).toBe(200);
  await waitForBackfill(SHOP);
});
afterAll(() => stack?.stop());

const { logger } = await import("~/lib/logger.server");
const home = await import("~/routes/app._index");
const profile = await import("~/routes/app.customers.$customerId");
const unknownPage = await import("~/routes/app.$");
const login = await import("~/routes/auth.login");

const loadHome = () => home.loader({ request: stack.adminRequest(SHOP, "/app"), params: {}, context: {} });

async function thrown(promise: Promise<unknown>): Promise<Response> {
  const error = await promise.then(
    () => null,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(Response);
  return error as Response;
}

describe("home page while Shopify can't be reached", () => {
  it("shows the stored shop and our figures, flagged, quickly; live again once Shopify answers", async () => {
    stack.emulator.renameShop(SHOP, "Maple Goods Europe");
    const live = await loadHome();
    expect(live).toMatchObject({ shop: { name: "Maple Goods Europe" }, shopifyReachable: true });

    stack.emulator.failNext(SHOP, 1000, "503");
    const child = vi.spyOn(logger, "child");
    try {
      const startedAt = Date.now();
      const degraded = await loadHome();
      // One retry after Shopify's Retry-After (1 s), not five with growing waits.
      expect(Date.now() - startedAt).toBeLessThan(5000);
      expect(degraded).toMatchObject({
        shopifyReachable: false,
        shop: { name: STORED_NAME, myshopifyDomain: SHOP, currencyCode: "EUR", ianaTimezone: "Europe/Berlin" },
        heldSynced: { orders: stack.emulator.shop(SHOP).orders().length },
        overview: { workspace: { name: STORED_NAME } },
      });
      // The failure's log lines name the shop (they used to say "unknown shop").
      expect(child).toHaveBeenCalledWith(expect.objectContaining({ component: "admin-api", shop: SHOP }));
      expect(child).not.toHaveBeenCalledWith(expect.objectContaining({ shop: "unknown" }));
    } finally {
      child.mockRestore();
      stack.emulator.clearFailures(SHOP);
    }

    expect(await loadHome()).toMatchObject({ shop: { name: "Maple Goods Europe" }, shopifyReachable: true });
  });
});

describe("addresses that lead nowhere", () => {
  it("an unknown or malformed customer id is a 404 for the customer page's boundary", async () => {
    for (const customerId of [crypto.randomUUID(), "not-an-id"]) {
      const request = stack.adminRequest(SHOP, `/app/customers/${customerId}`);
      const response = await thrown(profile.loader({ request, params: { customerId }, context: {} }));
      expect(response.status).toBe(404);
    }
  });

  it("an /app address no page answers is a 404 inside the app, after authentication", async () => {
    const request = stack.adminRequest(SHOP, "/app/no-such-page");
    expect((await thrown(unknownPage.loader({ request, params: { "*": "no-such-page" }, context: {} }))).status).toBe(
      404,
    );
    // Outside the admin (no session token) it goes where every /app address goes: the login page.
    const outside = new Request(new URL("/app/no-such-page", stack.app.url));
    const response = await thrown(unknownPage.loader({ request: outside, params: {}, context: {} }));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/auth/login");
  });
});

describe("login page", () => {
  const apiKey = process.env.SHOPIFY_API_KEY!;
  const post = (shop: string) =>
    login.action({
      request: new Request(new URL("/auth/login", stack.app.url), {
        method: "POST",
        body: new URLSearchParams({ shop }),
      }),
      params: {},
      context: {},
    });

  it("shows the form for a plain visit", async () => {
    const result = await login.loader({
      request: new Request(new URL("/auth/login", stack.app.url)),
      params: {},
      context: {},
    });
    expect(unwrap(result)).toEqual({ status: 200, body: { shop: "", error: null } });
  });

  // The library's login() address in this configuration: it opens Shopdesk in the store's admin,
  // or installs it first.
  const adminUrl = (handle: string) => `https://admin.shopify.com/store/${handle}/oauth/install?client_id=${apiKey}`;

  it("sends a valid shop to Shopdesk in its admin, from the form or a ?shop= link", async () => {
    const fromForm = await thrown(post("Maple-Goods-EU"));
    expect(fromForm.status).toBe(302);
    expect(fromForm.headers.get("location")).toBe(adminUrl("maple-goods-eu"));
    const fromLink = await thrown(
      login.loader({
        request: new Request(new URL("/auth/login?shop=north-trail.myshopify.com", stack.app.url)),
        params: {},
        context: {},
      }),
    );
    expect(fromLink.headers.get("location")).toBe(adminUrl("north-trail"));
  });

  it("answers anything else with 400 and a message next to what was typed", async () => {
    const message = "Enter your shop's myshopify.com domain, like your-store.myshopify.com";
    for (const typed of ["not a shop!", "", "evil.example/maple.myshopify.com"]) {
      expect(unwrap(await post(typed))).toEqual({ status: 400, body: { shop: typed, error: message } });
    }
    const noField = await login.action({
      request: new Request(new URL("/auth/login", stack.app.url), { method: "POST", body: new URLSearchParams() }),
      params: {},
      context: {},
    });
    expect(unwrap(noField)).toEqual({ status: 400, body: { shop: "", error: message } });
    const notAForm = await login.action({
      request: new Request(new URL("/auth/login", stack.app.url), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ shop: "maple-goods-eu" }),
      }),
      params: {},
      context: {},
    });
    expect(unwrap(notAForm)).toEqual({
      status: 400,
      body: { shop: "", error: expect.stringMatching(/^Send the store domain as a form/) },
    });
    const badLink = await login.loader({
      request: new Request(new URL("/auth/login?shop=https://evil.example", stack.app.url)),
      params: {},
      context: {},
    });
    expect(unwrap(badLink)).toEqual({ status: 400, body: { shop: "https://evil.example", error: message } });
  });
});
