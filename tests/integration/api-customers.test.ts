// /api/customers over real HTTP with keys made in Settings → API keys: the anchor's Customer with
// its integrations' stored answers, cursor pages and the email filter, create and update with a
// 400 per field, and another workspace's customers never found.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  API_DATETIME,
  apiJson,
  apiRequest,
  createApiKey,
  revokeApiKey,
  type ApiKeyCredentials,
} from "../support/api-client.ts";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill } from "../support/sync.ts";

const A = "maple-goods-eu.myshopify.com";
const B = "north-trail.myshopify.com";

const { db } = await import("~/db.server");

let stack: IntegrationStack;
let keyA: ApiKeyCredentials;
let keyB: ApiKeyCredentials;
let wsA: string;
let wsB: string;

beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 2, customersPerShop: 2 } });
  for (const shop of [A, B]) expect((await stack.install(shop)).status).toBe(200);
  // The imports add the shops' customers: done before any test counts or pages them (on a busy
  // machine one could land between the pages and the count, after the pages had passed its place).
  for (const shop of [A, B]) await waitForBackfill(shop);
  keyA = await createApiKey(stack, A, "Loyalty tool");
  keyB = await createApiKey(stack, B, "North tool");
  wsA = (await db.shop.findUniqueOrThrow({ where: { domain: A } })).workspaceId;
  wsB = (await db.shop.findUniqueOrThrow({ where: { domain: B } })).workspaceId;
}, 120_000);
afterAll(() => stack?.stop());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const api = (key: ApiKeyCredentials | null, path: string, init?: Parameters<typeof apiRequest>[3]) =>
  apiJson<Json>(apiRequest(stack, key, path, init));

let created: Json;

describe("POST /api/customers", () => {
  it("adds a customer: 201 with the anchor's Customer", async () => {
    const answer = await api(keyA, "/api/customers", { body: { email: "Zoe.Quill@Example.com", name: "Zoe Quill" } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    created = answer.body;
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: "zoe.quill@example.com",
      name: "Zoe Quill",
      firstname: "Zoe",
      lastname: "Quill",
      channels: [{ type: "email", address: "zoe.quill@example.com", preferred: true }],
      note: null,
      integrations: {},
      created_datetime: expect.stringMatching(API_DATETIME),
      updated_datetime: expect.stringMatching(API_DATETIME),
      uri: `/api/customers/${created.id}/`,
    });
    const row = await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.workspaceId).toBe(wsA);
  });

  it("joins firstname and lastname when no name is sent", async () => {
    const answer = await api(keyA, "/api/customers", {
      body: { email: "max.rowe@example.com", firstname: "Max", lastname: "de Rowe" },
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ name: "Max de Rowe", firstname: "Max", lastname: "de Rowe" });
  });

  it("an email a customer of the workspace has is a 400 on email naming them, and adds nobody", async () => {
    const before = await db.helpdeskCustomer.count({ where: { workspaceId: wsA } });
    const answer = await api(keyA, "/api/customers", { body: { email: "ZOE.quill@example.com", name: "Zoe Again" } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.data.email[0]).toContain(`/api/customers/${created.id}/`);
    expect(await db.helpdeskCustomer.count({ where: { workspaceId: wsA } })).toBe(before);
  });

  it("the same email in another workspace is that workspace's own new customer", async () => {
    const answer = await api(keyB, "/api/customers", { body: { email: "zoe.quill@example.com" } });
    expect(answer.status).toBe(201);
    expect(answer.body.id).not.toBe(created.id);
    expect(answer.body.name).toBeNull();
  });

  it("refuses bad bodies with a 400 per field, not JSON, NUL bytes and huge bodies, adding nobody", async () => {
    const before = await db.helpdeskCustomer.count();
    const cases: [unknown, string[]][] = [
      [{}, ["email"]],
      [{ email: "not an email" }, ["email"]],
      [{ email: "a@b.example", name: 42 }, ["name"]],
      [{ email: "a@b.example", name: "Zo\u0000e" }, ["name"]],
      [{ email: "a@b.example", firstname: "x".repeat(101) }, ["firstname"]],
      [[], ["_schema"]],
    ];
    for (const [body, fields] of cases) {
      const answer = await api(keyA, "/api/customers", { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(answer.body.error.data).sort(), JSON.stringify(body)).toEqual(fields);
    }
    expect((await api(keyA, "/api/customers", { raw: "email=a@b.example" })).body).toEqual({
      error: { msg: "The body is not valid JSON." },
    });
    expect((await api(keyA, "/api/customers", { raw: Buffer.from([0x7b, 0xff, 0x7d]) })).status).toBe(400);
    const huge = await api(keyA, "/api/customers", {
      raw: JSON.stringify({ email: "big@example.com", name: "x".repeat(1_100_000) }),
    });
    expect(huge.status).toBe(413);
    expect(await db.helpdeskCustomer.count()).toBe(before);
  });
});

describe("GET /api/customers", () => {
  it("pages with cursors, newest first, and filters by email (any case)", async () => {
    const ids: string[] = [];
    for (const index of [1, 2, 3]) {
      const answer = await api(keyA, "/api/customers", { body: { email: `pager${index}@example.com` } });
      ids.push(answer.body.id);
    }
    const first = await api(keyA, "/api/customers?limit=2");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ object: "list", uri: "/api/customers?limit=2" });
    expect(first.body.data.map((item: Json) => item.id)).toEqual([ids[2], ids[1]]);
    const second = await api(keyA, `/api/customers?limit=2&cursor=${first.body.meta.next_cursor}`);
    expect(second.body.data[0].id).toBe(ids[0]);
    // Every customer of A comes exactly once across the pages, none of B's.
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: Json = (await api(keyA, `/api/customers?limit=7&cursor=${cursor}`)).body;
      seen.push(...page.data.map((item: Json) => item.id));
      cursor = page.meta.next_cursor;
    }
    const all = await db.helpdeskCustomer.findMany({ where: { workspaceId: wsA }, select: { id: true } });
    expect(seen.sort()).toEqual(all.map((row) => row.id).sort());

    const byEmail = await api(keyA, "/api/customers?email=PAGER2@example.com");
    expect(byEmail.body.data.map((item: Json) => item.id)).toEqual([ids[1]]);
    expect((await api(keyA, "/api/customers?email=nope")).status).toBe(400);
    expect((await api(keyA, "/api/customers?cursor=bogus")).status).toBe(400);
  });

  it("never lists another workspace's customers, even by their email", async () => {
    const theirs = await db.helpdeskCustomer.create({
      data: { workspaceId: wsB, name: "North Secret", emails: ["north.secret@example.com"] },
    });
    const answer = await api(keyA, "/api/customers?email=north.secret@example.com");
    expect(answer.body.data).toEqual([]);
    expect((await api(keyA, `/api/customers/${theirs.id}`)).status).toBe(404);
    expect((await api(keyA, `/api/customers/${theirs.id}`, { method: "PUT", body: { name: "Taken" } })).status).toBe(
      404,
    );
    expect((await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: theirs.id } })).name).toBe("North Secret");
  });
});

