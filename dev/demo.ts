// npm run demo [-- --no-open] : Shopdesk with three emulated stores, on this machine only.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { findChromium, launchShopdeskBrowser } from "./browser/launch.ts";
import { DEV_APP_CREDENTIALS, repoRoot, startStack } from "./stack.ts";

const { values: flags } = parseArgs({
  options: {
    "no-open": { type: "boolean", default: false },
    port: { type: "string", default: "3000" },
    "emulator-port": { type: "string", default: "4010" },
    "storefront-port": { type: "string", default: "4020" },
    help: { type: "boolean", default: false },
  },
});

if (flags.help) {
  console.log(`npm run demo [-- --no-open] [--port 3000] [--emulator-port 4010] [--storefront-port 4020]

Starts the store emulator (3 stores, customers and orders), Shopdesk and a demo storefront on
127.0.0.1, installs Shopdesk on every store and prints where to look. Ctrl-C stops everything.`);
  process.exit(0);
}

const startedAt = performance.now();
const dataDir = path.join(repoRoot, ".shopdesk/demo");
mkdirSync(dataDir, { recursive: true });

const stack = await startStack({
  mode: "dev",
  databaseUrl: `pglite:${path.join(dataDir, "db")}`,
  appPort: Number(flags.port),
  emulatorPort: Number(flags["emulator-port"]),
  storefrontPort: Number(flags["storefront-port"]),
  log: (line) => console.log(`  ${line}`),
});

let stopping = false;
async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping Shopdesk, the storefront and the store emulator…");
  await browser?.close().catch(() => {});
  await stack.stop();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

const shops = stack.emulator.shops();
for (const shop of shops) await stack.installShop(shop.domain);
const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);

const adminUrl = (domain: string) =>
  `https://admin.shopify.com/store/${domain.replace(".myshopify.com", "")}/apps/shopdesk`;
const [first] = shops;
console.log(`
Shopdesk is running (ready in ${seconds}s), installed on ${shops.length} emulated stores:
${shops.map((shop) => `  - ${shop.name} (${shop.domain})`).join("\n")}

  Demo Shopify admin:  ${adminUrl(first!.domain)}
  Demo storefront:     ${stack.storefront.url}
  Shopdesk (direct):   ${stack.appUrl}   store emulator: ${stack.emulator.url}

The admin address is served by the browser this demo opens (it stands in for Shopify's admin and its
App Bridge script); the storefront works in any browser. Make the store change while you watch:
  npx tsx dev/store-emulator/cli.ts --help     (set SHOPDESK_EMULATOR_URL=${stack.emulator.url})
Press Ctrl-C to stop.`);

let browser: Awaited<ReturnType<typeof launchShopdeskBrowser>> | undefined;
if (!flags["no-open"]) {
  if (!findChromium()) {
    console.log(
      "\n(No Chromium or Chrome found: install one to have the demo open it, e.g. apt-get install chromium.)",
    );
  } else if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.log("\n(No display: nothing to open a window on. Run with a display, or use --no-open.)");
  } else {
    browser = await launchShopdeskBrowser({
      headless: false,
      appUrl: stack.appUrl,
      ...DEV_APP_CREDENTIALS,
      storefrontUrl: stack.storefront.url,
    });
    await browser.openAdmin(first!.domain);
    await browser.openStorefront();
  }
}
