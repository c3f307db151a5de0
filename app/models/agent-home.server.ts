import { db } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client";

// The agent's landing page: their open tickets, the unassigned queue, and what needs attention soon
// (snoozed tickets waking within a day, urgent and high-priority open tickets). Every list is a
// workspace's own and short: the inbox is where an agent works through the rest.

/** Rows per list on the home page. */
export const AGENT_HOME_ROWS = 5;
/** A snoozed ticket waking within this long is worth knowing about now. */
export const WAKING_WINDOW_MS = 24 * 60 * 60 * 1000;

const ticketRow = {
  id: true,
  number: true,
  subject: true,
  status: true,
  priority: true,
  lastMessageAt: true,
  snoozedUntil: true,
  customer: { select: { name: true, emails: true } },
  assignee: { select: { id: true, name: true } },
} satisfies Prisma.TicketSelect;

export type AgentHomeTicket = Prisma.TicketGetPayload<{ select: typeof ticketRow }>;

export interface AgentHomeList {
  tickets: AgentHomeTicket[];
  /** All the tickets the list stands for, beyond the few shown. */
  total: number;
}

export interface AgentHome {
  /** Null when Shopify could not say who the agent is right now: the page says so. */
  mine: AgentHomeList | null;
  unassigned: AgentHomeList;
  /** Snoozed tickets waking within WAKING_WINDOW_MS (or overdue), soonest first. */
  waking: AgentHomeList;
  /** Open urgent and high-priority tickets, urgent first, then the latest. */
  urgent: AgentHomeList;
}

async function list(where: Prisma.TicketWhereInput, orderBy: Prisma.TicketOrderByWithRelationInput[]) {
  const [tickets, total] = await Promise.all([
    db.ticket.findMany({ where, orderBy, take: AGENT_HOME_ROWS, select: ticketRow }),
    db.ticket.count({ where }),
  ]);
  return { tickets, total };
}

/** The home page's ticket lists for `agentId` (the signed-in agent, or null) in the workspace. */
export async function getAgentHome(workspaceId: string, agentId: string | null, now = new Date()): Promise<AgentHome> {
  const latest: Prisma.TicketOrderByWithRelationInput[] = [{ lastMessageAt: "desc" }, { id: "desc" }];
  const [mine, unassigned, waking, urgent] = await Promise.all([
    agentId ? list({ workspaceId, status: "open", assigneeId: agentId }, latest) : null,
    list({ workspaceId, status: "open", assigneeId: null }, latest),
    list({ workspaceId, status: "snoozed", snoozedUntil: { lte: new Date(now.getTime() + WAKING_WINDOW_MS) } }, [
      { snoozedUntil: "asc" },
      { id: "asc" },
    ]),
    // Priorities are declared low → urgent, so descending puts urgent first.
    list({ workspaceId, status: "open", priority: { in: ["urgent", "high"] } }, [{ priority: "desc" }, ...latest]),
  ]);
  return { mine, unassigned, waking, urgent };
}
