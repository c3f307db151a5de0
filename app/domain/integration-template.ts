import { renderTemplate, splitName, type MacroValues, type TemplateVariables } from "./macro-template";

// What an HTTP integration's request looks like for one ticket: its `{{ variables }}` (the same
// template engine as macros, with the anchor's variable names) filled in the URL, headers and
// body. Pure: the delivery job gathers the facts and sends what this returns.
//
// - In the URL a value is URL-encoded ("a+b@x.com" → "a%2Bb%40x.com"), so a value cannot add a
//   query parameter or change the path; in headers and the body it is the value as is.
// - The body (`http.form`) is sent for POST, PUT and PATCH only: JSON with every string inside
//   rendered, or form-encoded (one field per key, objects as JSON text).

export interface IntegrationFacts {
  ticket: {
    /** The number agents see: the anchor's `ticket.id`. */
    number: number;
    subject: string;
    status: string;
    channel: string;
    priority: string;
    tags: readonly string[];
  } | null;
  customer: {
    id: string;
    name: string | null;
    firstName: string | null;
    lastName: string | null;
    email: string | null;
    phone: string | null;
  } | null;
  /** The ticket's most recently linked order. */
  order: { name: string } | null;
  assignee: { name: string; email: string } | null;
}

export interface IntegrationVariable {
  path: string;
  label: string;
}

/** Every variable an integration's URL, headers and body can use. */
export const INTEGRATION_VARIABLES: readonly IntegrationVariable[] = [
  { path: "ticket.id", label: "Ticket number" },
  { path: "ticket.number", label: "Ticket number" },
  { path: "ticket.subject", label: "Ticket subject" },
  { path: "ticket.status", label: "Ticket status (open, snoozed, closed)" },
  { path: "ticket.channel", label: "Channel (email, chat, sms, portal_request, contact_form, api)" },
  { path: "ticket.priority", label: "Priority (low, normal, high, urgent)" },
  { path: "ticket.tags", label: "Tags, comma-separated" },
  { path: "ticket.customer.id", label: "Customer's id" },
  { path: "ticket.customer.email", label: "Customer's email" },
  { path: "ticket.customer.name", label: "Customer's full name" },
  { path: "ticket.customer.firstname", label: "Customer's first name" },
  { path: "ticket.customer.lastname", label: "Customer's last name" },
  { path: "ticket.customer.phone", label: "Customer's phone" },
  { path: "ticket.order.name", label: "Latest linked order's number" },
  { path: "ticket.assignee_user.name", label: "Assigned agent's name" },
  { path: "ticket.assignee_user.email", label: "Assigned agent's email" },
];

export const INTEGRATION_VARIABLE_PATHS: TemplateVariables = new Set(INTEGRATION_VARIABLES.map(({ path }) => path));

/** Each variable's value (raw text) for these facts; missing ones are "". */
export function integrationTemplateValues(facts: IntegrationFacts): MacroValues {
  const { ticket, customer, order, assignee } = facts;
  const [splitFirst, splitLast] = splitName(customer?.name);
  const entries: [string, string | null | undefined][] = [
    ["ticket.id", ticket ? String(ticket.number) : null],
    ["ticket.number", ticket ? String(ticket.number) : null],
    ["ticket.subject", ticket?.subject],
    ["ticket.status", ticket?.status],
    ["ticket.channel", ticket?.channel],
    ["ticket.priority", ticket?.priority],
    ["ticket.tags", ticket?.tags.join(",")],
    ["ticket.customer.id", customer?.id],
    ["ticket.customer.email", customer?.email],
    ["ticket.customer.name", customer?.name],
    ["ticket.customer.firstname", customer ? customer.firstName || splitFirst : null],
    ["ticket.customer.lastname", customer ? customer.lastName || (customer.firstName ? "" : splitLast) : null],
    ["ticket.customer.phone", customer?.phone],
    ["ticket.order.name", order?.name],
    ["ticket.assignee_user.name", assignee?.name],
    ["ticket.assignee_user.email", assignee?.email],
  ];
  return new Map(entries.map(([path, value]) => [path, value ?? ""]));
}

/** Renders a text with integration variables (header values, body strings): values as they are. */
export const renderIntegrationText = (template: string, values: MacroValues) =>
  renderTemplate(template, values, INTEGRATION_VARIABLE_PATHS);

/** Renders a URL template: every value URL-encoded so it stays inside the part it was put in. */
export function renderIntegrationUrl(template: string, values: MacroValues): string {
  const encoded = new Map([...values].map(([path, value]) => [path, value ? encodeURIComponent(value) : ""]));
  return renderTemplate(template, encoded, INTEGRATION_VARIABLE_PATHS);
}

/** Every string inside a JSON value rendered (keys too), the shape kept. */
function renderJson(value: unknown, values: MacroValues): unknown {
  if (typeof value === "string") return renderIntegrationText(value, values);
  if (Array.isArray(value)) return value.map((item) => renderJson(item, values));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [renderIntegrationText(key, values), renderJson(item, values)]),
    );
  }
  return value;
}

export interface IntegrationRequestTemplate {
  url: string;
  method: string;
  form: Record<string, unknown> | null;
  request_content_type: string;
}

export interface RenderedIntegrationRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH"]);

/** The request an integration sends for these values: URL, headers (decrypted ones in) and body. */
export function renderIntegrationRequest(
  http: IntegrationRequestTemplate,
  headers: Record<string, string>,
  values: MacroValues,
): RenderedIntegrationRequest {
  const method = http.method.toUpperCase();
  const rendered: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    // A value cannot add a header line: CR and LF are dropped (HTTP forbids them anyway).
    rendered[name] = renderIntegrationText(value, values).replace(/[\r\n]+/g, " ");
  }
  let body: string | undefined;
  if (METHODS_WITH_BODY.has(method) && http.form) {
    const form = renderJson(http.form, values) as Record<string, unknown>;
    const hasContentType = Object.keys(rendered).some((name) => name.toLowerCase() === "content-type");
    if (http.request_content_type === "application/x-www-form-urlencoded") {
      body = new URLSearchParams(
        Object.entries(form).map(([key, item]) => [key, typeof item === "string" ? item : JSON.stringify(item)]),
      ).toString();
      if (!hasContentType) rendered["content-type"] = "application/x-www-form-urlencoded";
    } else {
      body = JSON.stringify(form);
      if (!hasContentType) rendered["content-type"] = "application/json";
    }
  }
  return { method, url: renderIntegrationUrl(http.url, values), headers: rendered, body };
}
