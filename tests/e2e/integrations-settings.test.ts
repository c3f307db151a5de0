import { createServer, type Server } from "node:http";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireChromium, type ShopdeskBrowser } from "../../dev/browser/launch.ts";
import { screenshotOnFailure, startE2eStack, type E2eStack } from "../support/e2e";

// Settings → Integrations in the embedded admin, in real Chromium: a ticket created in the database
// (its trigger writes the event) makes the production build's job workers call a receiver on
// 127.0.0.1; the merchant opens Settings → Integrations from Settings, sees the integration
// working, opens the call (request and response), and replays it: the receiver gets it again.
requireChromium();
const EU = "maple-goods-eu.myshopify.com";

let e2e: E2eStack | undefined;
let browser: ShopdeskBrowser;
let receiver: Server;
const received: string[] = [];

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: e2e!.stack.databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  receiver = createServer((request, response) => {
    received.push(String(request.headers["idempotency-key"]));
    request.resume();
    request.on("end", () => response.writeHead(200, { "content-type": "application/json" }).end('{"loop":"answer"}'));
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  e2e = await startE2eStack({ seed: { ordersPerShop: 2, customersPerShop: 2 } });
  ({ browser } = e2e);
  await e2e.stack.installShop(EU);
});

afterAll(async () => {
  await e2e?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe("Settings → Integrations", () => {
  it("shows a working integration and its call, and replays it", async () => {
    const port = (receiver.address() as { port: number }).port;
    const [shop] = await query<{ workspaceId: string }>(`SELECT "workspaceId" FROM "Shop" WHERE domain = $1`, [EU]);
    const workspaceId = shop!.workspaceId;
    await query(`UPDATE "Workspace" SET "integrationsAllowPrivateNetwork" = true WHERE id = $1`, [workspaceId]);
    const http = {
      url: `http://127.0.0.1:${port}/returns?ticket={{ticket.id}}`,
      method: "GET",
      form: null,
      triggers: { "ticket-created": true },
      request_content_type: "application/json",
      response_content_type: "application/json",
      execution_order: 99,
    };
    await query(
      `INSERT INTO "Integration" ("workspaceId", type, name, http, "updatedAt") VALUES ($1, 'http', 'Loop Returns', $2, now())`,
      [workspaceId, JSON.stringify(http)],
    );
    await query(
      `INSERT INTO "Ticket" (id, "workspaceId", number, channel, subject, "updatedAt")
       VALUES (gen_random_uuid()::text, $1, 90001, 'chat', 'Where is my return?', now())`,
      [workspaceId],
    );
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(1);

    const page = await browser.openAdmin(EU);
    screenshotOnFailure(page, "integrations-settings");
    const app = page.frameLocator("iframe[name=app-iframe]");
    await expect.poll(() => app.getByText("Sync with Shopify").isVisible(), { timeout: 60_000 }).toBe(true);
    await page
      .frame({ name: "app-iframe" })!
      .waitForFunction(
        () =>
          (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state
            .initialized,
      );
    await page.locator("[data-app-nav] a", { hasText: "Settings" }).click();
    await app.getByRole("link", { name: "Manage integrations" }).click();
    await expect.poll(() => app.getByText("Loop Returns: recent calls").isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await app.getByText("When a ticket is created").isVisible()).toBe(true);
    expect(await app.getByText("Working").first().isVisible()).toBe(true);
    expect(await app.getByText(`127.0.0.1:${port}`).isVisible()).toBe(true);

    await app.getByText("Delivered").first().click();
    const dialog = app.getByRole("dialog");
    await expect
      .poll(() => dialog.getByText("Delivered: a ticket is created").isVisible(), { timeout: 10_000 })
      .toBe(true);
    expect(await dialog.getByLabel("Request").inputValue()).toBe(`GET http://127.0.0.1:${port}/returns?ticket=90001`);
    expect(await dialog.getByLabel("Response (200)").inputValue()).toBe('{"loop":"answer"}');

    await dialog.getByRole("button", { name: "Replay" }).click();
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(2);
    // A replay is a new call: a new idempotency key.
    expect(received[1]).not.toBe(received[0]);
  });
});
