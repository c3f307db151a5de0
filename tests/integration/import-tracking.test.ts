import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrderRecord } from "../../dev/store-emulator/index.ts";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { orderFactsFromEmulator, orderFactsFromSnapshot } from "../support/sync-facts.ts";
import { waitForBackfill, waitForWebhooksHandled } from "../support/sync.ts";
import { eventually } from "../support/wait.ts";
import { thrownStatus } from "../support/route-results.ts";

// The import after install: every order with its status from the bulk export, carrier events
// (tracking timelines) recent orders first, and any order opened before its turn fetched on the
// spot. The backfill job is the real one, held at the start of its details phase until a test
// lets it go, so the state between the two passes can be looked at.
const SHOP = "north-trail.myshopify.com";
const OTHER_SHOP = "maple-goods-eu.myshopify.com";
const DAY = 86_400_000;

let stack: IntegrationStack;
let detailsHeld = true;
/** Each order's status as the bulk export alone gave it. */
const statusAfterBulk = new Map<string, string>();
/** Orders a test changed in Shopify meanwhile: their status may rightly move on. */
const changedMeanwhile = new Set<string>();

const { db } = await import("~/db.server");
const { enqueue } = await import("~/jobs/queue.server");
const { startJobWorkers } = await import("~/jobs/workers.server");
const { backfillJob } = await import("~/jobs/sync.server");
const { ensureOrderTimeline } = await import("~/services/sync/order-timeline.server");
const { ordersNeedingDetails } = await import("~/models/shopify-order.server");
const { trackingImportOrder, recentOrdersSince } = await import("~/domain/tracking-import");
const orderRoute = await import("~/routes/app.orders.$orderId");
const home = await import("~/routes/app._index");

beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 60, customersPerShop: 15 } });
  // The real backfill step, except that the details phase waits while `detailsHeld`.
  await startJobWorkers([
    {
      ...backfillJob,
      async handler(data, context) {
        const state = await db.syncState.findFirst({ where: { shop: { domain: data.shopDomain } } });
        if (detailsHeld && state?.backfillPhase === "details") {
          await enqueue(backfillJob, data, { singletonKey: `backfill:${data.shopDomain}`, startAfter: 1 });
          return;
        }
        await backfillJob.handler(data, context);
      },
    },
  ]);
  for (const shop of [SHOP, OTHER_SHOP]) expect((await stack.install(shop)).status).toBe(200);
  await Promise.all([SHOP, OTHER_SHOP].map((shop) => detailsPhaseReached(shop)));
}, 120_000);
afterAll(() => stack.stop());

