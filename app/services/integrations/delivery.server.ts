import { db } from "~/db.server";
import { integrationTemplateValues, renderIntegrationText } from "~/domain/integration-template";
import { queueIntegrationDelivery } from "~/jobs/integration-kinds.server";
import { nestsDeeperThan } from "~/lib/json-nesting";
import { logger } from "~/lib/logger.server";
import { toStorableJson, toStorableText } from "~/lib/storable-text";
import type { Prisma } from "~/generated/prisma/client";
import { decryptIntegrationHeaders } from "~/models/integration.server";
import { loadIntegrationFacts } from "./facts.server";
import { alertIntegrationPaused } from "./alerts.server";
import { sendOutboundRequest } from "./outbound.server";
import { IDEMPOTENCY_HEADER, integrationSigningSecret, SIGNATURE_HEADER, signatureHeader } from "./signature.server";

// One attempt of one IntegrationDelivery (docs/decisions/025-integrations.md): headers decrypted
// and rendered, the request signed and sent through the guarded outbound door, the attempt logged,
// the integration's failure count and circuit kept, and a 2xx JSON answer about a customer stored
// for the sidebar widgets.

export const CIRCUIT = {
  /** Failed calls in a row that open the circuit. */
  failureThreshold: 10,
  /** How long an open circuit holds calls before it lets one through to test the receiver. */
  coolDownMs: 5 * 60_000,
};

/** How much of a response the log keeps. */
export const RESPONSE_EXCERPT_CHARS = 4096;

export type DeliveryOutcome =
  | { status: "succeeded"; responseStatus: number }
  | { status: "failed"; willRetry: boolean; error: string }
  | { status: "refused"; error: string }
  | { status: "skipped"; reason: string };

const FINISHED = new Set(["succeeded", "gave_up", "refused"]);

const log = logger.child({ component: "integrations" });

/** Why a call was held by the circuit, with what the merchant can do. */
function circuitHeldMessage(failures: number, opensAt: Date): string {
  return `Held: the circuit is open after ${failures} failed calls in a row. Shopdesk tries one call again after ${opensAt.toISOString()}; Resume in Settings → Integrations to send now, then Replay this call.`;
}

/**
 * Runs one attempt. `finalAttempt`: no retry follows, so a failure is recorded as given up.
 * Throws only for database trouble (the job retries); the receiver's failures are outcomes.
 */
