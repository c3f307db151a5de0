import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, HTTP_METHODS, INTEGRATION_TRIGGERS, WIDGET_TYPES } from "./api-resources";
import { EVENT_OBJECT_TYPES } from "./api-events";
import { TICKET_PRIORITIES } from "./ticket-labels";

// The OpenAPI 3.1 description of every /api route, served at /api/openapi.json. A unit test checks
// that each app/routes/api.*.tsx file has its path here, so a new route cannot be left out.

type Schema = Record<string, unknown>;
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const datetime: Schema = { type: ["string", "null"], format: "date-time" };
const nullable = (type: string, extra: Schema = {}): Schema => ({ type: [type, "null"], ...extra });

const json = (schema: Schema) => ({ "application/json": { schema } });
const ok = (description: string, schema: Schema, status = "200") => ({
  [status]: { description, content: json(schema) },
});
const list = (item: string): Schema => ({
  allOf: [ref("List"), { type: "object", properties: { data: { type: "array", items: ref(item) } } }],
});
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), { $ref: `#/components/responses/E${status}` }]));
const body = (schema: Schema) => ({ required: true, content: json(schema) });

const listParameters = [
  { $ref: "#/components/parameters/limit" },
  { $ref: "#/components/parameters/cursor" },
  { $ref: "#/components/parameters/order_by" },
];
const query = (name: string, description: string, schema: Schema = { type: "string" }) => ({
  name,
  in: "query",
  description,
  schema,
});
const pathId = (name: string, description: string, schema: Schema) => ({
  name,
  in: "path",
  required: true,
  description,
  schema,
});
const integer: Schema = { type: "integer", minimum: 1 };
const uuid: Schema = { type: "string", format: "uuid" };

const IntegrationHttp: Schema = {
  type: "object",
  properties: {
    url: { type: "string", description: "http(s) URL; may hold {{ticket.customer.email}}-style variables" },
    method: { enum: [...HTTP_METHODS] },
    headers: { type: "object", additionalProperties: { type: "string" } },
    form: nullable("object"),
    triggers: {
      type: "object",
      propertyNames: { enum: [...INTEGRATION_TRIGGERS] },
      additionalProperties: { type: "boolean" },
    },
    request_content_type: { enum: ["application/json", "application/x-www-form-urlencoded"] },
    response_content_type: { const: "application/json" },
    execution_order: { type: "integer", minimum: 0, maximum: 1000 },
  },
};

