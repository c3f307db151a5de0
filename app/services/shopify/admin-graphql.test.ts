import { GraphqlQueryError, HttpInternalError, HttpRequestError, HttpThrottlingError } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Logger } from "~/lib/logger.server";
import {
  AdminApiError,
  DEFAULT_EXPECTED_QUERY_COST,
  DEFAULT_RETRY_POLICY,
  QueryCostTracker,
  adminForShop,
  createAdminQueryRunner,
  describeOperation,
  type AdminGraphqlClient,
  type Clock,
  type RetryPolicy,
} from "./admin-graphql.server";

const SHOP = "maple-goods-eu.myshopify.com";
const OTHER_SHOP = "north-trail.myshopify.com";

const SHOP_NAME_QUERY = `query ShopName { shop { name } }`;
const ORDERS_QUERY = `query RecentOrders($first: Int!) { orders(first: $first) { nodes { id } } }`;
const CUSTOMER_QUERY = `query CustomerByEmail($email: String!) { customers(first: 1, query: $email) { nodes { id } } }`;
const TAG_MUTATION = `mutation TagCustomer($id: ID!) { tagsAdd(id: $id, tags: ["vip"]) { userErrors { message } } }`;

const ShopNameSchema = z.object({ shop: z.object({ name: z.string() }) });
const AnySchema = z.unknown();

// ---- Fakes ------------------------------------------------------------------------------------

/** Advances only when slept on, and remembers every wait. */
function fakeClock(start = 1_000_000): Clock & { sleeps: number[]; advance(ms: number): void } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

interface LogLine {
  level: "debug" | "info" | "warn" | "error";
  message: string;
  fields: Record<string, unknown>;
}

function recordingLogger(lines: LogLine[] = [], bindings: Record<string, unknown> = {}): Logger & { lines: LogLine[] } {
  const write = (level: LogLine["level"]) => (message: string, fields?: Record<string, unknown>) =>
    lines.push({ level, message, fields: { ...bindings, ...fields } });
  return {
    lines,
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: (more) => recordingLogger(lines, { ...bindings, ...more }),
  };
}

/** A Response to return, an Error to throw, or anything else to throw (the library throws Responses). */
type Step = Response | Error | { throws: unknown };

/** Answers each call with the next scripted step. */
function scriptedClient(steps: Step[]): AdminGraphqlClient & { calls: { query: string; variables?: unknown }[] } {
  const calls: { query: string; variables?: unknown }[] = [];
  return {
    calls,
    async graphql(query, options) {
      calls.push({ query, variables: options?.variables });
      const step = steps.shift();
      if (!step) throw new Error("scriptedClient: no answer left for this call");
      if (step instanceof Error) throw step;
      if (step instanceof Response) return step;
      throw step.throws;
    },
  };
}

function cost(requested: number, available: number, restoreRate = 100, maximum = 2000) {
  return {
    requestedQueryCost: requested,
    actualQueryCost: requested,
    throttleStatus: { maximumAvailable: maximum, currentlyAvailable: available, restoreRate },
  };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

const shopName = (name = "Maple Goods EU", queryCost = cost(1, 1999)) =>
  json({ data: { shop: { name } }, extensions: { cost: queryCost } });

const throttled = (queryCost: ReturnType<typeof cost>) =>
  json({
    errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
    extensions: { cost: { ...queryCost, actualQueryCost: null } },
  });

const status = (code: number, headers: Record<string, string> = {}) =>
  new Response(`<html><body>${code}</body></html>`, {
    status: code,
    headers: { "content-type": "text/html", ...headers },
  });

const droppedConnection = () =>
  new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) });

function setup(options: { random?: () => number; retry?: Partial<RetryPolicy>; costs?: QueryCostTracker } = {}) {
  const clock = fakeClock();
  const logger = recordingLogger();
  const costs = options.costs ?? new QueryCostTracker();
  const run = createAdminQueryRunner({
    clock,
    logger,
    costs,
    random: options.random ?? (() => 0.5),
    retry: options.retry,
  });
  return { clock, logger, costs, run };
}

