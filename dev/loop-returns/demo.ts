// DEV/DEMO ONLY: Loop Returns in the demo. Starts the fake Loop server with returns for a few of the
// first store's customers (those with a return or exchange ticket in its inbox, the orders those
// tickets name first), then sets up that store's workspace (configure.ts, in its own process): the
// private-network switch on (the fake is on 127.0.0.1), seed 002's Loop integration and widget
// pointed at the fake. Run on every start: the customers and their returns follow from what is in
// the database, so a restarted demo serves the same returns.
import { spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { repoRoot } from "../stack.ts";
import { loopFixturesFor, type LoopCustomer, type LoopFixtures } from "./fixtures.ts";
import type { ConfigureInput, ConfigureResult } from "./configure.ts";
import { startFakeLoopReturns, type FakeLoop } from "./server.ts";
import { readSetupResult } from "./setup-result.ts";

/** The demo's Loop API key (the fake accepts only it; not a secret: nothing real is behind it). */
export const DEMO_LOOP_API_KEY = "demo-loop-key-0f4c2a";

export interface DemoLoopCustomer extends LoopCustomer {
  name: string | null;
  /** Their return and exchange tickets' numbers, lowest first. */
  ticketNumbers: number[];
  /** The ticket to fetch their Loop data for (their first return ticket, or any), if they have one. */
  ticketId: string | null;
}

export interface DemoLoopWorkspace {
  workspaceId: string;
  shopName: string;
  storeHandle: string;
  currency: string;
  customers: DemoLoopCustomer[];
}

const RETURN_TAGS = ["return", "exchange"];

/**
 * The workspace of `shopDomain` and up to `count` of its customers to give Loop returns: those
 * with a return or exchange ticket (by their first such ticket's number, so a ticket closed or
 * reopened since does not change whom the demo picks), or else any with orders; each with their
 * orders not cancelled, those their tickets name first.
 */
export async function loopCustomersOf(databaseUrl: string, shopDomain: string, count = 4): Promise<DemoLoopWorkspace> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: shops } = await client.query<{ workspaceId: string; name: string | null; currency: string | null }>(
      `SELECT "workspaceId", name, "currencyCode" AS currency FROM "Shop" WHERE domain = $1`,
      [shopDomain],
    );
    const shop = shops[0];
    if (!shop) throw new Error(`${shopDomain} is not installed`);
    const { workspaceId } = shop;
    const { rows: picked } = await client.query<{
      id: string;
      email: string;
      name: string | null;
      numbers: number[];
      ticketId: string | null;
    }>(
      `SELECT c.id, c.emails[1] AS email, c.name,
              coalesce(array_agg(t.number ORDER BY t.number) FILTER (WHERE t.tags && $2::text[]), '{}') AS numbers,
              (array_agg(t.id ORDER BY t.tags && $2::text[] DESC, t.number))[1] AS "ticketId"
         FROM "HelpdeskCustomer" c
         LEFT JOIN "Ticket" t ON t."customerId" = c.id AND t."workspaceId" = c."workspaceId"
        WHERE c."workspaceId" = $1 AND c.emails[1] IS NOT NULL
          AND EXISTS (SELECT 1 FROM "ShopifyCustomer" sc JOIN "ShopifyOrder" o
                        ON o."shopId" = sc."shopId" AND o."shopifyCustomerId" = sc."shopifyId"
                       WHERE sc."helpdeskCustomerId" = c.id AND o."deletedAt" IS NULL AND o."cancelledAt" IS NULL)
        GROUP BY c.id
        ORDER BY min(t.number) FILTER (WHERE t.tags && $2::text[]) NULLS LAST, c."createdAt", c.id
        LIMIT $3`,
      [workspaceId, RETURN_TAGS, count],
    );
    const { rows: orders } = await client.query<{
      customerId: string;
      name: string;
      shopifyId: string;
      createdAt: Date;
      asked: boolean;
    }>(
      `SELECT sc."helpdeskCustomerId" AS "customerId", o.name, o."shopifyId", o."shopifyCreatedAt" AS "createdAt",
              EXISTS (SELECT 1 FROM "TicketOrder" tor JOIN "Ticket" t ON t.id = tor."ticketId"
                       WHERE tor."orderId" = o.id AND t.tags && $2::text[]) AS asked
         FROM "ShopifyOrder" o
         JOIN "ShopifyCustomer" sc ON sc."shopId" = o."shopId" AND sc."shopifyId" = o."shopifyCustomerId"
        WHERE sc."helpdeskCustomerId" = ANY($1) AND o."deletedAt" IS NULL AND o."cancelledAt" IS NULL
        ORDER BY asked DESC, o."shopifyCreatedAt", o.name`,
      [picked.map((row) => row.id), RETURN_TAGS],
    );
    return {
      workspaceId,
      shopName: shop.name ?? shopDomain,
      storeHandle: shopDomain.replace(/\.myshopify\.com$/, ""),
      currency: shop.currency ?? "USD",
      customers: picked.map((row) => ({
        email: row.email,
        name: row.name,
        ticketNumbers: row.numbers,
        ticketId: row.ticketId,
        orders: orders
          .filter((order) => order.customerId === row.id)
          .map((order) => ({
            name: order.name,
            // Loop names the Shopify order by its numeric id.
            shopifyId: order.shopifyId.replace(/^gid:\/\/shopify\/Order\//, ""),
            createdAt: order.createdAt,
          })),
      })),
    };
  } finally {
    await client.end();
  }
}

