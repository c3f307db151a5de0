// Live chat on two app instances sharing one PostgreSQL, with 1,000 idle widget streams open.
// Two app processes (this file with --instance: the real route modules behind node:http, as the
// integration tests serve them, each with its own LISTEN hub and connection pool) on two ports;
// `--connections N` (1,000) widget streams (GET /chat/stream with a chat token each, from
// issueChatToken) spread evenly over both, the visitors and their chat tickets made up front with
// SQL. While they stay open:
//   chat-shopper-to-agent-p50|p95   shopper POST /chat/messages on instance A → the agent's inbox
//                                   stream (GET /app/live, authenticated like the embedded app) on
//                                   instance B gets that ticket's news; `--messages N` (200), one at a time
//   chat-agent-to-shopper-p50|p95   the agent's reply (the ticket page's own action, POST
//                                   /app/tickets/<id>, on instance A) → that shopper's /chat/stream on
//                                   instance B gets the `message` event; `--messages N`, one at a time
//   chat-idle-connection-rss|heap   the app processes' RSS (heap used) after opening the streams minus
//                                   before, after a full GC, per stream (KB)
//   chat-streams-opened-per-second  the streams opened (each until its `ready` event), 25 at a time
//   chat-idle-cpu                   both app processes' CPU time while the streams sit idle for
//                                   `--idle-seconds S` (21: each stream's 20 s heartbeat comes round once),
//                                   in % of one core, and chat-idle-statements-per-second what they send
//                                   PostgreSQL meanwhile (every pg client's statements, counted in the process)
//   chat-bare-…                     the same through a bare node:http SSE server in two processes of its
//                                   own: POST on one → NOTIFY on the same PostgreSQL → the other's LISTEN →
//                                   the stream; per idle stream, the same RSS/heap figures
//   chat-…-ratio                    app ÷ bare (p95 latency, RSS per stream)
// Every measured message is its own ticket's (no per-chat rate limit is in play; the per-shop one
// caps --messages); 20 warm-up messages each way come first. No job worker runs: a reply reaches the
// widget once stored (decision 026), its delivery job only marks it sent. The instances load the
// route modules with tsx, not the Vite build `npm start` serves: what they measure is the routes'
// and the LISTEN hub's work, without Express's and Remix's request handling. RSS moves with the
// allocator (the heap figure is the steadier one). Fails if a stream closes during the run.
// On a fresh embedded PostgreSQL (the default install) or a new database on BENCH_DATABASE_URL's server.
// Run alone: `npx tsx bench/chat.ts [--connections N] [--messages N]`, or `npm run bench -- chat`.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import {
  DEV_APP_CREDENTIALS,
  freePort,
  migrateDatabase,
  repoRoot,
  webhookSubscriptionsFromToml,
} from "../dev/stack.ts";
import { BENCH_SHOP, benchDatabase, numberFlag, percentile, report, sleep } from "./support.ts";

// ── one app instance (a child process) ────────────────────────────────────────────────────────────

