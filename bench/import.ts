// Install-time import of one shop with 100,000 emulated orders and 10,000 customers (`--orders N`,
// `--customers N` for quick runs), on PostgreSQL, at the emulator's standard-plan rate limit
// (2,000-point bucket, 100 points/s), job workers running:
//   all-statuses-seconds        install → every order stored with its status (the bulk passes)
//   recent-timelines-seconds    install → every order placed or shipped in the last 60 days has its
//                               carrier events. At 100k that is ~57k orders and hours of rate limit,
//                               so `--recent-budget-s` (default 150) after the statuses it stops waiting and
//                               prints recent-timelines-estimate-seconds from the sustained rate.
//   details-orders-per-s        the background details pass's sustained rate (after the first 20 s)
//   on-demand-timeline-p50/p95  an agent opening ~50 older orders not imported yet (`--opens N`),
//                               one every 250 ms while the background pass runs: the order page's
//                               loader (session token, order, timeline fetched on the spot)
//   on-demand-baseline-p50/p95  the same one-order details query sent by a bare client to the
//                               emulator (no app, no database), after the jobs stop; ratio = app ÷ bare
//   older-timeline-wait-before-estimate-p50-seconds  what those orders waited before on-demand
//                               fetching existed: their place in the background queue ÷ its rate
// Database: the embedded default, or a fresh database on the server BENCH_DATABASE_URL names
// (bench/support.ts, benchDatabase).
import { numberFlag, percentile, poll, report, seconds, sleep, startBenchApp, syncState } from "./support.ts";

const orders = numberFlag("orders", 100_000);
const customers = numberFlag("customers", Math.max(10, Math.round(orders / 10)));
const opens = numberFlag("opens", 50);
const recentBudgetMs = numberFlag("recent-budget-s", 150) * 1000;
const BULK_TIMEOUT_MS = 15 * 60_000;
const RATE_WARMUP_MS = 20_000; // the bucket's first 2,000 points go faster than the sustained rate

