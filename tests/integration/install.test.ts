import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintSessionToken } from "../../dev/store-emulator/signing.ts";
import { shopFetcher } from "../../dev/store-emulator/testing.ts";
import { startIntegrationStack, TEST_APP, type IntegrationStack } from "../support/integration-stack.ts";

const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack();
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");
const home = await import("~/routes/app._index");

async function loadHome(shop: string) {
  const response = await home.loader({ request: stack.adminRequest(shop, "/app"), params: {}, context: {} });
  return response;
}

describe("install through token exchange", () => {
  it("creates the shop, its own workspace and an offline session from the emulator's answers", async () => {
    const response = await stack.install(EU);
    expect(response.status).toBe(200);

    const shop = await db.shop.findUniqueOrThrow({ where: { domain: EU }, include: { workspace: true } });
    const emulated = stack.emulator.shops().find((candidate) => candidate.domain === EU)!;
    expect(shop.name).toBe(emulated.name);
    expect(shop.currencyCode).toBe(emulated.currencyCode);
    expect(shop.ianaTimezone).toBe(emulated.ianaTimezone);
    expect(shop.workspace.name).toBe(emulated.name);
    expect(shop.uninstalledAt).toBeNull();

    const session = await db.session.findUniqueOrThrow({ where: { id: `offline_${EU}` } });
    // The stored token is the one Shopify issued: the Admin API accepts it.
    const shopFetch = shopFetcher(stack.emulator.url);
    const answer = await shopFetch(`https://${EU}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": session.accessToken },
      body: JSON.stringify({ query: "{ shop { myshopifyDomain } }" }),
    });
    expect(await answer.json()).toMatchObject({ data: { shop: { myshopifyDomain: EU } } });
    await shopFetch.close();
    expect(session.refreshToken).toBeTruthy();
    expect(stack.emulator.isInstalled(EU)).toBe(true);
  });

  it("shows the emulator's shop name and plan on the home page", async () => {
    const data = await loadHome(EU);
    const emulated = stack.emulator.shops().find((candidate) => candidate.domain === EU)!;
    expect(data.shop.name).toBe(emulated.name);
    expect(data.shop.myshopifyDomain).toBe(EU);
    expect(data.shop.plan.displayName).toBeTruthy();
    expect(data.overview.workspace.shops.map((member) => member.domain)).toEqual([EU]);
  });

  it("reflects a rename on Shopify's side the next time the app opens", async () => {
    stack.emulator.renameShop(EU, "Maple Goods Europe");
    const data = await loadHome(EU);
    expect(data.shop.name).toBe("Maple Goods Europe");
  });

  it("keeps one shop and one workspace when the merchant opens the app again", async () => {
    await stack.install(EU);
    await stack.install(EU);
    expect(await db.shop.count({ where: { domain: EU } })).toBe(1);
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: EU } });
    expect(await db.workspace.count({ where: { id: shop.workspaceId } })).toBe(1);
  });

  it("gives a second shop a workspace of its own", async () => {
    expect((await stack.install(US)).status).toBe(200);
    const [eu, us] = await Promise.all([
      db.shop.findUniqueOrThrow({ where: { domain: EU } }),
      db.shop.findUniqueOrThrow({ where: { domain: US } }),
    ]);
    expect(eu.workspaceId).not.toBe(us.workspaceId);
  });
});

describe("session tokens", () => {
  it("answers a token signed with the wrong secret with 401 and the retry header", async () => {
    const forged = mintSessionToken({ shop: EU, apiKey: TEST_APP.apiKey, apiSecret: "not-the-secret" });
    const request = new Request(new URL("/app", stack.app.url), {
      headers: { authorization: `Bearer ${forged}`, "user-agent": "Mozilla/5.0 Chrome/156.0" },
    });
    const thrown = await home.loader({ request, params: {}, context: {} }).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(401);
    expect((thrown as Response).headers.get("x-shopify-retry-invalid-session-request")).toBe("1");
  });

  it("sends a document request without a token to the session-token bounce page", async () => {
    const url = new URL("/app", stack.app.url);
    url.searchParams.set("embedded", "1");
    url.searchParams.set("shop", EU);
    url.searchParams.set("host", Buffer.from(`admin.shopify.com/store/maple-goods-eu`).toString("base64"));
    const response = await fetch(url, { redirect: "manual", headers: { "user-agent": "Mozilla/5.0 Chrome/156.0" } });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/auth\/session-token\?/);
  });

  it("rejects a session token minted for a different app", async () => {
    const otherApp = mintSessionToken({ shop: EU, apiKey: "another-app", apiSecret: TEST_APP.apiSecret });
    const request = new Request(new URL("/app", stack.app.url), {
      headers: { authorization: `Bearer ${otherApp}`, "user-agent": "Mozilla/5.0 Chrome/156.0" },
    });
    const thrown = await home.loader({ request, params: {}, context: {} }).catch((error: unknown) => error);
    expect((thrown as Response).status).toBe(401);
  });
});
