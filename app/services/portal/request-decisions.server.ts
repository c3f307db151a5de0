import { z } from "zod";
import { db } from "~/db.server";
import {
  DECISION_CLAIM_MS,
  decisionReply,
  readDecision,
  readRequestDetails,
  statusAfterReturnEvent,
  type DecidableKind,
  type DecisionOutcome,
  type DecisionRecord,
  type DeclineReason,
  type ReturnTopic,
} from "~/domain/portal-decisions";
import type { PortalRequestStatus } from "~/domain/portal-requests";
import type { TicketEvent } from "~/domain/tickets";
import { Prisma } from "~/generated/prisma/client";
import { queueReplyDelivery } from "~/jobs/mail-kinds.server";
import { logger } from "~/lib/logger.server";
import { portalOptions } from "~/models/portal-settings.server";
import { addAutomaticReply, recordEvent } from "~/models/ticket.server";
import type { AdminGraphqlClient } from "~/services/shopify/admin-graphql.server";
import { cancelOrder } from "~/services/shopify/order-cancel.server";
import { toGid, type ShopifyActionFailure } from "~/services/shopify/order-actions.server";
import {
  approveReturn,
  CUSTOMER_NOTE_MAX_LENGTH,
  declineReturn,
  findActiveReturn,
  requestReturn,
  type ReturnReason,
  type ShopifyReturn,
} from "~/services/shopify/returns.server";

// An agent approves or declines a shopper's return or cancellation request from its ticket (issue 9,
// decision 023): done in Shopify first (returnRequest + returnApproveRequest, or orderCancel with the
// store's refund and restock defaults), then recorded in one transaction: the request's new status
// and decision, a system event agents read, and one automatic reply to the shopper in their
// language (sent by the durable reply delivery).
//
// Once, whatever the clicks: the request is claimed in the database (decisionStartedAt, only while
// it is "received" and nobody else holds it) before Shopify is asked, so a double click or a second
// agent gets "already being decided" and Shopify is asked once. A refusal from Shopify releases the
// claim and records nothing: the request stays "received" and the agent reads Shopify's reason.
//
// A crash between Shopify's answer and our write leaves the claim (taken over after
// DECISION_CLAIM_MS) and, for a return, Shopify's return: the id is written on the request as soon
// as Shopify files it, and before filing one the order's returns are searched for a REQUESTED or
// OPEN one holding exactly the requested items, which is then approved or used as it is. A retry
// never files a second return (Shopify would refuse one anyway: the items are held by the first).
// A retried cancellation finds the order already cancelled and records the request as done.

export type PortalDecision =
  { action: "approve" } | { action: "decline"; note: string | null; declineReason: DeclineReason | null };

export type DecisionResult =
  { ok: true; outcome: DecisionOutcome; toast: string } | { ok: false; status: 403 | 404 | 409 | 503; message: string };

/** An Admin API client for one of the workspace's stores (the request's, which may not be the agent's). */
export type AdminFor = (shopDomain: string) => Promise<AdminGraphqlClient>;

const defaultAdminFor: AdminFor = async (shopDomain) =>
  (await import("~/services/shopify/shop-admin.server")).adminForBackgroundWork(shopDomain);

const REQUEST_WITH_CONTEXT = {
  id: true,
  shopId: true,
  kind: true,
  status: true,
  details: true,
  shopifyReference: true,
  decidedAt: true,
  decision: true,
  decisionStartedAt: true,
  session: { select: { locale: true } },
  order: { select: { id: true, shopId: true, shopifyId: true, name: true } },
  shop: { select: { id: true, domain: true, name: true, workspaceId: true } },
  ticket: { select: { id: true, number: true, workspaceId: true, channel: true, shopId: true } },
} satisfies Prisma.PortalRequestSelect;

type RequestWithContext = Prisma.PortalRequestGetPayload<{ select: typeof REQUEST_WITH_CONTEXT }>;

