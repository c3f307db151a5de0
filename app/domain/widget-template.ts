import { z } from "zod";
import { missingVariables, renderTemplate, type MacroValues } from "./macro-template";

// A sidebar widget's template (the anchor's recursive `template` tree, seed 002) and how it turns
// an HTTP integration's stored JSON response into something to show. Pure: the server resolves
// the sidebar, the settings page's preview and a custom action's request with it.
//
// Tolerance is the rule, since templates come from other tools and responses from partners that
// change without notice (Loop's quirks): an unknown type is shown as text, a node that is not an
// object is skipped, a value that is missing, null, empty or "N/A" leaves its row out, and a
// group left with no rows is left out too. Nothing here throws on any input.

/** Leaf types: how a value is shown. The anchor's editor offers these; anything else is text. */
export const WIDGET_LEAF_TYPES = [
  "text",
  "boolean",
  "date",
  "age",
  "url",
  "email",
  "number",
  "price",
  "percent",
  "rating",
] as const;
export type WidgetLeafType = (typeof WIDGET_LEAF_TYPES)[number];
export const WIDGET_GROUP_TYPES = ["wrapper", "card", "list"] as const;

/** Deeper than this is not a sidebar any more (and would only cost time): nodes below are skipped. */
const MAX_DEPTH = 24;
/** Rows and items a widget shows at most, whatever its lists' limits say. */
const MAX_ITEMS_PER_LIST = 50;
const MAX_TEXT = 2_000;

// ---- The template ------------------------------------------------------------------------------

/** A parameter of a custom action: a header, a query parameter or a body field. */
export interface ActionField {
  key: string;
  value: string;
  /** The agent may change the value before running the action. */
  editable: boolean;
  /** The action does not run without a value. */
  mandatory: boolean;
  label: string;
}

export const ACTION_FIELD_SECTIONS = ["headers", "params", "body"] as const;
export type ActionFieldSection = (typeof ACTION_FIELD_SECTIONS)[number];

export interface CustomAction {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  headers: ActionField[];
  params: ActionField[];
  body: { contentType: "application/json" | "application/x-www-form-urlencoded"; fields: ActionField[] };
}

export interface CustomLink {
  label: string;
  url: string;
}

export interface CustomButton {
  label: string;
  action: CustomAction;
}

export type TemplateNode =
  | {
      kind: "group";
      type: "wrapper" | "card";
      path: string;
      title: string;
      order: number;
      displayCard: boolean;
      link: string;
      links: CustomLink[];
      buttons: CustomButton[];
      children: TemplateNode[];
    }
  | {
      kind: "list";
      path: string;
      title: string;
      order: number;
      limit: number | null;
      orderBy: { field: string; descending: boolean } | null;
      children: TemplateNode[];
    }
  | { kind: "leaf"; type: WidgetLeafType; path: string; title: string; order: number };

export interface ParsedTemplate {
  /** Null when nothing could be read (the widget renders nothing). */
  root: TemplateNode | null;
  /** What was skipped or read differently, for the settings page (a merchant can act on these). */
  problems: string[];
}

const looseText = z.preprocess(
  (value) => (typeof value === "number" ? String(value) : value),
  z.string().max(MAX_TEXT).catch(""),
);

const NodeShape = z.object({
  type: z.string().catch(""),
  path: z.preprocess((value) => (value === null ? "" : value), looseText).catch(""),
  title: looseText.catch(""),
  order: z.coerce.number().int().catch(0),
  meta: z.record(z.string(), z.unknown()).catch({}),
  widgets: z.array(z.unknown()).catch([]),
});

const MetaShape = z.object({
  displayCard: z.boolean().catch(true),
  link: looseText.catch(""),
  limit: z.preprocess(
    (value) => (value === "" || value === null ? undefined : value),
    z.coerce.number().int().positive().optional().catch(undefined),
  ),
  orderBy: looseText.catch(""),
  custom: z
    .object({
      links: z.array(z.unknown()).catch([]),
      buttons: z.array(z.unknown()).catch([]),
    })
    .catch({ links: [], buttons: [] })
    .optional(),
});

