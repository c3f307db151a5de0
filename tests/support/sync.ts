import { eventually } from "./wait.ts";

/** Waits for a shop's import to complete (fails fast if it failed). */
export async function waitForBackfill(shopDomain: string, timeoutMs = 90_000) {
  const { db } = await import("~/db.server");
  return eventually(
    async () => {
      const shop = await db.shop.findUnique({ where: { domain: shopDomain }, include: { syncState: true } });
      const state = shop?.syncState;
      if (state?.backfillStatus === "failed") throw new Error(`Backfill failed: ${state.backfillError}`);
      return state?.backfillStatus === "completed" ? { shop: shop!, state } : null;
    },
    { timeoutMs, intervalMs: 200 },
  );
}

/** Waits until every webhook the app stored has been handled. */
export async function waitForWebhooksHandled(timeoutMs = 30_000) {
  const { db } = await import("~/db.server");
  await eventually(
    async () => (await db.webhookEvent.count({ where: { status: { in: ["received", "failed"] } } })) === 0,
    {
      timeoutMs,
    },
  );
}
