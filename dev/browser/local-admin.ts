// DEV/DEMO ONLY: the demo's merchant admin at a local address any browser on this machine can open
// (http://127.0.0.1:4030/store/<handle>/apps/shopdesk), without the demo's own Chromium.
// One origin serves the admin shell (admin-shell.ts) and, behind it, the app through a small proxy
// that does on the way through what launch.ts does inside Chromium, so app/ stays as in production:
//   - the App Bridge script (cdn.shopify.com/shopifycloud/app-bridge.js) → the local stand-in, whose
//     session tokens are minted here in Node (the app secret never reaches the page);
//   - the app's CSP frame-ancestors (admin.shopify.com, the store) → 'self', the local admin;
//   - redirects and links to the app's own URL → this origin.
import { readFileSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { mintSessionToken } from "../store-emulator/signing.ts";
import { adminShellHtml, APP_HANDLE, storeHandle } from "./admin-shell.ts";
import { APP_BRIDGE_URL } from "./launch.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const STANDIN_PATH = "/_demo/app-bridge.js";
const TOKEN_PATH = "/_demo/session-token";
const STAFF_PATH = "/_demo/staff";
/** A header a cross-site form or image cannot send: only the stand-in on this origin asks for tokens. */
const TOKEN_HEADER = "x-shopdesk-demo";

export interface LocalAdminOptions {
  port?: number;
  appUrl: string;
  apiKey: string;
  apiSecret: string;
  /**
   * The emulated stores, by domain, with the name shown in the admin's top bar and the staff one
   * can sign in as (the first by default; the choice is kept in a cookie per store).
   */
  shops: { domain: string; name: string; staff?: { id: string; name: string }[] }[];
}

export interface LocalAdmin {
  url: string;
  /** http://127.0.0.1:<port>/store/<handle>/apps/shopdesk[path] */
  adminUrl(shopDomain: string, appPath?: string): string;
  close(): Promise<void>;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const staffCookie = (shopDomain: string) =>
  `shopdesk_demo_staff_${storeHandle(shopDomain).replace(/[^a-z0-9]/gi, "_")}`;

/** The staff member signed in to a store's admin: the cookie's, if it names one, else the first. */
function signedInStaff(request: IncomingMessage, shop: LocalAdminOptions["shops"][number]): string | undefined {
  const cookies = new Map(
    (request.headers.cookie ?? "").split(";").map((pair) => {
      const [name = "", ...value] = pair.trim().split("=");
      return [name, value.join("=")] as const;
    }),
  );
  const chosen = cookies.get(staffCookie(shop.domain));
  return shop.staff?.find((member) => member.id === chosen)?.id ?? shop.staff?.[0]?.id;
}

export async function startLocalAdmin(options: LocalAdminOptions): Promise<LocalAdmin> {
  const app = new URL(options.appUrl);
  const appOrigin = app.origin;
  const shopsByHandle = new Map(options.shops.map((shop) => [storeHandle(shop.domain), shop]));
  let origin = "";

  const standin = () => {
    const script = readFileSync(path.join(here, "app-bridge-standin.js"), "utf8").replaceAll(
      '"https://admin.shopify.com"',
      JSON.stringify(origin),
    );
    // Captures fetch before the stand-in wraps it (its wrapper would ask for a token to get a token).
    const minter = `(function () {
  var plainFetch = window.fetch.bind(window);
  window.__shopdeskMintIdToken = function (shop) {
    return plainFetch(${JSON.stringify(TOKEN_PATH)} + "?shop=" + encodeURIComponent(shop), {
      method: "POST",
      headers: { ${JSON.stringify(TOKEN_HEADER)}: "1" },
    }).then(function (response) {
      if (!response.ok) throw new Error("Local admin: no session token (" + response.status + ")");
      return response.text();
    });
  };
})();
`;
    return minter + script;
  };

  const indexHtml = () => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shopdesk demo admin</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:640px;margin:48px auto;color:#303030}a{color:#1f5199}</style></head>
<body><h1>Shopdesk demo: merchant admin</h1><p>A local stand-in for the Shopify admin of each emulated store:</p><ul>
${options.shops.map((shop) => `<li><a href="${escapeHtml(localAdminPath(shop.domain))}">${escapeHtml(shop.name)}</a> (${escapeHtml(shop.domain)})</li>`).join("\n")}
</ul></body></html>`;

  const server = http.createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain; charset=utf-8" });
      response.end(`The local admin could not reach Shopdesk at ${appOrigin}: ${String(error)}`);
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    // Only this machine's own names: a web page whose domain resolves to 127.0.0.1 (DNS rebinding)
    // must not read session tokens or the app through here.
    const port = new URL(origin).port;
    if (request.headers.host !== `127.0.0.1:${port}` && request.headers.host !== `localhost:${port}`) {
      return send(response, 403, "text/plain", `Open the demo admin at ${origin}`);
    }
    const url = new URL(request.url ?? "/", origin);
    if (url.pathname === "/" && request.method === "GET") return send(response, 200, "text/html", indexHtml());
    if (url.pathname === STANDIN_PATH) return send(response, 200, "text/javascript", standin());
    if (url.pathname === TOKEN_PATH) {
      const shop = url.searchParams.get("shop") ?? "";
      if (request.method !== "POST" || request.headers[TOKEN_HEADER] !== "1") {
        return send(response, 403, "text/plain", "Session tokens are for the App Bridge stand-in on this page");
      }
      if (!options.shops.some((known) => known.domain === shop)) {
        return send(response, 404, "text/plain", `No emulated store ${shop}`);
      }
      const known = options.shops.find((candidate) => candidate.domain === shop)!;
      const userId = signedInStaff(request, known);
      return send(
        response,
        200,
        "text/plain",
        mintSessionToken({ shop, apiKey: options.apiKey, apiSecret: options.apiSecret, userId }),
      );
    }
    if (url.pathname === STAFF_PATH && request.method === "POST") {
      const shop = options.shops.find((known) => known.domain === url.searchParams.get("shop"));
      const form = new URLSearchParams(await readText(request));
      const member = shop?.staff?.find((candidate) => candidate.id === form.get("staff"));
      if (!shop || !member) return send(response, 400, "text/plain", "Choose one of the store's staff.");
      response.writeHead(303, {
        location: localAdminPath(shop.domain),
        "set-cookie": `${staffCookie(shop.domain)}=${member.id}; Path=/; SameSite=Strict; HttpOnly`,
      });
      response.end();
      return;
    }
    const admin = new RegExp(`^/store/([^/]+)/apps/${APP_HANDLE}(/.*)?$`).exec(url.pathname);
    if (admin) {
      const shop = shopsByHandle.get(admin[1]!);
      if (!shop)
        return send(response, 404, "text/plain", `No emulated store "${admin[1]}". Open ${origin}/ for the list.`);
      const html = adminShellHtml({
        shopDomain: shop.domain,
        shopName: shop.name,
        appUrl: origin,
        path: `${admin[2] || "/app"}${url.search}`,
        staff: shop.staff && {
          members: shop.staff,
          current: signedInStaff(request, shop) ?? "",
          action: `${STAFF_PATH}?shop=${encodeURIComponent(shop.domain)}`,
        },
      });
      return send(response, 200, "text/html", html);
    }
    return proxy(request, response, url);
  }

  async function proxy(request: IncomingMessage, response: ServerResponse, url: URL) {
    const headers = { ...request.headers, host: app.host, "accept-encoding": "identity" };
    // In Shopify's admin the iframe is on the app's own origin, so its form posts carry the app's
    // Origin; here the app is served under the admin's. Say so as the real browser would, or Remix
    // refuses every action as cross-site (Origin ≠ Host).
    if (headers.origin === `http://${request.headers.host}`) headers.origin = `http://${app.host}`;
    const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
      const outgoing = http.request(
        { host: app.hostname, port: app.port, method: request.method, path: `${url.pathname}${url.search}`, headers },
        resolve,
      );
      outgoing.once("error", reject);
      request.pipe(outgoing);
    });
    const outHeaders = { ...upstream.headers };
    const csp = outHeaders["content-security-policy"];
    if (typeof csp === "string") {
      outHeaders["content-security-policy"] = /frame-ancestors/.test(csp)
        ? csp.replace(/frame-ancestors[^;]*/, "frame-ancestors 'self'")
        : csp;
    }
    if (typeof outHeaders.location === "string") outHeaders.location = toLocal(outHeaders.location);
    // The preload hint names the CDN script too.
    if (typeof outHeaders.link === "string") outHeaders.link = outHeaders.link.replaceAll(APP_BRIDGE_URL, STANDIN_PATH);
    if (!/^text\/html/.test(String(upstream.headers["content-type"] ?? ""))) {
      response.writeHead(upstream.statusCode ?? 502, outHeaders);
      upstream.pipe(response);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of upstream) chunks.push(chunk as Buffer);
    const body = toLocal(Buffer.concat(chunks).toString("utf8").replaceAll(APP_BRIDGE_URL, STANDIN_PATH));
    delete outHeaders["content-length"];
    delete outHeaders["transfer-encoding"];
    response.writeHead(upstream.statusCode ?? 502, { ...outHeaders, "content-length": Buffer.byteLength(body) });
    response.end(body);
  }

  // Also in query parameters (the session-token bounce page's shopify-reload).
  const toLocal = (text: string) =>
    text.replaceAll(appOrigin, origin).replaceAll(encodeURIComponent(appOrigin), encodeURIComponent(origin));

  // Vite's hot-reload socket (dev mode) goes straight through. Upgraded sockets are the server's
  // no longer (closeAllConnections does not see them): kept here so close() can end them.
  const upgraded = new Set<net.Socket>();
  server.on("upgrade", (request: IncomingMessage, socket: net.Socket, head: Buffer) => {
    upgraded.add(socket);
    socket.once("close", () => upgraded.delete(socket));
    const upstream = net.connect(Number(app.port), app.hostname, () => {
      const lines = [`${request.method} ${request.url} HTTP/1.1`];
      for (let i = 0; i < request.rawHeaders.length; i += 2) {
        const name = request.rawHeaders[i]!;
        lines.push(`${name}: ${name.toLowerCase() === "host" ? app.host : request.rawHeaders[i + 1]}`);
      }
      upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function localAdminPath(shopDomain: string, appPath = "") {
    const suffix = appPath && appPath !== "/" ? (appPath.startsWith("/") ? appPath : `/${appPath}`) : "";
    return `/store/${storeHandle(shopDomain)}/apps/${APP_HANDLE}${suffix}`;
  }

  return {
    url: origin,
    adminUrl: (shopDomain, appPath) => `${origin}${localAdminPath(shopDomain, appPath)}`,
    close: () =>
      new Promise<void>((resolve) => {
        // Upgraded sockets (Vite's hot reload) are not the server's connections any more:
        // closeAllConnections does not end them, and server.close would wait for them forever.
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of upgraded) socket.destroy();
      }),
  };
}

function send(response: ServerResponse, status: number, type: string, body: string) {
  response.writeHead(status, {
    "content-type": `${type}; charset=utf-8`,
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
  });
  response.end(body);
}

function readText(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      text += chunk;
      if (text.length > 10_000) request.destroy();
    });
    request.on("end", () => resolve(text));
    request.on("error", reject);
  });
}
