// DEV/TEST ONLY: a stand-in for Loop Returns' API on 127.0.0.1, serving fixtures.ts's returns. The
// demo's Loop integration calls it (Shopify and Loop are unreachable here) and the tests call it as
// Shopdesk's integrations would call Loop: the key in `X-Authorization` (401 without it), the v2
// returns search by customer email in Loop's envelope, the v1 return details and notes, and the v1
// return deep link (`POST /api/v1/order/link`, 422 on missing fields). Shapes follow our summary of
// Loop's responses (shared reference README); what Loop leaves undocumented (the 401 and 404
// bodies, the order of results) is a plausible choice, noted where it is made.
import { createHash, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { uuidFrom, type LoopFixtures } from "./fixtures.ts";

export interface FakeLoopOptions {
  /** Port to listen on (default: any free one). */
  port?: number;
  /** The key `X-Authorization` must carry. */
  apiKey: string;
  fixtures: LoopFixtures;
  /** The merchant's Loop subdomain, in the deep links it answers (default "company"). */
  storeHandle?: string;
}

/** A request the fake answered, for tests: what a caller really sent. */
export interface FakeLoopRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  status: number;
}

export interface FakeLoop {
  url: string;
  requests(): FakeLoopRequest[];
  /** Replaces the served data (the demo refreshes it when its customers change). */
  setFixtures(fixtures: LoopFixtures): void;
  close(): Promise<void>;
}

const HOST = "127.0.0.1";
const MAX_BODY_BYTES = 64 * 1024;
const KEPT_REQUESTS = 200;
/** The v2 search's default page size (the reference's example echoes 300). */
const DEFAULT_LIMIT = 300;

type Answer = { status: number; body: unknown };

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A `from`/`to` bound as Loop echoes it ("2022-11-10T23:59:59+00:00"): a date alone is the start
 * of that day for `from` and its end for `to`; an ISO datetime is taken as is. Null when invalid.
 */
function parseBound(value: string, end: boolean): Date | null {
  const text = DATE_ONLY.test(value) ? `${value}T${end ? "23:59:59" : "00:00:00"}Z` : value;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

const echoDate = (date: Date) => `${date.toISOString().slice(0, 19)}+00:00`;

function keyMatches(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== "string") return false;
  const [a, b] = [sent, expected].map((text) => createHash("sha256").update(text).digest());
  return timingSafeEqual(a!, b!);
}

const validation = (message: string): Answer => ({ status: 422, body: { errors: { message } } });

function searchReturns(fixtures: LoopFixtures, query: URLSearchParams): Answer {
  const from = parseBound(query.get("from") ?? "2010-01-01", false);
  const to = parseBound(query.get("to") ?? new Date().toISOString(), true);
  if (!from) return validation('"from" must be a date (YYYY-MM-DD) or an ISO-8601 datetime.');
  if (!to) return validation('"to" must be a date (YYYY-MM-DD) or an ISO-8601 datetime.');
  const filter = query.get("filter") ?? "created_at";
  if (filter !== "created_at" && filter !== "updated_at") {
    return validation('"filter" must be created_at or updated_at.');
  }
  const limitText = query.get("limit");
  const offsetText = query.get("offset");
  const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText);
  const offset = offsetText === null ? 0 : Number(offsetText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return validation('"limit" must be from 1 to 1000.');
  if (!Number.isInteger(offset) || offset < 0) return validation('"offset" must be 0 or more.');
  const email = query.get("customer_email");
  const pool = email === null ? Object.values(fixtures.byEmail).flat() : (fixtures.byEmail[email.toLowerCase()] ?? []);
  const inWindow = pool
    .filter((item) => {
      const at = new Date(item[filter]).getTime();
      return at >= from.getTime() && at <= to.getTime();
    })
    // Newest first (Loop does not document an order; newest first is what a sidebar wants).
    .sort((a, b) => b.created_at.localeCompare(a.created_at));
  return {
    status: 200,
    body: {
      status: "success",
      query: { from: echoDate(from), to: echoDate(to), customer_email: email, filter, limit, offset },
      data: inWindow.slice(offset, offset + limit),
    },
  };
}

const allReturns = (fixtures: LoopFixtures) => Object.values(fixtures.byEmail).flat();

