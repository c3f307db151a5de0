import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminHostParam, mintSessionToken } from "../../dev/store-emulator/signing.ts";
import { startIntegrationStack, TEST_APP, type IntegrationStack } from "../support/integration-stack.ts";

// Bad input on the authentication paths, over real HTTP: each gets a 4xx with a message and
// changes nothing, never a 500.
const EU = "maple-goods-eu.myshopify.com";
const BROWSER = { "user-agent": "Mozilla/5.0 Chrome/156.0" };

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 2, customersPerShop: 2 } });
  expect((await stack.install(EU)).status).toBe(200);
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(new URL(path, stack.app.url), { headers: { ...BROWSER, ...headers }, redirect: "manual" });

/** A session token signed with the app's secret (as only Shopify can) whose `dest` is not a store. */
const tokenFor = (shop: string) => mintSessionToken({ shop, apiKey: TEST_APP.apiKey, apiSecret: TEST_APP.apiSecret });

describe("session token for a domain that is not a Shopify store", () => {
  it("is refused with 401 on a data request, while the same token for the store works", async () => {
    expect((await get("/app/customers", { authorization: `Bearer ${tokenFor(EU)}` })).status).toBe(200);
    // `dest` is https://<shop>: another site, a look-alike, not a URL at all, no host.
    for (const shop of ["evil.example", "maple-goods-eu.myshopify.com.evil.example", "not a url", ""]) {
      const response = await get("/app/customers", { authorization: `Bearer ${tokenFor(shop)}` });
      expect(response.status).toBe(401);
      expect(await response.text()).toMatch(/not for a Shopify store/);
    }
  });

  it("is refused with 401 on a form post, changing nothing", async () => {
    const before = await db.shop.findUniqueOrThrow({ where: { domain: EU } });
    const response = await fetch(new URL("/app/settings", stack.app.url), {
      method: "POST",
      headers: { ...BROWSER, authorization: `Bearer ${tokenFor("evil.example")}` },
      body: new URLSearchParams({ intent: "notes-sync", enabled: String(!before.notesSyncEnabled) }),
    });
    expect(response.status).toBe(401);
    expect((await db.shop.findUniqueOrThrow({ where: { domain: EU } })).notesSyncEnabled).toBe(before.notesSyncEnabled);
    expect(await db.shop.count({ where: { domain: { contains: "evil" } } })).toBe(0);
  });

  it("is refused with 401 when the admin opens the app with it (id_token in the URL)", async () => {
    const url = new URL("/app", stack.app.url);
    url.searchParams.set("embedded", "1");
    url.searchParams.set("shop", EU);
    url.searchParams.set("host", adminHostParam(EU));
    url.searchParams.set("id_token", tokenFor("evil.example"));
    const response = await get(url.pathname + url.search);
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/not for a Shopify store/);
  });
});

describe("/auth/exit-iframe", () => {
  const exitIframe = (destination: string | null, shop: string | null = EU) => {
    const url = new URL("/auth/exit-iframe", stack.app.url);
    if (shop !== null) url.searchParams.set("shop", shop);
    url.searchParams.set("host", adminHostParam(EU));
    if (destination !== null) url.searchParams.set("exitIframe", destination);
    return get(url.pathname + url.search);
  };

  it("leaves the iframe for the store's own admin", async () => {
    for (const destination of [
      "https://admin.shopify.com/store/maple-goods-eu/apps/shopdesk",
      "https://maple-goods-eu.myshopify.com/admin/charges/1/confirm",
    ]) {
      const response = await exitIframe(destination);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain(`window.open(${JSON.stringify(destination)}, "_top")`);
    }
  });

  it("refuses another site, another store's admin, a storefront or no destination with 400", async () => {
    for (const destination of [
      "https://evil.example",
      "https://evil.example/admin",
      "//evil.example/app",
      "javascript:alert(1)",
      "https://admin.shopify.com/store/someone-else/apps/shopdesk",
      "https://north-trail.myshopify.com/admin",
      "https://maple-goods-eu.myshopify.com/",
      "http://admin.shopify.com/store/maple-goods-eu",
      "",
      null,
    ]) {
      const response = await exitIframe(destination);
      expect(response.status, String(destination)).toBe(400);
      expect(await response.text()).toMatch(/only to Shopdesk or this store's Shopify admin/);
    }
  });

  it("refuses a Shopify admin destination when the request names no store", async () => {
    const response = await exitIframe("https://admin.shopify.com/store/maple-goods-eu/apps/shopdesk", null);
    expect(response.status).toBe(400);
  });
});

describe("/auth/login", () => {
  it("is where a visit without the admin's parameters ends, and explains where to open Shopdesk", async () => {
    const visit = await get("/app");
    expect(visit.status).toBe(302);
    expect(visit.headers.get("location")).toBe("/auth/login");
    const login = await get("/auth/login");
    // The login page itself (its words are checked in the browser, tests/e2e/error-pages).
    expect(login.status).toBe(200);
    expect(await login.json()).toEqual({ shop: "", error: null });
  });

  it("sends a visitor who names a store to that store's admin to open or install Shopdesk", async () => {
    const login = await get(`/auth/login?shop=${EU}`);
    expect(login.status).toBe(302);
    expect(login.headers.get("location")).toBe(
      `https://admin.shopify.com/store/maple-goods-eu/oauth/install?client_id=${TEST_APP.apiKey}`,
    );
    const bad = await get("/auth/login?shop=evil.example%2Fpath");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/myshopify\.com/);
  });
});
