// The REST API under load: GET /api/tickets (a page of 30, newest first) and POST /api/tickets
// (open a ticket for a customer by email with the first message) through the real route modules
// behind node:http on 127.0.0.1 with basic auth and the per-key limit, on PostgreSQL (a fresh
// migrated database), beside a bare node:http server answering the same bytes in the same run.
//   api-tickets-list-rps|p50|p95     GET /api/tickets?limit=30 on a workspace of --tickets N (2,000)
//   api-tickets-create-rps|p50|p95   POST /api/tickets, a new customer every 10th request
//   api-bare-list-rps|p50|p95        node:http answering the captured list body, same client and concurrency
//   api-bare-create-rps|p50|p95      node:http reading a JSON body and answering a ticket's bytes with 201
// Each figure: --concurrency C (8) requests in flight for --seconds S (8) after a 1 s warm-up, one
// process for client and server (both share the 2 cores, as they do in the bare runs). Requests go
// round-robin over 200 keys of the workspace: one key allows 80 requests per 20 s, and a throughput
// figure of 429s would measure the limit, not the API (each request still authenticates with its
// key's UPDATE … RETURNING).
// Run alone: `npx tsx bench/api.ts [--tickets N] [--seconds S] [--concurrency C]`, or `npm run bench -- api`.
import http from "node:http";
import { toFetchRequest } from "../tests/support/node-request.ts";
import { benchAppDatabase, listen, numberFlag, percentile, report } from "./support.ts";

const TICKETS = numberFlag("tickets", 2000);
const SECONDS = numberFlag("seconds", 8);
const CONCURRENCY = numberFlag("concurrency", 8);
const KEYS = 200;

const database = await benchAppDatabase("api");

const { db, closeDatabase } = await import("~/db.server");
const { createApiKey } = await import("~/models/api-key.server");
const { createTicket } = await import("~/models/ticket.server");
const tickets = await import("~/routes/api.tickets");

const USERNAME = "bench-shop.myshopify.com";
const workspace = await db.workspace.create({ data: { name: "Bench" } });
const keys: string[] = [];
for (let index = 0; index < KEYS; index++) {
  const { key } = await createApiKey(workspace.id, { name: `bench ${index}`, username: USERNAME });
  keys.push(`Basic ${Buffer.from(`${USERNAME}:${key}`).toString("base64")}`);
}
const customers = await Promise.all(
  Array.from({ length: 50 }, (_, index) =>
    db.helpdeskCustomer.create({
      data: { workspaceId: workspace.id, name: `Shopper ${index}`, emails: [`shopper${index}@bench.example`] },
    }),
  ),
);
const seedStart = performance.now();
for (let start = 0; start < TICKETS; start += 50) {
  await Promise.all(
    Array.from({ length: Math.min(50, TICKETS - start) }, (_, offset) =>
      createTicket(workspace.id, {
        channel: "email",
        subject: `Where is order #${1000 + start + offset}?`,
        customerId: customers[(start + offset) % customers.length]!.id,
        tags: ["shipping"],
        firstMessage: { body: "Hello, my parcel has not arrived yet. Could you check?" },
      }),
    ),
  );
}
console.error(`bench api: ${TICKETS} tickets seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

// ---- The servers -----------------------------------------------------------------------------------

const app = await listen(async (req, res) => {
  const request = await toFetchRequest(req, app.url);
  const handler = request.method === "GET" ? tickets.loader : tickets.action;
  let response: Response;
  try {
    response = await handler({ request, params: {}, context: {} } as Parameters<typeof handler>[0]);
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});

let nextKey = 0;
const authorization = () => keys[nextKey++ % keys.length]!;
const ticketBody = (index: number) =>
  JSON.stringify({
    customer: { email: `buyer${Math.floor(index / 10)}@bench.example`, name: "Bench Buyer" },
    subject: "Return label please",
    tags: [{ name: "returns" }],
    messages: [{ body_text: "I would like to return the blue jacket. Could you send me a label?" }],
  });

// The bare server answers what the app answered, so both move the same bytes.
const sampleList = await fetch(`${app.url}/api/tickets?limit=30`, { headers: { authorization: authorization() } });
if (sampleList.status !== 200) throw new Error(`GET /api/tickets answered ${sampleList.status}`);
const listBytes = Buffer.from(await sampleList.arrayBuffer());
const sampleCreate = await fetch(`${app.url}/api/tickets`, {
  method: "POST",
  headers: { authorization: authorization(), "content-type": "application/json" },
  body: ticketBody(0),
});
if (sampleCreate.status !== 201) throw new Error(`POST /api/tickets answered ${sampleCreate.status}`);
const ticketBytes = Buffer.from(await sampleCreate.arrayBuffer());

const bare = await listen((req: http.IncomingMessage, res: http.ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    if (req.method === "POST") JSON.parse(Buffer.concat(chunks).toString("utf8"));
    res.writeHead(req.method === "POST" ? 201 : 200, { "content-type": "application/json" });
    res.end(req.method === "POST" ? ticketBytes : listBytes);
  });
});

// ---- The load --------------------------------------------------------------------------------------

type Send = (index: number) => Promise<Response>;

async function load(send: Send, seconds: number) {
  const latencies: number[] = [];
  let index = 0;
  let failures = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const at = performance.now();
        const response = await send(index++);
        await response.arrayBuffer();
        if (response.status >= 300) failures++;
        latencies.push(performance.now() - at);
      }
    }),
  );
  return { latencies, failures, seconds: (performance.now() - started) / 1000 };
}

async function measure(name: string, send: Send) {
  await load(send, 1);
  const result = await load(send, SECONDS);
  if (result.failures > 0) throw new Error(`${name}: ${result.failures} requests failed`);
  report(`${name}-rps`, result.latencies.length / result.seconds, "req/s");
  report(`${name}-p50`, percentile(result.latencies, 50), "ms");
  report(`${name}-p95`, percentile(result.latencies, 95), "ms");
}

const list = (base: string) => () =>
  fetch(`${base}/api/tickets?limit=30`, { headers: { authorization: authorization() } });
const create = (base: string) => (index: number) =>
  fetch(`${base}/api/tickets`, {
    method: "POST",
    headers: { authorization: authorization(), "content-type": "application/json" },
    body: ticketBody(index + 1),
  });

await measure("api-bare-list", list(bare.url));
await measure("api-tickets-list", list(app.url));
await measure("api-bare-create", create(bare.url));
await measure("api-tickets-create", create(app.url));
console.error(`bench api: ${await db.ticket.count({ where: { workspaceId: workspace.id } })} tickets at the end`);

await app.close();
await bare.close();
await closeDatabase();
await database.dispose();
