// Install-time backfill of one shop with 100,000 emulated orders (`--orders N` for quick runs) and
// 10,000 customers, timed from the SyncState table the app updates as it goes:
//   bulk-orders-per-s   orders phase only (bulk export, download, store): ordersSynced / its time
//   bulk-total-s        install → orders phase done (customers phase included)
//   bulk-baseline-…     the same orders bulk export run and read (JSON.parse per line) by a bare
//                       client; bulk-ratio = baseline orders/s ÷ app orders/s (how many times slower)
//   details-orders-per-s  the rate-limited details phase at its sustained rate: measured over 40 s
//                       after the first 20 s, once the 2,000-point cost bucket it starts with is spent
//   details-estimate-s  its orders needing details ÷ that rate (100k would take hours to measure)
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { numberFlag, poll, report, seconds, startBenchApp, syncState } from "./support.ts";

const orders = numberFlag("orders", 100_000);
const customers = numberFlag("customers", Math.max(10, Math.round(orders / 10)));
const label = orders % 1000 === 0 ? `${orders / 1000}k` : String(orders);
// Shopify's bucket holds 2,000 points and restores 100/s: the first ~20 s run on the stored points.
const DETAILS_SAMPLE = { warmupMs: 20_000, ms: 40_000 };
const BULK_TIMEOUT_MS = 15 * 60_000;

const app = await startBenchApp({ ordersPerShop: orders, customersPerShop: customers });
try {
  const installed = performance.now();
  await app.install();

  // Phase transitions as seen by polling: when "orders" starts, when "details" starts.
  const phaseSeen = (phase: string) =>
    poll(
      `backfill phase ${phase}`,
      async () => {
        const state = await syncState(app.shop);
        if (state?.backfillStatus === "failed") throw new Error(`Backfill failed: ${state.backfillError}`);
        const reached = state?.backfillPhase === phase || state?.backfillStatus === "completed";
        return reached ? { state, at: performance.now() } : null;
      },
      BULK_TIMEOUT_MS,
      50,
    );
  const ordersPhase = await phaseSeen("orders");
  const detailsPhase = await phaseSeen("details");
  const ordersSynced = detailsPhase.state.ordersSynced;
  const bulkOrdersPerSecond = ordersSynced / seconds(ordersPhase.at, detailsPhase.at);
  report(`backfill-${label}-bulk-orders-per-s`, bulkOrdersPerSecond, "orders/s");
  report(`backfill-${label}-bulk-total-s`, seconds(installed, detailsPhase.at), "s");

  // The details phase: its sustained rate, once the initial cost bucket is spent.
  const detailsTotal = detailsPhase.state.detailsTotal ?? 0;
  const syncedAfter = async (ms: number) => {
    const reading = await poll(
      "the details phase",
      async () => {
        const state = await syncState(app.shop);
        const elapsed = performance.now() - detailsPhase.at;
        const done = state?.backfillStatus === "completed";
        return done || elapsed >= ms ? { synced: state?.detailsSynced ?? 0, at: performance.now(), done } : null;
      },
      ms + 30_000,
      200,
    );
    if (reading.done) throw new Error("The details phase finished before the sample: run with more --orders");
    return reading;
  };
  const start = await syncedAfter(DETAILS_SAMPLE.warmupMs);
  const end = await syncedAfter(DETAILS_SAMPLE.warmupMs + DETAILS_SAMPLE.ms);
  const sample = { synced: end.synced - start.synced, elapsed: end.at - start.at };
  const detailsPerSecond = sample.synced / (sample.elapsed / 1000);
  report("backfill-details-orders-per-s", detailsPerSecond, "orders/s");
  report(`backfill-${label}-details-orders`, detailsTotal, "orders");
  report(`backfill-${label}-details-estimate-s`, detailsTotal / detailsPerSecond, "s");

  const { stopJobs } = await import("~/jobs/queue.server");
  await stopJobs();
  const baseline = await bareBulkOrdersPerSecond();
  report(`backfill-${label}-bulk-baseline-orders-per-s`, baseline, "orders/s");
  report(`backfill-${label}-bulk-ratio`, baseline / bulkOrdersPerSecond, "x");
} finally {
  await app.stop();
}

/** Runs the app's orders bulk query as a bare client: start, poll, download, JSON.parse each line. */
async function bareBulkOrdersPerSecond(): Promise<number> {
  const { BULK_OPERATION_BY_ID, BULK_OPERATION_RUN, BULK_ORDERS_QUERY } =
    await import("~/services/shopify/order-documents");
  const token = app.emulator.accessToken(app.shop);
  const graphql = async (query: string, variables: object = {}) => {
    const response = await fetch(`https://${app.shop}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": token },
      body: JSON.stringify({ query, variables }),
    });
    type Operation = { id: string; status: string; url: string | null };
    return (await response.json()) as {
      data: { bulkOperationRunQuery?: { bulkOperation: Operation | null }; bulkOperation?: Operation | null };
    };
  };
  const started = performance.now();
  const run = await graphql(BULK_OPERATION_RUN, { query: BULK_ORDERS_QUERY });
  const id = run.data.bulkOperationRunQuery?.bulkOperation?.id;
  if (!id) throw new Error(`Bare bulk export did not start: ${JSON.stringify(run)}`);
  const { url } = await poll(
    "the bare bulk export",
    async () => {
      const operation = (await graphql(BULK_OPERATION_BY_ID, { id })).data.bulkOperation;
      return operation && !["CREATED", "RUNNING"].includes(operation.status) ? operation : null;
    },
    BULK_TIMEOUT_MS,
    50,
  );
  if (!url) throw new Error("Bare bulk export produced no file");
  const response = await fetch(url);
  let orderLines = 0;
  const lines = createInterface({ input: Readable.fromWeb(response.body as never), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const node = JSON.parse(line) as { __parentId?: string };
    if (!node.__parentId) orderLines++;
  }
  return orderLines / seconds(started);
}
