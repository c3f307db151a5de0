// One test file's world: the store emulator (Shopify), a real HTTP server in front of the app's
// routes, the network preload that sends *.myshopify.com to the emulator, and the job workers.
import { startStoreEmulator, type SeedOptions, type StoreEmulator } from "../../dev/store-emulator/index.ts";
import { adminHostParam } from "../../dev/store-emulator/signing.ts";
import { webhookSubscriptionsFromToml } from "../../dev/stack.ts";
import { startTestAppServer, type TestAppServer } from "./app-server.ts";

export const TEST_APP = {
  apiKey: process.env.SHOPIFY_API_KEY ?? "",
  apiSecret: process.env.SHOPIFY_API_SECRET ?? "",
};

/** A small world by default: integration tests are about behaviour, not volume. */
export const SMALL_SEED: SeedOptions = { ordersPerShop: 12, customersPerShop: 8 };

export interface IntegrationStack {
  emulator: StoreEmulator;
  app: TestAppServer;
  /** Opens the embedded app for the shop as the admin does (token exchange, install), as staff user 1 or `userId`. */
  install(shopDomain: string, options?: { userId?: string }): Promise<Response>;
  /**
   * A request to the app as App Bridge would send it from the shop's admin (Bearer token), by the
   * shop's owner or by the staff member `userId` (the emulator's staff: "1", "2", "3").
   */
  adminRequest(shopDomain: string, path: string, init?: RequestInit, userId?: string): Request;
  stop(): Promise<void>;
}

export async function startIntegrationStack(
  options: {
    seed?: SeedOptions | false;
    /** Subscriptions from shopify.app.toml that the emulator "lost" (never delivers). */
    withoutSubscriptions?: string[];
  } = {},
): Promise<IntegrationStack> {
  const app = await startTestAppServer();
  const emulator = await startStoreEmulator({
    app: { ...TEST_APP, url: app.url },
    webhooks: webhookSubscriptionsFromToml().filter(({ topic }) => !options.withoutSubscriptions?.includes(topic)),
    seed: options.seed ?? SMALL_SEED,
    webhookRetryDelayMs: 10,
  });
  process.env.SHOPDESK_EMULATOR_URL = emulator.url;
  await import("../../dev/intercept.mjs");
  const { stopJobs } = await import("~/jobs/queue.server");
  const { startJobWorkers } = await import("~/jobs/workers.server");
  await startJobWorkers();

  return {
    emulator,
    app,
    async install(shopDomain, options = {}) {
      const url = new URL("/app", app.url);
      url.searchParams.set("embedded", "1");
      url.searchParams.set("shop", shopDomain);
      url.searchParams.set("host", adminHostParam(shopDomain));
      url.searchParams.set("id_token", emulator.sessionToken(shopDomain, options.userId));
      return fetch(url, { headers: { "user-agent": "Mozilla/5.0 Chrome/156.0" } });
    },
    adminRequest(shopDomain, path, init = {}, userId) {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${emulator.sessionToken(shopDomain, userId)}`);
      headers.set("user-agent", "Mozilla/5.0 Chrome/156.0");
      return new Request(new URL(path, app.url), { ...init, headers });
    },
    async stop() {
      await stopJobs();
      await emulator.close();
      await app.close();
    },
  };
}
