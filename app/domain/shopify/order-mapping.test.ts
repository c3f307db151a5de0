import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseShopifyJson } from "./ids";
import {
  fulfillmentEventFromWebhook,
  fulfillmentFromWebhook,
  orderIdFromEditWebhook,
  orderSnapshotFromGraphql,
  orderSnapshotFromWebhook,
  refundFromWebhook,
} from "./order-mapping";

const fixtureText = (topic: string) =>
  readFileSync(new URL(`../../../tests/fixtures/webhooks/${topic}.json`, import.meta.url), "utf8");
/** Exact ids, as a webhook handler should parse. */
const fixture = (topic: string) => parseShopifyJson(fixtureText(topic));

describe("webhook fixtures (Shopify's 2026-07 samples)", () => {
  it.each(["orders/create", "orders/updated", "orders/cancelled", "orders/fulfilled", "orders/partially_fulfilled"])(
    "%s maps to a snapshot keyed by GIDs, in UTC",
    (topic) => {
      const snapshot = orderSnapshotFromWebhook(fixture(topic));
      expect(snapshot.id).toMatch(/^gid:\/\/shopify\/Order\/\d+$/);
      expect(snapshot.createdAt).toMatch(/Z$/);
      expect(snapshot.totalPrice.amount).toMatch(/^\d+\.\d{2,}$/);
      for (const item of snapshot.lineItems) expect(item.id).toMatch(/^gid:\/\/shopify\/LineItem\/\d+$/);
      // JSON.parse rounds the sample's ids, but identity comes from admin_graphql_api_id.
      expect(orderSnapshotFromWebhook(JSON.parse(fixtureText(topic)))).toEqual(snapshot);
    },
  );

  it("orders/create: every field the snapshot needs", () => {
    const snapshot = orderSnapshotFromWebhook(fixture("orders/create"));
    expect(snapshot).toMatchObject({
      id: "gid://shopify/Order/820982911946154508",
      name: "#9999",
      createdAt: "2022-01-01T00:00:00Z",
      processedAt: "2022-01-01T00:00:00Z",
      updatedAt: "2022-01-01T00:00:00Z",
      cancelledAt: "2022-01-01T00:00:00Z",
      cancelReason: "CUSTOMER",
      financialStatus: "VOIDED",
      fulfillmentStatus: "UNFULFILLED",
      totalPrice: { amount: "404.95", currencyCode: "USD" },
      totalRefunded: { amount: "0.00", currencyCode: "USD" },
      customerId: "gid://shopify/Customer/115310627314723954",
      email: "jon@example.com",
      tags: ["tag1", "tag2"],
      payment: { gatewayNames: expect.any(Array), paidAt: null },
    });
    expect(snapshot.shippingAddress).toMatchObject({ name: "Steve Shipper", countryCode: "US", provinceCode: "KY" });
    expect(snapshot.lineItems[0]).toEqual({
      id: "gid://shopify/LineItem/487817672276298554",
      title: "Aviator sunglasses",
      quantity: 1,
      fulfillableQuantity: 1,
      refundedQuantity: 0,
      requiresShipping: true,
      variantTitle: null,
      unitPrice: { amount: "89.99", currencyCode: "USD" },
    });
    // The order summary's charges, in the shop's currency like the total.
    expect(snapshot).toMatchObject({
      subtotalPrice: { amount: "404.95", currencyCode: "USD" },
      shippingPrice: { amount: "10.00", currencyCode: "USD" },
      totalTax: { amount: "0.00", currencyCode: "USD" },
      taxesIncluded: false,
    });
  });

  it("keeps each item's variant and unit price in the shop's currency, not the shopper's", () => {
    const body = fixture("orders/create") as { line_items: Record<string, unknown>[] } & Record<string, unknown>;
    const inEuros = (amount: string) => ({
      shop_money: { amount, currency_code: "USD" },
      presentment_money: { amount: "1.00", currency_code: "EUR" },
    });
    const snapshot = orderSnapshotFromWebhook({
      ...body,
      taxes_included: true,
      total_tax_set: inEuros("12.5"),
      total_shipping_price_set: null,
      line_items: body.line_items.map((item, index) =>
        index === 0 ? { ...item, variant_title: "Gold / Large", price_set: inEuros("89.9") } : item,
      ),
    });
    expect(snapshot.lineItems[0]).toMatchObject({
      variantTitle: "Gold / Large",
      unitPrice: { amount: "89.90", currencyCode: "USD" },
    });
    expect(snapshot).toMatchObject({
      totalTax: { amount: "12.50", currencyCode: "USD" },
      taxesIncluded: true,
      shippingPrice: null,
    });
  });

  it("reads a GraphQL order's unit prices (the scalar originalUnitPrice) in the order's currency", () => {
    const snapshot = orderSnapshotFromGraphql({
      id: "gid://shopify/Order/1",
      name: "#1001",
      createdAt: "2026-11-01T10:00:00Z",
      updatedAt: "2026-11-01T10:00:00Z",
      processedAt: "2026-11-01T10:00:00Z",
      displayFulfillmentStatus: "UNFULFILLED",
      currencyCode: "EUR",
      totalPriceSet: { shopMoney: { amount: "84.80", currencyCode: "EUR" } },
      subtotalPriceSet: { shopMoney: { amount: "79.90", currencyCode: "EUR" } },
      totalShippingPriceSet: { shopMoney: { amount: "4.9", currencyCode: "EUR" } },
      totalTaxSet: { shopMoney: { amount: "13.32", currencyCode: "EUR" } },
      taxesIncluded: true,
      totalRefundedSet: { shopMoney: { amount: "0.0", currencyCode: "EUR" } },
      lineItems: {
        nodes: [
          {
            id: "gid://shopify/LineItem/1",
            title: "Scarf",
            variantTitle: "Blue",
            originalUnitPrice: "39.95",
            quantity: 2,
          },
          { id: "gid://shopify/LineItem/2", title: "Gift card", quantity: 1 },
        ],
      },
    });
    expect(snapshot.lineItems.map(({ variantTitle, unitPrice }) => ({ variantTitle, unitPrice }))).toEqual([
      { variantTitle: "Blue", unitPrice: { amount: "39.95", currencyCode: "EUR" } },
      { variantTitle: null, unitPrice: null },
    ]);
    expect(snapshot).toMatchObject({
      shippingPrice: { amount: "4.90", currencyCode: "EUR" },
      totalTax: { amount: "13.32", currencyCode: "EUR" },
      taxesIncluded: true,
    });
  });

  it("makes text PostgreSQL cannot store storable (NUL removed, lone surrogates replaced)", () => {
    const body = fixture("orders/create") as { note: string; line_items: { title: string }[] };
    const snapshot = orderSnapshotFromWebhook({
      ...body,
      note: "Leave at\u0000 the door",
      line_items: body.line_items.map((item) => ({ ...item, title: `${item.title} \udc00` })),
    });
    expect(snapshot.note).toBe("Leave at the door");
    expect(snapshot.lineItems[0]!.title).toBe("Aviator sunglasses \ufffd");
  });

  it("orders/edited only points at the order to refetch", () => {
    const edited = JSON.parse(
      readFileSync(new URL("../../../tests/fixtures/webhooks/orders/updated.json", import.meta.url), "utf8"),
    ) as unknown;
    expect(() => orderIdFromEditWebhook(edited)).toThrow();
    expect(orderIdFromEditWebhook(parseShopifyJson('{"order_edit":{"order_id":820982911946154508}}'))).toBe(
      "gid://shopify/Order/820982911946154508",
    );
    expect(orderIdFromEditWebhook(JSON.parse('{"order_edit":{"order_id":820982911946154508}}'))).toBeNull();
  });

  it("fulfillments/create and fulfillments/update", () => {
    const created = fulfillmentFromWebhook(fixture("fulfillments/create"));
    expect(created.orderId).toBe("gid://shopify/Order/820982911946154508");
    expect(created.fulfillment).toMatchObject({
      id: expect.stringMatching(/^gid:\/\/shopify\/Fulfillment\/\d+$/),
      status: "PENDING",
      displayStatus: null,
      events: [],
      deliveredAt: null,
    });
    expect(created.fulfillment.tracking[0]).toMatchObject({ company: "UPS" });
    expect(created.fulfillment.lineItems[0]).toEqual({
      lineItemId: "gid://shopify/LineItem/487817672276298554",
      quantity: 1,
    });
    // The order is only a number in this body: rounded by JSON.parse, so not guessed.
    expect(fulfillmentFromWebhook(JSON.parse(fixtureText("fulfillments/update"))).orderId).toBeNull();
  });

  it("fulfillment_events/create", () => {
    const update = fulfillmentEventFromWebhook(fixture("fulfillment_events/create"))!;
    expect(update).toEqual({
      orderId: "gid://shopify/Order/820982911946154508",
      fulfillmentId: "gid://shopify/Fulfillment/123456",
      event: {
        id: "gid://shopify/FulfillmentEvent/1234567",
        status: "IN_TRANSIT",
        happenedAt: "2022-01-01T00:00:00Z",
        message: "Item is now in transit",
        city: null,
        province: null,
        country: "CA",
      },
      estimatedDeliveryAt: null,
    });
    const unknownStatus = { ...(fixture("fulfillment_events/create") as object), status: "teleported" };
    expect(fulfillmentEventFromWebhook(unknownStatus)).toBeNull();
  });

  it("refunds/create: the amount is what the refund transactions returned", () => {
    const { orderId, refund } = refundFromWebhook(fixture("refunds/create"));
    expect(orderId).toBe("gid://shopify/Order/820982911946154508");
    expect(refund.id).toBe("gid://shopify/Refund/890088186047892319");
    expect(refund.createdAt).toBe("2022-01-01T00:00:00Z");
    expect(refund.lineItems).toContainEqual({ lineItemId: "gid://shopify/LineItem/487817672276298554", quantity: 1 });
    expect(refund.amount.amount).toMatch(/^\d+\.\d{2}$/);
  });
});
