import { ShopifyEventsHeader, ShopifyHeader } from "@shopify/shopify-api";
import { isMyshopifyDomain } from "~/domain/shopify-ids";
import { enqueue } from "~/jobs/queue.server";
import { processWebhookJob } from "~/jobs/process-webhook.server";
import { nestsDeeperThan } from "~/lib/json-nesting";
import { logger, type Logger } from "~/lib/logger.server";
import { readBodyWithLimit } from "~/lib/request-body.server";
import { toStorableJson } from "~/lib/storable-text";
import { findShopifyShopId } from "~/models/shop.server";
import { recordWebhookEvent } from "~/models/webhook-event.server";
import { authenticate } from "~/shopify.server";
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

function refuse(log: Logger, status: number, message: string) {
  log.warn("webhook refused", { status, reason: message });
  return new Response(message, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/**
 * The whole of a webhook route: read the body (413 above the limit), verify it (401 bad HMAC, 400
 * missing headers, from the library), check what the signature does not cover — the shop header,
 * the topic, the body's shape and the shop it names — store the event once, enqueue its
 * processing, answer 200. Every refusal is a 4xx with a message and stores nothing. Processing
 * happens in a job so Shopify gets its answer in milliseconds and a failure retries.
 */
export async function receiveWebhook(request: Request, routeTopic: string): Promise<Response> {
  // The shop header is not signed: check it before anything uses it (the library looks up a
  // session by it and throws on a malformed one).
  const shopHeaders = [ShopifyHeader.Domain, ShopifyEventsHeader.Domain].flatMap((name) => {
    const value = request.headers.get(name);
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

  const body = await readBodyWithLimit(request, MAX_WEBHOOK_BODY_BYTES);
  if (!body.ok) {
    return refuse(
      unverifiedLog,
      413,
      `The webhook body is larger than 5 MiB (${MAX_WEBHOOK_BODY_BYTES} bytes); nothing was stored.`,
    );
  }
  const text = new TextDecoder().decode(body.bytes);
  // The library reads the body itself (request.text()) to check the HMAC: give it the bytes we read.
  const verified = new Request(request.url, { method: request.method, headers: request.headers, body: body.bytes });

  let webhook: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    webhook = await authenticate.webhook(verified);
  } catch (error) {
    // A Response is the library's own answer (401 bad HMAC, 400 missing headers, 405). After a
    // valid HMAC it JSON.parses the body, which throws on a signed body that is not JSON.
    const syntaxError = error instanceof Response ? null : jsonSyntaxError(text);
    if (syntaxError) return refuse(unverifiedLog, 400, `The webhook body is not valid JSON: ${syntaxError}`);
    throw error;
  }
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
  // made storable (decision 007). The depth check above keeps this walk, and Prisma's, in the stack.
  const payload: unknown = toStorableJson(webhook.payload);
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
    payload,
  });
  const job = { webhookEventId: recorded.id, shopDomain };

  if (recorded.kind === "duplicate") {
    log.info("duplicate webhook acknowledged", { webhookEventId: recorded.id, status: recorded.status });
    // Still unprocessed (e.g. we crashed between storing and enqueuing): make sure a job exists.
    // The singleton key makes this a no-op when the job is already queued.
    if (recorded.status === "received") await enqueue(processWebhookJob, job, { singletonKey: recorded.id });
    return new Response(null, { status: 200 });
  }

  await enqueue(processWebhookJob, job, { singletonKey: recorded.id });
  log.debug("webhook accepted", { webhookEventId: recorded.id });
  return new Response(null, { status: 200 });
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

/** JSON.parse's complaint about the text, or null when it is valid JSON. */
function jsonSyntaxError(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
