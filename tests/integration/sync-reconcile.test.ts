import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import {
  customerFactsFromEmulator,
  customerFactsFromStored,
  orderFactsFromEmulator,
  orderFactsFromSnapshot,
} from "../support/sync-facts.ts";
import { waitForBackfill } from "../support/sync.ts";
import { eventually } from "../support/wait.ts";

// The emulator never delivers these topics, as if the subscriptions had been deleted: only
// reconcile can bring the changes in.
const LOST = [
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "orders/fulfilled",
  "orders/partially_fulfilled",
  "fulfillments/create",
  "fulfillments/update",
  "fulfillment_events/create",
  "refunds/create",
  "customers/create",
  "customers/update",
];
const SHOP = "north-trail.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 15, customersPerShop: 8 }, withoutSubscriptions: LOST });
  expect((await stack.install(SHOP)).status).toBe(200);
  await waitForBackfill(SHOP);
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");
type StoredSnapshot = Parameters<typeof orderFactsFromSnapshot>[0];

describe("reconcile", () => {
  it("heals changes whose webhooks never came, when the merchant asks for it", async () => {
    const customers = stack.emulator.shop(SHOP).customers();
    const created = stack.emulator.createOrder(SHOP, { customer: customers[0]!.id, financialStatus: "PAID" });
    stack.emulator.fulfill(SHOP, { order: created.name, carrier: "Canada Post", trackingNumber: "7023210039414604" });
    stack.emulator.addFulfillmentEvent(SHOP, { order: created.name, status: "IN_TRANSIT" });
    stack.emulator.updateCustomer(SHOP, customers[1]!.id, { lastName: "Okafor", note: "VIP since 2024" });
    await stack.emulator.waitForDeliveries();
    expect(await db.shopifyOrder.count({ where: { shopifyId: `gid://shopify/Order/${created.id}` } })).toBe(0);

    const { requestReconcile } = await import("~/services/sync/commands.server");
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP }, include: { syncState: true } });
    const before = shop.syncState!.lastReconciledAt;
    await requestReconcile(SHOP);
    await eventually(async () => {
      const state = await db.syncState.findUniqueOrThrow({ where: { shopId: shop.id } });
      return state.lastReconciledAt && state.lastReconciledAt !== before;
    });

    const row = await db.shopifyOrder.findFirstOrThrow({ where: { shopifyId: `gid://shopify/Order/${created.id}` } });
    expect(orderFactsFromSnapshot(row.snapshot as unknown as StoredSnapshot)).toEqual(
      orderFactsFromEmulator(stack.emulator.shop(SHOP).order(created.id)!),
    );
    expect(row.shopperStatus).toBe("in_transit");
    const customer = await db.shopifyCustomer.findFirstOrThrow({
      where: { shopifyId: `gid://shopify/Customer/${customers[1]!.id}` },
      include: { helpdeskCustomer: true },
    });
    expect(customerFactsFromStored(customer)).toEqual(
      customerFactsFromEmulator(stack.emulator.shop(SHOP).customer(customers[1]!.id)!),
    );
    expect(customer.helpdeskCustomer?.note).toBe("VIP since 2024");
  });

  it("still finds a change stamped before one that already moved the cursor", async () => {
    const { reconcileShop } = await import("~/services/sync/reconcile.server");
    const { logger } = await import("~/lib/logger.server");
    const [ahead, behind] = stack.emulator.shop(SHOP).customers().slice(2, 4);
    // Quick edits are stamped a second apart, so this customer's updatedAt runs ahead of the clock:
    // as when Shopify's search index shows a later change before an earlier one.
    for (const round of [1, 2, 3, 4]) stack.emulator.setCustomerNote(SHOP, ahead!.id, `Round ${round}`);
    await reconcileShop(SHOP, logger);
    stack.emulator.setCustomerNote(SHOP, behind!.id, "Seen on the next run");
    expect(Date.parse(behind!.updatedAt)).toBeLessThan(Date.parse(ahead!.updatedAt));

    await reconcileShop(SHOP, logger);
    const stored = await db.shopifyCustomer.findFirstOrThrow({
      where: { shopifyId: `gid://shopify/Customer/${behind!.id}` },
    });
    expect(stored.note).toBe("Seen on the next run");
  });

  it("leaves everything as it is when nothing changed", async () => {
    const { reconcileShop } = await import("~/services/sync/reconcile.server");
    const { logger } = await import("~/lib/logger.server");
    const result = await reconcileShop(SHOP, logger);
    // The cursor is inclusive: the last change may be read again, and merging it changes nothing.
    expect(result).not.toBeNull();
    const again = await reconcileShop(SHOP, logger);
    expect(again, JSON.stringify(again)).toEqual({ ordersChanged: 0, customersChanged: 0 });
  });
});
