import { describe, expect, it } from "vitest";
import { parseShopDomain } from "./shop-domain";

describe("parseShopDomain", () => {
  it.each([
    ["maple-goods", "maple-goods.myshopify.com"],
    ["Maple-Goods-EU", "maple-goods-eu.myshopify.com"],
    ["  maple-goods.myshopify.com  ", "maple-goods.myshopify.com"],
    ["MAPLE-GOODS.MYSHOPIFY.COM", "maple-goods.myshopify.com"],
    ["https://maple-goods.myshopify.com/", "maple-goods.myshopify.com"],
    ["https://maple-goods.myshopify.com/admin/orders", "maple-goods.myshopify.com"],
    ["maple-goods.myshopify.com/admin", "maple-goods.myshopify.com"],
    ["https://admin.shopify.com/store/maple-goods/apps/shopdesk", "maple-goods.myshopify.com"],
    ["admin.shopify.com/store/maple-goods", "maple-goods.myshopify.com"],
    ["2nd-store", "2nd-store.myshopify.com"],
  ])("takes %j as %s", (input, domain) => {
    expect(parseShopDomain(input)).toBe(domain);
  });

  it.each([
    [""],
    ["   "],
    ["not a shop!"],
    ["maple goods"],
    ["-maple"],
    ["maple_goods"],
    ["maple-goods.com"],
    ["maple-goods.myshopify.com.evil.example"],
    ["evil.example/maple-goods.myshopify.com"],
    ["https://maple-goods.myshopify.com:8443"],
    ["https://user@maple-goods.myshopify.com"],
    ["admin.shopify.com"],
    ["admin.shopify.com/store/"],
    ["https://maple-goods"],
    ["maple-goods/admin"],
    ["a".repeat(61)],
    ["javascript:alert(1)"],
  ])("refuses %j", (input) => {
    expect(parseShopDomain(input)).toBeNull();
  });
});