const schemas: Record<string, Schema> = {
  Error: {
    type: "object",
    required: ["error"],
    properties: {
      error: {
        type: "object",
        required: ["msg"],
        properties: {
          msg: { type: "string" },
          data: {
            type: "object",
            description: "Messages per field, keyed by the field's dotted path (http.url)",
            additionalProperties: { type: "array", items: { type: "string" } },
          },
        },
      },
    },
  },
  List: {
    type: "object",
    required: ["object", "uri", "data", "meta"],
    properties: {
      object: { const: "list" },
      uri: { type: "string" },
      data: { type: "array" },
      meta: {
        type: "object",
        properties: { prev_cursor: { type: "null" }, next_cursor: nullable("string") },
      },
    },
  },
  Integration: {
    type: "object",
    properties: {
      id: { type: "integer" },
      type: { const: "http" },
      name: { type: "string" },
      description: nullable("string"),
      http: { oneOf: [{ type: "null" }, { allOf: [IntegrationHttp, { properties: { id: { type: "integer" } } }] }] },
      created_datetime: datetime,
      updated_datetime: datetime,
      deactivated_datetime: datetime,
      deleted_datetime: { type: "null" },
      locked_datetime: { type: "null" },
      decoration: { type: "null" },
      mappings: { type: "array" },
      meta: { type: "object" },
      user: { oneOf: [{ type: "null" }, { type: "object", properties: { id: { type: "string" } } }] },
      uri: { type: "string" },
    },
  },
  IntegrationCreate: {
    type: "object",
    required: ["name", "type", "http"],
    properties: {
      name: { type: "string", maxLength: 255 },
      description: nullable("string"),
      type: { const: "http" },
      http: { allOf: [IntegrationHttp, { required: ["url"] }] },
      deactivated_datetime: datetime,
    },
  },
  WidgetTemplate: {
    type: "object",
    required: ["type"],
    properties: {
      type: { type: "string" },
      title: { type: "string" },
      path: { type: "string" },
      order: { type: "integer" },
      meta: { type: "object" },
      widgets: { type: "array", items: { $ref: "#/components/schemas/WidgetTemplate" } },
    },
  },
  Widget: {
    type: "object",
    properties: {
      id: { type: "integer" },
      context: { enum: ["ticket", "customer"] },
      type: { enum: [...WIDGET_TYPES] },
      integration_id: nullable("integer"),
      app_id: nullable("string"),
      order: { type: "integer", minimum: 0 },
      template: ref("WidgetTemplate"),
      created_datetime: datetime,
      updated_datetime: datetime,
      deactivated_datetime: datetime,
      uri: { type: "string" },
    },
  },
  WidgetCreate: {
    type: "object",
    required: ["type", "template"],
    properties: {
      type: { enum: [...WIDGET_TYPES] },
      template: ref("WidgetTemplate"),
      context: { enum: ["ticket", "customer", "user"], default: "ticket" },
      integration_id: nullable("integer"),
      app_id: nullable("string"),
      order: { type: "integer", minimum: 0 },
      deactivated_datetime: datetime,
    },
  },
  Person: {
    type: ["object", "null"],
    properties: { id: nullable("string"), email: nullable("string"), name: nullable("string") },
  },
  Ticket: {
    type: "object",
    properties: {
      id: { type: "integer", description: "The ticket's number in the workspace" },
      uri: { type: "string" },
      channel: { type: "string" },
      status: { enum: ["open", "closed"] },
      priority: { enum: [...TICKET_PRIORITIES] },
      subject: { type: "string" },
      customer: ref("Person"),
      assignee_user: ref("Person"),
      tags: { type: "array", items: { type: "object", properties: { name: { type: "string" } } } },
      messages_count: { type: "integer" },
      created_datetime: datetime,
      updated_datetime: datetime,
      last_message_datetime: datetime,
      last_received_message_datetime: datetime,
      closed_datetime: datetime,
      snooze_datetime: datetime,
    },
  },
  TicketCreate: {
    type: "object",
    required: ["customer", "messages"],
    properties: {
      customer: {
        type: "object",
        required: ["email"],
        properties: {
          email: { type: "string", format: "email" },
          name: { type: "string" },
          firstname: { type: "string" },
          lastname: { type: "string" },
        },
      },
      subject: nullable("string", { maxLength: 200 }),
      priority: { enum: [...TICKET_PRIORITIES] },
      tags: { type: "array", items: { type: "object", properties: { name: { type: "string" } } } },
      messages: {
        type: "array",
        minItems: 1,
        maxItems: 1,
        items: {
          type: "object",
          required: ["body_text"],
          properties: { body_text: { type: "string" }, from_agent: { const: false } },
        },
      },
    },
  },
  TicketUpdate: {
    type: "object",
    properties: {
      status: { enum: ["open", "closed"] },
      snooze_datetime: datetime,
      priority: { enum: [...TICKET_PRIORITIES] },
      tags: { type: "array", items: { type: "object", properties: { name: { type: "string" } } } },
      subject: { type: "string", minLength: 1, maxLength: 200 },
      assignee_user: {
        type: ["object", "null"],
        description: "An agent of the workspace by email (or id); null unassigns",
        properties: { email: { type: "string" }, id: { type: "string" } },
      },
    },
  },
  Message: {
    type: "object",
    properties: {
      id: { type: "string" },
      uri: { type: "string" },
      ticket_id: { type: "integer" },
      channel: { type: "string" },
      from_agent: { type: "boolean" },
      public: { type: "boolean", description: "false for an internal note" },
      sender: ref("Person"),
      receiver_addresses: { type: "array", items: { type: "string" } },
      body_text: { type: "string" },
      attachments: {
        type: "array",
        items: {
          type: "object",
          properties: {
            id: { type: "string" },
            name: { type: "string" },
            content_type: { type: "string" },
            size: { type: "integer" },
          },
        },
      },
      created_datetime: datetime,
    },
  },
  MessageCreate: {
    type: "object",
    required: ["body_text"],
    properties: {
      body_text: { type: "string" },
      from_agent: { type: "boolean", default: false },
      public: { type: "boolean", default: true },
      channel: { type: "string", description: "internal-note makes an agent's message a note" },
      sender: {
        type: "object",
        description: "Required when from_agent: the agent of the workspace who writes it",
        properties: { email: { type: "string" }, id: { type: "string" } },
      },
    },
  },
  Customer: {
    type: "object",
    properties: {
      id: uuid,
      email: nullable("string"),
      name: nullable("string"),
      firstname: { type: "string" },
      lastname: { type: "string" },
      channels: {
        type: "array",
        items: {
          type: "object",
          properties: {
            type: { enum: ["email", "phone"] },
            address: { type: "string" },
            preferred: { type: "boolean" },
          },
        },
      },
      note: nullable("string"),
      integrations: {
        type: "object",
        description: "Each HTTP integration's last answer for the customer, keyed by integration id",
        additionalProperties: true,
      },
      created_datetime: datetime,
      updated_datetime: datetime,
      uri: { type: "string" },
    },
  },
  CustomerCreate: {
    type: "object",
    required: ["email"],
    properties: {
      email: { type: "string", format: "email" },
      name: nullable("string", { maxLength: 200 }),
      firstname: { type: "string" },
      lastname: { type: "string" },
    },
  },
  CustomerUpdate: {
    type: "object",
    properties: {
      email: { type: "string", format: "email", description: "Becomes the primary address" },
      name: nullable("string", { maxLength: 200 }),
      firstname: { type: "string" },
      lastname: { type: "string" },
    },
  },
  Event: {
    type: "object",
    properties: {
      id: { type: "integer" },
      type: { type: "string", examples: ["ticket-created", "ticket-updated", "ticket-message-created"] },
      object_type: { enum: [...EVENT_OBJECT_TYPES] },
      object_id: { type: ["integer", "string"], description: "A ticket's number, or a message's id" },
      data: { type: ["object", "null"] },
      context: {
        type: ["object", "null"],
        properties: { ticket_id: { type: "integer" }, ticket_uri: { type: "string" } },
      },
      created_datetime: datetime,
      uri: { type: "string" },
    },
  },
};

