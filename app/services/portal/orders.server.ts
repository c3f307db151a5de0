import { z } from "zod";
import { formatMoney } from "~/components/formatting";
import { db } from "~/db.server";
import type { Money } from "~/domain/order-snapshot";
import { describeOrderStatus, shipmentStage } from "~/domain/order-status";
import type { TimelineEvent } from "~/domain/order-timeline";
import { orderTimeline } from "~/domain/order-timeline";
import {
  eligibilityFacts,
  portalActions,
  returnableQuantity,
  type PortalAction,
  type PortalActions,
} from "~/domain/portal-eligibility";
import { issueChoicesFor, type IssueChoices } from "~/domain/portal-issues";
import { REQUEST_STATUS_LABELS } from "~/domain/portal-requests";
import { portalLocale, type PortalLocale } from "~/domain/portal-messages";
import {
  cancelReasonLabel,
  financialStatusLabel,
  shopperStatusLabel,
  timelineEventLabel,
  TRACKING_NOTICES,
  type TrackingNotice,
} from "~/domain/portal-order-labels";
import type { AddressSnapshot, ShopifyOrderSnapshot } from "~/domain/shopify/snapshots";
import { describeTracking } from "~/domain/tracking-links";
import type { PortalSession, Prisma } from "~/generated/prisma/client";
import { logger as appLogger, type Logger } from "~/lib/logger.server";
import { portalOptions, type PortalOptions } from "~/models/portal-settings.server";
import { recordTrack } from "~/models/portal-usage.server";
import { ensureOrderTimeline, type OrderWithTimeline } from "~/services/sync/order-timeline.server";
import type { PortalCall } from "./portal-auth.server";

// The storefront portal's orders (docs/decisions/023-portal.md): a signed-in shopper's list and one
// order with its summary, tracking and the actions they may take. Every read is scoped in SQL to
// the call's shop and the session's shopper, so an order id of anyone else (another shopper,
// another shop, made up) finds nothing and reads nothing.

export const PORTAL_ORDERS_PAGE_SIZE = 20;

/**
 * How long an order's answer waits for carrier events fetched on demand. The fetch goes on after
 * that (its result is stored, and a second opening shares it): the shopper gets the order now, with
 * a notice, rather than a spinner while Shopify is slow.
 */
export const TRACKING_FETCH_TIMEOUT_MS = 3_000;

type Session = Pick<PortalSession, "id" | "shopId" | "shopifyCustomerId" | "email" | "orderId" | "locale">;

/**
 * Whose orders a session sees: the one order of an email + order-number sign-in; else the orders
 * of its Shopify customer; else (no customer account) those placed with its email, stored
 * lower-cased on both sides. Null: nothing (a session with neither, e.g. a phone alone).
 */
function sessionScope(session: Session): Prisma.ShopifyOrderWhereInput | null {
  if (session.orderId) return { id: session.orderId };
  if (session.shopifyCustomerId) return { shopifyCustomerId: session.shopifyCustomerId };
  if (session.email) return { email: session.email.trim().toLowerCase() };
  return null;
}

// ---- Bodies ----------------------------------------------------------------------------------------

// A token is ~200 characters (portal-token.server.ts); anything far longer is not one.
// Missing: requirePortalSession answers 401 "Please sign in again", as for a bad one.
const token = z.string({ error: "token must be a text" }).max(1_000, "token is too long").optional();
// eslint-disable-next-line no-control-regex
const printable = (text: string) => !/[\u0000-\u001f\u007f]/.test(text) && text.isWellFormed();

export const OrdersBodySchema = z.object({
  token,
  cursor: z
    .string({ error: "cursor must be a text" })
    .max(200, "cursor is too long")
    .refine(printable, "cursor contains a character that cannot be used")
    .nullish(),
});

export const OrderBodySchema = z.object({
  token,
  orderId: z
    .string({ error: "orderId must be a text" })
    .min(1, "orderId is empty")
    .max(100, "orderId is too long")
    .refine(printable, "orderId contains a character that cannot be used"),
});

