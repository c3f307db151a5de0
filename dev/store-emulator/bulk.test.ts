// Bulk operations over HTTP: run, poll, download the JSONL and rebuild the object graph.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStoreEmulator, type StoreEmulator } from "./index.ts";
import { shopFetcher } from "./testing.ts";

const SHOP = "maple-goods-eu.myshopify.com";
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response JSON, checked by assertions
type Json = any;

let emulator: StoreEmulator;
let shopFetch: ReturnType<typeof shopFetcher>;
let token: string;

beforeAll(async () => {
  emulator = await startStoreEmulator({
    app: { apiKey: "bulk-key", apiSecret: "bulk-secret", url: "http://127.0.0.1:9" },
    seed: { ordersPerShop: 120, customersPerShop: 20, now: "2026-11-01T12:00:00Z" },
  });
  shopFetch = shopFetcher(emulator.url);
  token = emulator.accessToken(SHOP);
});

afterAll(async () => {
  await shopFetch.close();
  await emulator.close();
});

async function graphql(query: string, variables?: Record<string, unknown>): Promise<Json> {
  const response = await shopFetch(`https://${SHOP}/admin/api/2026-07/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": token },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

const RUN = `mutation($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message code } } }`;
const POLL = `query($id: ID!) { node(id: $id) { ... on BulkOperation { id status objectCount rootObjectCount url errorCode } } }`;

async function runToCompletion(query: string): Promise<{ statuses: string[]; operation: Json }> {
  const started = await graphql(RUN, { query });
  expect(started.data.bulkOperationRunQuery.userErrors).toEqual([]);
  const id = started.data.bulkOperationRunQuery.bulkOperation.id as string;
  const statuses = [started.data.bulkOperationRunQuery.bulkOperation.status as string];
  for (let attempt = 0; attempt < 500; attempt++) {
    const polled = await graphql(POLL, { id });
    const operation = polled.data.node;
    if (statuses[statuses.length - 1] !== operation.status) statuses.push(operation.status);
    if (operation.status === "COMPLETED" || operation.status === "FAILED") return { statuses, operation };
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error("bulk operation did not finish");
}

async function download(url: string): Promise<Record<string, unknown>[]> {
  const response = await shopFetch(url);
  expect(response.status).toBe(200);
  const text = await response.text();
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("bulk operations", () => {
  // Polls the operation through its states: about 3 s on a busy machine.
  it("runs CREATED → RUNNING → COMPLETED and writes children as __parentId lines", async () => {
    const { statuses, operation } = await runToCompletion(`{
      orders(query: "updated_at:>'2020-01-01'") { edges { node {
        id name displayFulfillmentStatus
        customer { id email }
        lineItems { edges { node { id sku quantity } } }
        fulfillments { id trackingInfo { number } }
      } } } }`);
    expect(statuses).toEqual(["CREATED", "RUNNING", "COMPLETED"]);
    expect(operation.url).toMatch(new RegExp(`^https://${SHOP.replace(/\./g, "\\.")}/`));

    const lines = await download(operation.url);
    const orders = emulator.shop(SHOP).orders();
    const roots = lines.filter((line) => !("__parentId" in line));
    const children = lines.filter((line) => "__parentId" in line);
    expect(roots).toHaveLength(orders.length);
    expect(children).toHaveLength(orders.reduce((sum, order) => sum + order.lineItems.length, 0));
    expect(Number(operation.rootObjectCount)).toBe(roots.length);
    expect(Number(operation.objectCount)).toBe(lines.length);

    // Every child follows its parent and belongs to it.
    const seen = new Set<string>();
    for (const line of lines) {
      if (typeof line.__parentId === "string") expect(seen.has(line.__parentId)).toBe(true);
      else seen.add(line.id as string);
    }
    const first = orders[0]!;
    const firstRoot = roots.find((root) => root.id === `gid://shopify/Order/${first.id}`)!;
    expect(firstRoot).toMatchObject({ name: first.name });
    expect(firstRoot).not.toHaveProperty("lineItems");
    expect((firstRoot.fulfillments as unknown[]).length).toBe(first.fulfillments.length);
    expect(children.filter((child) => child.__parentId === firstRoot.id).map((child) => child.sku)).toEqual(
      first.lineItems.map((item) => item.sku),
    );
  }, 30_000);

  it("reports a running operation and rejects invalid bulk queries as userErrors", async () => {
    const invalid = await graphql(RUN, { query: "{ orders { edges { node { nope } } } }" });
    expect(invalid.data.bulkOperationRunQuery.bulkOperation).toBeNull();
    expect(invalid.data.bulkOperationRunQuery.userErrors[0]).toMatchObject({ field: ["query"], code: "INVALID" });
    expect(invalid.data.bulkOperationRunQuery.userErrors[0].message).toContain("nope");

    const started = await graphql(RUN, { query: "{ customers { edges { node { id email } } } }" });
    const again = await graphql(RUN, { query: "{ customers { edges { node { id } } } }" });
    expect(again.data.bulkOperationRunQuery.userErrors[0].code).toBe("OPERATION_IN_PROGRESS");
    await emulator.waitForBulkOperations();
    const current = await graphql("{ currentBulkOperation { id status objectCount } }");
    expect(current.data.currentBulkOperation).toMatchObject({
      id: started.data.bulkOperationRunQuery.bulkOperation.id,
      status: "COMPLETED",
      objectCount: "20",
    });
  });

  it("streams a large export (20k orders with line items)", async () => {
    const big = await startStoreEmulator({
      app: { apiKey: "bulk-key", apiSecret: "bulk-secret", url: "http://127.0.0.1:9" },
      seed: {
        ordersPerShop: 20_000,
        customersPerShop: 100,
        shops: [
          {
            domain: "big.myshopify.com",
            name: "Big",
            ownerEmail: "b@example.com",
            ownerName: "B",
            currencyCode: "USD",
            ianaTimezone: "UTC",
            region: "US",
          },
        ],
      },
      bulkStepDelayMs: 0,
    });
    const bigFetch = shopFetcher(big.url);
    try {
      const bigToken = big.accessToken("big.myshopify.com");
      const call = async (query: string, variables?: Record<string, unknown>): Promise<Json> =>
        (
          await bigFetch("https://big.myshopify.com/admin/api/2026-07/graphql.json", {
            method: "POST",
            headers: { "content-type": "application/json", "x-shopify-access-token": bigToken },
            body: JSON.stringify({ query, variables }),
          })
        ).json();
      await call(RUN, { query: "{ orders { edges { node { id name lineItems { edges { node { id sku } } } } } } }" });
      await big.waitForBulkOperations();
      const { data } = await call("{ currentBulkOperation { status url rootObjectCount objectCount } }");
      expect(data.currentBulkOperation).toMatchObject({ status: "COMPLETED", rootObjectCount: "20000" });
      const response = await bigFetch(data.currentBulkOperation.url);
      let lines = 0;
      let pending = "";
      const decoder = new TextDecoder();
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        pending += decoder.decode(chunk, { stream: true });
        const parts = pending.split("\n");
        pending = parts.pop()!;
        lines += parts.filter(Boolean).length;
      }
      expect(lines).toBe(Number(data.currentBulkOperation.objectCount));
      expect(lines).toBeGreaterThan(20_000);
    } finally {
      await bigFetch.close();
      await big.close();
    }
  }, 60_000);

  it("refuses a connection inside a list field, as Shopify does", async () => {
    const query = `{ orders { edges { node { id fulfillments { id events { edges { node { id status } } } } } } } }`;
    const started = await graphql(RUN, { query });
    expect(started.data.bulkOperationRunQuery.bulkOperation).toBeNull();
    expect(started.data.bulkOperationRunQuery.userErrors[0].message).toBe(
      "Queries that contain a connection field within a list field are not currently supported.",
    );
  });
});
