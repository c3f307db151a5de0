import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailCatcher, type MailCatcher } from "../../dev/mail-catcher.ts";
import { eventually } from "../support/wait.ts";

// HTTP integrations at work, end to end on this file's database: a ticket event (database
// trigger) → the dispatcher → the durable delivery job → a real node:http receiver on 127.0.0.1,
// with the rendered URL, decrypted headers, signature and idempotency key; retries, the circuit
// and the merchant's alert (banner data and an email caught by a real SMTP server); SSRF refusals
// in the log; replay; and one workspace's events never calling another's integration.

const { db } = await import("~/db.server");
const { startJobWorkers } = await import("~/jobs/workers.server");
const { integrationDeliveryJob } = await import("~/jobs/integrations.server");
const { createIntegration } = await import("~/models/integration.server");
const { saveMailSettings } = await import("~/models/mail-settings.server");
const { createTicket, addCustomerMessage, addAgentReply } = await import("~/models/ticket.server");
const { IntegrationCreateSchema } = await import("~/domain/api-resources");
const { integrationSigningSecret, verifySignatureHeader } = await import("~/services/integrations/signature.server");
const { replayIntegrationDelivery, resumeIntegration, CIRCUIT } =
  await import("~/services/integrations/delivery.server");
const { pausedIntegrations, pausedBannerText } = await import("~/services/integrations/alerts.server");
const { queueStuckDeliveries, STUCK_DELIVERY_MINUTES } = await import("~/jobs/integrations.server");

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A receiver that records every request and answers what `answer` says for its path. */
async function startReceiver(answer: (request: Received) => { status: number; body?: string }) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry = {
        method: request.method!,
        url: request.url!,
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      };
      received.push(entry);
      const { status, body } = answer(entry);
      response.writeHead(status, { "content-type": "application/json" }).end(body ?? "{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { base, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

let catcher: MailCatcher;
// Short retries for the test (the queue keeps the settings of whoever creates it first): 4
// retries, 1 s base with exponential backoff. Same handler as production.
const testDeliveryJob = { ...integrationDeliveryJob, retryLimit: 4, retryDelaySeconds: 1 };

beforeAll(async () => {
  catcher = await startMailCatcher({ webPort: false });
  await startJobWorkers([testDeliveryJob]);
}, 120_000);
afterAll(async () => {
  await catcher?.close();
});

async function workspace(options: { allowPrivateNetwork?: boolean; mail?: boolean } = {}) {
  const shop = await db.shop.create({
    data: {
      domain: `int-${crypto.randomUUID()}.myshopify.com`,
      email: "owner@maple.example",
      workspace: { create: { name: "Maple", integrationsAllowPrivateNetwork: options.allowPrivateNetwork ?? true } },
    },
  });
  const workspaceId = shop.workspaceId;
  const customer = await db.helpdeskCustomer.create({
    data: { workspaceId, name: "Ava Lind", emails: ["ava+vip@example.com"] },
  });
  const agent = await db.agent.create({
    data: { workspaceId, name: "Bea", email: `bea-${crypto.randomUUID()}@example.com` },
  });
  if (options.mail) {
    const saved = await saveMailSettings(workspaceId, {
      host: "127.0.0.1",
      port: catcher.smtpPort,
      security: "none",
      username: null,
      password: null,
      fromAddress: "support@maple.example",
      fromName: "Maple Goods",
    });
    expect(saved.ok).toBe(true);
  }
  return { workspaceId, customer, agent };
}

function integration(workspaceId: string, url: string, triggers: Record<string, boolean>, extra: object = {}) {
  return createIntegration(
    workspaceId,
    IntegrationCreateSchema.parse({
      name: "Loop Returns",
      type: "http",
      http: {
        url,
        method: "POST",
        headers: { "X-Api-Key": "loop-secret-key", "X-Customer": "{{ticket.customer.email}}" },
        form: { email: "{{ticket.customer.email}}", ticket: "{{ticket.id}}" },
        triggers,
        ...extra,
      },
    }),
    null,
  );
}

const deliveriesOf = (integrationId: number) =>
  db.integrationDelivery.findMany({ where: { integrationId }, orderBy: { createdAt: "asc" } });

describe("a ticket event calls the integration", () => {
  it("sends the rendered URL, headers and body, signed, with a stable idempotency key, and stores the JSON answer", async () => {
    const receiver = await startReceiver(() => ({ status: 200, body: '{"returns":[{"id":1,"state":"open"}]}' }));
    const { workspaceId, customer } = await workspace();
    const created = await integration(
      workspaceId,
      `${receiver.base}/hooks/{{ticket.id}}?email={{ticket.customer.email}}`,
      { "ticket-created": true },
    );
    const ticket = await createTicket(workspaceId, {
      channel: "email",
      customerId: customer.id,
      firstMessage: { body: "Where is my return?" },
    });

    const [request] = await eventually(() => (receiver.received.length ? receiver.received : null));
    expect(request!.method).toBe("POST");
    expect(request!.url).toBe(`/hooks/${ticket.number}?email=ava%2Bvip%40example.com`);
    expect(request!.headers["x-api-key"]).toBe("loop-secret-key");
    expect(request!.headers["x-customer"]).toBe("ava+vip@example.com");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request!.body)).toEqual({ email: "ava+vip@example.com", ticket: String(ticket.number) });
    const secret = integrationSigningSecret(workspaceId, created.id);
    const signature = request!.headers["x-shopdesk-signature"] as string;
    const key = request!.headers["idempotency-key"] as string;
    expect(verifySignatureHeader(secret, signature, key, request!.body)).toBe(true);
    expect(verifySignatureHeader(secret, signature, key, request!.body + " ")).toBe(false);
    // The key is signed: the same call under another key (to slip past the receiver's dedupe) fails.
    expect(verifySignatureHeader(secret, signature, `${key}0`, request!.body)).toBe(false);
    expect(request!.headers["idempotency-key"]).toMatch(/^shopdesk-event-\d+$/);
    expect(request!.headers["x-shopdesk-event"]).toBe("ticket-created");

    const [delivery] = await eventually(async () => {
      const rows = await deliveriesOf(created.id);
      return rows[0]?.status === "succeeded" ? rows : null;
    });
    expect(delivery).toMatchObject({
      trigger: "ticket-created",
      ticketId: ticket.id,
      customerId: customer.id,
      attempts: 1,
      responseStatus: 200,
      requestMethod: "POST",
      requestUrl: `${receiver.base}/hooks/${ticket.number}?email=ava%2Bvip%40example.com`,
    });
    expect(delivery!.idempotencyKey).toBe(request!.headers["idempotency-key"]);
    // Header values (the partner's key) are never in the log.
    expect(JSON.stringify({ ...delivery, eventId: String(delivery!.eventId) })).not.toContain("loop-secret-key");
    const stored = await db.integrationResponse.findUniqueOrThrow({
      where: { integrationId_customerId: { integrationId: created.id, customerId: customer.id } },
    });
    expect(stored.body).toEqual({ returns: [{ id: 1, state: "open" }] });
    // Only the trigger that is on: the first message did not call it.
    expect(receiver.received).toHaveLength(1);
    await receiver.close();
  });

  it("keeps an answer holding a NUL byte (raw or as \\u0000 in JSON): the call is logged as delivered, the byte left out", async () => {
    const answers = ['{"returns":[{"id":1,"note":"bad\\u0000byte"}]}', "oops\u0000 not json"];
    // Each ticket's call gets its own answer, the same on a retry.
    const ticketsSeen: string[] = [];
    const receiver = await startReceiver((request) => {
      const ticket = String(JSON.parse(request.body).ticket);
      if (!ticketsSeen.includes(ticket)) ticketsSeen.push(ticket);
      return { status: 200, body: answers[ticketsSeen.indexOf(ticket)] };
    });
    const { workspaceId, customer } = await workspace();
    const created = await integration(workspaceId, `${receiver.base}/hooks`, { "ticket-created": true });
    for (const subject of ["First", "Second"]) {
      await createTicket(workspaceId, {
        channel: "email",
        subject,
        customerId: customer.id,
        firstMessage: { body: "Hi" },
      });
    }
    const deliveries = await eventually(async () => {
      const rows = await deliveriesOf(created.id);
      return rows.length === 2 && rows.every((row) => row.finishedAt || row.attempts > 0) ? rows : null;
    });
    expect(deliveries.map((row) => [row.status, row.responseStatus, row.error])).toEqual([
      ["succeeded", 200, null],
      ["succeeded", 200, null],
    ]);
    expect(deliveries.map((row) => row.responseExcerpt).sort()).toEqual([
      "oops not json",
      '{"returns":[{"id":1,"note":"bad\\u0000byte"}]}',
    ]);
    const stored = await db.integrationResponse.findUniqueOrThrow({
      where: { integrationId_customerId: { integrationId: created.id, customerId: customer.id } },
    });
    expect(stored.body).toEqual({ returns: [{ id: 1, note: "badbyte" }] });
    // Delivered once each: a failure to log the answer would have sent the call again.
    expect(receiver.received).toHaveLength(2);
    await receiver.close();
  });

  it("logs an answer nested absurdly deep as delivered, once, without keeping it for widgets", async () => {
    const deep = `{"returns":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    const receiver = await startReceiver(() => ({ status: 200, body: deep }));
    const { workspaceId, customer } = await workspace();
    const created = await integration(workspaceId, `${receiver.base}/hooks`, { "ticket-created": true });
    await createTicket(workspaceId, { channel: "email", customerId: customer.id, firstMessage: { body: "Hi" } });
    const [delivery] = await eventually(async () => {
      const rows = await deliveriesOf(created.id);
      return rows[0]?.finishedAt ? rows : null;
    });
    expect(delivery).toMatchObject({ status: "succeeded", responseStatus: 200, attempts: 1 });
    expect(await db.integrationResponse.count({ where: { integrationId: created.id } })).toBe(0);
    expect(receiver.received).toHaveLength(1);
    await receiver.close();
  });

  it("retries a failing receiver with backoff under the same idempotency key, then succeeds", async () => {
    let calls = 0;
    const receiver = await startReceiver(() => ({ status: ++calls < 3 ? 503 : 200 }));
    const { workspaceId, customer, agent } = await workspace();
    const created = await integration(workspaceId, `${receiver.base}/m`, { "ticket-message-created": true });
    const ticket = await createTicket(workspaceId, {
      channel: "chat",
      customerId: customer.id,
      firstMessage: { body: "Hi" },
    });
    // The first message is one event; wait for it, then an agent reply is another.
    await eventually(async () => ((await deliveriesOf(created.id))[0]?.status === "succeeded" ? true : null), {
      timeoutMs: 20_000,
    });
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((request) => request.headers["idempotency-key"])).size).toBe(1);
    const times = receiver.received.map((request) =>
      Number(/t=(\d+)/.exec(request.headers["x-shopdesk-signature"] as string)![1]),
    );
    expect(times[2]! - times[0]!).toBeGreaterThanOrEqual(2); // backed off: about 1 s then 2 s
    const [first] = await deliveriesOf(created.id);
    expect(first).toMatchObject({ attempts: 3, status: "succeeded", responseStatus: 200, error: null });

    await addAgentReply(workspaceId, ticket.id, agent.id, { body: "Hello!" });
    const deliveries = await eventually(async () => {
      const rows = await deliveriesOf(created.id);
      return rows.length === 2 && rows[1]!.status === "succeeded" ? rows : null;
    });
    expect(deliveries[1]!.idempotencyKey).not.toBe(deliveries[0]!.idempotencyKey);
    await receiver.close();
  }, 40_000);
});

describe("a receiver that keeps failing", () => {
  it("opens the circuit after repeated failures, holds calls, alerts once by banner and email, and resumes", async () => {
    let failing = true;
    const receiver = await startReceiver(() => ({ status: failing ? 500 : 200 }));
    const { workspaceId, customer } = await workspace({ mail: true });
    const created = await integration(workspaceId, `${receiver.base}/fail`, { "ticket-message-created": true });
    const ticket = await createTicket(workspaceId, {
      channel: "chat",
      customerId: customer.id,
      firstMessage: { body: "1" },
    });
    for (let i = 0; i < CIRCUIT.failureThreshold; i++) {
      await addCustomerMessage(workspaceId, ticket.id, { body: `again ${i}` });
    }
    const row = await eventually(
      async () => {
        const found = await db.integration.findUniqueOrThrow({ where: { id: created.id } });
        return found.circuitOpenedAt ? found : null;
      },
      { timeoutMs: 30_000 },
    );
    expect(row.consecutiveFailures).toBeGreaterThanOrEqual(CIRCUIT.failureThreshold);
    expect(row.failureAlertedAt).not.toBeNull();

    const mail = await catcher.waitFor((caught) => caught.subject.includes("Loop Returns"), 10_000);
    expect(mail.envelope.to).toEqual(["owner@maple.example"]);
    expect(mail.subject).toBe('Shopdesk paused calls to "Loop Returns"');
    expect(mail.text).toContain("The server answered 500");

    const paused = await pausedIntegrations(workspaceId);
    expect(paused).toMatchObject([{ id: created.id, name: "Loop Returns", lastError: "The server answered 500" }]);
    expect(pausedBannerText(paused)).toContain('paused calls to "Loop Returns"');

    // Retries still due are held, not sent: every delivery ends as refused or failed, none pending sends.
    const held = await eventually(
      async () => {
        const rows = await deliveriesOf(created.id);
        const refused = rows.filter((delivery) => delivery.status === "refused");
        return refused.length > 0 &&
          rows.every((delivery) => delivery.status !== "pending" && delivery.status !== "failed")
          ? refused
          : null;
      },
      { timeoutMs: 30_000 },
    );
    expect(held[0]!.error).toContain("circuit is open");
    const sentWhileOpen = receiver.received.length;
    await addCustomerMessage(workspaceId, ticket.id, { body: "while open" });
    await eventually(async () => {
      const rows = await deliveriesOf(created.id);
      return rows.length === CIRCUIT.failureThreshold + 2 && rows.at(-1)!.status === "refused" ? true : null;
    });
    expect(receiver.received.length).toBe(sentWhileOpen);
    // One alert per opening.
    expect(catcher.messages().filter((caught) => caught.subject.includes("Loop Returns"))).toHaveLength(1);

    failing = false;
    expect(await resumeIntegration(workspaceId, created.id)).toBe(true);
    expect(await pausedIntegrations(workspaceId)).toEqual([]);
    const replayId = await replayIntegrationDelivery(workspaceId, held[0]!.id);
    const replay = await eventually(async () => {
      const found = await db.integrationDelivery.findUniqueOrThrow({ where: { id: replayId! } });
      return found.status === "succeeded" ? found : null;
    });
    expect(replay).toMatchObject({
      replayOfId: held[0]!.id,
      requestUrl: held[0]!.requestUrl,
      requestBody: held[0]!.requestBody,
    });
    expect(replay.idempotencyKey).not.toBe(held[0]!.idempotencyKey);
    expect(receiver.received.at(-1)!.headers["idempotency-key"]).toBe(replay.idempotencyKey);
    await receiver.close();
  }, 90_000);
});

describe("nothing lost, circuit half-open", () => {
  it("queues a delivery a crash left without a job, and a half-open circuit lets one call through that closes it", async () => {
    const receiver = await startReceiver(() => ({ status: 200 }));
    const { workspaceId, customer } = await workspace();
    const created = await integration(workspaceId, `${receiver.base}/stuck`, { "ticket-self-unsnoozed": true });
    // As if the process died between dispatching an event and queuing its call.
    const stuck = await db.integrationDelivery.create({
      data: {
        workspaceId,
        integrationId: created.id,
        trigger: "ticket-self-unsnoozed",
        customerId: customer.id,
        idempotencyKey: "shopdesk-event-stuck",
        requestMethod: "POST",
        requestUrl: `${receiver.base}/stuck`,
        requestBody: "{}",
        createdAt: new Date(Date.now() - (STUCK_DELIVERY_MINUTES + 1) * 60_000),
      },
    });
    // The circuit opened long enough ago to half-open: this call is the one let through.
    await db.integration.update({
      where: { id: created.id },
      data: { circuitOpenedAt: new Date(Date.now() - CIRCUIT.coolDownMs - 1000), consecutiveFailures: 12 },
    });
    expect(await queueStuckDeliveries()).toBeGreaterThanOrEqual(1);
    await eventually(async () =>
      (await db.integrationDelivery.findUniqueOrThrow({ where: { id: stuck.id } })).status === "succeeded"
        ? true
        : null,
    );
    expect(receiver.received[0]!.headers["idempotency-key"]).toBe("shopdesk-event-stuck");
    expect(await db.integration.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({
      circuitOpenedAt: null,
      consecutiveFailures: 0,
    });
    // Queued once: a second sweep finds nothing left to queue for it.
    expect(await queueStuckDeliveries()).toBe(0);
    await receiver.close();
  });
});

describe("SSRF", () => {
  it("refuses private addresses with the reason in the log while the switch is off, and sends once it is on", async () => {
    const receiver = await startReceiver(() => ({ status: 200 }));
    const { workspaceId, customer } = await workspace({ allowPrivateNetwork: false });
    const local = await integration(workspaceId, `${receiver.base}/local`, { "ticket-created": true });
    const metadata = await integration(workspaceId, "http://169.254.169.254/latest/meta-data/", {
      "ticket-created": true,
    });
    await createTicket(workspaceId, { channel: "chat", customerId: customer.id, firstMessage: { body: "Hi" } });
    const [refusedLocal] = await eventually(async () => {
      const rows = await deliveriesOf(local.id);
      return rows[0]?.status === "refused" ? rows : null;
    });
    expect(refusedLocal!.error).toContain("127.0.0.1 is a loopback address");
    const [refusedMetadata] = await eventually(async () => {
      const rows = await deliveriesOf(metadata.id);
      return rows[0]?.status === "refused" ? rows : null;
    });
    expect(refusedMetadata!.error).toContain("169.254.169.254 is a link-local address");
    expect(receiver.received).toHaveLength(0);
    // A refusal is not the receiver's failure: no retries, no circuit count.
    expect(await db.integration.findUniqueOrThrow({ where: { id: local.id } })).toMatchObject({
      consecutiveFailures: 0,
    });

    await db.workspace.update({ where: { id: workspaceId }, data: { integrationsAllowPrivateNetwork: true } });
    await replayIntegrationDelivery(workspaceId, refusedLocal!.id);
    await eventually(() => (receiver.received.length === 1 ? true : null));
    expect(receiver.received[0]!.url).toBe("/local");
    await receiver.close();
  });
});

describe("tenancy", () => {
  it("a workspace's events never call another workspace's integration", async () => {
    const receiverA = await startReceiver(() => ({ status: 200 }));
    const receiverB = await startReceiver(() => ({ status: 200 }));
    const a = await workspace();
    const b = await workspace();
    const integrationA = await integration(a.workspaceId, `${receiverA.base}/a`, { "ticket-created": true });
    await integration(b.workspaceId, `${receiverB.base}/b`, { "ticket-created": true });
    await createTicket(a.workspaceId, { channel: "chat", customerId: a.customer.id, firstMessage: { body: "A" } });
    await eventually(async () => ((await deliveriesOf(integrationA.id))[0]?.status === "succeeded" ? true : null));
    // Give a wrong dispatch every chance to show up.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiverA.received).toHaveLength(1);
    expect(receiverB.received).toHaveLength(0);
    expect(await db.integrationDelivery.count({ where: { workspaceId: b.workspaceId } })).toBe(0);
    // Replay is scoped too: b cannot replay a's delivery.
    const [deliveryA] = await deliveriesOf(integrationA.id);
    expect(await replayIntegrationDelivery(b.workspaceId, deliveryA!.id)).toBeNull();
    expect(await resumeIntegration(b.workspaceId, integrationA.id)).toBe(false);
    await receiverA.close();
    await receiverB.close();
  });
});
