import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill, waitForWebhooksHandled } from "../support/sync.ts";

// GDPR requests against synced data: what we hold about a customer is reported in full, and an
// erasure leaves nothing that identifies them — across orders, Shopify customers and helpdesk people.
const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 30, customersPerShop: 10, sharedCustomers: 4 } });
  for (const shop of [EU, US]) expect((await stack.install(shop)).status).toBe(200);
  await Promise.all([waitForBackfill(EU), waitForBackfill(US)]);
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");

async function settle() {
  await stack.emulator.waitForDeliveries();
  await waitForWebhooksHandled();
}

const buyer = () =>
  stack.emulator
    .shop(EU)
    .customers()
    .find((customer) => customer.orderIds.length > 1)!;

describe("customers/data_request on synced data", () => {
  it("reports the customer's Shopify profile, orders and helpdesk record", async () => {
    const customer = buyer();
    stack.emulator.sendCompliance(EU, "customers/data_request", { customer: customer.id });
    await settle();
    const request = await db.complianceRequest.findFirstOrThrow({
      where: { shopDomain: EU, topic: "customers/data_request", customerId: String(customer.id) },
    });
    const data = (request.report as { data: Record<string, { shopifyId?: string; id?: string; emails?: string[] }[]> })
      .data;
    expect(data.shopifyCustomers!.map((row) => row.shopifyId)).toEqual([`gid://shopify/Customer/${customer.id}`]);
    expect(data.shopifyOrders!.map((order) => order.id).sort()).toEqual(
      customer.orderIds.map((id) => `gid://shopify/Order/${id}`).sort(),
    );
    expect(data.helpdeskCustomers!).toHaveLength(1);
    expect(data.helpdeskCustomers![0]!.emails).toContain(customer.email!.toLowerCase());
  });
});

describe("customers/redact on synced data", () => {
  it("erases the customer and the buyer details on their orders, keeping the sales", async () => {
    const customer = buyer();
    const gid = `gid://shopify/Customer/${customer.id}`;
    const person = (await db.shopifyCustomer.findFirstOrThrow({ where: { shopifyId: gid } })).helpdeskCustomerId!;
    stack.emulator.sendCompliance(EU, "customers/redact", { customer: customer.id });
    await settle();

    // A tombstone stays (no late delivery may store them again), with nothing about the person.
    expect(
      await db.shopifyCustomer.findMany({
        where: { shopifyId: gid },
        select: { email: true, phone: true, firstName: true, lastName: true, note: true, helpdeskCustomerId: true },
      }),
    ).toEqual([{ email: null, phone: null, firstName: null, lastName: null, note: null, helpdeskCustomerId: null }]);
    expect(await db.helpdeskCustomer.count({ where: { id: person } })).toBe(0);
    const orders = await db.shopifyOrder.findMany({
      where: { shopifyId: { in: customer.orderIds.map((id) => `gid://shopify/Order/${id}`) } },
    });
    expect(orders).toHaveLength(customer.orderIds.length);
    for (const order of orders) {
      expect(order).toMatchObject({ email: null, phone: null, shopifyCustomerId: null });
      const text = JSON.stringify(order.snapshot);
      expect(text).not.toContain(customer.email!);
      expect((order.snapshot as { lineItems: unknown[] }).lineItems.length).toBeGreaterThan(0);
    }
  });
});

describe("shop/redact in a workspace that keeps another shop", () => {
  it("deletes the shop's data and the people known only through it, keeping the other shop's", async () => {
    const { createWorkspaceLinkCode, joinWorkspace } = await import("~/services/workspace-link.server");
    const [eu, us] = await Promise.all([
      db.shop.findUniqueOrThrow({ where: { domain: EU } }),
      db.shop.findUniqueOrThrow({ where: { domain: US } }),
    ]);
    const { code } = await createWorkspaceLinkCode(eu);
    expect(await joinWorkspace(us, code)).toMatchObject({ ok: true });

    // A person of the workspace known through no shop (tickets will bring such people): not US's.
    const wroteIn = await db.helpdeskCustomer.create({
      data: { workspaceId: eu.workspaceId, name: "Wrote In", emails: ["wrote.in@example.com"] },
    });

    // Shopify sends shop/redact 48 hours after the uninstall (an installed shop's is ignored).
    stack.emulator.uninstall(US);
    await settle();
    expect((await db.shop.findUniqueOrThrow({ where: { domain: US } })).uninstalledAt).not.toBeNull();
    stack.emulator.sendCompliance(US, "shop/redact");
    await stack.emulator.waitForDeliveries();
    const { eventually } = await import("../support/wait.ts");
    await eventually(async () => (await db.shop.count({ where: { domain: US } })) === 0);

    expect(await db.shopifyOrder.count({ where: { shopId: us.id } })).toBe(0);
    expect(await db.shopifyCustomer.count({ where: { shopId: us.id } })).toBe(0);
    // Everyone left in the workspace is still a customer of the EU shop, or was never US's.
    expect(await db.helpdeskCustomer.findUnique({ where: { id: wroteIn.id } })).toMatchObject({ name: "Wrote In" });
    const people = await db.helpdeskCustomer.findMany({
      where: { workspaceId: eu.workspaceId, id: { not: wroteIn.id } },
      include: { shopifyCustomers: true },
    });
    expect(people.length).toBe(await db.shopifyCustomer.count({ where: { shopId: eu.id, deletedAt: null } }));
    expect(people.every((person) => person.shopifyCustomers.length === 1)).toBe(true);
    expect(await db.workspace.count({ where: { id: eu.workspaceId } })).toBe(1);
  });
});
