import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { customerFromWebhook, customerIdFromDeleteWebhook } from "./customer-mapping";
import { parseShopifyJson } from "./ids";

const fixtureText = (topic: string) =>
  readFileSync(new URL(`../../../tests/fixtures/webhooks/${topic}.json`, import.meta.url), "utf8");
/** Exact ids, as a webhook handler should parse. */
const fixture = (topic: string) => parseShopifyJson(fixtureText(topic));

describe("webhook fixtures (Shopify's 2026-07 samples)", () => {
  it("customers/create, customers/update and customers/delete", () => {
    const created = customerFromWebhook(fixture("customers/create"));
    expect(created.id).toMatch(/^gid:\/\/shopify\/Customer\/\d+$/);
    expect(created.createdAt).toMatch(/Z$/);
    expect(created.numberOfOrders).toBeNull();
    const updated = customerFromWebhook(fixture("customers/update"));
    expect(updated).toMatchObject({
      email: "bob@biller.com",
      firstName: "Bob",
      displayName: "Bob Biller",
      note: "This customer loves ice cream",
      state: "DISABLED",
      tags: null,
      updatedAt: "2022-01-01T00:00:00Z",
    });
    expect(updated.defaultAddress).toMatchObject({ city: "Ottawa", phone: "555-555-5555" });
    // Text PostgreSQL cannot store is made storable, whichever shape it came in.
    const withNul = { ...(fixture("customers/update") as object), note: "Gate 12\u000034", first_name: "B\u0000ob" };
    expect(customerFromWebhook(withNul)).toMatchObject({
      note: "Gate 1234",
      firstName: "Bob",
      displayName: "Bob Biller",
    });
    // A cleared note is "" on Shopify's side: no note, as null is.
    expect(customerFromWebhook({ ...(fixture("customers/update") as object), note: "" }).note).toBeNull();
    expect(customerFromWebhook({ ...(fixture("customers/update") as object), note: " \n" }).note).toBeNull();
    expect(customerIdFromDeleteWebhook(fixture("customers/delete"))).toMatch(/^gid:\/\/shopify\/Customer\/\d+$/);
    expect(() =>
      customerFromWebhook({ ...(fixture("customers/update") as object), updated_at: "yesterday" }),
    ).toThrow();
  });
});
