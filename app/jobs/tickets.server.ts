import { logger } from "~/lib/logger.server";
import { overdueSnoozedTickets, TicketNotFoundError, wakeTicketIfDue } from "~/models/ticket.server";
import { defineJob, onStopJobs } from "./queue.server";
import { ticketWakeJobKind } from "./ticket-kinds.server";

// The ticket jobs' handlers (names, data and settings in ticket-kinds.server.ts).

export const ticketWakeJob = defineJob({
  ...ticketWakeJobKind,
  async handler({ workspaceId, ticketId }, { log }) {
    const woke = await wakeTicketIfDue(workspaceId, ticketId).catch((error: unknown) => {
      // A ticket deleted since (its workspace erased) has nothing left to wake.
      if (error instanceof TicketNotFoundError) return false;
      throw error;
    });
    log.info(woke ? "snoozed ticket woke up" : "snoozed ticket needed no wake-up", { workspaceId, ticketId });
  },
});

/** How often each process that runs jobs looks for snoozed tickets whose wake-up did not come. */
export const SNOOZE_SWEEP_SECONDS = 60;

/**
 * Wakes snoozed tickets whose time has passed but whose wake-up job never ran (it was dead-lettered
 * after its retries, or the ticket was snoozed by an import or by hand): a safety net under the
 * ticket-wake jobs. Returns how many it woke.
 */
export async function wakeOverdueTickets(now = new Date()): Promise<number> {
  let woken = 0;
  for (const { id, workspaceId } of await overdueSnoozedTickets(now, 200)) {
    if (await wakeTicketIfDue(workspaceId, id, now)) woken++;
  }
  return woken;
}

const SWEEP_KEY = Symbol.for("shopdesk.snoozeSweep");
type SweepGlobal = typeof globalThis & { [SWEEP_KEY]?: NodeJS.Timeout };

/** Starts the sweep in this process (once), now and every SNOOZE_SWEEP_SECONDS, until jobs stop. */
export function startSnoozeSweep(): void {
  const holder = globalThis as SweepGlobal;
  if (holder[SWEEP_KEY]) return;
  const log = logger.child({ component: "jobs", job: "ticket-wake" });
  const sweep = () =>
    wakeOverdueTickets().then(
      (woken) => woken > 0 && log.warn("woke snoozed tickets whose wake-up had not run", { woken }),
      (error: unknown) => log.error("the snooze sweep failed; it runs again shortly", { error }),
    );
  void sweep();
  holder[SWEEP_KEY] = setInterval(() => void sweep(), SNOOZE_SWEEP_SECONDS * 1000);
  holder[SWEEP_KEY].unref();
  const unregister = onStopJobs(async () => {
    clearInterval(holder[SWEEP_KEY]);
    holder[SWEEP_KEY] = undefined;
    unregister();
  });
}
