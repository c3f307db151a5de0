// The emulator over real HTTP on 127.0.0.1: GraphQL, token exchange, webhooks, throttling,
// failure injection and the control API.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { startStoreEmulator, type StoreEmulator } from "./index.ts";
import { mintSessionToken } from "./signing.ts";
import { shopFetcher } from "./testing.ts";

// Response bodies are untyped JSON here; the assertions are what checks their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const APP = { apiKey: "emulator-test-key", apiSecret: "emulator-test-secret" };
const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";
const NORTH = "north-trail.myshopify.com";

interface ReceivedWebhook {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real receiver on 127.0.0.1 that answers with the next queued status (default 200). */
async function startReceiver() {
  const received: ReceivedWebhook[] = [];
  const statuses: number[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        path: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    statuses,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let receiver: Awaited<ReturnType<typeof startReceiver>>;
let emulator: StoreEmulator;
let shopFetch: ReturnType<typeof shopFetcher>;

beforeAll(async () => {
  receiver = await startReceiver();
  emulator = await startStoreEmulator({
    app: { ...APP, url: receiver.url, scopes: "read_orders,read_customers,write_customers" },
    webhooks: [
      { topic: "app/uninstalled", uri: "/webhooks/app/uninstalled" },
      { topic: "orders/create", uri: "/webhooks/orders" },
      { topic: "orders/updated", uri: "/webhooks/orders" },
      { topic: "customers/update", uri: "/webhooks/customers" },
      { topic: "fulfillments/create", uri: "/webhooks/fulfillments" },
    ],
    seed: { ordersPerShop: 60, customersPerShop: 30, now: "2026-11-01T12:00:00Z" },
    webhookRetries: 2,
    webhookRetryDelayMs: 5,
  });
  shopFetch = shopFetcher(emulator.url);
});

afterAll(async () => {
  await shopFetch.close();
  await emulator.close();
  await receiver.close();
});

afterEach(async () => {
  await emulator.waitForDeliveries();
  receiver.received.length = 0;
  receiver.statuses.length = 0;
});

async function graphql(shop: string, token: string, query: string, variables?: Record<string, unknown>) {
  const response = await shopFetch(`https://${shop}/admin/api/2026-07/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": token },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: Json; errors?: Json; extensions?: Json },
  };
}

async function tokenExchange(shop: string, body: Record<string, unknown>, form = false) {
  const response = await shopFetch(`https://${shop}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "content-type": form ? "application/x-www-form-urlencoded" : "application/json" },
    body: form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, Json> };
}

const exchangeBody = (subjectToken: string, expiring: "0" | "1") => ({
  client_id: APP.apiKey,
  client_secret: APP.apiSecret,
  grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
  subject_token: subjectToken,
  subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
  requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
  expiring,
});

describe("Admin GraphQL", () => {
  it("rejects a missing or foreign access token with Shopify's 401", async () => {
    const missing = await graphql(EU, "shpat_nope", "{ shop { name } }");
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({
      errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
    });
    const otherShopsToken = emulator.accessToken(US);
    expect((await graphql(EU, otherShopsToken, "{ shop { name } }")).status).toBe(401);
  });

  it("answers the shop query from the seeded state", async () => {
    const { status, body } = await graphql(
      EU,
      emulator.accessToken(EU),
      `
        {
          shop {
            id
            name
            email
            contactEmail
            myshopifyDomain
            currencyCode
            ianaTimezone
            plan {
              displayName
              partnerDevelopment
              shopifyPlus
            }
          }
          currentAppInstallation {
            accessScopes {
              handle
            }
          }
        }
      `,
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.shop).toMatchObject({
      name: "Maple Goods EU",
      email: "owner@maplegoods.example",
      myshopifyDomain: EU,
      currencyCode: "EUR",
      ianaTimezone: "Europe/Berlin",
      plan: { partnerDevelopment: true, shopifyPlus: false },
    });
    expect(body.data.shop.id).toMatch(/^gid:\/\/shopify\/Shop\/\d+$/);
    expect(body.data.currentAppInstallation.accessScopes.map((scope: { handle: string }) => scope.handle)).toEqual([
      "read_orders",
      "read_customers",
      "write_customers",
    ]);
  });

  it("fails validation of an unknown field like Shopify, with location and code", async () => {
    const { status, body } = await graphql(EU, emulator.accessToken(EU), "{\n  shop { name notAField }\n}");
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      {
        message: "Field 'notAField' doesn't exist on type 'Shop'",
        locations: [{ line: 2, column: 15 }],
        extensions: { code: "undefinedField", typeName: "Shop", fieldName: "notAField" },
      },
    ]);
  });

  it("rejects a wrong argument type and a connection without first/last", async () => {
    const token = emulator.accessToken(EU);
    const badArgument = await graphql(EU, token, '{ orders(first: "ten") { nodes { id } } }');
    expect(badArgument.body.errors[0].extensions.code).toBeTruthy();
    expect(badArgument.body.data).toBeUndefined();
    const unbounded = await graphql(EU, token, "{ orders { nodes { id } } }");
    expect(unbounded.body.errors[0].message).toBe("you must provide one of first or last");
  });

  it("pages orders with cursors in both directions without gaps or repeats", async () => {
    const token = emulator.accessToken(EU);
    const query = `query Page($first: Int, $after: String, $last: Int, $before: String) {
      orders(first: $first, after: $after, last: $last, before: $before, sortKey: CREATED_AT) {
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id name createdAt } }
      } }`;
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const { body } = await graphql(EU, token, query, { first: 25, after });
      const connection = body.data.orders;
      seen.push(...connection.edges.map((edge: { node: { id: string } }) => edge.node.id));
      expect(connection.pageInfo.hasPreviousPage).toBe(pages > 0);
      pages++;
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    const createdAts = emulator
      .shop(EU)
      .orders()
      .map((order) => order.createdAt);
    expect([...createdAts].sort()).toEqual(createdAts); // ids and createdAt grow together

    const lastPage = await graphql(EU, token, query, { last: 10 });
    expect(lastPage.body.data.orders.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(
      seen.slice(-10),
    );
    expect(lastPage.body.data.orders.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const before = await graphql(EU, token, query, { last: 5, before: lastPage.body.data.orders.pageInfo.startCursor });
    expect(before.body.data.orders.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(
      seen.slice(-15, -10),
    );
  });

  it("filters with the query syntax (updated_at, email, id) and counts", async () => {
    const token = emulator.accessToken(EU);
    const orders = emulator.shop(EU).orders();
    const pivot = [...orders].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))[40]!;
    const newer = orders.filter((order) => order.updatedAt > pivot.updatedAt);
    const { body } = await graphql(
      EU,
      token,
      `
        query ($q: String!) {
          orders(first: 250, query: $q) {
            nodes {
              id
              updatedAt
            }
          }
          ordersCount(query: $q) {
            count
            precision
          }
        }
      `,
      { q: `updated_at:>'${pivot.updatedAt}'` },
    );
    expect(body.data.orders.nodes).toHaveLength(newer.length);
    expect(body.data.orders.nodes.every((node: { updatedAt: string }) => node.updatedAt > pivot.updatedAt)).toBe(true);
    expect(body.data.ordersCount).toEqual({ count: newer.length, precision: "EXACT" });

    const customer = emulator.shop(EU).customers()[3]!;
    const byEmail = await graphql(
      EU,
      token,
      `
        query ($q: String!) {
          customers(first: 5, query: $q) {
            nodes {
              email
              numberOfOrders
            }
          }
        }
      `,
      {
        q: `email:${customer.email}`,
      },
    );
    expect(byEmail.body.data.customers.nodes).toEqual([
      { email: customer.email, numberOfOrders: String(customer.orderIds.length) },
    ]);

    const afterId = orders[49]!.id;
    const byId = await graphql(
      EU,
      token,
      `
        query ($q: String!) {
          orders(first: 50, query: $q, sortKey: ID) {
            nodes {
              id
            }
          }
        }
      `,
      { q: `id:>${afterId}` },
    );
    expect(byId.body.data.orders.nodes.map((node: { id: string }) => node.id)).toEqual(
      orders.slice(50).map((order) => `gid://shopify/Order/${order.id}`),
    );
  });

  it("resolves an order with the helpdesk fields and the node interface", async () => {
    const token = emulator.accessToken(EU);
    const order = emulator
      .shop(EU)
      .orders()
      .find((candidate) => candidate.fulfillments.some((fulfillment) => fulfillment.events.length >= 2))!;
    const { body } = await graphql(
      EU,
      token,
      `
        query ($id: ID!) {
          order(id: $id) {
            name
            displayFulfillmentStatus
            currencyCode
            paymentGatewayNames
            totalPriceSet {
              shopMoney {
                amount
                currencyCode
              }
            }
            lineItems(first: 10) {
              nodes {
                id
                quantity
              }
            }
            fulfillments {
              trackingInfo {
                company
                number
                url
              }
              events(first: 10) {
                nodes {
                  status
                  happenedAt
                }
              }
            }
          }
          node(id: $id) {
            __typename
            ... on Order {
              name
            }
          }
          nodes(ids: [$id, "gid://shopify/Order/1"]) {
            id
          }
        }
      `,
      { id: `gid://shopify/Order/${order.id}` },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.order.name).toBe(order.name);
    expect(body.data.order.lineItems.nodes).toHaveLength(order.lineItems.length);
    const fulfillment = body.data.order.fulfillments[0];
    expect(fulfillment.trackingInfo[0].number).toBe(order.fulfillments[0]!.trackingInfo[0]!.number);
    expect(fulfillment.events.nodes.map((event: { status: string }) => event.status)).toEqual(
      order.fulfillments[0]!.events.map((event) => event.status),
    );
    expect(body.data.node).toEqual({ __typename: "Order", name: order.name });
    expect(body.data.nodes).toEqual([{ id: `gid://shopify/Order/${order.id}` }, null]);
  });

  it("customerUpdate changes the note, bumps updatedAt and sends customers/update", async () => {
    const token = emulator.accessToken(NORTH);
    const customer = emulator.shop(NORTH).customers()[0]!;
    const before = customer.updatedAt;
    const { body } = await graphql(
      NORTH,
      token,
      `
        mutation ($input: CustomerInput!) {
          customerUpdate(input: $input) {
            customer {
              id
              note
              updatedAt
            }
            userErrors {
              field
              message
            }
          }
        }
      `,
      { input: { id: `gid://shopify/Customer/${customer.id}`, note: "Called about a late parcel" } },
    );
    expect(body.data.customerUpdate.userErrors).toEqual([]);
    expect(body.data.customerUpdate.customer.note).toBe("Called about a late parcel");
    expect(body.data.customerUpdate.customer.updatedAt > before).toBe(true);
    expect(body.extensions.cost.requestedQueryCost).toBeGreaterThanOrEqual(10);
    await emulator.waitForDeliveries();
    const delivered = receiver.received.filter((hook) => hook.headers["x-shopify-topic"] === "customers/update");
    expect(delivered).toHaveLength(1);
    expect(JSON.parse(delivered[0]!.body)).toMatchObject({ id: customer.id, note: "Called about a late parcel" });
  });

  it("creates, lists and deletes webhook subscriptions that then receive events", async () => {
    const token = emulator.accessToken(US);
    const created = await graphql(
      US,
      token,
      `mutation { webhookSubscriptionCreate(topic: ORDERS_CANCELLED, webhookSubscription: { uri: "${receiver.url}/webhooks/cancelled" }) {
         webhookSubscription { id topic uri } userErrors { message } } }`,
    );
    const subscription = created.body.data.webhookSubscriptionCreate.webhookSubscription;
    expect(subscription).toMatchObject({ topic: "ORDERS_CANCELLED", uri: `${receiver.url}/webhooks/cancelled` });
    const listed = await graphql(
      US,
      token,
      `
        {
          webhookSubscriptions(first: 10) {
            nodes {
              id
              topic
            }
          }
        }
      `,
    );
    expect(listed.body.data.webhookSubscriptions.nodes).toEqual([{ id: subscription.id, topic: "ORDERS_CANCELLED" }]);

    const open = emulator
      .shop(US)
      .orders()
      .find((order) => !order.cancelledAt && order.fulfillments.length === 0)!;
    emulator.cancel(US, { order: open.name });
    await emulator.waitForDeliveries();
    expect(receiver.received.map((hook) => `${hook.path} ${hook.headers["x-shopify-topic"]}`)).toEqual(
      expect.arrayContaining(["/webhooks/cancelled orders/cancelled", "/webhooks/orders orders/updated"]),
    );

    const deleted = await graphql(
      US,
      token,
      `
        mutation ($id: ID!) {
          webhookSubscriptionDelete(id: $id) {
            deletedWebhookSubscriptionId
            userErrors {
              message
            }
          }
        }
      `,
      {
        id: subscription.id,
      },
    );
    expect(deleted.body.data.webhookSubscriptionDelete.deletedWebhookSubscriptionId).toBe(subscription.id);
    expect(emulator.shop(US).webhookSubscriptions()).toEqual([]);
  });
});

describe("cost and throttling", () => {
  it("reports cost and answers THROTTLED with HTTP 200 when the bucket is short", async () => {
    const token = emulator.accessToken(NORTH);
    const query = "{ orders(first: 50) { nodes { id customer { id } } } }";
    const normal = await graphql(NORTH, token, query);
    expect(normal.body.extensions.cost).toMatchObject({
      requestedQueryCost: 2 + 50 * 2,
      throttleStatus: { maximumAvailable: 2000, restoreRate: 100 },
    });
    expect(normal.body.extensions.cost.actualQueryCost).toBeLessThanOrEqual(
      normal.body.extensions.cost.requestedQueryCost,
    );

    emulator.setThrottle(NORTH, 10);
    const throttled = await graphql(NORTH, token, query);
    expect(throttled.status).toBe(200);
    expect(throttled.body.errors).toEqual([
      {
        message: "Throttled",
        extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
      },
    ]);
    expect(throttled.body.data).toBeUndefined();
    expect(throttled.body.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(102);
    emulator.setThrottle(NORTH, 2000);
    expect((await graphql(NORTH, token, query)).body.data.orders.nodes).toHaveLength(50);
  });

  it("rejects a single query above 1000 points", async () => {
    const { body } = await graphql(
      NORTH,
      emulator.accessToken(NORTH),
      "{ orders(first: 250) { nodes { lineItems(first: 250) { nodes { id } } } } }",
    );
    expect(body.errors[0].extensions).toMatchObject({ code: "MAX_COST_EXCEEDED", maxCost: 1000 });
  });

  it("injects 502/503 answers and dropped connections for the next requests only", async () => {
    const token = emulator.accessToken(EU);
    emulator.failNext(EU, 1, "503");
    emulator.failNext(EU, 1, "drop");
    const unavailable = await shopFetch(`https://${EU}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": token },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(unavailable.status).toBe(503);
    await unavailable.arrayBuffer();
    await expect(graphql(EU, token, "{ shop { name } }")).rejects.toThrow();
    expect((await graphql(EU, token, "{ shop { name } }")).body.data.shop.name).toBe("Maple Goods EU");
  });
});

describe("token exchange", () => {
  it("issues online tokens for the shop's staff only, with the staff member as associated_user", async () => {
    const online = (userId: string) => ({
      ...exchangeBody(emulator.sessionToken(EU, userId), "0"),
      requested_token_type: "urn:shopify:params:oauth:token-type:online-access-token",
    });
    const owner = await tokenExchange(EU, online("1"));
    const colleague = await tokenExchange(EU, online("2"));
    expect(owner.status).toBe(200);
    expect(owner.body.associated_user).toMatchObject({
      id: 1,
      first_name: "Mara",
      last_name: "Lindqvist",
      email: "owner@maplegoods.example",
      account_owner: true,
    });
    expect(colleague.body.associated_user).toMatchObject({
      id: 2,
      first_name: "Jonas",
      email: "jonas@maplegoods.example",
      account_owner: false,
    });
    // The merchant's other store has the same people, at the same addresses.
    const otherStore = await tokenExchange(US, {
      ...online("2"),
      subject_token: emulator.sessionToken(US, "2"),
    });
    expect((otherStore.body.associated_user as Record<string, Json>).email).toBe("jonas@maplegoods.example");
    const stranger = await tokenExchange(EU, online("99"));
    expect(stranger).toEqual({ status: 400, body: { error: "invalid_subject_token" } });
  });

  it("exchanges a session token for an expiring offline token, and refreshes it", async () => {
    const subjectToken = mintSessionToken({ shop: NORTH, apiKey: APP.apiKey, apiSecret: APP.apiSecret });
    const { status, body } = await tokenExchange(NORTH, exchangeBody(subjectToken, "1"));
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual([
      "access_token",
      "expires_in",
      "refresh_token",
      "refresh_token_expires_in",
      "scope",
    ]);
    expect(body.scope).toBe("read_orders,read_customers,write_customers");
    expect((await graphql(NORTH, body.access_token, "{ shop { name } }")).status).toBe(200);
    expect(emulator.isInstalled(NORTH)).toBe(true);

    const refreshed = await tokenExchange(
      NORTH,
      {
        client_id: APP.apiKey,
        client_secret: APP.apiSecret,
        grant_type: "refresh_token",
        refresh_token: body.refresh_token,
      },
      true,
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(body.access_token);
    const reused = await tokenExchange(NORTH, {
      client_id: APP.apiKey,
      client_secret: APP.apiSecret,
      grant_type: "refresh_token",
      refresh_token: body.refresh_token,
    });
    expect(reused.status).toBe(400);
  });

  it("answers only {access_token, scope} for non-expiring tokens, also to two concurrent exchanges", async () => {
    const tokens = [
      mintSessionToken({ shop: US, apiKey: APP.apiKey, apiSecret: APP.apiSecret }),
      mintSessionToken({ shop: US, apiKey: APP.apiKey, apiSecret: APP.apiSecret }),
    ];
    const answers = await Promise.all(tokens.map((token) => tokenExchange(US, exchangeBody(token, "0"))));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.body).sort()).toEqual(["access_token", "scope"]);
      expect((await graphql(US, answer.body.access_token, "{ shop { name } }")).body.data.shop.name).toBe(
        "Maple Goods US",
      );
    }
  });

  it("rejects bad subject tokens and bad client credentials", async () => {
    const wrongSecret = mintSessionToken({ shop: EU, apiKey: APP.apiKey, apiSecret: "not-the-secret" });
    expect(await tokenExchange(EU, exchangeBody(wrongSecret, "1"))).toEqual({
      status: 400,
      body: { error: "invalid_subject_token" },
    });
    const otherShop = mintSessionToken({ shop: US, apiKey: APP.apiKey, apiSecret: APP.apiSecret });
    expect(await tokenExchange(EU, exchangeBody(otherShop, "1"))).toEqual({
      status: 400,
      body: { error: "invalid_subject_token" },
    });
    const otherApp = mintSessionToken({ shop: EU, apiKey: "another-app", apiSecret: APP.apiSecret });
    expect((await tokenExchange(EU, exchangeBody(otherApp, "1"))).body).toEqual({ error: "invalid_subject_token" });
    const badClient = await tokenExchange(EU, {
      ...exchangeBody(mintSessionToken({ shop: EU, ...APP }), "1"),
      client_secret: "wrong",
    });
    expect(badClient.status).toBe(401);
  });
});

describe("webhooks", () => {
  const shopify = shopifyApi({
    apiKey: APP.apiKey,
    apiSecretKey: APP.apiSecret,
    apiVersion: ApiVersion.July26,
    hostName: "127.0.0.1",
    isEmbeddedApp: true,
    logger: { level: 0, log: async () => {} },
  });

  it("delivers a signed orders/create that @shopify/shopify-api validates", async () => {
    emulator.accessToken(EU); // installs the app
    const customer = emulator.shop(EU).customers()[0]!;
    const order = emulator.createOrder(EU, {
      customer: customer.email!,
      lineItems: [{ title: "Wool Blanket", price: "89.00", quantity: 1 }],
    });
    await emulator.waitForDeliveries();
    const hook = receiver.received.find((candidate) => candidate.headers["x-shopify-topic"] === "orders/create")!;
    expect(hook.path).toBe("/webhooks/orders");
    expect(hook.headers).toMatchObject({
      "x-shopify-shop-domain": EU,
      "x-shopify-api-version": "2026-07",
      "content-type": "application/json",
    });
    expect(hook.headers["x-shopify-webhook-id"]).toBeTruthy();
    expect(hook.headers["x-shopify-event-id"]).toBeTruthy();
    expect(Date.parse(String(hook.headers["x-shopify-triggered-at"]))).not.toBeNaN();
    const validation = await shopify.webhooks.validate({
      rawBody: hook.body,
      rawRequest: { headers: hook.headers } as never,
    });
    expect(validation).toMatchObject({ valid: true, topic: "ORDERS_CREATE", domain: EU });
    const payload = JSON.parse(hook.body);
    expect(payload).toMatchObject({
      id: order.id,
      admin_graphql_api_id: `gid://shopify/Order/${order.id}`,
      name: order.name,
      total_price: "94.00",
    });
    expect(payload.customer.email).toBe(customer.email);

    const tampered = await shopify.webhooks.validate({
      rawBody: hook.body.replace(order.name, "#0"),
      rawRequest: { headers: hook.headers } as never,
    });
    expect(tampered.valid).toBe(false);
  });

  it("retries a failing delivery with the same webhook id and event id", async () => {
    emulator.accessToken(EU);
    receiver.statuses.push(500, 503);
    const [entry] = emulator.deliverWebhook(EU, "orders/updated", { id: 1 });
    await emulator.waitForDeliveries();
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((hook) => hook.headers["x-shopify-webhook-id"]))).toEqual(
      new Set([entry!.webhookId]),
    );
    expect(new Set(receiver.received.map((hook) => hook.headers["x-shopify-event-id"]))).toEqual(
      new Set([entry!.eventId]),
    );
    expect(entry!.attempts.map((attempt) => attempt.status)).toEqual([500, 503, 200]);
    expect(entry!.state).toBe("delivered");
  });

  it("gives up after the configured retries and logs the failure", async () => {
    receiver.statuses.push(500, 500, 500);
    const [entry] = emulator.deliverWebhook(EU, "orders/updated", { id: 2 });
    await emulator.waitForDeliveries();
    expect(entry!.attempts).toHaveLength(3);
    expect(entry!.state).toBe("failed");
  });

  it("replays deliveries as duplicates and sends given event ids and times for out-of-order tests", async () => {
    const [first] = emulator.deliverWebhook(
      EU,
      "orders/updated",
      { id: 3, updated_at: "2026-01-02T00:00:00Z" },
      { eventId: "event-new", triggeredAt: "2026-01-02T00:00:00Z" },
    );
    await emulator.waitForDeliveries();
    const duplicate = emulator.replayDelivery(first!.id);
    emulator.deliverWebhook(
      EU,
      "orders/updated",
      { id: 3, updated_at: "2026-01-01T00:00:00Z" },
      { eventId: "event-old", triggeredAt: "2026-01-01T00:00:00Z" },
    );
    await emulator.waitForDeliveries();
    expect(duplicate).toMatchObject({ webhookId: first!.webhookId, eventId: "event-new", replayOf: first!.id });
    expect(
      receiver.received.map((hook) => [hook.headers["x-shopify-event-id"], hook.headers["x-shopify-triggered-at"]]),
    ).toEqual([
      ["event-new", "2026-01-02T00:00:00Z"],
      ["event-new", "2026-01-02T00:00:00Z"],
      ["event-old", "2026-01-01T00:00:00Z"],
    ]);
  });

  it("holds deliveries and releases them newest first", async () => {
    emulator.accessToken(EU);
    emulator.holdWebhooks();
    const customer = emulator.shop(EU).customers()[1]!;
    emulator.setCustomerNote(EU, customer.id, "first");
    emulator.setCustomerNote(EU, customer.id, "second");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(receiver.received).toHaveLength(0);
    expect(emulator.releaseWebhooks({ reverse: true })).toBe(2);
    await emulator.waitForDeliveries();
    expect(receiver.received.map((hook) => JSON.parse(hook.body).note)).toEqual(["second", "first"]);
  });

  it("releases chosen held deliveries in a chosen order and keeps holding the rest", async () => {
    emulator.accessToken(EU);
    emulator.holdWebhooks();
    const customer = emulator.shop(EU).customers()[1]!;
    const [first, second, third] = ["one", "two", "three"].map(
      (note) => (emulator.setCustomerNote(EU, customer.id, note), emulator.deliveries.at(-1)!),
    );
    expect(emulator.releaseWebhooks({ ids: [third!.id, first!.id] })).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.received.map((hook) => JSON.parse(hook.body).note)).toEqual(["three", "one"]);
    expect(second!.state).toBe("pending");
    expect(emulator.releaseWebhooks()).toBe(1);
    await emulator.waitForDeliveries();
    expect(receiver.received.map((hook) => JSON.parse(hook.body).note)).toEqual(["three", "one", "two"]);
  });

