import { z } from "zod";
import { recordBackfillFailure, runBackfillStep } from "~/services/sync/backfill.server";
import { reconcileShop } from "~/services/sync/reconcile.server";
import { defineJob, enqueue } from "./queue.server";

const ShopJobData = z.object({ shopDomain: z.string().regex(/\.myshopify\.com$/, "a myshopify.com domain") });

/** How often each shop is reconciled with Shopify when nothing asks sooner. */
export const RECONCILE_EVERY_SECONDS = 15 * 60;

const BACKFILL_RETRIES = 5;

export const backfillJob = defineJob({
  name: "sync-backfill",
  schema: ShopJobData,
  retryLimit: BACKFILL_RETRIES,
  retryDelaySeconds: 10,
  timeoutSeconds: 60 * 60,
  // Shops import side by side: each has its own Shopify rate limit.
  concurrency: 3,
  async handler({ shopDomain }, { log, attempt }) {
    const step = await runBackfillStep(shopDomain, log).catch(async (error: unknown) => {
      if (attempt > BACKFILL_RETRIES) await recordBackfillFailure(shopDomain, error);
      throw error;
    });
    if (!step.done) {
      await enqueue(
        backfillJob,
        { shopDomain },
        { singletonKey: `backfill:${shopDomain}`, startAfter: step.againInSeconds },
      );
    } else {
      await scheduleReconcile(shopDomain);
    }
  },
});

export const reconcileJob = defineJob({
  name: "sync-reconcile",
  schema: ShopJobData,
  retryLimit: 3,
  retryDelaySeconds: 30,
  async handler({ shopDomain }, { log }) {
    const result = await reconcileShop(shopDomain, log);
    // Keep the cycle going for installed shops (an uninstalled one returns null and stops).
    if (result) await scheduleReconcile(shopDomain);
  },
});

/** The next periodic reconcile; a no-op when one is already waiting. */
export function scheduleReconcile(shopDomain: string) {
  return enqueue(
    reconcileJob,
    { shopDomain },
    { singletonKey: `reconcile:${shopDomain}`, startAfter: RECONCILE_EVERY_SECONDS },
  );
}
