import { z } from "zod";
import { db } from "~/db.server";
import { INBOX_COUNT_CAP, orderNameSearch, type InboxQuery, type InboxView } from "~/domain/inbox-query";
import { Prisma } from "~/generated/prisma/client";

// The inbox list: a workspace's tickets by view, filter and search, one page at a time. Pages are
// keyset pages (continue after / before a row's sort key and id), so page 500 of a million
// tickets costs what page 1 does, and a ticket moving meanwhile neither repeats nor vanishes.

export const INBOX_PAGE_SIZE = 50;

/** Where a page starts: the sort key and id of the row it continues from. */
interface InboxCursor {
  /** ISO time for last_message and created; "<priority rank>|<ISO last message>" for priority. */
  key: string;
  id: string;
}

const cursorSchema = z.object({ key: z.string().max(80), id: z.string().uuid() });

const encodeCursor = (cursor: InboxCursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url");

/** A cursor from the URL, or null when it is not one we wrote. */
function decodeCursor(value: string): InboxCursor | null {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A link to another page that is not one we wrote (edited by hand, from another sort). */
export class InboxCursorError extends Error {
  constructor() {
    super("This page link is not valid any more. Start again from the first page.");
  }
}

const PRIORITY_RANK = { low: 0, normal: 1, high: 2, urgent: 3 } as const;
const PRIORITY_BY_RANK = ["low", "normal", "high", "urgent"] as const;

function viewWhere(view: InboxView, agentId: string | null): Prisma.TicketWhereInput {
  switch (view) {
    case "open":
      return { status: "open" };
    case "unassigned":
      return { status: "open", assigneeId: null };
    case "mine":
      // Without a known agent, "mine" is nobody's: an id that matches no ticket.
      return { status: "open", assigneeId: agentId ?? "00000000-0000-0000-0000-000000000000" };
    case "snoozed":
      return { status: "snoozed" };
    case "closed":
      return { status: "closed" };
    case "all":
      return {};
  }
}

function searchWhere(q: string): Prisma.TicketWhereInput {
  const orderName = orderNameSearch(q);
  return {
    OR: [
      { subject: { contains: q, mode: "insensitive" } },
      { customer: { name: { contains: q, mode: "insensitive" } } },
      { customer: { emails: { has: q.toLowerCase() } } },
      ...(orderName ? [{ orders: { some: { order: { name: orderName } } } }] : []),
      { entries: { some: { kind: { not: "system_event" }, body: { contains: q, mode: "insensitive" } } } },
    ],
  };
}

/** Rows after (or before) the cursor in the list's order: newest first, id breaking ties. */
function cursorWhere(
  sort: InboxQuery["sort"],
  cursor: InboxCursor,
  direction: "after" | "before",
): Prisma.TicketWhereInput {
  const older = direction === "after" ? "lt" : "gt";
  if (sort === "priority") {
    const [rankText, iso] = cursor.key.split("|");
    const priority = PRIORITY_BY_RANK[Number(rankText)];
    const at = new Date(iso ?? "");
    if (!priority || Number.isNaN(at.getTime())) throw new InboxCursorError();
    const lowerPriorities = PRIORITY_BY_RANK.filter((_, rank) =>
      direction === "after" ? rank < Number(rankText) : rank > Number(rankText),
    );
    return {
      OR: [
        { priority: { in: [...lowerPriorities] } },
        { priority, lastMessageAt: { [older]: at } },
        { priority, lastMessageAt: at, id: { [older]: cursor.id } },
      ],
    };
  }
  const field = sort === "created" ? "createdAt" : "lastMessageAt";
  const at = new Date(cursor.key);
  if (Number.isNaN(at.getTime())) throw new InboxCursorError();
  return { OR: [{ [field]: { [older]: at } }, { [field]: at, id: { [older]: cursor.id } }] };
}

function orderBy(sort: InboxQuery["sort"], direction: "asc" | "desc"): Prisma.TicketOrderByWithRelationInput[] {
  if (sort === "priority") return [{ priority: direction }, { lastMessageAt: direction }, { id: direction }];
  return [{ [sort === "created" ? "createdAt" : "lastMessageAt"]: direction }, { id: direction }];
}

function cursorOf(
  sort: InboxQuery["sort"],
  row: { id: string; priority: keyof typeof PRIORITY_RANK; createdAt: Date; lastMessageAt: Date },
) {
  const key =
    sort === "priority"
      ? `${PRIORITY_RANK[row.priority]}|${row.lastMessageAt.toISOString()}`
      : (sort === "created" ? row.createdAt : row.lastMessageAt).toISOString();
  return encodeCursor({ key, id: row.id });
}

/**
 * One page of the workspace's tickets for `query`, as seen by `agentId` (for "mine"), with cursors
 * for the pages before and after it (null at either end).
 */
export async function listInbox(workspaceId: string, agentId: string | null, query: InboxQuery) {
  const direction = query.before ? "before" : "after";
  const rawCursor = query.before ?? query.after;
  const cursor = rawCursor ? decodeCursor(rawCursor) : null;
  if (rawCursor && !cursor) throw new InboxCursorError();

  const where: Prisma.TicketWhereInput = {
    AND: [
      { workspaceId },
      viewWhere(query.view, agentId),
      query.channel ? { channel: query.channel } : {},
      query.priority ? { priority: query.priority } : {},
      query.assignee ? { assigneeId: query.assignee === "none" ? null : query.assignee } : {},
      query.tag ? { tags: { has: query.tag } } : {},
      query.q ? searchWhere(query.q) : {},
      cursor ? cursorWhere(query.sort, cursor, direction) : {},
    ],
  };
  const rows = await db.ticket.findMany({
    where,
    // Pages before the cursor are read nearest first, then put back in list order.
    orderBy: orderBy(query.sort, direction === "before" ? "asc" : "desc"),
    take: INBOX_PAGE_SIZE + 1,
    select: {
      id: true,
      number: true,
      subject: true,
      channel: true,
      status: true,
      priority: true,
      tags: true,
      snoozedUntil: true,
      createdAt: true,
      lastMessageAt: true,
      messageCount: true,
      assignee: { select: { id: true, name: true } },
      customer: { select: { id: true, name: true, emails: true } },
    },
  });
  const more = rows.length > INBOX_PAGE_SIZE;
  const page = rows.slice(0, INBOX_PAGE_SIZE);
  if (direction === "before") page.reverse();
  const first = page[0];
  const last = page.at(-1);
  return {
    tickets: page,
    // Going forward there is a previous page when we came from one; going back, when more remain.
    previous: first && (direction === "before" ? more : Boolean(cursor)) ? cursorOf(query.sort, first) : null,
    next: last && (direction === "after" ? more : true) ? cursorOf(query.sort, last) : null,
  };
}

/**
 * How many tickets each view holds, for the view tabs: exact up to INBOX_COUNT_CAP, and
 * INBOX_COUNT_CAP + 1 for "more than that". Each view is counted on its own index and stops after
 * the cap, so a workspace of a million tickets costs what one of ten thousand does (decision 020);
 * one pass over the workspace with FILTERs read every ticket on every inbox load.
 */
export async function inboxCounts(workspaceId: string, agentId: string | null): Promise<Record<InboxView, number>> {
  const limit = INBOX_COUNT_CAP + 1;
  const capped = (where: Prisma.Sql) =>
    Prisma.sql`(SELECT count(*) FROM (SELECT 1 FROM "Ticket" WHERE "workspaceId" = ${workspaceId} ${where} LIMIT ${limit}) AS v)`;
  const [counts] = await db.$queryRaw<Record<InboxView, bigint>[]>`
    SELECT ${capped(Prisma.sql`AND status = 'open'`)} AS "open",
           ${capped(Prisma.sql`AND status = 'open' AND "assigneeId" IS NULL`)} AS "unassigned",
           ${capped(Prisma.sql`AND status = 'open' AND "assigneeId" = ${agentId}`)} AS "mine",
           ${capped(Prisma.sql`AND status = 'snoozed'`)} AS "snoozed",
           ${capped(Prisma.sql`AND status = 'closed'`)} AS "closed",
           ${capped(Prisma.empty)} AS "all"`;
  return Object.fromEntries(Object.entries(counts!).map(([view, count]) => [view, Number(count)])) as Record<
    InboxView,
    number
  >;
}

/** How many of the workspace's latest tickets the tag filter's choices are read from. */
export const INBOX_TAG_WINDOW = 5_000;

/**
 * The tags in use in the workspace (the tag filter's choices), most used first: the tags of its
 * INBOX_TAG_WINDOW most recently active tickets, read on the (workspaceId, lastMessageAt) index.
 * Unnesting every ticket's tags took 1.5 s at a million tickets (decision 020); a window keeps
 * the cost fixed and, unlike a cache, shows a tag the moment a ticket gets it. A tag only found
 * on older tickets is left out of the choices (a ?tag= link still filters by it).
 */
export async function inboxTags(workspaceId: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ tag: string }[]>`
    SELECT tag
      FROM (SELECT tags FROM "Ticket" WHERE "workspaceId" = ${workspaceId}
             ORDER BY "lastMessageAt" DESC, id DESC LIMIT ${INBOX_TAG_WINDOW}) AS recent,
           unnest(recent.tags) AS tag
     GROUP BY tag ORDER BY count(*) DESC, tag LIMIT 100`;
  return rows.map(({ tag }) => tag);
}
