import { z } from "zod";
import { storableString } from "~/lib/storable-text";
import { portalLocale, type PortalLocale } from "./portal-messages";

// A shopper's request from the portal (return, cancellation, issue report): what the request call
// accepts, the ticket it becomes (written for agents) and the confirmation the shopper gets (in
// their language). Pure: the service (app/services/portal/requests.server.ts) does the I/O.

export const PORTAL_REQUEST_KINDS = ["return", "cancel", "issue"] as const;
export type PortalRequestKind = (typeof PORTAL_REQUEST_KINDS)[number];

export const PORTAL_REQUEST_STATUSES = ["received", "approved", "declined", "done"] as const;
export type PortalRequestStatus = (typeof PORTAL_REQUEST_STATUSES)[number];

/** Why a shopper returns an item: Shopify's ReturnReason values, the ones a shopper would pick. */
export const RETURN_REASONS = [
  "SIZE_TOO_SMALL",
  "SIZE_TOO_LARGE",
  "UNWANTED",
  "NOT_AS_DESCRIBED",
  "WRONG_ITEM",
  "DEFECTIVE",
  "STYLE",
  "COLOR",
  "OTHER",
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/** The longest message a shopper can add to a request. */
export const MAX_REQUEST_MESSAGE = 2000;

const message = storableString()
  .max(MAX_REQUEST_MESSAGE, { error: `Keep your message under ${MAX_REQUEST_MESSAGE} characters.` })
  .optional();

/** The request call's body (after the token and locale, which portalCall reads). */
export const PortalRequestBodySchema = z.discriminatedUnion(
  "kind",
  [
    z.object({
      kind: z.literal("return"),
      orderId: z.string().uuid({ error: "Choose one of your orders." }),
      items: z
        .array(
          z.object({
            lineItemId: z.string().min(1).max(200),
            quantity: z.number().int().min(1).max(1000),
          }),
          { error: "Choose the items to return." },
        )
        .min(1, { error: "Choose at least one item to return." })
        .max(100),
      reason: z.enum(RETURN_REASONS, { error: "Choose why you are returning the items." }),
      message,
    }),
    z.object({
      kind: z.literal("cancel"),
      orderId: z.string().uuid({ error: "Choose one of your orders." }),
      message,
    }),
    z.object({
      kind: z.literal("issue"),
      orderId: z.string().uuid({ error: "Choose one of your orders." }),
      issue: z.string().min(1, { error: "Choose what went wrong." }).max(100),
      message,
    }),
  ],
  { error: "Choose a return, a cancellation or an issue." },
);
export type PortalRequestBody = z.output<typeof PortalRequestBodySchema>;

type Words<T extends string> = Record<PortalLocale, Record<T, string>>;

export const RETURN_REASON_LABELS: Words<ReturnReason> = {
  en: {
    SIZE_TOO_SMALL: "Too small",
    SIZE_TOO_LARGE: "Too large",
    UNWANTED: "Changed my mind",
    NOT_AS_DESCRIBED: "Not as described",
    WRONG_ITEM: "Wrong item received",
    DEFECTIVE: "Damaged or defective",
    STYLE: "Did not like the style",
    COLOR: "Did not like the colour",
    OTHER: "Other",
  },
  fr: {
    SIZE_TOO_SMALL: "Trop petit",
    SIZE_TOO_LARGE: "Trop grand",
    UNWANTED: "J'ai changé d'avis",
    NOT_AS_DESCRIBED: "Non conforme à la description",
    WRONG_ITEM: "Mauvais article reçu",
    DEFECTIVE: "Endommagé ou défectueux",
    STYLE: "Le style ne me plaît pas",
    COLOR: "La couleur ne me plaît pas",
    OTHER: "Autre",
  },
  de: {
    SIZE_TOO_SMALL: "Zu klein",
    SIZE_TOO_LARGE: "Zu groß",
    UNWANTED: "Es gefällt mir doch nicht",
    NOT_AS_DESCRIBED: "Nicht wie beschrieben",
    WRONG_ITEM: "Falschen Artikel erhalten",
    DEFECTIVE: "Beschädigt oder defekt",
    STYLE: "Der Stil gefällt mir nicht",
    COLOR: "Die Farbe gefällt mir nicht",
    OTHER: "Anderer Grund",
  },
  es: {
    SIZE_TOO_SMALL: "Demasiado pequeño",
    SIZE_TOO_LARGE: "Demasiado grande",
    UNWANTED: "He cambiado de opinión",
    NOT_AS_DESCRIBED: "No es como se describe",
    WRONG_ITEM: "Recibí un artículo equivocado",
    DEFECTIVE: "Dañado o defectuoso",
    STYLE: "No me gusta el estilo",
    COLOR: "No me gusta el color",
    OTHER: "Otro motivo",
  },
};

export const REQUEST_STATUS_LABELS: Words<PortalRequestStatus> = {
  en: { received: "Received", approved: "Approved", declined: "Declined", done: "Done" },
  fr: { received: "Reçue", approved: "Acceptée", declined: "Refusée", done: "Traitée" },
  de: { received: "Eingegangen", approved: "Angenommen", declined: "Abgelehnt", done: "Erledigt" },
  es: { received: "Recibida", approved: "Aprobada", declined: "Rechazada", done: "Completada" },
};

const REQUEST_NAMES: Words<PortalRequestKind> = {
  en: { return: "return request", cancel: "cancellation request", issue: "report" },
  fr: { return: "demande de retour", cancel: "demande d'annulation", issue: "signalement" },
  de: { return: "Rücksendeanfrage", cancel: "Stornierungsanfrage", issue: "Meldung" },
  es: { return: "solicitud de devolución", cancel: "solicitud de cancelación", issue: "incidencia" },
};

export interface RequestTicketInput {
  kind: PortalRequestKind;
  orderName: string;
  /** Return: the items chosen, with their titles as the order shows them. */
  items?: { title: string; quantity: number }[];
  reason?: ReturnReason;
  /** Issue: the label of the issue the shopper chose (in their language). */
  issueLabel?: string;
  message?: string;
  /** The shopper's language, to say in which language they wrote. */
  locale: PortalLocale;
}

/**
 * The ticket a request becomes, for agents (the admin speaks English): a subject that says what
 * and which order, and the shopper's answers as the first message.
 */
export function requestTicket(input: RequestTicketInput): { subject: string; body: string } {
  const subject =
    input.kind === "return"
      ? `Return request for order ${input.orderName}`
      : input.kind === "cancel"
        ? `Cancellation request for order ${input.orderName}`
        : `Issue with order ${input.orderName}: ${input.issueLabel ?? "other"}`;
  const lines: string[] = [];
  if (input.kind === "return") {
    lines.push(`The shopper asks to return from order ${input.orderName}:`);
    for (const item of input.items ?? []) lines.push(`- ${item.quantity} × ${item.title}`);
    if (input.reason) lines.push(`Reason: ${RETURN_REASON_LABELS.en[input.reason]}`);
  } else if (input.kind === "cancel") {
    lines.push(`The shopper asks to cancel order ${input.orderName}.`);
  } else {
    lines.push(`The shopper reports an issue with order ${input.orderName}: ${input.issueLabel ?? "other"}.`);
  }
  if (input.message?.trim()) lines.push("", `Their message: ${input.message.trim()}`);
  lines.push("", `Sent from the store's self-service portal (${LANGUAGE_NAMES[input.locale]}).`);
  return { subject, body: lines.join("\n") };
}

const LANGUAGE_NAMES: Record<PortalLocale, string> = { en: "English", fr: "French", de: "German", es: "Spanish" };

const CONFIRMATIONS: Record<
  PortalLocale,
  (kind: string, order: string, store: string) => { subject: string; lines: string[] }
> = {
  en: (kind, order, store) => ({
    subject: `We received your ${kind} for order ${order}`,
    lines: [
      "Hello,",
      `Thank you: ${store} received your ${kind} for order ${order}.`,
      "Our team will look at it and reply to this email. You can also follow it in the help section of our store.",
    ],
  }),
  fr: (kind, order, store) => ({
    subject: `Nous avons bien reçu votre ${kind} pour la commande ${order}`,
    lines: [
      "Bonjour,",
      `Merci : ${store} a bien reçu votre ${kind} pour la commande ${order}.`,
      "Notre équipe va l'examiner et répondra à cet e-mail. Vous pouvez aussi la suivre dans l'aide de notre boutique.",
    ],
  }),
  de: (kind, order, store) => ({
    subject: `Wir haben Ihre ${kind} zur Bestellung ${order} erhalten`,
    lines: [
      "Hallo,",
      `Vielen Dank: ${store} hat Ihre ${kind} zur Bestellung ${order} erhalten.`,
      "Unser Team prüft sie und antwortet auf diese E-Mail. Sie können sie auch im Hilfebereich unseres Shops verfolgen.",
    ],
  }),
  es: (kind, order, store) => ({
    subject: `Hemos recibido tu ${kind} del pedido ${order}`,
    lines: [
      "Hola:",
      `Gracias: ${store} ha recibido tu ${kind} del pedido ${order}.`,
      "Nuestro equipo la revisará y responderá a este correo. También puedes seguirla en la sección de ayuda de nuestra tienda.",
    ],
  }),
};

/** The one confirmation a shopper gets for a request, in their language. */
export function requestConfirmation(input: {
  kind: PortalRequestKind;
  orderName: string;
  storeName: string;
  locale: string | null | undefined;
}): { subject: string; text: string; locale: PortalLocale } {
  const locale = portalLocale(input.locale);
  const { subject, lines } = CONFIRMATIONS[locale](REQUEST_NAMES[locale][input.kind], input.orderName, input.storeName);
  return { subject, text: [...lines, input.storeName].join("\n\n"), locale };
}
