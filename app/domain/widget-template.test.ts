import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  buildActionRequest,
  objectValues,
  parseInstant,
  parseTemplateText,
  parseWidgetTemplate,
  resolveWidget,
  safeLink,
  valueAtPath,
  type RenderNode,
  type ResolveOptions,
} from "./widget-template";

// A Loop-shaped search response written for these tests from the reference's field list and
// quirks (string and numeric ids, "N/A", quoted reasons, two timestamp formats, negative prices).
const loopResponse = () => ({
  status: "success",
  query: { from: "2010-01-01", to: "2050-01-01", customer_email: "ava@example.com", filter: "created_at" },
  data: [
    {
      id: "31000001",
      state: "open",
      created_at: "2026-10-02T09:15:00+02:00",
      updated_at: "2026-10-03T10:00:00+00:00",
      edited_at: null,
      order_name: "#1042",
      outcome: "exchange",
      currency: "EUR",
      return_total: "49.00",
      carrier: "N/A",
      tracking_number: "N/A",
      label_status: "N/A",
      label_updated_at: "N/A",
      status_page_url: "https://maple.loopreturns.com/#/return/abc-123",
      destination_id: 8123,
      return_method: null,
      line_items: [
        {
          line_item_id: "7001",
          title: 'Canvas tote "Large"',
          price: "-24.50",
          returned_at: "2026-10-02 07:30:00",
          return_reason: '"Item was too big"',
          barcode: "N/A",
        },
      ],
      exchanges: [{ exchange_order_id: 5550001, exchange_order_name: "EXC-1042-1", out_of_stock: false }],
    },
    {
      id: 31000002,
      state: "closed",
      created_at: "2026-09-01T08:00:00+00:00",
      order_name: "#1001",
      currency: "EUR",
      carrier: "UPS",
      tracking_number: "1Z999",
      line_items: [],
    },
  ],
});

const options: ResolveOptions = {
  formatDateTime: (iso) => `at ${iso}`,
  formatDate: (iso) => `on ${iso.slice(0, 10)}`,
  now: new Date("2026-12-01T12:00:00Z"),
};

const resolve = (template: unknown, data: unknown) => resolveWidget(parseWidgetTemplate(template).root, data, options);

/** Every field row of a tree as "title: text" (href after an arrow), depth first. */
function rows(node: RenderNode | null): string[] {
  if (!node) return [];
  if (node.kind === "field") return [`${node.title}: ${node.text}${node.href ? ` -> ${node.href}` : ""}`];
  if (node.kind === "list") return node.items.flatMap(rows);
  return node.children.flatMap(rows);
}

function cards(node: RenderNode | null): Extract<RenderNode, { kind: "card" }>[] {
  if (!node || node.kind === "field") return [];
  if (node.kind === "list") return node.items.flatMap(cards);
  return [node, ...node.children.flatMap(cards)];
}

const seedTemplate = () => {
  const curl = readFileSync(
    new URL("../../tests/integration/fixtures/seed-002/create-widget.curl", import.meta.url),
    "utf8",
  ).replace("{{ID_OF_THE_INTEGRATION_CREATED_ABOVE}}", "1");
  return (JSON.parse(/-d '([\s\S]*)'\s*$/.exec(curl)![1]!) as { template: unknown }).template;
};

describe("seed 002's Loop template over a Loop response", () => {
  it("parses without a problem and renders one card per return, titled and linked from the return's fields", () => {
    expect(parseWidgetTemplate(seedTemplate()).problems).toEqual([]);
    const { tree } = resolve(seedTemplate(), loopResponse());
    const all = cards(tree);
    expect(all.find((card) => card.title === "Loop Returns")).toMatchObject({
      link: "https://storename.loopreturns.com/#/",
    });
    const returns = all.filter((card) => card.title?.startsWith("Return #"));
    expect(returns.map((card) => [card.title, card.link])).toEqual([
      ["Return #1042: open", "https://admin.loopreturns.com/returns/31000001"],
      ["Return #1001: closed", "https://admin.loopreturns.com/returns/31000002"],
    ]);
  });

  it('leaves out "N/A" placeholders and nulls, and keeps quotes and negative prices as they are', () => {
    const lines = rows(resolve(seedTemplate(), loopResponse()).tree);
    expect(lines).toContain("Status: success");
    expect(lines).toContain("Carrier: UPS");
    expect(lines.filter((line) => line.startsWith("Carrier:"))).toEqual(["Carrier: UPS"]);
    expect(lines.some((line) => line.includes("N/A"))).toBe(false);
    expect(lines).toContain('Title: Canvas tote "Large"');
    expect(lines).toContain('Return reason: "Item was too big"');
    expect(lines).toContain("Price: -24.50");
  });

  it("leaves out a list item's card with no field to show (the second return has no line items)", () => {
    const returnItems = cards(resolve(seedTemplate(), loopResponse()).tree).filter(
      (card) => card.title === "Return Items",
    );
    expect(returnItems).toHaveLength(1);
  });
});