export async function attemptIntegrationDelivery(
  workspaceId: string,
  deliveryId: string,
  { finalAttempt }: { finalAttempt: boolean },
): Promise<DeliveryOutcome> {
  const delivery = await db.integrationDelivery.findFirst({
    where: { id: deliveryId, workspaceId },
    include: { integration: true },
  });
  if (!delivery) return { status: "skipped", reason: "delivery not found (its integration was deleted)" };
  if (FINISHED.has(delivery.status)) return { status: "skipped", reason: `already ${delivery.status}` };
  const { integration } = delivery;
  const now = new Date();

  const refuse = async (error: string): Promise<DeliveryOutcome> => {
    await db.integrationDelivery.update({
      where: { id: delivery.id },
      data: { status: "refused", error, finishedAt: now },
    });
    return { status: "refused", error };
  };

  if (integration.deactivatedAt) return refuse("Not sent: the integration is turned off.");

  // Circuit: open means hold; once the cool-down is over one call (the first to claim it) goes
  // through to test the receiver, and the others keep being held until it succeeds.
  if (integration.circuitOpenedAt) {
    const opensAt = new Date(integration.circuitOpenedAt.getTime() + CIRCUIT.coolDownMs);
    if (now < opensAt) return refuse(circuitHeldMessage(integration.consecutiveFailures, opensAt));
    const claimed = await db.integration.updateMany({
      where: { id: integration.id, circuitOpenedAt: integration.circuitOpenedAt },
      data: { circuitOpenedAt: now },
    });
    if (claimed.count === 0) {
      return refuse(circuitHeldMessage(integration.consecutiveFailures, new Date(now.getTime() + CIRCUIT.coolDownMs)));
    }
  }

  const facts = delivery.ticketId ? await loadIntegrationFacts(workspaceId, delivery.ticketId) : null;
  const values = integrationTemplateValues(facts ?? { ticket: null, customer: null, order: null, assignee: null });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(decryptIntegrationHeaders(integration))) {
    headers[name] = renderIntegrationText(value, values).replace(/[\r\n]+/g, " ");
  }
  const body = delivery.requestBody ?? undefined;
  if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) {
    const contentType = (integration.http as { request_content_type?: string } | null)?.request_content_type;
    headers["content-type"] = contentType ?? "application/json";
  }
  const timestamp = Math.floor(now.getTime() / 1000);
  headers[SIGNATURE_HEADER] = signatureHeader(
    integrationSigningSecret(workspaceId, integration.id),
    timestamp,
    delivery.idempotencyKey,
    body ?? "",
  );
  headers[IDEMPOTENCY_HEADER] = delivery.idempotencyKey;
  headers["X-Shopdesk-Event"] = delivery.trigger;

  const result = await sendOutboundRequest({
    workspaceId,
    method: delivery.requestMethod,
    url: delivery.requestUrl,
    headers,
    body,
  });
  const attempts = delivery.attempts + 1;

  if (!result.ok && result.refused) {
    // Not the receiver's failure: nothing was sent, and retrying would be refused the same way.
    await db.integrationDelivery.update({
      where: { id: delivery.id },
      data: { status: "refused", attempts, error: result.error, durationMs: result.durationMs, finishedAt: new Date() },
    });
    return { status: "refused", error: result.error };
  }

  if (result.ok && result.status >= 200 && result.status < 300) {
    // The answer first: a delivery marked succeeded has its answer in place for the widgets.
    if (delivery.customerId && !result.truncated) await storeResponse(delivery, result.body);
    await db.integrationDelivery.update({
      where: { id: delivery.id },
      data: {
        status: "succeeded",
        attempts,
        responseStatus: result.status,
        responseExcerpt: responseExcerpt(result.body),
        error: null,
        durationMs: result.durationMs,
        finishedAt: new Date(),
      },
    });
    await db.integration.updateMany({
      where: { id: integration.id, workspaceId },
      data: { consecutiveFailures: 0, circuitOpenedAt: null, failureAlertedAt: null },
    });
    return { status: "succeeded", responseStatus: result.status };
  }

  const error = result.ok
    ? `The server answered ${result.status}${result.status >= 300 && result.status < 400 ? " (a redirect: Shopdesk does not follow them; use the final URL)" : ""}`
    : result.error;
  await db.integrationDelivery.update({
    where: { id: delivery.id },
    data: {
      status: finalAttempt ? "gave_up" : "failed",
      attempts,
      responseStatus: result.ok ? result.status : null,
      responseExcerpt: result.ok ? responseExcerpt(result.body) : null,
      error,
      durationMs: result.durationMs,
      finishedAt: finalAttempt ? new Date() : null,
    },
  });
  await countFailure(workspaceId, integration.id);
  return { status: "failed", willRetry: !finalAttempt, error };
}

/** Counts a failed call; at the threshold the circuit opens and the merchant is alerted, once. */
async function countFailure(workspaceId: string, integrationId: number): Promise<void> {
  const [counted] = await db.$queryRaw<{ consecutiveFailures: number; circuitOpenedAt: Date | null }[]>`
    UPDATE "Integration" SET "consecutiveFailures" = "consecutiveFailures" + 1
    WHERE "id" = ${integrationId} AND "workspaceId" = ${workspaceId}
    RETURNING "consecutiveFailures", "circuitOpenedAt"`;
  if (!counted || counted.circuitOpenedAt || counted.consecutiveFailures < CIRCUIT.failureThreshold) return;
  // Opened and marked alerted at once: one alert per opening (Resume and a success clear both).
  const now = new Date();
  const opened = await db.integration.updateMany({
    where: { id: integrationId, workspaceId, circuitOpenedAt: null },
    data: { circuitOpenedAt: now, failureAlertedAt: now },
  });
  if (opened.count === 0) return; // another attempt opened it
  log.warn("integration circuit opened", { workspaceId, integrationId, failures: counted.consecutiveFailures });
  await alertIntegrationPaused(workspaceId, integrationId);
}

