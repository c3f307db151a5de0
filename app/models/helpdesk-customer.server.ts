import { z } from "zod";
import { db } from "~/db.server";
import { escapeLike, parseCustomerSearch, type CustomerSearchTerm } from "~/domain/customer-search";
import { findSamePerson, normalizeEmail, normalizePhone, withIdentity } from "~/domain/customer-identity";
import { SHOPPER_ORDER_STATUS_LABELS_EN, type ShopperOrderStatus } from "~/domain/order-status";
import { Prisma } from "~/generated/prisma/client";
import { noteSyncBlocker } from "~/domain/note-sync";

type Tx = Prisma.TransactionClient;

export interface PersonDetails {
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
}

const displayName = (person: PersonDetails) => [person.firstName, person.lastName].filter(Boolean).join(" ") || null;

/**
 * Serialises matching for one identity inside a workspace: two shops' webhooks for the same
 * person arriving at once must end with one helpdesk customer, not two.
 */
async function lockIdentity(tx: Tx, workspaceId: string, key: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${workspaceId + "|" + key}))`;
}

async function candidatesFor(tx: Tx, workspaceId: string, email: string | null, phone: string | null) {
  const conditions: Prisma.HelpdeskCustomerWhereInput[] = [];
  if (email) conditions.push({ emails: { has: email } });
  if (phone) conditions.push({ phones: { hasSome: [phone, phone.replace(/^\+/, "")] } });
  if (conditions.length === 0) return [];
  return tx.helpdeskCustomer.findMany({ where: { workspaceId, OR: conditions }, orderBy: { createdAt: "asc" } });
}

/**
 * The helpdesk customer a Shopify customer belongs to in this workspace — an existing person with
 * the same email (then phone), or a new one. Identities learnt from Shopify are added to the person.
 */
export async function resolveHelpdeskCustomer(tx: Tx, workspaceId: string, person: PersonDetails): Promise<string> {
  const email = normalizeEmail(person.email);
  const phone = normalizePhone(person.phone);
  if (email) await lockIdentity(tx, workspaceId, email);
  else if (phone) await lockIdentity(tx, workspaceId, phone);

  const match = findSamePerson(await candidatesFor(tx, workspaceId, email, phone), { email, phone });
  if (match) {
    await tx.helpdeskCustomer.update({
      where: { id: match.id },
      data: {
        emails: withIdentity(match.emails, email),
        phones: withIdentity(match.phones, phone),
        name: match.name ?? displayName(person),
      },
    });
    return match.id;
  }
  const created = await tx.helpdeskCustomer.create({
    data: { workspaceId, name: displayName(person), emails: email ? [email] : [], phones: phone ? [phone] : [] },
  });
  return created.id;
}

/** How many customers a page of the customer list holds unless the caller asks for fewer. */
export const CUSTOMER_PAGE_SIZE = 50;

/** What to search for and which page: `q` as typed; `after`/`before` are links a previous page gave. */
export interface CustomerSearch {
  q: string;
  after?: string;
  before?: string;
  /** Page size, 1–100 (a picker wants 10, the list 50). */
  take?: number;
}

/** A customer as the list (or a picker) shows them, with their Shopify figures across the workspace's shops. */
export interface CustomerListRow {
  id: string;
  name: string | null;
  /** The primary address (the first kept). */
  email: string | null;
  phone: string | null;
  /** Orders in every shop of the workspace, cancelled ones included. */
  orderCount: number;
  /** Spent per currency (cancelled orders left out), most orders first: one entry per currency the shops sell in. */
  totalSpent: { amount: string; currencyCode: string }[];
  lastOrderAt: Date | null;
  /** Tickets of theirs waiting for an answer (status open). */
  openTickets: number;
}

export interface CustomerSearchPage {
  customers: CustomerListRow[];
  /** Links to the pages before and after this one, null at either end. */
  previous: string | null;
  next: string | null;
}

/** A page link that is not one the list wrote (edited by hand, or from before a change). */
export class CustomerSearchCursorError extends Error {
  constructor() {
    super("This page link is not valid any more. Start again from the first page.");
  }
}

const CursorSchema = z.object({ at: z.iso.datetime(), id: z.string().uuid() });
type Cursor = z.infer<typeof CursorSchema>;

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url");

function decodeCursor(value: string): Cursor {
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: refused below like any other foreign value
  }
  throw new CustomerSearchCursorError();
}

function termCondition(term: CustomerSearchTerm): Prisma.Sql {
  // searchText is lower-cased and accent-free (a trigger keeps it): the term is made so too, in
  // the database, so both sides agree on what "without accents" means. The trigram index serves both.
  if (term.kind === "phone") return Prisma.sql`hc."searchText" LIKE ${`%${term.digits}%`}`;
  return Prisma.sql`hc."searchText" ILIKE '%' || lower(unaccent(${escapeLike(term.text)})) || '%'`;
}

// The driver returns an empty text[] of a raw query as null.
const textArray = z
  .array(z.string())
  .nullable()
  .transform((values) => values ?? []);

const RowsSchema = z.array(
  z.object({
    id: z.string(),
    name: z.string().nullable(),
    emails: textArray,
    phones: textArray,
    createdAt: z.date(),
    orderCount: z.number(),
    lastOrderAt: z.date().nullable(),
    totals: z.array(z.object({ amount: z.string(), currencyCode: z.string() })),
    openTickets: z.number(),
  }),
);

/**
 * One page of the workspace's customers matching `search.q` (every word, in any order; part of an
 * email; a phone in any format; accents ignored), newest first. Keyset pages on (createdAt, id),
 * which never change, so paging while a sync runs neither repeats nor skips anyone. Order figures
 * and open tickets come from the same query (no query per row).
 * Throws CustomerSearchCursorError for a page link the list did not write.
 */
export async function searchHelpdeskCustomers(
  workspaceId: string,
  search: CustomerSearch,
): Promise<CustomerSearchPage> {
  const take = Math.min(Math.max(Math.trunc(search.take ?? CUSTOMER_PAGE_SIZE), 1), 100);
  const direction = search.before ? "before" : "after";
  const rawCursor = search.before ?? search.after;
  const cursor = rawCursor ? decodeCursor(rawCursor) : null;
  const conditions = parseCustomerSearch(search.q).map(termCondition);
  if (cursor) {
    // Prisma keeps times as UTC in "timestamp without time zone".
    const at = Prisma.sql`(${cursor.at}::timestamptz AT TIME ZONE 'UTC')`;
    conditions.push(
      direction === "after"
        ? Prisma.sql`(hc."createdAt", hc.id) < (${at}, ${cursor.id})`
        : Prisma.sql`(hc."createdAt", hc.id) > (${at}, ${cursor.id})`,
    );
  }
  const where = conditions.length ? Prisma.sql`AND ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
  // Pages before the cursor are read nearest first, then put back in list order.
  const order = direction === "before" ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const rows = RowsSchema.parse(
    await db.$queryRaw`
      WITH page AS (
        SELECT hc.id, hc.name, hc.emails, hc.phones, hc."createdAt"
          FROM "HelpdeskCustomer" hc
         WHERE hc."workspaceId" = ${workspaceId} ${where}
         ORDER BY hc."createdAt" ${order}, hc.id ${order}
         LIMIT ${take + 1}
      )
      SELECT page.*,
             coalesce(orders.count, 0)::int AS "orderCount",
             orders.last AS "lastOrderAt",
             coalesce(orders.totals, '[]'::json) AS "totals",
             coalesce(tickets.open, 0)::int AS "openTickets"
        FROM page
        LEFT JOIN LATERAL (
          SELECT sum(per.count)::int AS count, max(per.last) AS last,
                 json_agg(json_build_object('amount', per.amount::text, 'currencyCode', per.currency)
                          ORDER BY per.count DESC, per.currency) FILTER (WHERE per.amount IS NOT NULL) AS totals
            FROM (
              SELECT o."currencyCode" AS currency, count(*) AS count, max(o."shopifyCreatedAt") AS last,
                     sum(CASE WHEN o."totalAmount" ~ '^-?[0-9]+(\.[0-9]+)?$' THEN o."totalAmount"::numeric END)
                       FILTER (WHERE o."cancelledAt" IS NULL) AS amount
                FROM "ShopifyCustomer" sc
                -- Only this workspace's shops: a stale link never counts another merchant's orders.
                JOIN "Shop" s ON s.id = sc."shopId" AND s."workspaceId" = ${workspaceId}
                JOIN "ShopifyOrder" o
                  ON o."shopId" = sc."shopId" AND o."shopifyCustomerId" = sc."shopifyId" AND o."deletedAt" IS NULL
               WHERE sc."helpdeskCustomerId" = page.id AND sc."deletedAt" IS NULL
               GROUP BY o."currencyCode"
            ) per
        ) orders ON true
        LEFT JOIN LATERAL (
          SELECT count(*) AS open FROM "Ticket" t
           WHERE t."workspaceId" = ${workspaceId} AND t."customerId" = page.id AND t.status = 'open'
        ) tickets ON true
       ORDER BY page."createdAt" ${order}, page.id ${order}`,
  );
  const more = rows.length > take;
  const pageRows = rows.slice(0, take);
  if (direction === "before") pageRows.reverse();
  const cursorOf = (row: { createdAt: Date; id: string }) =>
    encodeCursor({ at: row.createdAt.toISOString(), id: row.id });
  const first = pageRows[0];
  const last = pageRows.at(-1);
  return {
    customers: pageRows.map((row) => ({
      id: row.id,
      name: row.name,
      email: row.emails[0] ?? null,
      phone: row.phones[0] ?? null,
      orderCount: row.orderCount,
      totalSpent: row.totals,
      lastOrderAt: row.lastOrderAt,
      openTickets: row.openTickets,
    })),
    // Going forward there is a previous page when we came from one; going back, when more remain.
    previous: first && (direction === "before" ? more : Boolean(cursor)) ? cursorOf(first) : null,
    next: last && (direction === "after" ? more : true) ? cursorOf(last) : null,
  };
}

