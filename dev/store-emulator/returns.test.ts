// Returns and cancellations through the emulator's Admin GraphQL, over real HTTP: returnRequest,
// returnApproveRequest, returnDeclineRequest, returnCreate and orderCancel change the world as Shopify
// would, answer Shopify's userErrors for what Shopify refuses, need their access scopes, and send the
// signed webhooks an app subscribed to.
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  DEFAULT_SEED_SHOPS,
  describeOrderState,
  startStoreEmulator,
  type OrderRecord,
  type StoreEmulator,
} from "./index.ts";
import { returnableQuantity } from "./model.ts";
import { webhookHmac } from "./signing.ts";
import { adminSchema } from "./schema.ts";
import { shopFetcher } from "./testing.ts";

// Response bodies are untyped JSON here; the assertions are what checks their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const APP = { apiKey: "returns-test-key", apiSecret: "returns-test-secret" };
const SHOP = "north-trail.myshopify.com";
const TOPICS = ["returns/request", "returns/approve", "returns/decline", "orders/cancelled", "orders/updated"];
const ALL_TOPICS = [...TOPICS, "refunds/create"];

const sample = (topic: string) =>
  JSON.parse(readFileSync(new URL(`../../tests/fixtures/webhooks/${topic}.json`, import.meta.url), "utf8")) as Record<
    string,
    unknown
  >;

