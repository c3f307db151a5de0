// Demo storefront for the Shopdesk theme app extension: a local stand-in for a Shopify store's
// online store. It renders a small theme with the real app embed from extensions/shopdesk-portal
// and emulates the App Proxy (/apps/shopdesk/* → ${appUrl}/proxy/*, signed like Shopify signs it).
//   Dev/test only; production storefronts are rendered by Shopify.
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { signAppProxyUrl } from "../store-emulator/signing.ts";
import { createEngine, extensionAssetPath, renderAppBlock, renderAppEmbed } from "./app-embed.ts";
import { demoCollections, demoProducts } from "./catalog.ts";
import type { DemoLoginCustomer } from "./demo-customers.ts";

const themeDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "theme");
const EXTENSION = "shopdesk-portal";
const EMBED_BLOCK = "portal-embed";
const PAGE_BLOCK = "portal-page";
/** Mirrors shopify.app.toml [app_proxy]: prefix "apps", subpath "shopdesk", url "/proxy". */
export const APP_PROXY = { pathPrefix: "/apps/shopdesk", appPath: "/proxy" } as const;
const CUSTOMER_COOKIE = "shopdesk_demo_customer";
const LOCALE_COOKIE = "shopdesk_demo_locale";

export interface DemoCustomer {
  firstName: string;
  lastName?: string;
  email?: string | null;
}

export interface StorefrontOptions {
  port?: number;
  /** Where the app runs, e.g. http://127.0.0.1:3000 (the App Proxy target is `${appUrl}/proxy`). */
  appUrl: string;
  /** The app's client secret: App Proxy requests are signed with it. */
  apiSecret: string;
  /** e.g. shopdesk-demo.myshopify.com */
  shop: string;
  shopName: string;
  /** The store emulator; accepted so the demo launcher can pass it, not used by the storefront yet. */
  emulatorUrl?: string;
  /** Names for the header and the Liquid `customer` object; default: "Customer <id>". */
  lookupCustomer?: (id: string) => DemoCustomer | null | Promise<DemoCustomer | null>;
  /** The customers the login page offers (the store's own, so the app knows them); else an id field. */
  loginCustomers?: () => DemoLoginCustomer[];
  /** Whether the theme has the app embed turned on (default true); off measures the bare theme. */
  appEmbed?: boolean;
  /** Theme-editor settings of the app embed and of the Help page's app block, over their defaults. */
  embedSettings?: Record<string, unknown>;
  pageBlockSettings?: Record<string, unknown>;
}

export interface Storefront {
  url: string;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "host", "cookie"]);

function cookies(req: http.IncomingMessage): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name) jar.set(name, decodeURIComponent(value.join("=")));
  }
  return jar;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer, headers = {}) {
  // Shopify serves pages and assets compressed; so does the demo, or Lighthouse's simulated
  // throttling would charge the embed for bytes a real store never sends.
  const compress =
    /^(text\/|application\/json)/.test(type) && /\bgzip\b/.test(String(res.req.headers["accept-encoding"]));
  const payload = compress ? gzipSync(body) : body;
  res.writeHead(status, {
    "content-type": type,
    "cache-control": "no-store",
    vary: "accept-encoding",
    ...(compress ? { "content-encoding": "gzip" } : {}),
    ...headers,
  });
  res.end(payload);
}