/** Our order ids are UUIDs: anything else names no order, and is answered without a query. */
export const isOrderId = (id: string) => z.uuid().safeParse(id).success;

// ---- Cursor ----------------------------------------------------------------------------------------

interface OrderCursor {
  createdAt: Date;
  id: string;
}

const CursorSchema = z.object({ t: z.iso.datetime(), i: z.uuid() });

const encodeCursor = (cursor: OrderCursor) =>
  Buffer.from(JSON.stringify({ t: cursor.createdAt.toISOString(), i: cursor.id })).toString("base64url");

/** The cursor the list gave, or null when it is not one (made up, garbled, from an older version). */
export function decodeCursor(text: string): OrderCursor | null {
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    return parsed.success ? { createdAt: new Date(parsed.data.t), id: parsed.data.i } : null;
  } catch {
    return null;
  }
}

// ---- What both answers share --------------------------------------------------------------------

/** The actions as the widget reads them (extensions/shopdesk-portal/assets/portal-app.js). */
export interface ActionFlags {
  track: boolean;
  /** Null: no Return button. "loop": a link to the merchant's Loop portal for this order. */
  return: { kind: "request"; returnBy: string } | { kind: "loop"; url: string; returnBy: string } | null;
  cancel: boolean;
  reportIssue: boolean;
}

export function actionFlags(actions: PortalActions): ActionFlags {
  const shown = (kind: PortalAction["kind"]) => actions.shown.find((action) => action.kind === kind);
  const ret = shown("return");
  return {
    track: !!shown("track"),
    return:
      ret?.kind !== "return"
        ? null
        : ret.via === "loop"
          ? { kind: "loop", url: ret.url, returnBy: ret.returnBy }
          : { kind: "request", returnBy: ret.returnBy },
    cancel: !!shown("cancel"),
    reportIssue: !!shown("report_issue"),
  };
}

export interface EvaluatedOrder {
  facts: ReturnType<typeof eligibilityFacts>;
  /** Shown and hidden actions, with the reasons (for logs and support, not for the shopper). */
  actions: PortalActions;
  issues: IssueChoices;
}

function evaluate(
  snapshot: ShopifyOrderSnapshot,
  options: PortalOptions,
  call: PortalCall,
  locale: PortalLocale,
  now: Date,
): EvaluatedOrder {
  const facts = eligibilityFacts(snapshot);
  const issues = issueChoicesFor(facts.status, options.issueOptions, locale);
  const actions = portalActions(facts, options, {
    now,
    timeZone: call.shop.ianaTimezone,
    issueOptionCount: issues.options.length,
  });
  return { facts, actions, issues };
}

function logIssueOptionsProblem(log: Logger, problems: (string | null)[]) {
  const problem = problems.find(Boolean);
  // The shopper still gets the built-in lists; the merchant's stored lists need a look.
  if (problem) log.warn("stored report-issue options do not match the schema: built-in lists shown", { problem });
}

const loggerFor = (call: PortalCall, session: Session, log?: Logger) =>
  (log ?? appLogger).child({ shop: call.shop.domain, portalSessionId: session.id, component: "portal-orders" });

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** "1 mars 2026": the day in the store's zone (the day the store's own emails name), else UTC. */
function dateLabel(iso: string, locale: PortalLocale, timeZone: string | null): string {
  const key = `${locale}|${timeZone ?? "UTC"}`;
  let format = dateFormats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: timeZone ?? "UTC" });
    } catch {
      format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
    }
    if (dateFormats.size > 200) dateFormats.clear();
    dateFormats.set(key, format);
  }
  return format.format(new Date(iso));
}

/** What the list and the order page both say about an order. */
export interface PortalOrderListItem {
  id: string;
  name: string;
  /** When the shopper placed it (ISO). */
  createdAt: string;
  createdLabel: string;
  /** As the shopper's language writes it ("89,99 $US"). */
  total: string;
  totalPrice: Money;
  /** The shopper status code (domain/order-status.ts) and its words. */
  status: string;
  statusLabel: string;
  itemCount: number;
  firstItemTitle: string | null;
  actions: ActionFlags;
}

