import { mkdtempSync, rmSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEV_APP_CREDENTIALS, startStack, type Stack } from "../../dev/stack.ts";
import { webhookHeaders } from "../../dev/store-emulator/signing.ts";

// `npm start` (server.mjs) hands webhook deliveries to the intake ahead of Remix: it must answer
// exactly as the /webhooks/* routes do, and leave every other path to Remix.
const SHOP = "maple-goods-eu.myshopify.com";
let stack: Stack;
let dataDir: string;

beforeAll(async () => {
  process.env.LOG_LEVEL = "info"; // the app inherits it: the job worker's process lines are read below
  dataDir = mkdtempSync(path.join(tmpdir(), "shopdesk-e2e-server-"));
  chmodSync(dataDir, 0o755); // as root, the database server runs as another user that must reach it
  stack = await startStack({
    mode: "build",
    databaseUrl: `embedded:${path.join(dataDir, "postgres")}`,
    seed: { ordersPerShop: 3, customersPerShop: 3 },
    appOutput: "buffer",
  });
  await stack.installShop(SHOP);
});

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const customer = (id: number) => JSON.stringify({ id, email: `fast-${id}@example.com`, first_name: "Fast" });

async function deliver(topicPath: string, body: string, headers: Record<string, string>) {
  const response = await fetch(new URL(topicPath, stack.appUrl), { method: "POST", headers, body });
  return { status: response.status, text: await response.text() };
}

describe("npm start's webhook path", () => {
  it("stores a signed delivery once and acknowledges its redelivery", async () => {
    const body = customer(9_100_001);
    const headers = webhookHeaders({ topic: "customers/create", shop: SHOP, body }, DEV_APP_CREDENTIALS.apiSecret);
    expect(await deliver("/webhooks/customers/create", body, headers)).toMatchObject({ status: 200 });
    expect(await deliver("/webhooks/customers/create", body, headers)).toMatchObject({ status: 200 });
  });

  it("refuses what the routes refuse, with their messages", async () => {
    const body = customer(9_100_002);
    const signed = webhookHeaders({ topic: "customers/create", shop: SHOP, body }, DEV_APP_CREDENTIALS.apiSecret);
    const forged = await deliver("/webhooks/customers/create", body.replace("Fast", "Evil"), signed);
    expect(forged).toMatchObject({ status: 401, text: expect.stringContaining("HMAC") });

    const wrongTopic = await deliver("/webhooks/orders/create", body, signed);
    expect(wrongTopic).toMatchObject({ status: 400, text: expect.stringContaining("receives orders/create webhooks") });

    const huge = "x".repeat(6 * 1024 * 1024);
    const hugeHeaders = webhookHeaders(
      { topic: "customers/create", shop: SHOP, body: huge },
      DEV_APP_CREDENTIALS.apiSecret,
    );
    expect(await deliver("/webhooks/customers/create", huge, hugeHeaders)).toMatchObject({
      status: 413,
      text: expect.stringContaining("larger than 5 MiB"),
    });
  });

  it("leaves a path no webhook route serves to Remix, and pages still render", async () => {
    const body = customer(9_100_003);
    const headers = webhookHeaders({ topic: "customers/create", shop: SHOP, body }, DEV_APP_CREDENTIALS.apiSecret);
    expect((await deliver("/webhooks/customers/explode", body, headers)).status).toBe(404);
    const home = await fetch(new URL("/", stack.appUrl));
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("<html");
  });
});

/** Pids of the job worker processes the web process says it started, in order. */
function workerPids(): number[] {
  return [...stack.appOutput().matchAll(/"msg":"job worker process started"[^\n]*"pid":(\d+)/g)].map((m) =>
    Number(m[1]),
  );
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("npm start's job workers", () => {
  it("run in a child process, which is replaced when it dies, and webhooks keep being processed", async () => {
    await vi.waitFor(() => expect(workerPids().length).toBeGreaterThan(0), { timeout: 30_000 });
    const [first] = workerPids();
    process.kill(first!, "SIGKILL");
    await vi.waitFor(() => expect(workerPids().length).toBe(2), { timeout: 30_000 });
    expect(stack.appOutput()).toContain("job worker process exited; starting another");

    // A customer created in Shopify now reaches Shopdesk: its webhook is processed by the new worker.
    const created = stack.emulator.createCustomer(SHOP, {
      email: "after-restart@example.com",
      firstName: "Rae",
      lastName: "Restart",
    });
    const client = new pg.Client({ connectionString: stack.databaseUrl });
    await client.connect();
    try {
      await vi.waitFor(
        async () => {
          const { rows } = await client.query<{ status: string }>(
            `SELECT status FROM "WebhookEvent" WHERE "shopDomain" = $1 AND topic = 'customers/create' AND payload->>'id' = $2`,
            [SHOP, String(created.id)],
          );
          expect(rows.map((row) => row.status)).toEqual(["processed"]);
        },
        { timeout: 30_000, interval: 250 },
      );
    } finally {
      await client.end();
    }
  });

  it("stop when the web process is killed outright", async () => {
    const worker = workerPids().at(-1)!;
    expect(isAlive(worker)).toBe(true);
    process.kill(stack.appPid!, "SIGKILL"); // last test: the stack has no web process after this
    await vi.waitFor(() => expect(isAlive(worker)).toBe(false), { timeout: 30_000, interval: 250 });
  });
});