export async function startStorefront(options: StorefrontOptions): Promise<Storefront> {
  const assetUrl = (file: string) => `/extensions/${EXTENSION}/assets/${path.basename(file)}`;
  const { engine, locales, defaultLocale } = createEngine({ extension: EXTENSION, assetUrl, root: themeDir });
  const appUrl = options.appUrl.replace(/\/+$/, "");

  async function customerFor(req: http.IncomingMessage) {
    const id = cookies(req).get(CUSTOMER_COOKIE);
    if (!id || !/^\d+$/.test(id)) return null;
    const found = (await options.lookupCustomer?.(id)) ?? { firstName: "Customer", lastName: id };
    const name = [found.firstName, found.lastName].filter(Boolean).join(" ");
    return {
      id: Number(id),
      first_name: found.firstName,
      last_name: found.lastName ?? "",
      name,
      email: found.email ?? "",
    };
  }

  /** `template` is a theme file name, or `{ liquid }` for source the app sent (application/liquid). */
  async function renderPage(
    req: http.IncomingMessage,
    url: URL,
    template: string | { liquid: string },
    vars: Record<string, unknown>,
    withPageBlock = false,
  ) {
    const requested = url.searchParams.get("locale") ?? cookies(req).get(LOCALE_COOKIE) ?? defaultLocale;
    const locale = locales.includes(requested) ? requested : defaultLocale;
    const context = {
      shop: { name: options.shopName, permanent_domain: options.shop, url: `https://${options.shop}` },
      customer: await customerFor(req),
      request: { locale: { iso_code: locale }, path: url.pathname, host: url.host },
      routes: { root_url: "/", account_login_url: "/account/login", account_logout_url: "/account/logout" },
      available_locales: locales,
      ...vars,
    };
    const blockOptions = { extension: EXTENSION, assetUrl, context };
    const embed =
      options.appEmbed === false
        ? { head: "", body: "" }
        : await renderAppEmbed(engine, { ...blockOptions, block: EMBED_BLOCK, settings: options.embedSettings });
    const pageBlock = withPageBlock
      ? await renderAppBlock(engine, { ...blockOptions, block: PAGE_BLOCK, settings: options.pageBlockSettings })
      : { head: "", body: "" };
    const content =
      typeof template === "string"
        ? await engine.renderFile(template, { ...context, page_blocks: pageBlock.body })
        : await engine.parseAndRender(template.liquid, context);
    // Shopify includes each asset once however many blocks name it.
    const head = [...new Set([...pageBlock.head.split("\n"), ...embed.head.split("\n")].filter(Boolean))];
    return engine.renderFile("layout", {
      ...context,
      content_for_layout: content,
      content_for_header: head.join("\n"),
      content_for_app_embeds: embed.body,
    });
  }

  async function proxy(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const rest = url.pathname.slice(APP_PROXY.pathPrefix.length);
    const customerId = cookies(req).get(CUSTOMER_COOKIE);
    const target = signAppProxyUrl(`${appUrl}${APP_PROXY.appPath}${rest}${url.search}`, {
      apiSecret: options.apiSecret,
      shop: options.shop,
      pathPrefix: APP_PROXY.pathPrefix,
      loggedInCustomerId: customerId && /^\d+$/.test(customerId) ? customerId : "",
    });
    // Shopify forwards the request without the shopper's cookies; the signed query is the identity.
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name)) continue;
      headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    headers.set("x-forwarded-host", url.host);
    // Shopify adds the client's address to X-Forwarded-For; whatever the browser sent stays before it
    // (the app trusts only the right-most entry: decision 023).
    const clientIp = (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
    const sent = headers.get("x-forwarded-for");
    headers.set("x-forwarded-for", sent ? `${sent}, ${clientIp}` : clientIp);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    let upstream: Response;
    try {
      upstream = await fetch(target, {
        method: req.method,
        headers,
        body: hasBody ? new Uint8Array(await readBody(req)) : undefined,
        redirect: "manual",
      });
    } catch (error) {
      return send(
        res,
        502,
        "text/plain; charset=utf-8",
        `App Proxy: the app at ${appUrl} did not answer (${String(error)})`,
      );
    }
    const type = upstream.headers.get("content-type") ?? "text/plain";
    const location = upstream.headers.get("location");
    const body = Buffer.from(await upstream.arrayBuffer());
    if (type.startsWith("application/liquid")) {
      // Shopify renders Liquid answers with the storefront's objects, inside the theme layout.
      const html = await renderPage(req, url, { liquid: body.toString("utf8") }, { page_title: options.shopName });
      return send(res, upstream.status, "text/html; charset=utf-8", html);
    }
    // Only the type and a redirect pass back: Shopify strips the app's Set-Cookie (and other headers).
    send(res, upstream.status, type, body, location ? { location } : {});
  }

  /** The theme's pages: home, a product, a collection, and the Help page with the portal app block. */
  async function storePage(req: http.IncomingMessage, url: URL): Promise<string | null> {
    if (url.pathname === "/") return renderPage(req, url, "index", { page_title: "Home", products: demoProducts });
    const product = /^\/products\/([\w-]+)$/.exec(url.pathname);
    if (product) {
      const found = demoProducts.find((candidate) => candidate.handle === product[1]);
      if (!found) return null;
      const related = demoProducts.filter((candidate) => candidate !== found).slice(0, 3);
      return renderPage(req, url, "product", { page_title: found.title, product: found, related });
    }
    const collection = /^\/collections\/([\w-]+)$/.exec(url.pathname);
    if (collection) {
      const found = demoCollections.find((candidate) => candidate.handle === collection[1]);
      if (!found) return null;
      const products = found.products.flatMap((handle) => demoProducts.filter((p) => p.handle === handle));
      return renderPage(req, url, "collection", { page_title: found.title, collection: found, products });
    }
    if (url.pathname === "/pages/help") {
      return renderPage(req, url, "page", { page_title: "Help", page: { title: "Help" } }, true);
    }
    return null;
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    try {
      if (url.pathname === APP_PROXY.pathPrefix || url.pathname.startsWith(`${APP_PROXY.pathPrefix}/`)) {
        return await proxy(req, res, url);
      }
      const setLocale = url.searchParams.get("locale");
      const localeCookie = setLocale && locales.includes(setLocale) ? [`${LOCALE_COOKIE}=${setLocale}; Path=/`] : [];
      if (url.pathname.startsWith(`/extensions/${EXTENSION}/assets/`)) {
        const file = extensionAssetPath(EXTENSION, decodeURIComponent(url.pathname));
        if (!file) return send(res, 404, "text/plain", "Not found");
        return send(
          res,
          200,
          file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8",
          readFileSync(file),
        );
      }
      if (url.pathname === "/theme/theme.css") {
        return send(res, 200, "text/css; charset=utf-8", readFileSync(path.join(themeDir, "theme.css")));
      }
      if (url.pathname === "/account/login") {
        const id = url.searchParams.get("customer");
        if (id && /^\d+$/.test(id)) {
          res.writeHead(303, {
            location: "/",
            "set-cookie": `${CUSTOMER_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`,
          });
          return res.end();
        }
        const html = await renderPage(req, url, "login", {
          page_title: "Log in",
          login_customers: options.loginCustomers?.() ?? [],
        });
        return send(res, 200, "text/html; charset=utf-8", html, { "set-cookie": localeCookie });
      }
      if (url.pathname === "/account/logout") {
        res.writeHead(303, { location: "/", "set-cookie": `${CUSTOMER_COOKIE}=; Path=/; Max-Age=0` });
        return res.end();
      }
      const page = await storePage(req, url);
      if (page) return send(res, 200, "text/html; charset=utf-8", page, { "set-cookie": localeCookie });
      send(res, 404, "text/plain; charset=utf-8", "Not found");
    } catch (error) {
      send(
        res,
        500,
        "text/plain; charset=utf-8",
        `Storefront error: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
