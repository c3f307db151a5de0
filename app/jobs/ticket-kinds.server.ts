import { z } from "zod";
import { defineJobKind, enqueue } from "./queue.server";

// The ticket jobs as their producers see them; the handlers are in tickets.server.ts.

export const ticketWakeJobKind = defineJobKind({
  name: "ticket-wake",
  schema: z.object({ workspaceId: z.string().uuid(), ticketId: z.string().uuid() }),
  retryLimit: 10,
  retryDelaySeconds: 10,
  timeoutSeconds: 60,
});

/**
 * Wakes the ticket at `until` (a durable job: it survives restarts and runs once a process that
 * runs jobs is up). One job per ticket and time: snoozing again until another time adds another.
 */
export function scheduleTicketWake(workspaceId: string, ticketId: string, until: Date) {
  return enqueue(
    ticketWakeJobKind,
    { workspaceId, ticketId },
    { singletonKey: `ticket-wake:${ticketId}:${until.toISOString()}`, startAfter: until },
  );
}
