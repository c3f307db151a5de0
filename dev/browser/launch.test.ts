// Proves the browser harness against a throwaway page server (no Remix): the App Bridge stand-in
// mints verifiable session tokens, bounces, authorises fetch, and the admin shell frames the app.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type {} from "@shopify/app-bridge-types"; // declares window.shopify
import type { Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminHostParam, verifySessionToken } from "../store-emulator/signing.ts";
import { requireChromium, launchShopdeskBrowser, type ShopdeskBrowser } from "./launch.ts";

const API_KEY = "browser-test-key";
const API_SECRET = "browser-test-secret";
const SHOP = "harness-shop.myshopify.com";

// What authenticate.admin does, reduced: documents need an id_token (else bounce), fetches a Bearer.
function startPageServer() {
  const seen: { path: string; authorization?: string; idToken?: string }[] = [];
  let flaky = 0;
  const page = (body: string, hydrated = true) => `<!doctype html><html><head><meta charset="utf-8">
<script src="https://cdn.shopify.com/shopifycloud/app-bridge.js" data-api-key="${API_KEY}"></script></head>
<body>${body}
<script>
  window.__loadId = Math.random();
  // Stands in for Remix's router being up (the stand-in checks it); ?unhydrated=1 is a page whose
  // scripts have not run yet.
  if (${hydrated}) window.__remixRouter = { state: { initialized: true } };
  // Stands in for Remix <Link>: client-side navigation on click, no document load.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-spa]");
    if (!link) return;
    event.preventDefault();
    history.pushState(null, "", link.getAttribute("href"));
    document.getElementById("view").textContent = "view:" + location.pathname;
  });
</script></body></html>`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://pages.local");
    seen.push({
      path: url.pathname,
      authorization: req.headers.authorization,
      idToken: url.searchParams.get("id_token") ?? undefined,
    });
    const html = (body: string) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(page(body, url.searchParams.get("unhydrated") !== "1"));
    };
    if (url.pathname === "/auth/session-token") return html("Loading…");
    if (url.pathname.startsWith("/app")) {
      if (!url.searchParams.get("id_token")) {
        const reload = encodeURIComponent(url.pathname + url.search);
        res.writeHead(302, { location: `/auth/session-token${url.search}&shopify-reload=${reload}` });
        return res.end();
      }
      return html(`<ui-title-bar title="Harness"></ui-title-bar>
<ui-nav-menu><a href="/app" rel="home" data-spa>Home</a><a href="/app/settings" data-spa>Settings</a></ui-nav-menu>
<main id="view">view:${url.pathname}</main>`);
    }
    if (url.pathname === "/api/flaky" && flaky++ === 0) {
      res.writeHead(401, { "x-shopify-retry-invalid-session-request": "1" });
      return res.end();
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ authorization: req.headers.authorization ?? null }));
  });
  return { server, seen };
}

requireChromium();

