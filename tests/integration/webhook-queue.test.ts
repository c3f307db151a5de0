import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { customerPayload } from "../../dev/store-emulator/payloads.ts";
import { webhookHeaders } from "../../dev/store-emulator/signing.ts";
import { startIntegrationStack, TEST_APP, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill } from "../support/sync.ts";
import { eventually } from "../support/wait.ts";

// The write path of a webhook (decision 014): the route's one INSERT stores the event and is its
// place in the queue; workers claim events from the WebhookEvent table. These tests hold it to
// what the old store-then-enqueue path promised and could not always keep.
const US = "maple-goods-us.myshopify.com";

process.env.LOG_LEVEL = "debug";
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
  expect((await stack.install(US)).status).toBe(200);
  await waitForBackfill(US);
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");
const { stopJobs } = await import("~/jobs/queue.server");
const { startJobWorkers } = await import("~/jobs/workers.server");

function post(path: string, delivery: { body: string; headers: Record<string, string> }) {
  return fetch(new URL(path, stack.app.url), { method: "POST", body: delivery.body, headers: delivery.headers });
}

/** A customers/update for one of the shop's customers with a new note, as the emulator sends it. */
function customerUpdate(note: string, eventId = crypto.randomUUID()) {
  const shop = stack.emulator.shop(US);
  const customer = shop.customers()[0]!;
  const body = JSON.stringify({
    ...(customerPayload(shop.state, customer) as object),
    note,
    updated_at: new Date(Date.now() + 60_000).toISOString(),
  });
  const headers = webhookHeaders({ topic: "customers/update", shop: US, body, eventId }, TEST_APP.apiSecret);
  return { body, headers };
}

/** Lines the worker logged for one stored event, by message. */
const linesFor = (webhookEventId: string, msg: string) =>
  logLines.filter((line) => line.webhookEventId === webhookEventId && line.msg === msg);

