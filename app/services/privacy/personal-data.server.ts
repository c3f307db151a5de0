import { db } from "~/db.server";
import { normalizeEmail, normalizePhone } from "~/domain/customer-identity";
import { mentionsCustomer, type CustomerIdentity } from "~/domain/personal-data";
import { withoutBuyerDetails } from "~/domain/shopify/buyer-details";
import type { ShopifyOrderSnapshot } from "~/domain/shopify/snapshots";
import { Prisma } from "~/generated/prisma/client";
import { eraseShopifyCustomers } from "~/models/shopify-customer.server";
import { attachmentStore } from "~/services/storage/attachment-store.server";
import { collectChatVisitors, eraseChatVisitors } from "./chat-visitor-data.server";
import { collectIntegrationData, eraseIntegrationData } from "./integration-data.server";
import { collectCustomerTickets, eraseCustomerTickets } from "./ticket-erasure.server";

/**
 * Every place we keep personal data registers here, so a GDPR data request reports all of it and
 * a redaction erases all of it. Adding a table with personal data means adding a holder.
 */
export interface PrivacyRequest {
  shopDomain: string;
  customer: CustomerIdentity;
  /** Numeric Shopify order ids the request names (orders_requested / orders_to_redact). */
  orderIds: string[];
}

interface PersonalDataHolder {
  name: string;
  collect(request: PrivacyRequest): Promise<unknown[]>;
  erase(request: PrivacyRequest): Promise<number>;
}

const customerGid = (id: string) => `gid://shopify/Customer/${id}`;
const orderGid = (id: string) => `gid://shopify/Order/${id}`;

async function shopIdFor(domain: string) {
  return (await db.shop.findUnique({ where: { domain }, select: { id: true } }))?.id ?? null;
}

/**
 * The payload is the JSON text Shopify sent (a json column), searched as it is; a payload that
 * writes characters as \u escapes (e.g. "\u0026" for "&") is also searched decoded, as jsonb.
 */
const payloadMentions = (pattern: string) =>
  Prisma.sql`(payload::text ILIKE ${pattern} OR (strpos(payload::text, '\\u') > 0 AND payload::jsonb::text ILIKE ${pattern}))`;