async function failureOf(promise: Promise<unknown>): Promise<AdminApiError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AdminApiError);
  return error as AdminApiError;
}

// ---- Tests ------------------------------------------------------------------------------------

describe("runAdminQuery: a plain call", () => {
  it("parses data and logs one debug line with cost, availability and duration, variable names only", async () => {
    const { run, logger } = setup();
    const client = scriptedClient([json({ data: { customers: { nodes: [] } }, extensions: { cost: cost(3, 1997) } })]);
    const email = "jane.doe@example.com";
    await run(client, CUSTOMER_QUERY, AnySchema, { email }, { shop: SHOP });

    expect(client.calls[0]!.variables).toEqual({ email });
    expect(logger.lines).toEqual([
      {
        level: "debug",
        message: "Admin API call",
        fields: expect.objectContaining({
          shop: SHOP,
          operation: "CustomerByEmail",
          requestedCost: 3,
          available: 1997,
          durationMs: 0,
          attempts: 1,
          variables: ["email"],
        }),
      },
    ]);
    expect(JSON.stringify(logger.lines)).not.toContain(email);
  });

  it("reads the shop from a client tagged with adminForShop", async () => {
    const { run, logger } = setup();
    const client = adminForShop(SHOP, scriptedClient([shopName()]));
    await expect(run(client, SHOP_NAME_QUERY, ShopNameSchema)).resolves.toEqual({ shop: { name: "Maple Goods EU" } });
    expect(logger.lines[0]!.fields.shop).toBe(SHOP);
  });

  it("answers text PostgreSQL can store: NUL removed, lone surrogates replaced", async () => {
    const { run } = setup();
    const client = scriptedClient([shopName("Maple\u0000 Goods \ud800EU")]);
    await expect(run(client, SHOP_NAME_QUERY, ShopNameSchema, undefined, { shop: SHOP })).resolves.toEqual({
      shop: { name: "Maple Goods \ufffdEU" },
    });
  });

  it("fails with a response-shape AdminApiError, without resending, when data drifts from the schema", async () => {
    const { run } = setup();
    const client = scriptedClient([json({ data: { shop: { name: 42 } } })]);
    const error = await failureOf(run(client, SHOP_NAME_QUERY, ShopNameSchema, undefined, { shop: SHOP }));
    expect(error).toMatchObject({ reason: "response-shape", attempts: 1, operationName: "ShopName" });
    expect(client.calls).toHaveLength(1);
  });
});

