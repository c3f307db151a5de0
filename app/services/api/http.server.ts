import type { z } from "zod";
import { parseBasicAuth, retryAfterSeconds } from "~/domain/api-auth";
import { nestsDeeperThan } from "~/lib/json-nesting";
import { readBodyWithLimit } from "~/lib/request-body.server";
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from "~/lib/storable-text";
import { authenticateApiKey } from "~/models/api-key.server";

// What every /api route shares: basic-auth with a workspace's key, the per-key limit, JSON bodies
// and errors. Errors are shaped like the anchor's, `{"error": {"msg": …, "data": {field: [msg]}}}`,
// so clients written for it read ours.

export const MAX_API_BODY_BYTES = 1024 * 1024;
/** Deeper JSON than any of our objects (a widget template's 16 levels take ~34) is refused unparsed. */
export const MAX_API_BODY_DEPTH = 64;

export interface ApiContext {
  workspaceId: string;
  keyId: string;
}

export const apiError = (status: number, msg: string, data?: Record<string, string[]>, headers?: HeadersInit) =>
  Response.json({ error: data ? { msg, data } : { msg } }, { status, headers });

/** The caller's workspace, or throws the 401/429 Response to send. */
export async function authenticateApi(request: Request): Promise<ApiContext> {
  const credentials = parseBasicAuth(request.headers.get("authorization"));
  const challenge = { "WWW-Authenticate": 'Basic realm="Shopdesk API", charset="UTF-8"' };
  if (!credentials)
    throw apiError(401, "Authenticate with your API user name and key (HTTP basic auth).", undefined, challenge);
  const now = new Date();
  const caller = await authenticateApiKey(credentials.username, credentials.password, now);
  if (caller.ok) return { workspaceId: caller.workspaceId, keyId: caller.keyId };
  if (caller.reason === "rate-limited") {
    throw apiError(429, "Too many requests with this API key: wait for Retry-After seconds.", undefined, {
      "Retry-After": String(retryAfterSeconds(caller.windowStart, now)),
    });
  }
  throw apiError(401, "This API user name and key do not match a key in use.", undefined, challenge);
}

/** Per-field messages of a zod error, keyed by the field's dotted path (`http.url`). */
export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_schema";
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

/** The request's JSON body validated by `schema`, or throws the 400 to send. */
export async function readJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): Promise<z.infer<Schema>> {
  const body = await readBodyWithLimit(request, MAX_API_BODY_BYTES);
  if (!body.ok) throw apiError(413, `The body is larger than ${MAX_API_BODY_BYTES} bytes.`);
  let text: string;
  let value: unknown;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body.bytes);
    value = JSON.parse(text);
  } catch {
    throw apiError(400, "The body is not valid JSON.");
  }
  // Recursive checks (zod's, Prisma's) run out of stack on absurd nesting: refuse it first.
  if (nestsDeeperThan(text, MAX_API_BODY_DEPTH)) {
    throw apiError(400, `The body nests deeper than ${MAX_API_BODY_DEPTH} levels.`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw apiError(400, "Validation error.", fieldErrors(parsed.error));
  // Any text the body keeps (a name, a URL, a template's title or key) must be storable: a NUL
  // byte or a broken character would otherwise fail the save with a 500.
  const unstorable = unstorableTextPath(parsed.data);
  if (unstorable !== null)
    throw apiError(400, "Validation error.", { [unstorable || "_schema"]: [UNSTORABLE_TEXT_MESSAGE] });
  return parsed.data;
}

/** The dotted path of the first string (or object key: its object's path) PostgreSQL cannot store. */
function unstorableTextPath(value: unknown, path = ""): string | null {
  if (typeof value === "string") return isStorableText(value) ? null : path;
  if (!value || typeof value !== "object") return null;
  const at = (key: string | number) => (path ? `${path}.${key}` : String(key));
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = unstorableTextPath(item, at(index));
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (!isStorableText(key)) return path;
    const found = unstorableTextPath(item, at(key));
    if (found !== null) return found;
  }
  return null;
}

/** The request's query validated by `schema`, or throws the 400 to send. */
export function parseQuery<Schema extends z.ZodType>(request: Request, schema: Schema): z.infer<Schema> {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw apiError(400, "Validation error.", fieldErrors(parsed.error));
  return parsed.data;
}

/** The list's own `uri`: its path and query as asked. */
export const listUri = (request: Request) => {
  const url = new URL(request.url);
  return url.pathname + url.search;
};

/** An id from the path: a positive whole number, else the 404 to send (as for an unknown id). */
export function requireNumericId(value: string | undefined, what: string, max = 2_147_483_647): number {
  const id = /^[1-9][0-9]{0,15}$/.test(value ?? "") ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(id) || id > max) throw apiError(404, `${what} not found.`);
  return id;
}

export const methodNotAllowed = (allow: string) =>
  apiError(405, `Use ${allow} on this resource.`, undefined, { Allow: allow });
