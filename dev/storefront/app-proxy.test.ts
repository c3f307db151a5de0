import "@shopify/shopify-api/adapters/node";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appProxySignature } from "../store-emulator/signing.ts";
import { startStorefront, type Storefront } from "./index.ts";

const API_SECRET = "storefront-proxy-secret";
const SHOP = "demo-goods.myshopify.com";

// The real validator the app's authenticate.public.appProxy relies on.
const shopify = shopifyApi({
  apiKey: "storefront-proxy-key",
  apiSecretKey: API_SECRET,
  apiVersion: ApiVersion.July26,
  hostName: "127.0.0.1",
  isEmbeddedApp: true,
  logger: { log: () => {} },
});

interface Seen {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
}
let seen: Seen[] = [];
let app: http.Server;
let storefront: Storefront;

beforeAll(async () => {
  // A stand-in for the app: answers like GET /proxy/widget and records what the proxy sent.
  app = http.createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += String(chunk);
    const url = new URL(req.url ?? "/", "http://app.local");
    seen.push({ method: req.method ?? "", url, headers: req.headers, body });
    if (url.pathname === "/proxy/page") {
      res.writeHead(200, { "content-type": "application/liquid" });
      return res.end("<h1>Help for {{ shop.name }}</h1>");
    }
    if (url.pathname === "/proxy/with-cookie") {
      res.writeHead(200, { "content-type": "application/json", "set-cookie": "app_session=secret; Path=/" });
      return res.end("{}");
    }
    if (url.pathname === "/proxy/missing") {
      res.writeHead(404, { "content-type": "application/json" });
      return res.end('{"error":"not found"}');
    }
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify({ shop: { name: "Demo Goods" }, customer: { loggedIn: false, firstName: null } }));
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  storefront = await startStorefront({
    appUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}`,
    apiSecret: API_SECRET,
    shop: SHOP,
    shopName: "Demo Goods",
  });
});
afterAll(async () => {
  await storefront.close();
  app.closeAllConnections();
  await new Promise((resolve) => app.close(resolve));
});

const lastSeen = () => seen.at(-1)!;

describe("App Proxy emulation", () => {
  it("forwards /apps/shopdesk/* to the app's /proxy/* with a signature @shopify/shopify-api accepts", async () => {
    seen = [];
    const response = await fetch(`${storefront.url}/apps/shopdesk/widget?ref=launcher`, {
      headers: { accept: "application/json", cookie: "shopdesk_demo_customer=7; other=1" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await response.json()).toEqual({
      shop: { name: "Demo Goods" },
      customer: { loggedIn: false, firstName: null },
    });

    const { url, headers, method } = lastSeen();
    expect(method).toBe("GET");
    expect(url.pathname).toBe("/proxy/widget");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      ref: "launcher",
      shop: SHOP,
      path_prefix: "/apps/shopdesk",
      logged_in_customer_id: "7",
    });
    expect(headers.accept).toBe("application/json");
    expect(headers.cookie).toBeUndefined(); // Shopify does not forward storefront cookies
    expect(await shopify.utils.validateHmac(url.searchParams, { signator: "appProxy" })).toBe(true);
  });

  it("signs an anonymous shopper with an empty logged_in_customer_id", async () => {
    await fetch(`${storefront.url}/apps/shopdesk/widget`);
    const { url } = lastSeen();
    expect(url.searchParams.get("logged_in_customer_id")).toBe("");
    expect(await shopify.utils.validateHmac(url.searchParams, { signator: "appProxy" })).toBe(true);
  });

  it("produces a signature that fails validation once a parameter is tampered with", async () => {
    await fetch(`${storefront.url}/apps/shopdesk/widget`, { headers: { cookie: "shopdesk_demo_customer=7" } });
    const tampered = new URLSearchParams(lastSeen().url.searchParams);
    tampered.set("logged_in_customer_id", "8");
    expect(await shopify.utils.validateHmac(tampered, { signator: "appProxy" })).toBe(false);
  });

  it("forwards method and body and passes the app's status and content type back", async () => {
    const response = await fetch(`${storefront.url}/apps/shopdesk/missing`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "Where is my order?" }),
    });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/json");
    const { method, body, headers, url } = lastSeen();
    expect(method).toBe("POST");
    expect(headers["content-type"]).toBe("application/json");
    expect(JSON.parse(body)).toEqual({ message: "Where is my order?" });
    expect(await shopify.utils.validateHmac(url.searchParams, { signator: "appProxy" })).toBe(true);
  });

  it("adds the client's address to X-Forwarded-For after whatever the browser sent, as Shopify does", async () => {
    await fetch(`${storefront.url}/apps/shopdesk/widget`);
    expect(lastSeen().headers["x-forwarded-for"]).toBe("127.0.0.1");
    await fetch(`${storefront.url}/apps/shopdesk/widget`, { headers: { "x-forwarded-for": "6.6.6.6" } });
    expect(lastSeen().headers["x-forwarded-for"]).toBe("6.6.6.6, 127.0.0.1");
  });

  it("does not pass the app's Set-Cookie on to the browser", async () => {
    const response = await fetch(`${storefront.url}/apps/shopdesk/with-cookie`);
    expect(response.status).toBe(200);
    expect(lastSeen().url.pathname).toBe("/proxy/with-cookie");
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("renders application/liquid answers inside the theme", async () => {
    const response = await fetch(`${storefront.url}/apps/shopdesk/page`);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain("<h1>Help for Demo Goods</h1>");
    expect(html).toContain('class="site-header"');
  });
});

describe("appProxySignature against Shopify's published App Proxy vectors", () => {
  // shopify.dev "Authenticate app proxies" (secret "hush"); restated from shared/reference/hmac/test-vectors.json.
  it.each([
    [
      "logged in",
      "extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555",
      "4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb",
    ],
    [
      "anonymous",
      "extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555",
      "e072b6d7e6622d85912a5214b860d3100dc1e73d9bc29f43796ac8c9ff8093cb",
    ],
    [
      "legacy, no customer param",
      "extra=1&extra=2&shop=shop-name.myshopify.com&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555",
      "a9718877bea71c2484f91608a7eaea1532bdf71f5c56825065fa4ccabe549ef3",
    ],
  ])("%s", (_name, query, expected) => {
    expect(appProxySignature(new URLSearchParams(query), "hush")).toBe(expected);
    // The signature parameter itself is never part of the message.
    expect(appProxySignature(new URLSearchParams(`${query}&signature=${expected}`), "hush")).toBe(expected);
  });
});
