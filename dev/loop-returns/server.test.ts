import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loopFixturesFor, NOT_AVAILABLE, type LoopCustomer, type LoopReturn } from "./fixtures.ts";
import { startFakeLoopReturns, type FakeLoop } from "./server.ts";
import {
  ENVELOPE_SHAPE,
  NOTE_SHAPE,
  ORDER_LINK_SHAPE,
  QUERY_SHAPE,
  returnMismatches,
  shapeMismatches,
} from "./shape.ts";

const KEY = "loop-test-key";
const day = (iso: string) => new Date(`${iso}T10:00:00Z`);
const CUSTOMERS: LoopCustomer[] = [
  {
    email: "Ava.Garcia@example.com",
    orders: [{ name: "#1001", shopifyId: "5500000000001", createdAt: day("2026-03-02") }],
  },
  {
    email: "ben.ito@example.com",
    orders: [
      { name: "#1002", shopifyId: "5500000000002", createdAt: day("2026-05-10") },
      { name: "#1005", shopifyId: "5500000000005", createdAt: day("2026-08-20") },
      { name: "#1009", shopifyId: "5500000000009", createdAt: day("2026-09-01") },
    ],
  },
  {
    email: "cleo.diaz@example.com",
    orders: [
      { name: "#1003", shopifyId: "5500000000003", createdAt: day("2026-06-01") },
      { name: "#1004", shopifyId: "5500000000004", createdAt: day("2026-07-01") },
      { name: "#1008", shopifyId: "5500000000008", createdAt: day("2026-10-01") },
    ],
  },
  {
    email: "dev.rao@example.com",
    orders: [
      { name: "#1006", shopifyId: "5500000000006", createdAt: day("2026-04-04") },
      { name: "#1007", shopifyId: "5500000000007", createdAt: day("2026-04-05") },
    ],
  },
];
const fixtures = loopFixturesFor(CUSTOMERS, { storeHandle: "maple-goods" });
const everyReturn = Object.values(fixtures.byEmail).flat();

let loop: FakeLoop;
beforeAll(async () => {
  loop = await startFakeLoopReturns({ apiKey: KEY, fixtures, storeHandle: "maple-goods" });
});
afterAll(() => loop.close());

const get = (path: string, key: string | null = KEY) =>
  fetch(`${loop.url}${path}`, { headers: key === null ? {} : { "X-Authorization": key } });
