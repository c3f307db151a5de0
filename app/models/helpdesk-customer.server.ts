import { db } from "~/db.server";
import { findSamePerson, normalizeEmail, normalizePhone, withIdentity } from "~/domain/customer-identity";
import { SHOPPER_ORDER_STATUS_LABELS_EN, type ShopperOrderStatus } from "~/domain/order-status";
import type { Prisma } from "~/generated/prisma/client";
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

export function searchHelpdeskCustomers(workspaceId: string, query: string, take = 50) {
  const term = query.trim();
  return db.helpdeskCustomer.findMany({
    where: {
      workspaceId,
      ...(term
        ? {
            OR: [
              { name: { contains: term, mode: "insensitive" } },
              { emails: { has: term.toLowerCase() } },
              { phones: { has: normalizePhone(term) ?? term } },
            ],
          }
        : {}),
    },
    orderBy: { updatedAt: "desc" },
    take,
    include: { _count: { select: { shopifyCustomers: { where: { deletedAt: null } } } } },
  });
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
