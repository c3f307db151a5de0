import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { env } from "~/env.server";
import { logger } from "~/lib/logger.server";
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

export default shopify;
export const apiVersion = ApiVersion.July26;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const sessionStorage = shopify.sessionStorage;
