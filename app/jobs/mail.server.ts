import { db } from "~/db.server";
import { logger } from "~/lib/logger.server";
import { deliverReply } from "~/services/mail/delivery.server";
import { JOB_QUEUE_SCHEMA } from "./boss.server";
import { queueReplyDelivery, replyDeliveryJobKind } from "./mail-kinds.server";
import { defineJob, onStopJobs } from "./queue.server";

// The outgoing-mail jobs' handlers (names, data and settings in mail-kinds.server.ts).

export const replyDeliveryJob = defineJob({
  ...replyDeliveryJobKind,
  concurrency: 2,
  async handler({ workspaceId, entryId }, { attempt, attempts, log }) {
    const result = await deliverReply(workspaceId, entryId, { finalAttempt: attempt >= attempts });
    switch (result.status) {
      case "sent":
        log.info("reply delivered", { workspaceId, entryId });
        return;
      case "skipped":
        log.info("reply delivery skipped", { workspaceId, entryId, reason: result.reason });
        return;
      case "failed":
        if (!result.willRetry) {
          // Recorded on the reply, where the agent sees it and can retry: not a job for the ledger.
          log.warn("reply not delivered", { workspaceId, entryId, error: result.error });
          return;
        }
        // Thrown so the queue retries it, with backoff.
        throw new Error(result.error);
    }
  },
});

/** How long a reply may stay pending with no delivery job before the sweep queues one. */
export const STUCK_REPLY_MINUTES = 10;
export const REPLY_SWEEP_SECONDS = 60;

/**
 * Queues a delivery for replies pending for over STUCK_REPLY_MINUTES with no job waiting, running or
 * retrying for them: the process died between storing a reply and queuing it, or during the last
 * attempt. Returns how many it queued.
 */
export async function queueStuckReplies(now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - STUCK_REPLY_MINUTES * 60_000);
  const stuck = await db.$queryRawUnsafe<{ id: string; workspaceId: string }[]>(
    `SELECT e.id, e."workspaceId" FROM "TicketEntry" e
     WHERE e."deliveryStatus" = 'pending' AND e.kind = 'agent_reply' AND e."createdAt" < $1
       AND NOT EXISTS (
         SELECT 1 FROM "${JOB_QUEUE_SCHEMA}".job j
         WHERE j.name = $2 AND j.state IN ('created', 'retry', 'active') AND j.data->>'entryId' = e.id)
     ORDER BY e."createdAt" LIMIT 200`,
    before,
    replyDeliveryJobKind.name,
  );
  let queued = 0;
  for (const { id, workspaceId } of stuck) {
    if (await queueReplyDelivery(workspaceId, id)) queued++;
  }
  return queued;
}

const SWEEP_KEY = Symbol.for("shopdesk.replySweep");
type SweepGlobal = typeof globalThis & { [SWEEP_KEY]?: NodeJS.Timeout };

/** Starts the stuck-reply sweep in this process (once), now and every REPLY_SWEEP_SECONDS, until jobs stop. */
export function startReplySweep(): void {
  const holder = globalThis as SweepGlobal;
  if (holder[SWEEP_KEY]) return;
  const log = logger.child({ component: "jobs", job: replyDeliveryJobKind.name });
  const sweep = () =>
    queueStuckReplies().then(
      (queued) => queued > 0 && log.warn("queued replies that were left pending without a delivery", { queued }),
      (error: unknown) => log.error("the reply sweep failed; it runs again shortly", { error }),
    );
  void sweep();
  holder[SWEEP_KEY] = setInterval(() => void sweep(), REPLY_SWEEP_SECONDS * 1000);
  holder[SWEEP_KEY].unref();
  const unregister = onStopJobs(async () => {
    clearInterval(holder[SWEEP_KEY]);
    holder[SWEEP_KEY] = undefined;
    unregister();
  });
}