describe("cost budget", () => {
  it("waits for the points the same document asked for last time, restored at restoreRate", async () => {
    const { run, clock, logger } = setup();
    const client = scriptedClient([
      json({ data: {}, extensions: { cost: cost(100, 30, 50) } }),
      json({ data: {}, extensions: { cost: cost(100, 0, 50) } }),
    ]);
    await run(client, ORDERS_QUERY, AnySchema, { first: 99 }, { shop: SHOP });
    expect(clock.sleeps).toEqual([]);

    clock.advance(1000); // 30 + 50 restored = 80 of the 100 needed
    await run(client, ORDERS_QUERY, AnySchema, { first: 99 }, { shop: SHOP });
    expect(clock.sleeps).toEqual([400]); // (100 - 80) / 50 per second
    expect(logger.lines.find((line) => line.level === "warn")).toMatchObject({
      message: "Waiting for query cost budget",
      fields: { waitMs: 400, expectedCost: 100, available: 80, shop: SHOP },
    });
  });

  it("expects the conservative default cost of a document it has not seen answered", async () => {
    const { run, clock } = setup();
    const client = scriptedClient([shopName("Maple", cost(1, 40, 100)), json({ data: {} })]);
    await run(client, SHOP_NAME_QUERY, ShopNameSchema, undefined, { shop: SHOP });
    await run(client, ORDERS_QUERY, AnySchema, { first: 5 }, { shop: SHOP });
    expect(clock.sleeps).toEqual([((DEFAULT_EXPECTED_QUERY_COST - 40) / 100) * 1000]);
  });

  it("queues concurrent calls for one shop behind each other's reserved points", async () => {
    const costs = new QueryCostTracker();
    costs.observe(SHOP, ORDERS_QUERY, cost(100, 150, 50), 0);
    expect(costs.reserve(SHOP, ORDERS_QUERY, 0).waitMs).toBe(0); // 150 → 50 left
    expect(costs.reserve(SHOP, ORDERS_QUERY, 0).waitMs).toBe(1000); // needs 50 more
    expect(costs.reserve(SHOP, ORDERS_QUERY, 0).waitMs).toBe(3000); // and then 100 more
  });

  it("holds background work back until the bucket keeps leaveInBucket points for a person's page", async () => {
    const { run, clock } = setup();
    const client = scriptedClient([
      json({ data: {}, extensions: { cost: cost(100, 250, 50) } }),
      json({ data: {}, extensions: { cost: cost(100, 150, 50) } }),
    ]);
    await run(client, ORDERS_QUERY, AnySchema, { first: 99 }, { shop: SHOP });
    // 250 available; 100 for this call + 300 left for others = 400: waits (400 - 250) / 50 s.
    await run(client, ORDERS_QUERY, AnySchema, { first: 99 }, { shop: SHOP, leaveInBucket: 300 });
    expect(clock.sleeps).toEqual([3000]);
  });

  it("lets a person's call through at once while background work waits for headroom", async () => {
    const costs = new QueryCostTracker();
    costs.observe(SHOP, ORDERS_QUERY, cost(100, 350, 50), 0);
    // The background call may not take its place in the queue: it needs 100 + 300, there are 350.
    expect(costs.headroomWaitMs(SHOP, ORDERS_QUERY, 300, 0)).toBe(1000);
    // A page load meanwhile reserves right away: the waiting background call reserved nothing.
    expect(costs.reserve(SHOP, ORDERS_QUERY, 0).waitMs).toBe(0);
  });

  it("never asks for more headroom than the bucket holds", async () => {
    const costs = new QueryCostTracker();
    costs.observe(SHOP, ORDERS_QUERY, cost(900, 2000, 100, 2000), 0);
    expect(costs.headroomWaitMs(SHOP, ORDERS_QUERY, 5000, 0)).toBe(0);
    expect(costs.headroomWaitMs(OTHER_SHOP, ORDERS_QUERY, 300, 0)).toBe(0); // nothing known yet
  });

  it("keeps each shop's bucket apart", async () => {
    const { run, clock } = setup();
    const client = scriptedClient([
      json({ data: {}, extensions: { cost: cost(100, 0, 50) } }),
      json({ data: {}, extensions: { cost: cost(100, 1900, 50) } }),
    ]);
    await run(client, ORDERS_QUERY, AnySchema, { first: 99 }, { shop: SHOP });
    await run(client, ORDERS_QUERY, AnySchema, { first: 99 }, { shop: OTHER_SHOP });
    expect(clock.sleeps).toEqual([]);
  });
});

