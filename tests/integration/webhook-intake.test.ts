import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { webhookHeaders, webhookHmac } from "../../dev/store-emulator/signing.ts";
import { startIntegrationStack, TEST_APP, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill } from "../support/sync.ts";
import { eventually } from "../support/wait.ts";

// What a webhook route accepts. The HMAC proves Shopify wrote the body, not that the unsigned
// X-Shopify-Shop-Domain header goes with it, nor that the body is sane: every delivery here is
// signed with the app's real secret, and each must be refused with a 4xx that stores nothing —
// or, for text PostgreSQL cannot hold, stored in a form it can.
const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";

// The app logs JSON lines on stdout/stderr; this file reads them (log lines must name the shop).
process.env.LOG_LEVEL = "info";
const logLines: Record<string, unknown>[] = [];
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  vi.spyOn(stream, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
    if (text.startsWith('{"time"')) {
      for (const line of text.trim().split("\n")) logLines.push(JSON.parse(line) as Record<string, unknown>);
      return true;
    }
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write);
}

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack();
  for (const shop of [EU, US]) expect((await stack.install(shop)).status).toBe(200);
  // With their orders and customers imported, "nothing changed" covers those rows too.
  await Promise.all([waitForBackfill(EU), waitForBackfill(US)]);
});
afterAll(() => stack.stop());

const { db, databaseUrl } = await import("~/db.server");
const { recordWebhookEvent, WEBHOOK_EVENTS_CHANNEL } = await import("~/models/webhook-intake.server");
const { collectCustomerData, eraseCustomerData } = await import("~/services/privacy/personal-data.server");

function post(path: string, body: BodyInit, headers: Record<string, string>, init: RequestInit = {}) {
  return fetch(new URL(path, stack.app.url), { method: "POST", body, headers, ...init });
}

/** A delivery of `body` (text, sent as is) signed like Shopify's, for `shop` in the header. */
function signedText(topic: string, shop: string, body: string) {
  return { body, headers: webhookHeaders({ topic, shop, body }, TEST_APP.apiSecret) };
}

const signed = (topic: string, shop: string, payload: unknown) => signedText(topic, shop, JSON.stringify(payload));

/** Everything a refused delivery could have changed. */
async function snapshot() {
  const [events, shops, sessions, compliance, customers, orders] = await Promise.all([
    db.webhookEvent.findMany({ orderBy: { id: "asc" } }),
    db.shop.findMany({ orderBy: { domain: "asc" } }),
    db.session.count(),
    db.complianceRequest.count(),
    db.shopifyCustomer.count(),
    db.shopifyOrder.count(),
  ]);
  return { events, shops, sessions, compliance, customers, orders };
}

async function settled() {
  await stack.emulator.waitForDeliveries();
  await eventually(
    async () => (await db.webhookEvent.count({ where: { status: { in: ["received", "failed"] } } })) === 0,
  );
}

/** Sends a delivery that must be refused; returns the answer after checking nothing changed. */
async function refused(path: string, delivery: { body: BodyInit; headers: Record<string, string> }, init = {}) {
  await settled();
  const before = await snapshot();
  const response = await post(path, delivery.body, delivery.headers, init);
  const message = await response.text();
  // A job would have been enqueued for anything stored: give it the chance to run, then compare.
  await settled();
  expect(await snapshot()).toEqual(before);
  return { status: response.status, message };
}

/** Shopify's id of a shop, as its payloads name it. */
const shopIdOf = (shopDomain: string) => stack.emulator.shop(shopDomain).record.id;

const customersRedact = (
  shopDomain: string,
  customer: Record<string, unknown> = { id: 1, email: "a@example.com" },
) => ({
  shop_id: shopIdOf(shopDomain),
  shop_domain: shopDomain,
  customer,
  orders_to_redact: [],
});

