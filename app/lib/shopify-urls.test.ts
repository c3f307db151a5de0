import { describe, expect, it } from "vitest";
import { isAllowedExitIframeDestination, isShopDomain } from "./shopify-urls";

describe("isShopDomain", () => {
  it("accepts a permanent store domain only", () => {
    expect(isShopDomain("maple-goods-eu.myshopify.com")).toBe(true);
    for (const value of [
      "",
      "evil.example",
      "maple-goods-eu.myshopify.com.evil.example",
      "admin.shopify.com/store/maple-goods-eu",
      "Maple.myshopify.com",
      "-x.myshopify.com",
      "a.b.myshopify.com",
      "maple\u0000.myshopify.com",
    ]) {
      expect(isShopDomain(value), value).toBe(false);
    }
  });
});

describe("isAllowedExitIframeDestination", () => {
  const context: { appUrl: string; shop: string | null } = {
    appUrl: "https://shopdesk.example",
    shop: "maple-goods-eu.myshopify.com",
  };
  const allowed = (destination: string | null, over: Partial<typeof context> = {}) =>
    isAllowedExitIframeDestination(destination, { ...context, ...over });

  it("allows Shopdesk itself and this store's admin", () => {
    expect(allowed("/app")).toBe(true);
    expect(allowed("https://shopdesk.example/app?x=1")).toBe(true);
    expect(allowed("https://admin.shopify.com/store/maple-goods-eu")).toBe(true);
    expect(allowed("https://admin.shopify.com/store/maple-goods-eu/apps/shopdesk")).toBe(true);
    expect(allowed("https://maple-goods-eu.myshopify.com/admin/charges/1/confirm")).toBe(true);
  });

  it("refuses other sites, other stores, storefronts, tricks and nothing", () => {
    for (const destination of [
      null,
      "",
      " /app",
      "//evil.example",
      "/\\evil.example",
      "https://evil.example",
      "https://shopdesk.example.evil.example/app",
      "javascript:alert(1)",
      "data:text/html,hi",
      "http://admin.shopify.com/store/maple-goods-eu",
      "https://admin.shopify.com:444/store/maple-goods-eu",
      "https://user@admin.shopify.com/store/maple-goods-eu",
      "https://admin.shopify.com/store/maple-goods-eu-evil",
      "https://admin.shopify.com/store/someone-else/apps/shopdesk",
      "https://admin.shopify.com/",
      "https://maple-goods-eu.myshopify.com/",
      "https://maple-goods-eu.myshopify.com/administrator",
      "https://north-trail.myshopify.com/admin",
      "https://cdn.shopify.com/x",
    ]) {
      expect(allowed(destination), String(destination)).toBe(false);
    }
  });

  it("allows no Shopify admin when the request names no store, or names something else", () => {
    expect(allowed("https://admin.shopify.com/store/maple-goods-eu", { shop: null })).toBe(false);
    expect(allowed("https://evil.example/admin", { shop: "evil.example" })).toBe(false);
    expect(allowed("/app", { shop: null })).toBe(true);
  });
});
