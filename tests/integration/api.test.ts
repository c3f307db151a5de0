// The REST API (/api) over real HTTP with keys made in Settings → API keys: seed 002's two curl
// requests sent as written, errors (400/401/404/429), and one workspace's key against another's.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_RATE_LIMIT } from "~/domain/api-auth";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { unwrap } from "../support/route-results.ts";

const A = "maple-goods-eu.myshopify.com";
const B = "north-trail.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 2, customersPerShop: 2 } });
  expect((await stack.install(A)).status).toBe(200);
  expect((await stack.install(B)).status).toBe(200);
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");
const settings = await import("~/routes/app.settings.api");

interface Key {
  username: string;
  key: string;
}

async function settingsAction(shop: string, form: Record<string, string>) {
  const request = stack.adminRequest(shop, "/app/settings/api", { method: "POST", body: new URLSearchParams(form) });
  return unwrap(await settings.action({ request, params: {}, context: {} }));
}

const listKeys = async (shop: string) =>
  (await settings.loader({ request: stack.adminRequest(shop, "/app/settings/api"), params: {}, context: {} })).keys;

/** A key made in Settings → API keys, as a merchant does. */
async function createKey(shop: string, name: string): Promise<Key> {
  const answer = await settingsAction(shop, { intent: "create", name });
  expect(answer.status).toBe(200);
  const created = (answer.body as { created: Key }).created;
  return { username: created.username, key: created.key };
}

const auth = ({ username, key }: Key) => `Basic ${Buffer.from(`${username}:${key}`).toString("base64")}`;

function api(key: Key | null, path: string, init: { method?: string; body?: unknown; raw?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers.authorization = auth(key);
  const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  return fetch(new URL(path, stack.app.url), { method: init.method ?? (body ? "POST" : "GET"), headers, body });
}

/**
 * Sends one of seed 002's curl commands as written: its method, URL, headers, `-u` and `-d` body,
 * with the tutorial's placeholders filled in (`values`), nothing else changed.
 */
function sendCurl(file: string, values: Record<string, string>) {
  let text = readFileSync(new URL(`./fixtures/seed-002/${file}`, import.meta.url), "utf8");
  for (const [name, value] of Object.entries(values)) text = text.replaceAll(`{{${name}}}`, value);
  const method = /-X "([A-Z]+)"/.exec(text)![1]!;
  const url = /-X "[A-Z]+" "([^"]+)"/.exec(text)![1]!;
  const headers = new Headers();
  for (const [, header] of text.matchAll(/-H '([^']+)'/g)) {
    const colon = header!.indexOf(":");
    headers.append(header!.slice(0, colon).trim(), header!.slice(colon + 1).trim());
  }
  headers.set("authorization", `Basic ${Buffer.from(/-u '([^']+)'/.exec(text)![1]!).toString("base64")}`);
  const body = /-d '([\s\S]*)'\s*$/.exec(text)![1]!;
  return fetch(url, { method, headers, body });
}

const seedValues = (key: Key, extra: Record<string, string> = {}) => ({
  YOUR_GORGIAS_BASE_API_URL: stack.app.url,
  YOUR_GORGIAS_API_USER: key.username,
  YOUR_GORGIAS_API_KEY: key.key,
  ...extra,
});

/** The seed's body as JSON (what the widget's template must come back as). */
const seedBody = (file: string, values: Record<string, string>) => {
  let text = readFileSync(new URL(`./fixtures/seed-002/${file}`, import.meta.url), "utf8");
  for (const [name, value] of Object.entries(values)) text = text.replaceAll(`{{${name}}}`, value);
  return JSON.parse(/-d '([\s\S]*)'\s*$/.exec(text)![1]!) as Record<string, unknown>;
};

const SEED_RESPONSE = JSON.parse(
  readFileSync(new URL("./fixtures/seed-002/create-integration.response.json", import.meta.url), "utf8"),
) as Record<string, unknown>;

const DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;