function detailsPhaseReached(shop: string) {
  return eventually(
    async () => {
      const state = await db.syncState.findFirst({ where: { shop: { domain: shop } } });
      if (state?.backfillStatus === "failed") throw new Error(`Backfill failed: ${state.backfillError}`);
      return state?.backfillPhase === "details" ? state : null;
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
}

const gid = (order: OrderRecord) => `gid://shopify/Order/${order.id}`;
const numeric = (orderGid: string) => orderGid.split("/").pop()!;
const shopId = async (domain: string) => (await db.shop.findUniqueOrThrow({ where: { domain } })).id;

/** The emulator's latest of placed and shipped: the truth the import's order is checked against. */
function activityOf(order: OrderRecord): Date {
  const times = [order.createdAt, ...order.fulfillments.map((fulfillment) => fulfillment.createdAt)];
  return new Date(Math.max(...times.map((time) => Date.parse(time))));
}

async function pendingOrders(domain: string) {
  return db.shopifyOrder.findMany({
    where: { shop: { domain }, detailsPending: true },
    orderBy: { shopifyCreatedAt: "asc" },
  });
}

/** An order still waiting for its carrier events, placed long ago, with a shipment still under way. */
async function olderPendingOrder(domain: string, exclude: string[] = []) {
  const since = recentOrdersSince(new Date());
  const truth = new Map(
    stack.emulator
      .shop(domain)
      .orders()
      .map((order) => [gid(order), order]),
  );
  const candidates = (await pendingOrders(domain)).filter(
    (row) => row.activityAt < since && !exclude.includes(row.shopifyId),
  );
  const withEvents = candidates.find((row) =>
    truth.get(row.shopifyId)!.fulfillments.some((fulfillment) => fulfillment.events.length > 0),
  );
  if (!withEvents) throw new Error("The seed has no older order with carrier events left to open");
  return { row: withEvents, truth: truth.get(withEvents.shopifyId)! };
}

const loadOrderPage = (shop: string, orderId: string) =>
  orderRoute.loader({ request: stack.adminRequest(shop, `/app/orders/${orderId}`), params: { orderId }, context: {} });

const detailsRequests = () =>
  stack.emulator.requests.filter((request) => request.operationName === "ShopdeskOrderDetailsByIds").length;

describe("after the bulk export, before any carrier events", () => {
  it("lists every order with its status, and only orders with shipments or refunds wait for details", async () => {
    const truth = stack.emulator.shop(SHOP).orders();
    const stored = await db.shopifyOrder.findMany({ where: { shop: { domain: SHOP } } });
    expect(stored).toHaveLength(truth.length);
    for (const row of stored) statusAfterBulk.set(row.shopifyId, row.shopperStatus);
    const byId = new Map(stored.map((row) => [row.shopifyId, row]));
    for (const order of truth) {
      const row = byId.get(gid(order))!;
      expect(row.detailsPending, order.name).toBe(order.fulfillments.length > 0 || order.refunds.length > 0);
      expect(row.activityAt.toISOString(), order.name).toBe(activityOf(order).toISOString());
    }
    expect(stored.some((row) => row.detailsPending)).toBe(true);
  });

  it("fetches recent orders first (placed or shipped in the last 60 days), newest first, then the rest", async () => {
    const id = await shopId(SHOP);
    const pending = await pendingOrders(SHOP);
    const expected = pending
      .map((row) => ({ id: row.shopifyId, activityAt: row.activityAt }))
      .sort(trackingImportOrder)
      .map((row) => row.id);
    expect(await ordersNeedingDetails(id, pending.length)).toEqual(expected);
    // The seed has both kinds, and an old order shipped lately counts as recent.
    const since = recentOrdersSince(new Date());
    expect(pending.some((row) => row.activityAt >= since)).toBe(true);
    expect(pending.some((row) => row.activityAt < since)).toBe(true);
    const first = await ordersNeedingDetails(id, 1);
    expect(first).toEqual([expected[0]]);
  });

  it("tells the merchant on the home page that every order has its status and tracking is on its way", async () => {
    const page = await home.loader({ request: stack.adminRequest(SHOP, "/app"), params: {}, context: {} });
    const count = stack.emulator.shop(SHOP).orders().length;
    const pending = (await pendingOrders(SHOP)).length;
    expect(page.sync.tracking).toMatchObject({ total: count, pending });
    const { importSummary } = await import("~/components/sync-progress");
    const summary = importSummary(page.sync as Parameters<typeof importSummary>[0]);
    expect(summary?.orders).toBe(`All ${count} orders imported with their status`);
    // Orders with nothing shipped or refunded have nothing to fetch: they count as done.
    expect(summary?.tracking).toMatch(/^Tracking details: recent orders first, \d+ of \d+ done$/);
    expect(page.sync.tracking?.recentPending).toBeGreaterThan(0);
    expect(summary?.onDemand).toBe("Any order you open shows its tracking right away.");
  });
});

describe("opening an order whose carrier events were not imported yet", () => {
  it("fetches them on the spot, once for several people opening it at once, and shows the whole timeline", async () => {
    const { row, truth } = await olderPendingOrder(SHOP);
    const before = detailsRequests();
    const opened = await Promise.all([1, 2, 3, 4].map(() => ensureOrderTimeline(SHOP, row.shopifyId)));
    expect(detailsRequests() - before).toBe(1);
    for (const result of opened) {
      expect(result?.trackingDetails).toBe("complete");
      expect(orderFactsFromSnapshot(result!.order)).toEqual(orderFactsFromEmulator(truth));
    }
    const carrierUpdates = opened[0]!.timeline.filter((event) => event.kind === "carrier_update").map((e) => e.id);
    const expectedEvents = truth.fulfillments.flatMap((fulfillment) =>
      fulfillment.events.map((event) => `carrier_update:gid://shopify/FulfillmentEvent/${event.id}`),
    );
    expect(carrierUpdates.sort()).toEqual(expectedEvents.sort());
    // Stored: the background pass will not fetch it again, and the next opening asks Shopify nothing.
    const stored = await db.shopifyOrder.findUniqueOrThrow({ where: { id: row.id } });
    expect(stored.detailsPending).toBe(false);
    const again = detailsRequests();
    expect((await ensureOrderTimeline(SHOP, row.shopifyId))?.trackingDetails).toBe("complete");
    expect(detailsRequests()).toBe(again);
  });

  it("shows the order in the admin with its timeline, newest first", async () => {
    const { row, truth } = await olderPendingOrder(SHOP);
    const page = await loadOrderPage(SHOP, numeric(row.shopifyId));
    expect(page.order).toMatchObject({ name: truth.name, status: row.shopperStatus });
    expect(page.trackingDetailsLoaded).toBe(true);
    const titles = page.timeline.map((entry) => entry.title);
    expect(titles.at(-1)).toBe("Order placed");
    expect(titles.length).toBeGreaterThan(
      1 + truth.fulfillments.reduce((sum, fulfillment) => sum + fulfillment.events.length, 0),
    );
  });

  it("shows what is known and says tracking could not be loaded when Shopify fails, without an error page", async () => {
    const { row } = await olderPendingOrder(SHOP);
    stack.emulator.failNext(SHOP, 20, "503");
    try {
      const result = await ensureOrderTimeline(SHOP, row.shopifyId);
      expect(result?.trackingDetails).toBe("unavailable");
      expect(result?.order.name).toBe(row.name);
      expect(result?.timeline[0]).toMatchObject({ kind: "order_placed" });
      const page = await loadOrderPage(SHOP, numeric(row.shopifyId));
      expect(page.trackingDetailsLoaded).toBe(false);
      expect(page.order.status).toBe(row.shopperStatus);
    } finally {
      stack.emulator.clearFailures(SHOP);
    }
    // Still waiting: the next opening (or the background pass) tries again.
    expect((await db.shopifyOrder.findUniqueOrThrow({ where: { id: row.id } })).detailsPending).toBe(true);
    expect((await ensureOrderTimeline(SHOP, row.shopifyId))?.trackingDetails).toBe("complete");
  });

  it("finds orders of the signed-in shop only: another shop's order, or a made-up id, is not found", async () => {
    const { row: otherShopsOrder } = await olderPendingOrder(OTHER_SHOP);
    expect(await ensureOrderTimeline(SHOP, otherShopsOrder.shopifyId)).toBeNull();
    expect(await thrownStatus(loadOrderPage(SHOP, numeric(otherShopsOrder.shopifyId)))).toBe(404);
    expect(await thrownStatus(loadOrderPage(SHOP, "not-a-number"))).toBe(404);
    expect(await thrownStatus(loadOrderPage(SHOP, "999999999999"))).toBe(404);
    // Nothing was fetched for the other shop's order.
    expect((await db.shopifyOrder.findUniqueOrThrow({ where: { id: otherShopsOrder.id } })).detailsPending).toBe(true);
  });
});

describe("carrier events arriving by webhook while the import runs", () => {
  it("are kept: the background pass neither loses nor doubles them, nor does a replayed webhook", async () => {
    const { row, truth } = await olderPendingOrder(SHOP);
    changedMeanwhile.add(row.shopifyId);
    const before = stack.emulator.deliveries.length;
    stack.emulator.addFulfillmentEvent(SHOP, {
      order: truth.name,
      status: "OUT_FOR_DELIVERY",
      message: "With the courier since this morning",
      happenedAt: new Date(Date.now() - DAY / 24).toISOString(),
    });
    await stack.emulator.waitForDeliveries();
    await waitForWebhooksHandled();
    const delivered = stack.emulator.deliveries.slice(before).find((d) => d.topic === "fulfillment_events/create");
    expect(delivered).toBeDefined();
    // Stored on top of what the bulk export gave, while the order still waits for its history.
    const patched = await db.shopifyOrder.findUniqueOrThrow({ where: { id: row.id } });
    expect(patched.detailsPending).toBe(true);
    expect(JSON.stringify(patched.snapshot)).toContain("With the courier since this morning");

    detailsHeld = false;
    await waitForBackfill(SHOP, 120_000);
    await waitForBackfill(OTHER_SHOP, 120_000);
    const latestTruth = stack.emulator
      .shop(SHOP)
      .orders()
      .find((order) => order.id === truth.id)!;
    const stored = await db.shopifyOrder.findUniqueOrThrow({ where: { id: row.id } });
    const facts = orderFactsFromSnapshot(stored.snapshot as never);
    expect(facts).toEqual(orderFactsFromEmulator(latestTruth));

    // The same delivery again (Shopify retries): still one event.
    stack.emulator.replayDelivery(delivered!.id);
    await stack.emulator.waitForDeliveries();
    await waitForWebhooksHandled();
    const replayed = await db.shopifyOrder.findUniqueOrThrow({ where: { id: row.id } });
    expect(orderFactsFromSnapshot(replayed.snapshot as never)).toEqual(orderFactsFromEmulator(latestTruth));
  });

  it("leaves every order with all its carrier events and the status it had from the bulk export", async () => {
    const stored = new Map(
      (await db.shopifyOrder.findMany({ where: { shop: { domain: SHOP } } })).map((row) => [row.shopifyId, row]),
    );
    expect(await db.shopifyOrder.count({ where: { shop: { domain: SHOP }, detailsPending: true } })).toBe(0);
    expect(statusAfterBulk.size).toBe(stored.size);
    for (const order of stack.emulator.shop(SHOP).orders()) {
      const row = stored.get(gid(order))!;
      expect(orderFactsFromSnapshot(row.snapshot as never), order.name).toEqual(orderFactsFromEmulator(order));
      if (!changedMeanwhile.has(row.shopifyId)) {
        expect(row.shopperStatus, order.name).toBe(statusAfterBulk.get(row.shopifyId));
      }
    }
    const page = await home.loader({ request: stack.adminRequest(SHOP, "/app"), params: {}, context: {} });
    const { importSummary } = await import("~/components/sync-progress");
    expect(importSummary(page.sync as Parameters<typeof importSummary>[0])?.tracking).toBe(
      "Tracking details: all done",
    );
  });
});
