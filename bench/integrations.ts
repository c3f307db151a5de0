// HTTP integrations' trigger-to-delivery latency on PostgreSQL with the job workers running: a
// customer message is added to a ticket (the database trigger writes its ticket-message-created
// event), the dispatcher turns it into a delivery, the durable job signs and sends it through the
// SSRF-guarded outbound door, and a node:http receiver on 127.0.0.1 gets it. Measured from just
// before the message's INSERT to the receiver's first byte of the request, one message at a time
// (`--messages N`, default 200), and beside it the floor: the same request sent straight through
// sendOutboundRequest to the same receiver.
//   integrations-trigger-to-delivery-p50/p95   message added → receiver got the call
//   integrations-direct-call-p50/p95           sendOutboundRequest → receiver got the call
//   integrations-burst-deliveries-per-second   --burst N (default 200) messages to as many tickets, 20 at a
//                                              time → all received
// On a fresh embedded PostgreSQL (the default install), or a new database on BENCH_DATABASE_URL's server.
import { createServer } from "node:http";
import { benchAppDatabase, numberFlag, percentile, poll, report } from "./support.ts";

const MESSAGES = numberFlag("messages", 200);
const BURST = numberFlag("burst", 200);

const database = await benchAppDatabase("integrations");

const { db, closeDatabase } = await import("~/db.server");
const { startJobWorkers } = await import("~/jobs/workers.server");
const { stopJobs } = await import("~/jobs/queue.server");
const { integrationDeliveryJob } = await import("~/jobs/integrations.server");
const { createIntegration } = await import("~/models/integration.server");
const { addCustomerMessage, createTicket } = await import("~/models/ticket.server");
const { IntegrationCreateSchema } = await import("~/domain/api-resources");
const { sendOutboundRequest } = await import("~/services/integrations/outbound.server");