describe("the shop a delivery is for", () => {
  it("refuses a signed customers/redact whose shop_domain names another shop than the header", async () => {
    const { status, message } = await refused(
      "/webhooks/customers/redact",
      signed("customers/redact", US, customersRedact(EU)),
    );
    expect(status).toBe(400);
    expect(message).toBe(
      `The payload's shop_domain (${EU}) does not match the X-Shopify-Shop-Domain header (${US}); nothing was stored.`,
    );
  });

  it("refuses a signed customers/data_request for another shop", async () => {
    const body = { ...customersRedact(EU), orders_requested: [], data_request: { id: 9 } };
    const { status, message } = await refused(
      "/webhooks/customers/data_request",
      signed("customers/data_request", US, body),
    );
    expect(status).toBe(400);
    expect(message).toMatch(/shop_domain \(maple-goods-eu\.myshopify\.com\) does not match/);
  });

  it("refuses a signed shop/redact for another shop, which would erase an installed shop", async () => {
    const { status, message } = await refused(
      "/webhooks/shop/redact",
      signed("shop/redact", US, { shop_id: shopIdOf(EU), shop_domain: EU }),
    );
    expect(status).toBe(400);
    expect(message).toMatch(/shop_domain \(maple-goods-eu\.myshopify\.com\) does not match .*\(maple-goods-us/);
    expect(await db.shop.count({ where: { domain: US, uninstalledAt: null } })).toBe(1);
  });

  it("refuses a delivery whose shop_id is another shop's, even when its shop_domain agrees with the header", async () => {
    const redact = await refused(
      "/webhooks/customers/redact",
      signed("customers/redact", US, { ...customersRedact(US), shop_id: shopIdOf(EU) }),
    );
    expect(redact.status).toBe(400);
    expect(redact.message).toBe(
      `The payload's shop_id (${shopIdOf(EU)}) does not match the X-Shopify-Shop-Domain header (${US}); nothing was stored.`,
    );
    const uninstall = await refused(
      "/webhooks/app/uninstalled",
      signed("app/uninstalled", US, { id: shopIdOf(EU), name: "Maple Goods", myshopify_domain: US }),
    );
    expect(uninstall.status).toBe(400);
    expect(uninstall.message).toMatch(/^The payload's id \(\d+\) does not match/);
    expect(await db.shop.findUniqueOrThrow({ where: { domain: US } })).toMatchObject({
      shopifyId: String(shopIdOf(US)),
      uninstalledAt: null,
    });
  });

  it("refuses a signed app/uninstalled whose shop payload is another shop's", async () => {
    const shopPayload = { id: shopIdOf(US), name: "Maple Goods EU", domain: EU, myshopify_domain: EU };
    const both = await refused("/webhooks/app/uninstalled", signed("app/uninstalled", US, shopPayload));
    expect(both.status).toBe(400);
    expect(both.message).toMatch(/myshopify_domain \(maple-goods-eu\.myshopify\.com\) does not match/);
    const domainOnly = await refused(
      "/webhooks/app/uninstalled",
      signed("app/uninstalled", US, { ...shopPayload, myshopify_domain: null }),
    );
    expect(domainOnly.status).toBe(400);
    expect(domainOnly.message).toMatch(/domain \(maple-goods-eu\.myshopify\.com\) does not match/);
    expect(await db.shop.count({ where: { domain: US, uninstalledAt: null } })).toBe(1);
  });

  it("accepts an app/uninstalled whose domain is the shop's own custom domain", async () => {
    // `domain` is the shop's primary domain, often its own (custom) one: only a myshopify.com
    // domain there can name another shop. Triggered before the install, so it is stale: skipped.
    const body = JSON.stringify({ id: shopIdOf(US), domain: "maple-goods.example", myshopify_domain: US });
    const headers = webhookHeaders(
      { topic: "app/uninstalled", shop: US, body, triggeredAt: "2020-01-01T00:00:00Z" },
      TEST_APP.apiSecret,
    );
    expect((await post("/webhooks/app/uninstalled", body, headers)).status).toBe(200);
    await settled();
    const event = await db.webhookEvent.findFirstOrThrow({ where: { eventId: headers["x-shopify-event-id"] } });
    expect(event.status).toBe("skipped");
  });

  it.each([
    ["a negative number", -5],
    ["zero", 0],
    ["a fraction", 1.5],
    ["SQL", "1 OR 1=1"],
    ["another type's GID", "gid://shopify/Order/191167"],
    ["a GID with trailing text", "gid://shopify/Customer/191167/../1"],
  ])("refuses a customer id that is %s", async (_label, id) => {
    const { status, message } = await refused(
      "/webhooks/customers/redact",
      signed("customers/redact", EU, customersRedact(EU, { id, email: "a@example.com" })),
    );
    expect(status).toBe(400);
    expect(message).toMatch(/^The customers\/redact payload is not what Shopify sends: customer\.id: /);
    expect(message).toMatch(/Shopify id/);
  });

  it.each([
    ["orders/create", null, "(body): expected a JSON object"],
    ["orders/updated", [], "(body): expected a JSON object"],
    ["orders/cancelled", { id: 0 }, "id: expected a Shopify Order id"],
    ["orders/edited", { order_edit: { order_id: "abc" } }, "order_edit.order_id: expected a Shopify Order id"],
    ["customers/update", { id: -1, email: "a@example.com" }, "id: expected a Shopify Customer id"],
    ["customers/create", { email: "no-id@example.com" }, "id: expected a Shopify Customer id, got null"],
    ["customers/delete", { id: "gid://shopify/Order/5" }, "id: expected a Shopify Customer id"],
    ["refunds/create", { id: 5, order_id: "5; DROP" }, "order_id: expected a Shopify Order id"],
    ["fulfillments/create", { id: 1.5, order_id: 5 }, "id: expected a Shopify Fulfillment id"],
    ["fulfillment_events/create", { id: 7, order_id: 5 }, "fulfillment_id: expected a Shopify Fulfillment id"],
  ])("refuses a %s payload that is not an object with Shopify ids: %j", async (topic, payload, problem) => {
    const { status, message } = await refused(`/webhooks/${topic}`, signed(topic, EU, payload));
    expect(status).toBe(400);
    expect(message).toContain(`The ${topic} payload is not what Shopify sends: `);
    expect(message).toContain(problem);
  });

  it("refuses order ids and a shop id that are not Shopify ids", async () => {
    const orders = await refused(
      "/webhooks/customers/redact",
      signed("customers/redact", EU, { ...customersRedact(EU), orders_to_redact: [1, "x"] }),
    );
    expect(orders.status).toBe(400);
    expect(orders.message).toMatch(/orders_to_redact\.1: /);
    const shopId = await refused(
      "/webhooks/shop/redact",
      signed("shop/redact", EU, { shop_id: "954889; DROP", shop_domain: EU }),
    );
    expect(shopId.status).toBe(400);
    expect(shopId.message).toMatch(/shop_id: /);
  });

  it("accepts ids as numbers, numeric strings and GIDs of the right type", async () => {
    const [ava] = stack.emulator.shop(EU).customers();
    for (const id of [ava!.id, String(ava!.id), `gid://shopify/Customer/${ava!.id}`]) {
      const body = { ...customersRedact(EU, { id, email: null }), orders_requested: [], data_request: { id: 1 } };
      const { body: text, headers } = signed("customers/data_request", EU, body);
      expect((await post("/webhooks/customers/data_request", text, headers)).status).toBe(200);
    }
    await settled();
    const requests = await db.complianceRequest.findMany({
      where: { shopDomain: EU, topic: "customers/data_request" },
    });
    expect(requests.map((request) => request.customerId)).toEqual([ava!.id, ava!.id, ava!.id].map(String));
  });
});

describe("shop/redact for a shop that has the app installed", () => {
  it("is acknowledged and ignored, with a log line saying why", async () => {
    const before = await snapshot();
    stack.emulator.sendCompliance(US, "shop/redact");
    await settled();
    const event = await db.webhookEvent.findFirstOrThrow({ where: { shopDomain: US, topic: "shop/redact" } });
    expect(event.status).toBe("skipped");
    const after = await snapshot();
    expect(after.shops).toEqual(before.shops);
    expect(after.sessions).toBe(before.sessions);
    expect(after.events.filter((row) => row.shopDomain === US && row.topic !== "shop/redact")).toEqual(
      before.events.filter((row) => row.shopDomain === US),
    );
    expect(stack.emulator.deliveries.filter((entry) => entry.topic === "shop/redact").map((e) => e.state)).toEqual([
      "delivered",
    ]);
    expect(logLines).toContainEqual(
      expect.objectContaining({
        level: "warn",
        shop: US,
        msg: "shop/redact ignored: the shop has the app installed (Shopify sends it 48 hours after an uninstall)",
      }),
    );
  });

  it("is ignored for a shop reinstalled after its uninstall", async () => {
    stack.emulator.uninstall(EU);
    await settled();
    expect((await db.shop.findUniqueOrThrow({ where: { domain: EU } })).uninstalledAt).not.toBeNull();
    expect((await stack.install(EU)).status).toBe(200);
    stack.emulator.sendCompliance(EU, "shop/redact");
    await settled();
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: EU } });
    expect(shop.uninstalledAt).toBeNull();
    expect(await db.session.count({ where: { shop: EU } })).toBe(1);
    const event = await db.webhookEvent.findFirstOrThrow({ where: { shopDomain: EU, topic: "shop/redact" } });
    expect(event.status).toBe("skipped");
  });
});

