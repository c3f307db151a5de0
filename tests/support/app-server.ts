// A real HTTP server on 127.0.0.1 in front of the app's real route modules, so the store emulator
// delivers webhooks and the storefront proxies App Proxy calls over the network exactly as Shopify
// would — without building the whole Remix app for every integration test file.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { toFetchRequest } from "./node-request.ts";

type RouteModule = {
  loader?: (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
  action?: (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
};

// Remix flat-route file for a URL path: /webhooks/app/uninstalled → webhooks.app.uninstalled.tsx,
// /app/customers → app.customers._index.tsx, /app/customers/<id> → app.customers.$customerId.tsx
// (params: { customerId }), /auth/exit-iframe → auth.$.tsx (params: { "*": "exit-iframe" }).
const routeFiles = import.meta.glob<RouteModule>("../../app/routes/*.tsx");

function matchRoute(file: string, segments: string[]): Record<string, string> | null {
  const parts = file
    .replace(/^\.\.\/\.\.\/app\/routes\//, "")
    .replace(/\.tsx$/, "")
    .split(".");
  if (parts.at(-1) === "_index") parts.pop();
  const params: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    if (part === "$") {
      params["*"] = segments.slice(index).join("/");
      return index < segments.length ? params : null;
    }
    const segment = segments[index];
    if (segment === undefined) return null;
    if (part.startsWith("$")) params[part.slice(1)] = decodeURIComponent(segment);
    else if (part !== segment) return null;
  }
  return parts.length === segments.length ? params : null;
}

function routeFor(url: URL) {
  const flat = url.pathname.replace(/^\//, "").replace(/\//g, ".");
  // `?index` addresses the index route under a layout (POST /app?index → app._index.tsx).
  const exact = routeFiles[`../../app/routes/${flat}${url.searchParams.has("index") ? "._index" : ""}.tsx`];
  if (exact) return { load: exact, params: {} };
  const segments = url.pathname.split("/").filter(Boolean);
  // Static routes before dynamic ones before splats, as Remix ranks them.
  const rank = (file: string) => (file.includes(".$.") || file.endsWith(".$.tsx") ? 2 : file.includes("$") ? 1 : 0);
  const files = Object.keys(routeFiles).sort((a, b) => rank(a) - rank(b));
  for (const file of files) {
    const params = matchRoute(file, segments);
    if (params) return { load: routeFiles[file]!, params };
  }
  return undefined;
}

// Remix lets loaders and actions throw a Response (the library's 401/400/302); anything else is a bug.
function thrownResponse(thrown: unknown): Response {
  if (thrown instanceof Response) return thrown;
  throw thrown;
}

async function toResponse(result: unknown): Promise<Response> {
  if (result instanceof Response) return result;
  // Remix's data(value, init): the value as JSON with the given status and headers.
  if (result && typeof result === "object" && (result as { type?: unknown }).type === "DataWithResponseInit") {
    const wrapped = result as { data: unknown; init: ResponseInit | null };
    return Response.json(wrapped.data ?? null, wrapped.init ?? undefined);
  }
  return Response.json(result ?? null);
}

export interface TestAppServer {
  url: string;
  /** Every request the app answered, for assertions on what Shopify would have seen. */
  requests: { method: string; path: string; status: number }[];
  close(): Promise<void>;
}

export async function startTestAppServer(port = 0): Promise<TestAppServer> {
  const requests: TestAppServer["requests"] = [];
  let origin = "";
  const server = http.createServer(async (req, res) => {
    let response: Response;
    try {
      const request = await toFetchRequest(req, origin);
      const route = routeFor(new URL(request.url));
      const module = route ? await route.load() : undefined;
      const handler = request.method === "GET" ? module?.loader : module?.action;
      response = handler
        ? await toResponse(
            await Promise.resolve()
              .then(() => handler({ request, params: route?.params ?? {}, context: {} }))
              .catch(thrownResponse),
          )
        : new Response("Not found", { status: 404 });
    } catch (error) {
      response = new Response(error instanceof Error ? error.message : String(error), { status: 500 });
    }
    requests.push({ method: req.method ?? "", path: req.url ?? "", status: response.status });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