const app = await startBenchApp({ ordersPerShop: orders, customersPerShop: customers });
try {
  const { db } = await import("~/db.server");
  const { recentOrdersSince } = await import("~/domain/tracking-import");
  const { countOrdersNeedingDetails } = await import("~/models/shopify-order.server");
  const orderRoute = await import("../app/routes/app.orders.$orderId.tsx");

  const installed = performance.now();
  await app.install();

  // 1. Every order stored with its status: the orders phase is done.
  const statuses = await poll(
    "every order stored",
    async () => {
      const state = await syncState(app.shop);
      if (state?.backfillStatus === "failed") throw new Error(`Import failed: ${state.backfillError}`);
      return state?.backfillPhase === "details" || state?.backfillStatus === "completed" ? performance.now() : null;
    },
    BULK_TIMEOUT_MS,
    100,
  );
  const shop = await db.shop.findUniqueOrThrow({ where: { domain: app.shop } });
  const stored = await db.shopifyOrder.count({ where: { shopId: shop.id } });
  if (stored !== orders) throw new Error(`Expected ${orders} orders stored, found ${stored}`);
  report("import-all-statuses-seconds", seconds(installed, statuses), "s");
  const since = recentOrdersSince(new Date());
  const recentTotal = await db.shopifyOrder.count({ where: { shopId: shop.id, activityAt: { gte: since } } });
  const pendingAtStart = await countOrdersNeedingDetails(shop.id);
  console.error(
    `bench import: ${stored} orders stored; ${recentTotal} recent; ${pendingAtStart} waiting for carrier events`,
  );

  // 2. Older orders opened while the background pass runs. Chosen spread over the older ones still
  // waiting, in the queue order the previous pass used (placed, newest first), to know their place.
  const older = await db.shopifyOrder.findMany({
    where: { shopId: shop.id, detailsPending: true, activityAt: { lt: since } },
    select: { shopifyId: true, shopifyCreatedAt: true },
    orderBy: { shopifyCreatedAt: "desc" },
  });
  const step = Math.max(1, Math.floor(older.length / opens));
  const chosen = older.filter((_, index) => index % step === 0).slice(0, opens);
  const placeBefore = await Promise.all(
    chosen.map((order) =>
      db.shopifyOrder.count({
        where: { shopId: shop.id, detailsPending: true, shopifyCreatedAt: { gt: order.shopifyCreatedAt } },
      }),
    ),
  );
  const rateStart = { at: performance.now(), pending: await countOrdersNeedingDetails(shop.id) };
  const latencies: number[] = [];
  let unavailable = 0;
  for (const order of chosen) {
    const orderId = order.shopifyId.split("/").pop()!;
    const request = new Request(new URL(`/app/orders/${orderId}`, app.url), {
      headers: {
        authorization: `Bearer ${app.emulator.sessionToken(app.shop)}`,
        "user-agent": "Mozilla/5.0 Chrome/156.0",
      },
    });
    const started = performance.now();
    const page = await orderRoute.loader({ request, params: { orderId }, context: {} });
    latencies.push(performance.now() - started);
    if (!page.trackingDetailsLoaded) unavailable++;
    await sleep(250);
  }
  report("import-on-demand-timeline-p50", percentile(latencies, 50), "ms");
  report("import-on-demand-timeline-p95", percentile(latencies, 95), "ms");
  report("import-on-demand-timeline-max", Math.max(...latencies), "ms");
  report("import-on-demand-unavailable", unavailable, "orders");

  // 3. Recent orders' carrier events: wait within the budget, else estimate from the sustained rate.
  let recentDoneAt: number | null = null;
  let sample: { at: number; pending: number } | null = null;
  const deadline = statuses + recentBudgetMs;
  while (performance.now() < deadline) {
    const recentPending = await countOrdersNeedingDetails(shop.id, since);
    if (recentPending === 0) {
      recentDoneAt = performance.now();
      break;
    }
    if (!sample && performance.now() - statuses > RATE_WARMUP_MS) {
      sample = { at: performance.now(), pending: await countOrdersNeedingDetails(shop.id) };
    }
    await sleep(500);
  }
  const rateFrom = sample ?? rateStart;
  const rateEnd = { at: performance.now(), pending: await countOrdersNeedingDetails(shop.id) };
  const detailsPerSecond = (rateFrom.pending - rateEnd.pending) / seconds(rateFrom.at, rateEnd.at);
  report("import-details-orders-per-s", detailsPerSecond, "orders/s");
  if (recentDoneAt !== null) {
    report("import-recent-timelines-seconds", seconds(installed, recentDoneAt), "s");
  } else {
    const recentPending = await countOrdersNeedingDetails(shop.id, since);
    report("import-recent-orders", recentTotal, "orders");
    report("import-recent-pending-at-budget", recentPending, "orders");
    report("import-recent-timelines-estimate-seconds", seconds(installed) + recentPending / detailsPerSecond, "s");
  }
  report("import-all-timelines-estimate-seconds", seconds(installed) + rateEnd.pending / detailsPerSecond, "s");
  report("import-older-timeline-wait-before-estimate-p50-seconds", percentile(placeBefore, 50) / detailsPerSecond, "s");

  // 4. Baseline: the same one-order details query from a bare client, nothing else using the bucket.
  const { stopJobs } = await import("~/jobs/queue.server");
  await stopJobs();
  const { ORDER_DETAILS_BY_IDS_QUERY } = await import("~/services/shopify/order-documents");
  const token = app.emulator.accessToken(app.shop);
  const bare: number[] = [];
  for (const order of chosen) {
    app.emulator.setThrottle(app.shop, 2000);
    const started = performance.now();
    const response = await fetch(`https://${app.shop}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": token },
      body: JSON.stringify({ query: ORDER_DETAILS_BY_IDS_QUERY, variables: { ids: [order.shopifyId] } }),
    });
    await response.json();
    bare.push(performance.now() - started);
  }
  report("import-on-demand-baseline-p50", percentile(bare, 50), "ms");
  report("import-on-demand-baseline-p95", percentile(bare, 95), "ms");
  report("import-on-demand-ratio-p95", percentile(latencies, 95) / percentile(bare, 95), "x");
} finally {
  await app.stop();
}