interface ReceivedWebhook {
  topic: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

async function startReceiver() {
  const received: ReceivedWebhook[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        topic: String(request.headers["x-shopify-topic"]),
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function startEmulator(receiverUrl: string, scopes?: string) {
  return startStoreEmulator({
    app: { ...APP, url: receiverUrl, ...(scopes ? { scopes } : {}) },
    webhooks: ALL_TOPICS.map((topic) => ({ topic, uri: `/webhooks/${topic}` })),
    // One shop with enough orders that every test takes seeded orders of its own.
    seed: {
      ordersPerShop: 120,
      customersPerShop: 12,
      now: "2026-11-01T12:00:00Z",
      shops: DEFAULT_SEED_SHOPS.filter((shop) => shop.domain === SHOP),
    },
    installedShops: [SHOP],
  });
}

// Each test is a few HTTP round trips through graphql-js; a loaded CI machine with every unit file
// in parallel took over 5 s for one. Time is the benchmarks' business, not these tests'.
vi.setConfig({ testTimeout: 20_000, hookTimeout: 30_000 });

let receiver: Awaited<ReturnType<typeof startReceiver>>;
let emulator: StoreEmulator;
let shopFetch: ReturnType<typeof shopFetcher>;
let token: string;

beforeAll(async () => {
  // The real schema is built once per process (~1-2 s, more on a loaded machine): here, not in a test.
  adminSchema();
  receiver = await startReceiver();
  emulator = await startEmulator(receiver.url);
  shopFetch = shopFetcher(emulator.url);
  token = emulator.accessToken(SHOP);
});

afterAll(async () => {
  await shopFetch.close();
  await emulator.close();
  await receiver.close();
});

/** Drops the webhooks received so far (after they all arrived). */
async function forgetWebhooks() {
  await emulator.waitForDeliveries();
  receiver.received.length = 0;
}

afterEach(forgetWebhooks);

async function graphql(query: string, variables?: Record<string, unknown>, on = emulator, accessToken = token) {
  const fetcher = on === emulator ? shopFetch : shopFetcher(on.url);
  try {
    const response = await fetcher(`https://${SHOP}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": accessToken },
      body: JSON.stringify({ query, variables }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { data?: Json; errors?: Json };
  } finally {
    if (fetcher !== shopFetch) await fetcher.close();
  }
}

/** The webhooks received since the last test, verified against the app secret like Shopify's. */
async function webhooks(topic: string): Promise<Json[]> {
  await emulator.waitForDeliveries();
  return receiver.received
    .filter((hook) => hook.topic === topic)
    .map((hook) => {
      expect(hook.headers["x-shopify-hmac-sha256"]).toBe(webhookHmac(hook.body, APP.apiSecret));
      expect(hook.headers["x-shopify-shop-domain"]).toBe(SHOP);
      return JSON.parse(hook.body);
    });
}

const orderGid = (order: OrderRecord) => `gid://shopify/Order/${order.id}`;
const lineGid = (id: number) => `gid://shopify/FulfillmentLineItem/${id}`;

/** Seeded orders of a kind no earlier test touched (each test takes its own). */
const taken = new Set<number>();
function freshOrder(kind: string, where: (order: OrderRecord) => boolean = () => true): OrderRecord {
  const order = emulator
    .shop(SHOP)
    .orders()
    .find((candidate) => !taken.has(candidate.id) && describeOrderState(candidate) === kind && where(candidate));
  if (!order) throw new Error(`no untouched ${kind} order left in the seed`);
  taken.add(order.id);
  return order;
}

const RETURN_FIELDS = `id name status totalQuantity requestApprovedAt decline { reason note }
  order { id returnStatus }
  returnLineItems(first: 10) { nodes { quantity customerNote ... on ReturnLineItem { returnReason fulfillmentLineItem { id } } } }`;

const RETURN_REQUEST = `mutation RequestReturn($input: ReturnRequestInput!) {
  returnRequest(input: $input) { return { ${RETURN_FIELDS} } userErrors { field message code } }
}`;
const RETURN_APPROVE = `mutation ApproveReturn($input: ReturnApproveRequestInput!) {
  returnApproveRequest(input: $input) { return { ${RETURN_FIELDS} } userErrors { field message code } }
}`;
const RETURN_DECLINE = `mutation DeclineReturn($input: ReturnDeclineRequestInput!) {
  returnDeclineRequest(input: $input) { return { ${RETURN_FIELDS} } userErrors { field message code } }
}`;
const RETURN_CREATE = `mutation CreateReturn($returnInput: ReturnInput!) {
  returnCreate(returnInput: $returnInput) { return { ${RETURN_FIELDS} } userErrors { field message code } }
}`;
const ORDER_CANCEL = `mutation CancelOrder($orderId: ID!, $reason: OrderCancelReason!, $refund: Boolean,
    $refundMethod: OrderCancelRefundMethodInput, $restock: Boolean!, $notifyCustomer: Boolean, $staffNote: String) {
  orderCancel(orderId: $orderId, reason: $reason, refund: $refund, refundMethod: $refundMethod, restock: $restock,
      notifyCustomer: $notifyCustomer, staffNote: $staffNote) {
    job { id done }
    orderCancelUserErrors { field message code }
    userErrors { field message }
  }
}`;
const ORDER_AFTER = `query OrderAfter($id: ID!) {
  order(id: $id) {
    id cancelledAt cancelReason closed displayFinancialStatus returnStatus
    cancellation { staffNote }
    totalRefundedSet { shopMoney { amount } }
    returns(first: 10) { nodes { id name status decline { reason note } } }
    lineItems(first: 10) { nodes { id quantity currentQuantity variant { id inventoryQuantity } } }
    refunds { id refundLineItems(first: 10) { nodes { quantity restockType restocked lineItem { id } } }
      transactions(first: 5) { nodes { kind amountSet { shopMoney { amount } } } } }
  }
}`;

function requestInput(order: OrderRecord, lines: { id: number; quantity: number }[], extra: Json = {}) {
  return {
    input: {
      orderId: orderGid(order),
      returnLineItems: lines.map((line) => ({
        fulfillmentLineItemId: lineGid(line.id),
        quantity: line.quantity,
        returnReason: "SIZE_TOO_SMALL",
        customerNote: "Runs small",
        ...extra,
      })),
    },
  };
}

const firstLine = (order: OrderRecord) => order.fulfillments[0]!.lineItems[0]!;

async function requestReturnOn(order: OrderRecord, quantity = 1) {
  const body = await graphql(RETURN_REQUEST, requestInput(order, [{ id: firstLine(order).id, quantity }]));
  expect(body.data.returnRequest.userErrors).toEqual([]);
  return body.data.returnRequest.return;
}

describe("returnRequest", () => {
  it("creates a REQUESTED return the order then shows, and sends returns/request and orders/updated", async () => {
    const order = freshOrder("delivered");
    const line = firstLine(order);
    const before = order.updatedAt;

    const body = await graphql(RETURN_REQUEST, requestInput(order, [{ id: line.id, quantity: 1 }]));

    expect(body.errors).toBeUndefined();
    const ret = body.data.returnRequest.return;
    expect(body.data.returnRequest.userErrors).toEqual([]);
    expect(ret).toMatchObject({
      name: `${order.name}-R1`,
      status: "REQUESTED",
      totalQuantity: 1,
      requestApprovedAt: null,
      decline: null,
      order: { id: orderGid(order), returnStatus: "RETURN_REQUESTED" },
      returnLineItems: {
        nodes: [
          {
            quantity: 1,
            customerNote: "Runs small",
            returnReason: "SIZE_TOO_SMALL",
            fulfillmentLineItem: { id: lineGid(line.id) },
          },
        ],
      },
    });
    // The world changed: a later query sees the return, and the order was touched.
    const after = (await graphql(ORDER_AFTER, { id: orderGid(order) })).data.order;
    expect(after.returns.nodes).toEqual([{ id: ret.id, name: ret.name, status: "REQUESTED", decline: null }]);
    expect(emulator.shop(SHOP).order(order.id)!.updatedAt > before).toBe(true);
    expect(returnableQuantity(order, line.id)).toBe(line.quantity - 1);

    const [requested] = await webhooks("returns/request");
    expect(Object.keys(sample("returns/request")).filter((key) => !(key in requested))).toEqual([]);
    expect(requested).toMatchObject({
      admin_graphql_api_id: ret.id,
      status: "requested",
      order: { id: order.id, admin_graphql_api_id: orderGid(order) },
      total_return_line_items: 1,
      return_line_items: [{ quantity: 1, return_reason: "size_too_small", customer_note: "Runs small" }],
    });
    const [updated] = await webhooks("orders/updated");
    expect(updated.returns).toEqual([
      { id: requested.id, admin_graphql_api_id: ret.id, status: "requested", name: ret.name },
    ]);
  });

  it("refuses what Shopify refuses, with ReturnUserError fields and codes, and changes nothing", async () => {
    const order = freshOrder("delivered");
    const other = freshOrder("delivered");
    const line = firstLine(order);
    const refusal = async (variables: Json) => {
      const body = await graphql(RETURN_REQUEST, variables);
      expect(body.errors).toBeUndefined();
      expect(body.data.returnRequest.return).toBeNull();
      return body.data.returnRequest.userErrors;
    };

    expect(
      await refusal({
        input: { ...requestInput(order, [{ id: line.id, quantity: 1 }]).input, orderId: "gid://shopify/Order/1" },
      }),
    ).toEqual([{ field: ["input", "orderId"], message: "Order does not exist.", code: "NOT_FOUND" }]);
    expect(await refusal(requestInput(order, [{ id: firstLine(other).id, quantity: 1 }]))).toEqual([
      {
        field: ["input", "returnLineItems", "0", "fulfillmentLineItemId"],
        message: "Fulfillment line item does not exist.",
        code: "NOT_FOUND",
      },
    ]);
    expect(await refusal(requestInput(order, [{ id: line.id, quantity: 0 }]))).toEqual([
      {
        field: ["input", "returnLineItems", "0", "quantity"],
        message: "Quantity must be greater than 0.",
        code: "GREATER_THAN",
      },
    ]);
    const [tooMany] = await refusal(requestInput(order, [{ id: line.id, quantity: line.quantity + 1 }]));
    expect(tooMany).toMatchObject({ field: ["input", "returnLineItems", "0", "quantity"], code: "INVALID" });
    expect(tooMany.message).toContain(`more than the ${line.quantity} that can be returned`);
    // Two lines for the same shipped item count together.
    const [split] = await refusal(
      requestInput(order, [
        { id: line.id, quantity: line.quantity },
        { id: line.id, quantity: 1 },
      ]),
    );
    expect(split).toMatchObject({ field: ["input", "returnLineItems", "1", "quantity"], code: "INVALID" });
    expect(await refusal({ input: { orderId: orderGid(order), returnLineItems: [] } })).toEqual([
      { field: ["input", "returnLineItems"], message: "Return line items can't be blank.", code: "BLANK" },
    ]);
    expect(
      await refusal(requestInput(order, [{ id: line.id, quantity: 1 }], { customerNote: "x".repeat(301) })),
    ).toEqual([
      {
        field: ["input", "returnLineItems", "0", "customerNote"],
        message: "Customer note is too long (maximum is 300 characters).",
        code: "TOO_LONG",
      },
    ]);
    // An order with nothing shipped has no fulfillment line items to return.
    const unfulfilled = freshOrder("unfulfilled");
    expect((await refusal(requestInput(unfulfilled, [{ id: line.id, quantity: 1 }])))[0].code).toBe("NOT_FOUND");

    expect(order.returns).toEqual([]);
    expect(await webhooks("returns/request")).toEqual([]);
  });

  it("refuses items an earlier request still holds, and answers a malformed id with a top-level error", async () => {
    const order = freshOrder("delivered", (candidate) => firstLine(candidate).quantity === 1);
    await requestReturnOn(order);
    const again = await graphql(RETURN_REQUEST, requestInput(order, [{ id: firstLine(order).id, quantity: 1 }]));
    expect(again.data.returnRequest.userErrors[0]).toMatchObject({ code: "INVALID" });
    expect(again.data.returnRequest.userErrors[0].message).toContain("more than the 0 that can be returned");

    const malformed = await graphql(RETURN_REQUEST, { input: { orderId: "1001", returnLineItems: [] } });
    expect(malformed.errors[0]).toMatchObject({ message: "Invalid global id '1001'", path: ["returnRequest"] });
    expect(malformed.data).toEqual({ returnRequest: null });
  });
});

describe("returnApproveRequest and returnDeclineRequest", () => {
  it("approves a requested return: OPEN, approved now, returns/approve sent, the shopper notified", async () => {
    const order = freshOrder("delivered");
    const requested = await requestReturnOn(order);
    await forgetWebhooks();

    const body = await graphql(RETURN_APPROVE, { input: { id: requested.id, notifyCustomer: true } });

    expect(body.data.returnApproveRequest.userErrors).toEqual([]);
    const ret = body.data.returnApproveRequest.return;
    expect(ret).toMatchObject({ id: requested.id, status: "OPEN", order: { returnStatus: "IN_PROGRESS" } });
    expect(Date.parse(ret.requestApprovedAt)).not.toBeNaN();
    expect((await graphql(ORDER_AFTER, { id: orderGid(order) })).data.order.returns.nodes[0].status).toBe("OPEN");
    const [approved] = await webhooks("returns/approve");
    expect(Object.keys(sample("returns/approve")).filter((key) => !(key in approved))).toEqual([]);
    expect(approved).toMatchObject({ admin_graphql_api_id: requested.id, status: "open", order: { id: order.id } });
    expect(await webhooks("orders/updated")).toHaveLength(1);
    expect(emulator.customerNotifications.at(-1)).toMatchObject({
      kind: "return_approved",
      orderId: order.id,
      email: order.email,
    });

    // Decided once: neither approved again nor declined.
    const twice = await graphql(RETURN_APPROVE, { input: { id: requested.id } });
    expect(twice.data.returnApproveRequest).toEqual({
      return: null,
      userErrors: [
        {
          field: ["input", "id"],
          message: "Return is not approvable. Only returns with status REQUESTED can be approved.",
          code: "INVALID_STATE",
        },
      ],
    });
    const declined = await graphql(RETURN_DECLINE, { input: { id: requested.id, declineReason: "OTHER" } });
    expect(declined.data.returnDeclineRequest.userErrors).toEqual([
      {
        field: ["input", "id"],
        message: "Return is not declinable. Only non-refunded returns with status REQUESTED can be declined.",
        code: "INVALID_STATE",
      },
    ]);
  });

  it("declines a requested return with its reason and note, sends returns/decline, and frees the items", async () => {
    const order = freshOrder("delivered", (candidate) => firstLine(candidate).quantity === 1);
    const requested = await requestReturnOn(order);
    await forgetWebhooks();
    const note = "The 30-day return window has ended.";

    const body = await graphql(RETURN_DECLINE, {
      input: { id: requested.id, declineReason: "RETURN_PERIOD_ENDED", declineNote: note },
    });

    expect(body.data.returnDeclineRequest).toMatchObject({
      return: {
        status: "DECLINED",
        decline: { reason: "RETURN_PERIOD_ENDED", note },
        order: { returnStatus: "NO_RETURN" },
      },
      userErrors: [],
    });
    const [declined] = await webhooks("returns/decline");
    expect(Object.keys(declined).sort()).toEqual(Object.keys(sample("returns/decline")).sort());
    expect(declined).toMatchObject({
      admin_graphql_api_id: requested.id,
      status: "declined",
      order: { id: order.id, admin_graphql_api_id: orderGid(order) },
      decline: { reason: "return_period_ended", note },
    });
    expect(emulator.customerNotifications.some((entry) => entry.returnId === declined.id)).toBe(false);
    // "When a return is declined, each ReturnLineItem.fulfillmentLineItem can be associated to a new return."
    const second = await requestReturnOn(order);
    expect(second.name).toBe(`${order.name}-R2`);
  });

  it("answers NOT_FOUND for an unknown return or another type's id, and TOO_LONG for a long decline note", async () => {
    const order = freshOrder("delivered");
    const requested = await requestReturnOn(order);
    for (const id of ["gid://shopify/Return/1", orderGid(order)]) {
      const body = await graphql(RETURN_APPROVE, { input: { id } });
      expect(body.data.returnApproveRequest.userErrors).toEqual([
        { field: ["input", "id"], message: "Return does not exist.", code: "NOT_FOUND" },
      ]);
    }
    const long = await graphql(RETURN_DECLINE, {
      input: { id: requested.id, declineReason: "OTHER", declineNote: "x".repeat(501) },
    });
    expect(long.data.returnDeclineRequest.userErrors).toEqual([
      {
        field: ["input", "declineNote"],
        message: "Decline note is too long (maximum is 500 characters).",
        code: "TOO_LONG",
      },
    ]);
    expect(emulator.shop(SHOP).order(order.id)!.returns[0]!.status).toBe("REQUESTED");
  });
});

describe("returnCreate", () => {
  it("opens an already approved return (returnInput) and sends returns/approve", async () => {
    const order = freshOrder("delivered");
    const line = firstLine(order);
    const body = await graphql(RETURN_CREATE, {
      returnInput: {
        orderId: orderGid(order),
        returnLineItems: [
          {
            fulfillmentLineItemId: lineGid(line.id),
            quantity: 1,
            returnReason: "DEFECTIVE",
            returnReasonNote: "Cracked",
          },
        ],
      },
    });
    expect(body.data.returnCreate.userErrors).toEqual([]);
    expect(body.data.returnCreate.return).toMatchObject({ status: "OPEN", order: { returnStatus: "IN_PROGRESS" } });
    expect((await webhooks("returns/approve"))[0]).toMatchObject({
      status: "open",
      return_line_items: [{ return_reason: "defective", return_reason_note: "Cracked" }],
    });
    expect(await webhooks("returns/request")).toEqual([]);

    const refused = await graphql(RETURN_CREATE, {
      returnInput: {
        orderId: "gid://shopify/Order/2",
        returnLineItems: [{ fulfillmentLineItemId: lineGid(line.id), quantity: 1 }],
      },
    });
    expect(refused.data.returnCreate.userErrors[0]).toMatchObject({
      field: ["returnInput", "orderId"],
      code: "NOT_FOUND",
    });
  });
});

describe("returnableFulfillments", () => {
  it("lists what can still be returned per fulfillment line item", async () => {
    const order = freshOrder("delivered", (candidate) => firstLine(candidate).quantity >= 2);
    const query = `query Returnable($id: ID!) { returnableFulfillments(orderId: $id, first: 5) { nodes {
      fulfillment { id } returnableFulfillmentLineItems(first: 10) { nodes { quantity fulfillmentLineItem { id } } } } } }`;
    const quantityOf = async () =>
      (
        await graphql(query, { id: orderGid(order) })
      ).data.returnableFulfillments.nodes[0].returnableFulfillmentLineItems.nodes.find(
        (node: Json) => node.fulfillmentLineItem.id === lineGid(firstLine(order).id),
      )?.quantity;
    const shipped = firstLine(order).quantity;
    expect(await quantityOf()).toBe(shipped);
    await requestReturnOn(order, 1);
    expect(await quantityOf()).toBe(shipped - 1);
  });
});

describe("orderCancel", () => {
  const cancel = (order: OrderRecord, variables: Json = {}) =>
    graphql(ORDER_CANCEL, {
      orderId: orderGid(order),
      reason: "CUSTOMER",
      refundMethod: { originalPaymentMethodsRefund: true },
      restock: true,
      ...variables,
    });

  it("cancels a paid unfulfilled order with refund and restock: job, refund, stock, webhooks, notification", async () => {
    const order = freshOrder("unfulfilled", (candidate) => candidate.financialStatus === "PAID");
    const total =
      order.lineItems.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0) + order.shippingCents;
    const stockBefore = new Map(
      (await graphql(ORDER_AFTER, { id: orderGid(order) })).data.order.lineItems.nodes.map((node: Json) => [
        node.id,
        node.variant.inventoryQuantity,
      ]),
    );

    const body = await cancel(order, { notifyCustomer: true, staffNote: "Shopper asked in ticket #12" });

    expect(body.errors).toBeUndefined();
    const { job, orderCancelUserErrors, userErrors } = body.data.orderCancel;
    expect(orderCancelUserErrors).toEqual([]);
    expect(userErrors).toEqual([]);
    expect(job).toMatchObject({ id: expect.stringMatching(/^gid:\/\/shopify\/Job\//), done: false });
    expect(
      (
        await graphql(
          `
            query J($id: ID!) {
              job(id: $id) {
                id
                done
              }
            }
          `,
          { id: job.id },
        )
      ).data.job,
    ).toEqual({
      id: job.id,
      done: true,
    });

    const after = (await graphql(ORDER_AFTER, { id: orderGid(order) })).data.order;
    expect(after).toMatchObject({
      cancelReason: "CUSTOMER",
      closed: true,
      displayFinancialStatus: "REFUNDED",
      cancellation: { staffNote: "Shopper asked in ticket #12" },
      totalRefundedSet: { shopMoney: { amount: (total / 100).toFixed(2).replace(/0$/, "") } },
    });
    expect(Date.parse(after.cancelledAt)).not.toBeNaN();
    const [refund] = after.refunds;
    expect(refund.refundLineItems.nodes).toEqual(
      order.lineItems.map((item) => ({
        quantity: item.quantity,
        restockType: "CANCEL",
        restocked: true,
        lineItem: { id: `gid://shopify/LineItem/${item.id}` },
      })),
    );
    expect(refund.transactions.nodes).toEqual([
      { kind: "REFUND", amountSet: { shopMoney: { amount: expect.any(String) } } },
    ]);
    for (const node of after.lineItems.nodes) {
      expect(node.currentQuantity).toBe(0);
      expect(node.variant.inventoryQuantity).toBe((stockBefore.get(node.id) as number) + node.quantity);
    }

    const [cancelled] = await webhooks("orders/cancelled");
    expect(cancelled).toMatchObject({
      id: order.id,
      cancel_reason: "customer",
      financial_status: "refunded",
      refunds: [{ restock: true, refund_line_items: order.lineItems.map(() => ({ restock_type: "cancel" })) }],
    });
    expect(cancelled.cancelled_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(await webhooks("orders/updated")).toHaveLength(1);
    expect(await webhooks("refunds/create")).toHaveLength(1);
    expect(emulator.customerNotifications.at(-1)).toMatchObject({ kind: "order_cancelled", orderId: order.id });
  });

  it("without refund or restock a paid order stays paid and nothing goes back in stock", async () => {
    const order = freshOrder("unfulfilled", (candidate) => candidate.financialStatus === "PAID");
    const stock = async () =>
      (await graphql(ORDER_AFTER, { id: orderGid(order) })).data.order.lineItems.nodes.map(
        (node: Json) => node.variant.inventoryQuantity,
      );
    const stockBefore = await stock();
    const body = await cancel(order, {
      reason: "INVENTORY",
      refundMethod: { originalPaymentMethodsRefund: false },
      restock: false,
    });
    expect(body.data.orderCancel.orderCancelUserErrors).toEqual([]);
    const after = (await graphql(ORDER_AFTER, { id: orderGid(order) })).data.order;
    expect(after).toMatchObject({ cancelReason: "INVENTORY", displayFinancialStatus: "PAID", refunds: [] });
    expect(await stock()).toEqual(stockBefore);
    expect(await webhooks("refunds/create")).toEqual([]);
    expect((await webhooks("orders/cancelled"))[0]).toMatchObject({
      financial_status: "paid",
      cancel_reason: "inventory",
    });
  });

  it("voids an unpaid order whatever refund says; a restock alone is a refund without money", async () => {
    const order = emulator.createOrder(SHOP, { financialStatus: "PENDING" });
    const body = await cancel(order, { refundMethod: null, refund: true });
    expect(body.data.orderCancel.orderCancelUserErrors).toEqual([]);
    const after = (await graphql(ORDER_AFTER, { id: orderGid(order) })).data.order;
    expect(after.displayFinancialStatus).toBe("VOIDED");
    expect(after.totalRefundedSet.shopMoney.amount).toBe("0.0");
    expect(after.refunds[0].transactions.nodes).toEqual([]);
    expect(after.refunds[0].refundLineItems.nodes[0]).toMatchObject({ restockType: "CANCEL", restocked: true });
    const [refundHook] = await webhooks("refunds/create");
    expect(refundHook).toMatchObject({ restock: true, transactions: [] });
  });

  it("refunds to store credit only when the order has a customer and the expiry is in the future", async () => {
    const guest = emulator.createOrder(SHOP, { email: "guest@example.com" });
    const withCustomer = freshOrder("unfulfilled", (candidate) => candidate.customerId !== null);
    const guestAnswer = await cancel(guest, { refundMethod: { storeCreditRefund: {} } });
    expect(guestAnswer.data.orderCancel.orderCancelUserErrors[0]).toMatchObject({
      field: ["refundMethod", "storeCreditRefund"],
      code: "STORE_CREDIT_REFUND_MISSING_CUSTOMER",
    });
    const past = await cancel(withCustomer, {
      refundMethod: { storeCreditRefund: { expiresAt: "2020-01-01T00:00:00Z" } },
    });
    expect(past.data.orderCancel.orderCancelUserErrors[0].code).toBe("STORE_CREDIT_REFUND_EXPIRATION_IN_PAST");
    const ok = await cancel(withCustomer, {
      refundMethod: { storeCreditRefund: { expiresAt: "2099-01-01T00:00:00Z" } },
    });
    expect(ok.data.orderCancel.orderCancelUserErrors).toEqual([]);
  });

  it("refuses what Shopify refuses, in orderCancelUserErrors and the deprecated userErrors, and changes nothing", async () => {
    const refusal = async (order: OrderRecord | null, variables: Json = {}) => {
      const body = await graphql(ORDER_CANCEL, {
        orderId: order ? orderGid(order) : "gid://shopify/Order/3",
        reason: "CUSTOMER",
        refundMethod: { originalPaymentMethodsRefund: true },
        restock: false,
        ...variables,
      });
      expect(body.errors).toBeUndefined();
      const { job, orderCancelUserErrors, userErrors } = body.data.orderCancel;
      expect(job).toBeNull();
      expect(userErrors).toEqual(orderCancelUserErrors.map(({ field, message }: Json) => ({ field, message })));
      return orderCancelUserErrors;
    };
    const cancelled = freshOrder("cancelled");
    const delivered = freshOrder("delivered");
    const open = freshOrder("unfulfilled");
    const cancelledAt = cancelled.cancelledAt;

    expect(await refusal(cancelled)).toEqual([
      { field: ["orderId"], message: "Order has already been cancelled.", code: "INVALID" },
    ]);
    expect(await refusal(null)).toEqual([{ field: ["orderId"], message: "Order does not exist.", code: "NOT_FOUND" }]);
    expect(await refusal(delivered)).toEqual([
      {
        field: ["orderId"],
        message: "Order has fulfillments and can't be cancelled. Cancel its fulfillments first.",
        code: "INVALID",
      },
    ]);
    expect((await refusal(open, { refundMethod: null }))[0]).toMatchObject({
      field: ["refundMethod"],
      code: "INVALID",
    });
    expect((await refusal(open, { refund: true }))[0]).toMatchObject({ field: ["refundMethod"], code: "INVALID" });
    expect(await refusal(open, { staffNote: "x".repeat(256) })).toEqual([
      { field: ["staffNote"], message: "Staff note is too long (maximum is 255 characters).", code: "INVALID" },
    ]);

    expect(cancelled.cancelledAt).toBe(cancelledAt);
    expect(delivered.cancelledAt).toBeNull();
    expect(open.cancelledAt).toBeNull();
    expect(await webhooks("orders/cancelled")).toEqual([]);
  });
});

describe("access scopes", () => {
  it("answers ACCESS_DENIED, like Shopify, when the app lacks write_returns or write_orders", async () => {
    const readOnly = await startEmulator(receiver.url, "read_orders,read_customers,read_fulfillments");
    try {
      const readOnlyToken = readOnly.accessToken(SHOP);
      const order = readOnly
        .shop(SHOP)
        .orders()
        .find((candidate) => describeOrderState(candidate) === "delivered")!;
      const unfulfilled = readOnly
        .shop(SHOP)
        .orders()
        .find((candidate) => describeOrderState(candidate) === "unfulfilled")!;

      const request = await graphql(
        RETURN_REQUEST,
        requestInput(order, [{ id: firstLine(order).id, quantity: 1 }]),
        readOnly,
        readOnlyToken,
      );
      expect(request.data).toEqual({ returnRequest: null });
      expect(request.errors).toEqual([
        {
          message:
            "Access denied for returnRequest field. Required access: `write_returns` access scope or `write_marketplace_returns` access scope.",
          locations: [expect.any(Object)],
          path: ["returnRequest"],
          extensions: {
            code: "ACCESS_DENIED",
            documentation: "https://shopify.dev/api/usage/access-scopes",
            requiredAccess: "`write_returns` access scope or `write_marketplace_returns` access scope.",
          },
        },
      ]);
      const approve = await graphql(
        RETURN_APPROVE,
        { input: { id: "gid://shopify/Return/1" } },
        readOnly,
        readOnlyToken,
      );
      expect(approve.errors[0].extensions.code).toBe("ACCESS_DENIED");
      const cancel = await graphql(
        ORDER_CANCEL,
        { orderId: orderGid(unfulfilled), reason: "CUSTOMER", refund: true, restock: true },
        readOnly,
        readOnlyToken,
      );
      expect(cancel.data).toEqual({ orderCancel: null });
      expect(cancel.errors[0]).toMatchObject({
        message:
          "Access denied for orderCancel field. Required access: `write_orders` access scope or `write_marketplace_orders` access scope.",
        extensions: { code: "ACCESS_DENIED" },
      });
      const returnable = await graphql(
        `
          query R($id: ID!) {
            returnableFulfillments(orderId: $id, first: 1) {
              nodes {
                id
              }
            }
          }
        `,
        { id: orderGid(order) },
        readOnly,
        readOnlyToken,
      );
      expect(returnable.errors[0].extensions.code).toBe("ACCESS_DENIED");

      expect(order.returns).toEqual([]);
      expect(unfulfilled.cancelledAt).toBeNull();
      await readOnly.waitForDeliveries();
    } finally {
      await readOnly.close();
    }
  });
});
