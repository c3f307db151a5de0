import type { ShopperOrderStatus } from "./order-status";
import type { TicketChannel } from "./tickets";

// A macro's text and its variables, without zod or the database: the settings page's live preview
// and the reply box's preview run this in the browser, the server runs it to fill a reply. The
// schemas, actions and starter set are in ./macros.ts.
//
// Rules (docs/decisions/019-macros.md):
// - `{{ path }}` (spaces optional) is a variable; a known one with no value, or an unknown one,
//   renders as "" — a customer never sees raw braces from a variable.
// - `{{ path | default: "text" }}` renders "text" when the value is missing (Liquid's spelling,
//   which Shopify merchants already know).
// - Values are looked up by their whole path in a Map: nothing is evaluated, and no path reaches
//   an object's properties ({{constructor}} and {{__proto__}} are unknown variables, hence "").
// - Text that is not a complete `{{ … }}` pair (a lone "{{" or "}}", single braces) is text and
//   stays as typed; the settings form refuses it, together with unknown variables, when saving.

export const MACRO_LANGUAGES = ["en", "fr", "de", "es"] as const;
export type MacroLanguage = (typeof MACRO_LANGUAGES)[number];

export const MACRO_LANGUAGE_LABELS: Record<MacroLanguage, string> = {
  en: "English",
  fr: "French",
  de: "German",
  es: "Spanish",
};

export const isMacroLanguage = (value: string): value is MacroLanguage =>
  (MACRO_LANGUAGES as readonly string[]).includes(value);

export interface MacroVariable {
  path: string;
  /** What it is, for the merchant writing a macro. */
  label: string;
}

/** Every variable a macro can use, in the order the settings page lists them. */
export const MACRO_VARIABLES: readonly MacroVariable[] = [
  { path: "ticket.customer.firstname", label: "Customer's first name" },
  { path: "ticket.customer.lastname", label: "Customer's last name" },
  { path: "ticket.customer.name", label: "Customer's full name" },
  { path: "ticket.customer.email", label: "Customer's email" },
  { path: "ticket.customer.phone", label: "Customer's phone" },
  { path: "ticket.order.name", label: "Order number" },
  { path: "ticket.order.status", label: "Order status, in the customer's words" },
  { path: "ticket.order.tracking_url", label: "Tracking link" },
  { path: "ticket.order.tracking_number", label: "Tracking number" },
  { path: "ticket.order.carrier", label: "Carrier" },
  { path: "ticket.order.total", label: "Order total" },
  { path: "ticket.order.created_at", label: "Order date" },
  { path: "ticket.order.items", label: "Items ordered" },
  { path: "ticket.order.shipping_address", label: "Shipping address" },
  { path: "ticket.number", label: "Ticket number" },
  { path: "ticket.subject", label: "Ticket subject" },
  { path: "ticket.channel", label: "Channel the customer wrote through" },
  { path: "shop.name", label: "Store name" },
  { path: "shop.email", label: "Your support email address (from the email settings)" },
  { path: "current_user.firstname", label: "Your first name" },
  { path: "current_user.name", label: "Your full name" },
  { path: "current_user.email", label: "Your email" },
];

const KNOWN_PATHS = new Set(MACRO_VARIABLES.map((variable) => variable.path));

// Spellings merchants bring from Shopify's Liquid (first_name) or other helpdesks.
const ALIASES = new Map<string, string>([
  ["ticket.customer.first_name", "ticket.customer.firstname"],
  ["ticket.customer.last_name", "ticket.customer.lastname"],
  ["ticket.order.number", "ticket.order.name"],
  ["current_user.first_name", "current_user.firstname"],
]);

/** Values by variable path; a path that is absent, or maps to "", has no value. */
export type MacroValues = ReadonlyMap<string, string>;