/** The same keys as the seed's object, each value of the same JSON type (null where the seed has null). */
function expectSameShape(actual: unknown, expected: unknown, at = "$") {
  if (expected === null) return expect(actual, at).toBeNull();
  if (Array.isArray(expected)) return expect(Array.isArray(actual), at).toBe(true);
  if (typeof expected === "object") {
    expect(actual, at).toBeTypeOf("object");
    expect(Object.keys(actual as object).sort(), at).toEqual(expect.arrayContaining(Object.keys(expected).sort()));
    for (const [key, value] of Object.entries(expected as object)) {
      if (key === "user") continue; // the anchor's numeric user; ours names the API key (see docs/api.md)
      expectSameShape((actual as Record<string, unknown>)[key], value, `${at}.${key}`);
    }
    return;
  }
  expect(typeof actual, at).toBe(typeof expected);
}

let keyA: Key;
let keyB: Key;
let integrationId: number;
let widgetId: number;

describe("Settings → API keys", () => {
  it("starts empty, shows a new key once and lists it by name without the key", async () => {
    expect(await listKeys(A)).toEqual([]);
    keyA = await createKey(A, "Loop Returns");
    expect(keyA.username).toBe(A);
    expect(keyA.key).toMatch(/^shpdsk_[A-Za-z0-9_-]{43}$/);
    const keys = await listKeys(A);
    expect(keys).toEqual([expect.objectContaining({ name: "Loop Returns", username: A, lastUsedAt: null })]);
    expect(JSON.stringify(keys)).not.toContain(keyA.key.slice(12));
    const row = await db.apiKey.findFirstOrThrow({ where: { name: "Loop Returns" } });
    expect(JSON.stringify(row)).not.toContain(keyA.key.slice(12));
    keyB = await createKey(B, "North Trail tool");
  });

  it("refuses a key without a name", async () => {
    const answer = await settingsAction(A, { intent: "create", name: "  " });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ ok: false, errors: { name: [expect.stringContaining("name")] } });
    const nul = await settingsAction(A, { intent: "create", name: "Loop\u0000" });
    expect(nul.status).toBe(400);
    expect(nul.body).toMatchObject({ ok: false, errors: { name: [expect.stringContaining("cannot be saved")] } });
  });
});

describe("seed 002's requests, sent as written", () => {
  it("creates the Loop Returns integration: 201 with the seed's object", async () => {
    const response = await sendCurl("create-integration.curl", seedValues(keyA));
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status, JSON.stringify(body)).toBe(201);
    expect(response.headers.get("content-type")).toContain("application/json");
    expectSameShape(body, SEED_RESPONSE);
    integrationId = body.id as number;
    // Everything the request said comes back as the seed shows it; ids, times and uri are ours.
    const { id: _id, created_datetime: _c, updated_datetime: _u, uri: _uri, user: _user, ...rest } = SEED_RESPONSE;
    expect(body).toMatchObject({ ...rest, http: { ...(SEED_RESPONSE.http as object), id: integrationId } });
    expect(body.uri).toBe(`/api/integrations/${integrationId}/`);
    expect(body.created_datetime).toMatch(DATETIME);
    expect(body.updated_datetime).toMatch(DATETIME);
    // The partner's key is stored encrypted, not as sent.
    const row = await db.integration.findUniqueOrThrow({ where: { id: integrationId } });
    expect(JSON.stringify(row)).not.toContain("YOUR_LOOP_RETURNS_API_KEY");
  });

  it("creates the Loop Returns widget for it: 201 with the template as sent", async () => {
    const values = seedValues(keyA, { ID_OF_THE_INTEGRATION_CREATED_ABOVE: String(integrationId) });
    const response = await sendCurl("create-widget.curl", values);
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status, JSON.stringify(body)).toBe(201);
    const sent = seedBody("create-widget.curl", values);
    widgetId = body.id as number;
    expect(body).toEqual({
      id: widgetId,
      context: "ticket",
      type: "http",
      integration_id: integrationId,
      app_id: null,
      order: 0,
      template: sent.template,
      created_datetime: expect.stringMatching(DATETIME),
      updated_datetime: expect.stringMatching(DATETIME),
      deactivated_datetime: null,
      uri: `/api/widgets/${widgetId}/`,
    });
  });

  it("reads both back by id and in lists, and notes when the key was last used", async () => {
    const integration = await api(keyA, `/api/integrations/${integrationId}/`);
    expect(integration.status).toBe(200);
    expect(await integration.json()).toMatchObject({ id: integrationId, name: "Loop Returns" });
    const widget = await api(keyA, `/api/widgets/${widgetId}`);
    expect(await widget.json()).toMatchObject({ id: widgetId, integration_id: integrationId });
    const list = (await (await api(keyA, `/api/widgets?integration_id=${integrationId}`)).json()) as {
      data: { id: number }[];
      object: string;
      meta: unknown;
    };
    expect(list).toMatchObject({ object: "list", data: [{ id: widgetId }], meta: { next_cursor: null } });
    expect((await listKeys(A))[0]!.lastUsedAt).not.toBeNull();
  });
});