const LinkShape = z.object({ label: z.string().max(200), url: z.string().max(MAX_TEXT) });

const FieldShape = z.object({
  key: z.string().min(1).max(200),
  value: looseText.catch(""),
  editable: z.boolean().catch(false),
  mandatory: z.boolean().catch(false),
  label: looseText.catch(""),
});

const ButtonShape = z.object({
  label: z.string().min(1).max(200),
  action: z.object({
    method: z.preprocess(
      (value) => (typeof value === "string" ? value.toUpperCase() : value),
      z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).catch("GET"),
    ),
    url: z.string().min(1).max(MAX_TEXT),
    headers: z.array(z.unknown()).catch([]),
    params: z.array(z.unknown()).catch([]),
    body: z.record(z.string(), z.unknown()).catch({}),
  }),
});

function readFields(values: unknown[], where: string, problems: string[]): ActionField[] {
  const fields: ActionField[] = [];
  for (const value of values) {
    const field = FieldShape.safeParse(value);
    if (!field.success) {
      problems.push(`${where}: a parameter without a key was skipped.`);
      continue;
    }
    fields.push({ ...field.data, label: field.data.label || field.data.key });
  }
  return fields;
}

function readButton(value: unknown, where: string, problems: string[]): CustomButton | null {
  const button = ButtonShape.safeParse(value);
  if (!button.success) {
    problems.push(`${where}: a button needs a label and an action with a url; it was skipped.`);
    return null;
  }
  const { label, action } = button.data;
  const contentType =
    action.body.contentType === "application/x-www-form-urlencoded"
      ? "application/x-www-form-urlencoded"
      : "application/json";
  const bodyFields = Array.isArray(action.body[contentType]) ? (action.body[contentType] as unknown[]) : [];
  return {
    label,
    action: {
      method: action.method,
      url: action.url,
      headers: readFields(action.headers, `${where} "${label}"`, problems),
      params: readFields(action.params, `${where} "${label}"`, problems),
      body: { contentType, fields: readFields(bodyFields, `${where} "${label}"`, problems) },
    },
  };
}

function parseOrderBy(text: string) {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const descending = trimmed.startsWith("-");
  const field = trimmed.replace(/^[-+]/, "").trim();
  return field ? { field, descending } : null;
}

function parseNode(value: unknown, depth: number, where: string, problems: string[]): TemplateNode | null {
  if (depth > MAX_DEPTH) {
    problems.push(`${where}: nested deeper than ${MAX_DEPTH} levels; skipped.`);
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problems.push(`${where}: not an object; skipped.`);
    return null;
  }
  const node = NodeShape.parse(value);
  const name = node.title ? `${where} "${node.title}"` : where;
  const meta = MetaShape.parse(node.meta);
  const children = () => {
    const parsed = node.widgets
      .map((child, index) => parseNode(child, depth + 1, `${name} › item ${index + 1}`, problems))
      .filter((child): child is TemplateNode => child !== null);
    // The anchor's `order` sorts siblings; the written order breaks ties.
    return parsed
      .map((child, index) => ({ child, index }))
      .sort((a, b) => a.child.order - b.child.order || a.index - b.index)
      .map(({ child }) => child);
  };
  const type = node.type.trim().toLowerCase();
  if (type === "wrapper" || type === "card") {
    const custom = meta.custom ?? { links: [], buttons: [] };
    const links: CustomLink[] = [];
    for (const link of custom.links) {
      const parsed = LinkShape.safeParse(link);
      if (parsed.success) links.push(parsed.data);
      else problems.push(`${name}: a link needs a label and a url; it was skipped.`);
    }
    const buttons = custom.buttons
      .map((button) => readButton(button, name, problems))
      .filter((button): button is CustomButton => button !== null);
    return {
      kind: "group",
      type,
      path: node.path,
      title: node.title,
      order: node.order,
      displayCard: meta.displayCard,
      link: meta.link,
      links,
      buttons,
      children: children(),
    };
  }
  if (type === "list") {
    return {
      kind: "list",
      path: node.path,
      title: node.title,
      order: node.order,
      limit: meta.limit ?? null,
      orderBy: parseOrderBy(meta.orderBy),
      children: children(),
    };
  }
  if ((WIDGET_LEAF_TYPES as readonly string[]).includes(type)) {
    return { kind: "leaf", type: type as WidgetLeafType, path: node.path, title: node.title, order: node.order };
  }
  problems.push(`${name}: the type "${node.type || "(none)"}" is unknown; it is shown as text.`);
  return { kind: "leaf", type: "text", path: node.path, title: node.title, order: node.order };
}