function listItem(
  id: string,
  createdAt: Date,
  snapshot: ShopifyOrderSnapshot,
  evaluated: EvaluatedOrder,
  call: PortalCall,
  locale: PortalLocale,
): PortalOrderListItem {
  const { facts, actions } = evaluated;
  const placedAt = isoOr(facts.placedAt, createdAt);
  return {
    id,
    name: snapshot.name,
    createdAt: placedAt,
    createdLabel: dateLabel(placedAt, locale, call.shop.ianaTimezone),
    total: formatMoney(snapshot.totalPrice.amount, snapshot.totalPrice.currencyCode, locale),
    totalPrice: snapshot.totalPrice,
    status: facts.status,
    statusLabel: shopperStatusLabel(facts.status, locale),
    itemCount: snapshot.lineItems.reduce((total, item) => total + Math.max(0, item.quantity), 0),
    firstItemTitle: snapshot.lineItems[0]?.title ?? null,
    actions: actionFlags(actions),
  };
}

// ---- The list --------------------------------------------------------------------------------------

export type OrderListResult =
  { ok: true; orders: PortalOrderListItem[]; nextCursor: string | null } | { ok: false; problem: "bad_cursor" };

/**
 * The session's orders, newest first, PORTAL_ORDERS_PAGE_SIZE a page (keyset on the order's
 * creation time and id: a page never repeats or skips an order when new ones arrive meanwhile).
 */
export async function listPortalOrders(
  call: PortalCall,
  session: Session,
  cursorText: string | null | undefined,
  options: { now?: Date; log?: Logger } = {},
): Promise<OrderListResult> {
  const cursor = cursorText ? decodeCursor(cursorText) : null;
  if (cursorText && !cursor) return { ok: false, problem: "bad_cursor" };
  const scope = sessionScope(session);
  if (!scope) return { ok: true, orders: [], nextCursor: null };

  const where: Prisma.ShopifyOrderWhereInput = {
    shopId: call.shop.id,
    deletedAt: null,
    AND: [
      scope,
      ...(cursor
        ? [
            // The first bound is implied by the OR, but only a plain bound becomes an index
            // condition: without it a later page of a shopper with thousands of orders scanned the
            // shop's orders from the newest down (6 s at 1M orders).
            { shopifyCreatedAt: { lte: cursor.createdAt } },
            {
              OR: [
                { shopifyCreatedAt: { lt: cursor.createdAt } },
                { shopifyCreatedAt: cursor.createdAt, id: { lt: cursor.id } },
              ],
            },
          ]
        : []),
    ],
  };
  const [rows, portal] = await Promise.all([
    db.shopifyOrder.findMany({
      where,
      select: { id: true, shopifyCreatedAt: true, snapshot: true },
      orderBy: [{ shopifyCreatedAt: "desc" }, { id: "desc" }],
      take: PORTAL_ORDERS_PAGE_SIZE + 1,
    }),
    portalOptions(call.shop.id),
  ]);

  const locale = portalLocale(session.locale);
  const now = options.now ?? new Date();
  const page = rows.slice(0, PORTAL_ORDERS_PAGE_SIZE);
  const problems: (string | null)[] = [];
  const orders = page.map((row) => {
    const snapshot = row.snapshot as unknown as ShopifyOrderSnapshot;
    const evaluated = evaluate(snapshot, portal, call, locale, now);
    problems.push(evaluated.issues.problem);
    return listItem(row.id, row.shopifyCreatedAt, snapshot, evaluated, call, locale);
  });
  logIssueOptionsProblem(loggerFor(call, session, options.log), problems);
  const last = page.at(-1);
  const more = rows.length > PORTAL_ORDERS_PAGE_SIZE && last;
  return {
    ok: true,
    orders,
    nextCursor: more ? encodeCursor({ createdAt: last.shopifyCreatedAt, id: last.id }) : null,
  };
}

