import { db } from "~/db.server";
import { portalLocale, type PortalLocale } from "~/domain/portal-messages";
import {
  REQUEST_STATUS_LABELS,
  requestConfirmation,
  requestTicket,
  type PortalRequestBody,
  type PortalRequestKind,
  type PortalRequestStatus,
} from "~/domain/portal-requests";
import { returnableQuantity, shownAction, type PortalActionKind } from "~/domain/portal-eligibility";
import { issueChoicesFor } from "~/domain/portal-issues";
import { queueReplyDelivery } from "~/jobs/mail-kinds.server";
import { sameJson } from "~/lib/canonical-json";
import { logger } from "~/lib/logger.server";
import { resolveHelpdeskCustomer } from "~/models/helpdesk-customer.server";
import { recordRequest } from "~/models/portal-usage.server";
import { addAutomaticReply, linkOrderToNewTicket, openTicket } from "~/models/ticket.server";
import type { PortalCall } from "./portal-auth.server";
import { sessionOrder } from "./orders.server";

// A shopper's return, cancellation or issue report from the portal (issue 9, decision 023): checked
// against what the order page offers (the API refuses what is not shown), then in one transaction
// a ticket (channel portal_request, for agents) with the order linked and the shopper's answers,
// the PortalRequest the shopper follows, and one confirmation in the shopper's language, sent as the
// ticket's automatic reply by the durable reply delivery (so it is retried, and the shopper's answer
// threads into the ticket).

type Session = Awaited<ReturnType<typeof import("./portal-auth.server").requirePortalSession>>;

/** Requests one portal session may make: beyond, someone is filling the inbox, not asking for help. */
export const MAX_REQUESTS_PER_SESSION = 10;

const ACTION_OF: Record<PortalRequestKind, PortalActionKind> = {
  return: "return",
  cancel: "cancel",
  issue: "report_issue",
};

const REFUSALS: Record<
  PortalLocale,
  Record<"notOffered" | "items" | "issue" | "tooMany" | "notFound" | "alreadyAsked", string>
> = {
  en: {
    notOffered: "This can no longer be requested for this order.",
    items: "Choose items of this order, no more than you received.",
    issue: "Choose one of the issues offered for this order.",
    tooMany: "You have sent many requests. Please wait for our reply.",
    notFound: "We could not find this order in your account.",
    alreadyAsked: "You already sent this kind of request for this order. We will reply to you soon.",
  },
  fr: {
    notOffered: "Cette demande n'est plus possible pour cette commande.",
    items: "Choisissez des articles de cette commande, sans dépasser la quantité reçue.",
    issue: "Choisissez l'un des problèmes proposés pour cette commande.",
    tooMany: "Vous avez envoyé beaucoup de demandes. Merci d'attendre notre réponse.",
    notFound: "Nous ne trouvons pas cette commande dans votre compte.",
    alreadyAsked: "Vous avez déjà envoyé ce type de demande pour cette commande. Nous vous répondrons bientôt.",
  },
  de: {
    notOffered: "Für diese Bestellung ist diese Anfrage nicht mehr möglich.",
    items: "Wählen Sie Artikel dieser Bestellung, höchstens so viele wie erhalten.",
    issue: "Wählen Sie eines der für diese Bestellung angebotenen Probleme.",
    tooMany: "Sie haben viele Anfragen gesendet. Bitte warten Sie auf unsere Antwort.",
    notFound: "Wir finden diese Bestellung nicht in Ihrem Konto.",
    alreadyAsked: "Sie haben diese Art von Anfrage für diese Bestellung bereits gesendet. Wir antworten Ihnen bald.",
  },
  es: {
    notOffered: "Ya no se puede solicitar esto para este pedido.",
    items: "Elige artículos de este pedido, sin superar la cantidad recibida.",
    issue: "Elige uno de los problemas propuestos para este pedido.",
    tooMany: "Has enviado muchas solicitudes. Espera nuestra respuesta, por favor.",
    notFound: "No encontramos este pedido en tu cuenta.",
    alreadyAsked: "Ya enviaste este tipo de solicitud para este pedido. Te responderemos pronto.",
  },
};

export type SubmitResult =
  | { ok: true; created: boolean; request: RequestView; message: string }
  | { ok: false; status: 404 | 409 | 400 | 429; error: string };

export interface RequestView {
  id: string;
  kind: PortalRequestKind;
  status: PortalRequestStatus;
  statusLabel: string;
  createdAt: string;
}

const viewOf = (
  request: { id: string; kind: PortalRequestKind; status: PortalRequestStatus; createdAt: Date },
  locale: PortalLocale,
): RequestView => ({
  id: request.id,
  kind: request.kind,
  status: request.status,
  statusLabel: REQUEST_STATUS_LABELS[locale][request.status],
  createdAt: request.createdAt.toISOString(),
});