/** Reads a stored or typed template; never throws. */
export function parseWidgetTemplate(value: unknown): ParsedTemplate {
  const problems: string[] = [];
  const root = parseNode(value, 0, "The template", problems);
  return { root, problems };
}

/** Reads the JSON a merchant typed in the editor: the template, or why it is not one. */
export function parseTemplateText(text: string): ParsedTemplate & { json: unknown } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : "";
    return { json: null, root: null, problems: [`This is not valid JSON (${detail}). Check commas and quotes.`] };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { json, root: null, problems: ['A template is a JSON object such as {"type": "wrapper", "widgets": []}.'] };
  }
  return { json, ...parseWidgetTemplate(json) };
}

// ---- Values from a response ----------------------------------------------------------------------

/** Loop's (and others') "no value" placeholders: shown as missing, never as text. */
const PLACEHOLDERS = new Set(["n/a", "na", "none", "null", "undefined", "-"]);

/** A value a row can show: a string (not a placeholder), a finite number or a boolean. */
export function presentScalar(value: unknown): string | number | boolean | null {
  if (typeof value === "string") {
    const trimmed = value.trim();
    if (!trimmed || PLACEHOLDERS.has(trimmed.toLowerCase())) return null;
    return value;
  }
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "boolean") return value;
  return null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Follows a dot path ("a.b.0.c"; "" is the object itself). Own properties only: no prototype reach. */
export function valueAtPath(data: unknown, path: string): unknown {
  const trimmed = path.trim().replace(/^\$\.?/, "");
  if (!trimmed) return data;
  let current: unknown = data;
  for (const part of trimmed.split(".")) {
    if (part === "") continue;
    if (Array.isArray(current) && /^\d+$/.test(part)) current = current[Number(part)];
    else if (isRecord(current) && Object.hasOwn(current, part)) current = current[part];
    else return undefined;
  }
  return current;
}

/**
 * The `{{var}}` values of an object: its scalar fields (and its nested objects' ones, dotted) by
 * lower-cased name, since the template engine reads names lower-cased. Placeholders are missing.
 */
export function objectValues(data: unknown): Map<string, string> {
  const values = new Map<string, string>();
  const visit = (value: unknown, prefix: string, depth: number) => {
    if (!isRecord(value) || depth > 3) return;
    for (const [key, field] of Object.entries(value)) {
      const name = `${prefix}${key.toLowerCase()}`;
      const scalar = presentScalar(field);
      if (scalar !== null) {
        if (!values.has(name)) values.set(name, String(scalar));
      } else visit(field, `${name}.`, depth + 1);
    }
  };
  visit(data, "", 0);
  return values;
}

/** Only web and mail links leave the admin: javascript:, data: and relative URLs are refused. */
export function safeLink(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol === "mailto:") return /^mailto:[^\s@]+@[^\s@]+$/i.test(trimmed) ? trimmed : null;
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  return url.hostname ? url.href : null;
}

/** In a widget, `{{name}}` may name any field: one the object lacks is missing, not unknown. */
const ANY_FIELD = { has: () => true };

/** A text with `{{field}}` filled from the object (a missing one renders as nothing). */
const fill = (text: string, values: MacroValues) => renderTemplate(text, values, ANY_FIELD);