/** A `{{ … }}` pair: what is inside cannot hold braces, so "{{{x}}}" is "{" + {{x}} + "}". */
const EXPRESSION = /\{\{([^{}]*)\}\}/g;
const PARSED = /^([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*)(?:\s*\|\s*default\s*:\s*(?:"([^"]*)"|'([^']*)'))?$/i;

interface Expression {
  path: string;
  fallback: string;
}

/**
 * Which paths a text may name. Macros know MACRO_VARIABLES; a sidebar widget's title or link knows
 * the fields of the object it shows (app/domain/widget-template.ts), so it passes its own set.
 */
export interface TemplateVariables {
  has(path: string): boolean;
}

/** The variable a `{{ … }}` names (canonical path) and its fallback, or null when it names none. */
function parseExpression(inner: string): Expression | null {
  const match = PARSED.exec(inner.trim());
  if (!match) return null;
  const written = match[1]!.toLowerCase();
  return { path: ALIASES.get(written) ?? written, fallback: match[2] ?? match[3] ?? "" };
}

// Marks where a variable rendered as nothing, for the tidy-up below. NUL: never in a stored macro
// (storable text refuses it) and removed from any other input first.
const NOTHING = "\u0000";
// eslint-disable-next-line no-control-regex
const NULS = /\u0000/g;
// eslint-disable-next-line no-control-regex
const SPACE_BEFORE_NOTHING = / \u0000(?=[\s,.;:!?)]|$)/g;

/**
 * The text with every `{{ … }}` replaced by its value, its fallback, or nothing. Where a value is
 * missing, the space before it goes too when punctuation or a space follows, so "Hi
 * {{ ticket.customer.firstname }}," reads "Hi," rather than "Hi ,".
 */
export function renderTemplate(
  template: string,
  values: MacroValues,
  variables: TemplateVariables = KNOWN_PATHS,
): string {
  return template
    .replace(NULS, "")
    .replace(EXPRESSION, (_whole, inner: string) => {
      const expression = parseExpression(inner);
      if (!expression || !variables.has(expression.path)) return NOTHING;
      return values.get(expression.path) || expression.fallback || NOTHING;
    })
    .replace(SPACE_BEFORE_NOTHING, "")
    .replace(NULS, "");
}

/** The known variables a text uses (canonical paths, each once, in order of first use). */
export function templateVariables(template: string): string[] {
  const paths = new Set<string>();
  for (const [, inner] of template.matchAll(EXPRESSION)) {
    const expression = parseExpression(inner!);
    if (expression && KNOWN_PATHS.has(expression.path)) paths.add(expression.path);
  }
  return [...paths];
}

/** Variables the text uses that have no value here (and no fallback): the agent may want to check. */
export function missingVariables(
  template: string,
  values: MacroValues,
  variables: TemplateVariables = KNOWN_PATHS,
): string[] {
  const missing = new Set<string>();
  for (const [, inner] of template.matchAll(EXPRESSION)) {
    const expression = parseExpression(inner!);
    if (expression && variables.has(expression.path) && !values.get(expression.path) && !expression.fallback)
      missing.add(expression.path);
  }
  return [...missing];
}

/** What is wrong with a macro's text, in words a merchant can act on (empty when nothing). */
export function templateProblems(template: string): string[] {
  const problems: string[] = [];
  for (const [whole, inner] of template.matchAll(EXPRESSION)) {
    const expression = parseExpression(inner!);
    if (!expression) problems.push(`${whole} is not a variable. Write it as {{ ticket.customer.firstname }}.`);
    else if (!KNOWN_PATHS.has(expression.path))
      problems.push(`${whole} is not a variable Shopdesk knows. Choose one from the list of variables.`);
  }
  const rest = template.replace(EXPRESSION, "");
  if (rest.includes("{{") || rest.includes("}}"))
    problems.push("A variable is not closed: each {{ needs a matching }}.");
  return [...new Set(problems)];
}

/** One line to recognise a macro by in a list: its first line of text, shortened. */
export function previewLine(text: string, length = 100): string {
  const line = text
    .split("\n")
    .map((part) => part.replace(/\s+/g, " ").trim())
    .find((part) => part.length > 0);
  if (!line) return "";
  return line.length <= length ? line : `${line.slice(0, length - 1).trimEnd()}…`;
}

// ---- Values from a ticket's facts ------------------------------------------------------------

/** What the server knows about a ticket, its customer, order, store and agent. */
export interface MacroFacts {
  ticket: { number: number; subject: string; channel: TicketChannel } | null;
  customer: {
    name: string | null;
    /** From the linked Shopify customer when there is one; else split from `name`. */
    firstName: string | null;
    lastName: string | null;
    email: string | null;
    phone: string | null;
  } | null;
  order: {
    name: string;
    shopperStatus: string;
    trackingUrl: string | null;
    trackingNumber: string | null;
    carrier: string | null;
    totalAmount: string;
    currencyCode: string;
    /** ISO time the customer placed it. */
    createdAt: string;
    items: { title: string; quantity: number }[];
    shippingAddress: string | null;
  } | null;
  shop: { name: string | null; email: string | null; timeZone: string | null } | null;
  agent: { name: string; email: string } | null;
}

