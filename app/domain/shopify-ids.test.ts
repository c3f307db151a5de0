import { describe, expect, it } from "vitest";
import { isMyshopifyDomain, shopifyId, shopifyIdDigits } from "./shopify-ids";

describe("isMyshopifyDomain", () => {
  it.each(["maple-goods-eu.myshopify.com", "a.myshopify.com", "shop123.myshopify.com"])("accepts %s", (domain) => {
    expect(isMyshopifyDomain(domain)).toBe(true);
  });

  it.each([
    "",
    "evil.example.com",
    "myshopify.com",
    ".myshopify.com",
    "-maple.myshopify.com",
    "maple-.myshopify.com",
    "Maple.myshopify.com",
    "maple.myshopify.com.",
    "maple.myshopify.com:443",
    "maple.myshopify.com.evil.example",
    "a.b.myshopify.com",
    "maple_goods.myshopify.com",
    "maple goods.myshopify.com",
    "maple.shopify.com",
    "maple.myshopify.io",
    `${"a".repeat(64)}.myshopify.com`,
  ])("refuses %j", (domain) => {
    expect(isMyshopifyDomain(domain)).toBe(false);
  });
});

describe("shopifyIdDigits", () => {
  it("reads positive integers, numeric strings and GIDs of the expected type", () => {
    expect(shopifyIdDigits(191167)).toBe("191167");
    expect(shopifyIdDigits("820982911946154508")).toBe("820982911946154508");
    expect(shopifyIdDigits("gid://shopify/Customer/191167", "Customer")).toBe("191167");
  });

  it.each([
    [0],
    [-5],
    [1.5],
    [Number.NaN],
    [2 ** 53 + 2],
    ["0"],
    ["012"],
    ["-5"],
    ["1e3"],
    [" 1"],
    ["1 OR 1=1"],
    ["12345678901234567890"],
    [null],
    [{ id: 1 }],
  ])("refuses %j", (value) => {
    expect(shopifyIdDigits(value, "Customer")).toBeNull();
  });

  it("refuses a GID of another type, with extra segments, or when no type is expected", () => {
    expect(shopifyIdDigits("gid://shopify/Order/191167", "Customer")).toBeNull();
    expect(shopifyIdDigits("gid://shopify/Customer/191167/1", "Customer")).toBeNull();
    expect(shopifyIdDigits("gid://shopify/Customer/191167?x=1", "Customer")).toBeNull();
    expect(shopifyIdDigits("gid://shopify/Customer/191167")).toBeNull();
  });
});

describe("shopifyId (zod)", () => {
  it("parses to digits and explains a refusal", () => {
    expect(shopifyId("Order").parse("gid://shopify/Order/5")).toBe("5");
    const result = shopifyId("Order").safeParse("5; DROP");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      'expected a Shopify id (a positive integer or gid://shopify/Order/<number>), got "5; DROP"',
    );
  });
});