  it("sends compliance topics only on command, to /webhooks/<topic> by default", async () => {
    const customer = emulator.shop(NORTH).customers()[2]!;
    emulator.sendCompliance(NORTH, "customers/redact", { customer: customer.email! });
    emulator.sendCompliance(NORTH, "shop/redact");
    await emulator.waitForDeliveries();
    expect(receiver.received.map((hook) => hook.path)).toEqual(["/webhooks/customers/redact", "/webhooks/shop/redact"]);
    expect(JSON.parse(receiver.received[0]!.body)).toEqual({
      shop_id: emulator.shop(NORTH).record.id,
      shop_domain: NORTH,
      customer: { id: customer.id, email: customer.email, phone: customer.phone },
      orders_to_redact: customer.orderIds,
    });
  });

  it("uninstall sends app/uninstalled, revokes tokens and stops further webhooks", async () => {
    const token = emulator.accessToken(US);
    emulator.uninstall(US);
    await emulator.waitForDeliveries();
    expect(receiver.received.map((hook) => hook.headers["x-shopify-topic"])).toEqual(["app/uninstalled"]);
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({ myshopify_domain: US, name: "Maple Goods US" });
    expect((await graphql(US, token, "{ shop { name } }")).status).toBe(401);
    expect(emulator.isInstalled(US)).toBe(false);
    emulator.setCustomerNote(US, emulator.shop(US).customers()[0]!.id, "nobody listens");
    await emulator.waitForDeliveries();
    expect(receiver.received).toHaveLength(1);
  });
});

