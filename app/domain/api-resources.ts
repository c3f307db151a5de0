import { z } from "zod";

// The REST API's integration and widget objects, without I/O: what a request may send (zod) and
// how a stored row is answered, shaped like the anchor's objects (seed 002 and
// docs/api.md) so integrations written for the anchor port without changes.

/** The anchor's datetime format: ISO-8601 with an explicit +00:00 offset. */
export const apiDatetime = (date: Date | null | undefined) => (date ? date.toISOString().replace("Z", "+00:00") : null);

// ---- Cursor pagination ---------------------------------------------------------------------------

export const LIST_LIMIT_DEFAULT = 30;
export const LIST_LIMIT_MAX = 100;

/** An opaque cursor: the last id of the page before, base64url, so clients do not build their own. */
export const encodeCursor = (id: number) => Buffer.from(`id:${id}`, "utf8").toString("base64url");
export function decodeCursor(cursor: string): number | null {
  const match = /^id:([1-9][0-9]{0,9})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return match ? Number(match[1]) : null;
}

/** A cursor's id above this is one the API never gave out (integer ids: and Prisma would refuse it). */
const MAX_INT_ID = 2_147_483_647;

const cursorFor = (maxId: number) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === "") return null;
      const id = decodeCursor(value);
      if (id === null || id > maxId) {
        context.addIssue({ code: "custom", message: "This cursor is not one the API gave out." });
      }
      return id;
    });

/** A list over integer ids (integrations, widgets, tickets by number). */
export const ListQuerySchema = z.object({
  cursor: cursorFor(MAX_INT_ID),
  limit: z.coerce
    .number("limit must be a whole number")
    .int("limit must be a whole number")
    .min(1, "limit must be at least 1")
    .max(LIST_LIMIT_MAX, `limit must be at most ${LIST_LIMIT_MAX}`)
    .default(LIST_LIMIT_DEFAULT),
  order_by: z
    .enum(
      ["created_datetime:desc", "created_datetime:asc"],
      "order_by must be created_datetime:desc or created_datetime:asc",
    )
    .default("created_datetime:desc"),
});
export type ListQuery = z.infer<typeof ListQuerySchema>;

/** A list over bigint ids (events, messages by sequence): any cursor id the API can give out. */
export const BigIdListQuerySchema = ListQuerySchema.extend({ cursor: cursorFor(Number.MAX_SAFE_INTEGER) });

/** The list envelope: a page of objects and the cursor of the next page (null on the last). */
export function listEnvelope<T>(uri: string, items: T[], nextId: number | null) {
  return {
    object: "list" as const,
    uri,
    data: items,
    meta: { prev_cursor: null, next_cursor: nextId === null ? null : encodeCursor(nextId) },
  };
}

// ---- Integrations --------------------------------------------------------------------------------

export const INTEGRATION_TRIGGERS = [
  "ticket-created",
  "ticket-updated",
  "ticket-message-created",
  "ticket-self-unsnoozed",
  "ticket-message-failed",
] as const;
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export const CONTENT_TYPES = ["application/json", "application/x-www-form-urlencoded"] as const;

/** A URL that is http(s) once its `{{ variables }}` are filled in. */
const templatedUrl = z
  .string("url must be a string")
  .trim()
  .min(1, "url is required")
  .max(2048, "url must be at most 2048 characters")
  .refine((value) => {
    try {
      const url = new URL(value.replace(/\{\{[^{}]*\}\}/g, "x"));
      return url.protocol === "http:" || url.protocol === "https:";
    } catch {
      return false;
    }
  }, "url must be an http or https URL (variables such as {{ticket.customer.email}} are allowed)")
  // The host is fixed: a variable there would let a customer's name or email choose which server
  // receives the signed call and the integration's headers (its secrets).
  .refine(
    (value) => !(/^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(value)?.[1] ?? "").includes("{{"),
    "url's host cannot hold a variable: put variables in the path or the query",
  );

const HeaderName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const httpFields = {
  url: templatedUrl,
  method: z.enum(HTTP_METHODS, `method must be one of ${HTTP_METHODS.join(", ")}`),
  headers: z
    .record(
      z.string().regex(HeaderName, "header names are letters, digits and -"),
      z.string("header values must be strings").max(4096, "header values must be at most 4096 characters"),
    )
    .refine((headers) => Object.keys(headers).length <= 50, "at most 50 headers"),
  form: z.record(z.string(), z.unknown()).nullable(),
  triggers: z.partialRecord(
    z.enum(INTEGRATION_TRIGGERS, `triggers are ${INTEGRATION_TRIGGERS.join(", ")}`),
    z.boolean("triggers are true or false"),
  ),
  request_content_type: z.enum(CONTENT_TYPES, `request_content_type must be one of ${CONTENT_TYPES.join(", ")}`),
  response_content_type: z.literal("application/json", "response_content_type must be application/json"),
  execution_order: z.number().int("execution_order must be a whole number").min(0).max(1000),
};