describe("bodies and headers no Shopify delivery has", () => {
  it("answers a signed body that is not JSON with 400", async () => {
    const { status, message } = await refused(
      "/webhooks/app/scopes_update",
      signedText("app/scopes_update", EU, '{"current": ["read_orders"'),
    );
    expect(status).toBe(400);
    expect(message).toMatch(/^The webhook body is not valid JSON/);
  });

  it("answers a signed body nested 100,000 levels deep with 400", async () => {
    const depth = 100_000;
    const body = `{"current": [], "updated_at": null, "x": ${"[".repeat(depth)}${"]".repeat(depth)}}`;
    const { status, message } = await refused("/webhooks/app/scopes_update", signedText("app/scopes_update", EU, body));
    expect(status).toBe(400);
    expect(message).toBe("The webhook body nests JSON deeper than 64 levels, which no Shopify payload does.");
  });

  it.each([
    "evil.example.com",
    "maple-goods-eu.myshopify.com.evil.example",
    "maple-goods-eu.myshopify.com:443",
    "Maple-Goods-EU.myshopify.com",
    "maple goods.myshopify.com",
    ".myshopify.com",
    "-maple.myshopify.com",
  ])("answers a signed delivery for shop header %j with 400", async (shop) => {
    const { status, message } = await refused(
      "/webhooks/app/scopes_update",
      signed("app/scopes_update", shop, { current: [], updated_at: null }),
    );
    expect(status).toBe(400);
    expect(message).toBe(
      `The X-Shopify-Shop-Domain header (${JSON.stringify(shop)}) is not a shop's myshopify.com domain.`,
    );
  });

  it("answers a signed 20 MB body with 413 before reading it (Content-Length)", async () => {
    const body = JSON.stringify({ current: [], updated_at: null, padding: "x".repeat(20 * 1024 * 1024) });
    const { status, message } = await refused("/webhooks/app/scopes_update", signedText("app/scopes_update", EU, body));
    expect(status).toBe(413);
    expect(message).toBe("The webhook body is larger than 5 MiB (5242880 bytes); nothing was stored.");
  });

  it("answers a signed 20 MB body sent without a Content-Length with 413 (bytes counted while reading)", async () => {
    const text = JSON.stringify({ current: [], updated_at: null, padding: "x".repeat(20 * 1024 * 1024) });
    const { headers } = signedText("app/scopes_update", EU, text);
    const bytes = Buffer.from(text);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 1 << 20)
          controller.enqueue(bytes.subarray(offset, offset + (1 << 20)));
        controller.close();
      },
    });
    const { status, message } = await refused(
      "/webhooks/app/scopes_update",
      { body: stream, headers },
      { duplex: "half" },
    );
    expect(status).toBe(413);
    expect(message).toMatch(/larger than 5 MiB/);
  });

  it("accepts a signed body just under the limit", async () => {
    const padding = "x".repeat(5 * 1024 * 1024 - 200);
    const { body, headers } = signed("app/scopes_update", US, { current: ["read_orders"], updated_at: null, padding });
    expect(Buffer.byteLength(body)).toBeLessThan(5 * 1024 * 1024);
    expect((await post("/webhooks/app/scopes_update", body, headers)).status).toBe(200);
    await settled();
  });
});

