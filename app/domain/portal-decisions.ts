import { z } from "zod";
import { portalLocale, type PortalLocale } from "./portal-messages";
import { RETURN_REASON_LABELS, type PortalRequestStatus } from "./portal-requests";

// An agent's answer to a shopper's return or cancellation request (issue 9, decision 023): what the
// stored request says was asked, how the decision is kept on it, the one message the shopper gets in
// their language, and how Shopify's return webhooks move a request. Pure: the service
// (app/services/portal/request-decisions.server.ts) asks Shopify and writes.

/** The requests an agent decides on the ticket (an issue report is answered with a reply). */
export const DECIDABLE_KINDS = ["return", "cancel"] as const;
export type DecidableKind = (typeof DECIDABLE_KINDS)[number];

export type DecisionOutcome = "approved" | "declined" | "done";

/** Shopify's ReturnDeclineReason values, in an agent's words. */
export const RETURN_DECLINE_REASON_LABELS = {
  RETURN_PERIOD_ENDED: "The return period has ended",
  FINAL_SALE: "Final sale item",
  OTHER: "Another reason",
} as const;
export type DeclineReason = keyof typeof RETURN_DECLINE_REASON_LABELS;

/** The longest note to the shopper Shopify takes on a declined return (ReturnDeclineRequestInput). */
export const MAX_DECLINE_NOTE = 500;

/** PortalRequest.details as requests.server.ts writes it; anything unreadable is simply missing. */
export const RequestDetailsSchema = z.object({
  items: z
    .array(z.object({ lineItemId: z.string(), quantity: z.number().int().positive(), title: z.string() }))
    .catch([])
    .default([]),
  reason: z
    .enum(Object.keys(RETURN_REASON_LABELS.en) as [string, ...string[]])
    .optional()
    .catch(undefined),
  message: z.string().optional().catch(undefined),
  locale: z.string().optional().catch(undefined),
});
export type RequestDetails = z.output<typeof RequestDetailsSchema>;

export function readRequestDetails(stored: unknown): RequestDetails {
  const parsed = RequestDetailsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : { items: [] };
}

/** PortalRequest.decision: who decided (an agent here, or someone in Shopify's admin) and what was said. */
export const DecisionRecordSchema = z.object({
  via: z.enum(["agent", "shopify"]),
  agentId: z.string().nullable().default(null),
  agentName: z.string().nullable().default(null),
  /** Shopify's name of the return ("#1001-R1"). */
  returnName: z.string().nullable().default(null),
  note: z.string().nullable().default(null),
  declineReason: z.enum(["RETURN_PERIOD_ENDED", "FINAL_SALE", "OTHER"]).nullable().default(null),
  /** A cancellation: whether Shopify was asked to refund and restock. */
  refund: z.boolean().nullable().default(null),
  restock: z.boolean().nullable().default(null),
});
export type DecisionRecord = z.output<typeof DecisionRecordSchema>;

