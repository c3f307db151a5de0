// CLI for the store emulator (run with tsx).
//   npx tsx dev/store-emulator/cli.ts start [--port 4010] [--orders 300] [--customers 60] [--seed 42]
//   npx tsx dev/store-emulator/cli.ts fulfill --shop maple-goods-eu.myshopify.com --order '#1001' --carrier UPS --tracking-number 1Z…
// Every verb other than `start` calls the control API of a running emulator at --url or
// SHOPDESK_EMULATOR_URL (default http://127.0.0.1:4010).
import { startStoreEmulator } from "./index.ts";

const USAGE = `usage: tsx dev/store-emulator/cli.ts <verb> [--flag value …]

  start                 run an emulator (flags: --port --host --orders --customers --seed
                        --api-key --api-secret --app-url --scopes --webhook topic=uri (repeatable)
                        --installed <shop> (repeatable); env SHOPIFY_API_KEY, SHOPIFY_API_SECRET,
                        SHOPIFY_APP_URL, SCOPES are the defaults)
  shops                 list shops
  token --shop S [--user-id N]        print a session token (id_token) for S
  deliveries [--shop S] [--topic T]   print the webhook delivery log
  send --shop S --topic T --payload '{…}' [--event-id E] [--triggered-at ISO] [--uri /path]
  replay --id N                       send logged delivery N again (same ids)
  <command> --shop S …                any control command, e.g. fulfill, add-fulfillment-event,
                        cancel, refund, create-order, create-return, set-customer-note,
                        update-customer, create-customer, delete-customer, rename-shop,
                        uninstall, send-compliance, fail-next, set-throttle, issue-access-token
  Flags are camelCased (--tracking-number → trackingNumber); JSON values ('[…]', '{…}'),
  true/false and numbers for count/available are parsed.`;

type Flags = Record<string, unknown> & { _repeat: Record<string, string[]> };

function parseFlags(args: string[]): Flags {
  const flags: Flags = { _repeat: {} };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (!arg.startsWith("--")) throw new Error(`unexpected argument ${arg}\n\n${USAGE}`);
    const name = arg.slice(2).replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
    const next = args[index + 1];
    const raw = next === undefined || next.startsWith("--") ? "true" : (index++, next);
    (flags._repeat[name] ??= []).push(raw);
    flags[name] = parseValue(raw);
  }
  return flags;
}

function parseValue(raw: string): unknown {
  if (raw === "true") return true;
  if (raw === "false") return false;
  if (raw === "null") return null;
  if (/^[[{]/.test(raw.trim())) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}

const toCommandName = (verb: string) => verb.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());

async function call(baseUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${response.status}: ${String(answer.error ?? JSON.stringify(answer))}`);
  return answer;
}

async function start(flags: Flags): Promise<void> {
  const apiKey = String(flags.apiKey ?? process.env.SHOPIFY_API_KEY ?? "shopdesk-dev-key");
  const apiSecret = String(flags.apiSecret ?? process.env.SHOPIFY_API_SECRET ?? "shopdesk-dev-secret");
  const appUrl = String(flags.appUrl ?? process.env.SHOPIFY_APP_URL ?? "http://127.0.0.1:3000");
  const webhooks = (flags._repeat.webhook ?? []).map((pair) => {
    const [topic, uri] = pair.split("=");
    if (!topic || !uri) throw new Error(`--webhook expects topic=uri, got ${pair}`);
    return { topic, uri };
  });
  const emulator = await startStoreEmulator({
    port: flags.port === undefined ? 4010 : Number(flags.port),
    host: flags.host === undefined ? undefined : String(flags.host),
    app: {
      apiKey,
      apiSecret,
      url: appUrl,
      scopes: flags.scopes === undefined ? process.env.SCOPES : String(flags.scopes),
    },
    webhooks,
    seed: {
      ordersPerShop: flags.orders === undefined ? undefined : Number(flags.orders),
      customersPerShop: flags.customers === undefined ? undefined : Number(flags.customers),
      seed: flags.seed === undefined ? undefined : String(flags.seed),
    },
    installedShops: flags._repeat.installed,
    log: flags.quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(`SHOPDESK_EMULATOR_URL=${emulator.url}\n`);
  for (const shop of emulator.shops())
    process.stdout.write(`  ${shop.domain}  "${shop.name}"  ${shop.orders} orders, ${shop.customers} customers\n`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

async function main(): Promise<void> {
  const [verb, ...rest] = process.argv.slice(2);
  if (!verb || verb === "help" || verb === "--help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const flags = parseFlags(rest);
  if (verb === "start") return start(flags);

  const baseUrl = String(flags.url ?? process.env.SHOPDESK_EMULATOR_URL ?? "http://127.0.0.1:4010").replace(/\/$/, "");
  const { _repeat: _ignored, url: _url, ...input } = flags;
  let answer: unknown;
  switch (verb) {
    case "shops":
      answer = await call(baseUrl, "GET", "/_emulator/shops");
      break;
    case "token":
      answer = await call(baseUrl, "POST", `/_emulator/shops/${String(flags.shop)}/session-token`, {
        userId: flags.userId,
      });
      break;
    case "deliveries": {
      const query = new URLSearchParams();
      if (flags.shop) query.set("shop", String(flags.shop));
      if (flags.topic) query.set("topic", String(flags.topic));
      answer = await call(baseUrl, "GET", `/_emulator/deliveries?${query}`);
      break;
    }
    case "send":
      answer = await call(baseUrl, "POST", "/_emulator/deliveries", input);
      break;
    case "replay":
      answer = await call(baseUrl, "POST", `/_emulator/deliveries/${String(flags.id)}/replay`, {});
      break;
    default:
      answer = await call(baseUrl, "POST", "/_emulator/commands", { command: toCommandName(verb), ...input });
  }
  process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
