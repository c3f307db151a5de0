import { z } from "zod";
import { isMyshopifyDomain, shopifyId, shopifyIdDigits } from "~/domain/shopify-ids";
import type { Logger } from "~/lib/logger.server";
import { recordComplianceRequest } from "~/models/compliance.server";
import { applyScopesUpdate, recordUninstall } from "~/models/shop.server";
import { collectCustomerData, eraseCustomerData, eraseShop } from "~/services/privacy/personal-data.server";
import {
  syncCustomerDeletion,
  syncCustomerWebhook,
  syncFulfillmentEventWebhook,
  syncFulfillmentWebhook,
  syncOrderEdit,
  syncOrderWebhook,
  syncRefundWebhook,
} from "~/services/sync/incremental.server";
import { RETURN_TOPIC_STATUS, type ReturnTopic } from "~/domain/portal-decisions";
import {
  completeCancelRequests,
  followReturnWebhook,
  ReturnWebhookSchema,
} from "~/services/portal/request-decisions.server";

export interface WebhookContext<T> {
  shopDomain: string;
  topic: string;
  eventId: string;
  triggeredAt: Date | null;
  payload: T;
  log: Logger;
}

export type WebhookOutcome = "processed" | "skipped";

/** A shop a payload names for itself (by domain or by Shopify's shop id), in the field it came from. */
export type ShopNamedInPayload = { field: string; domain: string } | { field: string; shopId: string };

export interface WebhookHandler<T = unknown> {
  topic: string;
  /**
   * What we rely on in the payload; anything else Shopify sends passes through untouched. Checked
   * when the delivery arrives (a mismatch is refused with 400, nothing stored) and again before
   * the handler runs.
   */
  payload: z.ZodType<T>;
  /**
   * The shop the payload says it is about. The HMAC covers the body but not the
   * X-Shopify-Shop-Domain header, so where the body names its shop the two must agree.
   */
  shopNamedIn?(payload: T): ShopNamedInPayload[];
  handle(context: WebhookContext<T>): Promise<WebhookOutcome>;
}

// Each handler is typed by its own payload schema; the registry holds them all as one type.
function defineHandler<T>(handler: WebhookHandler<T>): WebhookHandler {
  return handler as unknown as WebhookHandler;
}

const isoDate = z
  .string()
  .nullish()
  .refine((value) => !value || !Number.isNaN(Date.parse(value)), "expected an ISO 8601 date")
  .transform((value) => (value ? new Date(value) : null));

/**
 * Intake check for the topics whose whole payload the sync mappers parse in the job: a JSON
 * object whose ids (at `paths`) look like Shopify ids. It only checks, never transforms, so the
 * mapper reads the payload as Shopify sent it; an integer beyond 2^53 still passes here (its
 * precision is the mapper's to judge: Shopify's samples carry such ids).
 */
const looksLikeShopifyId = (value: unknown, type: string) =>
  (typeof value === "number" && Number.isInteger(value) && value > 0) ||
  (typeof value === "string" && shopifyIdDigits(value, type) !== null);

/** A Shopify id of `type` (see shopifyObjectWithIds), checked and left as sent. */
const shopifyIdLike = (type: string) =>
  z.unknown().refine((value) => looksLikeShopifyId(value, type), { message: `expected a Shopify ${type} id` });

function shopifyObjectWithIds(type: string, paths: Record<string, string> = {}) {
  return z.unknown().superRefine((payload, context) => {
    if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
      context.addIssue({ code: "custom", message: "expected a JSON object" });
      return;
    }
    for (const [path, idType] of Object.entries({ id: type, ...paths })) {
      const value = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], payload);
      if (!looksLikeShopifyId(value, idType))
        context.addIssue({
          code: "custom",
          path: path.split("."),
          message: `expected a Shopify ${idType} id, got ${JSON.stringify(value ?? null).slice(0, 60)}`,
        });
    }
  });
}

