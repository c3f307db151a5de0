// DEV/TEST ONLY: the returns the fake Loop Returns server (server.ts) answers with, written from the
// field lists and quirks of Loop's responses (our summary: shared reference README, never its JSON
// files). Built for given shoppers and their real orders, so the demo's customers have returns
// for orders they placed; the same customer and order always give the same return (ids, dates,
// amounts), so a restarted demo shows what it showed before.
//
// Quirks every set of four or more customers covers, on purpose (widgets must survive them):
// string ids next to numeric `exchange_order_id` and `destination_id`; "N/A" in carrier,
// tracking_number, label_status, label_updated_at and barcode when there is no label; reasons and
// comments with literal double quotes; ISO-8601 `created_at`/`updated_at` next to
// "YYYY-MM-DD HH:MM:SS" `returned_at`, `label_updated_at` and notes; a negative line-item price;
// `edited_at` and `return_method` null; exchanges with `exchange_order_name` ("EXC-1042-1").

/** One returned item (`data[].line_items[]`). */
export interface LoopLineItem {
  line_item_id: string;
  provider_line_item_id: string;
  product_id: string;
  variant_id: string;
  sku: string;
  title: string;
  price: string;
  discount: string;
  tax: string;
  refund: string;
  returned_at: string;
  exchange_variant: string | null;
  return_reason: string;
  parent_return_reason: string;
  return_comment: string;
  barcode: string;
  outcome: string;
}

/** One item sent in exchange (`data[].exchanges[]`). */
export interface LoopExchange {
  exchange_id: string;
  exchange_order_id: number;
  exchange_order_name: string;
  product_id: string;
  variant_id: string;
  sku: string;
  type: string;
  title: string;
  price: string;
  discount: string;
  tax: string;
  total: string;
  out_of_stock: boolean;
  out_of_stock_resolution: string | null;
}

/** A return as Loop's v2 search lists it (`data[]`) and v1 details answers it. */
export interface LoopReturn {
  id: string;
  state: string;
  created_at: string;
  updated_at: string;
  edited_at: string | null;
  total: string;
  order_id: string;
  order_name: string;
  provider_order_id: string;
  order_number: string;
  outcome: string;
  customer: string;
  multi_currency: boolean;
  currency: string;
  return_product_total: string;
  return_discount_total: string;
  return_tax_total: string;
  return_total: string;
  return_credit_total: string;
  exchange_product_total: string;
  exchange_discount_total: string;
  exchange_tax_total: string;
  exchange_total: string;
  exchange_credit_total: string;
  gift_card: string;
  gift_card_order_name: string | null;
  gift_card_order_id: string | null;
  handling_fee: string;
  refund: string;
  upsell: string;
  line_items: LoopLineItem[];
  exchanges: LoopExchange[];
  carrier: string;
  tracking_number: string;
  label_status: string;
  status_page_url: string;
  label_updated_at: string;
  destination_id: number;
  return_method: null;
}

/** A note on a return (`/api/v1/warehouse/return/{id}/notes`). */
export interface LoopNote {
  id: number;
  content: string;
  created_at: string;
}

/** What the fake server serves: each customer's returns by email (lower case), notes by return id. */
export interface LoopFixtures {
  byEmail: Record<string, LoopReturn[]>;
  notes: Record<string, LoopNote[]>;
}

/** A shopper and the orders they placed, as the store has them. */
export interface LoopCustomer {
  email: string;
  orders: { name: string; shopifyId: string; createdAt: Date }[];
}

/** Loop's placeholder for a value it does not have. */
export const NOT_AVAILABLE = "N/A";

/** Stable 32-bit hash (FNV-1a) of a text: ids and amounts follow from the customer and order. */
function hash(text: string): number {
  let value = 2166136261;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 16777619);
  }
  return value >>> 0;
}

const digits = (seed: string, length: number) => {
  let text = "";
  for (let round = 0; text.length < length; round++) text += String(hash(`${seed}:${round}`));
  return text.slice(0, length).replace(/^0/, "1");
};

/** "2026-11-02T00:13:08+00:00": Loop's ISO-8601 with an offset and no fraction. */
export const loopIso = (date: Date) => `${date.toISOString().slice(0, 19)}+00:00`;
/** "2026-11-02 00:13:08": Loop's timestamps without a zone (returned_at, label_updated_at, notes). */
export const loopPlain = (date: Date) => date.toISOString().slice(0, 19).replace("T", " ");

const money = (cents: number) => (cents / 100).toFixed(2);
const HOUR = 3600_000;

interface ItemSpec {
  title: string;
  cents: number;
  reason: string;
  parentReason: string;
  comment: string;
  /** Loop lists some returned items with a negative price. */
  negativePrice?: boolean;
  exchangeFor?: string;
}

interface Kind {
  state: string;
  outcome: string;
  items: ItemSpec[];
  /** Carrier and tracking number, or none (all "N/A"). */
  label?: { carrier: string; status: string };
  edited: boolean;
  handlingFeeCents: number;
  notes: string[];
}