const ORDER_STATUS_WORDS: Record<MacroLanguage, Record<ShopperOrderStatus, string>> = {
  en: {
    unfulfilled: "Not shipped yet",
    processing_fulfillment: "Being prepared for shipping",
    pending_delivery: "Shipped",
    in_transit: "In transit",
    out_for_delivery: "Out for delivery",
    attempted_delivery: "Delivery attempted",
    ready_for_pickup: "Ready for pickup",
    delivered: "Delivered",
    failed_delivery: "Delivery failed",
    cancelled: "Cancelled",
    partially_refunded: "Partially refunded",
    refunded: "Refunded",
  },
  fr: {
    unfulfilled: "Pas encore expédiée",
    processing_fulfillment: "En préparation",
    pending_delivery: "Expédiée",
    in_transit: "En transit",
    out_for_delivery: "En cours de livraison",
    attempted_delivery: "Tentative de livraison",
    ready_for_pickup: "Prête à être retirée",
    delivered: "Livrée",
    failed_delivery: "Échec de la livraison",
    cancelled: "Annulée",
    partially_refunded: "Partiellement remboursée",
    refunded: "Remboursée",
  },
  de: {
    unfulfilled: "Noch nicht versandt",
    processing_fulfillment: "Wird für den Versand vorbereitet",
    pending_delivery: "Versandt",
    in_transit: "Unterwegs",
    out_for_delivery: "In Zustellung",
    attempted_delivery: "Zustellversuch",
    ready_for_pickup: "Zur Abholung bereit",
    delivered: "Zugestellt",
    failed_delivery: "Zustellung fehlgeschlagen",
    cancelled: "Storniert",
    partially_refunded: "Teilweise erstattet",
    refunded: "Erstattet",
  },
  es: {
    unfulfilled: "Aún no enviado",
    processing_fulfillment: "En preparación",
    pending_delivery: "Enviado",
    in_transit: "En tránsito",
    out_for_delivery: "En reparto",
    attempted_delivery: "Intento de entrega",
    ready_for_pickup: "Listo para recoger",
    delivered: "Entregado",
    failed_delivery: "Entrega fallida",
    cancelled: "Cancelado",
    partially_refunded: "Reembolsado parcialmente",
    refunded: "Reembolsado",
  },
};

const CHANNEL_WORDS: Record<MacroLanguage, Record<TicketChannel, string>> = {
  en: {
    chat: "chat",
    email: "email",
    sms: "SMS",
    portal_request: "our help portal",
    contact_form: "our contact form",
    api: "API",
  },
  fr: {
    chat: "chat",
    email: "e-mail",
    sms: "SMS",
    portal_request: "notre portail d'aide",
    contact_form: "notre formulaire de contact",
    api: "API",
  },
  de: {
    chat: "Chat",
    email: "E-Mail",
    sms: "SMS",
    portal_request: "unser Hilfeportal",
    contact_form: "unser Kontaktformular",
    api: "API",
  },
  es: {
    chat: "chat",
    email: "correo electrónico",
    sms: "SMS",
    portal_request: "nuestro portal de ayuda",
    contact_form: "nuestro formulario de contacto",
    api: "API",
  },
};

/** An order status in the customer's language; "" for a value we do not know (never the raw code). */
export function orderStatusWords(status: string, language: MacroLanguage): string {
  const words = ORDER_STATUS_WORDS[language];
  return Object.hasOwn(words, status) ? words[status as ShopperOrderStatus] : "";
}

function formatMoney(amount: string, currencyCode: string, language: MacroLanguage): string {
  const value = Number(amount);
  if (!amount || !Number.isFinite(value)) return "";
  try {
    return new Intl.NumberFormat(language, { style: "currency", currency: currencyCode }).format(value);
  } catch {
    return `${amount} ${currencyCode}`;
  }
}

