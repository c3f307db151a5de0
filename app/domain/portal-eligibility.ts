import type { LineItemSnapshot, OrderSnapshot } from "./order-snapshot";
import { describeOrderStatus, latestFulfillmentEvent, shipmentStage, type ShopperOrderStatus } from "./order-status";

// Which actions a shopper sees on an order in the storefront portal (PRODUCT.md "Shopper"): Track,
// Return (a request, or the merchant's Loop Returns portal), Cancel and Report an issue. Every
// hidden action carries a reason, for tests and support; the shopper never sees it. The request
// endpoints ask the same function, so an action that is not shown is also refused.

export type PortalActionKind = "track" | "return" | "cancel" | "report_issue";

export type HiddenReason =
  /** The merchant turned the action off. */
  | "disabled"
  | "cancelled"
  | "refunded"
  /** Return: nothing of the order has shipped (or all of it was refunded): nothing to send back. */
  | "nothing_to_return"
  /** Return, window counted from delivery: the order has not been delivered (yet). */
  | "not_delivered"
  | "window_closed"
  /** Return: the merchant's Loop Returns address is not an http(s) URL. */
  | "loop_url_invalid"
  /** Cancel: the order's status is not one the merchant allows cancelling in. */
  | "status_not_allowed"
  /** Report an issue: the merchant's lists offer nothing for this order's state. */
  | "no_options";

export type ReturnAction =
  { kind: "return"; via: "request"; returnBy: string } | { kind: "return"; via: "loop"; returnBy: string; url: string };

export type PortalAction = { kind: "track" } | ReturnAction | { kind: "cancel" } | { kind: "report_issue" };

export interface PortalActions {
  /** In the order the portal shows them. */
  shown: PortalAction[];
  hidden: { kind: PortalActionKind; reason: HiddenReason }[];
}

/** What eligibility needs to know of an order (eligibilityFacts builds it from a snapshot). */
export interface EligibilityOrder {
  /** "#1001": Loop finds the order by its name. */
  name: string;
  status: ShopperOrderStatus;
  /** When the shopper placed it (ISO). */
  placedAt: string;
  /** When its last parcel arrived (ISO), if it has all arrived. */
  deliveredAt: string | null;
  /** Units that left the warehouse and were not refunded: what a return could cover. */
  returnableUnits: number;
  /** Loop's lookup pairs the order name with the shipping postcode. */
  shippingZip: string | null;
}

/** PortalOptions' fields that decide the actions. */
export interface EligibilityOptions {
  trackEnabled: boolean;
  returnEnabled: boolean;
  returnWindowFrom: "created" | "delivered";
  returnWindowDays: number;
  loopReturnsUrl: string | null;
  cancelEnabled: boolean;
  cancelStatuses: readonly string[];
  reportIssueEnabled: boolean;
}

export interface EligibilityContext {
  now: Date;
  /** The store's IANA zone: a return window ends at midnight there. Null or unknown: UTC. */
  timeZone: string | null;
  /** How many report-issue options the store offers for this order (issueChoicesFor). */
  issueOptionCount: number;
}

export function portalActions(
  order: EligibilityOrder,
  options: EligibilityOptions,
  context: EligibilityContext,
): PortalActions {
  const result: PortalActions = { shown: [], hidden: [] };
  const decide = (kind: PortalActionKind, decision: PortalAction | HiddenReason) => {
    if (typeof decision === "string") result.hidden.push({ kind, reason: decision });
    else result.shown.push(decision);
  };
  decide("track", options.trackEnabled ? { kind: "track" } : "disabled");
  decide("return", returnDecision(order, options, context));
  decide("cancel", cancelDecision(order, options));
  decide(
    "report_issue",
    !options.reportIssueEnabled ? "disabled" : context.issueOptionCount > 0 ? { kind: "report_issue" } : "no_options",
  );
  return result;
}

/** The shown action of that kind, or null. */
export function shownAction<K extends PortalActionKind>(
  actions: PortalActions,
  kind: K,
): Extract<PortalAction, { kind: K }> | null {
  return (actions.shown.find((action) => action.kind === kind) as Extract<PortalAction, { kind: K }>) ?? null;
}

