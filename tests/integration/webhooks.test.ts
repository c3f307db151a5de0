import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookHeaders } from "../../dev/store-emulator/signing.ts";
import { startIntegrationStack, TEST_APP, type IntegrationStack } from "../support/integration-stack.ts";
import { eventually } from "../support/wait.ts";

const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack();
  for (const shop of [EU, US]) expect((await stack.install(shop)).status).toBe(200);
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");

/** Waits until every stored event of the shop has been handled (processed or skipped). */
async function settled(shopDomain: string) {
  await stack.emulator.waitForDeliveries();
  return eventually(async () => {
    const events = await db.webhookEvent.findMany({ where: { shopDomain } });
    return events.every((event) => event.status === "processed" || event.status === "skipped") ? events : null;
  });
}

/** A delivery signed like Shopify's, sent straight to the app (for what the emulator never sends). */
function post(path: string, body: string, headers: Record<string, string>) {
  return fetch(new URL(path, stack.app.url), { method: "POST", body, headers });
}

function signed(
  topic: string,
  shop: string,
  payload: unknown,
  options: { eventId?: string; triggeredAt?: string } = {},
) {
  const body = JSON.stringify(payload);
  return { body, headers: webhookHeaders({ topic, shop, body, ...options }, TEST_APP.apiSecret) };
}

describe("webhook verification", () => {
  it("answers a bad HMAC with 401 and stores nothing", async () => {
    const { body, headers } = signed("app/scopes_update", EU, {
      current: ["read_orders"],
      updated_at: new Date().toISOString(),
    });
    const response = await post("/webhooks/app/scopes_update", body.replace("read_orders", "write_orders"), headers);
    expect(response.status).toBe(401);
    expect(await db.webhookEvent.count({ where: { shopDomain: EU, topic: "app/scopes_update" } })).toBe(0);
  });

  it("answers a delivery without Shopify's headers with 400 and stores nothing", async () => {
    const { body, headers } = signed("app/scopes_update", EU, { current: [], updated_at: null });
    delete headers["x-shopify-webhook-id"];
    expect((await post("/webhooks/app/scopes_update", body, headers)).status).toBe(400);
    expect(await db.webhookEvent.count({ where: { shopDomain: EU } })).toBe(0);
  });

  it("refuses a topic delivered to another topic's route with 400", async () => {
    const { body, headers } = signed("shop/redact", EU, { shop_domain: EU });
    const response = await post("/webhooks/app/uninstalled", body, headers);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/receives app\/uninstalled webhooks/);
    expect(await db.webhookEvent.count({ where: { shopDomain: EU } })).toBe(0);
  });
});

describe("duplicates, replays and order", () => {
  it("applies the newest scopes even when deliveries arrive newest first", async () => {
    const older = signed("app/scopes_update", US, { current: ["read_orders"], updated_at: "2026-11-01T10:00:00.000Z" });
    const newer = signed("app/scopes_update", US, {
      current: ["read_orders", "read_customers"],
      updated_at: "2026-11-01T11:00:00.000Z",
    });
    expect((await post("/webhooks/app/scopes_update", newer.body, newer.headers)).status).toBe(200);
    await settled(US);
    expect((await post("/webhooks/app/scopes_update", older.body, older.headers)).status).toBe(200);
    const events = await settled(US);

    const shop = await db.shop.findUniqueOrThrow({ where: { domain: US } });
    expect(shop.grantedScopes).toBe("read_orders,read_customers");
    expect(shop.scopesUpdatedAt?.toISOString()).toBe("2026-11-01T11:00:00.000Z");
    expect(
      events
        .filter((event) => event.topic === "app/scopes_update")
        .map((event) => event.status)
        .sort(),
    ).toEqual(["processed", "skipped"]);
  });

  it("acknowledges a retried delivery (same event id) with 200 and handles it once", async () => {
    const eventId = randomUUID();
    const delivery = signed(
      "app/scopes_update",
      US,
      { current: ["read_orders"], updated_at: "2026-11-02T00:00:00Z" },
      { eventId },
    );
    const answers = await Promise.all(
      [1, 2, 3].map(() => post("/webhooks/app/scopes_update", delivery.body, delivery.headers)),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    await settled(US);
    const rows = await db.webhookEvent.findMany({ where: { shopDomain: US, eventId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "processed", attempts: 0 });
    expect((await db.shop.findUniqueOrThrow({ where: { domain: US } })).grantedScopes).toBe("read_orders");
  });

  it("handles the same payload under a new event id as a no-op (order-safe, not double-applied)", async () => {
    const before = await db.shop.findUniqueOrThrow({ where: { domain: US } });
    const replay = signed("app/scopes_update", US, { current: ["read_orders"], updated_at: "2026-11-02T00:00:00Z" });
    expect((await post("/webhooks/app/scopes_update", replay.body, replay.headers)).status).toBe(200);
    await settled(US);
    const after = await db.shop.findUniqueOrThrow({ where: { domain: US } });
    expect(after.scopesUpdatedAt).toEqual(before.scopesUpdatedAt);
    expect(after.updatedAt).toEqual(before.updatedAt);
  });
});

describe("app/uninstalled", () => {
  it("drops the shop's sessions, keeps its data, and a replay of the delivery changes nothing", async () => {
    stack.emulator.uninstall(EU);
    await settled(EU);
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: EU } });
    expect(shop.uninstalledAt).not.toBeNull();
    expect(await db.session.count({ where: { shop: EU } })).toBe(0);

    const delivery = stack.emulator.deliveries.find((entry) => entry.shop === EU && entry.topic === "app/uninstalled")!;
    stack.emulator.replayDelivery(delivery.id);
    await settled(EU);
    expect(await db.webhookEvent.count({ where: { shopDomain: EU, topic: "app/uninstalled" } })).toBe(1);
    expect((await db.shop.findUniqueOrThrow({ where: { domain: EU } })).uninstalledAt).toEqual(shop.uninstalledAt);
  });

  it("ignores an uninstall that Shopify triggered before the merchant reinstalled", async () => {
    const uninstalledAt = (await db.shop.findUniqueOrThrow({ where: { domain: EU } })).uninstalledAt!;
    expect((await stack.install(EU)).status).toBe(200);
    const reinstalled = await db.shop.findUniqueOrThrow({ where: { domain: EU } });
    expect(reinstalled.uninstalledAt).toBeNull();

    // A late retry of the old uninstall (new delivery, original trigger time) arrives now.
    const late = signed(
      "app/uninstalled",
      EU,
      { id: stack.emulator.shop(EU).record.id, name: "Maple Goods EU" },
      { triggeredAt: uninstalledAt.toISOString() },
    );
    expect((await post("/webhooks/app/uninstalled", late.body, late.headers)).status).toBe(200);
    await settled(EU);
    expect((await db.shop.findUniqueOrThrow({ where: { domain: EU } })).uninstalledAt).toBeNull();
    expect(await db.session.count({ where: { shop: EU } })).toBe(1);
  });
});