/**
 * An action's URL with `{{field}}` filled from the object. Each value is URL-encoded, so a
 * response's "../", "?", "#" or "@" stays inside its path segment or parameter and cannot send
 * the call (with the integration's key) elsewhere on the partner's API. A field the URL starts
 * with is the address itself ("{{url}}", "{{portal}}/x") and goes in as sent.
 */
function fillUrl(text: string, values: MacroValues): string {
  const lead = /^\s*\{\{[^{}]*\}\}/.exec(text)?.[0] ?? "";
  const encoded = new Map([...values].map(([name, value]) => [name, value ? encodeURIComponent(value) : value]));
  return fill(lead, values) + fill(text.slice(lead.length), encoded);
}

/** A text with `{{field}}` filled from the object; null when it named a field the object lacks. */
function fillStrict(text: string, values: MacroValues): string | null {
  if (missingVariables(text, values, ANY_FIELD).length > 0) return null;
  return fill(text, values);
}

// Loop sends "2022-11-02T00:13:08+00:00" on a return and "2022-11-02 00:20:00" (no zone) on its
// lines; the latter is read as UTC, Loop's server time, rather than the agent's local time.
/** An address worth a mailto: link (a local part without markup or separators, a dotted domain). */
const EMAIL = /^[^\s@<>"'(),;:[\]\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;

const ZONELESS = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** An instant from an ISO text (with or without zone) or epoch seconds/milliseconds; null if none. */
export function parseInstant(value: string | number): { iso: string; dateOnly: boolean } | null {
  let date: Date;
  let dateOnly = false;
  if (typeof value === "number") {
    date = new Date(Math.abs(value) < 1e11 ? value * 1000 : value);
  } else {
    const trimmed = value.trim();
    const zoneless = ZONELESS.exec(trimmed);
    if (DATE_ONLY.test(trimmed)) {
      dateOnly = true;
      date = new Date(`${trimmed}T00:00:00Z`);
    } else if (zoneless) date = new Date(`${zoneless[1]}T${zoneless[2]}Z`);
    else if (/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) date = new Date(trimmed);
    else if (/^\d{10,13}$/.test(trimmed)) return parseInstant(Number(trimmed));
    else return null;
  }
  return Number.isNaN(date.getTime()) ? null : { iso: date.toISOString(), dateOnly };
}

/** A decimal from a number or a decimal string ("29.99", "-29.99", "1,234.50"); null if none. */
function parseDecimal(value: string | number | boolean): number | null {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return null;
  const cleaned = value.trim().replace(/,/g, "");
  if (!/^[-+]?\d*\.?\d+(e[-+]?\d+)?$/i.test(cleaned)) return null;
  const number = Number(cleaned);
  return Number.isFinite(number) ? number : null;
}

// ---- The render tree -----------------------------------------------------------------------------

/** A custom action's button as the browser sees it: what to ask the agent, nothing more. */
export interface ButtonView {
  label: string;
  /** Finds the action again on the server: the template's node indices and the list items' ones. */
  ref: string;
  /** The parameters the agent may change (none of the fixed ones: they may hold secrets). */
  fields: { name: string; label: string; value: string; mandatory: boolean }[];
}

/** A custom action with its templates filled for one object (server side only). */
export interface ResolvedAction extends CustomAction {
  label: string;
  ref: string;
}

export type RenderNode =
  | {
      kind: "card";
      title: string | null;
      link: string | null;
      /** False: the anchor's displayCard off, the rows show without a card around them. */
      displayCard: boolean;
      links: { label: string; url: string }[];
      buttons: ButtonView[];
      children: RenderNode[];
    }
  | { kind: "list"; title: string | null; items: RenderNode[] }
  | { kind: "field"; type: WidgetLeafType; title: string; text: string; href: string | null; flag: boolean | null };

export interface ResolveOptions {
  /** Formats an instant for the agent (the store's time zone). */
  formatDateTime: (iso: string) => string;
  /** Formats a calendar date with no time. */
  formatDate: (iso: string) => string;
  /** Now, for the age type. */
  now: Date;
}

interface Scope {
  data: unknown;
  values: Map<string, string>;
  /** The nearest `currency` field up the tree, for prices. */
  currency: string | null;
}

function scopeOf(data: unknown, parent: Scope | null): Scope {
  const values = objectValues(data);
  const own = values.get("currency") ?? values.get("currency_code") ?? null;
  return { data, values, currency: own && /^[A-Za-z]{3}$/.test(own) ? own.toUpperCase() : (parent?.currency ?? null) };
}

function formatNumber(value: number, options: Intl.NumberFormatOptions = {}) {
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: 6, ...options }).format(value);
}