/** Runs configure.ts in its own process with the app's environment; its result, or the error it printed. */
export function runConfigure(input: ConfigureInput, env: NodeJS.ProcessEnv): Promise<ConfigureResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(repoRoot, "dev/loop-returns/configure.ts"), JSON.stringify(input)],
      { cwd: repoRoot, env: { LOG_LEVEL: "warn", ...env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    // "close": after the output streams are read to the end (an early "exit" could miss the result).
    child.once("close", (code) => {
      const result = code === 0 ? readSetupResult(stdout) : null;
      if (result) resolve(result as ConfigureResult);
      else {
        const said = `${stderr}\n${stdout}`.trim().slice(-2000);
        reject(new Error(`Setting up Loop Returns failed (exit ${code}): ${said}`));
      }
    });
  });
}

export interface DemoLoop {
  loop: FakeLoop;
  workspace: DemoLoopWorkspace;
  fixtures: LoopFixtures;
  setup: ConfigureResult;
  close(): Promise<void>;
}

/**
 * Starts the fake Loop server on `port` (any free one when it is taken) with returns for the
 * chosen customers of `shopDomain`'s workspace, and sets the workspace up to call it.
 * `appEnv`: the app's environment (DATABASE_URL, SHOPIFY_*, SHOPDESK_SECRETS_KEY).
 */
export async function startDemoLoop(options: {
  databaseUrl: string;
  shopDomain: string;
  port: number;
  appEnv: NodeJS.ProcessEnv;
}): Promise<DemoLoop> {
  const workspace = await loopCustomersOf(options.databaseUrl, options.shopDomain);
  const fixtures = loopFixturesFor(workspace.customers, {
    storeHandle: workspace.storeHandle,
    currency: workspace.currency,
  });
  const start = (port: number) =>
    startFakeLoopReturns({ port, apiKey: DEMO_LOOP_API_KEY, fixtures, storeHandle: workspace.storeHandle });
  const loop = await start(options.port).catch((error: unknown) => {
    if ((error as { code?: unknown }).code !== "EADDRINUSE") throw error;
    return start(0);
  });
  try {
    const setup = await runConfigure(
      {
        workspaceId: workspace.workspaceId,
        loopUrl: loop.url,
        apiKey: DEMO_LOOP_API_KEY,
        storeHandle: workspace.storeHandle,
        ticketIds: workspace.customers.flatMap((customer) => (customer.ticketId ? [customer.ticketId] : [])),
      },
      { ...options.appEnv, DATABASE_URL: options.databaseUrl },
    );
    return { loop, workspace, fixtures, setup, close: () => loop.close() };
  } catch (error) {
    await loop.close();
    throw error;
  }
}