describe("compliance webhooks", () => {
  it("customers/data_request reports the data we hold about that customer and no one else's", async () => {
    const [alice, bob] = stack.emulator.shop(EU).customers();
    stack.emulator.sendCompliance(EU, "customers/data_request", { customer: alice!.id });
    await settled(EU);
    stack.emulator.sendCompliance(EU, "customers/data_request", { customer: bob!.id });
    stack.emulator.sendCompliance(EU, "customers/data_request", { customer: alice!.id });
    await settled(EU);

    const requests = await db.complianceRequest.findMany({
      where: { shopDomain: EU, topic: "customers/data_request", customerId: String(alice!.id) },
      orderBy: { createdAt: "asc" },
    });
    expect(requests).toHaveLength(2);
    const report = requests[1]!.report as {
      customer: { email: string };
      data: { webhookEvents: { payload: unknown }[] };
    };
    expect(report.customer.email).toBe(alice!.email);
    // What we hold about Alice: the two requests Shopify forwarded about her, not Bob's.
    const held = JSON.stringify(report.data.webhookEvents);
    expect(report.data.webhookEvents).toHaveLength(2);
    expect(held).toContain(alice!.email!);
    expect(held).not.toContain(bob!.email!);
  });

  it("customers/redact erases that customer's personal data and keeps everyone else's", async () => {
    const [alice, bob] = stack.emulator.shop(EU).customers();
    stack.emulator.sendCompliance(EU, "customers/redact", { customer: alice!.id });
    await settled(EU);

    const aliceMentions = await db.$queryRaw<{ count: bigint }[]>`
      SELECT count(*) FROM "WebhookEvent" WHERE "shopDomain" = ${EU} AND payload::text ILIKE ${"%" + alice!.email! + "%"}`;
    expect(Number(aliceMentions[0]!.count)).toBe(0);
    const bobMentions = await db.$queryRaw<{ count: bigint }[]>`
      SELECT count(*) FROM "WebhookEvent" WHERE "shopDomain" = ${EU} AND payload::text ILIKE ${"%" + bob!.email! + "%"}`;
    expect(Number(bobMentions[0]!.count)).toBe(1);

    const proof = await db.complianceRequest.findFirstOrThrow({ where: { shopDomain: EU, topic: "customers/redact" } });
    expect(proof.email).toBeNull();
    expect(JSON.stringify(proof.report)).not.toContain(alice!.email!);
  });

  it("shop/redact erases the shop, its workspace and its history, and a second one is harmless", async () => {
    // Shopify sends shop/redact 48 hours after the uninstall (an installed shop's is ignored).
    stack.emulator.uninstall(EU);
    await settled(EU);
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: EU } });
    expect(shop.uninstalledAt).not.toBeNull();
    stack.emulator.sendCompliance(EU, "shop/redact");
    await stack.emulator.waitForDeliveries();
    await eventually(async () => (await db.shop.count({ where: { domain: EU } })) === 0);
    await eventually(
      async () => (await db.complianceRequest.count({ where: { shopDomain: EU, topic: "shop/redact" } })) === 1,
    );

    expect(await db.workspace.count({ where: { id: shop.workspaceId } })).toBe(0);
    expect(await db.session.count({ where: { shop: EU } })).toBe(0);
    expect(await db.webhookEvent.count({ where: { shopDomain: EU, NOT: { topic: "shop/redact" } } })).toBe(0);
    const remaining = await db.complianceRequest.findMany({ where: { shopDomain: EU } });
    expect(remaining.every((request) => request.email === null && request.report === null)).toBe(true);
    // The other shop is untouched.
    expect(await db.shop.count({ where: { domain: US } })).toBe(1);

    stack.emulator.sendCompliance(EU, "shop/redact");
    await stack.emulator.waitForDeliveries();
    await eventually(
      async () => (await db.complianceRequest.count({ where: { shopDomain: EU, topic: "shop/redact" } })) === 2,
    );
    expect(await db.webhookEvent.count({ where: { status: "failed" } })).toBe(0);
  });
});
