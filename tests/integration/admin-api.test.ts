import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Logger } from "~/lib/logger.server";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill } from "../support/sync.ts";

// The Admin API client against the store emulator over real HTTP, through the library's
// unauthenticated admin context (the offline session stored at install), as a background job uses it.

const SHOP = "north-trail.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 5, customersPerShop: 3 } });
  expect((await stack.install(SHOP)).status).toBe(200);
  // Install starts the import, which talks to the same shop: let it finish so the failures and
  // throttling injected below meet only the requests these tests send.
  await waitForBackfill(SHOP);
});
afterAll(() => stack.stop());

const { unauthenticated } = await import("~/shopify.server");
const { AdminApiError, adminForShop, createAdminQueryRunner } = await import("~/services/shopify/admin-graphql.server");

interface LogLine {
  level: string;
  message: string;
  fields: Record<string, unknown>;
}

function recordingLogger(lines: LogLine[] = []): Logger & { lines: LogLine[] } {
  const write =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      lines.push({ level, message, fields });
  const logger: Logger & { lines: LogLine[] } = {
    lines,
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: () => logger,
  };
  return logger;
}

/** A runner with its own cost budget and a logger we can read; real clock, real retry policy. */
async function setup() {
  const logger = recordingLogger();
  const run = createAdminQueryRunner({ logger });
  const { admin, session } = await unauthenticated.admin(SHOP);
  return { run, logger, admin: adminForShop(session.shop, admin) };
}

/** Statuses of the GraphQL requests the emulator saw for the shop from here on. */
function requestsFrom() {
  const start = stack.emulator.requests.length;
  return () =>
    stack.emulator.requests
      .slice(start)
      .filter((request) => request.shop === SHOP && request.path.endsWith("/graphql.json"))
      .map((request) => request.status);
}

const ShopNameSchema = z.object({ shop: z.object({ name: z.string() }) });
const OrdersSchema = z.object({ orders: z.object({ nodes: z.array(z.object({ id: z.string() })) }) });

