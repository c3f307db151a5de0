// npm run demo [-- --no-open] : Shopdesk with three emulated stores, on this machine only.
// The stores (the emulator's world, with the app's install and tokens) and Shopdesk's database live in
// the data directory, so a restarted demo carries on where it stopped and store changes keep flowing.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { findChromium, launchShopdeskBrowser } from "./browser/launch.ts";
import { startLocalAdmin, type LocalAdmin } from "./browser/local-admin.ts";
import { checkStoreChangesReachShopdesk } from "./demo-health.ts";
import { ensureDemoSecretsKey, startDemoMail, startDemoSms } from "./demo-mail.ts";
import { seedDemoChatSettings } from "./demo-chat.ts";
import { seedDemoTicketsOnceImported } from "./demo-tickets.ts";
import { startDemoLoop, type DemoLoop } from "./loop-returns/demo.ts";
import { DEV_APP_CREDENTIALS, repoRoot, startStack, type Stack } from "./stack.ts";
import { demoShopper } from "./storefront/demo-customers.ts";
import type { EmulatorSnapshot } from "./store-emulator/index.ts";
import { staffOf } from "./store-emulator/staff.ts";

const { values: flags } = parseArgs({
  options: {
    "no-open": { type: "boolean", default: false },
    port: { type: "string", default: "3000" },
    "emulator-port": { type: "string", default: "4010" },
    "storefront-port": { type: "string", default: "4020" },
    "admin-port": { type: "string", default: "4030" },
    "mail-port": { type: "string", default: "4040" },
    "sms-port": { type: "string", default: "4050" },
    "loop-port": { type: "string", default: "4060" },
    "data-dir": { type: "string", default: path.join(repoRoot, ".shopdesk/demo") },
    help: { type: "boolean", default: false },
  },
});

if (flags.help) {
  console.log(`npm run demo [-- --no-open] [--port 3000] [--emulator-port 4010] [--storefront-port 4020]
                [--admin-port 4030] [--mail-port 4040] [--sms-port 4050] [--loop-port 4060]
                [--data-dir .shopdesk/demo]

Starts the store emulator (3 stores, customers and orders), Shopdesk and a demo storefront on
127.0.0.1, installs Shopdesk on every store, checks that store changes reach it and prints where to
look. The stores and Shopdesk's data are kept in the data directory between runs (delete it to start
over). Ctrl-C stops everything.`);
  process.exit(0);
}

const startedAt = performance.now();
const dataDir = path.resolve(flags["data-dir"]);
mkdirSync(dataDir, { recursive: true });
const worldFile = path.join(dataDir, "emulator.json");
const appLog = path.join(dataDir, "app.log");
const startOver = `To start over: stop the demo (Ctrl-C), delete ${dataDir} and run it again.`;

function readSnapshot(): EmulatorSnapshot | undefined {
  if (!existsSync(worldFile)) return undefined;
  try {
    return JSON.parse(readFileSync(worldFile, "utf8")) as EmulatorSnapshot;
  } catch (error) {
    console.log(`  (could not read the saved stores in ${worldFile}: ${String(error)}; starting from the seed)`);
    return undefined;
  }
}

const snapshot = readSnapshot();
// Before Shopdesk starts: its processes read the key for SMTP passwords from the environment.
ensureDemoSecretsKey(dataDir);
// Chat images live with the demo's other data, so deleting the folder starts over completely.
process.env.ATTACHMENTS_DIR ??= path.join(dataDir, "attachments");
writeFileSync(appLog, `\n===== npm run demo, ${new Date().toISOString()} =====\n`, { flag: "a" });
let stack: Stack;
try {
  stack = await startStack({
    mode: "dev",
    databaseUrl: `embedded:${path.join(dataDir, "postgres")}`,
    appPort: Number(flags.port),
    emulatorPort: Number(flags["emulator-port"]),
    storefrontPort: Number(flags["storefront-port"]),
    appOutput: { file: appLog },
    ...(snapshot ? { emulatorSnapshot: snapshot } : {}),
    log: (line) => console.log(`  ${line}`),
  });
} catch (error) {
  console.error(`\nThe demo could not start: ${error instanceof Error ? error.message : String(error)}`);
  console.error(`\nShopdesk's log: ${appLog}\n${startOver}`);
  process.exit(1);
}
console.log(`  ${snapshot ? `stores restored from ${worldFile}` : "stores seeded (first run)"}`);

