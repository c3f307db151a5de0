// DEV/TEST ONLY: Chromium set up to show Shopdesk as a merchant and a shopper would see it, with no
// Shopify host reachable. Used by the demo launcher (headed) and by e2e tests (headless).
//   - cdn.shopify.com/shopifycloud/app-bridge.js → app-bridge-standin.js (tokens minted here, in Node)
//   - other cdn.shopify.com → empty 200 (the Polaris font stylesheet)
//   - admin.shopify.com → admin-shell.ts, served *as* that origin so the app's CSP lets it frame the app
//   - 127.0.0.1 / localhost → the real servers; anything else is aborted (and listed in `blocked`)
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page, type Route } from "playwright-core";
import { mintSessionToken } from "../store-emulator/signing.ts";
import { adminShellHtml, adminUrl, parseAdminUrl } from "./admin-shell.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
export const APP_BRIDGE_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";
/** Name of the page function app-bridge-standin.js calls for a session token. */
export const MINT_FUNCTION = "__shopdeskMintIdToken";

/** CHROMIUM_PATH, else a system Chromium/Chrome; null when there is none (tests skip then). */
export function findChromium(): string | null {
  const candidates = [
    process.env.CHROMIUM_PATH,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
  ];
  return candidates.find((candidate): candidate is string => !!candidate && existsSync(candidate)) ?? null;
}

/** For tests: a browser test without a browser fails with what to install, it never skips. */
export function requireChromium(): string {
  const found = findChromium();
  if (!found) throw new Error("Chromium not found: apt-get install chromium, or set CHROMIUM_PATH to Chrome/Chromium.");
  return found;
}

export interface LaunchOptions {
  headless?: boolean;
  appUrl: string;
  apiKey: string;
  apiSecret: string;
  storefrontUrl?: string;
  /** `sub` of the minted session tokens (the staff member); default "1". */
  userId?: string;
  /** Store names for the admin top bar, by shop domain. */
  shopNames?: Record<string, string>;
  slowMo?: number;
}

export interface ShopdeskBrowser {
  browser: Browser;
  context: BrowserContext;
  /** Requests the route table refused (anything not local, not Shopify CDN/Admin). */
  blocked: string[];
  /** Opens https://admin.shopify.com/store/<handle>/apps/shopdesk[path] with the app framed (default path /app). */
  openAdmin(shopDomain: string, path?: string): Promise<Page>;
  openStorefront(path?: string): Promise<Page>;
  close(): Promise<void>;
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

export async function launchShopdeskBrowser(options: LaunchOptions): Promise<ShopdeskBrowser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error("No Chromium found: install Debian's `chromium` or set CHROMIUM_PATH");
  const headless = options.headless ?? true;
  if (!headless && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    throw new Error("Headed Chromium needs a display: set DISPLAY (e.g. run under xvfb-run) or use headless");
  }
  const appOrigin = new URL(options.appUrl).origin;
  const standin = readFileSync(path.join(here, "app-bridge-standin.js"), "utf8");

  // playwright's launch() already uses a fresh temporary profile (user-data-dir) per run.
  const browser = await chromium.launch({
    executablePath,
    headless,
    slowMo: options.slowMo,
    // The caller owns shutdown (the demo stops the app and emulator first on Ctrl-C); Playwright's
    // own signal handlers would exit the process before that.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-default-apps",
      "--no-first-run",
      "--no-default-browser-check",
      "--metrics-recording-only",
      // The admin shell is a public https page framing http://127.0.0.1: Chromium's Local Network
      // Access checks would block that iframe.
      "--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessForNavigations,PrivateNetworkAccessRespectPreflightResults",
    ],
  });
  try {
    // authenticate.admin answers 410 Gone to bots, and isbot() matches "HeadlessChrome".
    const cdp = await browser.newBrowserCDPSession();
    const { userAgent } = (await cdp.send("Browser.getVersion")) as { userAgent: string };
    await cdp.detach();
    const context = await browser.newContext({
      userAgent: userAgent.replace("HeadlessChrome", "Chrome"),
      viewport: { width: 1400, height: 900 },
      locale: "en-US",
    });

    const blocked: string[] = [];
    await context.route("**/*", (route: Route) => {
      const url = new URL(route.request().url());
      if (`${url.origin}${url.pathname}` === APP_BRIDGE_URL) {
        return route.fulfill({ status: 200, contentType: "text/javascript; charset=utf-8", body: standin });
      }
      if (url.hostname === "cdn.shopify.com") {
        const css = /\.css$/.test(url.pathname) || route.request().resourceType() === "stylesheet";
        return route.fulfill({ status: 200, contentType: css ? "text/css" : "text/plain", body: "" });
      }
      if (url.hostname === "admin.shopify.com") {
        const target = parseAdminUrl(url);
        if (!target || route.request().resourceType() !== "document") {
          return route.fulfill({ status: 404, contentType: "text/plain", body: "Not part of the Admin stand-in" });
        }
        return route.fulfill({
          status: 200,
          contentType: "text/html; charset=utf-8",
          body: adminShellHtml({
            shopDomain: target.shopDomain,
            shopName: options.shopNames?.[target.shopDomain],
            appUrl: options.appUrl,
            path: target.path || "/app",
          }),
        });
      }
      if (["127.0.0.1", "localhost", "[::1]"].includes(url.hostname) || url.origin === appOrigin) {
        return route.continue();
      }
      blocked.push(url.href);
      return route.abort("blockedbyclient");
    });

    // The secret stays in Node: pages ask for a token, per shop, through this binding.
    await context.exposeFunction(MINT_FUNCTION, (shop: unknown) => {
      if (typeof shop !== "string" || !SHOP_DOMAIN.test(shop)) throw new Error(`not a shop domain: ${String(shop)}`);
      return mintSessionToken({ shop, apiKey: options.apiKey, apiSecret: options.apiSecret, userId: options.userId });
    });

    return {
      browser,
      context,
      blocked,
      async openAdmin(shopDomain, appPath = "") {
        const page = await context.newPage();
        await page.goto(adminUrl(shopDomain, appPath));
        return page;
      },
      async openStorefront(storePath = "/") {
        if (!options.storefrontUrl) throw new Error("launchShopdeskBrowser: no storefrontUrl given");
        const page = await context.newPage();
        await page.goto(new URL(storePath, options.storefrontUrl).toString());
        return page;
      },
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