/**
 * The start of an answer for the log, as PostgreSQL can store it: a receiver's NUL byte (or a
 * character cut in half) would otherwise fail the log's update and send the call again.
 */
export const responseExcerpt = (body: string) => toStorableText(body.slice(0, RESPONSE_EXCERPT_CHARS));

/** Deeper than any partner's real answer (Loop's returns nest about 6 levels). */
const MAX_STORED_RESPONSE_DEPTH = 64;

/** Keeps a 2xx JSON answer about a customer: what the sidebar widgets render. */
async function storeResponse(
  delivery: { workspaceId: string; integrationId: number; customerId: string | null },
  body: string,
) {
  // Absurd nesting would overflow the stack of what walks the value (Prisma, jsonb, the widgets),
  // failing the log's update and sending the call again: such an answer is logged, not kept.
  if (nestsDeeperThan(body, MAX_STORED_RESPONSE_DEPTH)) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return; // not JSON: nothing a widget could read
  }
  if (parsed === null || typeof parsed !== "object") return;
  // jsonb cannot hold "\u0000" or a lone surrogate from the receiver's JSON: they are left out.
  const json = toStorableJson(parsed) as Prisma.InputJsonValue;
  await db.integrationResponse.upsert({
    where: { integrationId_customerId: { integrationId: delivery.integrationId, customerId: delivery.customerId! } },
    create: {
      workspaceId: delivery.workspaceId,
      integrationId: delivery.integrationId,
      customerId: delivery.customerId!,
      body: json,
    },
    update: { body: json, fetchedAt: new Date() },
  });
}

/** The delivery log's trigger for a widget action run by an agent (widget-actions.server.ts). */
export const CUSTOM_ACTION_TRIGGER = "custom-action";
export const NOT_REPLAYABLE = "not-replayable" as const;

/**
 * "Replay" in the delivery log: the same request (method, URL, body as logged) sent again as a new
 * delivery with a new idempotency key — a replay is a deliberate second call, which a receiver
 * that already handled the original must not drop as a duplicate. Null when not the workspace's.
 */
export async function replayIntegrationDelivery(
  workspaceId: string,
  deliveryId: string,
): Promise<string | null | typeof NOT_REPLAYABLE> {
  const original = await db.integrationDelivery.findFirst({ where: { id: deliveryId, workspaceId } });
  if (!original) return null;
  // A widget action is not a trigger call: replayed here it would go with the integration's
  // headers and signature (to the action's host), without the action's own headers, and its answer
  // would replace the customer's stored response the widgets show. It runs again from its ticket.
  if (original.trigger === CUSTOM_ACTION_TRIGGER) return NOT_REPLAYABLE;
  const id = crypto.randomUUID();
  await db.integrationDelivery.create({
    data: {
      id,
      workspaceId,
      integrationId: original.integrationId,
      eventId: original.eventId,
      trigger: original.trigger,
      ticketId: original.ticketId,
      customerId: original.customerId,
      idempotencyKey: `shopdesk-replay-${id}`,
      requestMethod: original.requestMethod,
      requestUrl: original.requestUrl,
      requestBody: original.requestBody,
      replayOfId: original.id,
    },
  });
  await queueIntegrationDelivery(workspaceId, id);
  return id;
}

/** "Resume": closes an open circuit now (held calls stay in the log, to replay). False when not found. */
export async function resumeIntegration(workspaceId: string, integrationId: number): Promise<boolean> {
  const { count } = await db.integration.updateMany({
    where: { id: integrationId, workspaceId },
    data: { circuitOpenedAt: null, consecutiveFailures: 0, failureAlertedAt: null },
  });
  return count > 0;
}