// ---- One order -------------------------------------------------------------------------------------

/**
 * One order of the session with its actions decided now, or null when the id is not one of its
 * orders (of this shop, not deleted); a malformed id is null without a query. For the order page
 * and for the request endpoints, which must refuse what is not shown.
 */
export async function sessionOrder(
  call: PortalCall,
  session: Session,
  orderId: string,
  options: { now?: Date; log?: Logger } = {},
) {
  const scope = sessionScope(session);
  if (!scope || !isOrderId(orderId)) return null;
  const [row, portal] = await Promise.all([
    db.shopifyOrder.findFirst({
      where: { shopId: call.shop.id, deletedAt: null, AND: [{ id: orderId }, scope] },
      select: { id: true, shopifyId: true, shopifyCreatedAt: true, snapshot: true, detailsPending: true },
    }),
    portalOptions(call.shop.id),
  ]);
  if (!row) return null;
  const snapshot = row.snapshot as unknown as ShopifyOrderSnapshot;
  const locale = portalLocale(session.locale);
  const evaluated = evaluate(snapshot, portal, call, locale, options.now ?? new Date());
  logIssueOptionsProblem(loggerFor(call, session, options.log), [evaluated.issues.problem]);
  return { row, snapshot, options: portal, locale, ...evaluated };
}

export interface AddressView {
  name: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  zip: string | null;
  country: string | null;
  countryCode: string | null;
  phone: string | null;
}

type TrackingDetails = "complete" | "unavailable" | "delayed";

export interface PortalOrderDetail extends PortalOrderListItem {
  /** A cancelled order: why, as the shopper may read it (the store's own reasons stay vague). */
  cancelReason: string | null;
  /** Physical items shipped so far, and in all ("2 of 3 shipped"). */
  items: { shipped: number; total: number };
  summary: {
    lineItems: {
      /** Shopify's line item id: what a return request names. */
      id: string;
      title: string;
      /** "Blue / M"; null without variants, or for an order not synced again since it was kept. */
      variantTitle: string | null;
      quantity: number;
      refundedQuantity: number;
      /** Units shipped and not refunded: at most this many can be returned. */
      returnableQuantity: number;
      /** One unit, before discounts, in the shopper's language and the order's currency ("39,95 €"). */
      price: string | null;
    }[];
    subtotal: string | null;
    /** Null for an order not synced again since the charges were kept (decision 023). */
    shipping: string | null;
    tax: string | null;
    /** The item prices include the tax: the tax line is part of the subtotal, not added to it. */
    taxIncluded: boolean;
    total: string;
    refunded: string | null;
    shippingAddress: AddressView | null;
    billingAddress: AddressView | null;
    /** Shopify's payment gateways as people read them ("Shopify Payments"). */
    paymentMethod: string | null;
    financialStatus: string | null;
    financialStatusLabel: string | null;
  };
  /** Null when the merchant turned Track off. */
  tracking: {
    /** The first shipment's tracking (what a one-parcel order has); every parcel's is in `shipments`. */
    carrier: string | null;
    number: string | null;
    url: string | null;
    /** True when the carrier's updates could not be fetched for this answer (`details` says why). */
    pending: boolean;
    /** complete; unavailable: Shopify failed; delayed: Shopify is slow, the fetch goes on. */
    details: TrackingDetails;
    notice: string | null;
    shipments: {
      id: string;
      name: string | null;
      status: string;
      statusLabel: string;
      itemCount: number;
      tracking: { carrier: string | null; number: string | null; url: string | null }[];
      estimatedDeliveryAt: string | null;
      deliveredAt: string | null;
    }[];
    /** Newest first. */
    timeline: { id: string; kind: TimelineEvent["kind"]; at: string; label: string; detail: string | null }[];
  } | null;
  /** What Report an issue offers; empty when it is not shown. */
  issueOptions: { key: string; label: string }[];
  /** The shopper's requests about this order, newest first. */
  requests: {
    id: string;
    kind: string;
    status: string;
    statusLabel: string;
    createdAt: string;
    createdLabel: string;
  }[];
}