describe("text PostgreSQL cannot store, in a genuine Shopify payload", () => {
  it("is stored with NUL removed and lone surrogates replaced, then processed", async () => {
    const [ava] = stack.emulator.shop(EU).customers();
    const payload = {
      shop_id: shopIdOf(EU),
      shop_domain: EU,
      customer: { id: ava!.id, email: ava!.email, phone: "\u0000" },
      orders_requested: [],
      data_request: { id: 77 },
      "note\u0000": "broken \ud800 text\u0000",
    };
    const { body, headers } = signed("customers/data_request", EU, payload);
    expect(body).toContain("\\u0000");
    expect(body).toContain("\\ud800");
    const response = await post("/webhooks/customers/data_request", body, headers);
    expect(response.status).toBe(200);
    await settled();
    const event = await db.webhookEvent.findFirstOrThrow({
      where: { shopDomain: EU, eventId: headers["x-shopify-event-id"] },
    });
    expect(event.status).toBe("processed");
    expect(event.payload).toMatchObject({
      customer: { id: ava!.id, email: ava!.email, phone: "" },
      note: "broken \ufffd text",
    });
    expect(
      await db.complianceRequest.count({
        where: { shopDomain: EU, report: { path: ["dataRequestId"], equals: "77" } },
      }),
    ).toBe(1);
  });
});