type Handler = (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
type RouteModule = { loader?: Handler; action?: Handler };

/** The app's route modules behind node:http on PORT, streaming bodies as they come. */
async function serveInstance() {
  countStatements();
  const routesDir = path.join(repoRoot, "app/routes");
  const routes = readdirSync(routesDir)
    .filter((file) => file.endsWith(".tsx") && !file.includes(".test."))
    .map((file) => ({ file, segments: file.slice(0, -".tsx".length).split(".") }))
    .filter(({ segments }) => !segments.some((segment) => segment.startsWith("_") || segment.includes("[")));
  const modules = new Map<string, Promise<RouteModule>>();
  const load = (file: string) => {
    if (!modules.has(file)) modules.set(file, import(path.join(routesDir, file)) as Promise<RouteModule>);
    return modules.get(file)!;
  };
  const { authenticate } = await import("~/shopify.server");
  // app/routes/app.tsx imports Polaris CSS (Vite only); its loader authenticates, installing the shop.
  const install: Handler = async ({ request }) => {
    await authenticate.admin(request);
    return new Response("ok");
  };

  /** The route for a path: static segments beat `$param` ones. */
  function routeFor(pathname: string): { file: string; params: Record<string, string> } | null {
    const parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
    let best: { file: string; params: Record<string, string>; statics: number } | null = null;
    for (const { file, segments } of routes) {
      if (segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let statics = 0;
      const matches = segments.every((segment, index) => {
        if (segment.startsWith("$")) return ((params[segment.slice(1)] = parts[index]!), true);
        statics++;
        return segment === parts[index];
      });
      if (matches && (!best || statics > best.statics)) best = { file, params, statics };
    }
    return best;
  }

  const origin = process.env.SHOPIFY_APP_URL!;
  const server = http.createServer(async (req, res) => {
    const aborted = new AbortController();
    res.on("close", () => aborted.abort());
    let response: Response;
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const request = new Request(new URL(req.url ?? "/", origin), {
        method: req.method,
        headers,
        body: hasBody ? Buffer.concat(chunks) : undefined,
        signal: aborted.signal,
      });
      const url = new URL(request.url);
      const route = url.pathname === "/app" ? null : routeFor(url.pathname);
      const module = route ? await load(route.file) : null;
      const handler = url.pathname === "/app" ? install : request.method === "GET" ? module?.loader : module?.action;
      response = handler
        ? await toResponse(
            await Promise.resolve()
              .then(() => handler({ request, params: route?.params ?? {}, context: {} }))
              .catch((thrown: unknown) => {
                if (thrown instanceof Response) return thrown; // the library's 401/400/302
                throw thrown;
              }),
          )
        : new Response("Not found", { status: 404 });
    } catch (error) {
      response = new Response(error instanceof Error ? (error.stack ?? error.message) : String(error), { status: 500 });
    }
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return void res.end();
    const reader = response.body.getReader();
    res.on("close", () => void reader.cancel().catch(() => {}));
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        res.write(value);
      }
    } catch {
      // the client went away
    }
    res.end();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(Number(process.env.PORT), "127.0.0.1", resolve));
  answerStatsQuestions(server);
  process.send!({ type: "listening", port: (server.address() as AddressInfo).port });
  process.once("SIGTERM", () => {
    server.closeAllConnections();
    process.exit(0);
  });
}

// Remix's `data(value, { status })`: the status is the client's, not 200.
type DataWithResponseInit = { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null };
async function toResponse(result: unknown): Promise<Response> {
  if (result instanceof Response) return result;
  const withInit = result as DataWithResponseInit | null;
  if (withInit && typeof withInit === "object" && withInit.type === "DataWithResponseInit") {
    return Response.json(withInit.data ?? null, withInit.init ?? undefined);
  }
  return Response.json(result ?? null);
}

