import { db } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import { isNewerThanStored } from "~/domain/freshness";
import { logger } from "~/lib/logger.server";
import { addStarterMacros } from "~/models/macro.server";
import { adminForShop, type AdminGraphqlClient } from "~/services/shopify/admin-graphql.server";
import { fetchShopDetails } from "~/services/shopify/shop-details.server";

/**
 * First install creates the Shop and a Workspace of its own (a merchant links more shops to it
 * later); a reinstall clears uninstalledAt and keeps everything else. Safe to run on every
 * token exchange.
 */
export async function recordInstall(domain: string, admin: AdminGraphqlClient) {
  // Routes pass the library's client, which does not know its shop: name it for logs and budgets.
  const details = await fetchShopDetails(admin.shop ? admin : adminForShop(domain, admin));
  const profile = {
    shopifyId: details.id,
    name: details.name,
    email: details.email,
    planName: details.plan.displayName,
    currencyCode: details.currencyCode,
    ianaTimezone: details.ianaTimezone,
  };
  const upsert = () =>
    db.$transaction(async (tx) => {
      const existing = await tx.shop.findUnique({ where: { domain } });
      if (existing) {
        return tx.shop.update({
          where: { domain },
          data: { ...profile, ...(existing.uninstalledAt ? { uninstalledAt: null, installedAt: new Date() } : {}) },
        });
      }
      const created = await tx.shop.create({
        data: { domain, ...profile, workspace: { create: { name: details.name } } },
      });
      // A new workspace starts with the starter macros (decision 019); only here, so a merchant
      // who deletes them does not get them back on the next visit.
      await addStarterMacros(created.workspaceId, undefined, tx);
      return created;
    });
  // The admin's first page load runs two loaders at once, both of which may install: the loser of
  // the unique-domain race simply updates the row the winner created.
  const shop = await upsert().catch((error: unknown) => {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return upsert();
    throw error;
  });
  logger.info("shop installed", { shop: domain, workspaceId: shop.workspaceId });
  return shop;
}

/**
 * The shop behind an authenticated admin request. Normally recorded by the afterAuth hook; when a
 * parallel loader got here first (the session exists, the hook is still running), record it now.
 */
export async function requireInstalledShop(domain: string, admin: AdminGraphqlClient) {
  const shop = await db.shop.findUnique({ where: { domain } });
  if (shop && !shop.uninstalledAt) return shop;
  return recordInstall(domain, admin);
}

export function findShop(domain: string) {
  return db.shop.findUnique({ where: { domain }, include: { workspace: { include: { shops: true } } } });
}

/**
 * app/uninstalled: the token is dead, so drop sessions; keep the shop's data until shop/redact
 * (Shopify sends it 48 hours later) so a quick reinstall loses nothing. An uninstall triggered
 * before the latest install is stale (the merchant reinstalled since) and changes nothing.
 */
export async function recordUninstall(domain: string, triggeredAt: Date | null): Promise<"processed" | "skipped"> {
  const uninstalledAt = triggeredAt ?? new Date();
  const shop = await db.shop.findUnique({ where: { domain }, select: { installedAt: true, uninstalledAt: true } });
  if (shop && shop.installedAt > uninstalledAt) return "skipped";
  await db.session.deleteMany({ where: { shop: domain } });
  if (!shop) return "skipped";
  if (!shop.uninstalledAt) await db.shop.update({ where: { domain }, data: { uninstalledAt } });
  return "processed";
}

/** app/scopes_update: applied only when newer than what we hold (deliveries are unordered). */
export async function applyScopesUpdate(domain: string, scopes: string[], updatedAt: Date | null) {
  const shop = await db.shop.findUnique({ where: { domain }, select: { scopesUpdatedAt: true } });
  if (!shop || !isNewerThanStored(shop.scopesUpdatedAt, updatedAt)) return "skipped" as const;
  // Conditional update: a concurrent newer delivery that landed first must still win.
  const result = await db.shop.updateMany({
    where: {
      domain,
      OR: [{ scopesUpdatedAt: null }, ...(updatedAt ? [{ scopesUpdatedAt: { lt: updatedAt } }] : [])],
    },
    data: { grantedScopes: scopes.join(","), scopesUpdatedAt: updatedAt },
  });
  return result.count > 0 ? ("processed" as const) : ("skipped" as const);
}

export async function setNotesSync(shopId: string, enabled: boolean) {
  await db.shop.update({ where: { id: shopId }, data: { notesSyncEnabled: enabled } });
}

/**
 * Known shops' Shopify ids. A myshopify.com domain names one shop for good, so an id once read
 * stays true; the webhook intake asks for it on every carrier event, where a query per delivery
 * cost more than the rest of the acknowledgement (decision 014). Bounded: cleared when full.
 */
const shopifyShopIds = new Map<string, string>();
const MAX_REMEMBERED_SHOP_IDS = 10_000;

/** Shopify's id of the shop, when we have recorded it (every install since it was added does). */
export async function findShopifyShopId(domain: string): Promise<string | null> {
  const remembered = shopifyShopIds.get(domain);
  if (remembered !== undefined) return remembered;
  const shop = await db.shop.findUnique({ where: { domain }, select: { shopifyId: true } });
  if (!shop?.shopifyId) return null;
  if (shopifyShopIds.size >= MAX_REMEMBERED_SHOP_IDS) shopifyShopIds.clear();
  shopifyShopIds.set(domain, shop.shopifyId);
  return shop.shopifyId;
}