function formatDate(iso: string, language: MacroLanguage, timeZone: string | null): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone: timeZone ?? "UTC" }).format(date);
  } catch {
    // An unknown time zone name from an old record: UTC is a day off at worst.
    return new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone: "UTC" }).format(date);
  }
}

/** "Ava Lind" → ["Ava", "Lind"]; one word is a first name. */
export function splitName(name: string | null | undefined): [string, string] {
  const words = (name ?? "").trim().split(/\s+/).filter(Boolean);
  return [words[0] ?? "", words.slice(1).join(" ")];
}

/** Every variable's value for these facts, in the macro's language (dates, money, statuses). */
export function macroValues(facts: MacroFacts, language: MacroLanguage): MacroValues {
  const { ticket, customer, order, shop, agent } = facts;
  const [splitFirst, splitLast] = splitName(customer?.name);
  const [agentFirst] = splitName(agent?.name);
  const timeZone = shop?.timeZone ?? null;
  const entries: [string, string | null | undefined][] = [
    ["ticket.number", ticket ? String(ticket.number) : null],
    ["ticket.subject", ticket?.subject],
    ["ticket.channel", ticket ? CHANNEL_WORDS[language][ticket.channel] : null],
    ["ticket.customer.name", customer?.name],
    ["ticket.customer.firstname", customer ? customer.firstName || splitFirst : null],
    ["ticket.customer.lastname", customer ? customer.lastName || (customer.firstName ? "" : splitLast) : null],
    ["ticket.customer.email", customer?.email],
    ["ticket.customer.phone", customer?.phone],
    ["ticket.order.name", order?.name],
    ["ticket.order.status", order ? orderStatusWords(order.shopperStatus, language) : null],
    ["ticket.order.tracking_url", order?.trackingUrl],
    ["ticket.order.tracking_number", order?.trackingNumber],
    ["ticket.order.carrier", order?.carrier],
    ["ticket.order.total", order ? formatMoney(order.totalAmount, order.currencyCode, language) : null],
    ["ticket.order.created_at", order ? formatDate(order.createdAt, language, timeZone) : null],
    [
      "ticket.order.items",
      order?.items.map((item) => (item.quantity > 1 ? `${item.quantity} × ${item.title}` : item.title)).join(", "),
    ],
    ["ticket.order.shipping_address", order?.shippingAddress],
    ["shop.name", shop?.name],
    ["shop.email", shop?.email],
    ["current_user.name", agent?.name],
    ["current_user.firstname", agentFirst],
    ["current_user.email", agent?.email],
  ];
  return new Map(entries.map(([path, value]) => [path, value?.trim() ?? ""]));
}

/** Made-up facts for the settings page's live preview, where there is no ticket. */
export const SAMPLE_FACTS: MacroFacts = {
  ticket: { number: 1042, subject: "Where is my order?", channel: "email" },
  customer: {
    name: "Ava Lind",
    firstName: "Ava",
    lastName: "Lind",
    email: "ava.lind@example.com",
    phone: "+33 6 12 34 56 78",
  },
  order: {
    name: "#1042",
    shopperStatus: "in_transit",
    trackingUrl: "https://www.ups.com/track?tracknum=1Z999AA10123456784",
    trackingNumber: "1Z999AA10123456784",
    carrier: "UPS",
    totalAmount: "89.99",
    currencyCode: "EUR",
    createdAt: "2026-03-03T10:00:00Z",
    items: [
      { title: "Aviator sunglasses", quantity: 2 },
      { title: "Canvas tote", quantity: 1 },
    ],
    shippingAddress: "12 Rue des Lilas, 75011 Paris, France",
  },
  shop: { name: "Maple Goods", email: "hello@maplegoods.example", timeZone: "Europe/Paris" },
  agent: { name: "Bea Martin", email: "bea@maplegoods.example" },
};

/** Every variable's sample value in a language, for the settings page's preview. */
export const sampleValues = (language: MacroLanguage) => macroValues(SAMPLE_FACTS, language);

/** What a macro may do with the ticket's pending portal request (a return or cancellation). */
export const PORTAL_REQUEST_DECISIONS = ["approve", "decline"] as const;
export const PORTAL_REQUEST_DECISION_LABELS: Record<(typeof PORTAL_REQUEST_DECISIONS)[number], string> = {
  approve: "Approve the portal request",
  decline: "Decline the portal request",
};
