import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { eventually } from "../support/wait.ts";

const SHOP = "maple-goods-eu.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 40, customersPerShop: 15 } });
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");

describe("backfill on install", () => {
  it("imports every customer and order of the shop", async () => {
    expect((await stack.install(SHOP)).status).toBe(200);
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    const state = await eventually(
      async () => {
        const current = await db.syncState.findUnique({ where: { shopId: shop.id } });
        if (current?.backfillStatus === "failed") throw new Error(current.backfillError ?? "failed");
        return current?.backfillStatus === "completed" ? current : null;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const emulated = stack.emulator.shop(SHOP);
    expect(state.ordersTotal).toBe(emulated.orders().length);
    expect(await db.shopifyOrder.count({ where: { shopId: shop.id } })).toBe(emulated.orders().length);
    expect(await db.shopifyCustomer.count({ where: { shopId: shop.id } })).toBe(emulated.customers().length);
    expect(await db.shopifyOrder.count({ where: { shopId: shop.id, detailsPending: true } })).toBe(0);
  });
});
