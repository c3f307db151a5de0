// The emulator against the real @shopify/shopify-api client, reached the way the app reaches it:
// a global undici dispatcher (what dev/intercept.mjs installs) sends *.myshopify.com to the emulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from "undici";
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, GraphqlQueryError, RequestedTokenType, shopifyApi } from "@shopify/shopify-api";
import { startStoreEmulator, type StoreEmulator } from "./index.ts";
import { emulatorDispatcher } from "./testing.ts";

const SHOP = "north-trail.myshopify.com";
const shopify = shopifyApi({
  apiKey: "library-key",
  apiSecretKey: "library-secret",
  apiVersion: ApiVersion.July26,
  hostName: "127.0.0.1",
  isEmbeddedApp: true,
  logger: { level: 0, log: async () => {} },
});

let emulator: StoreEmulator;
let previousDispatcher: Dispatcher;

beforeAll(async () => {
  emulator = await startStoreEmulator({
    app: { apiKey: "library-key", apiSecret: "library-secret", url: "http://127.0.0.1:9" },
    seed: { ordersPerShop: 20, customersPerShop: 10 },
  });
  previousDispatcher = getGlobalDispatcher();
  setGlobalDispatcher(emulatorDispatcher(emulator.url));
});

afterAll(async () => {
  setGlobalDispatcher(previousDispatcher);
  await emulator.close();
});

describe("@shopify/shopify-api against the emulator", () => {
  // Several signed HTTP round trips through @shopify/shopify-api: about 2 s on a busy machine.
  it("exchanges a session token, queries GraphQL and refreshes the expiring token", async () => {
    const { session } = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: emulator.sessionToken(SHOP, "42"),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
      expiring: true,
    });
    expect(session).toMatchObject({ shop: SHOP, isOnline: false });
    expect(session.accessToken).toMatch(/^shpat_/);
    expect(session.refreshToken).toMatch(/^shprt_/);
    expect(session.expires!.getTime()).toBeGreaterThan(Date.now());

    const client = new shopify.clients.Graphql({ session });
    const answer = await client.request<{ shop: { name: string; myshopifyDomain: string } }>(
      "{ shop { name myshopifyDomain } }",
    );
    expect(answer.data?.shop).toEqual({ name: "North Trail Outfitters", myshopifyDomain: SHOP });
    expect(answer.extensions?.cost).toMatchObject({ throttleStatus: { maximumAvailable: 2000 } });

    const { session: refreshed } = await shopify.auth.refreshToken({ shop: SHOP, refreshToken: session.refreshToken! });
    expect(refreshed.accessToken).not.toBe(session.accessToken);
    const again = await new shopify.clients.Graphql({ session: refreshed }).request<{ ordersCount: { count: number } }>(
      "{ ordersCount { count } }",
    );
    expect(again.data?.ordersCount.count).toBe(20);
  }, 30_000);

  it("surfaces validation errors as GraphqlQueryError", async () => {
    const { session } = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: emulator.sessionToken(SHOP),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
    });
    const client = new shopify.clients.Graphql({ session });
    const failure = await client.request("{ shop { nope } }").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GraphqlQueryError);
    expect((failure as GraphqlQueryError).body?.errors).toMatchObject({
      graphQLErrors: [{ message: "Field 'nope' doesn't exist on type 'Shop'" }],
    });
  });

  it("lets the client's own retries ride over injected 503s", async () => {
    const { session } = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: emulator.sessionToken(SHOP),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
    });
    emulator.failNext(SHOP, 2, "503");
    const answer = await new shopify.clients.Graphql({ session }).request<{ shop: { name: string } }>(
      "{ shop { name } }",
      { retries: 2 },
    );
    expect(answer.data?.shop.name).toBe("North Trail Outfitters");
    const failedAttempts = emulator.requests.filter((request) => request.shop === SHOP && request.status === 503);
    expect(failedAttempts).toHaveLength(2);
  }, 15_000);
});