describe("a body that is not valid UTF-8", () => {
  it("is stored with the broken bytes replaced, then processed (the bytes are never stored as they came)", async () => {
    const payload = JSON.stringify({ current: ["read_orders"], updated_at: null, note: "café BROKEN" });
    // "BROKEN" becomes a lone 0xFF byte and a truncated two-byte sequence: not UTF-8 at all.
    const [before, after] = payload.split("BROKEN") as [string, string];
    const bytes = Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xc3]), Buffer.from(after)]);
    const headers: Record<string, string> = {
      ...webhookHeaders({ topic: "app/scopes_update", shop: US, body: "" }, TEST_APP.apiSecret),
      "x-shopify-hmac-sha256": webhookHmac(bytes, TEST_APP.apiSecret),
    };
    const response = await post("/webhooks/app/scopes_update", bytes, headers);
    expect(response.status).toBe(200);
    await settled();
    const event = await db.webhookEvent.findFirstOrThrow({
      where: { shopDomain: US, eventId: headers["x-shopify-event-id"] },
    });
    expect(event.status).toBe("processed");
    expect(event.payload).toMatchObject({ note: "café \ufffd\ufffd" });
  });
});

describe("the payload as Shopify sent it", () => {
  // Older than the customer the import holds, so processing them changes nothing.
  const OLD_TIMES = `"created_at": "2020-01-01T00:00:00Z", "updated_at": "2020-01-01T00:00:00Z"`;

  it("is stored as the very text that arrived: its key order and spacing, no re-encoding", async () => {
    const [, bea] = stack.emulator.shop(US).customers();
    const body = `{"id":${bea!.id},  "note": "kept  as sent",\n "email": ${JSON.stringify(bea!.email)}, "admin_graphql_api_id": "gid://shopify/Customer/${bea!.id}", ${OLD_TIMES}}`;
    const { headers } = signedText("customers/update", US, body);
    expect((await post("/webhooks/customers/update", body, headers)).status).toBe(200);
    const [stored] = await db.$queryRaw<{ text: string }[]>`
      SELECT payload::text AS text FROM "WebhookEvent" WHERE "shopDomain" = ${US} AND "eventId" = ${headers["x-shopify-event-id"]}`;
    expect(stored!.text).toBe(body);
  });

  it("is found and erased for a privacy request when it writes the shopper's email with \\u escapes", async () => {
    const [, bea] = stack.emulator.shop(US).customers();
    const email = bea!.email!.toLowerCase();
    const escapedEmail = email.replace("@", "\\u0040").replace(".", "\\u002e");
    const body = `{"id":${bea!.id},"email":"${escapedEmail}","admin_graphql_api_id":"gid://shopify/Customer/${bea!.id}",${OLD_TIMES}}`;
    expect(body).not.toContain(email);
    const { headers } = signedText("customers/update", US, body);
    expect((await post("/webhooks/customers/update", body, headers)).status).toBe(200);
    await settled();
    // Searched by email only, so the id in the payload does not find it.
    const request = { shopDomain: US, customer: { email }, orderIds: [] };
    const report = (await collectCustomerData(request)) as { webhookEvents: { eventId: string }[] };
    expect(report.webhookEvents.map((event) => event.eventId)).toContain(headers["x-shopify-event-id"]);
    await eraseCustomerData(request);
    const event = await db.webhookEvent.findFirstOrThrow({
      where: { shopDomain: US, eventId: headers["x-shopify-event-id"] },
    });
    expect(event.payload).toEqual({ redacted: true });
    expect(event.redactedAt).not.toBeNull();
  });
});