/**
 * The order page: one order of the session (null when the id is not one of its orders). An order
 * whose carrier events were not imported yet has them fetched now (once, shared with anyone
 * opening it at the same time), for at most `trackingTimeoutMs`. Counts a track on the session when
 * the order's tracking is shown, once per order (models/portal-usage.server.ts).
 */
export async function getPortalOrder(
  call: PortalCall,
  session: Session,
  orderId: string,
  options: { now?: Date; log?: Logger; trackingTimeoutMs?: number } = {},
): Promise<PortalOrderDetail | null> {
  const found = await sessionOrder(call, session, orderId, options);
  if (!found) return null;
  const { row, options: portal, locale } = found;
  const log = loggerFor(call, session, options.log);

  let snapshot = found.snapshot;
  let evaluated: EvaluatedOrder = found;
  let details: TrackingDetails = "complete";
  if (portal.trackEnabled) {
    if (row.detailsPending) {
      const fetched = await fetchTrackingDetails(call, row.shopifyId, options.trackingTimeoutMs, log);
      if (fetched === "timeout") details = "delayed";
      else if (fetched === null) details = "unavailable";
      else {
        details = fetched.trackingDetails;
        // Carrier events can move the status on (delivered: a return window opens).
        snapshot = fetched.order;
        evaluated = evaluate(snapshot, portal, call, locale, options.now ?? new Date());
      }
    }
    await recordTrack(session.id, row.id);
  }

  const requests = await db.portalRequest.findMany({
    where: { shopId: call.shop.id, orderId: row.id },
    select: { id: true, kind: true, status: true, createdAt: true },
    orderBy: { createdAt: "desc" },
    take: 50,
  });
  const description = describeOrderStatus(snapshot);
  const money = (value: Money) => formatMoney(value.amount, value.currencyCode, locale);
  const { facts } = evaluated;
  return {
    ...listItem(row.id, row.shopifyCreatedAt, snapshot, evaluated, call, locale),
    cancelReason: facts.status === "cancelled" ? cancelReasonLabel(snapshot.cancelReason, locale) : null,
    items: { shipped: description.items.shipped, total: description.items.total },
    summary: {
      lineItems: snapshot.lineItems.map((item) => ({
        id: item.id,
        title: item.title,
        variantTitle: item.variantTitle ?? null,
        quantity: item.quantity,
        refundedQuantity: item.refundedQuantity,
        returnableQuantity: returnableQuantity(item),
        price: item.unitPrice ? money(item.unitPrice) : null,
      })),
      subtotal: snapshot.subtotalPrice ? money(snapshot.subtotalPrice) : null,
      shipping: snapshot.shippingPrice ? money(snapshot.shippingPrice) : null,
      tax: snapshot.totalTax ? money(snapshot.totalTax) : null,
      taxIncluded: snapshot.taxesIncluded === true,
      total: money(snapshot.totalPrice),
      refunded: isPositive(snapshot.totalRefunded?.amount) ? money(snapshot.totalRefunded) : null,
      shippingAddress: addressView(snapshot.shippingAddress),
      billingAddress: addressView(snapshot.billingAddress),
      paymentMethod: (snapshot.payment?.gatewayNames ?? []).map(gatewayName).join(", ") || null,
      financialStatus: snapshot.financialStatus,
      financialStatusLabel: financialStatusLabel(snapshot.financialStatus, locale),
    },
    tracking: portal.trackEnabled ? trackingView(snapshot, details, locale) : null,
    issueOptions: evaluated.actions.shown.some((action) => action.kind === "report_issue")
      ? evaluated.issues.options
      : [],
    requests: requests.map((request) => ({
      id: request.id,
      kind: request.kind,
      status: request.status,
      statusLabel: REQUEST_STATUS_LABELS[locale][request.status],
      createdAt: request.createdAt.toISOString(),
      createdLabel: dateLabel(request.createdAt.toISOString(), locale, call.shop.ianaTimezone),
    })),
  };
}