/** Statements this process sent to PostgreSQL (every pg client's, the pools' and the LISTEN one's). */
let statementsSent = 0;
function countStatements() {
  const query = pg.Client.prototype.query as unknown as (this: unknown, ...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
    statementsSent++;
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
}

/** IPC "stats": memory after a full collection (run with --expose-gc), CPU time, statements sent. */
function answerStatsQuestions(server: http.Server) {
  process.on("message", (message: unknown) => {
    if (message !== "stats" && message !== "stats:no-gc") return;
    const gc = (globalThis as { gc?: () => void }).gc;
    if (message === "stats") {
      gc?.();
      gc?.();
    }
    const { rss, heapUsed, external } = process.memoryUsage();
    const { user, system } = process.cpuUsage();
    server.getConnections((_error, connections) =>
      process.send!({
        type: "stats",
        rss,
        heapUsed,
        external,
        connections,
        cpuMs: (user + system) / 1000,
        statements: statementsSent,
      }),
    );
  });
}

// ── the bare baseline (a child process of its own, plain JavaScript) ─────────────────────────────

const BARE_CHANNEL = "shopdesk_bench_chat_bare";
const BARE_SOURCE = `
const http = require("node:http");
const pg = require("pg");
const streams = new Map();
let seq = 0;
const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
listener.on("notification", (notification) => {
  const news = JSON.parse(notification.payload);
  streams.get(news.to)?.write("id: " + news.seq + "\\nevent: message\\ndata: " + notification.payload + "\\n\\n");
});
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://bare.invalid");
  if (req.method === "GET" && url.pathname === "/stream") {
    const to = url.searchParams.get("to");
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
    streams.set(to, res);
    const heartbeat = setInterval(() => res.write(": heartbeat\\n\\n"), ${20_000});
    res.on("close", () => {
      clearInterval(heartbeat);
      if (streams.get(to) === res) streams.delete(to);
    });
    res.write("retry: 3000\\nevent: ready\\ndata: {}\\n\\n");
    return;
  }
  if (req.method === "POST" && url.pathname === "/publish") {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", async () => {
      const { to, body } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const payload = JSON.stringify({ to, body, seq: String(++seq) });
      await pool.query("SELECT pg_notify('${BARE_CHANNEL}', $1)", [payload]);
      res.writeHead(201, { "content-type": "application/json" }).end(payload);
    });
    return;
  }
  res.writeHead(404).end();
});
server.keepAliveTimeout = 60000;
process.on("message", (message) => {
  if (message !== "stats" && message !== "stats:no-gc") return;
  if (message === "stats") { global.gc(); global.gc(); }
  const { rss, heapUsed, external } = process.memoryUsage();
  const { user, system } = process.cpuUsage();
  server.getConnections((error, connections) =>
    process.send({ type: "stats", rss, heapUsed, external, connections, cpuMs: (user + system) / 1000, statements: 0 }),
  );
});
process.once("SIGTERM", () => { server.closeAllConnections(); process.exit(0); });
listener.connect().then(() => listener.query("LISTEN ${BARE_CHANNEL}")).then(() =>
  server.listen(Number(process.env.PORT), "127.0.0.1", () => process.send({ type: "listening", port: server.address().port })),
);`;

// ── the bench ───────────────────────────────────────────────────────────────────────────────────

interface Stats {
  rss: number;
  heapUsed: number;
  external: number;
  connections: number;
  /** CPU time (user + system) since the process started. */
  cpuMs: number;
  /** Statements sent to PostgreSQL since the process started (app instances only). */
  statements: number;
}

/** A child process answering IPC: "listening" once, "stats" on request. */
class Instance {
  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(
    name: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    logFile: string,
    port?: number,
  ): Promise<Instance> {
    port ??= await freePort();
    const logFd = openSync(logFile, "a");
    const child = spawn(process.execPath, args, {
      cwd: repoRoot,
      env: { ...env, PORT: String(port) },
      stdio: ["ignore", logFd, logFd, "ipc"],
      detached: true, // its own process group, stopped as one
    });
    closeSync(logFd);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not listen within 180 s`)), 180_000);
      child.once("exit", (code) => reject(new Error(`${name} exited (${code}):\n${tail(logFile)}`)));
      child.on("message", (message: { type?: string }) => {
        if (message?.type !== "listening") return;
        clearTimeout(timer);
        resolve();
      });
    });
    return new Instance(name, child, `http://127.0.0.1:${port}`);
  }

  /** Its figures now; memory after a full collection unless `collect` is false (a CPU reading). */
  stats(collect = true): Promise<Stats> {
    return new Promise((resolve) => {
      const onMessage = (message: Stats & { type?: string }) => {
        if (message?.type !== "stats") return;
        this.child.off("message", onMessage);
        resolve(message);
      };
      this.child.on("message", onMessage);
      this.child.send(collect ? "stats" : "stats:no-gc");
    });
  }

  async stop() {
    if (this.child.exitCode !== null || this.child.pid === undefined) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    process.kill(-this.child.pid, "SIGTERM");
    const timer = setTimeout(() => process.kill(-this.child.pid!, "SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }
}

const tail = (file: string) => {
  try {
    return readFileSync(file, "utf8").slice(-4000);
  } catch {
    return "(no log)";
  }
};

interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** A text/event-stream read with node:http (one socket each), events handed to listeners as they arrive. */
class EventStream {
  closed = false;
  private readonly listeners = new Set<(event: SseEvent, at: number) => void>();
  constructor(private readonly request: http.ClientRequest) {}

  /** Resolves with the arrival time of the first event `matches` accepts (listening from now). */
  next(what: string, matches: (event: SseEvent) => boolean, timeoutMs = 15_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`));
      }, timeoutMs);
      const listener = (event: SseEvent, at: number) => {
        if (!matches(event)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(at);
      };
      this.listeners.add(listener);
    });
  }

  emit(event: SseEvent, at: number) {
    for (const listener of [...this.listeners]) listener(event, at);
  }

  close() {
    this.closed = true;
    this.request.destroy();
  }

  static open(url: string, headers: Record<string, string> = {}, timeoutMs = 60_000): Promise<EventStream> {
    return new Promise((resolve, reject) => {
      const request = http.get(url, { headers: { accept: "text/event-stream", ...headers }, agent: false });
      const stream = new EventStream(request);
      const timer = setTimeout(() => {
        request.destroy();
        reject(new Error(`No ready event from ${url} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      request.on("error", (error) => {
        clearTimeout(timer);
        stream.closed = true;
        reject(error);
      });
      request.on("response", (response) => {
        response.setEncoding("utf8");
        if (response.statusCode !== 200) {
          let text = "";
          response.on("data", (chunk: string) => (text += chunk));
          response.on("end", () => {
            clearTimeout(timer);
            reject(new Error(`${url} answered ${response.statusCode}: ${text.slice(0, 500)}`));
          });
          return;
        }
        let buffer = "";
        response.on("data", (chunk: string) => {
          const at = performance.now();
          buffer += chunk;
          for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event: SseEvent = { event: "message", data: "" };
            let hasData = false;
            for (const line of block.split("\n")) {
              if (line.startsWith(":")) continue;
              const colon = line.indexOf(":");
              const field = colon === -1 ? line : line.slice(0, colon);
              const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
              if (field === "event") event.event = value;
              else if (field === "id") event.id = value;
              else if (field === "data") {
                event.data = hasData ? `${event.data}\n${value}` : value;
                hasData = true;
              }
            }
            if (!hasData) continue; // a comment (heartbeat) or retry only
            if (event.event === "ready") {
              clearTimeout(timer);
              resolve(stream);
            }
            stream.emit(event, at);
          }
        });
        response.on("close", () => (stream.closed = true));
      });
    });
  }
}

/** Opens `count` streams, `concurrency` at a time; returns them in order and the seconds it took. */
async function openStreams(count: number, open: (index: number) => Promise<EventStream>, concurrency = 25) {
  const streams: EventStream[] = new Array(count);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < count; index = next++) streams[index] = await open(index);
    }),
  );
  return { streams, seconds: (performance.now() - started) / 1000 };
}