describe("log lines", () => {
  it("name the shop on every webhook and webhook-job line, failures included", async () => {
    // An order payload the sync cannot read fails its job (left for Shopify's retry and reconcile).
    const { body, headers } = signed("orders/updated", US, { id: 5, note: "no order fields" });
    expect((await post("/webhooks/orders/updated", body, headers)).status).toBe(200);
    await eventually(() => logLines.some((line) => line.job === "webhook-process" && line.level === "error"));

    const webhookLines = logLines.filter(
      (line) => "webhookId" in line || "webhookEventId" in line || line.job === "webhook-process",
    );
    expect(webhookLines.length).toBeGreaterThan(0);
    expect(webhookLines.filter((line) => typeof line.shop !== "string")).toEqual([]);
    expect(logLines.filter((line) => line.job === "webhook-process" && line.level === "error")[0]).toMatchObject({
      msg: "job failed; will retry",
      shop: US,
    });
    expect(logLines.filter((line) => line.shop === "unknown" || line.shop === "unknown shop")).toEqual([]);
  });
});

/** The server processes of the intake's connections to this test database, by pid. */
function intakeConnections() {
  return db.$queryRaw<{ pid: number; state: string | null; waitEventType: string | null; query: string }[]>`
    SELECT pid, state, wait_event_type AS "waitEventType", query FROM pg_stat_activity
    WHERE application_name = 'shopdesk-webhook-intake' AND datname = current_database()
    ORDER BY pid`;
}

describe("the intake's connections between storms", () => {
  it("stay open through a quiet spell longer than node-postgres's default 10 s idle timeout", async () => {
    const intakeBackends = async () => (await intakeConnections()).map(({ pid }) => pid);
    const first = signed("app/scopes_update", US, { current: ["read_orders"], updated_at: null });
    expect((await post("/webhooks/app/scopes_update", first.body, first.headers)).status).toBe(200);
    const before = await intakeBackends();
    expect(before.length).toBeGreaterThan(0);

    // A storm after a lull must not first wait for new server processes and authentication.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    expect(await intakeBackends()).toEqual(before);
    const next = signed("app/scopes_update", US, { current: ["read_orders", "read_customers"], updated_at: null });
    expect((await post("/webhooks/app/scopes_update", next.body, next.headers)).status).toBe(200);
    expect(await intakeBackends()).toEqual(before);
  });
});

describe("an intake connection the server ends", () => {
  it("is dropped with a log line, and the next delivery is stored on a new one", async () => {
    const { body, headers } = signed("app/scopes_update", US, { current: ["read_orders"], updated_at: null });
    expect((await post("/webhooks/app/scopes_update", body, headers)).status).toBe(200);
    // Idle ones: the announcement that follows a stored event may still be running on one.
    await eventually(async () => (await intakeConnections()).every(({ state }) => state === "idle"));
    // A database restart or a dropped test database ends idle connections: without an error
    // listener on the pool, that is an uncaught error in the app's process.
    const pids = (await intakeConnections()).map(({ pid }) => pid);
    const ended = await db.$queryRaw<{ ended: boolean }[]>`
      SELECT pg_terminate_backend(pid) AS ended FROM unnest(${pids}::int[]) AS pid`;
    expect(ended.length).toBeGreaterThan(0);
    await eventually(() => logLines.some((line) => line.msg === "webhook intake connection lost"));

    const next = signed("app/scopes_update", US, { current: ["read_orders", "read_customers"], updated_at: null });
    expect((await post("/webhooks/app/scopes_update", next.body, next.headers)).status).toBe(200);
  });
});

