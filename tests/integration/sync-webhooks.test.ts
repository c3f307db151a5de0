import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import {
  customerFactsFromEmulator,
  customerFactsFromStored,
  orderFactsFromEmulator,
  orderFactsFromSnapshot,
} from "../support/sync-facts.ts";
import { waitForBackfill, waitForWebhooksHandled } from "../support/sync.ts";

const SHOP = "maple-goods-eu.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 20, customersPerShop: 10 } });
  expect((await stack.install(SHOP)).status).toBe(200);
  await waitForBackfill(SHOP);
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");
type StoredSnapshot = Parameters<typeof orderFactsFromSnapshot>[0];

async function storedOrderFacts(orderGid: string) {
  const row = await db.shopifyOrder.findFirstOrThrow({ where: { shopifyId: orderGid } });
  return orderFactsFromSnapshot(row.snapshot as unknown as StoredSnapshot);
}

async function storedState() {
  const [orders, customers] = await Promise.all([
    db.shopifyOrder.findMany({
      orderBy: { shopifyId: "asc" },
      select: { shopifyId: true, snapshot: true, shopperStatus: true },
    }),
    db.shopifyCustomer.findMany({
      orderBy: { shopifyId: "asc" },
      select: { shopifyId: true, email: true, firstName: true, note: true },
    }),
  ]);
  return { orders, customers };
}

/** Fresh unfulfilled, paid orders (created through Shopify, so we hear of them by webhook). */
async function openOrders(count: number) {
  const customers = stack.emulator.shop(SHOP).customers();
  const orders = Array.from({ length: count }, (_, index) =>
    stack.emulator.createOrder(SHOP, { customer: customers[index % customers.length]!.id, financialStatus: "PAID" }),
  );
  await stack.emulator.waitForDeliveries();
  await waitForWebhooksHandled();
  return orders;
}

