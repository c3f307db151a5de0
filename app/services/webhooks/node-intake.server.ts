import type { IncomingMessage, ServerResponse } from "node:http";
import { logger } from "~/lib/logger.server";
import type { WebhookHeaders } from "~/shopify.server";
import { newReference } from "~/services/request-failures.server";
import { acceptWebhook, MAX_WEBHOOK_BODY_BYTES } from "./receive.server";

// Shopify's deliveries as `npm start` (server.mjs) receives them: straight from Node's request to
// acceptWebhook, the function behind the /webhooks/* routes, without building a web Request or
// going through Remix's routing. Those cost several times the intake itself under a storm
// (docs/decisions/014-webhook-intake.md).

/** How much of a refused body (in multiples of the limit) is read and dropped before giving up. */
const DISCARD_FACTOR = 8;

/** Answers one delivery for `routeTopic` ("orders/create") on `response`. */
export async function receiveNodeWebhook(
  request: IncomingMessage,
  response: ServerResponse,
  routeTopic: string,
): Promise<void> {
  try {
    const body = await readBody(request, MAX_WEBHOOK_BODY_BYTES);
    if (body === "gone") return;
    const answer = await acceptWebhook(
      { method: request.method ?? "", headers: nodeHeaders(request), body },
      routeTopic,
    );
    if (answer.message === null) {
      response.writeHead(answer.status, { "content-length": "0" }).end();
    } else {
      response.writeHead(answer.status, { "content-type": "text/plain; charset=utf-8" }).end(answer.message);
    }
  } catch (error) {
    // The database is unreachable, most likely. Shopify retries a delivery it has no 200 for.
    const reference = newReference();
    logger.error("webhook could not be stored", { topic: routeTopic, reference, error });
    if (!response.headersSent) {
      response
        .writeHead(500, { "content-type": "text/plain; charset=utf-8" })
        .end(
          `Shopdesk could not store this webhook (reference ${reference}); it will be stored when Shopify retries it.`,
        );
    }
  }
}

function nodeHeaders(request: IncomingMessage): WebhookHeaders {
  return {
    get(name) {
      const value = request.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(", ") : value;
    },
    entries() {
      const pairs: [string, string][] = [];
      for (let index = 0; index < request.rawHeaders.length; index += 2) {
        pairs.push([request.rawHeaders[index]!, request.rawHeaders[index + 1]!]);
      }
      return pairs;
    },
  };
}

/**
 * The body, "too-large" past `maxBytes` (what is left is read and dropped, so the sender gets the
 * 413 rather than a reset; past DISCARD_FACTOR × the limit the socket is closed instead), or
 * "gone" when the client went away.
 */
function readBody(request: IncomingMessage, maxBytes: number): Promise<Uint8Array | "too-large" | "gone"> {
  return new Promise((resolve) => {
    const declared = Number(request.headers["content-length"] ?? Number.NaN);
    const chunks: Buffer[] = [];
    let total = 0;
    request.on("data", (chunk: Buffer) => {
      total += chunk.length;
      if (total <= maxBytes) chunks.push(chunk);
      else if (total > maxBytes * DISCARD_FACTOR || declared > maxBytes * DISCARD_FACTOR) request.destroy();
    });
    request.once("end", () => resolve(total > maxBytes ? "too-large" : Buffer.concat(chunks, total)));
    request.once("error", () => resolve("gone"));
    request.once("close", () => {
      if (!request.complete) resolve("gone");
    });
  });
}
