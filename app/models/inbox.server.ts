import { z } from "zod";
import { db } from "~/db.server";
import { workspaceTicketCount } from "~/models/inbox-tally.server";
import { orderNameSearch, type InboxQuery } from "~/domain/inbox-query";
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

/** A row of the inbox list. */
type InboxRow = Prisma.TicketGetPayload<{
  select: {
    id: true;
    number: true;
    subject: true;
    channel: true;
    status: true;
    priority: true;
    tags: true;
    snoozedUntil: true;
    createdAt: true;
    lastMessageAt: true;
    messageCount: true;
    assignee: { select: { id: true; name: true } };
    customer: { select: { id: true; name: true; emails: true } };
  };
}>;

// Search, in SQL (decision 020). As one Prisma query (an OR of subject, customer, order and
// message relation filters) PostgreSQL sorted every ticket of the workspace and hashed every
// matching message: seconds at a million tickets. Here it runs in two steps with the same results:
//   1. the view's next SEARCH_WINDOW tickets in list order, each checked on its own (subject,
//      customer, order, and its messages through the ticket's lower-cased text kept by triggers:
//      Ticket.searchText, a long thread's rest in TicketSearchText);
//      when they hold a page, or are all the view has left, that is the answer: common words
//      (a fifth of the window is probed first, and a term too rare to fill a page skips to 2);
//   2. otherwise every hit through its own index (subject and message trigrams, the customer's
//      trigram-indexed searchText and emails, the order name), joined back to the view: rare words.

/** How many tickets step 1 checks one by one before searching through the indexes. */
const SEARCH_WINDOW = 500;

/** How far step 1's window may grow for a term that is in few tickets of a large workspace. */
const MAX_WINDOW_FACTOR = 20;

/** `term` as a LIKE / ILIKE pattern that matches it anywhere, its % _ and \ taken literally. */
const containsPattern = (term: string) => `%${term.replace(/[\\%_]/g, "\\$&")}%`;

/** The view, filters and cursor as SQL on the ticket alias `t`. */
function searchFilterSql(
  workspaceId: string,
  agentId: string | null,
  query: InboxQuery,
  cursor: InboxCursor | null,
  direction: "after" | "before",
): Prisma.Sql {
  const where: Prisma.Sql[] = [Prisma.sql`t."workspaceId" = ${workspaceId}`];
  switch (query.view) {
    case "open":
      where.push(Prisma.sql`t.status = 'open'`);
      break;
    case "unassigned":
      where.push(Prisma.sql`t.status = 'open' AND t."assigneeId" IS NULL`);
      break;
    case "mine":
      // Without a known agent, "mine" is nobody's: an id that matches no ticket.
      where.push(
        Prisma.sql`t.status = 'open' AND t."assigneeId" = ${agentId ?? "00000000-0000-0000-0000-000000000000"}`,
      );
      break;
    case "snoozed":
      where.push(Prisma.sql`t.status = 'snoozed'`);
      break;
    case "closed":
      where.push(Prisma.sql`t.status = 'closed'`);
      break;
    case "all":
      break;
  }
  if (query.channel) where.push(Prisma.sql`t.channel = ${query.channel}::"TicketChannel"`);
  if (query.priority) where.push(Prisma.sql`t.priority = ${query.priority}::"TicketPriority"`);
  if (query.assignee === "none") where.push(Prisma.sql`t."assigneeId" IS NULL`);
  else if (query.assignee) where.push(Prisma.sql`t."assigneeId" = ${query.assignee}`);
  if (query.tag) where.push(Prisma.sql`t.tags @> ARRAY[${query.tag}]::text[]`);
  if (cursor) {
    // Row comparison: rows after (or before) the cursor in list order (newest first, id breaking ties).
    const older = direction === "after" ? Prisma.sql`<` : Prisma.sql`>`;
    if (query.sort === "priority") {
      const [rankText, iso] = cursor.key.split("|");
      const priority = PRIORITY_BY_RANK[Number(rankText)];
      if (!priority || Number.isNaN(new Date(iso ?? "").getTime())) throw new InboxCursorError();
      where.push(
        Prisma.sql`(t.priority, t."lastMessageAt", t.id) ${older} (${priority}::"TicketPriority", ${new Date(iso!).toISOString()}::timestamp(3), ${cursor.id})`,
      );
    } else {
      const at = new Date(cursor.key);
      if (Number.isNaN(at.getTime())) throw new InboxCursorError();
      const column = query.sort === "created" ? Prisma.sql`t."createdAt"` : Prisma.sql`t."lastMessageAt"`;
      where.push(Prisma.sql`(${column}, t.id) ${older} (${at.toISOString()}::timestamp(3), ${cursor.id})`);
    }
  }
  return Prisma.join(where, " AND ");
}

/** The list's ORDER BY on the ticket alias `t` (ascending when reading a page before the cursor). */
function searchOrderSql(sort: InboxQuery["sort"], direction: "after" | "before"): Prisma.Sql {
  const dir = direction === "before" ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  if (sort === "priority") return Prisma.sql`t.priority ${dir}, t."lastMessageAt" ${dir}, t.id ${dir}`;
  if (sort === "created") return Prisma.sql`t."createdAt" ${dir}, t.id ${dir}`;
  return Prisma.sql`t."lastMessageAt" ${dir}, t.id ${dir}`;
}