describe("incremental sync from webhooks", () => {
  let touched: string[] = [];
  let deliveriesBefore = 0;
  let settledState: Awaited<ReturnType<typeof storedState>>;

  it("reaches Shopify's state even when every delivery arrives newest first", async () => {
    const [shipped, cancelled] = await openOrders(2);
    const customer = stack.emulator.shop(SHOP).customers()[2]!;
    deliveriesBefore = stack.emulator.deliveries.length;

    stack.emulator.holdWebhooks();
    stack.emulator.fulfill(SHOP, { order: shipped!.name, carrier: "UPS", trackingNumber: "1Z999AA10123456784" });
    for (const status of ["IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED"] as const) {
      stack.emulator.addFulfillmentEvent(SHOP, { order: shipped!.name, status });
    }
    stack.emulator.refund(SHOP, { order: shipped!.name, amount: "5.00" });
    stack.emulator.cancel(SHOP, { order: cancelled!.name, reason: "CUSTOMER" });
    const created = stack.emulator.createOrder(SHOP, { customer: customer.id });
    stack.emulator.updateCustomer(SHOP, customer.id, { firstName: "Renée", note: "Prefers email" });
    expect(stack.emulator.releaseWebhooks({ reverse: true })).toBeGreaterThan(8);
    await stack.emulator.waitForDeliveries();
    await waitForWebhooksHandled();

    touched = [shipped!.id, cancelled!.id, created.id].map((id) => `gid://shopify/Order/${id}`);
    for (const order of [shipped!, cancelled!, created]) {
      const truth = stack.emulator.shop(SHOP).order(order.id)!;
      expect(await storedOrderFacts(`gid://shopify/Order/${order.id}`)).toEqual(orderFactsFromEmulator(truth));
    }
    const storedCustomer = await db.shopifyCustomer.findFirstOrThrow({
      where: { shopifyId: `gid://shopify/Customer/${customer.id}` },
    });
    expect(customerFactsFromStored(storedCustomer)).toEqual(
      customerFactsFromEmulator(stack.emulator.shop(SHOP).customer(customer.id)!),
    );
    const shippedRow = await db.shopifyOrder.findFirstOrThrow({ where: { shopifyId: touched[0] } });
    // Delivered, then partly refunded: the shopper sees the refund (app/domain/order-status.ts).
    expect(shippedRow.shopperStatus).toBe("partially_refunded");
    settledState = await storedState();
  });

  it("changes nothing when Shopify replays every delivery again, in another order", async () => {
    const replayed = stack.emulator.deliveries.slice(deliveriesBefore).map((entry) => entry.id);
    const shuffled = [...replayed].sort((a, b) => ((a * 7919) % 13) - ((b * 7919) % 13));
    for (const id of shuffled) stack.emulator.replayDelivery(id);
    await stack.emulator.waitForDeliveries();
    await waitForWebhooksHandled();
    expect(await storedState()).toEqual(settledState);
  });

  it("stores and handles a delivery sent twice at once only once", async () => {
    const [order] = await openOrders(1);
    stack.emulator.fulfill(SHOP, { order: order!.name, carrier: "DHL Express", trackingNumber: "1234567890" });
    await stack.emulator.waitForDeliveries();
    const delivery = stack.emulator.deliveries.at(-1)!;
    stack.emulator.replayDelivery(delivery.id);
    stack.emulator.replayDelivery(delivery.id);
    await stack.emulator.waitForDeliveries();
    await waitForWebhooksHandled();
    expect(await db.webhookEvent.count({ where: { eventId: delivery.eventId } })).toBe(1);
    const truth = stack.emulator.shop(SHOP).order(order!.id)!;
    expect(await storedOrderFacts(`gid://shopify/Order/${order!.id}`)).toEqual(orderFactsFromEmulator(truth));
  });

  it("never lets an old order payload overwrite newer data", async () => {
    const target = touched[1]!; // the cancelled order
    const before = await db.shopifyOrder.findFirstOrThrow({ where: { shopifyId: target } });
    // A version from before the cancellation: the cancelled payload without its cancellation and
    // with an earlier updated_at, as a late Shopify retry would carry it.
    const body = JSON.parse(
      stack.emulator.deliveries.find((entry) => entry.topic === "orders/cancelled" && entry.body.includes(target))!
        .body,
    );
    const stale = { ...body, cancelled_at: null, cancel_reason: null, updated_at: "2020-01-01T00:00:00Z" };
    stack.emulator.deliverWebhook(SHOP, "orders/updated", stale);
    await stack.emulator.waitForDeliveries();
    await waitForWebhooksHandled();
    const after = await db.shopifyOrder.findFirstOrThrow({ where: { shopifyId: target } });
    expect(after.cancelledAt).toEqual(before.cancelledAt);
    expect(after.shopperStatus).toBe("cancelled");
    expect(after.shopifyUpdatedAt).toEqual(before.shopifyUpdatedAt);
  });

  it("keeps a carrier event that arrives before its shipment's own webhook", async () => {
    const [order] = await openOrders(1);
    const gid = `gid://shopify/Order/${order!.id}`;
    stack.emulator.holdWebhooks();
    stack.emulator.fulfill(SHOP, { order: order!.name, carrier: "UPS", trackingNumber: "1Z999AA10123456785" });
    stack.emulator.addFulfillmentEvent(SHOP, { order: order!.name, status: "IN_TRANSIT" });
    const held = stack.emulator.deliveries.filter(
      (entry) => entry.topic === "fulfillment_events/create" && entry.state === "pending",
    );
    expect(held).toHaveLength(1);

    // Handle the event alone, as if it overtook fulfillments/create.
    const { syncFulfillmentEventWebhook } = await import("~/services/sync/incremental.server");
    const { logger } = await import("~/lib/logger.server");
    expect(await syncFulfillmentEventWebhook(SHOP, JSON.parse(held[0]!.body), logger)).toBe("processed");
    const stored = orderFactsFromSnapshot(
      (await db.shopifyOrder.findFirstOrThrow({ where: { shopifyId: gid } })).snapshot as unknown as StoredSnapshot,
    );
    expect(stored.fulfillments[0]?.events.map((event) => event.status)).toEqual(["IN_TRANSIT"]);

    stack.emulator.releaseWebhooks();
    await stack.emulator.waitForDeliveries();
    await waitForWebhooksHandled();
    expect(await storedOrderFacts(gid)).toEqual(orderFactsFromEmulator(stack.emulator.shop(SHOP).order(order!.id)!));
  });
});
