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

function routeModuleFor(pathname: string) {
  const file = `../../app/routes/${pathname.replace(/^\//, "").replace(/\//g, ".")}.tsx`;
  return routeFiles[file];
}

// Remix lets loaders and actions throw a Response (the library's 401/400/302); anything else is a bug.
function thrownResponse(thrown: unknown): Response {
  if (thrown instanceof Response) return thrown;
  throw thrown;
}

async function toResponse(result: unknown): Promise<Response> {
  if (result instanceof Response) return result;
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
      const load = routeModuleFor(new URL(request.url).pathname);
      const module = load ? await load() : undefined;
      const handler = request.method === "GET" ? module?.loader : module?.action;
      response = handler
        ? await toResponse(
            await Promise.resolve()
              .then(() => handler({ request, params: {}, context: {} }))
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
