import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintSessionToken, webhookHeaders } from "../../dev/store-emulator/signing.ts";
import { startIntegrationStack, TEST_APP, type IntegrationStack } from "../support/integration-stack.ts";
import { eventually } from "../support/wait.ts";

// Two shops of different merchants, each with history in the database: whatever shop A's admin
// session asks for, it only ever sees shop A's rows.
const A = "maple-goods-eu.myshopify.com";
const B = "north-trail.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack();
  for (const shop of [A, B]) expect((await stack.install(shop)).status).toBe(200);
  for (const [shop, scopes] of [
    [A, ["read_orders"]],
    [B, ["read_customers", "write_customers"]],
  ] as const) {
    const body = JSON.stringify({ current: scopes, updated_at: new Date().toISOString() });
    await fetch(new URL("/webhooks/app/scopes_update", stack.app.url), {
      method: "POST",
      body,
      headers: webhookHeaders({ topic: "app/scopes_update", shop, body }, TEST_APP.apiSecret),
    });
  }
  stack.emulator.sendCompliance(B, "customers/data_request", { customer: stack.emulator.shop(B).customers()[0]!.id });
  await stack.emulator.waitForDeliveries();
  await eventually(async () => (await db.complianceRequest.count({ where: { shopDomain: B } })) === 1);
  await eventually(
    async () => (await db.webhookEvent.count({ where: { status: { in: ["received", "failed"] } } })) === 0,
  );
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");
const home = await import("~/routes/app._index");
const activity = await import("~/routes/app.activity");

const call = <T>(loader: (args: LoaderFunctionArgs) => Promise<T>, shop: string, path: string) =>
  loader({ request: stack.adminRequest(shop, path), params: {}, context: {} });

describe("one shop never sees another's data", () => {
  it("the activity page of A lists only A's webhook events and privacy requests", async () => {
    const data = await call(activity.loader, A, "/app/activity");
    const ownIds = new Set((await db.webhookEvent.findMany({ where: { shopDomain: A } })).map((event) => event.id));
    expect(data.events.length).toBe(ownIds.size);
    expect(data.events.every((event) => ownIds.has(event.id))).toBe(true);
    expect(data.privacy).toEqual([]);

    const forB = await call(activity.loader, B, "/app/activity");
    expect(forB.privacy).toHaveLength(1);
    expect(forB.events.some((event) => ownIds.has(event.id))).toBe(false);
  });

  it("the home page of A counts A's rows and names A's workspace only", async () => {
    const data = await call(home.loader, A, "/app");
    expect(data.shop.myshopifyDomain).toBe(A);
    expect(data.overview.held.webhookEvents).toBe(await db.webhookEvent.count({ where: { shopDomain: A } }));
    expect(data.overview.held.complianceRequests).toBe(0);
    expect(data.overview.workspace.shops.map((shop) => shop.domain)).toEqual([A]);
  });

  it("a session token for A cannot be turned into B's by editing it", async () => {
    const token = stack.emulator.sessionToken(A);
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const forged = [
      header,
      Buffer.from(JSON.stringify({ ...claims, dest: `https://${B}`, iss: `https://${B}/admin` })).toString("base64url"),
      signature,
    ].join(".");
    const request = new Request(new URL("/app", stack.app.url), {
      headers: { authorization: `Bearer ${forged}`, "user-agent": "Mozilla/5.0 Chrome/156.0" },
    });
    const thrown = await home.loader({ request, params: {}, context: {} }).catch((error: unknown) => error);
    expect((thrown as Response).status).toBe(401);
  });

  it("a shop that never installed the app is refused even with a valid token", async () => {
    const stranger = "maple-goods-us.myshopify.com";
    const token = mintSessionToken({ shop: stranger, ...TEST_APP });
    const request = new Request(new URL("/app/activity", stack.app.url), {
      headers: { authorization: `Bearer ${token}`, "user-agent": "Mozilla/5.0 Chrome/156.0" },
    });
    // Token exchange installs it on the fly (that is how installs happen) — but it gets its own
    // empty workspace and none of A's or B's data.
    const data = await activity.loader({ request, params: {}, context: {} });
    expect(data.events).toEqual([]);
    expect(data.privacy).toEqual([]);
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: stranger } });
    const others = await db.shop.findMany({ where: { domain: { in: [A, B] } } });
    expect(others.every((other) => other.workspaceId !== shop.workspaceId)).toBe(true);
  });
});