// The emulator's world is saved whenever it changed (a CLI command, a webhook subscription, a token)
// and on Ctrl-C, written whole to a temporary file and renamed, so a crash leaves the last good copy.
let savedWorld = "";
function saveWorld() {
  const text = JSON.stringify(stack.emulator.snapshot());
  if (text === savedWorld) return;
  writeFileSync(`${worldFile}.tmp`, text);
  renameSync(`${worldFile}.tmp`, worldFile);
  savedWorld = text;
}
const saver = setInterval(saveWorld, 2000);

// What shutdown must close, once started (Ctrl-C may come at any point).
const running: {
  admin?: LocalAdmin;
  browser?: Awaited<ReturnType<typeof launchShopdeskBrowser>>;
  mail?: Awaited<ReturnType<typeof startDemoMail>>;
  sms?: Awaited<ReturnType<typeof startDemoSms>>;
  loop?: DemoLoop;
} = {};
let stopping = false;
async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping Shopdesk, the storefront and the store emulator…");
  clearInterval(saver);
  await running.browser?.close().catch(() => {});
  await running.admin?.close().catch(() => {});
  await running.mail?.close().catch(() => {});
  await running.sms?.close().catch(() => {});
  await running.loop?.close().catch(() => {});
  await stack.stop();
  saveWorld();
  console.log(`Stores saved in ${worldFile}; Shopdesk's log: ${appLog}`);
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

const shops = stack.emulator.shops();
const requestsBeforeInstall = stack.emulator.requests.length;
try {
  for (const shop of shops) await stack.installShop(shop.domain);
} catch (error) {
  console.error(`\n${error instanceof Error ? error.message : String(error)}\nShopdesk's log: ${appLog}\n${startOver}`);
  await shutdown(1);
}
saveWorld();

// Every workspace's outgoing email goes to the demo's mail catcher (its page lists what was sent).
const mail = await startDemoMail(stack.databaseUrl, Number(flags["mail-port"]));
running.mail = mail;
// Every store's text messages (portal sign-in codes) go to the demo's SMS catcher, a stand-in for Twilio.
const sms = await startDemoSms(stack.databaseUrl, Number(flags["sms-port"]));
running.sms = sms;

const admin = await startLocalAdmin({
  port: Number(flags["admin-port"]),
  appUrl: stack.appUrl,
  ...DEV_APP_CREDENTIALS,
  shops: shops.map((shop) => ({
    domain: shop.domain,
    name: shop.name,
    staff: staffOf(stack.emulator.shop(shop.domain).record).map((member) => ({
      id: member.id,
      name: `${member.firstName} ${member.lastName}`.trim(),
    })),
  })),
});
running.admin = admin;

// A working store's inbox: a few hundred tickets tied to the imported customers and orders
// (once per workspace; a restarted demo keeps what is there).
const demoTickets = await seedDemoTicketsOnceImported(
  stack.databaseUrl,
  new Map(
    shops.map((shop) => [
      shop.domain,
      staffOf(stack.emulator.shop(shop.domain).record).map((member) => ({
        name: `${member.firstName} ${member.lastName}`.trim(),
        email: member.email,
      })),
    ]),
  ),
);

// The widget's home view: quick answers everywhere, business hours for one store (dev/demo-chat.ts).
const chatSetup = await seedDemoChatSettings(stack.databaseUrl);

// Loop Returns for the first store's workspace: a fake Loop API with returns for customers who
// have return tickets, and seed 002's integration and widget on it (dev/loop-returns/demo.ts).
let loopProblem = "";
try {
  running.loop = await startDemoLoop({
    databaseUrl: stack.databaseUrl,
    shopDomain: shops[0]!.domain,
    port: Number(flags["loop-port"]),
    appEnv: {
      ...process.env,
      SHOPIFY_API_KEY: DEV_APP_CREDENTIALS.apiKey,
      SHOPIFY_API_SECRET: DEV_APP_CREDENTIALS.apiSecret,
      SHOPIFY_APP_URL: stack.appUrl,
    },
  });
} catch (error) {
  loopProblem = error instanceof Error ? error.message : String(error);
}
const loop = running.loop;