/** `http` on create: what is left out takes the anchor's defaults. */
export const IntegrationHttpSchema = z.object({
  url: httpFields.url,
  method: httpFields.method.default("GET"),
  headers: httpFields.headers.default({}),
  form: httpFields.form.default(null),
  triggers: httpFields.triggers.default({}),
  request_content_type: httpFields.request_content_type.default("application/json"),
  response_content_type: httpFields.response_content_type.default("application/json"),
  execution_order: httpFields.execution_order.default(99),
});

/** `http` on update: only what is sent changes (no defaults, or a PUT would reset what it leaves out). */
const IntegrationHttpUpdateSchema = z.object(httpFields).partial();
export type IntegrationHttp = z.infer<typeof IntegrationHttpSchema>;

const name = z
  .string("name must be a string")
  .trim()
  .min(1, "name is required")
  .max(255, "name must be at most 255 characters");
const description = z
  .string("description must be a string")
  .max(5000, "description must be at most 5000 characters")
  .nullable();

export const IntegrationCreateSchema = z.object({
  name,
  description: description.default(null),
  // Only custom HTTP integrations are made through the API; native ones come from their own setup.
  type: z.literal("http", "type must be http"),
  http: IntegrationHttpSchema,
  deactivated_datetime: z.iso
    .datetime({ offset: true, message: "deactivated_datetime must be an ISO-8601 datetime" })
    .nullable()
    .default(null),
});
export type IntegrationCreate = z.infer<typeof IntegrationCreateSchema>;

export const IntegrationUpdateSchema = z.object({
  name: name.optional(),
  description: description.optional(),
  type: z.literal("http", "type must be http").optional(),
  http: IntegrationHttpUpdateSchema.optional(),
  deactivated_datetime: z.iso
    .datetime({ offset: true, message: "deactivated_datetime must be an ISO-8601 datetime" })
    .nullable()
    .optional(),
});
export type IntegrationUpdate = z.infer<typeof IntegrationUpdateSchema>;

/** What the database keeps of `http` beside the (encrypted) headers. */
export type StoredHttp = Omit<IntegrationHttp, "headers">;
export const StoredHttpSchema = z.object(httpFields).omit({ headers: true });

export interface IntegrationRecord {
  id: number;
  type: string;
  name: string;
  description: string | null;
  http: StoredHttp | null;
  headers: Record<string, string>;
  createdByKeyId: string | null;
  createdAt: Date;
  updatedAt: Date;
  deactivatedAt: Date | null;
}

export const integrationUri = (id: number) => `/api/integrations/${id}/`;

/** The anchor's Integration object for a stored integration. */
export function integrationObject(row: IntegrationRecord) {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    description: row.description,
    http: row.http && {
      id: row.id,
      url: row.http.url,
      method: row.http.method,
      headers: row.headers,
      form: row.http.form,
      triggers: row.http.triggers,
      request_content_type: row.http.request_content_type,
      response_content_type: row.http.response_content_type,
      execution_order: row.http.execution_order,
    },
    created_datetime: apiDatetime(row.createdAt),
    updated_datetime: apiDatetime(row.updatedAt),
    deactivated_datetime: apiDatetime(row.deactivatedAt),
    deleted_datetime: null,
    locked_datetime: null,
    decoration: null,
    mappings: [],
    meta: {},
    user: row.createdByKeyId ? { id: row.createdByKeyId } : null,
    uri: integrationUri(row.id),
  };
}

// ---- Widgets ---------------------------------------------------------------------------------------

export const WIDGET_TYPES = [
  "http",
  "shopify",
  "custom",
  "customer_external_data",
  "standalone",
  "bigcommerce",
  "magento2",
  "recharge",
  "smile",
  "yotpo",
  "klaviyo",
  "stripe",
  "woocommerce",
] as const;

/** How deep a template may nest and how many nodes it may have: a sidebar, not a document. */
export const TEMPLATE_MAX_DEPTH = 16;
export const TEMPLATE_MAX_NODES = 2000;

