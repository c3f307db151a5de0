// A client of the REST API (/api) for integration tests: keys made in Settings → API keys as a
// merchant makes them, and requests sent over real HTTP with basic auth.
import { expect } from "vitest";
import type { IntegrationStack } from "./integration-stack.ts";
import { unwrap } from "./route-results.ts";

export interface ApiKeyCredentials {
  username: string;
  key: string;
}

/** A key made in Settings → API keys of `shop`. */
export async function createApiKey(stack: IntegrationStack, shop: string, name: string): Promise<ApiKeyCredentials> {
  const settings = await import("~/routes/app.settings.api");
  const request = stack.adminRequest(shop, "/app/settings/api", {
    method: "POST",
    body: new URLSearchParams({ intent: "create", name }),
  });
  const answer = unwrap(await settings.action({ request, params: {}, context: {} }));
  expect(answer.status).toBe(200);
  const created = (answer.body as { created: ApiKeyCredentials }).created;
  return { username: created.username, key: created.key };
}

/** Revokes the key named `name` in Settings → API keys of `shop`. */
export async function revokeApiKey(stack: IntegrationStack, shop: string, id: string) {
  const settings = await import("~/routes/app.settings.api");
  const request = stack.adminRequest(shop, "/app/settings/api", {
    method: "POST",
    body: new URLSearchParams({ intent: "revoke", id }),
  });
  return unwrap(await settings.action({ request, params: {}, context: {} }));
}

export const basicAuth = ({ username, key }: ApiKeyCredentials) =>
  `Basic ${Buffer.from(`${username}:${key}`).toString("base64")}`;

/** A request to the API: `body` is sent as JSON, `raw` as it is. */
export function apiRequest(
  stack: IntegrationStack,
  key: ApiKeyCredentials | null,
  path: string,
  init: { method?: string; body?: unknown; raw?: string | Buffer<ArrayBuffer> } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers.authorization = basicAuth(key);
  const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  return fetch(new URL(path, stack.app.url), { method: init.method ?? (body ? "POST" : "GET"), headers, body });
}

/** The answer's status and JSON body (null when it has none). */
export async function apiJson<T = Record<string, unknown>>(response: Response | Promise<Response>) {
  const answer = await response;
  const text = await answer.text();
  return { status: answer.status, body: (text ? JSON.parse(text) : null) as T };
}

export const API_DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;