describe("rendering values by type", () => {
  const row = (type: string, value: unknown, extra: Record<string, unknown> = {}) =>
    rows(resolve({ type: "card", widgets: [{ type, path: "v", title: "V" }] }, { v: value, ...extra }).tree);

  it("reads both of Loop's timestamp formats, a date alone and epoch seconds, in the given formatter", () => {
    expect(row("date", "2026-10-02T09:15:00+02:00")).toEqual(["V: at 2026-10-02T07:15:00.000Z"]);
    // No zone: read as UTC (Loop's server time), not the machine's zone.
    expect(row("date", "2026-10-02 07:30:00")).toEqual(["V: at 2026-10-02T07:30:00.000Z"]);
    expect(row("date", "2026-10-02")).toEqual(["V: on 2026-10-02"]);
    expect(row("date", 1_790_000_000)).toEqual(["V: at 2026-09-21T14:13:20.000Z"]);
    expect(row("date", "next Tuesday")).toEqual(["V: next Tuesday"]);
    expect(row("date", "N/A")).toEqual([]);
  });

  it("shows prices in the currency of the object or its parent, negative ones included", () => {
    expect(row("price", "-29.99", { currency: "USD" })).toEqual(["V: -$29.99"]);
    expect(row("price", "1234.5")).toEqual(["V: 1,234.50"]);
    expect(row("price", "12", { currency: "usd" })).toEqual(["V: $12.00"]);
    expect(row("price", "12", { currency: "not money" })).toEqual(["V: 12.00"]);
    const nested = resolve(
      { type: "card", widgets: [{ type: "list", path: "lines", widgets: [{ type: "price", path: "p", title: "P" }] }] },
      { currency: "EUR", lines: [{ p: "-5" }] },
    );
    expect(rows(nested.tree)).toEqual(["P: -€5.00"]);
  });

  it("shows booleans as Yes/No flags, numbers, percents, ratings and ages", () => {
    const flag = resolve({ type: "card", widgets: [{ type: "boolean", path: "v", title: "V" }] }, { v: false }).tree;
    expect(cards(flag)[0]!.children[0]).toMatchObject({ text: "No", flag: false });
    expect(row("boolean", "true")).toEqual(["V: Yes"]);
    expect(row("number", "1234567")).toEqual(["V: 1,234,567"]);
    expect(row("percent", 12.5)).toEqual(["V: 12.5%"]);
    expect(row("rating", "4")).toEqual(["V: 4 / 5"]);
    expect(row("age", "1990-12-02")).toEqual(["V: 35 years"]);
  });

  it("links only http(s) urls and real addresses; javascript: and data: stay text", () => {
    expect(row("url", "https://example.com/a?b=1")).toEqual([
      "V: https://example.com/a?b=1 -> https://example.com/a?b=1",
    ]);
    expect(row("url", "javascript:alert(1)")).toEqual(["V: javascript:alert(1)"]);
    expect(row("url", " JaVaScRiPt:alert(1)")).toEqual(["V:  JaVaScRiPt:alert(1)"]);
    expect(row("url", "data:text/html,<script>alert(1)</script>")).toEqual([
      "V: data:text/html,<script>alert(1)</script>",
    ]);
    expect(row("email", "ava@example.com")).toEqual(["V: ava@example.com -> mailto:ava@example.com"]);
    expect(row("email", "not an address")).toEqual(["V: not an address"]);
  });

  it("shows an unknown type as text and says so; skips nodes that are not objects", () => {
    const template = { type: "card", widgets: [{ type: "sparkline", path: "v", title: "V" }, 42, null] };
    const parsed = parseWidgetTemplate(template);
    expect(parsed.problems).toEqual([
      expect.stringContaining('"sparkline" is unknown'),
      expect.stringContaining("not an object"),
      expect.stringContaining("not an object"),
    ]);
    expect(rows(resolveWidget(parsed.root, { v: 7 }, options).tree)).toEqual(["V: 7"]);
  });

  it("skips objects and arrays where a value is expected", () => {
    expect(row("text", { nested: true })).toEqual([]);
    expect(row("text", [1, 2])).toEqual([]);
  });
});