/** Everything the customer page shows, within the workspace (another workspace's id → null). */
export async function getCustomerProfile(workspaceId: string, helpdeskCustomerId: string) {
  const person = await db.helpdeskCustomer.findFirst({
    where: { id: helpdeskCustomerId, workspaceId },
    include: {
      shopifyCustomers: {
        // Only links through this workspace's own shops: a stale link can never show (or write
        // to) another merchant's store.
        where: { deletedAt: null, shop: { workspaceId } },
        orderBy: { shopifyCreatedAt: "asc" },
        include: { shop: { select: { id: true, domain: true, name: true, notesSyncEnabled: true } } },
      },
    },
  });
  if (!person) return null;
  const orders = await db.shopifyOrder.findMany({
    where: {
      deletedAt: null,
      OR: person.shopifyCustomers.map((customer) => ({
        shopId: customer.shopId,
        shopifyCustomerId: customer.shopifyId,
      })),
    },
    orderBy: { shopifyCreatedAt: "desc" },
    select: {
      id: true,
      shopId: true,
      shopifyId: true,
      shopifyCustomerId: true,
      name: true,
      shopifyCreatedAt: true,
      shopperStatus: true,
      totalAmount: true,
      currencyCode: true,
    },
  });
  const blocker = noteSyncBlocker(person.shopifyCustomers);
  return {
    id: person.id,
    name: person.name,
    emails: person.emails,
    phones: person.phones,
    note: person.note,
    noteVersion: person.noteVersion,
    noteSync: { syncing: blocker === null, reason: blocker },
    shopifyCustomers: person.shopifyCustomers.map((customer) => ({
      id: customer.id,
      shopifyId: customer.shopifyId,
      shop: { domain: customer.shop.domain, name: customer.shop.name },
      email: customer.email,
      phone: customer.phone,
      firstName: customer.firstName,
      lastName: customer.lastName,
      addresses: customer.addresses,
      orders: orders
        .filter((order) => order.shopId === customer.shopId && order.shopifyCustomerId === customer.shopifyId)
        .map((order) => ({
          ...order,
          shopperStatusLabel:
            SHOPPER_ORDER_STATUS_LABELS_EN[order.shopperStatus as ShopperOrderStatus] ?? order.shopperStatus,
        })),
    })),
  };
}