describe("GET and PUT /api/customers/<id>", () => {
  it("shows each integration's stored answer under integrations, keyed by the integration's id", async () => {
    const integration = await api(keyA, "/api/integrations", {
      body: { name: "Loop Returns", type: "http", http: { url: "https://api.loop.example/{{ticket.customer.email}}" } },
    });
    const id = integration.body.id as number;
    await db.integrationResponse.create({
      data: {
        workspaceId: wsA,
        integrationId: id,
        customerId: created.id,
        body: { returns: [{ id: 7, state: "open" }] },
      },
    });
    const answer = await api(keyA, `/api/customers/${created.id}/`);
    expect(answer.status).toBe(200);
    expect(answer.body.integrations).toEqual({ [String(id)]: { returns: [{ id: 7, state: "open" }] } });
    const listed = await api(keyA, "/api/customers?email=zoe.quill@example.com");
    expect(listed.body.data[0].integrations).toEqual(answer.body.integrations);
  });

  it("PUT changes the name and makes an email the primary one, keeping the old address", async () => {
    const answer = await api(keyA, `/api/customers/${created.id}`, {
      method: "PUT",
      body: { firstname: "Zoé", lastname: "Quill-Hart", email: "zoe@quill.example" },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({
      name: "Zoé Quill-Hart",
      email: "zoe@quill.example",
      channels: [
        { type: "email", address: "zoe@quill.example", preferred: true },
        { type: "email", address: "zoe.quill@example.com", preferred: false },
      ],
    });
  });

  it("PUT refuses per field, another customer's email, unknown ids, and changes nothing", async () => {
    const before = await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: created.id } });
    const cases: [unknown, string[]][] = [
      [{ email: "nope" }, ["email"]],
      [{ name: "a\u0000" }, ["name"]],
      [{ email: "max.rowe@example.com" }, ["email"]],
    ];
    for (const [body, fields] of cases) {
      const answer = await api(keyA, `/api/customers/${created.id}`, { method: "PUT", body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(answer.body.error.data)).toEqual(fields);
    }
    expect((await api(keyA, `/api/customers/${created.id}`, { method: "PUT", raw: "{" })).status).toBe(400);
    expect(await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: created.id } })).toEqual(before);
    for (const path of ["/api/customers/00000000-0000-4000-8000-000000000000", "/api/customers/42"]) {
      expect((await api(keyA, path)).status, path).toBe(404);
    }
    expect((await api(keyA, `/api/customers/${created.id}`, { method: "DELETE" })).status).toBe(405);
  });
});

describe("authentication", () => {
  it("no key, a wrong key or a revoked key is a 401", async () => {
    expect((await api(null, "/api/customers")).status).toBe(401);
    expect((await api({ ...keyA, key: keyA.key.slice(0, -3) + "AAA" }, "/api/customers")).status).toBe(401);
    const doomed = await createApiKey(stack, A, "Soon revoked");
    expect((await api(doomed, `/api/customers/${created.id}`)).status).toBe(200);
    const row = await db.apiKey.findFirstOrThrow({ where: { name: "Soon revoked" } });
    expect((await revokeApiKey(stack, A, row.id)).status).toBe(200);
    expect((await api(doomed, `/api/customers/${created.id}`)).status).toBe(401);
    expect((await api(doomed, "/api/customers", { body: { email: "late@example.com" } })).status).toBe(401);
  });
});
