import { isUtf8 } from "node:buffer";
import { ShopifyEventsHeader, ShopifyHeader, WebhookType, WebhookValidationErrorReason } from "@shopify/shopify-api";
import { isMyshopifyDomain } from "~/domain/shopify-ids";
import { nestsDeeperThan } from "~/lib/json-nesting";
import { logger, type Logger } from "~/lib/logger.server";
import { readBodyWithLimit } from "~/lib/request-body.server";
import { isStorableJsonText, toStorableJson } from "~/lib/storable-text";
import { findShopifyShopId } from "~/models/shop.server";
import { recordWebhookEvent } from "~/models/webhook-intake.server";
import { verifyWebhook, type WebhookHeaders } from "~/shopify.server";
import { wakeWebhookEventWorker } from "./event-worker.server";
import { webhookHandlers } from "./handlers.server";

/**
 * Largest webhook body we read. Shopify's bodies are far smaller: its documented samples are at
 * most 15 KB (an order), real orders with many lines reach a few hundred KB, and Shopify staff
 * put the extreme at "upwards of a megabyte"; its event-bus deliveries cap at 1 MB and send a
 * stub above it. 5 MiB leaves room for all of that while keeping a forged or broken 20 MB body
 * from holding the process (HMAC, parse, jsonb) for seconds. README → Limits.
 */
export const MAX_WEBHOOK_BODY_BYTES = 5 * 1024 * 1024;

/**
 * Deepest JSON nesting we accept. Shopify's payloads nest 9 levels at most (refunds, orders:
 * order → refund_line_items → line_item → tax_lines → price_set → shop_money); anything deep enough
 * to exhaust the stack where a value is walked (Prisma, JSON.stringify, jsonb) is not Shopify's.
 */
export const MAX_WEBHOOK_JSON_DEPTH = 64;

/** "app/uninstalled" → "APP_UNINSTALLED", the form @shopify/shopify-app-remix reports topics in. */
export const normalizeTopic = (topic: string) => topic.toUpperCase().replace(/[/.]/g, "_");

/** One delivery as the server received it, whichever server carried it (Remix or server.mjs). */
export interface WebhookDelivery {
  method: string;
  headers: WebhookHeaders;
  /** The body, or "too-large" when it went past MAX_WEBHOOK_BODY_BYTES (and was not kept). */
  body: Uint8Array | "too-large";
}

/** What to answer: 200 with no body, or a 4xx with a message for whoever sent it. */
export interface WebhookAnswer {
  status: number;
  message: string | null;
}

const ACCEPTED: WebhookAnswer = { status: 200, message: null };

function refuse(log: Logger, status: number, message: string): WebhookAnswer {
  log.warn("webhook refused", { status, reason: message });
  return { status, message };
}

