import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBlock } from "./app-embed.ts";
import { startStorefront, type Storefront } from "./index.ts";

let storefront: Storefront;
beforeAll(async () => {
  storefront = await startStorefront({
    appUrl: "http://127.0.0.1:9", // unused here: no proxy request in this file
    apiSecret: "storefront-test-secret",
    shop: "demo-goods.myshopify.com",
    shopName: "Demo Goods & Co",
    lookupCustomer: (id) => (id === "7" ? { firstName: "Ada", lastName: "Lovelace" } : null),
  });
});
afterAll(() => storefront.close());

const page = async (path: string, cookie = "") => {
  const response = await fetch(`${storefront.url}${path}`, { headers: { cookie }, redirect: "manual" });
  return { response, html: await response.text() };
};

describe("demo storefront", () => {
  it("renders the home page with the Shopdesk app embed and its assets", async () => {
    const { response, html } = await page("/");
    expect(response.status).toBe(200);
    expect(html).toContain("Demo Goods &amp; Co");
    expect(html).toContain("Morning Mug");
    // The embed is the block file itself, placed inside <body> like Shopify places app embeds.
    const body = html.slice(html.indexOf("<body>"));
    expect(body).toMatch(/<div id="shopify-block-[\w-]+" class="shopify-block shopify-app-block">/);
    expect(body).toContain("data-shopdesk-portal");
    expect(body).toContain('data-proxy-url="/apps/shopdesk/widget"');
    expect(body).toContain('aria-expanded="false"');
    expect(body).toContain('role="dialog"');
    expect(body).toContain(">Help</span>");
    expect(body).toContain('data-text-signed-in="Signed in as {name}"');
    expect(body).not.toContain("translation missing");
    expect(body).not.toContain("{% schema");

    const head = html.slice(0, html.indexOf("<body>"));
    const css = /<link rel="stylesheet" href="([^"]+portal\.css)">/.exec(head)?.[1];
    const js = /<script src="([^"]+portal\.js)" defer><\/script>/.exec(head)?.[1];
    expect(css && js).toBeTruthy();
    const jsResponse = await fetch(`${storefront.url}${js}`);
    expect(jsResponse.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(await jsResponse.text()).toContain("data-shopdesk-portal");
    const cssResponse = await fetch(`${storefront.url}${css}`);
    expect(cssResponse.headers.get("content-type")).toMatch(/^text\/css/);
    expect((await fetch(`${storefront.url}/extensions/shopdesk-portal/assets/nope.js`)).status).toBe(404);
  });

  it("uses the schema defaults for the merchant settings", async () => {
    const { schema } = readBlock("shopdesk-portal", "portal-embed");
    expect(schema.target).toBe("body");
    const accent = schema.settings?.find((s) => s.id === "accent_color")?.default;
    const { html } = await page("/");
    expect(html).toContain(`--shopdesk-accent: ${String(accent)};`);
    expect(html).toContain("shopdesk-portal--right");
  });

  it.each([
    ["fr", "Aide", "Connecté en tant que {name}"],
    ["de", "Hilfe", "Angemeldet als {name}"],
    ["es", "Ayuda", "Has iniciado sesión como {name}"],
  ])("translates the embed with ?locale=%s and remembers the choice", async (locale, label, signedIn) => {
    const { response, html } = await page(`/?locale=${locale}`);
    expect(html).toContain(`<html lang="${locale}">`);
    expect(html).toContain(`>${label}</span>`);
    expect(html).toContain(`data-text-signed-in="${signedIn}"`);
    expect(html).not.toContain("translation missing");
    const cookie = response.headers.get("set-cookie")?.split(";")[0] ?? "";
    expect((await page("/", cookie)).html).toContain(`>${label}</span>`);
  });

  it("logs a demo customer in and out with a cookie", async () => {
    expect((await page("/")).html).toMatch(/data-demo-account>Guest/);
    const login = await page("/account/login?customer=7");
    expect(login.response.status).toBe(303);
    const cookie = login.response.headers.get("set-cookie")?.split(";")[0] ?? "";
    expect(cookie).toBe("shopdesk_demo_customer=7");
    expect((await page("/", cookie)).html).toContain("Logged in as <strong>Ada Lovelace</strong> (#7)");
    expect((await page("/", "shopdesk_demo_customer=8")).html).toContain("Logged in as <strong>Customer 8</strong>");
    const logout = await page("/account/logout", cookie);
    expect(logout.response.headers.get("set-cookie")).toMatch(/^shopdesk_demo_customer=;.*Max-Age=0/);
    expect((await page("/account/login")).html).toContain('name="customer"');
  });
});
