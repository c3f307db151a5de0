import { describe, expect, it } from "vitest";
import {
  apiDatetime,
  decodeCursor,
  encodeCursor,
  IntegrationCreateSchema,
  IntegrationUpdateSchema,
  integrationObject,
  ListQuerySchema,
  TEMPLATE_MAX_DEPTH,
  WidgetCreateSchema,
  type TemplateNode,
} from "./api-resources";

describe("apiDatetime", () => {
  it("writes the anchor's +00:00 offset", () => {
    expect(apiDatetime(new Date("2021-01-19T20:36:21.742Z"))).toBe("2021-01-19T20:36:21.742+00:00");
    expect(apiDatetime(null)).toBeNull();
  });
});

describe("cursors", () => {
  it("round-trip an id and refuse anything else", () => {
    expect(decodeCursor(encodeCursor(123))).toBe(123);
    expect(decodeCursor("bogus")).toBeNull();
    expect(decodeCursor(Buffer.from("id:0").toString("base64url"))).toBeNull();
    expect(ListQuerySchema.safeParse({ cursor: "bogus" }).success).toBe(false);
    expect(ListQuerySchema.parse({})).toEqual({ cursor: null, limit: 30, order_by: "created_datetime:desc" });
  });
});

describe("integration bodies", () => {
  it("take the anchor's defaults and keep {{variables}} in the URL", () => {
    const parsed = IntegrationCreateSchema.parse({
      name: "Loop",
      type: "http",
      http: { url: "https://api.loopreturns.com/r?customer_email={{ticket.customer.email}}" },
    });
    expect(parsed.http).toEqual({
      url: "https://api.loopreturns.com/r?customer_email={{ticket.customer.email}}",
      method: "GET",
      headers: {},
      form: null,
      triggers: {},
      request_content_type: "application/json",
      response_content_type: "application/json",
      execution_order: 99,
    });
    expect(parsed.description).toBeNull();
  });

  it("refuse a URL that is not http(s), even with variables", () => {
    for (const url of ["javascript:alert(1)", "{{ticket.url}}", "file:///etc/passwd"]) {
      expect(IntegrationCreateSchema.safeParse({ name: "x", type: "http", http: { url } }).success, url).toBe(false);
    }
  });

  it("refuse a variable in the URL's host, which would let a customer's data choose who gets the signed call", () => {
    for (const url of [
      "https://{{ticket.customer.name}}/returns",
      "https://api.{{ticket.customer.email}}.example/r",
      "https://user@{{ticket.id}}.example/",
    ]) {
      const parsed = IntegrationCreateSchema.safeParse({ name: "x", type: "http", http: { url } });
      expect(parsed.success, url).toBe(false);
      expect(parsed.error?.issues[0]?.message, url).toMatch(/host/);
    }
    // A variable port is no URL at all.
    expect(
      IntegrationCreateSchema.safeParse({ name: "x", type: "http", http: { url: "https://a.example:{{ticket.id}}/" } })
        .success,
    ).toBe(false);
    const update = IntegrationUpdateSchema.safeParse({ http: { url: "https://{{ticket.customer.name}}/" } });
    expect(update.success).toBe(false);
    for (const url of [
      "https://api.example/{{ticket.id}}",
      "https://api.example/r?e={{ticket.customer.email}}#{{ticket.id}}",
    ]) {
      expect(IntegrationCreateSchema.safeParse({ name: "x", type: "http", http: { url } }).success, url).toBe(true);
    }
  });

  it("on update, fill in nothing that was not sent", () => {
    expect(IntegrationUpdateSchema.parse({ http: { triggers: { "ticket-created": true } } })).toEqual({
      http: { triggers: { "ticket-created": true } },
    });
  });

  it("are answered with http.id, uri and the anchor's null fields", () => {
    const when = new Date("2026-12-01T10:00:00.000Z");
    const http = IntegrationCreateSchema.parse({ name: "x", type: "http", http: { url: "https://a.example" } }).http;
    const { headers: _headers, ...stored } = http;
    expect(
      integrationObject({
        id: 7,
        type: "http",
        name: "x",
        description: null,
        http: stored,
        headers: { "X-Key": "k" },
        createdByKeyId: null,
        createdAt: when,
        updatedAt: when,
        deactivatedAt: null,
      }),
    ).toMatchObject({ id: 7, uri: "/api/integrations/7/", http: { id: 7, headers: { "X-Key": "k" } }, mappings: [] });
  });
});

describe("widget bodies", () => {
  const deep = (levels: number): TemplateNode =>
    levels === 1 ? { type: "text" } : { type: "card", widgets: [deep(levels - 1)] };

  it("accept a recursive template and read the deprecated context user as customer", () => {
    const parsed = WidgetCreateSchema.parse({ type: "http", context: "user", template: deep(5) });
    expect(parsed.context).toBe("customer");
    expect(parsed.integration_id).toBeNull();
  });

  it("refuse a template nested too deep, naming where", () => {
    const result = WidgetCreateSchema.safeParse({ type: "http", template: deep(TEMPLATE_MAX_DEPTH + 1) });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["template"]);
  });

  it("name a bad node's field by its path", () => {
    const result = WidgetCreateSchema.safeParse({
      type: "http",
      template: { type: "wrapper", widgets: [{ title: 1 }] },
    });
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual(
      expect.arrayContaining(["template.widgets.0.type", "template.widgets.0.title"]),
    );
  });
});
