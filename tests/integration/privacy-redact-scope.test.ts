import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookHeaders } from "../../dev/store-emulator/signing.ts";
import { startIntegrationStack, TEST_APP, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill, waitForWebhooksHandled } from "../support/sync.ts";

// customers/redact erases one shop's customer. The seed's maple-goods-eu and maple-goods-us share
// their buyers by email: the same person is a customer of both shops, first in two workspaces,
// then in one. Erasing them in EU must leave every row of US — its orders, its Shopify customer,
// the webhooks it received and the helpdesk person's link to it — exactly as it was.
const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 40, customersPerShop: 10, sharedCustomers: 10 } });
  for (const shop of [EU, US]) expect((await stack.install(shop)).status).toBe(200);
  await Promise.all([waitForBackfill(EU), waitForBackfill(US)]);
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");

async function settle() {
  await stack.emulator.waitForDeliveries();
  await waitForWebhooksHandled();
}

/** Buyers (by email) with orders in both shops, each as EU's and US's emulator customer. */
function sharedBuyers() {
  const us = stack.emulator.shop(US).customers();
  return stack.emulator
    .shop(EU)
    .customers()
    .map((eu) => ({ eu, us: us.find((candidate) => candidate.email === eu.email)! }))
    .filter(({ eu, us }) => us && eu.orderIds.length > 0 && us.orderIds.length > 0);
}

/** Everything US holds about the buyer, read before and after EU's erasure. */
async function usRowsAbout(email: string, usCustomerId: number) {
  const us = await db.shop.findUniqueOrThrow({ where: { domain: US } });
  const gid = `gid://shopify/Customer/${usCustomerId}`;
  const customer = await db.shopifyCustomer.findUniqueOrThrow({
    where: { shopId_shopifyId: { shopId: us.id, shopifyId: gid } },
    include: { helpdeskCustomer: { include: { shopifyCustomers: { select: { id: true } } } } },
  });
  const orders = await db.shopifyOrder.findMany({
    where: { shopId: us.id, OR: [{ email: email.toLowerCase() }, { shopifyCustomerId: gid }] },
    orderBy: { shopifyId: "asc" },
  });
  const events = await db.webhookEvent.findMany({ where: { shopDomain: US }, orderBy: { id: "asc" } });
  return { customer, orders, events };
}

/** A data request in US about the buyer: a stored US webhook that mentions their email. */
async function usWebhookMentioning(usCustomer: { id: number; email: string | null }) {
  const body = JSON.stringify({
    shop_id: stack.emulator.shop(US).record.id,
    shop_domain: US,
    customer: { id: usCustomer.id, email: usCustomer.email },
    orders_requested: [],
    data_request: { id: 1 },
  });
  const headers = webhookHeaders({ topic: "customers/data_request", shop: US, body }, TEST_APP.apiSecret);
  const response = await fetch(new URL("/webhooks/customers/data_request", stack.app.url), {
    method: "POST",
    body,
    headers,
  });
  expect(response.status).toBe(200);
  await settle();
}

async function redactInEu(euCustomerId: number) {
  stack.emulator.sendCompliance(EU, "customers/redact", { customer: euCustomerId });
  await settle();
  const eu = await db.shop.findUniqueOrThrow({ where: { domain: EU } });
  // The erasure did happen in EU (no EU customer row with their address is left).
  const gid = `gid://shopify/Customer/${euCustomerId}`;
  expect(await db.shopifyCustomer.count({ where: { shopId: eu.id, shopifyId: gid, email: { not: null } } })).toBe(0);
  return eu;
}

describe("customers/redact in one shop leaves the other shop's customer alone", () => {
  it("when the shops are in different workspaces", async () => {
    const { eu, us } = sharedBuyers()[0]!;
    expect(eu.email).toBe(us.email);
    await usWebhookMentioning(us);
    const before = await usRowsAbout(us.email!, us.id);
    expect(before.orders.length).toBeGreaterThan(0);
    expect(before.orders.every((order) => order.email !== null)).toBe(true);
    expect(JSON.stringify(before.events)).toContain(us.email!);

    await redactInEu(eu.id);

    expect(await usRowsAbout(us.email!, us.id)).toEqual(before);
  });

  it("when the shops share a workspace and the buyer is one helpdesk person linked to both", async () => {
    const { createWorkspaceLinkCode, joinWorkspace } = await import("~/services/workspace-link.server");
    const [euShop, usShop] = await Promise.all([
      db.shop.findUniqueOrThrow({ where: { domain: EU } }),
      db.shop.findUniqueOrThrow({ where: { domain: US } }),
    ]);
    const { code } = await createWorkspaceLinkCode(euShop);
    expect(await joinWorkspace(usShop, code)).toMatchObject({ ok: true });

    const { eu, us } = sharedBuyers()[1]!;
    await usWebhookMentioning(us);
    const before = await usRowsAbout(us.email!, us.id);
    const person = before.customer.helpdeskCustomer!;
    // One person, linked to the buyer's Shopify customer in each shop.
    expect(person.shopifyCustomers).toHaveLength(2);

    await redactInEu(eu.id);

    const after = await usRowsAbout(us.email!, us.id);
    expect(after.orders).toEqual(before.orders);
    expect(after.events).toEqual(before.events);
    const { helpdeskCustomer: personAfter, ...customerAfter } = after.customer;
    const { helpdeskCustomer: _personBefore, ...customerBefore } = before.customer;
    expect(customerAfter).toEqual(customerBefore);
    // The person stays (they are still US's customer), now linked to US's Shopify customer only.
    expect(personAfter).toMatchObject({ id: person.id, emails: person.emails, phones: person.phones });
    expect(personAfter!.shopifyCustomers).toEqual([{ id: before.customer.id }]);
  });
});