describe("lists", () => {
  it("page with cursors, newest first by default", async () => {
    const ids = [integrationId];
    for (const name of ["Second", "Third"]) {
      const response = await api(keyA, "/api/integrations", {
        body: { name, type: "http", http: { url: "https://example.com/{{ticket.id}}" } },
      });
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as { id: number }).id);
    }
    const first = (await (await api(keyA, "/api/integrations?limit=2")).json()) as {
      data: { id: number }[];
      meta: { next_cursor: string | null };
    };
    expect(first.data.map((item) => item.id)).toEqual([ids[2], ids[1]]);
    const second = (await (await api(keyA, `/api/integrations?limit=2&cursor=${first.meta.next_cursor}`)).json()) as {
      data: { id: number }[];
      meta: { next_cursor: string | null };
    };
    expect(second.data.map((item) => item.id)).toEqual([ids[0]]);
    expect(second.meta.next_cursor).toBeNull();
    const ascending = (await (await api(keyA, "/api/integrations?order_by=created_datetime:asc")).json()) as {
      data: { id: number }[];
    };
    expect(ascending.data.map((item) => item.id)).toEqual(ids);
  });

  it("refuse a bad limit or cursor with 400", async () => {
    const limit = await api(keyA, "/api/integrations?limit=500");
    expect(limit.status).toBe(400);
    expect(await limit.json()).toMatchObject({ error: { data: { limit: [expect.any(String)] } } });
    expect((await api(keyA, "/api/widgets?cursor=bogus")).status).toBe(400);
    // A forged cursor past the database's integer range is refused like any cursor we never gave out.
    const forged = Buffer.from("id:9999999999").toString("base64url");
    for (const path of ["/api/integrations", "/api/widgets", "/api/tickets"]) {
      const response = await api(keyA, `${path}?cursor=${forged}`);
      expect(response.status, path).toBe(400);
      expect(await response.json()).toMatchObject({ error: { data: { cursor: [expect.any(String)] } } });
    }
  });
});

