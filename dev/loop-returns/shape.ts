// DEV/TEST ONLY: the shapes of Loop Returns' responses, written from our summary of them (shared
// reference README: field lists, types and quirks), so the fake server's output can be checked
// against Loop's and not against itself. A kind is a type and, for strings, the format Loop uses;
// "a|b" allows either.

// Kinds: string (any text but "N/A"), digits (an id Loop sends as a string of digits), money (a
// decimal string, maybe negative: "-29.99"), iso ("2022-11-02T00:13:08+00:00"), plain
// ("YYYY-MM-DD HH:MM:SS", no zone), N/A (Loop's placeholder), url, number, boolean, null, array,
// object.
export type Shape = Record<string, string>;

/** The v2 search's envelope. */
export const ENVELOPE_SHAPE: Shape = { status: "string", query: "object", data: "array" };
export const QUERY_SHAPE: Shape = {
  from: "iso",
  to: "iso",
  customer_email: "string|null",
  filter: "string",
  limit: "number",
  offset: "number",
};

/** A return (`data[]`, and v1 details). */
export const RETURN_SHAPE: Shape = {
  id: "digits",
  state: "string",
  created_at: "iso",
  updated_at: "iso",
  edited_at: "iso|null",
  total: "money",
  order_id: "digits",
  order_name: "string",
  provider_order_id: "digits",
  order_number: "digits",
  outcome: "string",
  customer: "string",
  multi_currency: "boolean",
  currency: "string",
  return_product_total: "money",
  return_discount_total: "money",
  return_tax_total: "money",
  return_total: "money",
  return_credit_total: "money",
  exchange_product_total: "money",
  exchange_discount_total: "money",
  exchange_tax_total: "money",
  exchange_total: "money",
  exchange_credit_total: "money",
  gift_card: "money",
  gift_card_order_name: "string|null",
  gift_card_order_id: "digits|null",
  handling_fee: "money",
  refund: "money",
  upsell: "money",
  line_items: "array",
  exchanges: "array",
  carrier: "string|N/A",
  tracking_number: "string|N/A",
  label_status: "string|N/A",
  status_page_url: "url",
  label_updated_at: "plain|N/A",
  destination_id: "number",
  return_method: "object|null",
};

export const LINE_ITEM_SHAPE: Shape = {
  line_item_id: "digits",
  provider_line_item_id: "digits",
  product_id: "digits",
  variant_id: "digits",
  sku: "string",
  title: "string",
  price: "money",
  discount: "money",
  tax: "money",
  refund: "money",
  returned_at: "plain",
  exchange_variant: "digits|null",
  return_reason: "string",
  parent_return_reason: "string",
  return_comment: "string",
  barcode: "string|N/A",
  outcome: "string",
};

export const EXCHANGE_SHAPE: Shape = {
  exchange_id: "digits",
  exchange_order_id: "number",
  exchange_order_name: "string",
  product_id: "digits",
  variant_id: "digits",
  sku: "string",
  type: "string",
  title: "string",
  price: "money",
  discount: "money",
  tax: "money",
  total: "money",
  out_of_stock: "boolean",
  out_of_stock_resolution: "string|null",
};

export const NOTE_SHAPE: Shape = { id: "number", content: "string", created_at: "plain" };

export const ORDER_LINK_SHAPE: Shape = { url: "url" };

const FORMATS: Record<string, RegExp> = {
  digits: /^\d+$/,
  money: /^-?\d+\.\d{2}$/,
  iso: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/,
  plain: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/,
  "N/A": /^N\/A$/,
  url: /^https?:\/\/\S+$/,
};

function matchesKind(value: unknown, kind: string): boolean {
  if (kind === "null") return value === null;
  if (kind === "array") return Array.isArray(value);
  if (kind === "object") return typeof value === "object" && value !== null && !Array.isArray(value);
  if (kind === "number") return typeof value === "number" && Number.isFinite(value);
  if (kind === "boolean") return typeof value === "boolean";
  if (kind === "string") return typeof value === "string" && value !== "N/A";
  const format = FORMATS[kind];
  if (!format) throw new Error(`Unknown kind ${kind}`);
  return typeof value === "string" && format.test(value);
}

/** Where `value` differs from `shape`: keys missing or extra, and values of another kind. */
export function shapeMismatches(value: unknown, shape: Shape, at = "$"): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${at}: not an object`];
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(shape)) if (!(key in record)) problems.push(`${at}.${key}: missing`);
  for (const [key, field] of Object.entries(record)) {
    const kinds = shape[key];
    if (kinds === undefined) problems.push(`${at}.${key}: not in Loop's shape`);
    else if (!kinds.split("|").some((kind) => matchesKind(field, kind))) {
      problems.push(`${at}.${key}: ${JSON.stringify(field)} is not ${kinds}`);
    }
  }
  return problems;
}

/** Every mismatch of a return with its line items and exchanges. */
export function returnMismatches(value: unknown, at = "$"): string[] {
  const problems = shapeMismatches(value, RETURN_SHAPE, at);
  const record = value as { line_items?: unknown; exchanges?: unknown };
  if (Array.isArray(record?.line_items)) {
    record.line_items.forEach((item, index) =>
      problems.push(...shapeMismatches(item, LINE_ITEM_SHAPE, `${at}.line_items[${index}]`)),
    );
  }
  if (Array.isArray(record?.exchanges)) {
    record.exchanges.forEach((item, index) =>
      problems.push(...shapeMismatches(item, EXCHANGE_SHAPE, `${at}.exchanges[${index}]`)),
    );
  }
  return problems;
}
