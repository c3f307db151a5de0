import { z } from "zod";
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

export interface WebhookContext<T> {
  shopDomain: string;
  topic: string;
  eventId: string;
  triggeredAt: Date | null;
  payload: T;
  log: Logger;
}

export type WebhookOutcome = "processed" | "skipped";

export interface WebhookHandler<T = unknown> {
  topic: string;
  /** What we rely on in the payload; anything else Shopify sends passes through untouched. */
  payload: z.ZodType<T>;
  handle(context: WebhookContext<T>): Promise<WebhookOutcome>;
}

// Each handler is typed by its own payload schema; the registry holds them all as one type.
function defineHandler<T>(handler: WebhookHandler<T>): WebhookHandler {
  return handler as unknown as WebhookHandler;
}

const numericId = z.union([z.number(), z.string()]).transform(String);
const isoDate = z
  .string()
  .nullish()
  .transform((value) => (value ? new Date(value) : null));

const CompliancePayload = z.object({
  shop_domain: z.string(),
  customer: z.object({ id: numericId.nullish(), email: z.string().nullish(), phone: z.string().nullish() }),
  orders_requested: z.array(numericId).nullish(),
  orders_to_redact: z.array(numericId).nullish(),
});

const handlers = [
  defineHandler({
    topic: "app/uninstalled",
    payload: z.object({ id: numericId }).loose(),
    handle: ({ shopDomain, triggeredAt }) => recordUninstall(shopDomain, triggeredAt),
  }),
  defineHandler({
    topic: "app/scopes_update",
    payload: z.object({ current: z.array(z.string()), updated_at: isoDate }),
    handle: ({ shopDomain, payload }) => applyScopesUpdate(shopDomain, payload.current, payload.updated_at),
  }),
  defineHandler({
    topic: "customers/data_request",
    payload: CompliancePayload.extend({ data_request: z.object({ id: numericId }).nullish() }),
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
    payload: z.object({ shop_domain: z.string() }),
    async handle({ shopDomain }) {
      await eraseShop(shopDomain);
      await recordComplianceRequest({ shopDomain, topic: "shop/redact" });
      return "processed";
    },
  }),
  // Orders, fulfillments, refunds and customers: the mappers in ~/domain/shopify/ parse
  // each payload with its own schema (a ZodError fails the job visibly), so the envelope is open.
  ...["orders/create", "orders/updated", "orders/cancelled", "orders/fulfilled", "orders/partially_fulfilled"].map(
    (topic) =>
      defineHandler({
        topic,
        payload: z.unknown(),
        handle: ({ shopDomain, payload }) => syncOrderWebhook(shopDomain, payload),
      }),
  ),
  defineHandler({
    topic: "orders/edited",
    payload: z.unknown(),
    handle: ({ shopDomain, payload }) => syncOrderEdit(shopDomain, payload),
  }),
  ...["fulfillments/create", "fulfillments/update"].map((topic) =>
    defineHandler({
      topic,
      payload: z.unknown(),
      handle: ({ shopDomain, payload, log }) => syncFulfillmentWebhook(shopDomain, payload, log),
    }),
  ),
  defineHandler({
    topic: "fulfillment_events/create",
    payload: z.unknown(),
    handle: ({ shopDomain, payload, log }) => syncFulfillmentEventWebhook(shopDomain, payload, log),
  }),
  defineHandler({
    topic: "refunds/create",
    payload: z.unknown(),
    handle: ({ shopDomain, payload, log }) => syncRefundWebhook(shopDomain, payload, log),
  }),
  ...["customers/create", "customers/update"].map((topic) =>
    defineHandler({
      topic,
      payload: z.unknown(),
      handle: ({ shopDomain, payload }) => syncCustomerWebhook(shopDomain, payload),
    }),
  ),
  defineHandler({
    topic: "customers/delete",
    payload: z.unknown(),
    handle: ({ shopDomain, payload }) => syncCustomerDeletion(shopDomain, payload),
  }),
];

export const webhookHandlers: ReadonlyMap<string, WebhookHandler> = new Map(
  handlers.map((handler) => [handler.topic, handler]),
);
