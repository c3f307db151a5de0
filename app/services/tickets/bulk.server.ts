import { z } from "zod";
import { tagSchema } from "~/domain/tickets";
import {
  assignTicket,
  setTicketStatus,
  setTicketTags,
  TicketChangeRefused,
  TicketNotFoundError,
} from "~/models/ticket.server";
import { db } from "~/db.server";

// The inbox's bulk actions: one change to the tickets an agent selected, each ticket in its own
// transaction with its own thread event (as if done one by one), only the workspace's tickets.

/** The most tickets one bulk action changes: the inbox shows 50 per page. */
export const MAX_BULK_TICKETS = 50;

const uuid = z.string().uuid("Some of these tickets do not exist or belong to another workspace.");
const ids = z
  .string({ error: "Select tickets first." })
  .transform((value) => value.split(",").filter(Boolean))
  .pipe(
    z
      .array(uuid)
      .min(1, "Select tickets first.")
      .max(MAX_BULK_TICKETS, `Change at most ${MAX_BULK_TICKETS} tickets at once.`),
  );

export const BulkActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("bulk-close"), ids }),
    z.object({ intent: z.literal("bulk-reopen"), ids }),
    z.object({
      intent: z.literal("bulk-assign"),
      ids,
      agentId: z
        .union([z.literal(""), z.string().uuid("Choose one of the agents.")])
        .transform((value) => value || null),
    }),
    z.object({ intent: z.literal("bulk-tag"), ids, tag: tagSchema }),
  ],
  { error: "This is not one of the inbox's actions; reload the page." },
);
export type BulkAction = z.output<typeof BulkActionSchema>;

export interface BulkResult {
  changed: number;
  /** Tickets the change did not apply to, with why (first few). */
  refused: string[];
}

export async function bulkUpdateTickets(
  workspaceId: string,
  action: BulkAction,
  agentId: string | null,
): Promise<BulkResult | null> {
  // All or nothing on ownership: a selection naming a ticket that is not the workspace's (another
  // workspace's, or gone) changes no ticket at all; null says so.
  const ids = [...new Set(action.ids)];
  const tickets = await db.ticket.findMany({
    where: { workspaceId, id: { in: ids } },
    select: { id: true, number: true, tags: true },
  });
  if (tickets.length !== ids.length) return null;
  const result: BulkResult = { changed: 0, refused: [] };
  for (const ticket of tickets) {
    try {
      switch (action.intent) {
        case "bulk-close":
          await setTicketStatus(workspaceId, ticket.id, { to: "closed" }, agentId);
          break;
        case "bulk-reopen":
          await setTicketStatus(workspaceId, ticket.id, { to: "open" }, agentId);
          break;
        case "bulk-assign":
          await assignTicket(workspaceId, ticket.id, action.agentId, agentId);
          break;
        case "bulk-tag":
          await setTicketTags(workspaceId, ticket.id, [...ticket.tags, action.tag], agentId);
          break;
      }
      result.changed += 1;
    } catch (error) {
      if (error instanceof TicketChangeRefused || error instanceof TicketNotFoundError) {
        result.refused.push(`#${ticket.number}: ${error.message}`);
      } else throw error;
    }
  }
  return result;
}
