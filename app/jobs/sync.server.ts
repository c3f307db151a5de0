import { recordBackfillFailure, runBackfillStep } from "~/services/sync/backfill.server";
import { reconcileShop } from "~/services/sync/reconcile.server";
import { defineJob } from "./queue.server";
import {
  BACKFILL_RETRIES,
  backfillJobKind,
  enqueueBackfill,
  reconcileJobKind,
  scheduleReconcile,
} from "./sync-kinds.server";

// The sync jobs' handlers (their names, data and settings are in sync-kinds.server.ts).

export const backfillJob = defineJob({
  ...backfillJobKind,
  // Shops import side by side: each has its own Shopify rate limit.
  concurrency: 3,
  async handler({ shopDomain }, { log, attempt }) {
    const step = await runBackfillStep(shopDomain, log).catch(async (error: unknown) => {
      if (attempt > BACKFILL_RETRIES) await recordBackfillFailure(shopDomain, error);
      throw error;
    });
    if (!step.done) await enqueueBackfill(shopDomain, { startAfter: step.againInSeconds });
    else await scheduleReconcile(shopDomain);
  },
});

export const reconcileJob = defineJob({
  ...reconcileJobKind,
  async handler({ shopDomain }, { log }) {
    const result = await reconcileShop(shopDomain, log);
    // Keep the cycle going for installed shops (an uninstalled one returns null and stops).
    if (result) await scheduleReconcile(shopDomain);
  },
});