// Five kinds of return, one after the other across customers and their orders.
const KINDS: Kind[] = [
  {
    state: "closed",
    outcome: "exchange",
    items: [
      {
        title: "Merino crew sweater - Small",
        cents: 5900,
        negativePrice: true,
        reason: '"Item was too small"',
        parentReason: '"Item didn\'t fit"',
        comment: '"Snug across the shoulders, I\'d like the "Medium" instead"',
        exchangeFor: "Merino crew sweater - Medium",
      },
    ],
    edited: false,
    handlingFeeCents: 0,
    notes: ['"Exchange shipped" - warehouse', "Customer asked for the exchange to go to the same address."],
  },
  {
    state: "open",
    outcome: "refund",
    items: [
      {
        title: "Coastline rain jacket - M",
        cents: 12900,
        reason: "Changed my mind",
        parentReason: "Other",
        comment: "",
      },
      {
        title: "Wool hiking socks (2 pack)",
        cents: 1800,
        reason: '"Arrived damaged"',
        parentReason: "Damaged",
        comment: 'Box was marked "fragile" but crushed',
      },
    ],
    label: { carrier: "UPS", status: "in_transit" },
    edited: true,
    handlingFeeCents: 300,
    notes: [],
  },
  {
    state: "open",
    outcome: "credit",
    items: [
      {
        title: "Ceramic pour-over set",
        cents: 4500,
        reason: "Not as described",
        parentReason: '"Quality"',
        comment: "The glaze is darker than on the photos.",
      },
    ],
    edited: false,
    handlingFeeCents: 0,
    notes: ['Store credit "LOOP-CREDIT" to be issued on receipt'],
  },
  {
    state: "expired",
    outcome: "refund",
    items: [
      {
        title: "Linen tote bag",
        cents: 2400,
        reason: "Ordered by mistake",
        parentReason: "Other",
        comment: "",
      },
    ],
    edited: false,
    handlingFeeCents: 0,
    notes: [],
  },
  {
    state: "closed",
    outcome: "exchange+refund",
    items: [
      {
        title: "Trail running shoes - 42",
        cents: 11000,
        negativePrice: true,
        reason: '"Item was too big"',
        parentReason: '"Item didn\'t fit"',
        comment: '"Half a size too big"',
        exchangeFor: "Trail running shoes - 41",
      },
      {
        title: "Running cap",
        cents: 2200,
        reason: "No longer needed",
        parentReason: "Other",
        comment: "",
      },
    ],
    label: { carrier: "DHL Express", status: "delivered" },
    edited: false,
    handlingFeeCents: 500,
    notes: ["Received at the warehouse, both items in good condition."],
  },
];

export interface FixtureOptions {
  /** The merchant's Loop subdomain, in status page links (default "company"). */
  storeHandle?: string;
  currency?: string;
  /** Returns of orders placed in the two weeks before this (default: now) are dated minutes after them. */
  now?: Date;
}

/** How many returns the customer at `index` gets (1, 2 or 3, never more than their orders). */
export const returnsWanted = (index: number, orders: number) => Math.min(orders, 1 + (index % 3));

/**
 * The Loop returns of `customers` (each customer's first orders, 1 to 3 of them), with notes.
 * The kinds rotate across customers so that any four of them cover every quirk above.
 */
export function loopFixturesFor(customers: readonly LoopCustomer[], options: FixtureOptions = {}): LoopFixtures {
  const fixtures: LoopFixtures = { byEmail: {}, notes: {} };
  customers.forEach((customer, index) => {
    const email = customer.email.toLowerCase();
    const orders = customer.orders.slice(0, returnsWanted(index, customer.orders.length));
    const returns = orders.map((order, position) => {
      const kind = KINDS[(index + position) % KINDS.length]!;
      const built = buildReturn(email, order, kind, options);
      if (kind.notes.length) fixtures.notes[built.id] = notesFor(built, kind);
      return built;
    });
    if (returns.length) fixtures.byEmail[email] = [...(fixtures.byEmail[email] ?? []), ...returns];
  });
  return fixtures;
}