const CompliancePayload = z.object({
  shop_id: shopifyId("Shop"),
  shop_domain: z.string(),
  customer: z.object({
    id: shopifyId("Customer").nullish(),
    email: z.string().nullish(),
    phone: z.string().nullish(),
  }),
  orders_requested: z.array(shopifyId("Order")).nullish(),
  orders_to_redact: z.array(shopifyId("Order")).nullish(),
});

const complianceShop = <T extends { shop_domain: string; shop_id: string }>({
  shop_domain,
  shop_id,
}: T): ShopNamedInPayload[] => [
  { field: "shop_domain", domain: shop_domain },
  { field: "shop_id", shopId: shop_id },
];

// Carrier events name their shop by id; the rest of the payload is the mapper's to check.
const ShopIdField = z.object({ shop_id: shopifyId("Shop").nullish() }).loose();
const shopIdShop = (payload: unknown): ShopNamedInPayload[] => {
  const parsed = ShopIdField.safeParse(payload);
  return parsed.success && parsed.data.shop_id ? [{ field: "shop_id", shopId: parsed.data.shop_id }] : [];
};

// app/uninstalled carries the REST Shop resource. `domain` is the shop's primary domain, which is
// often its own custom domain: only when it is a myshopify.com domain can it name another shop.
const ShopResourcePayload = z
  .object({ id: shopifyId("Shop"), domain: z.string().nullish(), myshopify_domain: z.string().nullish() })
  .loose();

const shopResourceShop = (shop: z.infer<typeof ShopResourcePayload>): ShopNamedInPayload[] => [
  { field: "id", shopId: shop.id },
  ...(shop.myshopify_domain ? [{ field: "myshopify_domain", domain: shop.myshopify_domain }] : []),
  ...(shop.domain && isMyshopifyDomain(shop.domain.toLowerCase()) ? [{ field: "domain", domain: shop.domain }] : []),
];

