import "@shopify/shopify-app-remix/adapters/node";
import { createHmac, timingSafeEqual } from "node:crypto";
import {
  InvalidShopError,
  RequestedTokenType,
  ShopifyEventsHeader,
  ShopifyHeader,
  shopifyApi,
  WebhookType,
  WebhookValidationErrorReason,
  type WebhookValidation,
} from "@shopify/shopify-api";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { env } from "~/env.server";
import { logger } from "~/lib/logger.server";
import { namesNoStore, sessionTokenOf } from "~/lib/session-token";
import { SHOP_DOMAIN_MESSAGE } from "~/lib/shopify-urls";
import { recordInstall } from "~/models/shop.server";
import { adminForShop } from "~/services/shopify/admin-graphql.server";
import { startSyncAfterInstall } from "~/services/sync/commands.server";
import { PrismaSessionStorage } from "~/services/shopify/session-storage.server";

// The only shopifyApp({...}) in the codebase. It talks to real Shopify; in dev and tests the
// network preload dev/intercept.mjs routes *.myshopify.com to the store emulator instead.
const shopify = shopifyApp({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  // @shopify/shopify-api 15 has no default version; 2026-07 is the schema we validate against.
  apiVersion: ApiVersion.July26,
  scopes: env.SCOPES.split(","),
  appUrl: env.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(),
  distribution: AppDistribution.AppStore,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  // The library's own log lines go through our structured logger, at our level.
  logger: {
    level: {
      debug: LogSeverity.Debug,
      info: LogSeverity.Info,
      warn: LogSeverity.Warning,
      error: LogSeverity.Error,
      silent: LogSeverity.Error,
    }[env.LOG_LEVEL],
    log: (severity, message) => {
      const write = {
        [LogSeverity.Error]: logger.error,
        [LogSeverity.Warning]: logger.warn,
        [LogSeverity.Info]: logger.info,
        [LogSeverity.Debug]: logger.debug,
      }[severity];
      write(message, { component: "shopify" });
    },
  },
  hooks: {
    // Runs after every token exchange that produced a new offline token: first install, reinstall,
    // and refreshes. recordInstall is idempotent.
    afterAuth: async ({ session, admin }) => {
      await recordInstall(session.shop, adminForShop(session.shop, admin));
      await startSyncAfterInstall(session.shop);
    },
  },
});

/** A delivery's headers: looked up case-insensitively, and listed (for the library's own check). */
export interface WebhookHeaders {
  get(name: string): string | null;
  entries(): [string, string][];
}

/**
 * A webhook's HMAC and headers, checked without what `authenticate.webhook` adds: loading (and,
 * for an expiring token, refreshing over the network) the shop's offline session, which no webhook
 * route uses and which would put a query or a Shopify call before the 200. A delivery with every
 * header Shopify's webhooks carry is checked here directly (the library's header canonicalising
 * was the largest cost of an acknowledgement); anything else — event-bus deliveries, missing
 * headers — goes through the library's own validate, with its answers.
 */
const libraryApi = shopifyApi({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion: ApiVersion.July26,
  hostName: new URL(env.SHOPIFY_APP_URL).host,
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error, log: (_severity, message) => logger.error(message, { component: "shopify" }) },
});
const apiSecret = Buffer.from(env.SHOPIFY_API_SECRET, "utf8");