/** The page (plus one row, to tell whether more follow) of the view's tickets that match `q`. */
async function searchInbox(
  workspaceId: string,
  agentId: string | null,
  query: InboxQuery,
  q: string,
  cursor: InboxCursor | null,
  direction: "after" | "before",
  searchWindow = SEARCH_WINDOW,
) {
  const filter = searchFilterSql(workspaceId, agentId, query, cursor, direction);
  const order = searchOrderSql(query.sort, direction);
  const pattern = containsPattern(q);
  const email = q.toLowerCase();
  const orderName = orderNameSearch(q);
  const take = INBOX_PAGE_SIZE + 1;

  // The customers first, each index on its own: OR-ed in one WHERE, or joined to the tickets in
  // the same plan, they gave way to a scan of every customer (50 ms at 100k customers); the steps
  // below then test a ticket's customer against this (usually empty) set, not row by row.
  // searchText is lower(unaccent(…)), kept by a trigger; the term gets the same treatment in its
  // own query: unaccent() is not immutable, and inline it keeps the index out.
  const [folded] = await db.$queryRaw<{ term: string }[]>`SELECT lower(unaccent(${q})) AS term`;
  const customers = Prisma.sql`customers AS MATERIALIZED (
        SELECT id FROM "HelpdeskCustomer"
         WHERE "workspaceId" = ${workspaceId} AND "searchText" LIKE ${containsPattern(folded!.term)}
           AND name ILIKE ${pattern}
        UNION
        SELECT id FROM "HelpdeskCustomer" WHERE "workspaceId" = ${workspaceId} AND emails @> ARRAY[${email}]::text[])`;

  // Steps 1 and the probe: the view's next `window` tickets in list order (nested loops keep it),
  // each checked on its own. Its messages through the ticket's text, kept by triggers: lower-cased,
  // so LIKE lower(pattern) is ILIKE pattern without lower-casing every message on every search; its
  // first 16 KB on the ticket's own row, a long thread's further chunks through a LATERAL probe read
  // only for such a thread (TicketSearchText).
  const windowSql = (window: number) => Prisma.sql`
        FROM (SELECT * FROM "Ticket" t WHERE ${filter} ORDER BY ${order} LIMIT ${window}) AS t
             LEFT JOIN LATERAL (
               SELECT 1 AS hit FROM "TicketSearchText" x
                WHERE t."searchTextChunks" > 0 AND x."ticketId" = t.id AND x.body LIKE lower(${pattern})
                LIMIT 1) AS m ON true`;
  const matches = Prisma.sql`(t.subject ILIKE ${pattern}
          OR t."customerId" IN (SELECT id FROM customers)
          ${
            orderName
              ? Prisma.sql`OR EXISTS (SELECT 1 FROM "TicketOrder" o JOIN "ShopifyOrder" s ON s.id = o."orderId"
                                       WHERE o."ticketId" = t.id AND s.name = ${orderName})`
              : Prisma.empty
          }
          OR t."searchText" LIKE lower(${pattern})
          OR m.hit IS NOT NULL)`;

  // Step 1: a window, stopping at a page of hits; the window's size, counted on the index
  // alongside, tells whether it was all the view had left.
  const firstStep = async (window: number) => {
    const [hits, [size]] = await Promise.all([
      db.$queryRaw<{ id: string }[]>`
      WITH ${customers}
      SELECT t.id ${windowSql(window)} WHERE ${matches} ORDER BY ${order} LIMIT ${take}`,
      db.$queryRaw<{ rows: number }[]>`
      SELECT count(*)::int AS rows FROM (SELECT 1 FROM "Ticket" t WHERE ${filter} LIMIT ${window}) AS w`,
    ]);
    // Exact when it found a page, or when the window held all the view has left.
    return { ids: hits.map(({ id }) => id), answered: hits.length >= take || size!.rows < window };
  };

  // How common the term is decides the step: a probe of the first fifth of the window. When it holds
  // a page, or all the view has, that is the answer. A term that would fill a page within the window
  // (a common word) goes to step 1; one the probe did not meet (part of an email, a name) to step 2,
  // whose index reads are then small; in between, whichever reads fewer tickets. An order number of
  // 4 digits or more is in few tickets: step 2 straight away. Every step is exact; the probe and
  // step 1 only save time.
  const rare = orderName !== null && orderName.length >= 5;
  const probeWindow = Math.max(1, Math.floor(searchWindow / 5));
  let first: { ids: string[]; answered: boolean } | null = null;
  if (!rare) {
    const probeRows = await db.$queryRaw<{ id: string; hit: boolean }[]>`
      WITH ${customers}
      SELECT t.id, ${matches} AS hit ${windowSql(probeWindow)} ORDER BY ${order}`;
    const hits = probeRows.filter((row) => row.hit).map((row) => row.id);
    const rate = hits.length / probeWindow;
    if (hits.length >= take || probeRows.length < probeWindow) first = { ids: hits, answered: true };
    else if (rate * searchWindow >= take) first = await firstStep(searchWindow);
    else if (rate > 0) {
      // A term in roughly 0.5–10% of tickets: step 1 reads about take ÷ rate tickets for a page,
      // step 2 about rate × the workspace's tickets (every match, through the trigram index), at
      // a similar cost per ticket (decision 020: measured again with the ticket's text on its row,
      // a heavier step 2 lost at 100k tickets). The cheaper one goes, step 1 with room for chance.
      const forAPage = take / rate;
      if (forAPage < rate * (await workspaceTicketCount(workspaceId))) {
        first = await firstStep(Math.min(Math.ceil(forAPage * 1.5), searchWindow * MAX_WINDOW_FACTOR));
      }
    }
  }
  let ids = first?.ids ?? [];
  if (!first?.answered) {
    // Step 2: every hit through its own index (subject and message trigrams, the customers above,
    // the order name), joined back to the view.
    const hits = await db.$queryRaw<{ id: string }[]>`
      WITH ${customers}, hits AS (
        SELECT id FROM "Ticket" WHERE "workspaceId" = ${workspaceId} AND subject ILIKE ${pattern}
        UNION
        SELECT tc.id FROM customers c JOIN "Ticket" tc ON tc."customerId" = c.id AND tc."workspaceId" = ${workspaceId}
        ${
          orderName
            ? Prisma.sql`UNION
        SELECT o."ticketId" FROM "ShopifyOrder" s JOIN "TicketOrder" o ON o."orderId" = s.id WHERE s.name = ${orderName}`
            : Prisma.empty
        }
        UNION
        SELECT e."ticketId" FROM "TicketEntry" e
         WHERE e."workspaceId" = ${workspaceId} AND e.kind <> 'system_event' AND e.body ILIKE ${pattern}
      )
      SELECT t.id FROM "Ticket" t WHERE t.id IN (SELECT id FROM hits) AND ${filter} ORDER BY ${order} LIMIT ${take}`;
    ids = hits.map(({ id }) => id);
  }
  return inboxRowsByIds(workspaceId, ids.slice(0, take));
}