describe("lists", () => {
  const template = (meta: Record<string, unknown>) => ({
    type: "list",
    path: "data",
    meta,
    widgets: [{ type: "card", title: "{{order_name}}", widgets: [{ type: "text", path: "state", title: "State" }] }],
  });
  const titles = (meta: Record<string, unknown>) =>
    cards(resolve(template(meta), loopResponse()).tree).map((card) => card.title);

  it("sorts by meta.orderBy (a leading - for newest first) across timestamp formats and limits the items", () => {
    expect(titles({ orderBy: "created_at" })).toEqual(["#1001", "#1042"]);
    expect(titles({ orderBy: "-created_at" })).toEqual(["#1042", "#1001"]);
    expect(titles({ orderBy: "-created_at", limit: 1 })).toEqual(["#1042"]);
    expect(titles({ orderBy: "", limit: "" })).toEqual(["#1042", "#1001"]);
    expect(titles({ limit: "1" })).toEqual(["#1042"]);
  });

  it("puts items without the sort field last", () => {
    const response = {
      data: [
        { order_name: "A", state: "x" },
        { order_name: "B", state: "y", n: 2 },
      ],
    };
    expect(cards(resolve(template({ orderBy: "-n" }), response).tree).map((card) => card.title)).toEqual(["B", "A"]);
  });
});

describe("paths and template variables", () => {
  it("follows dot paths through objects and array indices, never up the prototype", () => {
    const data = { a: { b: [{ c: 1 }, { c: 2 }] } };
    expect(valueAtPath(data, "a.b.1.c")).toBe(2);
    expect(valueAtPath(data, "")).toBe(data);
    expect(valueAtPath(data, "a.constructor")).toBeUndefined();
    expect(valueAtPath(data, "__proto__")).toBeUndefined();
  });

  it("fills {{field}} from the object's own scalar fields, string and numeric ids alike", () => {
    expect(objectValues({ id: 31000002, Name: "Ava", carrier: "N/A", nested: { city: "Paris" } })).toEqual(
      new Map([
        ["id", "31000002"],
        ["name", "Ava"],
        ["nested.city", "Paris"],
      ]),
    );
  });

  it("drops a card link that names a field the object lacks instead of linking to the wrong page", () => {
    const { tree } = resolve(
      { type: "card", meta: { link: "https://admin.example.com/r/{{id}}" }, widgets: [{ type: "text", path: "s" }] },
      { s: "open" },
    );
    expect(cards(tree)[0]!.link).toBeNull();
  });

  it("refuses javascript: and relative links in card links and custom links", () => {
    const { tree } = resolve(
      {
        type: "card",
        meta: {
          link: "javascript:alert({{id}})",
          custom: {
            links: [
              { label: "Evil", url: "javascript:alert(1)" },
              { label: "Relative", url: "/app/settings" },
              { label: "Status of {{order_name}}", url: "{{status_page_url}}" },
            ],
          },
        },
        widgets: [{ type: "text", path: "order_name" }],
      },
      loopResponse().data[0],
    );
    const card = cards(tree)[0]!;
    expect(card.link).toBeNull();
    expect(card.links).toEqual([{ label: "Status of #1042", url: "https://maple.loopreturns.com/#/return/abc-123" }]);
  });

  it("safeLink keeps http, https and mailto only", () => {
    expect(safeLink("https://a.example/x")).toBe("https://a.example/x");
    expect(safeLink("mailto:a@b.example")).toBe("mailto:a@b.example");
    expect(safeLink("javascript:alert(1)")).toBeNull();
    expect(safeLink("vbscript:x")).toBeNull();
    expect(safeLink("//evil.example")).toBeNull();
    expect(safeLink("http://")).toBeNull();
  });
});