describe("control API", () => {
  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, Json> };
  };

  it("lists shops and mints session tokens the token endpoint accepts", async () => {
    const { body } = await control("GET", "/_emulator/shops");
    expect(body.shops.map((shop: { domain: string }) => shop.domain)).toEqual([EU, US, NORTH]);
    const minted = await control("POST", `/_emulator/shops/${EU}/session-token`, { userId: "7" });
    expect(minted.status).toBe(200);
    expect((await tokenExchange(EU, exchangeBody(minted.body.token, "0"))).status).toBe(200);
  });

  it("runs commands and validates their input", async () => {
    const order = emulator
      .shop(EU)
      .orders()
      .find(
        (candidate) =>
          !candidate.cancelledAt && candidate.fulfillments.length === 0 && candidate.financialStatus === "PAID",
      )!;
    const fulfilled = await control("POST", "/_emulator/commands", {
      command: "fulfill",
      shop: EU,
      order: order.name,
      carrier: "DHL Express",
      trackingNumber: "JD0123",
      trackingUrl: "https://www.dhl.com/track?AWB=JD0123",
    });
    expect(fulfilled.status).toBe(200);
    expect(fulfilled.body.result.trackingInfo).toEqual([
      { company: "DHL Express", number: "JD0123", url: "https://www.dhl.com/track?AWB=JD0123" },
    ]);
    const event = await control("POST", "/_emulator/commands", {
      command: "addFulfillmentEvent",
      shop: EU,
      order: order.name,
      status: "out_for_delivery",
    });
    expect(event.body.result.status).toBe("OUT_FOR_DELIVERY");

    const bad = await control("POST", "/_emulator/commands", {
      command: "fulfill",
      shop: "not a shop",
      order: "#1001",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain("shop");
    const unknownCommand = await control("POST", "/_emulator/commands", { command: "explode", shop: EU });
    expect(unknownCommand.status).toBe(400);
    const missingOrder = await control("POST", "/_emulator/commands", {
      command: "cancel",
      shop: EU,
      order: "#999999",
    });
    expect(missingOrder.status).toBe(404);
    const deliveries = await control("GET", `/_emulator/deliveries?shop=${EU}&topic=fulfillments/create`);
    expect(deliveries.body.deliveries.length).toBeGreaterThan(0);
  });
});