/** ensureOrderTimeline within the timeout; null when it failed, "timeout" when it is still going. */
async function fetchTrackingDetails(
  call: PortalCall,
  shopifyOrderId: string,
  timeoutMs = TRACKING_FETCH_TIMEOUT_MS,
  log: Logger,
): Promise<OrderWithTimeline | null | "timeout"> {
  // Never rejects: a failure after the timeout must not become an unhandled rejection.
  const fetching = ensureOrderTimeline(call.shop.domain, shopifyOrderId, { log }).catch((error: unknown) => {
    log.error("tracking details could not be fetched on demand", {
      orderId: shopifyOrderId,
      error: error instanceof Error ? error.message : String(error),
    });
    return null;
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    const result = await Promise.race([fetching, timeout]);
    if (result === "timeout") {
      log.info("tracking details still loading: answered without them", { orderId: shopifyOrderId });
    }
    return result;
  } finally {
    clearTimeout(timer);
  }
}

function trackingView(
  snapshot: ShopifyOrderSnapshot,
  details: TrackingDetails,
  locale: PortalLocale,
): NonNullable<PortalOrderDetail["tracking"]> {
  const notice: TrackingNotice | null =
    details === "unavailable" ? "details_unavailable" : details === "delayed" ? "details_delayed" : null;
  const shipments = snapshot.fulfillments.flatMap((fulfillment) => {
    const stage = shipmentStage(fulfillment);
    if (!stage) return [];
    return [
      {
        id: fulfillment.id,
        name: fulfillment.name,
        status: stage,
        statusLabel: shopperStatusLabel(stage, locale),
        itemCount: fulfillment.lineItems.reduce((total, line) => total + Math.max(0, line.quantity), 0),
        tracking: fulfillment.tracking.map(describeTracking).filter((link) => link.number || link.url),
        estimatedDeliveryAt: fulfillment.estimatedDeliveryAt,
        deliveredAt: fulfillment.deliveredAt,
      },
    ];
  });
  const first = shipments.flatMap((shipment) => shipment.tracking)[0];
  return {
    carrier: first?.carrier ?? null,
    number: first?.number ?? null,
    url: first?.url ?? null,
    pending: details !== "complete",
    details,
    notice: notice ? TRACKING_NOTICES[locale][notice] : null,
    shipments,
    timeline: [...orderTimeline(snapshot)].reverse().map((event) => ({
      id: event.id,
      kind: event.kind,
      at: event.at,
      label: timelineEventLabel(event, locale),
      detail: timelineDetail(event, locale),
    })),
  };
}

function timelineDetail(event: TimelineEvent, locale: PortalLocale): string | null {
  switch (event.kind) {
    case "carrier_update":
      return [event.message, event.location].filter(Boolean).join(" · ") || null;
    case "shipment_created":
      return (
        event.tracking
          .map((link) => [link.carrier, link.number].filter(Boolean).join(" "))
          .filter(Boolean)
          .join(", ") || null
      );
    case "order_cancelled":
      return cancelReasonLabel(event.reason, locale);
    default:
      return null;
  }
}

function addressView(address: AddressSnapshot | null | undefined): AddressView | null {
  if (!address) return null;
  const name = address.name ?? ([address.firstName, address.lastName].filter(Boolean).join(" ") || null);
  return {
    name,
    company: address.company,
    address1: address.address1,
    address2: address.address2,
    city: address.city,
    province: address.province,
    zip: address.zip,
    country: address.country,
    countryCode: address.countryCode,
    phone: address.phone,
  };
}

/** Shopify's gateway handle as people read it: "shopify_payments" → "Shopify Payments". */
function gatewayName(gateway: string): string {
  return gateway
    .split(/[_\s]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
}

function isoOr(iso: string, fallback: Date): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? fallback.toISOString() : new Date(time).toISOString();
}

/** "0.00", "", negatives: no refund (no float parsing of money). */
const isPositive = (amount: string | undefined) => !!amount && !amount.trim().startsWith("-") && /[1-9]/.test(amount);
