import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedWorld } from "../store-emulator/seed.ts";
import { World } from "../store-emulator/world.ts";
import { readBlock } from "./app-embed.ts";
import { demoShopper, loginChoices } from "./demo-customers.ts";
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
    expect(body).toContain('data-proxy-url="/apps/shopdesk/portal"');
    expect(body).toContain('aria-expanded="false"');
    expect(body).toContain('role="dialog"');
    expect(body).toContain('aria-modal="true"');
    expect(body).toContain(">Help</span>");
    expect(body).toContain('data-signed-in-as="Signed in as {name}"');
    expect(body).toContain('data-order-title="Order {name}"');
    expect(body).not.toContain("translation missing");
    expect(body).not.toContain("{% schema");

    // Nothing of the embed in <head>: no stylesheet, no script. The loader is fetched after the
    // page has loaded by the embed's inline script; the UI's assets are only named for it.
    const head = html.slice(0, html.indexOf("<body>"));
    expect(head).not.toContain("shopdesk");
    const js = /data-loader="([^"]+)"/.exec(body)?.[1];
    expect(js).toBe("/extensions/shopdesk-portal/assets/portal.js");
    expect(body).toContain("window.addEventListener('load', later)");
    const jsResponse = await fetch(`${storefront.url}${js}`);
    expect(jsResponse.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(await jsResponse.text()).toContain("data-shopdesk-portal");
    const appJs = /data-app-js="([^"]+)"/.exec(body)?.[1];
    const appCss = /data-app-css="([^"]+)"/.exec(body)?.[1];
    expect(appJs).toBe("/extensions/shopdesk-portal/assets/portal-app.js");
    expect((await fetch(`${storefront.url}${appJs}`)).status).toBe(200);
    const cssResponse = await fetch(`${storefront.url}${appCss}`);
    expect(cssResponse.headers.get("content-type")).toMatch(/^text\/css/);
    expect((await fetch(`${storefront.url}/extensions/shopdesk-portal/assets/nope.js`)).status).toBe(404);
  });

  it.each([
    ["/products/morning-mug", "Morning Mug", "Add to cart"],
    ["/collections/all", "All products", "Market Tote"],
    ["/collections/spring", "Spring collection", "Harbor Cap"],
  ])("renders %s with the app embed", async (path, title, text) => {
    const { response, html } = await page(path);
    expect(response.status).toBe(200);
    expect(html).toContain(`<title>${title} – Demo Goods &amp; Co</title>`);
    expect(html).toContain(text);
    expect(html).toContain("data-shopdesk-portal");
    expect(html).not.toContain("data-shopdesk-portal-page");
  });

  it("answers 404 for an unknown product or collection", async () => {
    expect((await page("/products/nope")).response.status).toBe(404);
    expect((await page("/collections/nope")).response.status).toBe(404);
  });

  it("renders the Help page with the full-page portal app block and its stylesheet", async () => {
    const { schema } = readBlock("shopdesk-portal", "portal-page");
    expect(schema.target).toBe("section");
    const { html } = await page("/pages/help?locale=de");
    const head = html.slice(0, html.indexOf("<body>"));
    expect(head).toContain('<link rel="stylesheet" href="/extensions/shopdesk-portal/assets/portal-app.css">');
    expect(head).toContain('<script src="/extensions/shopdesk-portal/assets/portal.js" defer></script>');
    expect(html).toMatch(/<section\s+class="shopdesk-portal-page shopdesk-portal-page--center"/);
    expect(html).toContain("Hilfe zu Ihren Bestellungen");
    expect(html).not.toContain("translation missing");
  });

  it("leaves the embed out when the theme has it turned off", async () => {
    const bare = await startStorefront({
      appUrl: "http://127.0.0.1:9",
      apiSecret: "storefront-test-secret",
      shop: "demo-goods.myshopify.com",
      shopName: "Demo Goods",
      appEmbed: false,
    });
    try {
      const html = await (await fetch(`${bare.url}/products/harbor-cap`)).text();
      expect(html).toContain("Harbor Cap");
      expect(html).not.toContain("shopdesk");
    } finally {
      await bare.close();
    }
  });

  it.each([
    ["#1f5199", "#ffffff", "#1f5199", "#1f5199"],
    ["#ffd400", "#000000", "#1a1a1a", "#1a1a1a"],
    ["#d9534f", "#000000", "#1a1a1a", "#d9534f"],
    ["#000000", "#ffffff", "#000000", "#000000"],
  ])("picks readable colours for accent %s", async (accent, onAccent, ink, focus) => {
    const themed = await startStorefront({
      appUrl: "http://127.0.0.1:9",
      apiSecret: "storefront-test-secret",
      shop: "demo-goods.myshopify.com",
      shopName: "Demo Goods",
      embedSettings: { accent_color: accent },
    });
    try {
      const html = await (await fetch(`${themed.url}/`)).text();
      expect(html).toContain(
        `--shopdesk-accent: ${accent}; --shopdesk-on-accent: ${onAccent}; --shopdesk-accent-ink: ${ink}; --shopdesk-focus: ${focus};`,
      );
    } finally {
      await themed.close();
    }
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
    expect(html).toContain(`data-signed-in-as="${signedIn}"`);
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

describe("demo storefront's seeded customers", () => {
  const [shop] = seedWorld(new World(() => {}), { now: "2026-11-01T12:00:00Z" });
  const customers = [...shop!.customers.values()];
  const orders = [...shop!.orders.values()];

  it("offers the store's own customers on the login page, and logging in names one the store knows", async () => {
    const seededFront = await startStorefront({
      appUrl: "http://127.0.0.1:9",
      apiSecret: "storefront-test-secret",
      shop: shop!.domain,
      shopName: shop!.record.name,
      lookupCustomer: (id) => shop!.findCustomer(id) ?? null,
      loginCustomers: () => loginChoices(customers),
    });
    try {
      const html = await (await fetch(`${seededFront.url}/account/login`)).text();
      const offered = [...html.matchAll(/<option value="(\d+)">([^<]+)<\/option>/g)];
      expect(offered.length).toBeGreaterThan(1);
      expect(html).not.toContain('value="1001"');
      const first = customers.find((customer) => customer.id === Number(offered[0]![1]))!;
      expect(first.email).toBeTruthy();
      expect(offered[0]![2]).toBe(`${first.firstName} ${first.lastName} (${first.email})`);

      const login = await fetch(`${seededFront.url}/account/login?customer=${first.id}`, { redirect: "manual" });
      const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
      const home = await (await fetch(`${seededFront.url}/`, { headers: { cookie } })).text();
      expect(home).toContain(`Logged in as <strong>${first.firstName} ${first.lastName}</strong>`);
    } finally {
      await seededFront.close();
    }
  });

  it("picks a shopper to try the portal with: one with an email and one of their orders not cancelled", () => {
    const shopper = demoShopper(customers, orders)!;
    const customer = shop!.findCustomer(shopper.email)!;
    expect(shopper.id).toBe(String(customer.id));
    const order = orders.find((candidate) => candidate.name === shopper.orderName)!;
    expect(order.customerId).toBe(customer.id);
    expect(order.cancelledAt).toBeNull();
    expect(demoShopper([], orders)).toBeNull();
  });
});