export interface TemplateNode {
  type: string;
  title?: string;
  path?: string;
  order?: number;
  meta?: Record<string, unknown>;
  widgets?: TemplateNode[];
  [key: string]: unknown;
}

const TemplateNodeSchema: z.ZodType<TemplateNode> = z.lazy(() =>
  z.looseObject({
    type: z.string("type must be a string").min(1, "type is required").max(64),
    title: z.string("title must be a string").max(1000).optional(),
    path: z.string("path must be a string").max(1000).optional(),
    order: z.number("order must be a number").int("order must be a whole number").optional(),
    meta: z.record(z.string(), z.unknown(), "meta must be an object").optional(),
    widgets: z.array(TemplateNodeSchema, "widgets must be a list").optional(),
  }),
);

function templateSize(node: TemplateNode, depth = 1): { depth: number; nodes: number } {
  let deepest = depth;
  let nodes = 1;
  for (const child of node.widgets ?? []) {
    const size = templateSize(child, depth + 1);
    deepest = Math.max(deepest, size.depth);
    nodes += size.nodes;
  }
  return { depth: deepest, nodes };
}

export const WidgetTemplateSchema = TemplateNodeSchema.superRefine((node, context) => {
  const size = templateSize(node);
  if (size.depth > TEMPLATE_MAX_DEPTH)
    context.addIssue({ code: "custom", message: `template nests deeper than ${TEMPLATE_MAX_DEPTH} levels` });
  if (size.nodes > TEMPLATE_MAX_NODES)
    context.addIssue({ code: "custom", message: `template has more than ${TEMPLATE_MAX_NODES} widgets` });
});

/** `user` is the anchor's deprecated name of `customer`. */
const widgetContext = z
  .enum(["ticket", "customer", "user"], "context must be ticket or customer")
  .transform((value) => (value === "user" ? "customer" : value));

const integrationId = z
  .number("integration_id must be a number")
  .int("integration_id must be a whole number")
  .positive("integration_id must be positive")
  .max(2_147_483_647, "integration_id must be at most 2147483647")
  .nullable();

export const WidgetCreateSchema = z.object({
  type: z.enum(WIDGET_TYPES, `type must be one of ${WIDGET_TYPES.join(", ")}`),
  template: WidgetTemplateSchema,
  context: widgetContext.default("ticket"),
  integration_id: integrationId.default(null),
  app_id: z.string("app_id must be a string").max(255).nullable().default(null),
  order: z
    .number("order must be a number")
    .int("order must be a whole number")
    .min(0, "order must be 0 or more")
    .max(2_147_483_647, "order must be at most 2147483647")
    .default(0),
  deactivated_datetime: z.iso
    .datetime({ offset: true, message: "deactivated_datetime must be an ISO-8601 datetime" })
    .nullable()
    .default(null),
});
export type WidgetCreate = z.infer<typeof WidgetCreateSchema>;

export const WidgetUpdateSchema = z.object({
  type: z.enum(WIDGET_TYPES, `type must be one of ${WIDGET_TYPES.join(", ")}`).optional(),
  template: WidgetTemplateSchema.optional(),
  context: widgetContext.optional(),
  integration_id: integrationId.optional(),
  app_id: z.string("app_id must be a string").max(255).nullable().optional(),
  order: z
    .number("order must be a number")
    .int("order must be a whole number")
    .min(0, "order must be 0 or more")
    .max(2_147_483_647, "order must be at most 2147483647")
    .optional(),
  deactivated_datetime: z.iso
    .datetime({ offset: true, message: "deactivated_datetime must be an ISO-8601 datetime" })
    .nullable()
    .optional(),
});
export type WidgetUpdate = z.infer<typeof WidgetUpdateSchema>;

export interface WidgetRecord {
  id: number;
  context: string;
  type: string;
  integrationId: number | null;
  appId: string | null;
  order: number;
  template: unknown;
  createdAt: Date;
  updatedAt: Date;
  deactivatedAt: Date | null;
}

export const widgetUri = (id: number) => `/api/widgets/${id}/`;

/** The anchor's Widget object for a stored widget. */
export function widgetObject(row: WidgetRecord) {
  return {
    id: row.id,
    context: row.context,
    type: row.type,
    integration_id: row.integrationId,
    app_id: row.appId,
    order: row.order,
    template: row.template,
    created_datetime: apiDatetime(row.createdAt),
    updated_datetime: apiDatetime(row.updatedAt),
    deactivated_datetime: apiDatetime(row.deactivatedAt),
    uri: widgetUri(row.id),
  };
}