/** The ticket's portal request, only when the ticket is the workspace's and the request and its order its store's. */
async function requestOnTicket(workspaceId: string, ticketId: string): Promise<RequestWithContext | null> {
  const request = await db.portalRequest.findFirst({
    where: { ticketId, ticket: { workspaceId }, shop: { workspaceId } },
    select: REQUEST_WITH_CONTEXT,
  });
  if (!request) return null;
  const sameStore = request.order.shopId === request.shopId && request.ticket.shopId === request.shopId;
  return sameStore ? request : null;
}

const STATUS_WORDS: Record<PortalRequestStatus, string> = {
  received: "received",
  approved: "approved",
  declined: "declined",
  done: "done",
};

function alreadyDecided(request: { status: PortalRequestStatus; decision: unknown }): DecisionResult {
  const decision = readDecision(request.decision);
  const who =
    decision?.via === "shopify" ? " in Shopify's admin" : decision?.agentName ? ` by ${decision.agentName}` : "";
  return {
    ok: false,
    status: 409,
    message: `This request was already ${STATUS_WORDS[request.status]}${who}. Refresh the page to see it.`,
  };
}

const failure = (result: ShopifyActionFailure): DecisionResult => ({
  ok: false,
  status: result.reason === "access-denied" ? 403 : result.reason === "unavailable" ? 503 : 409,
  message: result.message,
});

interface Performed {
  outcome: DecisionOutcome;
  shopifyReference: string | null;
  record: DecisionRecord;
  toast: string;
}

/** Approves or declines the ticket's pending return or cancellation request; see the module's comment. */
export async function decidePortalRequest(
  workspaceId: string,
  ticketId: string,
  agent: { id: string; name: string } | null,
  decision: PortalDecision,
  options: { adminFor?: AdminFor; now?: Date } = {},
): Promise<DecisionResult> {
  const request = await requestOnTicket(workspaceId, ticketId);
  if (!request) {
    return { ok: false, status: 404, message: "This ticket has no shopper request from the portal to decide." };
  }
  if (request.kind === "issue") {
    return {
      ok: false,
      status: 409,
      message: "This is an issue report: answer the shopper with a reply. Only returns and cancellations are approved.",
    };
  }
  if (request.status !== "received") return alreadyDecided(request);

  const claimedAt = options.now ?? new Date();
  const claimed = await db.portalRequest.updateMany({
    where: {
      id: request.id,
      status: "received",
      OR: [
        { decisionStartedAt: null },
        { decisionStartedAt: { lt: new Date(claimedAt.getTime() - DECISION_CLAIM_MS) } },
      ],
    },
    data: { decisionStartedAt: claimedAt },
  });
  if (claimed.count === 0) {
    const now = await db.portalRequest.findUnique({
      where: { id: request.id },
      select: { status: true, decision: true },
    });
    if (now && now.status !== "received") return alreadyDecided(now);
    return {
      ok: false,
      status: 409,
      message: "Someone is deciding this request right now. Refresh the page in a moment to see the outcome.",
    };
  }
  const release = () =>
    db.portalRequest.updateMany({
      where: { id: request.id, decisionStartedAt: claimedAt },
      data: { decisionStartedAt: null },
    });

  let performed: Performed | DecisionResult;
  try {
    const admin = await (options.adminFor ?? defaultAdminFor)(request.shop.domain);
    const kind = request.kind as DecidableKind;
    performed =
      decision.action === "approve"
        ? kind === "return"
          ? await approveReturnRequest(admin, request, agent, claimedAt)
          : await approveCancelRequest(admin, request, agent)
        : await declineRequest(admin, request, agent, decision);
  } catch (error) {
    await release();
    throw error;
  }
  if ("ok" in performed) {
    await release();
    return performed;
  }
  return record(request, agent, performed, claimedAt);
}