describe("errors", () => {
  it("a body that is not JSON is a 400", async () => {
    const response = await api(keyA, "/api/integrations", { raw: "name=Loop" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { msg: "The body is not valid JSON." } });
  });

  it("a body nested absurdly deep is a 400, not a crash", async () => {
    const raw = `{"type":"http","template":${'{"type":"card","widgets":['.repeat(5000)}${"]}".repeat(5000)}}`;
    const response = await api(keyA, "/api/widgets", { raw });
    expect(response.status).toBe(400);
    const deepButSmall = `{"type":"http","template":${'{"type":"card","widgets":['.repeat(20)}${"]}".repeat(20)}}`;
    const refused = await api(keyA, "/api/widgets", { raw: deepButSmall });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { data: { template: [expect.stringContaining("deeper")] } } });
  });

  it("validation errors are a 400 with a message per field", async () => {
    const response = await api(keyA, "/api/integrations", {
      body: {
        type: "http",
        http: { url: "ftp://example.com", method: "FETCH", triggers: { "ticket-created": "yes" } },
      },
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { msg: string; data: Record<string, string[]> } };
    expect(Object.keys(error.data).sort()).toEqual(["http.method", "http.triggers.ticket-created", "http.url", "name"]);
    const widget = await api(keyA, "/api/widgets", { body: { type: "http", template: { widgets: [] }, order: -1 } });
    expect(widget.status).toBe(400);
    expect(Object.keys(((await widget.json()) as { error: { data: object } }).error.data).sort()).toEqual([
      "order",
      "template.type",
    ]);
  });

  it("text PostgreSQL cannot store (a NUL byte, a broken character) or an order past its range is a 400 on that field, nothing saved", async () => {
    const before = await db.integration.count();
    const beforeWidgets = await db.widget.count();
    const cases: [string, string, string][] = [
      ["/api/integrations", '{"name":"Loop\\u0000","type":"http","http":{"url":"https://api.example.com/"}}', "name"],
      [
        "/api/integrations",
        '{"name":"Loop","type":"http","http":{"url":"https://api.example.com/?a=\\u0000"}}',
        "http.url",
      ],
      [
        "/api/integrations",
        '{"name":"Loop","type":"http","http":{"url":"https://a.example/","headers":{"X-Key":"k\\ud800"}}}',
        "http.headers.X-Key",
      ],
      [
        "/api/integrations",
        '{"name":"Loop","type":"http","http":{"url":"https://a.example/","form":{"a":{"b":"\\u0000"}}}}',
        "http.form.a.b",
      ],
      ["/api/widgets", '{"type":"http","template":{"type":"card","title":"R\\u0000"}}', "template.title"],
      ["/api/widgets", '{"type":"http","template":{"type":"card","meta":{"k\\u0000":1}}}', "template.meta"],
      ["/api/widgets", '{"type":"http","template":{"type":"card"},"order":2147483648}', "order"],
    ];
    for (const [path, raw, field] of cases) {
      const response = await api(keyA, path, { raw });
      expect(response.status, raw).toBe(400);
      expect(Object.keys(((await response.json()) as { error: { data: object } }).error.data), raw).toEqual([field]);
    }
    expect(await db.integration.count()).toBe(before);
    expect(await db.widget.count()).toBe(beforeWidgets);
  });

  it("an integration_id past the database's integer range is a 400 on integration_id, not a 500", async () => {
    const listed = await api(keyA, "/api/widgets?integration_id=99999999999");
    expect(listed.status).toBe(400);
    expect(await listed.json()).toMatchObject({ error: { data: { integration_id: [expect.any(String)] } } });
    const created = await api(keyA, "/api/widgets", {
      body: { type: "http", integration_id: 99_999_999_999, template: { type: "wrapper", widgets: [] } },
    });
    expect(created.status).toBe(400);
    expect(await created.json()).toMatchObject({ error: { data: { integration_id: [expect.any(String)] } } });
  });

  it("a widget naming an integration that does not exist is a 400 on integration_id", async () => {
    const response = await api(keyA, "/api/widgets", {
      body: { type: "http", integration_id: 999_999, template: { type: "wrapper", widgets: [] } },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { data: { integration_id: [expect.any(String)] } } });
  });

  it("unknown ids are a 404", async () => {
    for (const path of [
      "/api/integrations/999999",
      "/api/widgets/999999/",
      "/api/widgets/abc",
      "/api/integrations/0",
    ]) {
      const response = await api(keyA, path);
      expect(response.status, path).toBe(404);
    }
    expect((await api(keyA, "/api/widgets/999999", { method: "DELETE" })).status).toBe(404);
    expect((await api(keyA, "/api/integrations/999999", { method: "PUT", body: { name: "x" } })).status).toBe(404);
  });

  it("no key, a wrong key or a wrong user name is a 401 with a Basic challenge", async () => {
    const none = await api(null, "/api/integrations");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Basic /);
    const wrongKey = { ...keyA, key: keyA.key.slice(0, -4) + "AAAA" };
    expect((await api(wrongKey, "/api/integrations")).status).toBe(401);
    expect((await api({ ...keyA, username: B }, "/api/integrations")).status).toBe(401);
    expect((await api({ ...keyA, key: "not-a-key" }, "/api/integrations")).status).toBe(401);
  });
});

