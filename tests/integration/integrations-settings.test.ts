import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { unwrap } from "../support/route-results.ts";
import { eventually } from "../support/wait.ts";

// Settings → Integrations as the admin calls it (app.settings.integrations.tsx): the list with
// health in words, a call's request and response, Replay, Resume, the signing secret and the
// private-network switch; header values never in what the page gets.

const EU = "maple-goods-eu.myshopify.com";

const { db } = await import("~/db.server");
const { createIntegration } = await import("~/models/integration.server");
const { createTicket } = await import("~/models/ticket.server");
const { IntegrationCreateSchema } = await import("~/domain/api-resources");
const page = await import("~/routes/app.settings.integrations");
const settings = await import("~/routes/app.settings");

let stack: IntegrationStack;
let server: Server;
let base: string;
const status = 500;
let received = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      received++;
      response.writeHead(status, { "content-type": "application/json" }).end('{"answer":"from receiver"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  stack = await startIntegrationStack({ seed: { ordersPerShop: 1, customersPerShop: 1 } });
  expect((await stack.install(EU)).status).toBe(200);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => server.close(resolve));
});

const load = async (query = "") =>
  unwrap(
    await page.loader({
      request: stack.adminRequest(EU, `/app/settings/integrations${query}`),
      params: {},
      context: {},
    }),
  ).body as Awaited<ReturnType<typeof page.loader>>;
const post = async (form: Record<string, string>) =>
  unwrap(
    await page.action({
      request: stack.adminRequest(EU, "/app/settings/integrations", {
        method: "POST",
        body: new URLSearchParams(form),
      }),
      params: {},
      context: {},
    }),
  );

describe("Settings → Integrations", () => {
  it("lists integrations and their calls, opens one, switches private network, replays, resumes", async () => {
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: EU } });
    const workspaceId = shop.workspaceId;
    const integration = await createIntegration(
      workspaceId,
      IntegrationCreateSchema.parse({
        name: "Loop Returns",
        type: "http",
        http: {
          url: `${base}/returns?ticket={{ticket.id}}`,
          headers: { "X-Api-Key": "loop-secret-key" },
          triggers: { "ticket-created": true, "ticket-message-created": true },
        },
      }),
      null,
    );

    const empty = await load();
    expect(empty.allowPrivate).toBe(false);
    expect(empty.integrations).toMatchObject([
      {
        id: integration.id,
        name: "Loop Returns",
        host: new URL(base).host,
        triggers: "When a ticket is created or a message is added",
        health: "unused",
      },
    ]);
    expect(empty.selected).toEqual({ id: integration.id, headerNames: ["X-Api-Key"] });
    expect(JSON.stringify(empty)).not.toContain("loop-secret-key");

    // Off by default: the call to 127.0.0.1 is refused and the log says why.
    await createTicket(workspaceId, { channel: "chat", firstMessage: { body: "Hi" } });
    const refused = await eventually(async () => {
      const loaded = await load();
      // The page reads the integrations' health and the log one after the other: wait for both.
      return loaded.deliveries.length === 2 &&
        loaded.deliveries.every((row) => row.status === "refused") &&
        loaded.integrations[0]?.health !== "unused"
        ? loaded
        : null;
    });
    expect(refused.deliveries[0]).toMatchObject({ statusWords: "Not sent" });
    expect(refused.integrations[0]!.health).toBe("failing");
    const opened = await load(`?integration=${integration.id}&delivery=${refused.deliveries[0]!.id}`);
    expect(opened.delivery).toMatchObject({ requestMethod: "GET", statusWords: "Not sent" });
    expect(opened.delivery!.requestUrl).toMatch(/\/returns\?ticket=\d+$/);
    expect(opened.delivery!.error).toContain("loopback");

    expect((await post({ intent: "private-network", enabled: "true" })).body).toMatchObject({ ok: true });
    expect((await load()).allowPrivate).toBe(true);

    // Replay: sent, fails (the receiver answers 500), and the log shows it.
    expect((await post({ intent: "replay", deliveryId: refused.deliveries[0]!.id })).body).toMatchObject({ ok: true });
    const failed = await eventually(async () => {
      const loaded = await load();
      const replay = loaded.deliveries.find((row) => row.trigger.startsWith("Replay"));
      return replay && replay.responseStatus === 500 ? replay : null;
    });
    expect(failed.statusWords).toBe("Failed, will retry");
    expect(received).toBeGreaterThan(0);

    // A paused integration: the banner on Settings and here, and Resume.
    await db.integration.update({
      where: { id: integration.id },
      data: { circuitOpenedAt: new Date(), consecutiveFailures: 10 },
    });
    const paused = await load();
    expect(paused.integrations[0]!.health).toBe("paused");
    expect(paused.pausedBanner).toContain('"Loop Returns"');
    const settingsPage = unwrap(
      await settings.loader({ request: stack.adminRequest(EU, "/app/settings"), params: {}, context: {} }),
    ).body as { integrationsPaused: string | null };
    expect(settingsPage.integrationsPaused).toContain('"Loop Returns"');
    expect((await post({ intent: "resume", integrationId: String(integration.id) })).body).toMatchObject({
      ok: true,
      toast: "Integration resumed",
    });
    const resumed = await load();
    expect(resumed.pausedBanner).toBeNull();
    expect(resumed.integrations[0]!.health).not.toBe("paused");

    const secret = await post({ intent: "signing-secret", integrationId: String(integration.id) });
    expect(secret.body.secret).toMatch(/^whsec_/);
  });

  it("answers bad input with a 4xx and changes nothing", async () => {
    expect((await post({ intent: "replay", deliveryId: "not-a-uuid" })).status).toBe(400);
    expect((await post({ intent: "replay", deliveryId: crypto.randomUUID() })).status).toBe(404);
    expect((await post({ intent: "resume", integrationId: "999999" })).status).toBe(404);
    expect((await post({ intent: "private-network", enabled: "maybe" })).status).toBe(400);
    expect((await load("?integration=abc&delivery=zzz")).delivery).toBeNull();
    // Ids past the database's integer range are refused, not a crash.
    expect((await post({ intent: "resume", integrationId: "99999999999" })).status).toBe(400);
    expect((await post({ intent: "signing-secret", integrationId: "99999999999" })).status).toBe(400);
    expect((await load("?integration=99999999999")).selected?.id).not.toBe(99999999999);
  });
});