export function readDecision(stored: unknown): DecisionRecord | null {
  const parsed = DecisionRecordSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/** How long an agent's decision may hold a request before another try may take it over (a crash). */
export const DECISION_CLAIM_MS = 2 * 60_000;

// ---- What the shopper is told ------------------------------------------------------------------

interface ReplyInput {
  kind: DecidableKind;
  outcome: DecisionOutcome;
  orderName: string;
  storeName: string;
  locale: string | null | undefined;
  /** Declined: the agent's words to the shopper. */
  note?: string | null;
  /** Cancelled: whether the payment goes back to the shopper. */
  refund?: boolean | null;
}

type Texts = {
  hello: string;
  returnApproved: (order: string) => { subject: string; lines: string[] };
  returnDeclined: (order: string) => { subject: string; lines: string[] };
  cancelled: (order: string) => { subject: string; lines: string[] };
  refunded: string;
  cancelDeclined: (order: string) => { subject: string; lines: string[] };
  note: (store: string, note: string) => string;
  questions: string;
};

const TEXTS: Record<PortalLocale, Texts> = {
  en: {
    hello: "Hello,",
    returnApproved: (order) => ({
      subject: `Your return for order ${order} is approved`,
      lines: [
        `Good news: we approved your return for order ${order}.`,
        "We will tell you how to send the items back. You can follow your return in the help section of our store.",
      ],
    }),
    returnDeclined: (order) => ({
      subject: `About your return request for order ${order}`,
      lines: [`We're sorry: we can't accept your return request for order ${order}.`],
    }),
    cancelled: (order) => ({
      subject: `Your order ${order} is cancelled`,
      lines: [`As you asked, we cancelled your order ${order}.`],
    }),
    refunded: "Your payment will be refunded to your original payment method.",
    cancelDeclined: (order) => ({
      subject: `About your cancellation request for order ${order}`,
      lines: [`We're sorry: we can't cancel your order ${order}.`],
    }),
    note: (store, note) => `A message from ${store}: ${note}`,
    questions: "If you have any questions, just reply to this email.",
  },
  fr: {
    hello: "Bonjour,",
    returnApproved: (order) => ({
      subject: `Votre retour pour la commande ${order} est accepté`,
      lines: [
        `Bonne nouvelle : nous avons accepté votre retour pour la commande ${order}.`,
        "Nous vous indiquerons comment nous renvoyer les articles. Vous pouvez suivre votre retour dans l'aide de notre boutique.",
      ],
    }),
    returnDeclined: (order) => ({
      subject: `Votre demande de retour pour la commande ${order}`,
      lines: [`Nous sommes désolés : nous ne pouvons pas accepter votre demande de retour pour la commande ${order}.`],
    }),
    cancelled: (order) => ({
      subject: `Votre commande ${order} est annulée`,
      lines: [`Comme vous l'avez demandé, nous avons annulé votre commande ${order}.`],
    }),
    refunded: "Votre paiement vous sera remboursé sur votre moyen de paiement d'origine.",
    cancelDeclined: (order) => ({
      subject: `Votre demande d'annulation pour la commande ${order}`,
      lines: [`Nous sommes désolés : nous ne pouvons pas annuler votre commande ${order}.`],
    }),
    note: (store, note) => `Un message de ${store} : ${note}`,
    questions: "Pour toute question, répondez simplement à cet e-mail.",
  },
  de: {
    hello: "Hallo,",
    returnApproved: (order) => ({
      subject: `Ihre Rücksendung zur Bestellung ${order} ist genehmigt`,
      lines: [
        `Gute Nachricht: Wir haben Ihre Rücksendung zur Bestellung ${order} genehmigt.`,
        "Wir teilen Ihnen mit, wie Sie die Artikel zurücksenden. Sie können Ihre Rücksendung im Hilfebereich unseres Shops verfolgen.",
      ],
    }),
    returnDeclined: (order) => ({
      subject: `Zu Ihrer Rücksendeanfrage für die Bestellung ${order}`,
      lines: [`Es tut uns leid: Wir können Ihre Rücksendeanfrage für die Bestellung ${order} nicht annehmen.`],
    }),
    cancelled: (order) => ({
      subject: `Ihre Bestellung ${order} ist storniert`,
      lines: [`Wie gewünscht haben wir Ihre Bestellung ${order} storniert.`],
    }),
    refunded: "Ihre Zahlung wird auf Ihre ursprüngliche Zahlungsmethode erstattet.",
    cancelDeclined: (order) => ({
      subject: `Zu Ihrer Stornierungsanfrage für die Bestellung ${order}`,
      lines: [`Es tut uns leid: Wir können Ihre Bestellung ${order} nicht stornieren.`],
    }),
    note: (store, note) => `Eine Nachricht von ${store}: ${note}`,
    questions: "Bei Fragen antworten Sie einfach auf diese E-Mail.",
  },
  es: {
    hello: "Hola:",
    returnApproved: (order) => ({
      subject: `Tu devolución del pedido ${order} está aprobada`,
      lines: [
        `Buenas noticias: hemos aprobado tu devolución del pedido ${order}.`,
        "Te indicaremos cómo enviarnos los artículos. Puedes seguir tu devolución en la sección de ayuda de nuestra tienda.",
      ],
    }),
    returnDeclined: (order) => ({
      subject: `Sobre tu solicitud de devolución del pedido ${order}`,
      lines: [`Lo sentimos: no podemos aceptar tu solicitud de devolución del pedido ${order}.`],
    }),
    cancelled: (order) => ({
      subject: `Tu pedido ${order} está cancelado`,
      lines: [`Como nos pediste, hemos cancelado tu pedido ${order}.`],
    }),
    refunded: "Te reembolsaremos el pago en tu método de pago original.",
    cancelDeclined: (order) => ({
      subject: `Sobre tu solicitud de cancelación del pedido ${order}`,
      lines: [`Lo sentimos: no podemos cancelar tu pedido ${order}.`],
    }),
    note: (store, note) => `Un mensaje de ${store}: ${note}`,
    questions: "Si tienes alguna pregunta, responde a este correo.",
  },
};

/** The one message the shopper gets about the decision, in their language. */
export function decisionReply(input: ReplyInput): { subject: string; text: string; locale: PortalLocale } {
  const locale = portalLocale(input.locale);
  const texts = TEXTS[locale];
  const approved = input.outcome !== "declined";
  const { subject, lines } =
    input.kind === "return"
      ? approved
        ? texts.returnApproved(input.orderName)
        : texts.returnDeclined(input.orderName)
      : approved
        ? texts.cancelled(input.orderName)
        : texts.cancelDeclined(input.orderName);
  const note = input.note?.trim();
  const paragraphs = [
    texts.hello,
    ...lines,
    ...(input.kind === "cancel" && approved && input.refund ? [texts.refunded] : []),
    ...(!approved && note ? [texts.note(input.storeName, note)] : []),
    texts.questions,
    input.storeName,
  ];
  return { subject, text: paragraphs.join("\n\n"), locale };
}

// ---- Shopify's return webhooks -----------------------------------------------------------------

/** The returns topics Shopdesk follows, and where each leaves a portal return request. */
export const RETURN_TOPIC_STATUS = {
  "returns/approve": "approved",
  "returns/decline": "declined",
  "returns/close": "done",
  // A cancelled return will not happen: for the shopper, the request was not accepted.
  "returns/cancel": "declined",
} as const satisfies Record<string, PortalRequestStatus>;
export type ReturnTopic = keyof typeof RETURN_TOPIC_STATUS;

/**
 * The status a request moves to when Shopify says `topic` about its return, or null when it stays
 * (a late or repeated delivery never moves a request backwards: a closed return stays done).
 */
export function statusAfterReturnEvent(current: PortalRequestStatus, topic: ReturnTopic): PortalRequestStatus | null {
  const next = RETURN_TOPIC_STATUS[topic];
  if (current === next || current === "done") return null;
  if (current === "declined") return null;
  if (current === "approved" && next !== "done" && topic !== "returns/cancel") return null;
  return next;
}

/** The line agents read on the ticket for a decision (see describeTicketEvent). */
export function describeDecision(event: {
  kind: DecidableKind;
  outcome: DecisionOutcome;
  orderName: string;
  returnName: string | null;
  via: "agent" | "shopify";
  who: string | null;
}): string {
  const inShopify = event.via === "shopify";
  const by = inShopify ? "in Shopify's admin" : event.who ? `by ${event.who}` : "by Shopdesk";
  if (event.kind === "return") {
    const what = event.returnName ? `Return ${event.returnName}` : `The return request for order ${event.orderName}`;
    if (event.outcome === "approved") return `${what} approved ${inShopify ? by : `in Shopify ${by}`}`;
    if (event.outcome === "declined") return `${what} declined ${by}`;
    return `${what} closed ${by}: the return is complete`;
  }
  if (event.outcome === "declined") return `The cancellation request for order ${event.orderName} declined ${by}`;
  return `Order ${event.orderName} cancelled ${inShopify ? by : `in Shopify ${by}`}, as the shopper asked`;
}