describe("updates and deletes", () => {
  it("PUT changes only the fields sent; DELETE removes and then 404s", async () => {
    const put = await api(keyA, `/api/integrations/${integrationId}/`, {
      method: "PUT",
      body: { description: "Returns from Loop", http: { triggers: { "ticket-created": true } } },
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({
      name: "Loop Returns",
      description: "Returns from Loop",
      http: { method: "GET", triggers: { "ticket-created": true }, headers: { "X-Authorization": expect.any(String) } },
    });
    const widgetPut = await api(keyA, `/api/widgets/${widgetId}/`, {
      method: "PUT",
      body: { order: 3, context: "user" },
    });
    expect(await widgetPut.json()).toMatchObject({ order: 3, context: "customer" });

    const extra = (await (
      await api(keyA, "/api/widgets", { body: { type: "custom", template: { type: "wrapper" } } })
    ).json()) as { id: number };
    expect((await api(keyA, `/api/widgets/${extra.id}/`, { method: "DELETE" })).status).toBe(204);
    expect((await api(keyA, `/api/widgets/${extra.id}/`)).status).toBe(404);
  });
});

describe("another workspace's key", () => {
  it("never reads, changes or points at this workspace's objects", async () => {
    for (const path of [`/api/integrations/${integrationId}/`, `/api/widgets/${widgetId}/`]) {
      expect((await api(keyB, path)).status, path).toBe(404);
      expect((await api(keyB, path, { method: "PUT", body: { name: "Stolen", order: 1 } })).status, path).toBe(404);
      expect((await api(keyB, path, { method: "DELETE" })).status, path).toBe(404);
    }
    const borrowed = await api(keyB, "/api/widgets", {
      body: { type: "http", integration_id: integrationId, template: { type: "wrapper" } },
    });
    expect(borrowed.status).toBe(400);
    const lists = [await api(keyB, "/api/integrations"), await api(keyB, "/api/widgets")];
    for (const list of lists) expect(((await list.json()) as { data: unknown[] }).data).toEqual([]);
    expect((await db.integration.findUniqueOrThrow({ where: { id: integrationId } })).name).toBe("Loop Returns");
    expect(await db.widget.count({ where: { id: widgetId } })).toBe(1);
  });
});

describe("tickets and their messages", () => {
  it("lists the workspace's tickets by number, reads one and its messages and notes", async () => {
    const { createTicket, addInternalNote } = await import("~/models/ticket.server");
    const workspaceOf = async (domain: string) => (await db.shop.findUniqueOrThrow({ where: { domain } })).workspaceId;
    const [wsA, wsB] = [await workspaceOf(A), await workspaceOf(B)];
    const customer = await db.helpdeskCustomer.create({
      data: { workspaceId: wsA, name: "Ada Maple", emails: ["ada@maple.example"] },
    });
    const first = await createTicket(wsA, {
      channel: "email",
      subject: "Where is my parcel?",
      customerId: customer.id,
      tags: ["shipping"],
      firstMessage: { body: "It has been a week.", fromAddress: "ada@maple.example" },
    });
    const agent = await db.agent.create({ data: { workspaceId: wsA, name: "Mia Agent", email: "mia@maple.example" } });
    await addInternalNote(wsA, first.id, agent.id, "Checked the carrier");
    await createTicket(wsA, { channel: "chat", subject: "Gift wrap?", firstMessage: { body: "Can you?" } });
    await createTicket(wsB, {
      channel: "chat",
      subject: "North Trail secret ticket",
      firstMessage: { body: "B only" },
    });

    const list = (await (await api(keyA, "/api/tickets?limit=1")).json()) as {
      data: { id: number; subject: string }[];
      meta: { next_cursor: string };
    };
    expect(list.data).toEqual([expect.objectContaining({ subject: "Gift wrap?" })]);
    const rest = (await (await api(keyA, `/api/tickets?cursor=${list.meta.next_cursor}`)).json()) as {
      data: { id: number }[];
    };
    expect(rest.data.map((ticket) => ticket.id)).toEqual([first.number]);

    const ticket = await api(keyA, `/api/tickets/${first.number}/`);
    expect(ticket.status).toBe(200);
    expect(await ticket.json()).toMatchObject({
      id: first.number,
      uri: `/api/tickets/${first.number}/`,
      status: "open",
      channel: "email",
      subject: "Where is my parcel?",
      customer: { id: customer.id, email: "ada@maple.example", name: "Ada Maple" },
      tags: [{ name: "shipping" }],
      created_datetime: expect.stringMatching(DATETIME),
    });
    const byCustomer = (await (await api(keyA, `/api/tickets?customer_id=${customer.id}`)).json()) as {
      data: { id: number }[];
    };
    expect(byCustomer.data.map((item) => item.id)).toEqual([first.number]);

    const messages = (await (
      await api(keyA, `/api/tickets/${first.number}/messages?order_by=created_datetime:asc`)
    ).json()) as {
      data: unknown[];
    };
    expect(messages.data).toEqual([
      expect.objectContaining({
        from_agent: false,
        public: true,
        body_text: "It has been a week.",
        sender: expect.objectContaining({ email: "ada@maple.example" }),
      }),
      expect.objectContaining({
        from_agent: true,
        public: false,
        body_text: "Checked the carrier",
        sender: expect.objectContaining({ name: "Mia Agent" }),
      }),
    ]);
  });

  it("opens a ticket on the api channel for a customer by email, the anchor's body as its clients send it", async () => {
    const response = await api(keyA, "/api/tickets", {
      body: {
        customer: { email: "Ada@Maple.example", name: "Ada Maple" },
        subject: "Return label please",
        tags: [{ name: "Returns" }],
        channel: "api",
        via: "api",
        messages: [{ channel: "api", via: "api", from_agent: false, body_text: "I need a label." }],
      },
    });
    const body = (await response.json()) as { id: number; customer: { id: string } };
    expect(response.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({
      uri: `/api/tickets/${body.id}/`,
      channel: "api",
      status: "open",
      subject: "Return label please",
      tags: [{ name: "returns" }],
      messages_count: 1,
      customer: { email: "ada@maple.example", name: "Ada Maple" },
    });
    // The same person as the ticket before, found by email.
    const earlier = await db.helpdeskCustomer.findFirstOrThrow({ where: { name: "Ada Maple" } });
    expect(body.customer.id).toBe(earlier.id);
    const messages = (await (await api(keyA, `/api/tickets/${body.id}/messages`)).json()) as { data: unknown[] };
    expect(messages.data).toEqual([expect.objectContaining({ body_text: "I need a label.", from_agent: false })]);
  });

  it("refuses a ticket without a customer email or message, per field", async () => {
    const response = await api(keyA, "/api/tickets", {
      body: { customer: { email: "not-an-email" }, messages: [{ body_text: " ", from_agent: true }] },
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { data: Record<string, string[]> } };
    expect(Object.keys(error.data).sort()).toEqual(["customer.email", "messages.0.body_text", "messages.0.from_agent"]);
    expect(
      (await api(keyA, "/api/tickets", { body: { customer: { email: "a@b.example" }, messages: [] } })).status,
    ).toBe(400);
  });

  it("a ticket number is read in the caller's workspace only", async () => {
    const answer = await api(keyB, "/api/tickets?limit=100");
    const text = await answer.text();
    expect(text).toContain("North Trail secret ticket");
    expect(text).not.toContain("Where is my parcel?");
    expect((await api(keyA, "/api/tickets/999999/")).status).toBe(404);
    expect((await api(keyA, "/api/tickets/999999/messages")).status).toBe(404);
    expect((await api(keyA, "/api/tickets?customer_id=nope")).status).toBe(400);
  });
});

describe("rate limit and revocation", () => {
  it(`allows ${API_RATE_LIMIT} requests per key per 20 s, then 429 with Retry-After; other keys are not affected`, async () => {
    const busy = await createKey(A, "Busy tool");
    for (let index = 0; index < API_RATE_LIMIT; index++) {
      expect((await api(busy, "/api/widgets?limit=1")).status, `request ${index + 1}`).toBe(200);
    }
    const limited = await api(busy, "/api/widgets?limit=1");
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect((await api(keyA, "/api/widgets?limit=1")).status).toBe(200);
  });

  it("a revoked key is refused at once and leaves the list", async () => {
    const doomed = await createKey(A, "Old tool");
    expect((await api(doomed, "/api/integrations")).status).toBe(200);
    const row = await db.apiKey.findFirstOrThrow({ where: { name: "Old tool" } });
    const revoked = await settingsAction(A, { intent: "revoke", id: row.id });
    expect(revoked.status).toBe(200);
    expect((await api(doomed, "/api/integrations")).status).toBe(401);
    expect((await listKeys(A)).map((key) => key.name)).not.toContain("Old tool");
    // B cannot revoke A's key.
    expect(
      (
        await settingsAction(B, {
          intent: "revoke",
          id: (await db.apiKey.findFirstOrThrow({ where: { name: "Loop Returns" } })).id,
        })
      ).status,
    ).toBe(404);
    expect((await api(keyA, "/api/integrations")).status).toBe(200);
  });
});