/** A Remix route's whole action: the request's body read up to the limit, then acceptWebhook. */
export async function receiveWebhook(request: Request, routeTopic: string): Promise<Response> {
  const body = await readBodyWithLimit(request, MAX_WEBHOOK_BODY_BYTES);
  const headers: WebhookHeaders = { get: (name) => request.headers.get(name), entries: () => [...request.headers] };
  const answer = await acceptWebhook(
    { method: request.method, headers, body: body.ok ? body.bytes : "too-large" },
    routeTopic,
  );
  return answer.message === null
    ? new Response(null, { status: answer.status })
    : new Response(answer.message, {
        status: answer.status,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
}

/**
 * The whole of a webhook delivery: 413 above the body limit, verify it (401 bad HMAC, 400 missing
 * headers, from the library), check what the signature does not cover — the shop header, the
 * topic, the body's shape and the shop it names — store the event once, answer 200. Every refusal
 * is a 4xx with a message and stores nothing. Storing is enqueuing: one INSERT, which the event
 * workers claim from (decision 014), so Shopify gets its answer in milliseconds and nothing but
 * that insert waits on the database.
 */
export async function acceptWebhook(delivery: WebhookDelivery, routeTopic: string): Promise<WebhookAnswer> {
  // The shop header is not signed: check it before anything uses it.
  const shopHeaders = [ShopifyHeader.Domain, ShopifyEventsHeader.Domain].flatMap((name) => {
    const value = delivery.headers.get(name);
    return value === null ? [] : [{ name, value }];
  });
  const badShopHeader = shopHeaders.find(({ value }) => !isMyshopifyDomain(value));
  if (badShopHeader) {
    const shown = JSON.stringify(badShopHeader.value.slice(0, 255));
    return refuse(
      logger.child({ shopHeader: shown, topic: routeTopic }),
      400,
      `The ${badShopHeader.name} header (${shown}) is not a shop's myshopify.com domain.`,
    );
  }
  const unverifiedLog = logger.child({ shop: shopHeaders[0]?.value, topic: routeTopic });

  if (delivery.body === "too-large") {
    return refuse(
      unverifiedLog,
      413,
      `The webhook body is larger than 5 MiB (${MAX_WEBHOOK_BODY_BYTES} bytes); nothing was stored.`,
    );
  }
  const bytes = delivery.body;
  const text = new TextDecoder().decode(bytes);

  if (delivery.method !== "POST") return refuse(unverifiedLog, 405, "Webhooks are delivered with POST.");
  const check = await verifyWebhook(bytes, delivery.headers);
  if (!check.valid) {
    return check.reason === WebhookValidationErrorReason.InvalidHmac
      ? refuse(unverifiedLog, 401, "The webhook's HMAC signature does not match its body.")
      : refuse(
          unverifiedLog,
          400,
          `This is not a Shopify webhook delivery: ${"missingHeaders" in check ? `missing headers ${check.missingHeaders.join(", ")}` : check.reason}.`,
        );
  }
  let parsedBody: unknown;
  try {
    parsedBody = JSON.parse(text);
  } catch (error) {
    return refuse(unverifiedLog, 400, `The webhook body is not valid JSON: ${(error as Error).message}`);
  }
  const webhook = {
    shop: check.domain,
    topic: check.topic,
    webhookId: check.webhookId,
    apiVersion: check.apiVersion,
    triggeredAt: check.triggeredAt,
    eventId: check.webhookType === WebhookType.Webhooks ? check.eventId : undefined,
  };
  const shopDomain = webhook.shop;
  const log = logger.child({ shop: shopDomain, topic: routeTopic, webhookId: webhook.webhookId });

  if (webhook.topic !== normalizeTopic(routeTopic)) {
    return refuse(log, 400, `This endpoint receives ${routeTopic} webhooks, not ${String(webhook.topic)}`);
  }
  if (nestsDeeperThan(text, MAX_WEBHOOK_JSON_DEPTH)) {
    return refuse(
      log,
      400,
      `The webhook body nests JSON deeper than ${MAX_WEBHOOK_JSON_DEPTH} levels, which no Shopify payload does.`,
    );
  }

  // Shopify's data, which we cannot refuse: text PostgreSQL cannot store (NUL, lone surrogates) is
  // made storable (decision 007). Nearly every body can be stored as it came, unparsed again; the
  // depth check above keeps the cleaning walk, when needed, in the stack.
  const storableAsSent = isUtf8(bytes) && isStorableJsonText(text);
  const payload: unknown = storableAsSent ? parsedBody : toStorableJson(parsedBody);
  const problem = await payloadProblem(routeTopic, shopDomain, payload);
  if (problem) return refuse(log, 400, problem);

  const triggeredAt = webhook.triggeredAt ? new Date(webhook.triggeredAt) : null;
  const recorded = await recordWebhookEvent({
    shopDomain,
    topic: routeTopic,
    // Event-Id is stable across retries and across subscriptions of one event; older
    // deliveries without it fall back to the webhook id, which is stable across retries.
    eventId: webhook.eventId ?? webhook.webhookId,
    webhookId: webhook.webhookId,
    apiVersion: webhook.apiVersion,
    triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
    payloadJson: storableAsSent
      ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      : JSON.stringify(payload),
  });
  if (recorded.kind === "duplicate") {
    // Already stored, so already queued (the table is the queue): processed once, whatever happens.
    log.info("duplicate webhook acknowledged", { eventId: webhook.eventId ?? webhook.webhookId });
    return ACCEPTED;
  }
  wakeWebhookEventWorker();
  log.debug("webhook accepted", { webhookEventId: recorded.id });
  return ACCEPTED;
}

/**
 * Why a payload is not one Shopify would send for this shop, or null: it must match its topic's
 * schema (ids included), and a shop it names must be the one in the (unsigned) header.
 */
async function payloadProblem(routeTopic: string, shopDomain: string, payload: unknown): Promise<string | null> {
  const handler = webhookHandlers.get(routeTopic);
  if (!handler) return null;
  const parsed = handler.payload.safeParse(payload);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`);
    return `The ${routeTopic} payload is not what Shopify sends: ${problems.join("; ")}`;
  }
  const named = handler.shopNamedIn?.(parsed.data) ?? [];
  // A shop id can only be compared once we know the shop's own (recorded at install).
  const ownShopId = named.some((shop) => "shopId" in shop) ? await findShopifyShopId(shopDomain) : null;
  const otherShop = named.find((shop) =>
    "domain" in shop ? shop.domain.toLowerCase() !== shopDomain : ownShopId !== null && shop.shopId !== ownShopId,
  );
  if (!otherShop) return null;
  const value = "domain" in otherShop ? otherShop.domain : otherShop.shopId;
  return `The payload's ${otherShop.field} (${value}) does not match the X-Shopify-Shop-Domain header (${shopDomain}); nothing was stored.`;
}
