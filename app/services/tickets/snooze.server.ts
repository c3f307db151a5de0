import { snoozeProblem } from "~/domain/tickets";
import { scheduleTicketWake } from "~/jobs/ticket-kinds.server";
import { setTicketStatus, TicketChangeRefused } from "~/models/ticket.server";

/**
 * Snoozes a ticket until `until`. The wake-up job is queued first, then the ticket is snoozed: if
 * snoozing fails (or the process dies in between) the job finds the ticket not snoozed and does
 * nothing, and a ticket is never left snoozed without its wake-up.
 */
export async function snoozeTicket(
  workspaceId: string,
  ticketId: string,
  until: Date,
  agentId: string | null,
  now = new Date(),
) {
  const problem = snoozeProblem(until, now);
  if (problem) throw new TicketChangeRefused(problem);
  await scheduleTicketWake(workspaceId, ticketId, until);
  return setTicketStatus(workspaceId, ticketId, { to: "snoozed", until }, agentId, now);
}