/** The list's rows of these tickets of the workspace, in the order given. */
async function inboxRowsByIds(workspaceId: string, ids: string[]): Promise<InboxRow[]> {
  if (ids.length === 0) return [];
  const rows = await readInboxRows(
    Prisma.sql`t."workspaceId" = ${workspaceId} AND t.id = ANY(${ids}::text[])`,
    Prisma.sql`t.id`,
    ids.length,
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * The list's rows of the tickets `t` matching `where`, in `order`: one
 * statement, where Prisma's select sends three one after another (tickets, assignees, customers).
 */
async function readInboxRows(where: Prisma.Sql, order: Prisma.Sql, limit: number): Promise<InboxRow[]> {
  const rows = await db.$queryRaw<
    (Omit<InboxRow, "assignee" | "customer"> & {
      assigneeName: string | null;
      assigneeId: string | null;
      customerId: string | null;
      customerName: string | null;
      customerEmails: string[] | null;
    })[]
  >`
    SELECT t.id, t.number, t.subject, t.channel::text AS channel, t.status::text AS status,
           t.priority::text AS priority, t.tags, t."snoozedUntil", t."createdAt", t."lastMessageAt",
           t."messageCount", a.id AS "assigneeId", a.name AS "assigneeName",
           c.id AS "customerId", c.name AS "customerName", c.emails AS "customerEmails"
      FROM "Ticket" t
           LEFT JOIN "Agent" a ON a.id = t."assigneeId"
           LEFT JOIN "HelpdeskCustomer" c ON c.id = t."customerId"
     WHERE ${where}
     ORDER BY ${order}
     LIMIT ${limit}`;
  return rows.map(({ assigneeId, assigneeName, customerId, customerName, customerEmails, ...ticket }) => ({
    ...ticket,
    tags: ticket.tags ?? [],
    assignee: assigneeId ? { id: assigneeId, name: assigneeName! } : null,
    customer: customerId ? { id: customerId, name: customerName, emails: customerEmails ?? [] } : null,
  }));
}

/**
 * One page of the workspace's tickets for `query`, as seen by `agentId` (for "mine"), with cursors
 * for the pages before and after it (null at either end).
 */
export async function listInbox(
  workspaceId: string,
  agentId: string | null,
  query: InboxQuery,
  /** Tests pass a small search window to take search's second step on a few tickets. */
  options: { searchWindow?: number } = {},
) {
  const direction = query.before ? "before" : "after";
  const rawCursor = query.before ?? query.after;
  const cursor = rawCursor ? decodeCursor(rawCursor) : null;
  if (rawCursor && !cursor) throw new InboxCursorError();

  // Pages before the cursor are read nearest first, then put back in list order.
  const rows = query.q
    ? await searchInbox(workspaceId, agentId, query, query.q, cursor, direction, options.searchWindow)
    : await readInboxRows(
        searchFilterSql(workspaceId, agentId, query, cursor, direction),
        searchOrderSql(query.sort, direction),
        INBOX_PAGE_SIZE + 1,
      );
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