const handlers = [
  defineHandler({
    topic: "app/uninstalled",
    payload: ShopResourcePayload,
    shopNamedIn: shopResourceShop,
    handle: ({ shopDomain, triggeredAt }) => recordUninstall(shopDomain, triggeredAt),
  }),
  defineHandler({
    topic: "app/scopes_update",
    payload: z.object({ current: z.array(z.string()), updated_at: isoDate }),
    handle: ({ shopDomain, payload }) => applyScopesUpdate(shopDomain, payload.current, payload.updated_at),
  }),
  defineHandler({
    topic: "customers/data_request",
    payload: CompliancePayload.extend({ data_request: z.object({ id: shopifyId() }).nullish() }),
    shopNamedIn: complianceShop,
    async handle({ shopDomain, payload }) {
      const report = await collectCustomerData({
        shopDomain,
        customer: payload.customer,
        orderIds: payload.orders_requested ?? [],
      });
      await recordComplianceRequest({
        shopDomain,
        topic: "customers/data_request",
        customerId: payload.customer.id,
        email: payload.customer.email,
        report: { dataRequestId: payload.data_request?.id ?? null, customer: payload.customer, data: report },
      });
      return "processed";
    },
  }),
  defineHandler({
    topic: "customers/redact",
    payload: CompliancePayload,
    shopNamedIn: complianceShop,
    async handle({ shopDomain, payload, log }) {
      const erased = await eraseCustomerData({
        shopDomain,
        customer: payload.customer,
        orderIds: payload.orders_to_redact ?? [],
      });
      // Keep proof of the erasure, without the address we just erased.
      await recordComplianceRequest({
        shopDomain,
        topic: "customers/redact",
        customerId: payload.customer.id,
        report: { erased },
      });
      log.info("customer redacted", { erased });
      return "processed";
    },
  }),
  defineHandler({
    topic: "shop/redact",
    payload: z.object({ shop_id: shopifyId("Shop"), shop_domain: z.string() }),
    shopNamedIn: complianceShop,
    async handle({ shopDomain, log }) {
      // Shopify sends shop/redact 48 hours after an uninstall. A shop that has the app installed
      // now (never uninstalled, or reinstalled since) keeps its data: erasing it would break a
      // working install, and a shop/redact for it is stale or not genuine.
      if ((await eraseShop(shopDomain)) === "installed") {
        log.warn("shop/redact ignored: the shop has the app installed (Shopify sends it 48 hours after an uninstall)");
        return "skipped";
      }
      await recordComplianceRequest({ shopDomain, topic: "shop/redact" });
      log.info("shop erased");
      return "processed";
    },
  }),
  // Orders, fulfillments, refunds and customers: the mappers in ~/domain/shopify/ parse
  // each payload with its own schema (a ZodError fails the job visibly), so the envelope is open.
  ...["orders/create", "orders/updated", "orders/fulfilled", "orders/partially_fulfilled"].map((topic) =>
    defineHandler({
      topic,
      payload: shopifyObjectWithIds("Order"),
      handle: ({ shopDomain, payload }) => syncOrderWebhook(shopDomain, payload),
    }),
  ),
  defineHandler({
    topic: "orders/cancelled",
    payload: shopifyObjectWithIds("Order"),
    async handle({ shopDomain, payload }) {
      const synced = await syncOrderWebhook(shopDomain, payload);
      // The merchant cancelled in Shopify (or our approval's cancel landed): a pending cancellation
      // request of the shopper is done.
      const { id } = payload as { id: string | number };
      const requests = await completeCancelRequests(shopDomain, String(id));
      return requests === "processed" ? "processed" : synced;
    },
  }),
  // A return approved, declined, closed or cancelled in Shopify: the portal request follows.
  ...(Object.keys(RETURN_TOPIC_STATUS) as ReturnTopic[]).map((topic) =>
    defineHandler({
      topic,
      payload: ReturnWebhookSchema,
      handle: ({ shopDomain, payload }) => followReturnWebhook(shopDomain, topic, payload),
    }),
  ),
  defineHandler({
    topic: "orders/edited",
    payload: z.object({ order_edit: z.object({ order_id: shopifyIdLike("Order") }).loose() }).loose(),
    handle: ({ shopDomain, payload }) => syncOrderEdit(shopDomain, payload),
  }),
  ...["fulfillments/create", "fulfillments/update"].map((topic) =>
    defineHandler({
      topic,
      payload: shopifyObjectWithIds("Fulfillment", { order_id: "Order" }),
      handle: ({ shopDomain, payload, log }) => syncFulfillmentWebhook(shopDomain, payload, log),
    }),
  ),
  defineHandler({
    topic: "fulfillment_events/create",
    payload: shopifyObjectWithIds("FulfillmentEvent", { fulfillment_id: "Fulfillment", order_id: "Order" }),
    shopNamedIn: shopIdShop,
    handle: ({ shopDomain, payload, log }) => syncFulfillmentEventWebhook(shopDomain, payload, log),
  }),
  defineHandler({
    topic: "refunds/create",
    payload: shopifyObjectWithIds("Refund", { order_id: "Order" }),
    handle: ({ shopDomain, payload, log }) => syncRefundWebhook(shopDomain, payload, log),
  }),
  ...["customers/create", "customers/update"].map((topic) =>
    defineHandler({
      topic,
      payload: shopifyObjectWithIds("Customer"),
      handle: ({ shopDomain, payload }) => syncCustomerWebhook(shopDomain, payload),
    }),
  ),
  defineHandler({
    topic: "customers/delete",
    payload: shopifyObjectWithIds("Customer"),
    handle: ({ shopDomain, payload }) => syncCustomerDeletion(shopDomain, payload),
  }),
];

export const webhookHandlers: ReadonlyMap<string, WebhookHandler> = new Map(
  handlers.map((handler) => [handler.topic, handler]),
);