// Narrow with SQL on the payload text first (cheap), then confirm each candidate precisely.
async function webhookEventsMentioning({ shopDomain, customer }: PrivacyRequest) {
  const needles = [
    customer.email,
    customer.phone ? customer.phone.replace(/\D/g, "").slice(-7) : null,
    customer.id,
  ].filter((needle): needle is string => Boolean(needle));
  if (needles.length === 0) return [];
  const candidates = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM "WebhookEvent"
    WHERE "shopDomain" = ${shopDomain} AND "redactedAt" IS NULL
      AND (${Prisma.join(
        needles.map((needle) => payloadMentions("%" + needle + "%")),
        " OR ",
      )})`;
  if (candidates.length === 0) return [];
  const rows = await db.webhookEvent.findMany({
    where: { id: { in: candidates.map((row) => row.id) } },
    select: { id: true, topic: true, eventId: true, receivedAt: true, payload: true },
  });
  return rows.filter((row) => mentionsCustomer(row.payload, customer));
}

const webhookEvents: PersonalDataHolder = {
  name: "webhookEvents",
  async collect(request) {
    const rows = await webhookEventsMentioning(request);
    return rows.map(({ topic, eventId, receivedAt, payload }) => ({ topic, eventId, receivedAt, payload }));
  },
  async erase(request) {
    const rows = await webhookEventsMentioning(request);
    if (rows.length === 0) return 0;
    const result = await db.webhookEvent.updateMany({
      where: { id: { in: rows.map((row) => row.id) } },
      data: { payload: { redacted: true }, redactedAt: new Date() },
    });
    return result.count;
  },
};

function shopifyCustomerWhere(shopId: string, customer: CustomerIdentity): Prisma.ShopifyCustomerWhereInput {
  const email = normalizeEmail(customer.email);
  const phone = normalizePhone(customer.phone);
  return {
    shopId,
    OR: [
      ...(customer.id ? [{ shopifyId: customerGid(customer.id) }] : []),
      ...(email ? [{ email }] : []),
      ...(phone ? [{ phone }] : []),
    ],
  };
}

const shopifyCustomers: PersonalDataHolder = {
  name: "shopifyCustomers",
  async collect({ shopDomain, customer }) {
    const shopId = await shopIdFor(shopDomain);
    if (!shopId) return [];
    return db.shopifyCustomer.findMany({ where: shopifyCustomerWhere(shopId, customer) });
  },
  // Tombstones, not deletions: a customers/create or customers/update still in flight for this
  // customer must not store them again (docs/decisions/008-customer-deletion.md).
  async erase({ shopDomain, customer }) {
    const shopId = await shopIdFor(shopDomain);
    if (!shopId) return 0;
    const { erased, linkedPeople } = await eraseShopifyCustomers(
      shopId,
      shopifyCustomerWhere(shopId, customer),
      customer.id ? customerGid(customer.id) : null,
    );
    await deleteUnlinkedPeople(linkedPeople);
    return erased;
  },
};

function ordersWhere(shopId: string, request: PrivacyRequest): Prisma.ShopifyOrderWhereInput {
  const email = normalizeEmail(request.customer.email);
  return {
    shopId,
    OR: [
      ...(request.customer.id ? [{ shopifyCustomerId: customerGid(request.customer.id) }] : []),
      ...(email ? [{ email }] : []),
      ...(request.orderIds.length ? [{ shopifyId: { in: request.orderIds.map(orderGid) } }] : []),
    ],
  };
}

const shopifyOrders: PersonalDataHolder = {
  name: "shopifyOrders",
  async collect(request) {
    const shopId = await shopIdFor(request.shopDomain);
    if (!shopId) return [];
    const rows = await db.shopifyOrder.findMany({ where: ordersWhere(shopId, request), select: { snapshot: true } });
    return rows.map((row) => row.snapshot);
  },
  async erase(request) {
    const shopId = await shopIdFor(request.shopDomain);
    if (!shopId) return 0;
    const rows = await db.shopifyOrder.findMany({
      where: ordersWhere(shopId, request),
      select: { id: true, snapshot: true },
    });
    // The items, amounts and shipments are the merchant's record of a sale and stay; buyerErasedAt
    // keeps the buyer out of every later version of the order.
    for (const row of rows) {
      const snapshot = withoutBuyerDetails(row.snapshot as unknown as ShopifyOrderSnapshot);
      await db.shopifyOrder.update({
        where: { id: row.id },
        data: {
          email: null,
          phone: null,
          shopifyCustomerId: null,
          snapshot: snapshot as unknown as Prisma.InputJsonValue,
          buyerErasedAt: new Date(),
        },
      });
    }
    return rows.length;
  },
};

const helpdeskCustomers: PersonalDataHolder = {
  name: "helpdeskCustomers",
  async collect({ shopDomain, customer }) {
    const shopId = await shopIdFor(shopDomain);
    if (!shopId) return [];
    return db.helpdeskCustomer.findMany({
      where: { shopifyCustomers: { some: shopifyCustomerWhere(shopId, customer) } },
      select: { name: true, emails: true, phones: true, note: true, createdAt: true },
    });
  },
  // Erased through shopifyCustomers (a person with no live Shopify customer left is deleted there).
  erase: async () => 0,
};

/** People who were only known through Shopify customers that are gone now (erased or deleted). */
async function deleteUnlinkedPeople(ids: string[]) {
  if (ids.length === 0) return;
  await db.helpdeskCustomer.deleteMany({
    where: { id: { in: ids }, shopifyCustomers: { none: { deletedAt: null } } },
  });
}

// The shopper's tickets (services/privacy/ticket-erasure.server.ts): found through the people their
// Shopify customers link to, so before shopifyCustomers unlinks them.
const tickets: PersonalDataHolder = {
  name: "tickets",
  collect: collectCustomerTickets,
  erase: eraseCustomerTickets,
};

// What HTTP integrations answered about them (services/privacy/integration-data.server.ts), found
// through the same people as their tickets.
const integrationData: PersonalDataHolder = {
  name: "integrationData",
  collect: collectIntegrationData,
  erase: eraseIntegrationData,
};

// The chat widget's visitors of this store that are the shopper (services/privacy/chat-visitor-data.server.ts).
const chatVisitors: PersonalDataHolder = {
  name: "chatVisitors",
  collect: collectChatVisitors,
  erase: eraseChatVisitors,
};

// helpdeskCustomers, tickets, integrationData and chatVisitors run before shopifyCustomers erases (holders run in
// this order).
const holders: PersonalDataHolder[] = [
  webhookEvents,
  helpdeskCustomers,
  tickets,
  integrationData,
  chatVisitors,
  shopifyOrders,
  shopifyCustomers,
];

export async function collectCustomerData(request: PrivacyRequest) {
  const report: Record<string, unknown[]> = {};
  for (const holder of holders) report[holder.name] = await holder.collect(request);
  return report;
}

export async function eraseCustomerData(request: PrivacyRequest) {
  const erased: Record<string, number> = {};
  for (const holder of holders) erased[holder.name] = await holder.erase(request);
  return erased;
}

/**
 * shop/redact: everything the shop owns goes (orders, Shopify customers and sync state cascade from
 * Shop), its sessions, webhook history and failed jobs too; people known only through this shop go,
 * and so does its workspace with its last shop. Only the compliance log remains, with no personal
 * data in it. A shop that has the app installed is left alone ("installed"): decided in the same
 * transaction as the erasure, so a reinstall cannot slip in between.
 */
export async function eraseShop(shopDomain: string): Promise<"erased" | "installed"> {
  const storedFiles: string[] = [];
  const outcome = await db.$transaction(async (tx) => {
    const shop = await tx.shop.findUnique({
      where: { domain: shopDomain },
      select: { id: true, workspaceId: true, uninstalledAt: true },
    });
    if (shop) {
      if (!shop.uninstalledAt) return "installed";
      // The people this shop's customers made; read before the shop's rows go with it.
      const linked = await tx.shopifyCustomer.findMany({
        where: { shopId: shop.id, helpdeskCustomerId: { not: null } },
        select: { helpdeskCustomerId: true },
      });
      // Conditional, so a reinstall committed since the read above wins: nothing is erased.
      const deleted = await tx.shop.deleteMany({ where: { id: shop.id, uninstalledAt: { not: null } } });
      if (deleted.count === 0) return "installed";
      await tx.job.deleteMany({ where: { shopId: shop.id } });
      const remaining = await tx.shop.count({ where: { workspaceId: shop.workspaceId } });
      if (remaining === 0) {
        // The workspace's chat images leave the attachment store with their rows (after the commit).
        const stored = await tx.ticketAttachment.findMany({
          where: { workspaceId: shop.workspaceId, storageKey: { not: null } },
          select: { storageKey: true },
        });
        storedFiles.push(...stored.map((attachment) => attachment.storageKey!));
        await tx.workspace.delete({ where: { id: shop.workspaceId } });
      } else
        // Only the people who existed through this shop alone: the workspace's other people (linked
        // to another shop, or to none, like a customer who only ever wrote in) stay.
        await tx.helpdeskCustomer.deleteMany({
          where: {
            id: { in: linked.flatMap(({ helpdeskCustomerId }) => (helpdeskCustomerId ? [helpdeskCustomerId] : [])) },
            workspaceId: shop.workspaceId,
            shopifyCustomers: { none: {} },
          },
        });
    }
    await tx.session.deleteMany({ where: { shop: shopDomain } });
    await tx.webhookEvent.deleteMany({ where: { shopDomain } });
    await tx.complianceRequest.updateMany({ where: { shopDomain }, data: { email: null, report: Prisma.DbNull } });
    return "erased" as const;
  });
  for (const key of storedFiles) await attachmentStore().delete(key);
  return outcome;
}
