import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import {
  customerFactsFromEmulator,
  customerFactsFromStored,
  orderFactsFromEmulator,
  orderFactsFromSnapshot,
} from "../support/sync-facts.ts";
import { waitForBackfill } from "../support/sync.ts";

// The seed world's three shops (two of one merchant, sharing customers), at a size CI can afford.
let stack: IntegrationStack;
let shops: string[];
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 45, customersPerShop: 25, sharedCustomers: 10 } });
  shops = stack.emulator.shops().map((shop) => shop.domain);
  for (const shop of shops) expect((await stack.install(shop)).status).toBe(200);
  await Promise.all(shops.map((shop) => waitForBackfill(shop)));
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");
type StoredSnapshot = Parameters<typeof orderFactsFromSnapshot>[0];

describe("backfill through bulk operations", () => {
  it("stores every order of every seed shop exactly as Shopify has it", async () => {
    for (const domain of shops) {
      const shop = await db.shop.findUniqueOrThrow({ where: { domain } });
      const stored = await db.shopifyOrder.findMany({ where: { shopId: shop.id } });
      const truth = stack.emulator.shop(domain).orders();
      expect(stored).toHaveLength(truth.length);
      const storedById = new Map(
        stored.map((row) => [row.shopifyId, orderFactsFromSnapshot(row.snapshot as unknown as StoredSnapshot)]),
      );
      for (const order of truth) {
        const expected = orderFactsFromEmulator(order);
        expect(storedById.get(expected.id!), `${domain} ${order.name}`).toEqual(expected);
      }
    }
  });

  it("covers orders in every shopper-facing state the seed has", async () => {
    const statuses = await db.shopifyOrder.groupBy({ by: ["shopperStatus"], _count: { _all: true } });
    expect(statuses.map((group) => group.shopperStatus).sort()).toEqual(
      expect.arrayContaining([
        "attempted_delivery",
        "cancelled",
        "delivered",
        "failed_delivery",
        "in_transit",
        "out_for_delivery",
        "ready_for_pickup",
        "refunded",
        "unfulfilled",
      ]),
    );
  });

  it("stores every customer with their email, name and note", async () => {
    for (const domain of shops) {
      const shop = await db.shop.findUniqueOrThrow({ where: { domain } });
      const stored = await db.shopifyCustomer.findMany({ where: { shopId: shop.id } });
      const truth = stack.emulator.shop(domain).customers().map(customerFactsFromEmulator);
      expect(stored.map(customerFactsFromStored).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
        truth.sort((a, b) => a.id!.localeCompare(b.id!)),
      );
    }
  });

  it("gives each person one helpdesk customer per workspace, linked to their Shopify customer", async () => {
    for (const domain of shops) {
      const shop = await db.shop.findUniqueOrThrow({ where: { domain } });
      const customers = await db.shopifyCustomer.findMany({
        where: { shopId: shop.id },
        include: { helpdeskCustomer: true },
      });
      expect(customers.every((customer) => customer.helpdeskCustomer?.workspaceId === shop.workspaceId)).toBe(true);
      const emails = new Set(customers.map((customer) => customer.email).filter(Boolean));
      expect(await db.helpdeskCustomer.count({ where: { workspaceId: shop.workspaceId } })).toBe(emails.size);
      const withNote = customers.find((customer) => customer.note);
      if (withNote) expect(withNote.helpdeskCustomer?.note).toBe(withNote.note);
    }
  });

  it("reports its progress as complete, with the totals Shopify counted", async () => {
    const { getSyncProgress } = await import("~/models/sync-state.server");
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: shops[0]! } });
    const progress = await getSyncProgress(shop.id);
    const truth = stack.emulator.shop(shops[0]!);
    expect(progress).toMatchObject({
      status: "completed",
      orders: { synced: truth.orders().length, total: truth.orders().length },
      customers: { synced: truth.customers().length, total: truth.customers().length },
      heldOrders: truth.orders().length,
      heldCustomers: truth.customers().length,
    });
    expect(progress.details.synced).toBe(progress.details.total);
  });
});