async function approveReturnRequest(
  admin: AdminGraphqlClient,
  request: RequestWithContext,
  agent: { id: string; name: string } | null,
  claimedAt: Date,
): Promise<Performed | DecisionResult> {
  const details = readRequestDetails(request.details);
  if (details.items.length === 0) {
    return { ok: false, status: 409, message: "This request names no items to return. Ask the shopper which ones." };
  }
  const items = details.items.map((item) => ({ lineItemId: item.lineItemId, quantity: item.quantity }));
  // An earlier try may have filed it (its answer lost): use that return instead of filing another.
  const existing = await findActiveReturn(admin, { orderId: request.order.shopifyId, items });
  if (!existing.ok) return failure(existing);
  let ret: ShopifyReturn | null = existing.return;
  if (!ret) {
    const requested = await requestReturn(admin, {
      orderId: request.order.shopifyId,
      items: items.map((item) => ({
        ...item,
        reason: (details.reason ?? "OTHER") as ReturnReason,
        customerNote: details.message?.trim().slice(0, CUSTOMER_NOTE_MAX_LENGTH) || null,
      })),
    });
    if (!requested.ok) return failure(requested);
    ret = requested.return;
  }
  // Kept at once: a decline later, or a retry after a crash, knows Shopify's return.
  await db.portalRequest.updateMany({
    where: { id: request.id, decisionStartedAt: claimedAt },
    data: { shopifyReference: ret.id },
  });
  if (ret.status === "REQUESTED") {
    // We tell the shopper ourselves, in their language: Shopify's email would be a second one.
    const approved = await approveReturn(admin, ret.id, { notifyCustomer: false });
    if (!approved.ok) return failure(approved);
    ret = approved.return;
  }
  return {
    outcome: "approved",
    shopifyReference: ret.id,
    record: decisionRecord(agent, { returnName: ret.name }),
    toast: `Return ${ret.name} approved in Shopify`,
  };
}

async function approveCancelRequest(
  admin: AdminGraphqlClient,
  request: RequestWithContext,
  agent: { id: string; name: string } | null,
): Promise<Performed | DecisionResult> {
  const { cancelRefund, cancelRestock } = await portalOptions(request.shopId);
  const cancelled = await cancelOrder(admin, request.order.shopifyId, {
    reason: "CUSTOMER",
    refund: cancelRefund,
    restock: cancelRestock,
    notifyCustomer: false,
    staffNote: `Cancelled at the shopper's request (Shopdesk ticket #${request.ticket.number}).`,
  });
  const record = decisionRecord(agent, { refund: cancelRefund, restock: cancelRestock });
  if (!cancelled.ok) {
    // A retry after a lost answer, or the merchant was quicker: the order is cancelled, as asked.
    const alreadyCancelled = cancelled.userErrors.some(
      (error) => /already/i.test(error.message) && /cancel/i.test(error.message),
    );
    if (!alreadyCancelled) return failure(cancelled);
    return {
      outcome: "done",
      shopifyReference: null,
      record,
      toast: `Order ${request.order.name} was already cancelled in Shopify`,
    };
  }
  return {
    outcome: "done",
    shopifyReference: cancelled.jobId,
    record,
    toast: `Order ${request.order.name} cancelled in Shopify`,
  };
}

async function declineRequest(
  admin: AdminGraphqlClient,
  request: RequestWithContext,
  agent: { id: string; name: string } | null,
  decision: Extract<PortalDecision, { action: "decline" }>,
): Promise<Performed | DecisionResult> {
  const declineReason = request.kind === "return" ? (decision.declineReason ?? "OTHER") : null;
  // Only a return Shopify already has is declined there; otherwise the request alone is.
  if (request.kind === "return" && request.shopifyReference) {
    const declined = await declineReturn(admin, request.shopifyReference, {
      reason: declineReason ?? "OTHER",
      note: decision.note,
      notifyCustomer: false,
    });
    if (!declined.ok) return failure(declined);
  }
  return {
    outcome: "declined",
    shopifyReference: request.shopifyReference,
    record: decisionRecord(agent, { note: decision.note, declineReason }),
    toast: "Request declined; the shopper is told",
  };
}

function decisionRecord(
  agent: { id: string; name: string } | null,
  parts: Partial<Omit<DecisionRecord, "via" | "agentId" | "agentName">>,
): DecisionRecord {
  return {
    via: "agent",
    agentId: agent?.id ?? null,
    agentName: agent?.name ?? null,
    returnName: null,
    note: null,
    declineReason: null,
    refund: null,
    restock: null,
    ...parts,
  };
}

