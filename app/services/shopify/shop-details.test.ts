import { describe, expect, it } from "vitest";
import { AdminApiError, isShopifyUnavailable, type AdminApiFailureReason } from "./admin-graphql.server";
import { storedShopDetails } from "./shop-details.server";

const failure = (reason: AdminApiFailureReason, status?: number) =>
  new AdminApiError({ message: "failed", shop: "s.myshopify.com", operationName: "Q", attempts: 2, reason, status });

describe("isShopifyUnavailable", () => {
  it("is true while Shopify gives no useful answer for now", () => {
    expect(isShopifyUnavailable(failure("network"))).toBe(true);
    expect(isShopifyUnavailable(failure("throttled"))).toBe(true);
    expect(isShopifyUnavailable(failure("http-status", 503))).toBe(true);
    expect(isShopifyUnavailable(failure("http-status", 502))).toBe(true);
    expect(isShopifyUnavailable(failure("http-status", 429))).toBe(true);
  });

  it("is false for failures a retry will not fix, and for anything not from the Admin API", () => {
    expect(isShopifyUnavailable(failure("http-status", 403))).toBe(false);
    expect(isShopifyUnavailable(failure("graphql-errors"))).toBe(false);
    expect(isShopifyUnavailable(failure("response-shape"))).toBe(false);
    expect(isShopifyUnavailable(new Error("boom"))).toBe(false);
    expect(isShopifyUnavailable(new Response(null, { status: 503 }))).toBe(false);
  });
});

describe("storedShopDetails", () => {
  it("shows our copy in the live shape, falling back to the domain for a missing name", () => {
    const stored = {
      domain: "maple.myshopify.com",
      name: "Maple",
      email: "owner@maple.example",
      planName: "Basic",
      currencyCode: "EUR",
      ianaTimezone: "Europe/Berlin",
    };
    expect(storedShopDetails(stored)).toEqual({
      name: "Maple",
      email: "owner@maple.example",
      myshopifyDomain: "maple.myshopify.com",
      currencyCode: "EUR",
      ianaTimezone: "Europe/Berlin",
      plan: { displayName: "Basic", partnerDevelopment: false, shopifyPlus: false },
    });
    const bare = { ...stored, name: null, email: null, planName: null, currencyCode: null, ianaTimezone: null };
    expect(storedShopDetails(bare)).toMatchObject({
      name: "maple.myshopify.com",
      ianaTimezone: "UTC",
      plan: { displayName: "" },
    });
  });
});