describe("nothing to show", () => {
  it("renders nothing for no response, an empty one, or a template whose paths find nothing", () => {
    expect(resolve(seedTemplate(), null).tree).toBeNull();
    expect(resolve(seedTemplate(), {}).tree).toBeNull();
    expect(resolve(seedTemplate(), { status: "N/A", data: [] }).tree).toBeNull();
    expect(resolve({ type: "wrapper", widgets: [] }, loopResponse()).tree).toBeNull();
  });

  it("never throws on any template or response", () => {
    const weird: unknown[] = [null, 1, "x", [], { type: 5 }, { widgets: "no" }, { type: "card", widgets: [[]] }];
    for (const template of weird) for (const data of weird) expect(() => resolve(template, data)).not.toThrow();
    let deep: Record<string, unknown> = { type: "text", path: "a" };
    for (let level = 0; level < 200; level += 1) deep = { type: "card", widgets: [deep] };
    expect(parseWidgetTemplate(deep).problems).toEqual([expect.stringContaining("nested deeper")]);
  });

  it("says what is wrong with typed JSON", () => {
    expect(parseTemplateText("{").problems[0]).toMatch(/^This is not valid JSON/);
    expect(parseTemplateText("[]").problems[0]).toMatch(/is a JSON object/);
    expect(parseTemplateText('{"type":"wrapper","widgets":[]}').problems).toEqual([]);
  });

  it("reads instants it knows and refuses the rest", () => {
    expect(parseInstant("2026-10-02 07:30:00")).toEqual({ iso: "2026-10-02T07:30:00.000Z", dateOnly: false });
    expect(parseInstant("soon")).toBeNull();
  });
});