function buildReturn(
  email: string,
  order: LoopCustomer["orders"][number],
  kind: Kind,
  options: FixtureOptions,
): LoopReturn {
  const seed = `${email}|${order.name}`;
  const orderNumber = order.name.replace(/^#/, "");
  // A few days after the order, at a time of day that follows from the order.
  // Days after the order; for an order of the last two weeks, as many minutes as it would be hours,
  // so the return is not dated in the future (unless the order is a few hours old) and a restart
  // an hour later still gives the same dates.
  const now = (options.now ?? new Date()).getTime();
  const step = order.createdAt.getTime() + 170 * 2 * HOUR < now ? HOUR : 60_000;
  const createdAt = new Date(order.createdAt.getTime() + (72 + (hash(`${seed}:at`) % 96)) * step);
  const after = (hours: number) => new Date(createdAt.getTime() + hours * step);
  const updatedAt = after(kind.state === "open" ? 2 : 50);
  const itemsCents = kind.items.reduce((sum, item) => sum + item.cents, 0);
  const exchangeItems = kind.items.filter((item) => item.exchangeFor);
  const exchangeCents = exchangeItems.reduce((sum, item) => sum + item.cents, 0);
  const refundCents = kind.outcome.includes("refund") ? itemsCents - exchangeCents - kind.handlingFeeCents : 0;
  const creditCents = kind.outcome === "credit" ? itemsCents : 0;
  const lineItems = kind.items.map((item, position): LoopLineItem => ({
    line_item_id: digits(`${seed}:line:${position}`, 9),
    provider_line_item_id: digits(`${seed}:shopify-line:${position}`, 14),
    product_id: digits(`product:${item.title}`, 13),
    variant_id: digits(`variant:${item.title}`, 14),
    sku: position === 0 ? "" : `SKU-${digits(`sku:${item.title}`, 5)}`,
    title: item.title,
    price: money(item.negativePrice ? -item.cents : item.cents),
    discount: "0.00",
    tax: "0.00",
    refund: money(item.exchangeFor ? 0 : kind.outcome.includes("refund") ? item.cents : 0),
    returned_at: loopPlain(createdAt),
    exchange_variant: item.exchangeFor ? digits(`variant:${item.exchangeFor}`, 14) : null,
    return_reason: item.reason,
    parent_return_reason: item.parentReason,
    return_comment: item.comment,
    barcode: kind.label ? `LR${digits(`${seed}:barcode:${position}`, 10)}` : NOT_AVAILABLE,
    outcome: item.exchangeFor ? "exchange" : "default",
  }));
  const exchanges = exchangeItems.map((item, position): LoopExchange => ({
    exchange_id: digits(`${seed}:exchange:${position}`, 8),
    exchange_order_id: Number(digits(`${seed}:exchange-order`, 13)),
    exchange_order_name: `EXC-${orderNumber}-${position + 1}`,
    product_id: digits(`product:${item.exchangeFor!}`, 13),
    variant_id: digits(`variant:${item.exchangeFor!}`, 14),
    sku: "",
    type: "exchange",
    title: item.exchangeFor!,
    price: money(item.cents),
    discount: "0.00",
    tax: "0.00",
    total: money(item.cents),
    out_of_stock: false,
    out_of_stock_resolution: null,
  }));
  const statusPage = `https://${options.storeHandle ?? "company"}.loopreturns.com/#/return/${uuidFrom(seed)}`;
  return {
    id: digits(`${seed}:return`, 8),
    state: kind.state,
    created_at: loopIso(createdAt),
    updated_at: loopIso(updatedAt),
    edited_at: kind.edited ? loopIso(after(1)) : null,
    total: money(refundCents + creditCents),
    order_id: digits(`${seed}:loop-order`, 8),
    order_name: order.name,
    provider_order_id: order.shopifyId,
    order_number: orderNumber,
    outcome: kind.outcome,
    customer: email,
    multi_currency: false,
    currency: options.currency ?? "USD",
    return_product_total: money(itemsCents),
    return_discount_total: "0.00",
    return_tax_total: "0.00",
    return_total: money(itemsCents),
    return_credit_total: money(itemsCents),
    exchange_product_total: money(exchangeCents),
    exchange_discount_total: "0.00",
    exchange_tax_total: "0.00",
    exchange_total: money(exchangeCents),
    exchange_credit_total: money(exchangeCents),
    gift_card: money(creditCents),
    gift_card_order_name: null,
    gift_card_order_id: null,
    handling_fee: money(kind.handlingFeeCents),
    refund: money(refundCents),
    upsell: "0.00",
    line_items: lineItems,
    exchanges,
    carrier: kind.label?.carrier ?? NOT_AVAILABLE,
    tracking_number: kind.label ? `1Z${digits(`${seed}:tracking`, 16)}` : NOT_AVAILABLE,
    label_status: kind.label?.status ?? NOT_AVAILABLE,
    status_page_url: statusPage,
    label_updated_at: kind.label ? loopPlain(after(26)) : NOT_AVAILABLE,
    destination_id: 7000 + (hash(`${seed}:destination`) % 900),
    return_method: null,
  };
}

function notesFor(built: LoopReturn, kind: Kind): LoopNote[] {
  const createdAt = new Date(built.created_at).getTime();
  // Newest first, as Loop lists them.
  return kind.notes
    .map((content, position) => ({
      id: Number(digits(`${built.id}:note:${position}`, 7)),
      content,
      created_at: loopPlain(new Date(createdAt + (position + 1) * 5 * 60_000)),
    }))
    .reverse();
}

/** A UUID-shaped text that follows from `seed` (status pages and return links). */
export function uuidFrom(seed: string): string {
  const hex = Array.from({ length: 4 }, (_, round) => hash(`${seed}:uuid:${round}`).toString(16).padStart(8, "0")).join(
    "",
  );
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