describe("THROTTLED answers", () => {
  it("waits (requested − available) / restoreRate plus jitter, resends, and does not count it as a failure", async () => {
    // One failure allowed: two THROTTLED answers and a 502 still end in success.
    const { run, clock, logger } = setup({ random: () => 0.5, retry: { maxAttempts: 2 } });
    const client = scriptedClient([
      throttled(cost(120, 20, 50)),
      throttled(cost(120, 100, 50)),
      status(502),
      shopName(),
    ]);
    await expect(run(client, SHOP_NAME_QUERY, ShopNameSchema, undefined, { shop: SHOP })).resolves.toEqual({
      shop: { name: "Maple Goods EU" },
    });
    const jitter = 0.5 * DEFAULT_RETRY_POLICY.throttleJitterMs;
    expect(clock.sleeps.slice(0, 2)).toEqual([2000 + jitter, 400 + jitter]);
    expect(client.calls).toHaveLength(4);
    expect(logger.lines.filter((line) => line.message.startsWith("Throttled by Shopify"))).toHaveLength(2);
    expect(logger.lines.at(-1)).toMatchObject({ level: "debug", fields: { attempts: 4 } });
  });

  it("handles THROTTLED thrown by the library as a GraphqlQueryError", async () => {
    const { run, clock } = setup({ random: () => 0 });
    const libraryThrottled = new GraphqlQueryError({
      message: "Throttled",
      response: {},
      body: {
        errors: { graphQLErrors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }] },
        extensions: { cost: cost(51, 1, 100) },
      },
    });
    const client = scriptedClient([libraryThrottled, shopName()]);
    await run(client, SHOP_NAME_QUERY, ShopNameSchema, undefined, { shop: SHOP });
    expect(clock.sleeps).toEqual([500]);
  });

  it("resends a non-idempotent mutation: Shopify refused it before running it", async () => {
    const { run } = setup();
    const client = scriptedClient([throttled(cost(10, 0)), json({ data: { tagsAdd: { userErrors: [] } } })]);
    await run(client, TAG_MUTATION, AnySchema, { id: "gid://shopify/Customer/1" }, { shop: SHOP });
    expect(client.calls).toHaveLength(2);
  });

  it("gives up after maxThrottledAttempts waits", async () => {
    const { run } = setup({ retry: { maxThrottledAttempts: 2 } });
    const client = scriptedClient([throttled(cost(10, 0)), throttled(cost(10, 0)), throttled(cost(10, 0))]);
    const error = await failureOf(run(client, SHOP_NAME_QUERY, ShopNameSchema, undefined, { shop: SHOP }));
    expect(error).toMatchObject({ reason: "throttled", attempts: 3 });
  });
});

