import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill } from "../support/sync.ts";
import { eventually } from "../support/wait.ts";

// The home page's two sync buttons, through the real route action: a failed import can be
// retried, and "check for missed changes" runs reconcile now.
const SHOP = "north-trail.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 12, customersPerShop: 6 } });
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");
const home = await import("~/routes/app._index");

function post(fields: Record<string, string>) {
  const body = new URLSearchParams(fields);
  return home.action({
    request: stack.adminRequest(SHOP, "/app", {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    }),
    params: {},
    context: {},
  });
}

describe("home page sync actions", () => {
  it("shows a failed import with its reason, and retrying it imports everything", async () => {
    expect((await stack.install(SHOP)).status).toBe(200);
    await waitForBackfill(SHOP);
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    // What the import job records when it runs out of retries (its last attempt failed).
    const { recordBackfillFailure } = await import("~/services/sync/backfill.server");
    await recordBackfillFailure(SHOP, new Error("Bulk export of orders FAILED (INTERNAL_SERVER_ERROR)"));
    const before = await home.loader({ request: stack.adminRequest(SHOP, "/app"), params: {}, context: {} });
    expect(before.sync).toMatchObject({
      status: "failed",
      error: "Bulk export of orders FAILED (INTERNAL_SERVER_ERROR)",
    });

    const result = await post({ intent: "retry-import" });
    expect(result).toMatchObject({ ok: true, intent: "retry-import" });
    const { state } = await waitForBackfill(SHOP);
    expect(state.ordersSynced).toBe(stack.emulator.shop(SHOP).orders().length);
    expect(await db.shopifyOrder.count({ where: { shopId: shop.id } })).toBe(stack.emulator.shop(SHOP).orders().length);
  });

  it("runs reconcile now when the merchant asks", async () => {
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP }, include: { syncState: true } });
    const before = shop.syncState?.lastReconciledAt ?? null;
    expect(await post({ intent: "check-now" })).toMatchObject({ ok: true, intent: "check-now" });
    await eventually(async () => {
      const state = await db.syncState.findUniqueOrThrow({ where: { shopId: shop.id } });
      return state.lastReconciledAt !== null && state.lastReconciledAt?.getTime() !== before?.getTime();
    });
  });

  it("answers an unknown intent with 400 and changes nothing", async () => {
    const result = await post({ intent: "drop-everything" });
    expect(result).toMatchObject({ init: { status: 400 } });
    expect(await db.shopifyOrder.count()).toBe(stack.emulator.shop(SHOP).orders().length);
  });

  it("answers a body that is not a form with 400 and a message, starting nothing", async () => {
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP }, include: { syncState: true } });
    const since = new Date();
    /** Import and reconcile jobs the action would have queued for this store. */
    const commandsQueued = () => db.$queryRaw<{ name: string }[]>`
      SELECT name FROM pgboss.job
      WHERE created_on >= ${since} AND (singleton_key = ${`backfill:${SHOP}`} OR singleton_key = ${`reconcile-now:${SHOP}`})`;
    const bodies: RequestInit[] = [
      { headers: { "content-type": "application/json" }, body: JSON.stringify({ intent: "check-now" }) },
      { headers: { "content-type": "multipart/form-data; boundary=cut" }, body: "--cut\r\nbroken" },
    ];
    for (const init of bodies) {
      const response = await fetch(stack.adminRequest(SHOP, "/app?index", { method: "POST", ...init }));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        ok: false,
        errors: { form: [expect.stringMatching(/^Send the command as a form/)] },
      });
    }
    expect(await commandsQueued()).toEqual([]);
    const after = await db.syncState.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(after.lastReconciledAt).toEqual(shop.syncState?.lastReconciledAt ?? null);
  });
});