async function record(
  request: RequestWithContext,
  agent: { id: string; name: string } | null,
  performed: Performed,
  claimedAt: Date,
): Promise<DecisionResult> {
  const details = readRequestDetails(request.details);
  const reply = decisionReply({
    kind: request.kind as DecidableKind,
    outcome: performed.outcome,
    orderName: request.order.name,
    storeName: request.shop.name ?? request.shop.domain,
    locale: details.locale ?? request.session?.locale,
    note: performed.record.note,
    refund: performed.record.refund,
  });
  const replyId = await db.$transaction(async (tx) => {
    const decided = await tx.portalRequest.updateMany({
      where: { id: request.id, status: "received", decisionStartedAt: claimedAt },
      data: {
        status: performed.outcome,
        decidedAt: new Date(),
        shopifyReference: performed.shopifyReference,
        decision: performed.record as unknown as Prisma.InputJsonValue,
        decisionStartedAt: null,
      },
    });
    // Our claim was taken over (Shopify took longer than the claim lasts): the other try records it.
    if (decided.count === 0) return null;
    const event: TicketEvent = {
      type: "portal_request_decided",
      kind: request.kind as DecidableKind,
      outcome: performed.outcome,
      orderName: request.order.name,
      returnName: performed.record.returnName,
      via: "agent",
    };
    await recordEvent(tx, request.ticket, event, agent?.id ?? null);
    const entry = await addAutomaticReply(tx, request.ticket, { body: reply.text, subject: reply.subject });
    return entry.id;
  });
  if (replyId === null) {
    logger.warn("portal request decided in Shopify, but another try recorded it", { requestId: request.id });
    return { ok: true, outcome: performed.outcome, toast: performed.toast };
  }
  // After the commit; the reply sweep sends a pending reply that never got its job.
  await queueReplyDelivery(request.ticket.workspaceId, replyId).catch((error: unknown) =>
    logger.warn("decision reply not queued; the reply sweep will send it", { replyId, error }),
  );
  logger.info("portal request decided", {
    shop: request.shop.domain,
    requestId: request.id,
    kind: request.kind,
    outcome: performed.outcome,
  });
  return { ok: true, outcome: performed.outcome, toast: performed.toast };
}

// ---- The ticket page's card ---------------------------------------------------------------------

export interface PortalRequestCard {
  kind: "return" | "cancel" | "issue";
  status: PortalRequestStatus;
  orderName: string;
  items: { title: string; quantity: number }[];
  reason: string | null;
  message: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
  returnName: string | null;
  note: string | null;
  /** Someone's approval or decline is running now. */
  deciding: boolean;
  /** Approve and Decline are offered. */
  decidable: boolean;
}

/** The ticket's portal request as the ticket page shows it, or null. */
export async function portalRequestCard(workspaceId: string, ticketId: string, now = new Date()) {
  const request = await requestOnTicket(workspaceId, ticketId);
  if (!request) return null;
  const details = readRequestDetails(request.details);
  const decision = readDecision(request.decision);
  const deciding =
    request.decisionStartedAt !== null && now.getTime() - request.decisionStartedAt.getTime() < DECISION_CLAIM_MS;
  return {
    kind: request.kind,
    status: request.status,
    orderName: request.order.name,
    items: details.items.map(({ title, quantity }) => ({ title, quantity })),
    reason: details.reason ?? null,
    message: details.message ?? null,
    decidedAt: request.decidedAt?.toISOString() ?? null,
    decidedBy: decision ? (decision.via === "shopify" ? "Shopify admin" : decision.agentName) : null,
    returnName: decision?.returnName ?? null,
    note: decision?.note ?? null,
    deciding,
    decidable: request.kind !== "issue" && request.status === "received",
  } satisfies PortalRequestCard;
}

// ---- When the merchant acts in Shopify's admin ---------------------------------------------------

const idLike = z.union([z.string(), z.number()]).transform(String);

/** What the returns/* payloads carry that we read (approve, decline, cancel: `order`; close: `order_id`). */
export const ReturnWebhookSchema = z
  .object({
    id: idLike,
    admin_graphql_api_id: z.string().nullish(),
    name: z.string().nullish(),
    order: z.object({ id: idLike, admin_graphql_api_id: z.string().nullish() }).loose().nullish(),
    order_id: idLike.nullish(),
  })
  .loose();