describe("a redelivery", () => {
  it("sent 20 times at once is acknowledged every time, stored once and processed once", async () => {
    const delivery = customerUpdate("note from the storm");
    const answers = await Promise.all(Array.from({ length: 20 }, () => post("/webhooks/customers/update", delivery)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));

    const eventId = delivery.headers["x-shopify-event-id"]!;
    const events = await db.webhookEvent.findMany({ where: { shopDomain: US, eventId } });
    expect(events).toHaveLength(1);
    const event = events[0]!;
    await eventually(
      async () => (await db.webhookEvent.findUnique({ where: { id: event.id } }))?.status === "processed",
    );
    // Out of the queue once processed, and run once: one "job done" line, no failure.
    expect(await db.webhookEvent.findUnique({ where: { id: event.id } })).toMatchObject({
      attempts: 0,
      availableAt: null,
      leasedUntil: null,
    });
    expect(linesFor(event.id, "job done")).toHaveLength(1);
    expect(
      await db.shopifyCustomer.findFirst({ where: { shop: { domain: US }, note: "note from the storm" } }),
    ).not.toBeNull();

    // A later redelivery, after processing, is acknowledged and changes nothing.
    expect((await post("/webhooks/customers/update", delivery)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(linesFor(event.id, "job done")).toHaveLength(1);
    expect(await db.webhookEvent.count({ where: { shopDomain: US, eventId } })).toBe(1);
  });
});

describe("a burst of deliveries", () => {
  it("written together (group commit), each stored once with its own payload and processed, redeliveries mixed in", async () => {
    const deliveries = Array.from({ length: 30 }, (_, index) => customerUpdate(`burst note ${index}`));
    const burst = [...deliveries, ...deliveries.slice(0, 10)].sort(() => Math.random() - 0.5);
    const answers = await Promise.all(burst.map((delivery) => post("/webhooks/customers/update", delivery)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(40).fill(200));

    const eventIds = deliveries.map(({ headers }) => headers["x-shopify-event-id"]!);
    const stored = await db.webhookEvent.findMany({ where: { shopDomain: US, eventId: { in: eventIds } } });
    expect(stored).toHaveLength(30);
    for (const [index, eventId] of eventIds.entries()) {
      const event = stored.find((row) => row.eventId === eventId)!;
      expect(event).toMatchObject({
        topic: "customers/update",
        webhookId: deliveries[index]!.headers["x-shopify-webhook-id"],
      });
      expect((event.payload as { note: string }).note).toBe(`burst note ${index}`);
      expect(event.triggeredAt?.toISOString()).toBe(
        new Date(deliveries[index]!.headers["x-shopify-triggered-at"]!).toISOString(),
      );
    }
    // Same customer throughout: a payload no newer than what is stored is skipped (order-safe).
    await eventually(
      async () =>
        (await db.webhookEvent.count({
          where: {
            id: { in: stored.map(({ id }) => id) },
            status: { in: ["processed", "skipped"] },
            availableAt: null,
          },
        })) === 30,
    );
  });
});

describe("an acknowledged event", () => {
  it("stored while no worker runs (a crash right after the 200) is processed once a worker starts", async () => {
    await stopJobs();
    try {
      const delivery = customerUpdate("stored while the workers were down");
      expect((await post("/webhooks/customers/update", delivery)).status).toBe(200);
      const event = await db.webhookEvent.findFirstOrThrow({
        where: { shopDomain: US, eventId: delivery.headers["x-shopify-event-id"]! },
      });
      // Nothing else was needed to queue it: the stored row is due now.
      expect(event.status).toBe("received");
      expect(event.availableAt).not.toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await db.webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).status).toBe("received");

      await startJobWorkers();
      await eventually(
        async () => (await db.webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).status === "processed",
      );
    } finally {
      await startJobWorkers();
    }
  });

  it("claimed by a worker that died is taken over once its lease runs out, and logged as recovered", async () => {
    await stopJobs();
    let eventId = "";
    try {
      const delivery = customerUpdate("claimed by a worker that crashed");
      expect((await post("/webhooks/customers/update", delivery)).status).toBe(200);
      const event = await db.webhookEvent.findFirstOrThrow({
        where: { shopDomain: US, eventId: delivery.headers["x-shopify-event-id"]! },
      });
      eventId = event.id;
      // What a worker killed mid-event leaves behind: its claim, running out.
      const { claimWebhookEvents } = await import("~/models/webhook-event.server");
      expect((await claimWebhookEvents(50, 1)).map(({ id }) => id)).toContain(event.id);
      await startJobWorkers();
      const startedAt = Date.now();
      await eventually(
        async () => (await db.webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).status === "processed",
      );
      // Well within the 15 s lease a crashed worker leaves (this one was 1 s).
      expect(Date.now() - startedAt).toBeLessThan(5_000);
    } finally {
      await startJobWorkers();
    }
    expect(linesFor(eventId, "webhook event recovered: its worker's lease ran out before it finished")).toHaveLength(1);
    expect(
      linesFor(eventId, "webhook event recovered: its worker's lease ran out before it finished")[0],
    ).toMatchObject({
      level: "warn",
      shop: US,
    });
  });
});

describe("processing that keeps failing", () => {
  it("retries, then files the event in the Job ledger, whose Retry runs it again", async () => {
    // An order payload the sync cannot read fails every attempt.
    const body = JSON.stringify({ id: 5, note: "no order fields" });
    const headers = webhookHeaders({ topic: "orders/updated", shop: US, body }, TEST_APP.apiSecret);
    expect((await post("/webhooks/orders/updated", { body, headers })).status).toBe(200);
    const event = await db.webhookEvent.findFirstOrThrow({
      where: { shopDomain: US, eventId: headers["x-shopify-event-id"]! },
    });
    await eventually(async () => (await db.webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).attempts === 1);
    const afterFirst = await db.webhookEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(afterFirst.status).toBe("failed");
    // Due again later (backoff), not now.
    expect(afterFirst.availableAt!.getTime()).toBeGreaterThan(Date.now() + 2_000);

    // Skip to the last attempt rather than wait out the backoff.
    await db.webhookEvent.update({ where: { id: event.id }, data: { attempts: 6, availableAt: new Date() } });
    const { listDeadJobs, retryDeadJob } = await import("~/jobs/dead-letters.server");
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: US } });
    const dead = await eventually(async () => {
      const [entry] = await listDeadJobs({ shopId: shop.id, queue: "webhook-process" });
      return entry ?? null;
    });
    expect(dead).toMatchObject({ attempts: 7, data: { webhookEventId: event.id, shopDomain: US } });
    expect(dead.error).toMatch(/expected/);
    expect(await db.webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({
      status: "failed",
      attempts: 7,
      availableAt: null,
    });

    // The ledger's Retry runs the event again (and it fails again: an eighth attempt).
    expect(await retryDeadJob(dead.id)).not.toBeNull();
    await eventually(async () => (await db.webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).attempts === 8);
  });
});

describe("malformed deliveries", () => {
  it("get a 4xx, store nothing and wake no worker", async () => {
    const before = await db.webhookEvent.count();
    const good = customerUpdate("never stored");
    const badHmac = { ...good, headers: { ...good.headers, "x-shopify-hmac-sha256": "AAAA" } };
    const notJson = (() => {
      const body = "{not json";
      return { body, headers: webhookHeaders({ topic: "customers/update", shop: US, body }, TEST_APP.apiSecret) };
    })();
    const noId = (() => {
      const body = JSON.stringify({ email: "no-id@example.com" });
      return { body, headers: webhookHeaders({ topic: "customers/update", shop: US, body }, TEST_APP.apiSecret) };
    })();
    const withoutHeaders = { body: good.body, headers: { "content-type": "application/json" } };
    const statuses = [];
    for (const delivery of [badHmac, notJson, noId, withoutHeaders]) {
      const answer = await post("/webhooks/customers/update", delivery);
      statuses.push({ status: answer.status, message: await answer.text() });
    }
    expect(statuses.map(({ status }) => status)).toEqual([401, 400, 400, 400]);
    expect(statuses[3]!.message).toMatch(/not a Shopify webhook delivery/);
    expect(await db.webhookEvent.count()).toBe(before);
  });
});