const problems = await checkStoreChangesReachShopdesk(
  stack.emulator,
  shops.map((shop) => shop.domain),
  { requestsSince: requestsBeforeInstall, startOver },
);
/** The fake Loop server's lines: where it is, why the workspace may call 127.0.0.1, whom to look at. */
function loopSummary(): string {
  if (!loop) return `  Loop Returns:     not set up (${loopProblem})\n`;
  const shop = loop.workspace.shopName;
  const customers = loop.workspace.customers.map((customer) => {
    const tickets = customer.ticketNumbers.map((number) => `#${number}`).join(", ");
    const label = customer.ticketNumbers.length === 1 ? "ticket" : "tickets";
    return `      ${customer.email}${tickets ? `, ${label} ${tickets}` : ""}\n`;
  });
  const failed = loop.setup.fetched.filter((status) => status !== "succeeded").length;
  return (
    `  Loop Returns:     ${loop.loop.url} (a stand-in for Loop's API that ${shop}'s Loop Returns integration calls;\n` +
    `                    that workspace lets integrations reach this machine's private network: the stand-in is on 127.0.0.1)\n` +
    `    Customers with Loop returns (open their tickets in ${shop}'s inbox for the Loop card in the sidebar):\n` +
    customers.join("") +
    (failed
      ? `    PROBLEM: ${failed} of the start's Loop calls did not succeed; Settings → Integrations lists them with why.\n`
      : "")
  );
}
const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
// The storefront is the first store's; a shopper of it to try the portal as, from the seed as it is now.
const storefrontShop = stack.emulator.shop(shops[0]!.domain);
const shopper = demoShopper(storefrontShop.customers(), storefrontShop.orders());
const width = Math.max(...shops.map((shop) => shop.name.length));

console.log(`
Shopdesk is running (ready in ${seconds}s), installed on ${shops.length} emulated stores.

  Merchant admin, one per store (open in any browser on this machine)${demoTickets > 0 ? `; ${demoTickets} demo tickets in the inbox` : ""}:
${shops.map((shop) => `    ${shop.name.padEnd(width)}  ${admin.adminUrl(shop.domain)}`).join("\n")}
  Storefront:       ${stack.storefront.url} (${shops[0]!.name}; the portal is the Help button in the corner)
${
  shopper
    ? `    Try the portal as ${shopper.email}: a code by email (see Sent email), or email + order ${shopper.orderName};
    or Log in (top right) as ${shopper.name} and the portal opens signed in.
`
    : ""
}    Live chat: Help → Talk to an agent on the storefront, and answer from ${shops[0]!.name}'s inbox (both ways, live).
    Quick answers are in the same Help menu (Settings → Quick answers); North Trail Outfitters has business hours
    (weekdays 9:00–17:00 Vancouver time, ${chatSetup.hoursShopState} now; Settings → Business hours), outside which a widget offers a contact form.
  Shopdesk:         ${stack.appUrl}
  Store emulator:   ${stack.emulator.url}
  Sent email:       ${mail.url} (every email Shopdesk sends lands here, none leaves this machine)
  Sent texts:       ${sms.url} (every text message, such as portal sign-in codes, lands here)
${loopSummary()}  Shopdesk's log:   ${appLog}
  Saved stores:     ${worldFile} (with Shopdesk's database in ${dataDir})

Make a store change while you watch, e.g.:
  SHOPDESK_EMULATOR_URL=${stack.emulator.url} npx tsx dev/store-emulator/cli.ts set-customer-note \\
    --shop ${shops[0]!.domain} --customer <email> --note "Prefers email"
  (npx tsx dev/store-emulator/cli.ts --help lists every change.)`);
if (problems.length === 0) {
  console.log(`\nCheck passed: a test store change reached Shopdesk from every store.`);
} else {
  console.log(
    `\nPROBLEM: store changes are not reaching Shopdesk:\n${problems.map((line) => `  - ${line}`).join("\n")}`,
  );
}
console.log("Press Ctrl-C to stop.");

if (!flags["no-open"]) {
  if (!findChromium()) {
    console.log(
      "\n(No Chromium or Chrome found for the demo's own window: open the merchant admin URL above in any browser.)",
    );
  } else if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.log("\n(No display for the demo's own window: open the merchant admin URL above in any browser.)");
  } else {
    const browser = await launchShopdeskBrowser({
      headless: false,
      appUrl: stack.appUrl,
      ...DEV_APP_CREDENTIALS,
      storefrontUrl: stack.storefront.url,
      shopNames: Object.fromEntries(shops.map((shop) => [shop.domain, shop.name])),
    });
    running.browser = browser;
    await browser.openAdmin(shops[0]!.domain);
    await browser.openStorefront();
  }
}
