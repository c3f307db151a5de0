// requestReturn, approveReturn, declineReturn and cancelOrder against the store emulator over real
// HTTP (the real Admin 2026-07 schema, Shopify's userErrors and scopes), through the app's Admin API
// runner; each result is checked, then what a later order query shows.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import {
  DEFAULT_SEED_SHOPS,
  describeOrderState,
  startStoreEmulator,
  type OrderRecord,
  type StoreEmulator,
} from "../../../dev/store-emulator/index.ts";
import { shopFetcher } from "../../../dev/store-emulator/testing.ts";
import { adminSchema } from "../../../dev/store-emulator/schema.ts";
import { runAdminQuery, type AdminGraphqlClient } from "./admin-graphql.server";
import { cancelOrder, describeCancelErrors } from "./order-cancel.server";
import { approveReturn, declineReturn, describeReturnErrors, requestReturn } from "./returns.server";

const SHOP = "north-trail.myshopify.com";
const APP = { apiKey: "order-actions-key", apiSecret: "order-actions-secret", url: "http://127.0.0.1:9" };
const SEED = {
  ordersPerShop: 80,
  customersPerShop: 10,
  now: "2026-11-01T12:00:00Z",
  shops: DEFAULT_SEED_SHOPS.filter((shop) => shop.domain === SHOP),
};

// Each test is a few HTTP round trips through graphql-js; a loaded CI machine with every unit file
// in parallel took over 5 s for one. Time is the benchmarks' business, not these tests'.
vi.setConfig({ testTimeout: 20_000, hookTimeout: 30_000 });

let emulator: StoreEmulator;
let admin: AdminGraphqlClient;
const closers: (() => Promise<void>)[] = [];

/** The app's client shape (what adminForShop gives), answered by an emulator. */
function clientFor(target: StoreEmulator): AdminGraphqlClient {
  const shopFetch = shopFetcher(target.url);
  closers.push(() => shopFetch.close());
  const token = target.accessToken(SHOP);
  return {
    shop: SHOP,
    graphql: async (query, options) =>
      (await shopFetch(`https://${SHOP}/admin/api/2026-07/graphql.json`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-shopify-access-token": token },
        body: JSON.stringify({ query, variables: options?.variables }),
        signal: options?.signal,
      })) as unknown as Response,
  };
}

beforeAll(async () => {
  // The real schema is built once per process (~1-2 s, more on a loaded machine): here, not in a test.
  adminSchema();
  emulator = await startStoreEmulator({ app: APP, seed: SEED });
  admin = clientFor(emulator);
});

afterAll(async () => {
  for (const close of closers) await close();
  await emulator.close();
});

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

const orderGid = (order: OrderRecord) => `gid://shopify/Order/${order.id}`;
const lineItemGid = (id: number) => `gid://shopify/LineItem/${id}`;

// What a later read shows, through the same runner and client.
const OrderStateSchema = z.object({
  order: z.object({
    cancelledAt: z.string().nullable(),
    cancelReason: z.string().nullable(),
    displayFinancialStatus: z.string(),
    returnStatus: z.string(),
    returns: z.object({
      nodes: z.array(
        z.object({
          id: z.string(),
          status: z.string(),
          returnLineItems: z.object({
            nodes: z.array(
              z.object({ quantity: z.number(), customerNote: z.string().nullable(), returnReason: z.string() }),
            ),
          }),
        }),
      ),
    }),
    refunds: z.array(
      z.object({ refundLineItems: z.object({ nodes: z.array(z.object({ restockType: z.string() })) }) }),
    ),
  }),
});
async function orderState(order: OrderRecord) {
  const data = await runAdminQuery(
    admin,
    `query TestOrderState($id: ID!) { order(id: $id) {
      cancelledAt cancelReason displayFinancialStatus returnStatus
      returns(first: 5) { nodes { id status
        returnLineItems(first: 5) { nodes { quantity customerNote ... on ReturnLineItem { returnReason } } } } }
      refunds { refundLineItems(first: 10) { nodes { restockType } } }
    } }`,
    OrderStateSchema,
    { id: orderGid(order) },
  );
  return data.order;
}