// Updates take the same fields as creates, none required (only what is sent changes).
for (const name of ["Integration", "Widget"]) {
  schemas[`${name}Update`] = { type: "object", properties: schemas[`${name}Create`]!.properties };
}

const ERROR_TEXT: Record<number, string> = {
  400: "The body is not JSON, or a field is invalid (messages per field in error.data)",
  401: "No key, a wrong or revoked key",
  404: "Not one of your workspace's",
  405: "Another method",
  409: "The ticket's state refuses the change",
  413: "A body over 1 MiB",
  429: "Over the key's limit; see Retry-After",
};

const crud = (name: string, idSchema: Schema, idName: string, options: { delete?: boolean } = {}) => ({
  parameters: [pathId(idName, `The ${name.toLowerCase()}'s id`, idSchema)],
  get: { summary: `Read a ${name.toLowerCase()}`, responses: { ...ok(name, ref(name)), ...errors(401, 404, 429) } },
  put: {
    summary: `Change a ${name.toLowerCase()} (only the fields sent)`,
    requestBody: body(ref(`${name}Update`)),
    responses: { ...ok(name, ref(name)), ...errors(400, 401, 404, 413, 429) },
  },
  ...(options.delete
    ? {
        delete: {
          summary: `Delete a ${name.toLowerCase()}`,
          responses: { "204": { description: "Deleted" }, ...errors(401, 404, 429) },
        },
      }
    : {}),
});

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "Shopdesk REST API",
      version: "1.0.0",
      description:
        "Shaped like the anchor helpdesk's REST API. Authenticate with HTTP basic auth: the user name and key " +
        "from Settings → API keys. 80 requests per key per 20 seconds. See docs/api.md.",
    },
    servers: [{ url: "/" }],
    security: [{ basicAuth: [] }],
    paths: {
      "/api/openapi.json": {
        get: {
          summary: "This document",
          security: [],
          responses: { "200": { description: "OpenAPI 3.1", content: json({ type: "object" }) } },
        },
      },
      "/api/integrations": {
        get: {
          summary: "List integrations",
          parameters: listParameters,
          responses: { ...ok("A page", list("Integration")), ...errors(400, 401, 429) },
        },
        post: {
          summary: "Create an HTTP integration",
          requestBody: body(ref("IntegrationCreate")),
          responses: { ...ok("Created", ref("Integration"), "201"), ...errors(400, 401, 413, 429) },
        },
      },
      "/api/integrations/{integrationId}": {
        ...crud("Integration", integer, "integrationId", { delete: true }),
      },
      "/api/widgets": {
        get: {
          summary: "List widgets",
          parameters: [...listParameters, query("integration_id", "Only this integration's", integer)],
          responses: { ...ok("A page", list("Widget")), ...errors(400, 401, 429) },
        },
        post: {
          summary: "Create a widget",
          requestBody: body(ref("WidgetCreate")),
          responses: { ...ok("Created", ref("Widget"), "201"), ...errors(400, 401, 413, 429) },
        },
      },
      "/api/widgets/{widgetId}": { ...crud("Widget", integer, "widgetId", { delete: true }) },
      "/api/tickets": {
        get: {
          summary: "List tickets",
          parameters: [...listParameters, query("customer_id", "Only this customer's", uuid)],
          responses: { ...ok("A page", list("Ticket")), ...errors(400, 401, 429) },
        },
        post: {
          summary: "Open a ticket on the api channel with the customer's first message",
          requestBody: body(ref("TicketCreate")),
          responses: { ...ok("Created", ref("Ticket"), "201"), ...errors(400, 401, 413, 429) },
        },
      },
      "/api/tickets/{ticketId}": {
        ...crud("Ticket", integer, "ticketId"),
        put: {
          summary: "Change status, snooze, priority, tags, assignee or subject (only the fields sent)",
          requestBody: body(ref("TicketUpdate")),
          responses: { ...ok("Ticket", ref("Ticket")), ...errors(400, 401, 404, 409, 413, 429) },
        },
      },
      "/api/tickets/{ticketId}/messages": {
        parameters: [pathId("ticketId", "The ticket's number", integer)],
        get: {
          summary: "List a ticket's messages and internal notes",
          parameters: listParameters,
          responses: { ...ok("A page", list("Message")), ...errors(400, 401, 404, 429) },
        },
        post: {
          summary: "Add the customer's message, an agent's reply (sent by the ticket's channel) or a note",
          requestBody: body(ref("MessageCreate")),
          responses: { ...ok("Created", ref("Message"), "201"), ...errors(400, 401, 404, 409, 413, 429) },
        },
      },
      "/api/customers": {
        get: {
          summary: "List customers",
          parameters: [...listParameters, query("email", "Only the customer with this email", { type: "string" })],
          responses: { ...ok("A page", list("Customer")), ...errors(400, 401, 429) },
        },
        post: {
          summary: "Add a customer (an email a customer has is a 400)",
          requestBody: body(ref("CustomerCreate")),
          responses: { ...ok("Created", ref("Customer"), "201"), ...errors(400, 401, 413, 429) },
        },
      },
      "/api/customers/{customerId}": { ...crud("Customer", uuid, "customerId") },
      "/api/events": {
        get: {
          summary: "The events feed, newest first",
          parameters: [
            ...listParameters,
            query("types", "Comma-separated event types, e.g. ticket-created,ticket-updated"),
            query("object_type", "Ticket or TicketMessage", { enum: [...EVENT_OBJECT_TYPES] }),
            query("object_id", "A ticket's number or a message's id"),
          ],
          responses: { ...ok("A page", list("Event")), ...errors(400, 401, 405, 429) },
        },
      },
      "/api/events/{eventId}": {
        parameters: [pathId("eventId", "The event's id", integer)],
        get: { summary: "Read an event", responses: { ...ok("Event", ref("Event")), ...errors(401, 404, 405, 429) } },
      },
    },
    components: {
      securitySchemes: {
        basicAuth: {
          type: "http",
          scheme: "basic",
          description: "User name and key from Settings → API keys",
        },
      },
      parameters: {
        limit: {
          name: "limit",
          in: "query",
          schema: { type: "integer", minimum: 1, maximum: LIST_LIMIT_MAX, default: LIST_LIMIT_DEFAULT },
        },
        cursor: {
          name: "cursor",
          in: "query",
          description: "A meta.next_cursor from before",
          schema: { type: "string" },
        },
        order_by: {
          name: "order_by",
          in: "query",
          schema: { enum: ["created_datetime:desc", "created_datetime:asc"], default: "created_datetime:desc" },
        },
      },
      responses: Object.fromEntries(
        Object.entries(ERROR_TEXT).map(([status, description]) => [
          `E${status}`,
          { description, content: json(ref("Error")) },
        ]),
      ),
      schemas,
    },
  };
}
