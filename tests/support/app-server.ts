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

// Remix flat-route file for a URL path: /webhooks/app/uninstalled → webhooks.app.uninstalled.tsx.
const routeFiles = import.meta.glob<RouteModule>("../../app/routes/*.tsx");

interface RouteMatch {
  /** The route module's file name in app/routes, e.g. app.customers.$customerId.tsx. */
  file: string;
  load: () => Promise<RouteModule>;
  params: Record<string, string>;
}

const flatRoutes = Object.entries(routeFiles).map(([path, load]) => {
  const file = path.replace(/^.*\//, "");
  // Remix escapes a dot that belongs to the URL with brackets: api.openapi[.]json.tsx → /api/openapi.json.
  const segments = file
    .replace(/\.tsx$/, "")
    .split(/\.(?![^[]*\])/)
    .map((segment) => segment.replace(/\[([^\]]*)\]/g, "$1"));
  const index = segments.at(-1) === "_index";
  return { file, load, index, segments: index ? segments.slice(0, -1) : segments };
});

/** Static segments beat `$param`, which beats a `$` splat (a splat route only wins where nothing else matches). */
const specificity = (segments: string[]) =>
  segments.reduce((score, segment) => score * 3 + (segment === "$" ? 0 : segment.startsWith("$") ? 1 : 2), 1);

function matchSegments(segments: string[], parts: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (const [position, segment] of segments.entries()) {
    if (segment === "$") {
      params["*"] = parts.slice(position).join("/");
      return params;
    }
    const part = parts[position];
    if (part === undefined) return null;
    if (segment.startsWith("$")) params[segment.slice(1)] = part;
    else if (segment !== part) return null;
  }
  return segments.length === parts.length ? params : null;
}

/**
 * The route module for a URL path. A path with both a layout and an index route (/app) goes to
 * the layout unless `?index` asks for the index route, as Remix does for actions; `$param`
 * segments and a `$` splat capture params (/app/customers/<id>, /auth/login).
 */
function routeFor(url: URL): RouteMatch | undefined {
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const wantsIndex = url.searchParams.has("index");
  const candidates = flatRoutes
    .map((route) => ({ route, params: matchSegments(route.segments, parts) }))
    .filter((match): match is { route: (typeof flatRoutes)[number]; params: Record<string, string> } =>
      Boolean(match.params),
    )
    .sort(
      (a, b) =>
        Number(a.route.segments.includes("$")) - Number(b.route.segments.includes("$")) ||
        specificity(b.route.segments) - specificity(a.route.segments) ||
        Number(b.route.index === wantsIndex) - Number(a.route.index === wantsIndex),
    );
  const best = candidates[0];
  return best && { file: best.route.file, load: best.route.load, params: best.params };
}

// Remix lets loaders and actions throw a Response (the library's 401/400/302); anything else is a bug.
function thrownResponse(thrown: unknown): Response {
  if (thrown instanceof Response) return thrown;
  throw thrown;
}

// `data(value, { status })` from a loader or action: the status is the client's, not 200.
type DataWithResponseInit = { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null };
const isDataWithResponseInit = (result: unknown): result is DataWithResponseInit =>
  typeof result === "object" && result !== null && (result as { type?: unknown }).type === "DataWithResponseInit";

async function toResponse(result: unknown): Promise<Response> {
  if (result instanceof Response) return result;
  if (isDataWithResponseInit(result)) return Response.json(result.data ?? null, result.init ?? undefined);
  return Response.json(result ?? null);
}

export interface TestAppServer {
  url: string;
  /** Every request the app answered, for assertions on what Shopify would have seen. */
  requests: { method: string; path: string; status: number; route: string | null }[];
  close(): Promise<void>;
}

export async function startTestAppServer(port = 0): Promise<TestAppServer> {
  const requests: TestAppServer["requests"] = [];
  let origin = "";
  const server = http.createServer(async (req, res) => {
    let response: Response;
    let route: RouteMatch | undefined;
    try {
      const request = await toFetchRequest(req, origin);
      route = routeFor(new URL(request.url));
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
    requests.push({
      method: req.method ?? "",
      path: req.url ?? "",
      status: response.status,
      route: route?.file ?? null,
    });
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