// The receiver notes when each call arrived (headers in: the request is there), by its
// Idempotency-Key: each delivery's key names its event, so a late call is never taken for another.
const arrivedAt = new Map<string, number>();
const waiters = new Map<string, () => void>();
const receiver = createServer((request, response) => {
  const key = String(request.headers["idempotency-key"]);
  arrivedAt.set(key, performance.now());
  waiters.get(key)?.();
  request.resume();
  request.on("end", () => response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'));
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;

/** When the call with this idempotency key arrived (waits for it). */
async function arrival(key: string): Promise<number> {
  if (!arrivedAt.has(key)) await new Promise<void>((resolve) => waiters.set(key, resolve));
  waiters.delete(key);
  return arrivedAt.get(key)!;
}

/** The idempotency key of the delivery of a message's ticket-message-created event. */
async function keyOfMessage(entryId: string): Promise<string> {
  const event = await db.apiEvent.findFirstOrThrow({ where: { objectId: entryId, type: "ticket-message-created" } });
  return `shopdesk-event-${event.id}`;
}

try {
  const workspace = await db.workspace.create({ data: { name: "Bench", integrationsAllowPrivateNetwork: true } });
  const customer = await db.helpdeskCustomer.create({
    data: { workspaceId: workspace.id, name: "Ava Lind", emails: ["ava@bench.example"] },
  });
  const ticket = await createTicket(workspace.id, {
    channel: "email",
    customerId: customer.id,
    firstMessage: { body: "Where is my order?" },
  });
  // The burst's tickets, one message each later (messages to one ticket queue on its row lock).
  const burstTickets: { id: string }[] = [];
  for (let index = 0; index < BURST; index++) {
    burstTickets.push(
      await createTicket(workspace.id, { channel: "chat", customerId: customer.id, firstMessage: { body: "Hi" } }),
    );
  }
  // The setup's events call nothing: only what happens once the integration exists is measured.
  await db.apiEvent.updateMany({ where: { workspaceId: workspace.id }, data: { dispatchedAt: new Date() } });
  await createIntegration(
    workspace.id,
    IntegrationCreateSchema.parse({
      name: "Bench receiver",
      type: "http",
      http: {
        url: `${base}/hook?email={{ticket.customer.email}}&ticket={{ticket.id}}`,
        method: "POST",
        headers: { "X-Api-Key": "bench-key" },
        form: { email: "{{ticket.customer.email}}", ticket: "{{ticket.id}}" },
        triggers: { "ticket-message-created": true },
      },
    }),
    null,
  );
  await startJobWorkers([integrationDeliveryJob]);

  // Warm-up: connections, the queue, the JIT.
  for (let index = 0; index < 10; index++) {
    const entry = await addCustomerMessage(workspace.id, ticket.id, { body: `warm-up ${index}` });
    await arrival(await keyOfMessage(entry.id));
  }

  const triggered: number[] = [];
  for (let index = 0; index < MESSAGES; index++) {
    const start = performance.now();
    const entry = await addCustomerMessage(workspace.id, ticket.id, { body: `Message ${index}` });
    triggered.push((await arrival(await keyOfMessage(entry.id))) - start);
  }

  const direct: number[] = [];
  for (let index = 0; index < MESSAGES; index++) {
    const start = performance.now();
    const sent = await sendOutboundRequest({
      workspaceId: workspace.id,
      method: "POST",
      url: `${base}/hook?email=ava%40bench.example&ticket=${ticket.number}`,
      headers: { "content-type": "application/json", "X-Api-Key": "bench-key", "Idempotency-Key": `direct-${index}` },
      body: JSON.stringify({ email: "ava@bench.example", ticket: String(ticket.number) }),
    });
    if (!sent.ok) throw new Error(`direct call failed: ${sent.error}`);
    direct.push((await arrival(`direct-${index}`)) - start);
  }

  // 20 at a time: as many agents and shoppers writing at once as the app's connection pool serves.
  const burstStart = performance.now();
  const burstEntries: string[] = [];
  for (let start = 0; start < BURST; start += 20) {
    const entries = await Promise.all(
      burstTickets
        .slice(start, start + 20)
        .map((burstTicket, index) =>
          addCustomerMessage(workspace.id, burstTicket.id, { body: `Burst ${start + index}` }),
        ),
    );
    burstEntries.push(...entries.map(({ id }) => id));
  }
  const burstArrivals: number[] = [];
  for (const entryId of burstEntries) burstArrivals.push(await arrival(await keyOfMessage(entryId)));
  const burstEnd = Math.max(...burstArrivals);
  await poll(
    "the burst's deliveries to be logged",
    async () =>
      (await db.integrationDelivery.count({ where: { workspaceId: workspace.id, status: "succeeded" } })) >=
      MESSAGES + 10 + BURST
        ? true
        : null,
    60_000,
  );
  const failed = await db.integrationDelivery.count({
    where: { workspaceId: workspace.id, NOT: { status: "succeeded" } },
  });
  if (failed > 0) throw new Error(`${failed} deliveries did not succeed`);

  // Where the time goes (stderr): event written → dispatched → delivery created → call finished.
  const stages = await db.$queryRaw<{ dispatch: number; queued: number; sent: number }[]>`
    SELECT avg(extract(epoch FROM e."dispatchedAt" - e."createdAt") * 1000)::float AS dispatch,
           avg(extract(epoch FROM d."finishedAt" - d."createdAt") * 1000 - d."durationMs")::float AS queued,
           avg(d."durationMs")::float AS sent
    FROM "ApiEvent" e JOIN "IntegrationDelivery" d ON d."eventId" = e."id"
    WHERE e."workspaceId" = ${workspace.id}`;
  console.error(`bench integrations: average ms per stage ${JSON.stringify(stages[0])}`);
  console.error(`bench integrations: ${MESSAGES} messages one at a time, then a burst of ${BURST}`);
  report("integrations-trigger-to-delivery-p50", percentile(triggered, 50), "ms");
  report("integrations-trigger-to-delivery-p95", percentile(triggered, 95), "ms");
  report("integrations-direct-call-p50", percentile(direct, 50), "ms");
  report("integrations-direct-call-p95", percentile(direct, 95), "ms");
  report("integrations-burst-deliveries-per-second", BURST / ((burstEnd - burstStart) / 1000), "deliveries/s");
} finally {
  await stopJobs();
  await new Promise((resolve) => receiver.close(resolve));
  await closeDatabase();
  await database.dispose();
}