describe("retries", () => {
  it("retries a 502 and succeeds, warning with the wait", async () => {
    const { run, clock, logger } = setup({ random: () => 0.5 });
    const client = scriptedClient([status(502), shopName()]);
    await run(client, SHOP_NAME_QUERY, ShopNameSchema, undefined, { shop: SHOP });
    expect(client.calls).toHaveLength(2);
    expect(clock.sleeps).toEqual([0.5 * DEFAULT_RETRY_POLICY.baseDelayMs]);
    expect(logger.lines.find((line) => line.level === "warn")).toMatchObject({
      message: "Admin API call failed; retrying",
      fields: { status: 502, attempt: 1, waitMs: 250 },
    });
  });

  it("retries the library's HttpInternalError and honours its Retry-After as a floor", async () => {
    const { run, clock } = setup({ random: () => 0 });
    const libraryError = new HttpInternalError({
      message: "Shopify internal error",
      code: 503,
      statusText: "Service Unavailable",
      headers: { "Retry-After": ["2"] },
    });
    const client = scriptedClient([libraryError, shopName()]);
    await run(client, SHOP_NAME_QUERY, ShopNameSchema, undefined, { shop: SHOP });
    expect(clock.sleeps).toEqual([2000]);
  });

  it("retries a 429 (the library's HttpThrottlingError), even for a mutation", async () => {
    const { run, clock } = setup({ random: () => 0 });
    const tooMany = new HttpThrottlingError({ message: "throttling", code: 429, statusText: "", retryAfter: 1 });
    const client = scriptedClient([tooMany, json({ data: { tagsAdd: { userErrors: [] } } })]);
    await run(client, TAG_MUTATION, AnySchema, { id: "gid://shopify/Customer/1" }, { shop: SHOP });
    expect(clock.sleeps).toEqual([1000]);
  });

  it("retries dropped connections: fetch's TypeError and the library's HttpRequestError", async () => {
    const { run } = setup();
    const noResponse = new HttpRequestError("Http request error, no response available: GraphQL Client: fetch failed");
    const client = scriptedClient([droppedConnection(), noResponse, shopName()]);
    await run(client, SHOP_NAME_QUERY, ShopNameSchema, undefined, { shop: SHOP });
    expect(client.calls).toHaveLength(3);
  });

  it.each([400, 401, 403, 404, 422])("does not retry a %i", async (code) => {
    const { run, clock } = setup();
    const client = scriptedClient([status(code), shopName()]);
    const error = await failureOf(run(client, SHOP_NAME_QUERY, ShopNameSchema, undefined, { shop: SHOP }));
    expect(error).toMatchObject({ reason: "http-status", status: code, attempts: 1, shop: SHOP });
    expect(client.calls).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("does not retry GraphQL errors, and keeps variable values out of the error and the logs", async () => {
    const { run, logger } = setup();
    const email = "jane.doe@example.com";
    const client = scriptedClient([
      json({
        errors: [{ message: `Invalid search term '${email}'`, extensions: { code: "argumentLiteralsIncompatible" } }],
      }),
    ]);
    const error = await failureOf(run(client, CUSTOMER_QUERY, AnySchema, { email }, { shop: SHOP }));
    expect(error).toMatchObject({
      reason: "graphql-errors",
      attempts: 1,
      graphqlErrors: [{ message: "Invalid search term '[variable]'", code: "argumentLiteralsIncompatible" }],
    });
    expect(error.message).not.toContain(email);
    expect(JSON.stringify(logger.lines)).not.toContain(email);
    expect(client.calls).toHaveLength(1);
  });

  it("gives up after maxAttempts with a typed AdminApiError and one error line", async () => {
    const { run, clock, logger } = setup();
    const lastCause = droppedConnection();
    const client = scriptedClient([status(503), status(502), status(500), status(504), lastCause]);
    const error = await failureOf(run(client, SHOP_NAME_QUERY, ShopNameSchema, undefined, { shop: SHOP }));
    expect(error).toMatchObject({ shop: SHOP, operationName: "ShopName", attempts: 5, reason: "network" });
    expect(error.cause).toBe(lastCause);
    expect(client.calls).toHaveLength(DEFAULT_RETRY_POLICY.maxAttempts);
    expect(clock.sleeps).toHaveLength(DEFAULT_RETRY_POLICY.maxAttempts - 1);
    expect(logger.lines.filter((line) => line.level === "error")).toEqual([
      expect.objectContaining({ message: "Admin API call failed", fields: expect.objectContaining({ attempts: 5 }) }),
    ]);
  });

  it("keeps full-jitter backoff within [0, min(cap, base · 2^n)]", async () => {
    const policy = { baseDelayMs: 1000, maxDelayMs: 3000, maxAttempts: 6 };
    const failing = () => scriptedClient([status(503), status(503), status(503), status(503), status(503), shopName()]);

    const highest = setup({ random: () => 0.999999, retry: policy });
    await highest.run(failing(), SHOP_NAME_QUERY, ShopNameSchema, undefined, { shop: SHOP });
    const ceilings = [1000, 2000, 3000, 3000, 3000];
    highest.clock.sleeps.forEach((waitMs, index) => {
      expect(waitMs).toBeLessThanOrEqual(ceilings[index]!);
      expect(waitMs).toBeGreaterThan(ceilings[index]! * 0.99);
    });

    const lowest = setup({ random: () => 0, retry: policy });
    await lowest.run(failing(), SHOP_NAME_QUERY, ShopNameSchema, undefined, { shop: SHOP });
    expect(lowest.clock.sleeps).toEqual([0, 0, 0, 0, 0]);
  });

  it("keeps the THROTTLED jitter within throttleJitterMs", async () => {
    const { run, clock } = setup({ random: () => 0.999999 });
    const client = scriptedClient([throttled(cost(10, 0, 100)), shopName()]);
    await run(client, SHOP_NAME_QUERY, ShopNameSchema, undefined, { shop: SHOP });
    expect(clock.sleeps[0]).toBeGreaterThan(100);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(100 + DEFAULT_RETRY_POLICY.throttleJitterMs);
  });
});

describe("mutations", () => {
  const variables = { id: "gid://shopify/Customer/1" };

  it.each([
    ["a dropped connection", droppedConnection],
    ["a 502", () => status(502)],
  ])("are not resent after %s unless idempotent", async (_label, failure) => {
    const { run } = setup();
    const client = scriptedClient([failure()]);
    const error = await failureOf(run(client, TAG_MUTATION, AnySchema, variables, { shop: SHOP }));
    expect(error.attempts).toBe(1);
    expect(error.message).toMatch(/not idempotent/);
    expect(client.calls).toHaveLength(1);
  });

  it("are resent after a dropped connection when the caller says they are idempotent", async () => {
    const { run } = setup();
    const client = scriptedClient([droppedConnection(), json({ data: { tagsAdd: { userErrors: [] } } })]);
    await run(client, TAG_MUTATION, AnySchema, variables, { shop: SHOP, idempotent: true });
    expect(client.calls).toHaveLength(2);
  });

  it("are not resent for userErrors: those are data for the caller", async () => {
    const { run } = setup();
    const client = scriptedClient([json({ data: { tagsAdd: { userErrors: [{ message: "Tag is invalid" }] } } })]);
    const result = await run(client, TAG_MUTATION, AnySchema, variables, { shop: SHOP, idempotent: true });
    expect(result).toEqual({ tagsAdd: { userErrors: [{ message: "Tag is invalid" }] } });
    expect(client.calls).toHaveLength(1);
  });
});

describe("the authenticated admin's thrown Responses", () => {
  it("passes the library's 401 session-token bounce through untouched", async () => {
    const { run } = setup();
    const bounce = new Response(undefined, {
      status: 401,
      headers: { "X-Shopify-Retry-Invalid-Session-Request": "1" },
    });
    const client = scriptedClient([{ throws: bounce }]);
    const thrown = await run(client, SHOP_NAME_QUERY, ShopNameSchema).catch((error: unknown) => error);
    expect(thrown).toBe(bounce);
    expect(client.calls).toHaveLength(1);
  });

  it("retries a thrown 503 Response", async () => {
    const { run } = setup();
    const client = scriptedClient([{ throws: status(503) }, shopName()]);
    await run(client, SHOP_NAME_QUERY, ShopNameSchema, undefined, { shop: SHOP });
    expect(client.calls).toHaveLength(2);
  });

  it("wraps a thrown 403 Response in an AdminApiError without retrying", async () => {
    const { run } = setup();
    const client = scriptedClient([{ throws: status(403) }, shopName()]);
    const error = await failureOf(run(client, SHOP_NAME_QUERY, ShopNameSchema, undefined, { shop: SHOP }));
    expect(error).toMatchObject({ reason: "http-status", status: 403, attempts: 1 });
  });
});

describe("describeOperation", () => {
  it.each([
    [`#graphql\n  query ShopDetails { shop { name } }`, { type: "query", name: "ShopDetails" }],
    [
      `mutation TagCustomer($id: ID!) { tagsAdd(id: $id, tags: []) { node { id } } }`,
      { type: "mutation", name: "TagCustomer" },
    ],
    [`{ shop { name } }`, { type: "query", name: "anonymous" }],
    [`query($id: ID!) { node(id: $id) { id } }`, { type: "query", name: "anonymous" }],
    [`fragment F on Shop { name }\nmutation Save { a }`, { type: "mutation", name: "Save" }],
  ])("reads %j", (document, expected) => {
    expect(describeOperation(document)).toEqual(expected);
  });
});