const postLink = (body: unknown, key = KEY) =>
  fetch(`${loop.url}/api/v1/order/link`, {
    method: "POST",
    headers: { "X-Authorization": key, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const search = (query: Record<string, string>) => get(`/api/v2/returns?${new URLSearchParams(query)}`);

describe("fake Loop Returns fixtures", () => {
  it("gives each customer 1 to 3 returns for orders they placed, the same ones every time", () => {
    expect(Object.keys(fixtures.byEmail).sort()).toEqual(CUSTOMERS.map((c) => c.email.toLowerCase()).sort());
    expect(fixtures.byEmail["ava.garcia@example.com"]).toHaveLength(1);
    expect(fixtures.byEmail["ben.ito@example.com"]).toHaveLength(2);
    expect(fixtures.byEmail["cleo.diaz@example.com"]).toHaveLength(3);
    expect(fixtures.byEmail["dev.rao@example.com"]).toHaveLength(1);
    for (const customer of CUSTOMERS) {
      for (const item of fixtures.byEmail[customer.email.toLowerCase()]!) {
        const order = customer.orders.find((candidate) => candidate.name === item.order_name);
        expect(order, item.order_name).toBeDefined();
        expect(item.provider_order_id).toBe(order!.shopifyId);
        expect(item.customer).toBe(customer.email.toLowerCase());
        expect(new Date(item.created_at).getTime()).toBeGreaterThan(order!.createdAt.getTime());
      }
    }
    expect(loopFixturesFor(CUSTOMERS, { storeHandle: "maple-goods" })).toEqual(fixtures);
    expect(new Set(everyReturn.map((item) => item.id)).size).toBe(everyReturn.length);
  });

  it("has Loop's shape and covers every quirk of its responses", () => {
    for (const item of everyReturn) expect(returnMismatches(item, `return ${item.id}`)).toEqual([]);
    const lines = everyReturn.flatMap((item) => item.line_items);
    const exchanges = everyReturn.flatMap((item) => item.exchanges);
    const placeholders = (field: keyof LoopReturn) => everyReturn.filter((item) => item[field] === NOT_AVAILABLE);
    for (const field of ["carrier", "tracking_number", "label_status", "label_updated_at"] as const) {
      expect(placeholders(field).length, field).toBeGreaterThan(0);
      // ... and real values elsewhere, so a renderer must tell them apart.
      expect(placeholders(field).length, field).toBeLessThan(everyReturn.length);
    }
    expect(lines.some((line) => line.barcode === NOT_AVAILABLE)).toBe(true);
    expect(lines.some((line) => /^".*"$/.test(line.return_reason))).toBe(true);
    expect(lines.some((line) => /^".*"$/.test(line.parent_return_reason))).toBe(true);
    expect(lines.some((line) => line.return_comment.includes('"'))).toBe(true);
    expect(lines.some((line) => line.price.startsWith("-"))).toBe(true);
    expect(lines.every((line) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(line.returned_at))).toBe(true);
    expect(everyReturn.some((item) => item.edited_at === null)).toBe(true);
    expect(everyReturn.some((item) => item.edited_at !== null)).toBe(true);
    expect(everyReturn.every((item) => item.return_method === null)).toBe(true);
    expect(everyReturn.every((item) => typeof item.destination_id === "number")).toBe(true);
    expect(exchanges.length).toBeGreaterThan(0);
    for (const exchange of exchanges) {
      expect(typeof exchange.exchange_order_id).toBe("number");
      expect(exchange.exchange_order_name).toMatch(/^EXC-\d+-\d+$/);
    }
    expect(new Set(everyReturn.map((item) => item.state))).toEqual(new Set(["open", "closed", "expired"]));
  });

  it("the shape check catches what differs from Loop's shape", () => {
    const good = everyReturn[0]!;
    expect(returnMismatches({ ...good, id: Number(good.id) })).toEqual([`$.id: ${Number(good.id)} is not digits`]);
    expect(returnMismatches({ ...good, created_at: "2026-03-05 10:00:00" })).toEqual([
      '$.created_at: "2026-03-05 10:00:00" is not iso',
    ]);
    const { carrier: _carrier, ...withoutCarrier } = good;
    expect(returnMismatches({ ...withoutCarrier, courier: "UPS" })).toEqual([
      "$.carrier: missing",
      "$.courier: not in Loop's shape",
    ]);
    expect(returnMismatches({ ...good, line_items: [{ ...good.line_items[0]!, price: 29.99 }] }).join()).toContain(
      "$.line_items[0].price: 29.99 is not money",
    );
  });
});

describe("fake Loop Returns server", () => {
  it("answers 401 without the key or with another one, whatever the endpoint", async () => {
    for (const path of ["/api/v2/returns?customer_email=ben.ito@example.com", "/api/v1/warehouse/return/details"]) {
      const missing = await get(path, null);
      expect(missing.status).toBe(401);
      expect(await missing.json()).toEqual({ message: "Unauthenticated." });
      expect((await get(path, "not-the-key")).status).toBe(401);
    }
    expect((await postLink({ name: "#1001", zip: "ava.garcia@example.com" }, "wrong")).status).toBe(401);
  });

  it("finds a customer's returns by email in Loop's envelope, as seed 002's integration asks for them", async () => {
    const response = await search({ from: "2010-01-01", to: "2050-01-01", customer_email: "Cleo.Diaz@example.com" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    const body = (await response.json()) as { status: string; query: unknown; data: LoopReturn[] };
    expect(shapeMismatches(body, ENVELOPE_SHAPE)).toEqual([]);
    expect(shapeMismatches(body.query, QUERY_SHAPE)).toEqual([]);
    expect(body.status).toBe("success");
    expect(body.query).toEqual({
      from: "2010-01-01T00:00:00+00:00",
      to: "2050-01-01T23:59:59+00:00",
      customer_email: "Cleo.Diaz@example.com",
      filter: "created_at",
      limit: 300,
      offset: 0,
    });
    expect(body.data.map((item) => item.order_name)).toEqual(["#1008", "#1004", "#1003"]);
    for (const item of body.data) expect(returnMismatches(item)).toEqual([]);
    // Untouched JSON: the quotes and placeholders reach the caller as Loop sends them.
    const newestFirst = [...fixtures.byEmail["cleo.diaz@example.com"]!].reverse();
    expect(JSON.stringify(body.data)).toEqual(JSON.stringify(newestFirst));

    const nobody = (await (await search({ customer_email: "nobody@example.com" })).json()) as { data: unknown[] };
    expect(nobody.data).toEqual([]);
  });

  it("keeps to the from/to window on created_at or updated_at, and pages with limit and offset", async () => {
    const email = "cleo.diaz@example.com";
    const inAutumn = (await (
      await search({ customer_email: email, from: "2026-09-01T00:00:00+00:00", to: "2026-12-31", filter: "updated_at" })
    ).json()) as { data: LoopReturn[]; query: { filter: string } };
    expect(inAutumn.data.map((item) => item.order_name)).toEqual(["#1008"]);
    expect(inAutumn.query.filter).toBe("updated_at");

    const page = (await (await search({ customer_email: email, limit: "1", offset: "1" })).json()) as {
      data: LoopReturn[];
    };
    expect(page.data.map((item) => item.order_name)).toEqual(["#1004"]);

    const refused: Record<string, string>[] = [
      { from: "yesterday" },
      { to: "2026-13-45" },
      { filter: "state" },
      { limit: "0" },
    ];
    for (const bad of refused) {
      const response = await search({ customer_email: email, ...bad });
      expect(response.status, JSON.stringify(bad)).toBe(422);
      expect(shapeMismatches(await response.json(), { errors: "object" })).toEqual([]);
    }
  });

  it("answers one return's details by return id, order name or Shopify order id, and its notes", async () => {
    const item = fixtures.byEmail["ben.ito@example.com"]![0]!;
    for (const query of [
      `return_id=${item.id}`,
      `order_name=${encodeURIComponent(item.order_name)}`,
      `order_id=${item.provider_order_id}`,
    ]) {
      const response = await get(`/api/v1/warehouse/return/details?${query}`);
      expect(response.status, query).toBe(200);
      expect(await response.json()).toEqual(item);
    }
    expect((await get("/api/v1/warehouse/return/details?return_id=1")).status).toBe(404);
    expect((await get("/api/v1/warehouse/return/details")).status).toBe(422);

    const withNotes = everyReturn.find((candidate) => fixtures.notes[candidate.id]?.length)!;
    const notes = (await (await get(`/api/v1/warehouse/return/${withNotes.id}/notes`)).json()) as unknown[];
    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes) expect(shapeMismatches(note, NOTE_SHAPE)).toEqual([]);
    expect(JSON.stringify(everyReturn.flatMap((r) => fixtures.notes[r.id] ?? []))).toContain('\\"');
    const withoutNotes = everyReturn.find((candidate) => !fixtures.notes[candidate.id])!;
    expect(await (await get(`/api/v1/warehouse/return/${withoutNotes.id}/notes`)).json()).toEqual([]);
    expect((await get("/api/v1/warehouse/return/999/notes")).status).toBe(404);
  });

  it("makes a return deep link for an order and its customer's email, 422 when a field is missing", async () => {
    const ok = await postLink({ name: "#1002", zip: "Ben.Ito@example.com", gift: false });
    expect(ok.status).toBe(200);
    const link = (await ok.json()) as { url: string };
    expect(shapeMismatches(link, ORDER_LINK_SHAPE)).toEqual([]);
    expect(link.url).toMatch(/^https:\/\/maple-goods\.loopreturns\.com\/#\/link\/[0-9a-f-]{36}$/);
    // The same order and zip, the same link (tests can expect it).
    expect(await (await postLink({ name: "#1002", zip: "ben.ito@example.com" })).json()).toEqual(link);

    for (const body of [{ name: "#1002" }, { zip: "ben.ito@example.com" }, { name: "", zip: "" }]) {
      const missing = await postLink(body);
      expect(missing.status, JSON.stringify(body)).toBe(422);
      expect(await missing.json()).toEqual({
        errors: { message: 'Missing fields: "name" and "zip" are both required.' },
      });
    }
    expect((await postLink({ name: "#1002", zip: "ben.ito@example.com", gift: "no" })).status).toBe(422);
    expect((await postLink({ name: "#4242", zip: "ben.ito@example.com" })).status).toBe(400);
    expect((await postLink({ name: "#1002", zip: "someone.else@example.com" })).status).toBe(400);

    const recorded = loop.requests().filter((request) => request.url === "/api/v1/order/link");
    expect(recorded.at(-1)).toMatchObject({ method: "POST", status: 400 });
    expect(JSON.parse(recorded.at(-1)!.body)).toEqual({ name: "#1002", zip: "someone.else@example.com" });
  });
});
