import { describe, expect, it } from "vitest";
import { buildOrder } from "../order-snapshot";
import { withoutBuyerDetails } from "./buyer-details";
import type { ShopifyOrderSnapshot } from "./snapshots";

describe("withoutBuyerDetails", () => {
  it("drops who bought and where it ships, keeps the sale", () => {
    const address = {
      name: "Ava Garcia",
      firstName: "Ava",
      lastName: "Garcia",
      company: null,
      address1: "1 Main St",
      address2: null,
      city: "Ottawa",
      province: null,
      provinceCode: null,
      country: "Canada",
      countryCode: "CA",
      zip: "K1A 0B1",
      phone: "+16135550100",
    };
    const order: ShopifyOrderSnapshot = {
      ...buildOrder(),
      updatedAt: "2026-03-02T10:00:00Z",
      email: "ava@example.com",
      phone: "+16135550100",
      customerId: "gid://shopify/Customer/1",
      currencyCode: "CAD",
      subtotalPrice: null,
      note: "Gift for Ava's mother",
      tags: ["gift"],
      shippingAddress: address,
      billingAddress: address,
      returns: [],
    };
    const erased = withoutBuyerDetails(order);
    expect(JSON.stringify(erased)).not.toMatch(/Ava|ava@|6135550100/);
    expect(erased).toEqual({
      ...order,
      email: null,
      phone: null,
      customerId: null,
      note: null,
      shippingAddress: null,
      billingAddress: null,
    });
    expect(withoutBuyerDetails(erased)).toEqual(erased);
  });
});
