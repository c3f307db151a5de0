import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNSTORABLE_TEXT_MESSAGE } from "~/lib/storable-text";
import { SMALL_SEED, startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill } from "../support/sync.ts";
import { unwrap } from "../support/route-results.ts";

// Customer search on a real database (the trigger-kept searchText, unaccent, trigram index): words in
// any order, accents ignored, part of an email, phones in any format, LIKE wildcards taken literally,
// keyset pages without repeats or gaps, order figures and open tickets, and one workspace only.
const SHOP = "north-trail.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: SMALL_SEED });
  expect((await stack.install(SHOP)).status).toBe(200);
  await waitForBackfill(SHOP);
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");
const { searchHelpdeskCustomers, CustomerSearchCursorError } = await import("~/models/helpdesk-customer.server");
const customersRoute = await import("~/routes/app.customers._index");

async function workspace(currencyCode = "EUR") {
  const shop = await db.shop.create({
    data: { domain: `${randomUUID()}.myshopify.com`, currencyCode, workspace: { create: { name: "Store" } } },
  });
  return { shop, workspaceId: shop.workspaceId };
}

const person = (workspaceId: string, name: string | null, emails: string[] = [], phones: string[] = []) =>
  db.helpdeskCustomer.create({ data: { workspaceId, name, emails, phones } });

const names = async (workspaceId: string, q: string) =>
  (await searchHelpdeskCustomers(workspaceId, { q })).customers.map((customer) => customer.name).sort();

const listPage = async (query: string) =>
  unwrap(
    await customersRoute.loader({
      request: stack.adminRequest(SHOP, `/app/customers?${query}`),
      params: {},
      context: {},
    }),
  );

