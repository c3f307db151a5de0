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
  it("finds an email or a phone typed with spaces around it", () => {
    expect(mentionsCustomer({ email: " John@Example.com " }, john)).toBe(true);
    expect(mentionsCustomer({ email: "john@example.com" }, { email: " john@example.com " })).toBe(true);
  });
  it("finds a seven-digit local number, and a number without the country code the request carries", () => {
    expect(mentionsCustomer({ phone: "625 1199" }, { phone: "625-1199" })).toBe(true);
    expect(mentionsCustomer({ phone: "555-625-1199" }, { phone: "+1 555 625 1199" })).toBe(true);
  });
  it("does not match another phone number, nor a request phone too short to identify anyone", () => {
    expect(mentionsCustomer({ phone: "+1 555 000 0000" }, john)).toBe(false);
    expect(mentionsCustomer({ phone: "+1 555 625 1199" }, { phone: "1199" })).toBe(false);
  });
  it("reads a customer_id sent as a string, and only under that key", () => {
    expect(mentionsCustomer({ customer_id: "191167" }, { id: "191167" })).toBe(true);
    expect(mentionsCustomer({ customer_id: "999" }, { id: "191167" })).toBe(false);
    expect(mentionsCustomer({ order_number: "191167" }, { id: "191167" })).toBe(false);
    expect(mentionsCustomer({ line: { customer_id: 2 } }, { id: "191167" })).toBe(false);
  });
  it("matches an id only on a customer object, not on a line item that shares it", () => {
    expect(mentionsCustomer({ line_items: [{ id: 191167, title: "Hat" }] }, { id: "191167" })).toBe(false);
  });
  it("looks inside lists", () => {
    const payload = {
      line_items: [{ title: "Hat" }, { properties: [{ name: "Gift for", value: "john@example.com" }] }],
    };
    expect(mentionsCustomer(payload, john)).toBe(true);
  });
  it("skips empty fields, flags and other people's emails when the request has no email", () => {
    const payload = { note: null, buyer_accepts_marketing: true, email: "jane@example.com", closed_at: undefined };
    expect(mentionsCustomer(payload, john)).toBe(false);
    expect(mentionsCustomer(payload, { id: "191167" })).toBe(false);
  });
});