function formatPrice(value: number, currency: string | null): string {
  if (currency) {
    try {
      return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(value);
    } catch {
      // A currency code Intl does not know: the number and the code.
    }
  }
  const number = formatNumber(value, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return currency ? `${number} ${currency}` : number;
}

const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

function resolveLeaf(
  node: Extract<TemplateNode, { kind: "leaf" }>,
  scope: Scope,
  options: ResolveOptions,
): RenderNode | null {
  const raw = presentScalar(valueAtPath(scope.data, node.path));
  if (raw === null) return null;
  const title = node.title || node.path.split(".").pop() || "";
  const field = (text: string, href: string | null = null, flag: boolean | null = null): RenderNode => ({
    kind: "field",
    type: node.type,
    title,
    text: clip(text),
    href,
    flag,
  });
  const asText = () => field(String(raw));
  switch (node.type) {
    case "boolean": {
      const truthy = raw === true || raw === 1 || (typeof raw === "string" && /^(true|yes|1)$/i.test(raw.trim()));
      const falsy = raw === false || raw === 0 || (typeof raw === "string" && /^(false|no|0)$/i.test(raw.trim()));
      return truthy ? field("Yes", null, true) : falsy ? field("No", null, false) : asText();
    }
    case "date":
    case "age": {
      if (typeof raw === "boolean") return asText();
      const instant = parseInstant(raw);
      if (!instant) return asText();
      if (node.type === "age") {
        const years = Math.floor((options.now.getTime() - Date.parse(instant.iso)) / (365.2425 * 24 * 3600_000));
        return years >= 0 ? field(years === 1 ? "1 year" : `${years} years`) : asText();
      }
      return field(instant.dateOnly ? options.formatDate(instant.iso) : options.formatDateTime(instant.iso));
    }
    case "url": {
      const href = safeLink(String(raw));
      return href && !href.startsWith("mailto:") ? field(String(raw), href) : asText();
    }
    case "email": {
      const text = String(raw).trim();
      return field(text, EMAIL.test(text) ? safeLink(`mailto:${text}`) : null);
    }
    case "number":
    case "price":
    case "percent":
    case "rating": {
      const number = parseDecimal(raw);
      if (number === null) return asText();
      if (node.type === "price") return field(formatPrice(number, scope.currency));
      if (node.type === "percent") return field(`${formatNumber(number)}%`);
      if (node.type === "rating") return field(`${formatNumber(number)} / 5`);
      return field(formatNumber(number));
    }
    default:
      return asText();
  }
}

function sortItems(items: unknown[], orderBy: { field: string; descending: boolean } | null): unknown[] {
  if (!orderBy) return items;
  const key = (item: unknown) => {
    const value = presentScalar(valueAtPath(item, orderBy.field));
    if (value === null || typeof value === "boolean") return null;
    if (typeof value === "number") return value;
    const instant = parseInstant(value);
    if (instant) return Date.parse(instant.iso);
    return parseDecimal(value) ?? value.toLowerCase();
  };
  const keyed = items.map((item, index) => ({ item, index, key: key(item) }));
  keyed.sort((a, b) => {
    // Items without the field go last either way.
    if (a.key === null || b.key === null) return a.key === b.key ? a.index - b.index : a.key === null ? 1 : -1;
    const compared =
      typeof a.key === "number" && typeof b.key === "number"
        ? a.key - b.key
        : String(a.key).localeCompare(String(b.key));
    return (orderBy.descending ? -compared : compared) || a.index - b.index;
  });
  return keyed.map(({ item }) => item);
}

interface Walk {
  options: ResolveOptions;
  /** Every button's filled action by ref, for the server. */
  actions: Map<string, ResolvedAction>;
}

function fillAction(button: CustomButton, ref: string, scope: Scope): ResolvedAction {
  const filled = (text: string) => fill(text, scope.values);
  const fields = (list: ActionField[]) =>
    list.map((field) => ({ ...field, value: filled(field.value), label: filled(field.label) || field.key }));
  return {
    label: filled(button.label) || button.label,
    ref,
    method: button.action.method,
    url: fillUrl(button.action.url, scope.values),
    headers: fields(button.action.headers),
    params: fields(button.action.params),
    body: { contentType: button.action.body.contentType, fields: fields(button.action.body.fields) },
  };
}

/** The browser's view of a button: editable fields only, named by section and index. */
export function buttonView(action: ResolvedAction): ButtonView {
  const fields: ButtonView["fields"] = [];
  for (const section of ACTION_FIELD_SECTIONS) {
    const list = section === "body" ? action.body.fields : action[section];
    list.forEach((field, index) => {
      if (field.editable)
        fields.push({
          name: `${section}.${index}`,
          label: field.label,
          value: field.value,
          mandatory: field.mandatory,
        });
    });
  }
  return { label: action.label, ref: action.ref, fields };
}

/** FNV-1a, 32 bits: a short fingerprint, not a secret. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

/**
 * A list item's part of a button's ref. The response may be fetched again between the page
 * loading and the click (a reply triggers the integration), and a new return may then come first:
 * an item is named by its id, or else by its place and content, so a click never runs the action
 * of another item; a changed item is "no longer in the widget" instead.
 */
function itemKey(item: unknown, index: number): string {
  const id = isRecord(item) ? presentScalar(item.id) : null;
  if (id !== null && typeof id !== "boolean") return `[id:${encodeURIComponent(String(id))}]`;
  let content: string;
  try {
    content = JSON.stringify(item) ?? "";
  } catch {
    content = "";
  }
  return `[${index}:${fingerprint(content)}]`;
}

function resolveNodes(nodes: TemplateNode[], scope: Scope, ref: string, walk: Walk, depth: number): RenderNode[] {
  return nodes.flatMap((node, index) => resolveNode(node, scope, `${ref}.${index}`, walk, depth) ?? []);
}

function resolveGroup(
  node: Extract<TemplateNode, { kind: "group" }>,
  data: unknown,
  parent: Scope,
  ref: string,
  walk: Walk,
  depth: number,
): RenderNode | null {
  const scope = scopeOf(data, parent);
  const children = resolveNodes(node.children, scope, ref, walk, depth + 1);
  if (children.length === 0) return null; // a card with no data is left out, links and all
  const title = fill(node.title, scope.values);
  const link = node.link ? fillStrict(node.link, scope.values) : null;
  const links = node.links.flatMap((custom) => {
    const url = fillStrict(custom.url, scope.values);
    const href = url ? safeLink(url) : null;
    const label = fill(custom.label, scope.values).trim();
    return href && label ? [{ label, url: href }] : [];
  });
  const buttons = node.buttons.map((button, index) => {
    const action = fillAction(button, `${ref}#${index}`, scope);
    walk.actions.set(action.ref, action);
    return buttonView(action);
  });
  return {
    kind: "card",
    title: title.trim() || null,
    link: link ? safeLink(link) : null,
    displayCard: node.displayCard,
    links,
    buttons,
    children,
  };
}

function resolveNode(node: TemplateNode, parent: Scope, ref: string, walk: Walk, depth: number): RenderNode | null {
  if (depth > MAX_DEPTH) return null;
  if (node.kind === "leaf") return resolveLeaf(node, parent, walk.options);
  const data = valueAtPath(parent.data, node.path);
  if (data === undefined || data === null) return null;
  if (node.kind === "group") {
    // A card pointed at an array (the reference's way to show Loop's `data`) is one card per item.
    if (Array.isArray(data)) {
      const items = data
        .slice(0, MAX_ITEMS_PER_LIST)
        .flatMap((item, index) => resolveGroup(node, item, parent, `${ref}${itemKey(item, index)}`, walk, depth) ?? []);
      return items.length ? { kind: "list", title: null, items } : null;
    }
    return isRecord(data) ? resolveGroup(node, data, parent, ref, walk, depth) : null;
  }
  // A list: its first child is the template of each item (the anchor's editor writes one).
  const items = Array.isArray(data) ? data : isRecord(data) ? [data] : [];
  const limit = Math.min(node.limit ?? MAX_ITEMS_PER_LIST, MAX_ITEMS_PER_LIST);
  const shown = sortItems(items, node.orderBy).slice(0, limit);
  const rendered = shown.flatMap((item) => {
    const index = items.indexOf(item);
    const scope = scopeOf(item, parent);
    return resolveNodes(node.children, scope, `${ref}${itemKey(item, index)}`, walk, depth + 1);
  });
  if (rendered.length === 0) return null;
  const title = fill(node.title, parent.values).trim();
  return { kind: "list", title: title || null, items: rendered };
}

export interface ResolvedWidget {
  /** Null: nothing to show (no data, or no template). */
  tree: RenderNode | null;
  /** The custom actions of the tree, filled, by ref (server side only: they carry fixed values). */
  actions: Map<string, ResolvedAction>;
}

/** A template over a stored response: the tree the sidebar shows, and the actions it offers. */
export function resolveWidget(root: TemplateNode | null, data: unknown, options: ResolveOptions): ResolvedWidget {
  const walk: Walk = { options, actions: new Map() };
  if (!root || data === undefined || data === null) return { tree: null, actions: walk.actions };
  const tree = resolveNode(root, scopeOf(data, null), "0", walk, 0);
  return { tree, actions: walk.actions };
}

// ---- Running a custom action -------------------------------------------------------------------

export interface ActionRequest {
  method: CustomAction["method"];
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export type ActionRequestResult = { ok: true; request: ActionRequest } | { ok: false; errors: Record<string, string> };

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The HTTP request of an action from the agent's values (editable fields only; others keep the
 * template's value whatever the browser sent). Mandatory fields left empty are errors.
 */
export function buildActionRequest(
  action: ResolvedAction,
  submitted: Readonly<Record<string, string>>,
): ActionRequestResult {
  const errors: Record<string, string> = {};
  const valueOf = (section: ActionFieldSection, index: number, field: ActionField) => {
    const name = `${section}.${index}`;
    const value = field.editable && Object.hasOwn(submitted, name) ? submitted[name]! : field.value;
    if (field.mandatory && !value.trim()) errors[name] = `Fill in ${field.label}.`;
    return value;
  };
  const url = safeLink(action.url);
  if (!url || url.startsWith("mailto:")) errors.url = "This action's address is not a web address (http or https).";
  const headers: Record<string, string> = {};
  action.headers.forEach((field, index) => {
    const value = valueOf("headers", index, field);
    if (!HEADER_NAME.test(field.key) || /[\r\n]/.test(value))
      errors[`headers.${index}`] = `${field.label} cannot be sent.`;
    else if (value) headers[field.key] = value;
  });
  const query = action.params.map((field, index) => [field.key, valueOf("params", index, field)] as const);
  const bodyEntries = action.body.fields.map((field, index) => [field.key, valueOf("body", index, field)] as const);
  if (Object.keys(errors).length > 0 || !url) return { ok: false, errors };
  const target = new URL(url);
  for (const [key, value] of query) if (value) target.searchParams.append(key, value);
  let body: string | undefined;
  if (action.method !== "GET" && bodyEntries.length > 0) {
    if (action.body.contentType === "application/json") body = JSON.stringify(Object.fromEntries(bodyEntries));
    else body = new URLSearchParams(bodyEntries.map(([key, value]) => [key, value])).toString();
    headers["Content-Type"] = action.body.contentType;
  }
  return { ok: true, request: { method: action.method, url: target.href, headers, body } };
}