export async function verifyWebhook(body: Uint8Array, headers: WebhookHeaders): Promise<WebhookValidation> {
  const header = (name: string) => headers.get(name) ?? "";
  const [hmac, topic, domain, apiVersion, webhookId] = [
    ShopifyHeader.Hmac,
    ShopifyHeader.Topic,
    ShopifyHeader.Domain,
    ShopifyHeader.ApiVersion,
    ShopifyHeader.WebhookId,
  ].map(header) as [string, string, string, string, string];
  if (headers.get(ShopifyEventsHeader.Hmac) !== null || !(hmac && topic && domain && apiVersion && webhookId)) {
    // The library reads headers from a web Request; only this rare path needs one.
    const rawRequest = new Request("http://webhook.invalid/", { method: "POST", headers: headers.entries() });
    return libraryApi.webhooks.validate({ rawBody: new TextDecoder().decode(body), rawRequest });
  }
  const expected = createHmac("sha256", apiSecret).update(body).digest();
  const given = Buffer.from(hmac, "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { valid: false, reason: WebhookValidationErrorReason.InvalidHmac };
  }
  const triggeredAt = header(ShopifyHeader.TriggeredAt);
  const eventId = header(ShopifyHeader.EventId);
  const name = header(ShopifyHeader.Name);
  return {
    valid: true,
    webhookType: WebhookType.Webhooks,
    hmac,
    topic: topic.toUpperCase().replace(/[/.]/g, "_"), // the library's topicForStorage
    domain,
    apiVersion,
    webhookId,
    ...(triggeredAt ? { triggeredAt } : {}),
    ...(eventId ? { eventId } : {}),
    ...(name ? { name } : {}),
  };
}

/** A staff member of a shop, as Shopify names them for an online access token. */
export interface StaffUser {
  /** Shopify's user id (the session token's `sub`). */
  shopifyUserId: string;
  name: string;
  email: string;
}

/**
 * Who is using the app: the staff member behind a session token, by online token exchange (the
 * session token itself carries only a user id). One call per person and shop: the caller keeps
 * the answer (models/agent.server.ts). The online token is not kept; the app acts with the
 * shop's offline token.
 */
export async function staffUserOf(shop: string, idToken: string): Promise<StaffUser> {
  const { session } = await libraryApi.auth.tokenExchange({
    shop,
    sessionToken: idToken,
    requestedTokenType: RequestedTokenType.OnlineAccessToken,
  });
  const user = session.onlineAccessInfo?.associated_user;
  if (!user?.email) throw new Error("Shopify's online token names no staff member");
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ").trim() || user.email;
  return { shopifyUserId: String(user.id), name, email: user.email.toLowerCase() };
}

// The library answers some bad input with an exception (a 500) or an empty 400. These two wrappers
// turn exactly those cases into 4xx answers with a message; everything else passes through.

/**
 * A session token whose `dest` is not a *.myshopify.com store: the library throws (TypeError or
 * InvalidShopError) while deriving the shop from it. No Shopify token looks like that: 401.
 */
const admin: typeof shopify.authenticate.admin = async (request) => {
  const token = sessionTokenOf(request);
  if (token && namesNoStore(token)) {
    logger.warn("refused a session token for a domain that is not a Shopify store", {
      path: new URL(request.url).pathname,
    });
    throw new Response(
      "This session token is not for a Shopify store (its destination is not a *.myshopify.com domain). Open Shopdesk from your Shopify admin.",
      { status: 401, headers: { "content-type": "text/plain; charset=utf-8" } },
    );
  }
  return shopify.authenticate.admin(request);
};

/**
 * App Proxy requests. The library answers a missing, wrong or stale (over 90 s) signature with an
 * empty 400: that is a caller that did not prove it is Shopify, so 401 with the reason. A correctly
 * signed `shop` that is not a store domain makes it throw InvalidShopError: 400.
 */
const appProxy: typeof shopify.authenticate.public.appProxy = async (request) => {
  try {
    return await shopify.authenticate.public.appProxy(request);
  } catch (error) {
    // The library's only 400s here are its signature checks (authenticate/public/appProxy).
    if (error instanceof Response && error.status === 400) {
      throw Response.json(
        {
          error:
            "This request is not signed by Shopify's App Proxy (the signature is missing, wrong or older than 90 seconds). Call it through the store: /apps/shopdesk/…",
        },
        { status: 401 },
      );
    }
    if (error instanceof InvalidShopError) throw Response.json({ error: SHOP_DOMAIN_MESSAGE }, { status: 400 });
    throw error;
  }
};

export default shopify;
export const apiVersion = ApiVersion.July26;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = {
  ...shopify.authenticate,
  admin,
  public: { ...shopify.authenticate.public, appProxy },
};
export const unauthenticated = shopify.unauthenticated;
export const sessionStorage = shopify.sessionStorage;