/** Files the request, or says why not (the shopper's language). */
export async function submitPortalRequest(
  call: PortalCall,
  session: Session,
  body: PortalRequestBody,
): Promise<SubmitResult> {
  const locale = portalLocale(call.locale ?? session.locale);
  const refuse = REFUSALS[locale];
  const order = await sessionOrder(call, session, body.orderId);
  if (!order) return { ok: false, status: 404, error: refuse.notFound };

  const shown = shownAction(order.actions, ACTION_OF[body.kind]);
  // A return through Loop Returns happens on Loop's portal, never as a request here.
  if (!shown || (shown.kind === "return" && shown.via === "loop")) {
    return { ok: false, status: 409, error: refuse.notOffered };
  }
  if (session.requests >= MAX_REQUESTS_PER_SESSION) return { ok: false, status: 429, error: refuse.tooMany };

  const items: { title: string; quantity: number; lineItemId: string }[] = [];
  let issueLabel: string | undefined;
  let issueLabelForAgents: string | undefined;
  if (body.kind === "return") {
    const lines = new Map(order.snapshot.lineItems.map((line) => [line.id, line]));
    const chosen = new Map<string, number>();
    for (const item of body.items) chosen.set(item.lineItemId, (chosen.get(item.lineItemId) ?? 0) + item.quantity);
    for (const [lineItemId, quantity] of chosen) {
      const line = lines.get(lineItemId);
      // The order page's own count: a line it shows as not returnable (never shipped, refunded) is refused.
      if (!line || quantity > returnableQuantity(line)) return { ok: false, status: 400, error: refuse.items };
      items.push({ lineItemId, quantity, title: line.title });
    }
  } else if (body.kind === "issue") {
    issueLabel = order.issues.options.find((option) => option.key === body.issue)?.label;
    if (!issueLabel) return { ok: false, status: 400, error: refuse.issue };
    // Agents read the ticket in English: the same option's English label.
    issueLabelForAgents =
      issueChoicesFor(order.facts.status, order.options.issueOptions, "en").options.find(
        (option) => option.key === body.issue,
      )?.label ?? issueLabel;
  }

  const details = {
    ...(body.kind === "return" ? { items, reason: body.reason } : {}),
    ...(body.kind === "issue" ? { issue: body.issue, issueLabel } : {}),
    ...(body.message ? { message: body.message } : {}),
    locale,
  };
  // One open request per order and kind: the same one sent again (a double click, a retried call)
  // is the one already filed; a different one waits for the agent's answer to the first.
  const existing = await db.portalRequest.findFirst({
    where: { shopId: call.shop.id, orderId: order.row.id, kind: body.kind, status: { in: ["received", "approved"] } },
    orderBy: { createdAt: "desc" },
  });
  if (existing) {
    if (!sameJson(existing.details, details)) return { ok: false, status: 409, error: refuse.alreadyAsked };
    const again = requestConfirmation({
      kind: body.kind,
      orderName: order.snapshot.name,
      storeName: call.shop.name ?? call.shop.domain,
      locale,
    });
    return { ok: true, created: false, request: viewOf(existing, locale), message: again.subject };
  }

  const storeName = call.shop.name ?? call.shop.domain;
  const ticketText = requestTicket({
    kind: body.kind,
    orderName: order.snapshot.name,
    items,
    reason: body.kind === "return" ? body.reason : undefined,
    issueLabel: issueLabelForAgents,
    message: body.message,
    locale,
  });
  const confirmation = requestConfirmation({ kind: body.kind, orderName: order.snapshot.name, storeName, locale });
  const { request, replyId } = await db.$transaction(async (tx) => {
    // The store's customer when the session knows them (store login, or a code to their address),
    // else the person with this email or phone (a new one if none).
    const known = session.shopifyCustomerId
      ? await tx.shopifyCustomer.findFirst({
          where: { shopId: call.shop.id, shopifyId: session.shopifyCustomerId },
          select: { helpdeskCustomerId: true },
        })
      : null;
    const customerId =
      known?.helpdeskCustomerId ??
      (await resolveHelpdeskCustomer(tx, call.shop.workspaceId, {
        email: session.email,
        phone: session.phone,
        firstName: null,
        lastName: null,
      }));
    const ticket = await openTicket(tx, call.shop.workspaceId, {
      channel: "portal_request",
      subject: ticketText.subject,
      customerId,
      shopId: call.shop.id,
      tags: ["portal", body.kind === "issue" ? "issue-report" : `${body.kind}-request`],
      firstMessage: { body: ticketText.body, fromAddress: session.email ?? null },
    });
    await linkOrderToNewTicket(tx, ticket, { id: order.row.id, name: order.snapshot.name });
    const request = await tx.portalRequest.create({
      data: {
        shopId: call.shop.id,
        sessionId: session.id,
        orderId: order.row.id,
        ticketId: ticket.id,
        kind: body.kind,
        details,
      },
    });
    const reply = await addAutomaticReply(tx, ticket, { body: confirmation.text, subject: confirmation.subject });
    // Billable by itself (domain/portal-usage.ts); reaching an agent is the shopper's next message.
    await recordRequest(tx, session.id);
    return { request, replyId: reply.id };
  });
  // After the commit: the reply is stored as pending either way, and the reply sweep sends a
  // pending reply that never got its job (a crash right here).
  await queueReplyDelivery(call.shop.workspaceId, replyId).catch((error: unknown) =>
    logger.warn("portal request confirmation not queued; the reply sweep will send it", { replyId, error }),
  );
  logger.info("portal request filed", { shop: call.shop.domain, requestId: request.id, kind: body.kind });
  return { ok: true, created: true, request: viewOf(request, locale), message: confirmation.subject };
}

/** The requests made for one of the session's orders, newest first, in the shopper's language. */
export async function orderRequests(shopId: string, orderId: string, locale: PortalLocale): Promise<RequestView[]> {
  const requests = await db.portalRequest.findMany({
    where: { shopId, orderId },
    orderBy: { createdAt: "desc" },
    select: { id: true, kind: true, status: true, createdAt: true },
  });
  return requests.map((request) => viewOf(request, locale));
}