describe("custom actions", () => {
  const template = {
    type: "card",
    path: "",
    widgets: [
      {
        type: "list",
        path: "data",
        widgets: [
          {
            type: "card",
            title: "Return {{order_name}}",
            meta: {
              custom: {
                buttons: [
                  {
                    label: "Cancel return",
                    action: {
                      method: "post",
                      url: "https://api.example.com/returns/{{id}}/cancel",
                      headers: [
                        { key: "X-Source", value: "shopdesk", editable: false, mandatory: false },
                        { key: "X-Reason", value: "", editable: true, mandatory: true, label: "Reason" },
                      ],
                      params: [{ key: "notify", value: "yes", editable: true, mandatory: false, label: "Notify" }],
                      body: {
                        contentType: "application/json",
                        "application/json": [
                          { key: "return_id", value: "{{id}}", editable: false, mandatory: true },
                          { key: "note", value: "Cancelled by {{customer}}", editable: true, mandatory: false },
                        ],
                      },
                    },
                  },
                  { label: "", action: { url: "x" } },
                ],
              },
            },
            widgets: [{ type: "text", path: "state", title: "State" }],
          },
        ],
      },
    ],
  };
  const response = {
    data: [
      { id: "r1", order_name: "#1", state: "open", customer: "ava@example.com" },
      { id: 2, order_name: "#2", state: "closed" },
    ],
  };

  it("offers each item's button with its editable fields only, and fills the action from that item", () => {
    const parsed = parseWidgetTemplate(template);
    expect(parsed.problems).toEqual([expect.stringContaining("a button needs a label")]);
    const { tree, actions } = resolveWidget(parsed.root, response, options);
    const buttons = cards(tree).flatMap((card) => card.buttons);
    expect(buttons.map((button) => button.ref)).toEqual(["0.0[id:r1].0#0", "0.0[id:2].0#0"]);
    expect(buttons[0]!.fields).toEqual([
      { name: "headers.1", label: "Reason", value: "", mandatory: true },
      { name: "params.0", label: "Notify", value: "yes", mandatory: false },
      { name: "body.1", label: "note", value: "Cancelled by ava@example.com", mandatory: false },
    ]);
    expect(JSON.stringify(tree)).not.toContain("shopdesk");
    expect(actions.get("0.0[id:2].0#0")!.url).toBe("https://api.example.com/returns/2/cancel");
  });

  it("names a button's item by its id (or place and content), so a refreshed response never shifts it to another item", () => {
    const root = parseWidgetTemplate(template).root;
    const before = resolveWidget(root, response, options);
    const refreshed = resolveWidget(
      root,
      { data: [{ id: "r0", order_name: "#0", state: "open" }, ...response.data] },
      options,
    );
    const ref = [...before.actions.keys()][0]!;
    expect(refreshed.actions.get(ref)!.url).toBe(before.actions.get(ref)!.url);
    const withoutIds = { data: response.data.map(({ id: _id, ...rest }) => rest) };
    const [first] = [...resolveWidget(root, withoutIds, options).actions.keys()];
    expect(first).toMatch(/^0\.0\[0:[0-9a-z]+\]\.0#0$/);
    const changed = { data: [{ ...withoutIds.data[0], state: "closed" }, withoutIds.data[1]] };
    expect(resolveWidget(root, changed, options).actions.has(first!)).toBe(false);
  });

  it("builds the request from the agent's values; fixed fields keep the template's value whatever is sent", () => {
    const { actions } = resolveWidget(parseWidgetTemplate(template).root, response, options);
    const result = buildActionRequest(actions.get("0.0[id:r1].0#0")!, {
      "headers.1": "Changed mind",
      "headers.0": "forged",
      "body.0": "someone-else",
      "params.0": "no",
    });
    expect(result).toEqual({
      ok: true,
      request: {
        method: "POST",
        url: "https://api.example.com/returns/r1/cancel?notify=no",
        headers: { "X-Source": "shopdesk", "X-Reason": "Changed mind", "Content-Type": "application/json" },
        body: JSON.stringify({ return_id: "r1", note: "Cancelled by ava@example.com" }),
      },
    });
  });

  it("keeps a response value inside its place in the action's URL: no ../, ?, # or @ from the data moves the call", () => {
    const root = parseWidgetTemplate(template).root;
    const hostile = ["../../admin/keys", "x?delete=all", "x#", "x@evil.example/", "%2e%2e", "a b"];
    const urls = hostile.map((id) => {
      const { actions } = resolveWidget(root, { data: [{ id, order_name: "#9", state: "open" }] }, options);
      const request = buildActionRequest([...actions.values()][0]!, { "headers.1": "x" });
      if (!request.ok) throw new Error(JSON.stringify(request.errors));
      return request.request.url;
    });
    expect(urls).toEqual([
      "https://api.example.com/returns/..%2F..%2Fadmin%2Fkeys/cancel?notify=yes",
      "https://api.example.com/returns/x%3Fdelete%3Dall/cancel?notify=yes",
      "https://api.example.com/returns/x%23/cancel?notify=yes",
      "https://api.example.com/returns/x%40evil.example%2F/cancel?notify=yes",
      "https://api.example.com/returns/%252e%252e/cancel?notify=yes",
      "https://api.example.com/returns/a%20b/cancel?notify=yes",
    ]);
    // A URL that starts with a field is the partner's own address ("{{url}}"): it goes in as sent.
    const linked = parseWidgetTemplate({
      type: "card",
      meta: { custom: { buttons: [{ label: "Open", action: { method: "GET", url: "{{portal}}/go?r={{id}}" } }] } },
      widgets: [{ type: "text", path: "id", title: "Id" }],
    }).root;
    const { actions } = resolveWidget(linked, { id: "1&x=2", portal: "https://portal.example.com/a" }, options);
    expect([...actions.values()][0]!.url).toBe("https://portal.example.com/a/go?r=1%26x%3D2");
  });

  it("refuses a missing mandatory value, a header with a line break and a non-web address", () => {
    const { actions } = resolveWidget(parseWidgetTemplate(template).root, response, options);
    const action = actions.get("0.0[id:r1].0#0")!;
    expect(buildActionRequest(action, { "headers.1": "  " })).toEqual({
      ok: false,
      errors: { "headers.1": "Fill in Reason." },
    });
    expect(buildActionRequest(action, { "headers.1": "a\r\nX-Evil: 1" })).toMatchObject({
      ok: false,
      errors: { "headers.1": "Reason cannot be sent." },
    });
    expect(buildActionRequest({ ...action, url: "javascript:alert(1)" }, { "headers.1": "x" })).toMatchObject({
      ok: false,
      errors: { url: expect.stringContaining("not a web address") },
    });
  });
});
