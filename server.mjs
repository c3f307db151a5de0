// `npm start`: the production server. What remix-serve does (compressed responses, the built
// assets, request log, every other path to Remix), plus one thing it cannot: Shopify's webhook
// deliveries skip Remix's request machinery and go straight to the webhook intake
// (app/services/webhooks/receive.server.ts, the same function the /webhooks/* routes call).
// Remix's routing, loaders' plumbing and response conversion cost several times the intake itself,
// and a busy store sends hundreds of deliveries a second (docs/decisions/014-webhook-intake.md).
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

/** The intake the webhook routes use, exported by app/entry.server.tsx. */
const { receiveWebhook, MAX_WEBHOOK_BODY_BYTES } = build.entry.module;

/** "/webhooks/orders/create" → "orders/create" when a route serves that topic, else null (Remix 404s). */
function webhookTopic(pathname) {
  const match = /^\/webhooks\/([a-z_]+)\/([a-z_]+)$/.exec(pathname);
  if (!match) return null;
  return build.routes[`routes/webhooks.${match[1]}.${match[2]}`] ? `${match[1]}/${match[2]}` : null;
}

/** Reads the body up to the intake's limit (plus one byte, so the intake sees it is too large). */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size <= limit + 1) chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

async function webhookFastPath(req, res, next) {
  const topic = webhookTopic(req.path);
  if (!topic) return next();
  try {
    const body = await readBody(req, MAX_WEBHOOK_BODY_BYTES);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
      else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    }
    const url = `http://${req.headers.host ?? "localhost"}${req.originalUrl}`;
    const response = await receiveWebhook(new Request(url, { method: "POST", headers, body }), topic);
    res.status(response.status);
    response.headers.forEach((value, name) => res.setHeader(name, value));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    next(error);
  }
}

const app = express();
app.disable("x-powered-by");
app.post("/webhooks/*", webhookFastPath);
app.use(compression());
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
app.use(morgan("tiny"));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

const onListen = () => console.log(`[shopdesk] http://${host ?? "localhost"}:${port}`);
const server = host ? app.listen(port, host, onListen) : app.listen(port, onListen);
for (const signal of ["SIGTERM", "SIGINT"]) process.once(signal, () => server.close());