describe("browser harness (real Chromium)", () => {
  const pages = startPageServer();
  let appUrl = "";
  let harness: ShopdeskBrowser;
  let admin: Page;
  let frame: Frame;

  beforeAll(async () => {
    await new Promise<void>((resolve) => pages.server.listen(0, "127.0.0.1", resolve));
    appUrl = `http://127.0.0.1:${(pages.server.address() as AddressInfo).port}`;
    harness = await launchShopdeskBrowser({ appUrl, apiKey: API_KEY, apiSecret: API_SECRET, userId: "42" });
    admin = await harness.openAdmin(SHOP, "/app");
    await admin.frameLocator("iframe[name=app-iframe]").locator("#view").waitFor();
    frame = admin.frame({ name: "app-iframe" })!;
  }, 30_000);

  afterAll(async () => {
    await harness?.close();
    pages.server.closeAllConnections();
    await new Promise((resolve) => pages.server.close(resolve));
  });

  it("frames the app in the admin shell with embedded, shop and host, after the session-token bounce", async () => {
    expect(admin.url()).toBe("https://admin.shopify.com/store/harness-shop/apps/shopdesk/app");
    await expect(admin.locator("[data-admin-store-name]").textContent()).resolves.toBe("harness-shop");
    const src = new URL((await admin.locator("iframe[name=app-iframe]").getAttribute("src"))!);
    expect(src.origin + src.pathname).toBe(`${appUrl}/app`);
    expect(Object.fromEntries(src.searchParams)).toEqual({
      embedded: "1",
      shop: SHOP,
      host: adminHostParam(SHOP),
      locale: "en",
    });
    const paths = pages.seen.map((entry) => entry.path);
    expect(paths.slice(0, 3)).toEqual(["/app", "/auth/session-token", "/app"]);
    const reloaded = pages.seen[2]!;
    expect(verifySessionToken(reloaded.idToken!, API_SECRET)).toMatchObject({ aud: API_KEY, dest: `https://${SHOP}` });
  });

  it("window.shopify.idToken() returns a JWT signed with the app secret for the page's shop", async () => {
    const token = await frame.evaluate(() => window.shopify.idToken());
    const claims = verifySessionToken(token, API_SECRET);
    expect(claims).toMatchObject({ aud: API_KEY, dest: `https://${SHOP}`, iss: `https://${SHOP}/admin`, sub: "42" });
    await expect(frame.evaluate(() => window.shopify.config.apiKey)).resolves.toBe(API_KEY);
  });

  it("adds a fresh Bearer token to same-origin fetch and retries once when asked to", async () => {
    const echoed = await frame.evaluate(() => fetch("/api/echo").then((r) => r.json()));
    const bearer = /^Bearer (.+)$/.exec(echoed.authorization)?.[1];
    expect(verifySessionToken(bearer!, API_SECRET).dest).toBe(`https://${SHOP}`);

    const status = await frame.evaluate(() => fetch("/api/flaky", { method: "POST", body: "x" }).then((r) => r.status));
    expect(status).toBe(200);
    const flaky = pages.seen.filter((entry) => entry.path === "/api/flaky");
    expect(flaky).toHaveLength(2);
    expect(flaky.every((entry) => entry.authorization?.startsWith("Bearer "))).toBe(true);
  });

  it("shows the app's nav menu in the admin nav and navigates the app client-side", async () => {
    const loadId = await frame.evaluate(() => (window as unknown as { __loadId: number }).__loadId);
    await admin.locator("[data-app-nav] a", { hasText: "Settings" }).click();
    await frame.locator("#view", { hasText: "view:/app/settings" }).waitFor();
    expect(await frame.evaluate(() => (window as unknown as { __loadId: number }).__loadId)).toBe(loadId);
    await admin.waitForURL("https://admin.shopify.com/store/harness-shop/apps/shopdesk/app/settings");
    await expect(admin.locator("[data-app-nav] a[aria-current=page]").textContent()).resolves.toBe("Settings");
  });

  it("renders toasts outside the app's DOM tree", async () => {
    await frame.evaluate(() => window.shopify.toast.show("Settings saved"));
    await frame.getByText("Settings saved").waitFor();
    expect(await frame.evaluate(() => document.body.innerText.includes("Settings saved"))).toBe(false);
  });

  it("renders ui-nav-menu in Shadow DOM when the app is opened outside the admin", async () => {
    const page = await harness.context.newPage();
    await page.goto(`${appUrl}/app?embedded=1&shop=${SHOP}&host=${adminHostParam(SHOP)}`);
    await page.locator("ui-nav-menu").getByRole("link", { name: "Settings" }).click();
    await page.locator("#view", { hasText: "view:/app/settings" }).waitFor();
    // Light DOM untouched: React hydration depends on it.
    expect(await page.locator("ui-nav-menu").evaluate((el) => el.innerHTML)).toBe(
      '<a href="/app" rel="home" data-spa="">Home</a><a href="/app/settings" data-spa="">Settings</a>',
    );
    await page.close();
  });

  it("loads the app with its shop and host when a nav link is used before the app's scripts run", async () => {
    const page = await harness.context.newPage();
    await page.goto(`${appUrl}/app?embedded=1&shop=${SHOP}&host=${adminHostParam(SHOP)}&unhydrated=1`);
    // The document without an id_token bounces for one (a second load): read the page after it.
    await page.waitForURL((url) => url.pathname === "/app" && url.searchParams.has("id_token"));
    const loadId = await page.evaluate(() => (window as unknown as { __loadId: number }).__loadId);
    await page.locator("ui-nav-menu").getByRole("link", { name: "Settings" }).click();
    await page.locator("#view", { hasText: "view:/app/settings" }).waitFor();
    // A document load (the link was a plain one), of the path with the admin's parameters: not the
    // bare path, which would no longer say which shop is asking.
    expect(await page.evaluate(() => (window as unknown as { __loadId: number }).__loadId)).not.toBe(loadId);
    const loaded = new URL(page.url());
    expect(loaded.pathname).toBe("/app/settings");
    expect(loaded.searchParams.get("shop")).toBe(SHOP);
    expect(loaded.searchParams.get("host")).toBe(adminHostParam(SHOP));
    await page.close();
  });

  it("aborts requests to anything but local servers and the Shopify stand-ins", async () => {
    const outcome = await frame.evaluate(() =>
      fetch("https://example.com/track", { mode: "no-cors" }).then(
        () => "reached",
        () => "blocked",
      ),
    );
    expect(outcome).toBe("blocked");
    expect(harness.blocked).toContain("https://example.com/track");
  });
});
