import { describe, expect, it } from "vitest";
import { mentionsCustomer } from "./personal-data";

const john = { id: "191167", email: "john@example.com", phone: "555-625-1199" };

describe("mentionsCustomer", () => {
  it("finds the customer object of an order payload by id", () => {
    expect(mentionsCustomer({ id: 5, customer: { id: 191167, email: null } }, { id: "191167" })).toBe(true);
  });
  it("finds the email anywhere, case-insensitively", () => {
    expect(mentionsCustomer({ billing_address: { note: "x" }, contact_email: "John@Example.com" }, john)).toBe(true);
  });
  it("finds a phone written another way", () => {
    expect(mentionsCustomer({ shipping_address: { phone: "+1 (555) 625-1199" } }, { phone: "555-625-1199" })).toBe(
      true,
    );
  });
  it("finds a customer GID and a customer_id field", () => {
    expect(mentionsCustomer({ admin_graphql_api_id: "gid://shopify/Customer/191167" }, { id: "191167" })).toBe(true);
    expect(mentionsCustomer({ line: { customer_id: 191167 } }, { id: "191167" })).toBe(true);
  });
  it("does not match an order or product that shares the number", () => {
    expect(mentionsCustomer({ id: 191167, product_id: 191167, quantity: 191167 }, { id: "191167" })).toBe(false);
    expect(mentionsCustomer({ admin_graphql_api_id: "gid://shopify/Order/191167" }, { id: "191167" })).toBe(false);
  });
  it("does not match someone else or short digit runs", () => {
    expect(mentionsCustomer({ customer: { id: 2, email: "jane@example.com" }, zip: "1199" }, john)).toBe(false);
  });
});