function returnDecision(
  order: EligibilityOrder,
  options: EligibilityOptions,
  context: EligibilityContext,
): ReturnAction | HiddenReason {
  if (!options.returnEnabled) return "disabled";
  if (order.status === "cancelled") return "cancelled";
  if (order.status === "refunded") return "refunded";
  if (order.returnableUnits <= 0) return "nothing_to_return";
  const start = options.returnWindowFrom === "delivered" ? order.deliveredAt : order.placedAt;
  if (!start) return "not_delivered";
  const closesAt = returnWindowClosesAt(start, options.returnWindowDays, context.timeZone);
  if (!closesAt || context.now.getTime() >= closesAt.getTime()) return "window_closed";
  // The last moment of the window, as the shopper would read "return by".
  const returnBy = new Date(closesAt.getTime() - 1).toISOString();
  if (options.loopReturnsUrl === null || options.loopReturnsUrl.trim() === "") {
    return { kind: "return", via: "request", returnBy };
  }
  const url = loopReturnUrl(options.loopReturnsUrl, order);
  return url ? { kind: "return", via: "loop", returnBy, url } : "loop_url_invalid";
}

function cancelDecision(order: EligibilityOrder, options: EligibilityOptions): { kind: "cancel" } | HiddenReason {
  if (!options.cancelEnabled) return "disabled";
  if (order.status === "cancelled") return "cancelled";
  if (order.status === "refunded") return "refunded";
  return options.cancelStatuses.includes(order.status) ? { kind: "cancel" } : "status_not_allowed";
}

/**
 * When a return window of `days` days from `start` closes: at midnight, in the store's zone, at
 * the end of the `days`-th day after the start's local date. "30 days after delivery" for a parcel
 * delivered on 1 March at 15:00 is open until 31 March 23:59:59 — a button that vanished at 15:00
 * on the 31st would read as a bug to the shopper. Null when `start` is not a date.
 */
/** A window longer than this is as good as endless; beyond it, dates would leave the calendar. */
const MAX_WINDOW_DAYS = 36_500;

export function returnWindowClosesAt(start: string, days: number, timeZone: string | null): Date | null {
  const startTime = Date.parse(start);
  if (Number.isNaN(startTime) || !Number.isFinite(days)) return null;
  const zone = usableZone(timeZone);
  const local = localDate(new Date(startTime), zone);
  // Date.UTC normalises day overflow (31 March + 1 = 1 April), so calendar maths stays in integers.
  const span = Math.min(MAX_WINDOW_DAYS, Math.max(0, Math.floor(days)));
  const dayAfterLast = new Date(Date.UTC(local.year, local.month - 1, local.day + span + 1));
  return zonedMidnight(dayAfterLast.getUTCFullYear(), dayAfterLast.getUTCMonth() + 1, dayAfterLast.getUTCDate(), zone);
}

/**
 * The merchant's Loop portal with the order looked up (Loop's dynamic URL: ?order=<name without
 * "#">&zip=<shipping postcode>), keeping whatever the merchant's address already carries. Null
 * when the address is not an http(s) URL.
 */
