import { TicketNotFoundError, wakeTicketIfDue } from "~/models/ticket.server";
import { defineJob } from "./queue.server";
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