export type ReturnWebhook = z.output<typeof ReturnWebhookSchema>;

const claimIsFresh = (startedAt: Date | null, now: Date) =>
  startedAt !== null && now.getTime() - startedAt.getTime() < DECISION_CLAIM_MS;

/**
 * A return changed in Shopify: the portal request it belongs to follows (approved, declined, done).
 * A return created in Shopify's admin for an order whose return request has none yet is taken as
 * that request's answer. Skipped while an agent's decision runs here (it records its own outcome).
 */
export async function followReturnWebhook(
  shopDomain: string,
  topic: ReturnTopic,
  payload: ReturnWebhook,
  now = new Date(),
): Promise<"processed" | "skipped"> {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  if (!shop) return "skipped";
  const returnId = toGid("Return", payload.admin_graphql_api_id ?? payload.id);
  let request = await db.portalRequest.findFirst({
    where: { shopId: shop.id, kind: "return", shopifyReference: returnId },
    select: { ...REQUEST_WITH_CONTEXT },
  });
  const orderRef = payload.order?.admin_graphql_api_id ?? payload.order?.id ?? payload.order_id ?? null;
  if (!request && topic === "returns/approve" && orderRef) {
    request = await db.portalRequest.findFirst({
      where: {
        shopId: shop.id,
        kind: "return",
        status: "received",
        shopifyReference: null,
        order: { shopifyId: toGid("Order", orderRef) },
      },
      orderBy: { createdAt: "asc" },
      select: { ...REQUEST_WITH_CONTEXT },
    });
  }
  if (!request || claimIsFresh(request.decisionStartedAt, now)) return "skipped";
  const next = statusAfterReturnEvent(request.status, topic);
  if (!next) return "skipped";
  const earlier = readDecision(request.decision);
  const record: DecisionRecord = earlier
    ? { ...earlier, returnName: earlier.returnName ?? payload.name ?? null }
    : {
        via: "shopify",
        agentId: null,
        agentName: null,
        returnName: payload.name ?? null,
        note: null,
        declineReason: null,
        refund: null,
        restock: null,
      };
  return moveRequest(request, next, record, returnId, now);
}

/** orders/cancelled: the order's pending cancellation request is done (the merchant did it in Shopify). */
export async function completeCancelRequests(
  shopDomain: string,
  orderRef: string,
  now = new Date(),
): Promise<"processed" | "skipped"> {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  if (!shop) return "skipped";
  const requests = await db.portalRequest.findMany({
    where: {
      shopId: shop.id,
      kind: "cancel",
      status: { in: ["received", "approved"] },
      order: { shopifyId: toGid("Order", orderRef) },
    },
    select: { ...REQUEST_WITH_CONTEXT },
  });
  let moved = false;
  for (const request of requests) {
    if (claimIsFresh(request.decisionStartedAt, now)) continue;
    const record = readDecision(request.decision) ?? {
      via: "shopify" as const,
      agentId: null,
      agentName: null,
      returnName: null,
      note: null,
      declineReason: null,
      refund: null,
      restock: null,
    };
    if ((await moveRequest(request, "done", record, request.shopifyReference, now)) === "processed") moved = true;
  }
  return moved ? "processed" : "skipped";
}

async function moveRequest(
  request: RequestWithContext,
  next: PortalRequestStatus,
  record: DecisionRecord,
  shopifyReference: string | null,
  now: Date,
): Promise<"processed" | "skipped"> {
  return db.$transaction(async (tx) => {
    const moved = await tx.portalRequest.updateMany({
      where: { id: request.id, status: request.status, decisionStartedAt: request.decisionStartedAt },
      data: {
        status: next,
        decidedAt: request.decidedAt ?? now,
        shopifyReference,
        decision: record as unknown as Prisma.InputJsonValue,
        decisionStartedAt: null,
      },
    });
    if (moved.count === 0) return "skipped";
    await recordEvent(
      tx,
      request.ticket,
      {
        type: "portal_request_decided",
        kind: request.kind as DecidableKind,
        outcome: next === "received" ? "approved" : next,
        orderName: request.order.name,
        returnName: record.returnName,
        via: "shopify",
      },
      null,
    );
    return "processed";
  });
}