export function loopReturnUrl(portalUrl: string, order: Pick<EligibilityOrder, "name" | "shippingZip">): string | null {
  let url: URL;
  try {
    url = new URL(portalUrl.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  url.searchParams.set("order", order.name.replace(/^#/, ""));
  if (order.shippingZip?.trim()) url.searchParams.set("zip", order.shippingZip.trim());
  return url.toString();
}

// ---- From a synced order -----------------------------------------------------------------------

/**
 * How many units of one line the shopper may send back: those shipped and not refunded, none of a
 * line that never ships (gift cards, digital goods). The order page shows it and a return request
 * is checked against it, so the API refuses exactly what the page does not offer.
 */
export function returnableQuantity(
  item: Pick<LineItemSnapshot, "quantity" | "fulfillableQuantity" | "refundedQuantity" | "requiresShipping">,
): number {
  if (!item.requiresShipping) return 0;
  return Math.max(0, item.quantity - item.fulfillableQuantity - item.refundedQuantity);
}

/** What eligibility needs, read from a synced order (and its shipping address's postcode). */
export function eligibilityFacts(order: OrderSnapshot & { shippingAddress?: { zip: string | null } | null }) {
  const description = describeOrderStatus(order);
  const unrefunded = order.lineItems
    .filter((item) => item.requiresShipping)
    .reduce((total, item) => total + Math.max(0, item.quantity - item.refundedQuantity), 0);
  return {
    name: order.name,
    status: description.status,
    placedAt: order.processedAt || order.createdAt,
    deliveredAt: orderDeliveredAt(order, description.status),
    returnableUnits: Math.min(description.items.shipped, unrefunded),
    shippingZip: order.shippingAddress?.zip ?? null,
  } satisfies EligibilityOrder;
}

/**
 * When the order was delivered: when its last parcel arrived, once the order's status says all
 * did (delivered, or partially refunded, which is shown only after delivery). Each parcel's time is
 * Shopify's deliveredAt, else its DELIVERED carrier event, else (a delivery known only from
 * displayStatus) its last update, which is no earlier than the delivery itself: the shopper gets
 * the benefit of the doubt. Digital goods arrive when fulfilled.
 */
export function orderDeliveredAt(order: OrderSnapshot, status: ShopperOrderStatus): string | null {
  if (status !== "delivered" && status !== "partially_refunded") return null;
  let latest: number | null = null;
  for (const fulfillment of order.fulfillments) {
    if (shipmentStage(fulfillment) !== "delivered") continue;
    const deliveredEvent = fulfillment.events.filter((event) => event.status === "DELIVERED");
    const eventTime =
      deliveredEvent.length > 0 ? latestFulfillmentEvent({ ...fulfillment, events: deliveredEvent }) : null;
    const candidates = fulfillment.requiresShipping
      ? [fulfillment.deliveredAt, eventTime?.happenedAt, fulfillment.updatedAt]
      : [fulfillment.deliveredAt, fulfillment.createdAt];
    const time = candidates.map((value) => (value ? Date.parse(value) : Number.NaN)).find((t) => !Number.isNaN(t));
    if (time !== undefined && (latest === null || time > latest)) latest = time;
  }
  return latest === null ? null : new Date(latest).toISOString();
}

// ---- Calendar days in a zone -------------------------------------------------------------------

/** The zone when the runtime knows it, else UTC (a stored zone Intl does not know must not break a page). */
/**
 * The first instant of the local day `daysBefore` days before `date`'s own, in the store's zone
 * (UTC when it has none or an unknown one): where "the last 30 days" of a report begin.
 */
export function startOfLocalDay(date: Date, timeZone: string | null, daysBefore = 0): Date {
  const zone = usableZone(timeZone);
  const local = localDate(date, zone);
  // Date.UTC normalises day underflow (1 March - 1 = 28 or 29 February).
  const day = new Date(Date.UTC(local.year, local.month - 1, local.day - Math.floor(daysBefore)));
  return zonedMidnight(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), zone);
}

function usableZone(timeZone: string | null): string {
  if (!timeZone) return "UTC";
  try {
    // Building a formatter costs ~0.1–0.4 ms: it is built once per zone and kept (partsFormat).
    partsFormat(timeZone);
    return timeZone;
  } catch {
    return "UTC";
  }
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();
function partsFormat(zone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(zone);
  if (!format) {
    if (partsFormats.size > 200) partsFormats.clear();
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    partsFormats.set(zone, format);
  }
  return format;
}

function zonedParts(date: Date, zone: string) {
  const parts = Object.fromEntries(
    partsFormat(zone)
      .formatToParts(date)
      .filter((part) => part.type !== "literal")
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<"year" | "month" | "day" | "hour" | "minute" | "second", number>;
  return parts;
}

function localDate(date: Date, zone: string) {
  const { year, month, day } = zonedParts(date, zone);
  return { year, month, day };
}

/** The zone's offset from UTC at `date`, in ms (Paris in winter: +3,600,000). */
function offsetAt(date: Date, zone: string): number {
  const p = zonedParts(date, zone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (date.getTime() - date.getUTCMilliseconds());
}

/**
 * The first instant of that local date in the zone. Where a clock change skips midnight (a few
 * zones move at 00:00), the day starts at the first instant that exists after it.
 */
function zonedMidnight(year: number, month: number, day: number, zone: string): Date {
  const wall = Date.UTC(year, month - 1, day);
  let guess = wall - offsetAt(new Date(wall), zone);
  // Once more with the offset in force at the guess: right across a change between the two.
  guess = wall - offsetAt(new Date(guess), zone);
  const local = localDate(new Date(guess), zone);
  if (local.year === year && local.month === month && local.day === day) {
    // The same day may have started earlier under the other offset (a change in the early hours).
    const earlier = guess - 3_600_000;
    const before = localDate(new Date(earlier), zone);
    return before.year === year && before.month === month && before.day === day ? new Date(earlier) : new Date(guess);
  }
  // Midnight did not exist: the day begins when the clock jumps, within the next hours.
  let time = guess;
  for (let step = 0; step < 96 && !sameDay(localDate(new Date(time), zone), { year, month, day }); step++) {
    time += 15 * 60_000;
  }
  return new Date(time);
}

const sameDay = (a: { year: number; month: number; day: number }, b: { year: number; month: number; day: number }) =>
  a.year === b.year && a.month === b.month && a.day === b.day;