describe("customer search", () => {
  it("finds names without accents and in any word order, and any part of an email", async () => {
    const { workspaceId } = await workspace();
    await person(workspaceId, "Anna Müller", ["anna.mueller@example.com"]);
    await person(workspaceId, "Zoë Ångström", ["zoe@shop.example"]);
    await person(workspaceId, "Anna Schmidt", ["schmidt@example.org"]);

    expect(await names(workspaceId, "Muller")).toEqual(["Anna Müller"]);
    expect(await names(workspaceId, "müller anna")).toEqual(["Anna Müller"]);
    expect(await names(workspaceId, "ANGSTROM zoe")).toEqual(["Zoë Ångström"]);
    expect(await names(workspaceId, "anna")).toEqual(["Anna Müller", "Anna Schmidt"]);
    expect(await names(workspaceId, "mueller@exa")).toEqual(["Anna Müller"]);
    expect(await names(workspaceId, "example.org")).toEqual(["Anna Schmidt"]);
    expect(await names(workspaceId, "anna nobody")).toEqual([]);
  });

  it("finds a phone in any format", async () => {
    const { workspaceId } = await workspace();
    await person(workspaceId, "Dana Phone", [], ["+15552279104"]);
    await person(workspaceId, "Eli Other", [], ["+15552270000"]);
    await person(workspaceId, "Fay London", [], ["+447911123456"]);
    for (const typed of ["555 227 9104", "5552279104", "+1 555 227 9104", "(555) 227-9104", "+1-555-227-9104"]) {
      expect(await names(workspaceId, typed), typed).toEqual(["Dana Phone"]);
    }
    expect(await names(workspaceId, "555 227")).toEqual(["Dana Phone", "Eli Other"]);
    expect(await names(workspaceId, "07911 123456")).toEqual(["Fay London"]);
    expect(await names(workspaceId, "dana 9104")).toEqual(["Dana Phone"]);
  });

  it("takes % and _ literally", async () => {
    const { workspaceId } = await workspace();
    await person(workspaceId, "100% Cotton", ["a_b@example.com"]);
    await person(workspaceId, "1000 Cotton", ["axb@example.com"]);
    await person(workspaceId, "Back\\slash");
    expect(await names(workspaceId, "100%")).toEqual(["100% Cotton"]);
    expect(await names(workspaceId, "%")).toEqual(["100% Cotton"]);
    expect(await names(workspaceId, "a_b")).toEqual(["100% Cotton"]);
    expect(await names(workspaceId, "_")).toEqual(["100% Cotton"]);
    expect(await names(workspaceId, "k\\s")).toEqual(["Back\\slash"]);
  });

  it("pages forward and back through every customer exactly once, newest first", async () => {
    const { workspaceId } = await workspace();
    const at = new Date("2026-11-01T10:00:00.000Z");
    const total = 23;
    for (let index = 0; index < total; index++) {
      await db.helpdeskCustomer.create({
        // Many share a creation time, so the id has to break ties.
        data: { workspaceId, name: `Pat ${index}`, createdAt: new Date(at.getTime() + Math.floor(index / 4) * 1000) },
      });
    }
    await person(workspaceId, "Not a match");
    const forward: string[] = [];
    const pages: string[][] = [];
    let page = await searchHelpdeskCustomers(workspaceId, { q: "pat", take: 5 });
    pages.push(page.customers.map((customer) => customer.id));
    expect(page.previous).toBeNull();
    while (page.next) {
      page = await searchHelpdeskCustomers(workspaceId, { q: "pat", take: 5, after: page.next });
      pages.push(page.customers.map((customer) => customer.id));
    }
    forward.push(...pages.flat());
    expect(forward).toHaveLength(total);
    expect(new Set(forward).size).toBe(total);
    const stored = await db.helpdeskCustomer.findMany({
      where: { workspaceId, name: { startsWith: "Pat" } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    expect(forward).toEqual(stored.map((row) => row.id));

    const backward: string[][] = [];
    backward.unshift(page.customers.map((customer) => customer.id));
    while (page.previous) {
      page = await searchHelpdeskCustomers(workspaceId, { q: "pat", take: 5, before: page.previous });
      backward.unshift(page.customers.map((customer) => customer.id));
    }
    expect(backward.flat()).toEqual(forward);
    await expect(searchHelpdeskCustomers(workspaceId, { q: "", after: "not-a-cursor" })).rejects.toBeInstanceOf(
      CustomerSearchCursorError,
    );
  });

  it("shows orders, spend per currency, last order and open tickets, from this workspace's shops only", async () => {
    const { shop: eu, workspaceId } = await workspace("EUR");
    const us = await db.shop.create({ data: { domain: `${randomUUID()}.myshopify.com`, workspaceId } });
    const stranger = await workspace();
    const customer = await person(workspaceId, "Olga Orders", ["olga@example.com"]);
    const link = (shopId: string, shopifyId: string) =>
      db.shopifyCustomer.create({
        data: { shopId, shopifyId, helpdeskCustomerId: customer.id, shopifyUpdatedAt: new Date() },
      });
    await link(eu.id, "gid://shopify/Customer/1");
    await link(us.id, "gid://shopify/Customer/2");
    // A stale link through another merchant's shop must count nothing.
    await link(stranger.shop.id, "gid://shopify/Customer/3");
    let orderNumber = 0;
    const order = (shopId: string, shopifyCustomerId: string, amount: string, currencyCode: string, day: number) =>
      db.shopifyOrder.create({
        data: {
          shopId,
          shopifyId: `gid://shopify/Order/${++orderNumber}`,
          name: `#${1000 + orderNumber}`,
          shopifyCustomerId,
          shopifyCreatedAt: new Date(Date.UTC(2026, 10, day)),
          shopifyUpdatedAt: new Date(),
          fulfillmentStatus: "UNFULFILLED",
          shopperStatus: "unfulfilled",
          totalAmount: amount,
          currencyCode,
          snapshot: {},
          activityAt: new Date(),
        },
      });
    await order(eu.id, "gid://shopify/Customer/1", "10.50", "EUR", 1);
    await order(eu.id, "gid://shopify/Customer/1", "20.00", "EUR", 3);
    const cancelled = await order(eu.id, "gid://shopify/Customer/1", "99.00", "EUR", 4);
    await db.shopifyOrder.update({ where: { id: cancelled.id }, data: { cancelledAt: new Date() } });
    await order(us.id, "gid://shopify/Customer/2", "5.00", "USD", 2);
    await order(stranger.shop.id, "gid://shopify/Customer/3", "1000.00", "EUR", 20);
    const ticket = (status: "open" | "closed", number: number) =>
      db.ticket.create({
        data: { workspaceId, number, channel: "email", subject: "Hi", status, customerId: customer.id },
      });
    await ticket("open", 1);
    await ticket("open", 2);
    await ticket("closed", 3);

    const [row] = (await searchHelpdeskCustomers(workspaceId, { q: "olga" })).customers;
    expect(row).toEqual({
      id: customer.id,
      name: "Olga Orders",
      email: "olga@example.com",
      phone: null,
      orderCount: 4,
      totalSpent: [
        { amount: "30.50", currencyCode: "EUR" },
        { amount: "5.00", currencyCode: "USD" },
      ],
      lastOrderAt: new Date(Date.UTC(2026, 10, 4)),
      openTickets: 2,
    });
  });

  it("never finds another workspace's customers", async () => {
    const mine = await workspace();
    const theirs = await workspace();
    await person(theirs.workspaceId, "Hidden Müller", ["hidden@example.com"], ["+15550001111"]);
    expect(await names(mine.workspaceId, "müller")).toEqual([]);
    expect(await names(mine.workspaceId, "hidden@example.com")).toEqual([]);
    expect(await names(mine.workspaceId, "555 000 1111")).toEqual([]);
    expect(await names(mine.workspaceId, "")).toEqual([]);
  });
});

describe("customer list page", () => {
  it("lists the shop's customers with readable phones and page links", async () => {
    const result = await listPage("q=");
    expect(result.status).toBe(200);
    const customers = result.body.customers as { id: string; phone: string | null; orders: number }[];
    expect(customers.length).toBeGreaterThan(0);
    for (const customer of customers) if (customer.phone) expect(customer.phone).toMatch(/^\+\d{1,3} /);
    expect(customers.some((customer) => customer.orders > 0)).toBe(true);
  });

  it("answers a NUL byte, a huge query or too many words with 400 and a message, and a foreign page link with 400", async () => {
    const nul = await listPage(`q=${encodeURIComponent("anna\u0000")}`);
    expect(nul).toMatchObject({ status: 400, body: { error: UNSTORABLE_TEXT_MESSAGE, customers: [] } });
    const huge = await listPage(`q=${"a".repeat(5000)}`);
    expect(huge).toMatchObject({ status: 400, body: { customers: [] } });
    expect(huge.body.error).toMatch(/at most 200 characters/);
    const words = await listPage(`q=${encodeURIComponent("a b c d e f g h i j")}`);
    expect(words.status).toBe(400);
    expect(words.body.error).toMatch(/at most 8 words/);
    const cursor = await listPage(`after=${"x".repeat(30)}`);
    expect(cursor).toMatchObject({ status: 400, body: { customers: [], error: null } });
    expect(cursor.body.pageError).toMatch(/not valid/);
  });
});
