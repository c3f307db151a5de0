import type { z } from "zod";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { UNSTORABLE_TEXT_MESSAGE } from "~/lib/storable-text";
import { readBodyWithLimit } from "~/lib/request-body.server";
import { readChatToken } from "./chat-token.server";

// The chat widget's endpoints on the app's own origin (/chat/*, decision 026): called from any
// storefront, so CORS allows every origin without credentials; the chat token in the
// Authorization header (or ?token= for EventSource) is the only credential and no cookie is read.

/** JSON bodies are a message and a few fields. */
export const MAX_CHAT_JSON_BYTES = 64 * 1024;

export const CHAT_CORS_HEADERS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization, Content-Type, Last-Event-ID",
  "Access-Control-Max-Age": "600",
};

export function chatJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, {
    status,
    headers: { ...CHAT_CORS_HEADERS, "Cache-Control": "private, no-store", ...headers },
  });
}

/** The JSON error of every refusal: `{ error }` in words the shopper can act on. */
export const chatError = (status: number, error: string, headers: Record<string, string> = {}) =>
  chatJson({ error }, status, headers);

export const chatNoContent = () => new Response(null, { status: 204, headers: CHAT_CORS_HEADERS });

export const tooManyRequests = (retryAfterSeconds: number) =>
  chatError(429, "You are sending too fast. Please wait a moment.", { "Retry-After": String(retryAfterSeconds) });

/**
 * Runs a chat endpoint: answers the CORS preflight, and gives a thrown Response (a refusal) the
 * CORS headers too, so the widget can read why it was refused.
 */
export async function chatEndpoint(request: Request, handle: () => Promise<Response>): Promise<Response> {
  if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: CHAT_CORS_HEADERS });
  try {
    return await handle();
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    const headers = new Headers(thrown.headers);
    for (const [name, value] of Object.entries(CHAT_CORS_HEADERS)) headers.set(name, value);
    return new Response(thrown.body, { status: thrown.status, headers });
  }
}

export type ChatVisitorRow = NonNullable<Awaited<ReturnType<typeof findVisitor>>>;

const findVisitor = (visitorId: string, shopId: string) =>
  db.chatVisitor.findFirst({
    where: { id: visitorId, shopId, shop: { uninstalledAt: null } },
    include: { shop: { select: { id: true, name: true, domain: true, workspaceId: true } } },
  });

/** The chat token of a call: the Authorization header, or ?token= (EventSource cannot set headers). */
export function chatTokenOf(request: Request): string {
  const header = request.headers.get("authorization") ?? "";
  const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  return bearer ?? new URL(request.url).searchParams.get("token") ?? "";
}

/**
 * The visitor the call's chat token names (its shop still installed). Throws a 401 for a missing,
 * forged or expired token: the widget then asks the App Proxy for a new one.
 */
export async function requireChatVisitor(
  request: Request,
): Promise<ChatVisitorRow & { portalSessionId: string | null }> {
  const named = readChatToken(chatTokenOf(request), env.SHOPIFY_API_SECRET);
  if (!named) throw chatError(401, "Your chat session has expired. Reload the page to continue.");
  const visitor = await findVisitor(named.visitorId, named.shopId);
  if (!visitor) throw chatError(401, "Your chat session has expired. Reload the page to continue.");
  return { ...visitor, portalSessionId: named.portalSessionId };
}

/**
 * The JSON body parsed by `schema`: 413 past MAX_CHAT_JSON_BYTES, 400 for a NUL byte, for what is
 * not JSON, or for what the schema refuses (its first message).
 */
export async function readChatJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  const read = await readBodyWithLimit(request, MAX_CHAT_JSON_BYTES);
  if (!read.ok) throw chatError(413, "This message is too long.");
  if (read.bytes.includes(0)) throw chatError(400, UNSTORABLE_TEXT_MESSAGE);
  let body: unknown;
  try {
    body = read.bytes.length === 0 ? {} : JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(read.bytes));
  } catch {
    throw chatError(400, "This request's body is not JSON.");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw chatError(400, parsed.error.issues[0]?.message ?? "Check your message.");
  return parsed.data;
}