/** Per stream, in KB: what the processes grew by between `before` and `after`, over `count` streams. */
function perStream(before: Stats[], after: Stats[], count: number) {
  const sum = (list: Stats[], pick: (stats: Stats) => number) => list.reduce((total, m) => total + pick(m), 0);
  return {
    rss: (sum(after, (m) => m.rss) - sum(before, (m) => m.rss)) / count / 1024,
    heap: (sum(after, (m) => m.heapUsed) - sum(before, (m) => m.heapUsed)) / count / 1024,
  };
}

async function expectStatus(response: Response, status: number, what: string) {
  if (response.status !== status) {
    throw new Error(`${what} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
  }
  return response;
}

/** The admin's browser (Shopify's library turns away requests that look like bots). */
const BROWSER = "Mozilla/5.0 Chrome/156.0";

/** The visitors (each with a chat ticket of one shopper message) made with a few statements. */
async function seedVisitors(client: pg.Client, shop: { id: string; workspaceId: string }, count: number) {
  const visitors = Array.from({ length: count }, (_, index) => ({
    index,
    id: randomUUID(),
    customerId: randomUUID(),
    ticketId: randomUUID(),
    email: `visitor${index}@bench.example`,
  }));
  const column = <K extends keyof (typeof visitors)[number]>(key: K) => visitors.map((visitor) => visitor[key]);
  const body = "Hello, is the blue jacket back in stock soon?";
  await client.query("BEGIN");
  // What postChatMessage's first message makes (openTicket and the chat rows), in bulk.
  const { rows } = await client.query<{ last: number }>(
    `UPDATE "Workspace" SET "lastTicketNumber" = "lastTicketNumber" + $2 WHERE id = $1 RETURNING "lastTicketNumber" AS last`,
    [shop.workspaceId, count],
  );
  const firstNumber = rows[0]!.last - count + 1;
  await client.query(
    `INSERT INTO "HelpdeskCustomer" (id, "workspaceId", name, emails, phones, "updatedAt")
     SELECT id, $1, 'Visitor ' || i, ARRAY[email], '{}', now()
     FROM unnest($2::text[], $3::text[], $4::int[]) AS v(id, email, i)`,
    [shop.workspaceId, column("customerId"), column("email"), column("index")],
  );
  await client.query(
    `INSERT INTO "Ticket" (id, "workspaceId", number, channel, subject, tags, "customerId", "shopId",
                           "messageCount", "updatedAt", "lastCustomerMessageAt")
     SELECT id, $1, $2 + i, 'chat', $3, ARRAY['chat'], "customerId", $4, 1, now(), now()
     FROM unnest($5::text[], $6::text[], $7::int[]) AS v(id, "customerId", i)`,
    [shop.workspaceId, firstNumber, body, shop.id, column("ticketId"), column("customerId"), column("index")],
  );
  await client.query(
    `INSERT INTO "TicketEntry" (id, "ticketId", "workspaceId", kind, channel, event, "toAddresses", "references")
     SELECT gen_random_uuid(), id, $1, 'system_event', 'chat', '{"type":"created","channel":"chat"}', '{}', '{}'
     FROM unnest($2::text[]) AS v(id)`,
    [shop.workspaceId, column("ticketId")],
  );
  await client.query(
    `INSERT INTO "TicketEntry" (id, "ticketId", "workspaceId", kind, channel, "authorCustomerId", body,
                                "fromAddress", "messageId", "toAddresses", "references")
     SELECT gen_random_uuid(), "ticketId", $1, 'customer_message', 'chat', "customerId", $2, email,
            'chat:' || "visitorId" || ':first', '{}', '{}'
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS v("ticketId", "customerId", email, "visitorId")`,
    [shop.workspaceId, body, column("ticketId"), column("customerId"), column("email"), column("id")],
  );
  await client.query(
    `INSERT INTO "ChatVisitor" (id, "shopId", "workspaceId", email, name, "customerId", "ticketId")
     SELECT id, $1, $2, email, 'Visitor ' || i, "customerId", "ticketId"
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::int[]) AS v(id, email, "customerId", "ticketId", i)`,
    [
      shop.id,
      shop.workspaceId,
      column("id"),
      column("email"),
      column("customerId"),
      column("ticketId"),
      column("index"),
    ],
  );
  await client.query(
    `INSERT INTO "ChatThread" ("ticketId", "workspaceId", "visitorId", "updatedAt")
     SELECT "ticketId", $1, id, now() FROM unnest($2::text[], $3::text[]) AS v(id, "ticketId")`,
    [shop.workspaceId, column("id"), column("ticketId")],
  );
  await client.query("COMMIT");
  return visitors;
}

/** Latency samples of `rounds` sends after `warmup` unmeasured ones: each from just before the send to the event. */
async function sample(rounds: number, warmup: number, once: (round: number) => Promise<number>) {
  const latencies: number[] = [];
  for (let round = 0; round < warmup + rounds; round++) {
    const latency = await once(round);
    if (round >= warmup) latencies.push(latency);
  }
  return latencies;
}

async function runBench() {
  const CONNECTIONS = numberFlag("connections", 1000);
  const MESSAGES = numberFlag("messages", 200);
  const WARMUP = Math.min(20, MESSAGES);
  const IDLE_SECONDS = numberFlag("idle-seconds", 21);
  if (CONNECTIONS < 2) throw new Error("--connections takes 2 or more (one stream on each instance)");
  // POST /chat/messages allows 600 messages a minute per shop (chat-limits.server.ts): stay below.
  if (WARMUP + MESSAGES > 550) throw new Error("--messages takes at most 530 (the per-shop message limit)");

  const { startStoreEmulator } = await import("../dev/store-emulator/index.ts");
  const { adminHostParam } = await import("../dev/store-emulator/signing.ts");
  const { issueChatToken } = await import("../app/services/chat/chat-token.server.ts");
  const database = await benchDatabase();
  console.error(
    `bench chat: on ${database.description}; load average ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(" ")}`,
  );
  const workDir = mkdtempSync(path.join(os.tmpdir(), "shopdesk-bench-chat-"));
  const instances: Instance[] = [];
  const streams: EventStream[] = [];
  const client = new pg.Client({ connectionString: database.url });
  let emulator: Awaited<ReturnType<typeof startStoreEmulator>> | null = null;
  let succeeded = false;
  try {
    migrateDatabase(database.url);
    await client.connect();
    const { apiKey, apiSecret } = DEV_APP_CREDENTIALS;
    // Behind a load balancer both instances have one public origin, the one Shopify knows: A's here.
    const appPort = await freePort();
    const appUrl = `http://127.0.0.1:${appPort}`;
    emulator = await startStoreEmulator({
      app: { apiKey, apiSecret, url: appUrl },
      webhooks: webhookSubscriptionsFromToml(),
      seed: { ordersPerShop: 2, customersPerShop: 2, shops: [BENCH_SHOP] },
    });
    const shopDomain = BENCH_SHOP.domain;
    const appEnv: NodeJS.ProcessEnv = {
      ...process.env,
      SHOPIFY_API_KEY: apiKey,
      SHOPIFY_API_SECRET: apiSecret,
      SHOPIFY_APP_URL: appUrl,
      DATABASE_URL: database.url,
      SHOPDESK_EMULATOR_URL: emulator.url,
      SHOPDESK_SECRETS_KEY: process.env.SHOPDESK_SECRETS_KEY ?? randomBytes(32).toString("base64"),
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
    };
    const instanceArgs = [
      "--expose-gc",
      "--import",
      "tsx",
      "--import",
      path.join(repoRoot, "dev/intercept.mjs"),
      path.join(repoRoot, "bench/chat.ts"),
      "--instance",
    ];
    const loading = performance.now();
    const [a, b] = await Promise.all([
      Instance.start("instance A", instanceArgs, appEnv, path.join(workDir, "app-a.log"), appPort),
      Instance.start("instance B", instanceArgs, appEnv, path.join(workDir, "app-b.log")),
    ]);
    instances.push(a, b);
    console.error(`bench chat: two app instances up in ${((performance.now() - loading) / 1000).toFixed(1)} s`);

    // The admin opens the embedded app once: token exchange, install.
    const sessionToken = () => emulator!.sessionToken(shopDomain);
    const install = new URL("/app", a.url);
    install.searchParams.set("embedded", "1");
    install.searchParams.set("shop", shopDomain);
    install.searchParams.set("host", adminHostParam(shopDomain));
    install.searchParams.set("id_token", sessionToken());
    await expectStatus(await fetch(install, { headers: { "user-agent": BROWSER } }), 200, "install");
    const { rows: shops } = await client.query<{ id: string; workspaceId: string }>(
      `SELECT id, "workspaceId" FROM "Shop" WHERE domain = $1`,
      [shopDomain],
    );
    const shop = shops[0]!;
    const seeding = performance.now();
    const visitors = await seedVisitors(client, shop, CONNECTIONS);
    const tokens = visitors.map((visitor) => issueChatToken({ id: visitor.id, shopId: shop.id }, apiSecret).token);
    console.error(
      `bench chat: ${CONNECTIONS} visitors with a chat ticket each in ${((performance.now() - seeding) / 1000).toFixed(1)} s`,
    );

    // The agent's inbox on B (the embedded app's fetch sends the session token as a bearer).
    const agentInbox = await EventStream.open(`${b.url}/app/live`, {
      authorization: `Bearer ${sessionToken()}`,
      "user-agent": BROWSER,
    });
    streams.push(agentInbox);
    // Warm both instances (their chat routes, LISTEN hubs, JIT, allocator) with streams opened and
    // closed again, so the memory reading before the streams is of a process that has served some.
    const warmCount = Math.min(100, CONNECTIONS);
    const warm = await openStreams(warmCount, (index) =>
      EventStream.open(`${(index % 2 === 0 ? a : b).url}/chat/stream?token=${encodeURIComponent(tokens[index]!)}`),
    );
    for (const stream of warm.streams) stream.close();
    await sleep(1000);
    const before = await Promise.all([a.stats(), b.stats()]);

    // The widget streams: even visitors on A, odd on B.
    const onInstance = (index: number) => (index % 2 === 0 ? a : b);
    const opened = await openStreams(CONNECTIONS, (index) =>
      EventStream.open(`${onInstance(index).url}/chat/stream?token=${encodeURIComponent(tokens[index]!)}`),
    );
    streams.push(...opened.streams);
    const widgetStreams = opened.streams;
    console.error(`bench chat: ${CONNECTIONS} widget streams open in ${opened.seconds.toFixed(1)} s`);
    await sleep(2000);
    const after = await Promise.all([a.stats(), b.stats()]);
    console.error(
      `bench chat: app memory before ${JSON.stringify(before)} after ${JSON.stringify(after)} (bytes; connections as the servers count them)`,
    );
    const appPerStream = perStream(before, after, CONNECTIONS);

    // Idle: long enough for every stream's heartbeat (HEARTBEAT_MS) to come round once.
    const idleStart = await Promise.all([a.stats(false), b.stats(false)]);
    const idleStarted = performance.now();
    await sleep(IDLE_SECONDS * 1000);
    const idleEnd = await Promise.all([a.stats(false), b.stats(false)]);
    const idleMs = performance.now() - idleStarted;
    const delta = (pick: (stats: Stats) => number) =>
      idleEnd.reduce((total, end, index) => total + pick(end) - pick(idleStart[index]!), 0);
    const idleCpuPercent = (delta((stats) => stats.cpuMs) / idleMs) * 100;
    const idleStatementsPerSecond = delta((stats) => stats.statements) / (idleMs / 1000);

    // Shopper → agent: a message posted on A, news of its ticket on the agent's inbox stream on B.
    const answered = { shopper: [] as number[], agent: [] as number[] };
    const shopperToAgent = await sample(MESSAGES, WARMUP, async (round) => {
      const visitor = visitors[round % CONNECTIONS]!;
      const news = agentInbox.next(
        `the agent's news of ticket ${visitor.ticketId}`,
        (event) => event.event === "ticket" && event.data.includes(visitor.ticketId),
      );
      news.catch(() => {}); // awaited below, unless the POST fails first
      const started = performance.now();
      const response = await fetch(`${a.url}/chat/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokens[visitor.index]}`, "content-type": "application/json" },
        body: JSON.stringify({ body: `Any news on my order? (${round})`, clientId: `bench-${round}` }),
      });
      await expectStatus(response, 201, "POST /chat/messages");
      answered.shopper.push(performance.now() - started);
      return (await news) - started;
    });

    // Agent → shopper: the ticket page's reply action on A, the `message` event on the shopper's stream on B.
    const agentToShopper = await sample(MESSAGES, WARMUP, async (round) => {
      const visitor = visitors[2 * (round % Math.floor(CONNECTIONS / 2)) + 1]!; // odd: its stream is on B
      const text = `We are on it (${round})`;
      const delivered = widgetStreams[visitor.index]!.next(
        `the reply on ${visitor.email}'s stream`,
        (event) => event.event === "message" && event.data.includes(text),
      );
      delivered.catch(() => {}); // awaited below, unless the POST fails first
      const started = performance.now();
      const response = await fetch(`${a.url}/app/tickets/${visitor.ticketId}`, {
        method: "POST",
        headers: { authorization: `Bearer ${sessionToken()}`, "user-agent": BROWSER },
        body: new URLSearchParams({ intent: "reply", body: text }),
      });
      await expectStatus(response, 200, "the ticket page's reply");
      answered.agent.push(performance.now() - started);
      return (await delivered) - started;
    });
    const p50p95 = (values: number[]) =>
      `p50 ${percentile(values, 50).toFixed(1)} ms, p95 ${percentile(values, 95).toFixed(1)} ms`;
    console.error(
      `bench chat: POST /chat/messages answered in ${p50p95(answered.shopper)}; the reply action in ${p50p95(answered.agent)} (warm-up included)`,
    );
    const closed = widgetStreams.filter((stream) => stream.closed).length + Number(agentInbox.closed);
    if (closed > 0) throw new Error(`${closed} streams closed during the run`);
    for (const stream of streams.splice(0)) stream.close();
    await Promise.all(instances.splice(0).map((instance) => instance.stop()));

    // ── the bare baseline: the same fan-out, nothing of the app ──
    const bareArgs = ["--expose-gc", "-e", BARE_SOURCE];
    const bareEnv = { ...process.env, DATABASE_URL: database.url };
    const [bareA, bareB] = await Promise.all([
      Instance.start("bare A", bareArgs, bareEnv, path.join(workDir, "bare-a.log")),
      Instance.start("bare B", bareArgs, bareEnv, path.join(workDir, "bare-b.log")),
    ]);
    instances.push(bareA, bareB);
    const bareAgent = await EventStream.open(`${bareB.url}/stream?to=agent`);
    streams.push(bareAgent);
    const bareWarm = await openStreams(Math.min(100, CONNECTIONS), (index) =>
      EventStream.open(`${(index % 2 === 0 ? bareA : bareB).url}/stream?to=warm-${index}`),
    );
    for (const stream of bareWarm.streams) stream.close();
    await sleep(1000);
    const bareBefore = await Promise.all([bareA.stats(), bareB.stats()]);
    const bareOpened = await openStreams(CONNECTIONS, (index) =>
      EventStream.open(`${(index % 2 === 0 ? bareA : bareB).url}/stream?to=${index}`),
    );
    streams.push(...bareOpened.streams);
    await sleep(2000);
    const bareAfter = await Promise.all([bareA.stats(), bareB.stats()]);
    const barePerStream = perStream(bareBefore, bareAfter, CONNECTIONS);
    const bareDelivery = await sample(MESSAGES, WARMUP, async (round) => {
      // Alternately to the agent's stream and to a shopper's on B, as above.
      const to = round % 2 === 0 ? "agent" : String((2 * round + 1) % CONNECTIONS);
      const stream = to === "agent" ? bareAgent : bareOpened.streams[Number(to)]!;
      const text = `bare ${round}`;
      const delivered = stream.next(`bare delivery ${round}`, (event) => event.data.includes(`"${text}"`));
      delivered.catch(() => {}); // awaited below, unless the POST fails first
      const started = performance.now();
      const response = await fetch(`${bareA.url}/publish`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ to, body: text }),
      });
      await expectStatus(response, 201, "bare publish");
      return (await delivered) - started;
    });
    const bareClosed = bareOpened.streams.filter((stream) => stream.closed).length;
    if (bareClosed > 0) throw new Error(`${bareClosed} bare streams closed during the run`);

    console.error(
      `bench chat: ${CONNECTIONS} streams over 2 instances, ${MESSAGES} measured messages each way; load average ${os
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(" ")}`,
    );
    report("chat-shopper-to-agent-p50", percentile(shopperToAgent, 50), "ms");
    report("chat-shopper-to-agent-p95", percentile(shopperToAgent, 95), "ms");
    report("chat-agent-to-shopper-p50", percentile(agentToShopper, 50), "ms");
    report("chat-agent-to-shopper-p95", percentile(agentToShopper, 95), "ms");
    report("chat-idle-connection-rss", appPerStream.rss, "KB");
    report("chat-idle-connection-heap", appPerStream.heap, "KB");
    report("chat-streams-opened-per-second", CONNECTIONS / opened.seconds, "streams/s");
    report("chat-idle-cpu", idleCpuPercent, "% of a core");
    report("chat-idle-statements-per-second", idleStatementsPerSecond, "statements/s");
    report("chat-bare-delivery-p50", percentile(bareDelivery, 50), "ms");
    report("chat-bare-delivery-p95", percentile(bareDelivery, 95), "ms");
    report("chat-bare-idle-connection-rss", barePerStream.rss, "KB");
    report("chat-bare-idle-connection-heap", barePerStream.heap, "KB");
    report("chat-bare-streams-opened-per-second", CONNECTIONS / bareOpened.seconds, "streams/s");
    const bareP95 = percentile(bareDelivery, 95);
    report("chat-shopper-to-agent-ratio", percentile(shopperToAgent, 95) / bareP95, "x");
    report("chat-agent-to-shopper-ratio", percentile(agentToShopper, 95) / bareP95, "x");
    report("chat-idle-connection-rss-ratio", appPerStream.rss / barePerStream.rss, "x");
    succeeded = true;
  } catch (error) {
    console.error(`bench chat: the processes' logs are in ${workDir}`);
    throw error;
  } finally {
    for (const stream of streams) stream.close();
    await Promise.all(instances.map((instance) => instance.stop()));
    await client.end().catch(() => {});
    await emulator?.close();
    await database.dispose();
    if (succeeded) rmSync(workDir, { recursive: true, force: true });
  }
}

// Last: the classes and constants above are initialised by now.
if (process.argv.includes("--instance")) await serveInstance();
else await runBench();