describe("requestReturn, approveReturn, declineReturn", () => {
  it("files the shopper's items as a REQUESTED return, then approves it; the order shows each step", async () => {
    const order = freshOrder("delivered");
    const item = order.lineItems[0]!;

    const requested = await requestReturn(admin, {
      orderId: orderGid(order),
      items: [{ lineItemId: lineItemGid(item.id), quantity: 1, reason: "SIZE_TOO_SMALL", customerNote: "Too tight" }],
    });

    expect(requested).toEqual({
      ok: true,
      return: {
        id: expect.stringMatching(/^gid:\/\/shopify\/Return\/\d+$/),
        name: `${order.name}-R1`,
        status: "REQUESTED",
        orderId: orderGid(order),
        requestApprovedAt: null,
        decline: null,
      },
    });
    if (!requested.ok) return;
    expect(await orderState(order)).toMatchObject({
      returnStatus: "RETURN_REQUESTED",
      returns: {
        nodes: [
          {
            id: requested.return.id,
            status: "REQUESTED",
            returnLineItems: { nodes: [{ quantity: 1, customerNote: "Too tight", returnReason: "SIZE_TOO_SMALL" }] },
          },
        ],
      },
    });

    const approved = await approveReturn(admin, requested.return.id, { notifyCustomer: true });
    expect(approved).toMatchObject({ ok: true, return: { id: requested.return.id, status: "OPEN" } });
    expect(approved.ok && approved.return.requestApprovedAt).toBeTruthy();
    expect((await orderState(order)).returns.nodes[0]!.status).toBe("OPEN");
    expect(emulator.customerNotifications.at(-1)).toMatchObject({ kind: "return_approved", orderId: order.id });

    // Approving twice: Shopify's INVALID_STATE, told as something the agent can act on.
    const again = await approveReturn(admin, requested.return.id, { notifyCustomer: false });
    expect(again).toEqual({
      ok: false,
      reason: "rejected",
      message:
        "This return was already approved, declined or closed in Shopify, so it can't be approved now. Refresh the order to see where it stands.",
      userErrors: [expect.objectContaining({ code: "INVALID_STATE", field: ["input", "id"] })],
    });
  });

  it("declines a requested return with the merchant's reason and note", async () => {
    const order = freshOrder("delivered");
    const requested = await requestReturn(admin, {
      orderId: orderGid(order),
      items: [{ lineItemId: String(order.lineItems[0]!.id), quantity: 1, reason: "UNWANTED" }],
    });
    expect(requested.ok).toBe(true);
    if (!requested.ok) return;

    const declined = await declineReturn(admin, requested.return.id, {
      reason: "RETURN_PERIOD_ENDED",
      note: "Our 30-day window has passed.",
      notifyCustomer: false,
    });

    expect(declined).toMatchObject({
      ok: true,
      return: { status: "DECLINED", decline: { reason: "RETURN_PERIOD_ENDED", note: "Our 30-day window has passed." } },
    });
    expect(await orderState(order)).toMatchObject({
      returnStatus: "NO_RETURN",
      returns: { nodes: [{ status: "DECLINED" }] },
    });
    const twice = await declineReturn(admin, requested.return.id, { reason: "OTHER", notifyCustomer: false });
    expect(twice.ok === false && twice.message).toMatch(/already approved, declined or closed.*can't be declined/);
  });

  it("splits a line shipped in two fulfillments across both, and refuses more than was shipped", async () => {
    const order = emulator.createOrder(SHOP, {
      customer: emulator.shop(SHOP).customers()[0]!.id,
      lineItems: [{ title: "Merino Socks", price: "19.00", quantity: 3 }],
    });
    const item = order.lineItems[0]!;
    emulator.fulfill(SHOP, { order: order.id, lineItems: [{ lineItemId: item.id, quantity: 1 }] });
    emulator.fulfill(SHOP, { order: order.id, lineItems: [{ lineItemId: item.id, quantity: 1 }] });

    const tooMany = await requestReturn(admin, {
      orderId: orderGid(order),
      items: [{ lineItemId: lineItemGid(item.id), quantity: 3, reason: "DEFECTIVE" }],
    });
    expect(tooMany).toEqual({
      ok: false,
      reason: "rejected",
      message:
        "Shopify can take back only 2 of the 3 asked for one of the items: the rest hasn't shipped yet or is already in another return.",
      userErrors: [],
    });
    expect(order.returns).toEqual([]);

    const both = await requestReturn(admin, {
      orderId: orderGid(order),
      items: [{ lineItemId: lineItemGid(item.id), quantity: 2, reason: "DEFECTIVE" }],
    });
    expect(both.ok).toBe(true);
    expect(order.returns[0]!.lineItems.map((line) => [line.fulfillmentLineItemId, line.quantity])).toEqual(
      order.fulfillments.map((fulfillment) => [fulfillment.lineItems[0]!.id, 1]),
    );

    const nothingLeft = await requestReturn(admin, {
      orderId: orderGid(order),
      items: [{ lineItemId: lineItemGid(item.id), quantity: 1, reason: "DEFECTIVE" }],
    });
    expect(nothingLeft.ok === false && nothingLeft.message).toBe(
      "One of the items can't be returned in Shopify: it hasn't shipped yet, or it is already in another return.",
    );
  });

  it("takes the same line asked twice from what the first ask left", async () => {
    const order = emulator.createOrder(SHOP, { lineItems: [{ title: "Cedar Candle", price: "24.00", quantity: 2 }] });
    const item = order.lineItems[0]!;
    emulator.fulfill(SHOP, { order: order.id, lineItems: [{ lineItemId: item.id, quantity: 1 }] });
    emulator.fulfill(SHOP, { order: order.id, lineItems: [{ lineItemId: item.id, quantity: 1 }] });
    const result = await requestReturn(admin, {
      orderId: orderGid(order),
      items: [
        { lineItemId: lineItemGid(item.id), quantity: 1, reason: "DEFECTIVE", customerNote: "Cracked lid" },
        { lineItemId: lineItemGid(item.id), quantity: 1, reason: "COLOR" },
      ],
    });
    expect(result.ok).toBe(true);
    expect(order.returns[0]!.lineItems.map((line) => [line.fulfillmentLineItemId, line.reason])).toEqual([
      [order.fulfillments[0]!.lineItems[0]!.id, "DEFECTIVE"],
      [order.fulfillments[1]!.lineItems[0]!.id, "COLOR"],
    ]);
  });

  it("answers what an agent can act on when the return can't even be asked for", async () => {
    const order = freshOrder("delivered");
    const noItems = await requestReturn(admin, { orderId: orderGid(order), items: [] });
    expect(noItems).toMatchObject({ ok: false, reason: "rejected", message: "Choose at least one item to return." });
    const longNote = await requestReturn(admin, {
      orderId: orderGid(order),
      items: [
        { lineItemId: String(order.lineItems[0]!.id), quantity: 1, reason: "OTHER", customerNote: "x".repeat(301) },
      ],
    });
    expect(longNote.ok === false && longNote.message).toMatch(/300 characters/);
    const gone = await approveReturn(admin, "gid://shopify/Return/1", { notifyCustomer: false });
    expect(gone).toMatchObject({
      ok: false,
      reason: "rejected",
      message: "Shopify no longer has this return. Refresh the order to see its returns.",
    });
    await expect(requestReturn(admin, { orderId: "#1001", items: [] })).rejects.toThrow(TypeError);
  });
});

describe("cancelOrder", () => {
  it("cancels with the merchant's refund and restock choices; the order shows it cancelled, refunded, restocked", async () => {
    const order = freshOrder("unfulfilled", (candidate) => candidate.financialStatus === "PAID");

    const result = await cancelOrder(admin, orderGid(order), {
      reason: "CUSTOMER",
      refund: true,
      restock: true,
      notifyCustomer: true,
      staffNote: "Portal request approved by Sam",
    });

    expect(result).toEqual({
      ok: true,
      orderId: orderGid(order),
      jobId: expect.stringMatching(/^gid:\/\/shopify\/Job\//),
      done: false,
    });
    const state = await orderState(order);
    expect(state).toMatchObject({ cancelReason: "CUSTOMER", displayFinancialStatus: "REFUNDED" });
    expect(state.cancelledAt).not.toBeNull();
    expect(state.refunds[0]!.refundLineItems.nodes.every((line) => line.restockType === "CANCEL")).toBe(true);
    expect(order.cancellationStaffNote).toBe("Portal request approved by Sam");
    expect(emulator.customerNotifications.at(-1)).toMatchObject({ kind: "order_cancelled", orderId: order.id });

    const again = await cancelOrder(admin, orderGid(order), {
      reason: "CUSTOMER",
      refund: true,
      restock: true,
      notifyCustomer: false,
    });
    expect(again).toEqual({
      ok: false,
      reason: "rejected",
      message: "This order is already cancelled in Shopify.",
      userErrors: [{ field: ["orderId"], message: "Order has already been cancelled.", code: "INVALID" }],
    });
  });

  it("keeps the money and the stock when the merchant's defaults say so", async () => {
    const order = freshOrder("unfulfilled", (candidate) => candidate.financialStatus === "PAID");
    const result = await cancelOrder(admin, String(order.id), {
      reason: "INVENTORY",
      refund: false,
      restock: false,
      notifyCustomer: false,
    });
    expect(result.ok).toBe(true);
    expect(await orderState(order)).toMatchObject({
      displayFinancialStatus: "PAID",
      cancelReason: "INVENTORY",
      refunds: [],
    });
    expect(emulator.customerNotifications.some((entry) => entry.orderId === order.id)).toBe(false);
  });

  it("says why Shopify won't cancel a shipped order, and refuses a staff note Shopify wouldn't take", async () => {
    const shipped = freshOrder("in_transit");
    const result = await cancelOrder(admin, orderGid(shipped), {
      reason: "CUSTOMER",
      refund: true,
      restock: true,
      notifyCustomer: false,
    });
    expect(result).toMatchObject({
      ok: false,
      reason: "rejected",
      message:
        "Part of this order has already shipped, so Shopify won't cancel it. Cancel the shipment in Shopify first, or offer the shopper a return.",
    });
    expect(shipped.cancelledAt).toBeNull();
    const longNote = await cancelOrder(admin, orderGid(shipped), {
      reason: "CUSTOMER",
      refund: true,
      restock: true,
      notifyCustomer: false,
      staffNote: "x".repeat(256),
    });
    expect(longNote.ok === false && longNote.message).toMatch(/255 characters/);
  });
});

describe("when Shopify can't or won't run it", () => {
  it("tells the merchant to grant the permission when the app's scopes lack write_returns / write_orders", async () => {
    const readOnly = await startStoreEmulator({
      app: { ...APP, scopes: "read_orders,read_returns,read_customers" },
      seed: SEED,
    });
    try {
      const client = clientFor(readOnly);
      const delivered = readOnly
        .shop(SHOP)
        .orders()
        .find((order) => describeOrderState(order) === "delivered")!;
      const unfulfilled = readOnly
        .shop(SHOP)
        .orders()
        .find((order) => describeOrderState(order) === "unfulfilled")!;

      const returned = await requestReturn(client, {
        orderId: orderGid(delivered),
        items: [{ lineItemId: String(delivered.lineItems[0]!.id), quantity: 1, reason: "OTHER" }],
      });
      expect(returned).toMatchObject({ ok: false, reason: "access-denied" });
      expect(returned.ok === false && returned.message).toMatch(/isn't allowed to manage returns.*write_returns/);
      const cancelled = await cancelOrder(client, orderGid(unfulfilled), {
        reason: "CUSTOMER",
        refund: true,
        restock: true,
        notifyCustomer: false,
      });
      expect(cancelled).toMatchObject({ ok: false, reason: "access-denied" });
      expect(cancelled.ok === false && cancelled.message).toMatch(/isn't allowed to cancel orders.*write_orders/);
      expect(delivered.returns).toEqual([]);
      expect(unfulfilled.cancelledAt).toBeNull();
    } finally {
      await readOnly.close();
    }
  });

  it("does not resend a cancel after a 5xx and says it may have gone through", async () => {
    const order = freshOrder("unfulfilled");
    const seen = emulator.requests.length;
    emulator.failNext(SHOP, 1, "503");
    const result = await cancelOrder(admin, orderGid(order), {
      reason: "CUSTOMER",
      refund: true,
      restock: false,
      notifyCustomer: false,
    });
    expect(result).toEqual({
      ok: false,
      reason: "unavailable",
      message:
        "Shopify didn't answer, so we can't tell whether it went through. Check the order in Shopify before trying again.",
      userErrors: [],
    });
    // Sent once: a 5xx may come after Shopify ran it, and a cancel is not safe to run twice.
    expect(emulator.requests.slice(seen).map((entry) => entry.status)).toEqual([503]);
    expect(order.cancelledAt).toBeNull();
  });
});

describe("describeReturnErrors and describeCancelErrors", () => {
  const error = (code: string | null, field: string[] | null, message = "Shopify's words") => ({
    field,
    message,
    code,
  });

  it("turns each ReturnUserError code into something an agent can act on", () => {
    expect(describeReturnErrors([error("NOT_FOUND", ["input", "orderId"])], "request")).toMatch(
      /no longer has this order/,
    );
    expect(
      describeReturnErrors([error("NOT_FOUND", ["input", "returnLineItems", "0", "fulfillmentLineItemId"])], "request"),
    ).toMatch(/aren't on a shipment/);
    expect(describeReturnErrors([error("INVALID", ["input", "returnLineItems", "0", "quantity"])], "request")).toMatch(
      /more than was delivered/,
    );
    expect(describeReturnErrors([error("TOO_LONG", ["input", "declineNote"])], "decline")).toMatch(/500 characters/);
    expect(describeReturnErrors([error("INVALID_STATE", ["input", "id"])], "decline")).toMatch(/can't be declined now/);
    expect(describeReturnErrors([error("INTERNAL_ERROR", null, "Something broke")], "request")).toBe(
      "Shopify refused the return: Something broke",
    );
    expect(describeReturnErrors([], "approve")).toMatch(/didn't say/);
  });

  it("tells the states that stop a cancel apart, though Shopify codes them all INVALID", () => {
    expect(describeCancelErrors([error("NOT_FOUND", ["orderId"])])).toMatch(/no longer has this order/);
    expect(describeCancelErrors([error("INVALID", ["orderId"], "Order has returns in progress")])).toMatch(
      /return in progress/,
    );
    expect(describeCancelErrors([error("NO_REFUND_PERMISSION", null)])).toMatch(/without a refund/);
    expect(describeCancelErrors([error("INVALID", ["orderId"], "Something else")])).toBe(
      "Shopify refused to cancel the order: Something else",
    );
  });
});