describe("Admin API over real HTTP", () => {
  it("rides over two 503s (honouring Retry-After) and returns the data", async () => {
    const { run, logger, admin } = await setup();
    const statuses = requestsFrom();
    stack.emulator.failNext(SHOP, 2, "503");

    const result = await run(admin, `query ShopNameAfter503 { shop { name } }`, ShopNameSchema);

    expect(result.shop.name).toBe("North Trail Outfitters");
    expect(statuses()).toEqual([503, 503, 200]);
    const retries = logger.lines.filter((line) => line.message === "Admin API call failed; retrying");
    expect(retries.map((line) => line.fields.status)).toEqual([503, 503]);
    for (const retry of retries) expect(retry.fields.waitMs).toBeGreaterThanOrEqual(1000); // Retry-After: 1
  });

  it("resends a query whose connection was dropped", async () => {
    const { run, admin } = await setup();
    const statuses = requestsFrom();
    stack.emulator.failNext(SHOP, 1, "drop");

    const result = await run(admin, `query ShopNameAfterDrop { shop { name } }`, ShopNameSchema);

    expect(result.shop.name).toBe("North Trail Outfitters");
    expect(statuses()).toEqual([0, 200]);
  });

  it("waits out a THROTTLED answer for (requested − available) / restoreRate and succeeds on the next try", async () => {
    const { run, logger, admin } = await setup();
    const statuses = requestsFrom();
    stack.emulator.setThrottle(SHOP, 0);
    const startedAt = Date.now();

    const result = await run(admin, `query ThrottledOrders { orders(first: 40) { nodes { id } } }`, OrdersSchema);

    expect(result.orders.nodes.length).toBeGreaterThan(0);
    const wait = logger.lines.find((line) => line.message.startsWith("Throttled by Shopify"));
    const { requestedCost, available, restoreRate, waitMs } = wait?.fields as Record<string, number>;
    expect(requestedCost).toBeGreaterThan(40);
    expect(restoreRate).toBe(100); // the emulator's, like a standard plan's
    // The bucket refills from the moment it was emptied: by the time the query reached the emulator
    // (later on a busy machine) it held a little, which the wait takes off.
    expect(available).toBeLessThan(requestedCost!);
    const needed = ((requestedCost! - available!) / restoreRate!) * 1000;
    expect(waitMs).toBeGreaterThanOrEqual(needed);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(needed);
    expect(statuses()).toEqual([200, 200]); // THROTTLED is an HTTP 200; one wait was enough
  });

  it("waits before sending when the last answer says the bucket cannot pay for the query", async () => {
    const { run, logger, admin } = await setup();
    const document = `query BudgetedOrders { orders(first: 40) { nodes { id } } }`;
    stack.emulator.setThrottle(SHOP, 2000);
    await run(admin, document, OrdersSchema); // learns the document's cost (42)
    stack.emulator.setThrottle(SHOP, 30);
    await run(admin, `query ShopNameProbe { shop { name } }`, ShopNameSchema); // learns the near-empty bucket
    const statuses = requestsFrom();

    await run(admin, document, OrdersSchema);

    const budgetWait = logger.lines.find((line) => line.message === "Waiting for query cost budget");
    expect(budgetWait?.fields).toMatchObject({ expectedCost: 42 });
    expect(budgetWait?.fields.waitMs).toBeGreaterThan(0);
    expect(logger.lines.find((line) => line.message.startsWith("Throttled by Shopify"))).toBeUndefined();
    expect(statuses()).toEqual([200]);
  });

  it("fails an invalid query with an AdminApiError at once, without retrying", async () => {
    const { run, logger, admin } = await setup();
    const statuses = requestsFrom();

    const error = await run(admin, `query NoSuchField { shop { nope } }`, ShopNameSchema).catch(
      (thrown: unknown) => thrown,
    );

    expect(error).toBeInstanceOf(AdminApiError);
    expect(error).toMatchObject({
      reason: "graphql-errors",
      shop: SHOP,
      operationName: "NoSuchField",
      attempts: 1,
      graphqlErrors: [{ message: "Field 'nope' doesn't exist on type 'Shop'", code: "undefinedField" }],
    });
    expect(statuses()).toHaveLength(1);
    expect(logger.lines.filter((line) => line.level === "error")).toHaveLength(1);
  });

  describe("a mutation whose connection was dropped", () => {
    const SET_NOTE = `mutation SetCustomerNote($input: CustomerInput!) {
      customerUpdate(input: $input) { customer { note } userErrors { message } }
    }`;
    const customer = () => stack.emulator.shop(SHOP).customers()[0]!;
    const input = (note: string) => ({ input: { id: `gid://shopify/Customer/${customer().id}`, note } });

    it("is not resent by default: Shopify may have run it", async () => {
      const { run, logger, admin } = await setup();
      const statuses = requestsFrom();
      stack.emulator.failNext(SHOP, 1, "drop");

      const error = await run(admin, SET_NOTE, z.unknown(), input("Asked for a refund")).catch(
        (thrown: unknown) => thrown,
      );

      expect(error).toMatchObject({ reason: "network", attempts: 1, operationName: "SetCustomerNote" });
      expect(statuses()).toEqual([0]);
      expect(customer().note).not.toBe("Asked for a refund");
      expect(JSON.stringify(logger.lines)).not.toContain("Asked for a refund");
    });

    it("is resent when the caller marks it idempotent", async () => {
      const { run, admin } = await setup();
      const statuses = requestsFrom();
      stack.emulator.failNext(SHOP, 1, "drop");

      await run(admin, SET_NOTE, z.unknown(), input("Prefers email"), { idempotent: true });

      expect(statuses()).toEqual([0, 200]);
      expect(customer().note).toBe("Prefers email");
    });
  });
});