/** v1 details: one return, by return id, order name or Shopify order id. */
function returnDetails(fixtures: LoopFixtures, query: URLSearchParams): Answer {
  const id = query.get("return_id") ?? query.get("id");
  const orderName = query.get("order_name") ?? query.get("name");
  const orderId = query.get("order_id");
  if (!id && !orderName && !orderId) return validation("Give a return_id, an order_name or an order_id.");
  const normalisedName = orderName && (orderName.startsWith("#") ? orderName : `#${orderName}`);
  const found = allReturns(fixtures).find(
    (item) =>
      (id !== null && item.id === id) ||
      (normalisedName !== null && item.order_name === normalisedName) ||
      (orderId !== null && item.provider_order_id === orderId),
  );
  return found ? { status: 200, body: found } : { status: 404, body: { message: "Return not found." } };
}

function returnNotes(fixtures: LoopFixtures, returnId: string): Answer {
  if (!allReturns(fixtures).some((item) => item.id === returnId)) {
    return { status: 404, body: { message: "Return not found." } };
  }
  return { status: 200, body: fixtures.notes[returnId] ?? [] };
}

/**
 * v1 deep link into the shopper's return portal for an order: `name` (the order name) and `zip`
 * (the postcode or, as here, the customer's email) are required; `gift` is a boolean. An order
 * the fake does not know, or a zip that is not its customer's, is Loop's 400 with error codes.
 */
function orderLink(fixtures: LoopFixtures, rawBody: string, storeHandle: string): Answer {
  let body: unknown;
  try {
    body = JSON.parse(rawBody || "{}");
  } catch {
    return { status: 400, body: { errors: ['["invalid_json"]'] } };
  }
  const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const name = typeof fields.name === "string" ? fields.name.trim() : "";
  const zip = typeof fields.zip === "string" ? fields.zip.trim() : "";
  if (!name || !zip) return validation('Missing fields: "name" and "zip" are both required.');
  if (fields.gift !== undefined && typeof fields.gift !== "boolean") {
    return validation('"gift" must be true or false.');
  }
  const orderName = name.startsWith("#") ? name : `#${name}`;
  const order = allReturns(fixtures).find((item) => item.order_name === orderName);
  if (!order) return { status: 400, body: { errors: ['["order_not_found"]'] } };
  if (order.customer.toLowerCase() !== zip.toLowerCase()) {
    return { status: 400, body: { errors: ['["zip_does_not_match"]'] } };
  }
  return {
    status: 200,
    body: { url: `https://${storeHandle}.loopreturns.com/#/link/${uuidFrom(`${orderName}|${zip.toLowerCase()}`)}` },
  };
}

function route(fixtures: LoopFixtures, request: http.IncomingMessage, body: string, storeHandle: string): Answer {
  const url = new URL(request.url ?? "/", `http://${HOST}`);
  const path = url.pathname.replace(/\/+$/, "");
  if (request.method === "GET" && path === "/api/v2/returns") return searchReturns(fixtures, url.searchParams);
  if (request.method === "GET" && path === "/api/v1/warehouse/return/details") {
    return returnDetails(fixtures, url.searchParams);
  }
  const notes = /^\/api\/v1\/warehouse\/return\/([^/]+)\/notes$/.exec(path);
  if (request.method === "GET" && notes) return returnNotes(fixtures, decodeURIComponent(notes[1]!));
  if (request.method === "POST" && path === "/api/v1/order/link") return orderLink(fixtures, body, storeHandle);
  return { status: 404, body: { message: "Not found." } };
}

export async function startFakeLoopReturns(options: FakeLoopOptions): Promise<FakeLoop> {
  let fixtures = options.fixtures;
  const storeHandle = options.storeHandle ?? "company";
  const requests: FakeLoopRequest[] = [];

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const answer: Answer =
        size > MAX_BODY_BYTES
          ? { status: 413, body: { message: "Request body too large." } }
          : // Loop's answer to a missing or wrong key (its body is undocumented; Laravel's is this).
            !keyMatches(request.headers["x-authorization"], options.apiKey)
            ? { status: 401, body: { message: "Unauthenticated." } }
            : route(fixtures, request, body, storeHandle);
      requests.push({
        method: request.method ?? "GET",
        url: request.url ?? "/",
        headers: request.headers,
        body,
        status: answer.status,
      });
      if (requests.length > KEPT_REQUESTS) requests.shift();
      response.writeHead(answer.status, { "content-type": "application/json" });
      response.end(JSON.stringify(answer.body));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${HOST}:${port}`,
    requests: () => [...requests],
    setFixtures(next) {
      fixtures = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