describe("a delivery whose intake connection the server ends mid-write", () => {
  it("is written again on a new connection and acknowledged, not answered 500", async () => {
    // A lock holds the delivery's INSERT on the server, so the end of its connection (as in a
    // database restart) comes while the statement is in flight, every time.
    const locker = new pg.Client({ connectionString: databaseUrl });
    await locker.connect();
    const delivery = signed("app/scopes_update", US, { current: ["read_orders"], updated_at: null, locked: true });
    // Not on the locker: inside its transaction, pg_stat_activity would keep its first snapshot.
    const waitingIntakeWrites = async () =>
      (await intakeConnections()).filter(
        ({ waitEventType, query }) => waitEventType === "Lock" && query.includes('INSERT INTO "WebhookEvent"'),
      );
    try {
      await locker.query(`BEGIN; LOCK TABLE "WebhookEvent" IN SHARE ROW EXCLUSIVE MODE`);
      const answer = post("/webhooks/app/scopes_update", delivery.body, delivery.headers);
      await eventually(async () => (await waitingIntakeWrites()).length === 1);
      const firstPid = (await waitingIntakeWrites())[0]!.pid;
      await db.$queryRaw`SELECT pg_terminate_backend(${firstPid}::int)`;
      await eventually(() =>
        logLines.some((line) => line.msg === "webhook intake connection lost mid-write; writing again on another"),
      );
      // The second write waits for the same lock, on another connection.
      await eventually(async () => {
        const waiting = await waitingIntakeWrites();
        return waiting.length === 1 && waiting[0]!.pid !== firstPid;
      });
      await locker.query("COMMIT");
      expect((await answer).status).toBe(200);
    } finally {
      await locker.end();
    }
    expect(
      await db.webhookEvent.count({ where: { shopDomain: US, eventId: delivery.headers["x-shopify-event-id"] } }),
    ).toBe(1);
  });
});

describe("announcing stored events to workers in other processes", () => {
  it("sends the announcement after the events are committed, coalesced under a burst", async () => {
    const listener = new pg.Client({ connectionString: databaseUrl });
    const reader = new pg.Client({ connectionString: databaseUrl });
    await Promise.all([listener.connect(), reader.connect()]);
    // What a worker woken by each announcement would find: the burst's rows committed by then.
    const seen: Promise<number>[] = [];
    try {
      const batch = `announce-${Date.now()}`;
      listener.on("notification", () => {
        seen.push(
          reader
            .query<{ count: number }>(`SELECT count(*)::int FROM "WebhookEvent" WHERE "eventId" LIKE $1`, [
              `${batch}-%`,
            ])
            .then(({ rows }) => rows[0]!.count),
        );
      });
      await listener.query(`LISTEN ${WEBHOOK_EVENTS_CHANNEL}`);

      const events = 40;
      const results = await Promise.all(
        Array.from({ length: events }, (_, index) =>
          recordWebhookEvent({
            shopDomain: US,
            topic: "app/scopes_update",
            eventId: `${batch}-${index}`,
            webhookId: `${batch}-webhook-${index}`,
            apiVersion: "2025-07",
            triggeredAt: null,
            payloadJson: JSON.stringify({ current: ["read_orders", "read_customers"], updated_at: null }),
          }),
        ),
      );
      expect(results.every((result) => result.kind === "new")).toBe(true);

      // The last announcement comes after the last commit: a woken worker misses none of them.
      await eventually(async () => seen.length > 0 && (await Promise.all(seen)).at(-1) === events);
      // One per statement at most, not one per event: the burst shared a few statements.
      expect(seen.length).toBeLessThan(events / 4);
    } finally {
      // A later announcement must not query a closed client.
      listener.removeAllListeners("notification");
      await Promise.allSettled(seen);
      await Promise.all([listener.end(), reader.end()]);
    }
  });
});
