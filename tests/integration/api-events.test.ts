// /api/events over real HTTP: what the API and the inbox did shows in the feed (the rows the
// database triggers write), newest first, in cursor pages, filtered by type and object; another
// workspace's events are never listed or found.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_DATETIME, apiJson, apiRequest, createApiKey, type ApiKeyCredentials } from "../support/api-client.ts";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";

const A = "maple-goods-eu.myshopify.com";
const B = "north-trail.myshopify.com";

const { db } = await import("~/db.server");

let stack: IntegrationStack;
let keyA: ApiKeyCredentials;
let keyB: ApiKeyCredentials;
let wsB: string;

beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 2, customersPerShop: 2 } });
  for (const shop of [A, B]) expect((await stack.install(shop)).status).toBe(200);
  keyA = await createApiKey(stack, A, "Feed reader");
  keyB = await createApiKey(stack, B, "North reader");
  wsB = (await db.shop.findUniqueOrThrow({ where: { domain: B } })).workspaceId;
}, 120_000);
afterAll(() => stack?.stop());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const api = (key: ApiKeyCredentials | null, path: string, init?: Parameters<typeof apiRequest>[3]) =>
  apiJson<Json>(apiRequest(stack, key, path, init));

let ticketNumber: number;
let messageId: string;

describe("GET /api/events", () => {
  it("shows a ticket opened, a message added and a change, newest first, in the anchor's Event shape", async () => {
    const opened = await api(keyA, "/api/tickets", {
      body: { customer: { email: "ivy@example.com" }, subject: "Feed test", messages: [{ body_text: "Hello" }] },
    });
    expect(opened.status).toBe(201);
    ticketNumber = opened.body.id;
    const message = await api(keyA, `/api/tickets/${ticketNumber}/messages`, { body: { body_text: "Me again" } });
    messageId = message.body.id;
    expect(
      (await api(keyA, `/api/tickets/${ticketNumber}`, { method: "PUT", body: { priority: "high" } })).status,
    ).toBe(200);

    const feed = await api(keyA, "/api/events?limit=4");
    expect(feed.status).toBe(200);
    expect(feed.body).toMatchObject({ object: "list", uri: "/api/events?limit=4" });
    expect(feed.body.data.map((event: Json) => event.type)).toEqual([
      "ticket-updated",
      "ticket-message-created",
      "ticket-message-created",
      "ticket-created",
    ]);
    const [updated, added, , created] = feed.body.data as Json[];
    expect(updated).toEqual({
      id: expect.any(Number),
      type: "ticket-updated",
      object_type: "Ticket",
      object_id: ticketNumber,
      data: { changes: { priority: ["normal", "high"] } },
      context: { ticket_id: ticketNumber, ticket_uri: `/api/tickets/${ticketNumber}/` },
      created_datetime: expect.stringMatching(API_DATETIME),
      uri: `/api/events/${updated!.id}/`,
    });
    expect(added).toMatchObject({
      object_type: "TicketMessage",
      object_id: messageId,
      data: { ticket_number: ticketNumber, from_agent: false, public: true },
      context: { ticket_id: ticketNumber },
    });
    expect(created).toMatchObject({ object_id: ticketNumber, data: { status: "open", channel: "api" } });
    expect(updated!.id).toBeGreaterThan(created!.id);
  });

  it("pages with cursors and filters by types, object_type and object_id", async () => {
    const first = await api(keyA, "/api/events?limit=2");
    const second = await api(keyA, `/api/events?limit=2&cursor=${first.body.meta.next_cursor}`);
    const ids = [...first.body.data, ...second.body.data].map((event: Json) => event.id);
    const all = await api(keyA, "/api/events?limit=4");
    expect(ids).toEqual(all.body.data.map((event: Json) => event.id));

    const types = await api(keyA, "/api/events?types=ticket-created,ticket-updated");
    expect(new Set(types.body.data.map((event: Json) => event.type))).toEqual(
      new Set(["ticket-created", "ticket-updated"]),
    );
    const messages = await api(keyA, "/api/events?object_type=TicketMessage");
    expect(messages.body.data.every((event: Json) => event.object_type === "TicketMessage")).toBe(true);
    const one = await api(keyA, `/api/events?object_type=TicketMessage&object_id=${messageId}`);
    expect(one.body.data.map((event: Json) => event.object_id)).toEqual([messageId]);
    const ticket = await api(
      keyA,
      `/api/events?object_type=Ticket&object_id=${ticketNumber}&order_by=created_datetime:asc`,
    );
    expect(ticket.body.data.map((event: Json) => event.type)).toEqual(["ticket-created", "ticket-updated"]);
  });

  it("refuses bad filters with a 400 on the field", async () => {
    for (const [query, field] of [
      ["types=Ticket%20Created", "types"],
      ["object_type=Order", "object_type"],
      ["object_id=a%27b", "object_id"],
      ["cursor=bogus", "cursor"],
      ["limit=0", "limit"],
    ] as const) {
      const answer = await api(keyA, `/api/events?${query}`);
      expect(answer.status, query).toBe(400);
      expect(Object.keys(answer.body.error.data), query).toEqual([field]);
    }
    expect((await api(keyA, "/api/events", { body: { type: "ticket-created" } })).status).toBe(405);
  });

  it("reads one event by id; another workspace's events are never listed or found", async () => {
    const latest = (await api(keyA, "/api/events?limit=1")).body.data[0] as Json;
    const one = await api(keyA, latest.uri);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(latest);

    const theirs = await db.apiEvent.create({
      data: {
        workspaceId: wsB,
        type: "ticket-created",
        objectType: "Ticket",
        objectId: "777",
        data: { status: "open", channel: "chat", customerId: null },
      },
    });
    expect((await api(keyA, `/api/events/${theirs.id}`)).status).toBe(404);
    const listed = await api(keyA, "/api/events?object_id=777&limit=100");
    expect(listed.body.data).toEqual([]);
    expect((await api(keyB, `/api/events/${theirs.id}`)).status).toBe(200);
    expect((await api(keyB, `/api/events/${latest.id}`)).status).toBe(404);
    expect((await api(keyA, "/api/events/0")).status).toBe(404);
    expect((await api(keyA, "/api/events/99999999999999999999")).status).toBe(404);
    expect((await api(null, "/api/events")).status).toBe(401);
  });

  it("finds an event whose id is past the 32-bit range (event ids are bigint)", async () => {
    const far = 3_000_000_000n + BigInt(Math.floor(Math.random() * 1_000_000));
    const wsA = (await db.shop.findUniqueOrThrow({ where: { domain: A } })).workspaceId;
    await db.apiEvent.create({
      data: { id: far, workspaceId: wsA, type: "ticket-created", objectType: "Ticket", objectId: "778" },
    });
    const found = await api(keyA, `/api/events/${far}`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id: Number(far), object_id: 778 });
    expect((await api(keyB, `/api/events/${far}`)).status).toBe(404);
  });
});

describe("GET /api/openapi.json", () => {
  it("is served without a key through the route file with an escaped dot, as valid OpenAPI JSON", async () => {
    const response = await fetch(new URL("/api/openapi.json", stack.app.url));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(["/api/events", "/api/customers/{customerId}", "/api/tickets/{ticketId}/messages"]),
    );
    expect(stack.app.requests.at(-1)).toMatchObject({ path: "/api/openapi.json", route: "api.openapi[.]json.tsx" });
  });
});
