// A restarted emulator given the previous one's snapshot is the same Shopify: the stores keep what the
// merchant changed, the app stays installed with its subscriptions, and the app's tokens still work.
import { afterEach, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { startStoreEmulator, type StoreEmulator } from "./index.ts";
import { shopFetcher } from "./testing.ts";

const SHOP = "north-trail.myshopify.com";
const app = { apiKey: "persist-key", apiSecret: "persist-secret" };
const running: StoreEmulator[] = [];
const servers: http.Server[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function webhookReceiver() {
  const received: string[] = [];
  const server = http.createServer((request, response) => {
    received.push(String(request.headers["x-shopify-topic"]));
    request.resume();
    response.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

async function start(appUrl: string, snapshot?: unknown) {
  const emulator = await startStoreEmulator({
    app: { ...app, url: appUrl },
    webhooks: [{ topic: "customers/update", uri: "/webhooks/customers/update" }],
    seed: { ordersPerShop: 5, customersPerShop: 5 },
    ...(snapshot ? { snapshot: JSON.parse(JSON.stringify(snapshot)) } : {}),
  });
  running.push(emulator);
  return emulator;
}

async function graphql(emulator: StoreEmulator, token: string) {
  const shopFetch = shopFetcher(emulator.url);
  try {
    const response = await shopFetch(`https://${SHOP}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": token },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    return response.status;
  } finally {
    await shopFetch.close();
  }
}

describe("emulator snapshot", () => {
  it("a restart from the snapshot keeps the merchant's changes, the install and the app's token", async () => {
    const receiver = await webhookReceiver();
    const first = await start(receiver.url);
    const token = first.accessToken(SHOP);
    const customer = first.shop(SHOP).customers()[0]!;
    first.setCustomerNote(SHOP, customer.id, "Prefers email");
    const order = first.createOrder(SHOP, {});
    first.shop(SHOP).state.webhookSubscriptions.set(1, {
      id: 1,
      topic: "orders/create",
      uri: `${receiver.url}/extra`,
      format: "JSON",
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-01-01T00:00:00Z",
      filter: null,
      includeFields: [],
    });
    const snapshot = first.snapshot();
    await first.waitForDeliveries();
    await first.close();
    running.length = 0;

    const second = await start(receiver.url, snapshot);
    expect(second.isInstalled(SHOP)).toBe(true);
    expect(second.shop(SHOP).customer(customer.id)?.note).toBe("Prefers email");
    expect(second.shop(SHOP).order(order.id)?.name).toBe(order.name);
    expect(
      second
        .shop(SHOP)
        .webhookSubscriptions()
        .map((s) => s.topic),
    ).toEqual(["orders/create"]);
    expect(await graphql(second, token)).toBe(200);
    expect(await graphql(second, "shpat_emu_unknown")).toBe(401);

    const before = receiver.received.length;
    second.setCustomerNote(SHOP, customer.id, "Call after 5pm");
    await second.waitForDeliveries();
    expect(receiver.received.slice(before)).toEqual(["customers/update"]);
    const next = second.createOrder(SHOP, {});
    expect(next.id).toBeGreaterThan(order.id);
    expect(next.number).toBe(order.number + 1);
  });

  it("keeps a cancel's staff note, restock type and the restocked stock across a restart", async () => {
    const first = await start("http://127.0.0.1:9");
    const order = first.createOrder(SHOP, { lineItems: [{ title: "Wool Blanket", price: "89.00", quantity: 2 }] });
    const variantId = order.lineItems[0]!.variantId;
    first.cancel(SHOP, { order: order.id, refund: true, restock: true, staffNote: "Asked by the shopper" });
    const stock = first.shop(SHOP).state.inventoryAvailable(variantId);
    expect(stock).toBe(102);
    const snapshot = JSON.parse(JSON.stringify(first.snapshot())) as ReturnType<StoreEmulator["snapshot"]>;
    await first.close();
    running.length = 0;

    const second = await start("http://127.0.0.1:9", snapshot);
    expect(second.shop(SHOP).state.inventoryAvailable(variantId)).toBe(stock);
    expect(second.shop(SHOP).order(order.id)).toMatchObject({ cancellationStaffNote: "Asked by the shopper" });
    expect(second.shop(SHOP).order(order.id)!.refunds[0]!.lineItems[0]!.restockType).toBe("CANCEL");
  });

  it("refuses a snapshot of another format with a message", async () => {
    await expect(start("http://127.0.0.1:9", { version: 99 })).rejects.toThrow(/snapshot/i);
  });
});
