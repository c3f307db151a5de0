// Webhook ingest on an installed, backfilled shop: 2,000 signed orders/updated deliveries
// (`--deliveries N`), each a newer version of one of the shop's orders with its own event id,
// POSTed to the app's real route over HTTP, 8 at a time (`--concurrency N`), job workers running.
//   ack-p50/p99, ack-throughput   per request, client side (request sent → 200 read)
//   process-throughput            deliveries ÷ (first send → every WebhookEvent processed)
//   ack-baseline-…                the same client and deliveries against a bare node:http server
//                                 that reads the body and answers 200 (median of 5 passes)
//   …-ratio                       app ÷ baseline for latency, baseline ÷ app for throughput
//                                 (how many times slower the app is)
import { randomUUID } from "node:crypto";
import { Pool } from "undici";
import { orderPayload, shopTime } from "../dev/store-emulator/payloads.ts";
import { webhookHeaders } from "../dev/store-emulator/signing.ts";
import { listen, numberFlag, percentile, poll, report, seconds, startBenchApp, syncState } from "./support.ts";

const DELIVERIES = numberFlag("deliveries", 2000);
const CONCURRENCY = numberFlag("concurrency", 8);
const WARMUP = 100;
const TOPIC = "orders/updated";
const PATH = "/webhooks/orders/updated";

interface Delivery {
  headers: Record<string, string>;
  body: string;
}

/** Sends every delivery with `concurrency` requests in flight; latency of each in ms. */
async function send(origin: string, deliveries: readonly Delivery[], concurrency: number) {
  const pool = new Pool(origin, { connections: concurrency });
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let index = next++; index < deliveries.length; index = next++) {
      const { headers, body } = deliveries[index]!;
      const sent = performance.now();
      const response = await pool.request({ path: PATH, method: "POST", headers, body });
      const text = await response.body.text();
      latencies.push(performance.now() - sent);
      if (response.statusCode !== 200) throw new Error(`Delivery answered ${response.statusCode}: ${text}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = seconds(started);
  await pool.close();
  return { latencies, perSecond: deliveries.length / elapsed };
}

const app = await startBenchApp({ ordersPerShop: 200, customersPerShop: 50 });
try {
  await app.install();
  await poll(
    "the backfill",
    async () => ((await syncState(app.shop))?.backfillStatus === "completed" ? true : null),
    180_000,
  );

  // Pre-built and signed, so the client does no work per request beyond sending it.
  const shop = app.emulator.shop(app.shop);
  const orders = shop.orders();
  const baseTime = Date.now();
  const deliveries = Array.from({ length: WARMUP + DELIVERIES }, (_, index): Delivery => {
    const order = orders[index % orders.length]!;
    const payload = {
      ...(orderPayload(shop.state, order) as object),
      note: `bench update ${index}`,
      updated_at: shopTime(new Date(baseTime + (index + 1) * 1000).toISOString(), shop.record.ianaTimezone),
    };
    const body = JSON.stringify(payload);
    const headers = webhookHeaders({ topic: TOPIC, shop: app.shop, body, eventId: randomUUID() }, app.apiSecret);
    return { headers, body };
  });
  const warmup = deliveries.slice(0, WARMUP);
  const measured = deliveries.slice(WARMUP);

  const { db } = await import("~/db.server");
  const unprocessed = () => db.webhookEvent.count({ where: { status: { notIn: ["processed", "skipped"] } } });
  const allProcessed = (timeoutMs: number) =>
    poll("every webhook event processed", async () => ((await unprocessed()) === 0 ? true : null), timeoutMs, 50);

  // The app (warmed up with deliveries that are not measured), then the bare server with the job
  // workers stopped, so nothing else runs in the process.
  await send(app.url, warmup, CONCURRENCY);
  await allProcessed(60_000);
  const started = performance.now();
  const acks = await send(app.url, measured, CONCURRENCY);
  await allProcessed(300_000);
  const processedPerSecond = DELIVERIES / seconds(started);

  const { stopJobs } = await import("~/jobs/queue.server");
  await stopJobs();
  const bare = await listen((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200).end());
  });
  // A pass takes well under a second, so one JIT or GC pause swings its p99: a full pass to warm
  // up, then the median of five passes for each figure.
  await send(bare.url, measured, CONCURRENCY);
  const passes = [];
  for (let pass = 0; pass < 5; pass++) passes.push(await send(bare.url, measured, CONCURRENCY));
  await bare.close();
  const baselineP50 = percentile(
    passes.map(({ latencies }) => percentile(latencies, 50)),
    50,
  );
  const baselineP99 = percentile(
    passes.map(({ latencies }) => percentile(latencies, 99)),
    50,
  );
  const baselinePerSecond = percentile(
    passes.map(({ perSecond }) => perSecond),
    50,
  );

  const p50 = percentile(acks.latencies, 50);
  const p99 = percentile(acks.latencies, 99);
  report("webhook-ack-p50", p50, "ms");
  report("webhook-ack-p99", p99, "ms");
  report("webhook-ack-throughput", acks.perSecond, "acks/s");
  report("webhook-process-throughput", processedPerSecond, "events/s");
  report("webhook-ack-baseline-p50", baselineP50, "ms");
  report("webhook-ack-baseline-p99", baselineP99, "ms");
  report("webhook-ack-baseline-throughput", baselinePerSecond, "acks/s");
  report("webhook-ack-p50-ratio", p50 / baselineP50, "x");
  report("webhook-ack-p99-ratio", p99 / baselineP99, "x");
  report("webhook-ack-throughput-ratio", baselinePerSecond / acks.perSecond, "x");
} finally {
  await app.stop();
}
