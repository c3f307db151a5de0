import { db } from "~/db.server";
import type { ApiCustomerRow, CustomerCreate, CustomerListQuery, CustomerUpdate } from "~/domain/api-customers";
import { Prisma } from "~/generated/prisma/client";
import { resolveHelpdeskCustomer } from "./helpdesk-customer.server";

// Helpdesk customers as the REST API reads and writes them: always by the workspace first.

const CUSTOMER_SELECT = {
  id: true,
  name: true,
  emails: true,
  phones: true,
  note: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** Each customer's stored integration answers, keyed by integration id (as the anchor shows them). */
export async function integrationDataFor(workspaceId: string, customerIds: string[]) {
  const byCustomer = new Map<string, Record<string, unknown>>();
  if (customerIds.length === 0) return byCustomer;
  const rows = await db.integrationResponse.findMany({
    where: { workspaceId, customerId: { in: customerIds } },
    orderBy: { integrationId: "asc" },
    select: { customerId: true, integrationId: true, body: true },
  });
  for (const row of rows) {
    const data = byCustomer.get(row.customerId) ?? {};
    data[String(row.integrationId)] = row.body;
    byCustomer.set(row.customerId, data);
  }
  return byCustomer;
}

export function getApiCustomer(workspaceId: string, id: string): Promise<ApiCustomerRow | null> {
  return db.helpdeskCustomer.findFirst({ where: { id, workspaceId }, select: CUSTOMER_SELECT });
}

export function findApiCustomerByEmail(workspaceId: string, email: string): Promise<ApiCustomerRow | null> {
  return db.helpdeskCustomer.findFirst({
    where: { workspaceId, emails: { has: email } },
    orderBy: { createdAt: "asc" },
    select: CUSTOMER_SELECT,
  });
}

/** A page of the workspace's customers by creation time (then id), and where the next page starts. */
export async function listApiCustomers(workspaceId: string, query: CustomerListQuery) {
  const descending = query.order_by === "created_datetime:desc";
  const after = query.cursor;
  const rows = await db.helpdeskCustomer.findMany({
    where: {
      workspaceId,
      ...(query.email ? { emails: { has: query.email } } : {}),
      ...(after
        ? descending
          ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] }
          : { OR: [{ createdAt: { gt: after.at } }, { createdAt: after.at, id: { gt: after.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: descending ? "desc" : "asc" }, { id: descending ? "desc" : "asc" }],
    take: query.limit + 1,
    select: CUSTOMER_SELECT,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { items: page, next: rows.length > query.limit && last ? { at: last.createdAt, id: last.id } : null };
}

/** An email another of the workspace's customers already has. */
export class CustomerEmailTaken extends Error {
  constructor(readonly customerId: string) {
    super("Another customer has this email.");
  }
}

/**
 * Adds a customer. An email one of the workspace's customers has is refused (CustomerEmailTaken,
 * naming them): the caller asked for a new person, and answering the existing one as if made
 * would hide that. Matching runs under the same identity lock as Shopify's and email's intake.
 */
export async function createApiCustomer(workspaceId: string, input: CustomerCreate) {
  const id = await db.$transaction(async (tx) => {
    const existing = await tx.helpdeskCustomer.findFirst({
      where: { workspaceId, emails: { has: input.email } },
      select: { id: true },
    });
    if (existing) throw new CustomerEmailTaken(existing.id);
    const words = (input.name ?? "").split(" ");
    return resolveHelpdeskCustomer(tx, workspaceId, {
      email: input.email,
      phone: null,
      firstName: words[0] || null,
      lastName: words.slice(1).join(" ") || null,
    });
  });
  return (await getApiCustomer(workspaceId, id))!;
}

/**
 * Changes a customer's name and primary email (moved first; the other addresses stay). Null when
 * the customer is not the workspace's; CustomerEmailTaken when another customer has the email.
 */
export async function updateApiCustomer(workspaceId: string, id: string, input: CustomerUpdate) {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "HelpdeskCustomer" WHERE id = ${id} AND "workspaceId" = ${workspaceId} FOR UPDATE`;
    if (rows.length === 0) return null;
    const current = await tx.helpdeskCustomer.findUniqueOrThrow({ where: { id } });
    const data: Prisma.HelpdeskCustomerUpdateInput = {};
    if (input.name !== undefined) data.name = input.name;
    if (input.email !== undefined && current.emails[0] !== input.email) {
      const other = await tx.helpdeskCustomer.findFirst({
        where: { workspaceId, emails: { has: input.email }, id: { not: id } },
        select: { id: true },
      });
      if (other) throw new CustomerEmailTaken(other.id);
      data.emails = [input.email, ...current.emails.filter((address) => address !== input.email)];
    }
    if (Object.keys(data).length > 0) await tx.helpdeskCustomer.update({ where: { id }, data });
    return tx.helpdeskCustomer.findUniqueOrThrow({ where: { id }, select: CUSTOMER_SELECT });
  });
}
