// `npm start`: the production server. What remix-serve does (compressed responses, the built
// assets, request log, every other path to Remix), plus one thing it cannot: Shopify's webhook
// deliveries skip Express and Remix and go straight from Node's request to the webhook intake
// (acceptWebhook in app/services/webhooks/receive.server.ts, which the /webhooks/* routes call too).
// Express's and Remix's request machinery cost several times the intake itself, and a busy store
// sends hundreds of deliveries a second (docs/decisions/014-webhook-intake.md).
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { installGlobals } from "@remix-run/node";
import compression from "compression";
import express from "express";
import morgan from "morgan";

installGlobals({ nativeFetch: true });

const buildPath = path.resolve(process.argv[2] ?? "build/server/index.js");
const build = await import(pathToFileURL(buildPath).href);
const port = Number(process.env.PORT || 3000);
const host = process.env.HOST;

/** The intake the webhook routes use, for Node's request (app/services/webhooks/node-intake.server.ts). */
const { receiveNodeWebhook, redactedUrl } = build.entry.module;

/** "/webhooks/orders/create" → "orders/create" when a route serves that topic, else null (Remix 404s). */
function webhookTopic(url) {
  const match = /^\/webhooks\/([a-z_]+)\/([a-z_]+)(?:\?|$)/.exec(url ?? "");
  if (!match) return null;
  return build.routes[`routes/webhooks.${match[1]}.${match[2]}`] ? `${match[1]}/${match[2]}` : null;
}

const app = express();
app.disable("x-powered-by");
// Live updates (text/event-stream) go out as they happen: compressed, they would wait in a buffer.
app.use(
  compression({
    filter: (req, res) =>
      !String(res.getHeader("Content-Type") ?? "").startsWith("text/event-stream") && compression.filter(req, res),
  }),
);
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
// morgan's "tiny" line, with credentials in the query (a chat token, a session token) hidden.
morgan.token("redacted-url", (req) => redactedUrl(req.originalUrl || req.url));
app.use(morgan(":method :redacted-url :status :res[content-length] - :response-time ms"));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

// Webhook deliveries are answered ahead of Express; everything else goes through it.
const server = http.createServer((request, response) => {
  const topic = request.method === "POST" ? webhookTopic(request.url) : null;
  if (topic) void receiveNodeWebhook(request, response, topic);
  else app(request, response);
});
const onListen = () => console.log(`[shopdesk] http://${host ?? "localhost"}:${port}`);
if (host) server.listen(port, host, onListen);
else server.listen(port, onListen);
for (const signal of ["SIGTERM", "SIGINT"]) process.once(signal, () => server.close());
