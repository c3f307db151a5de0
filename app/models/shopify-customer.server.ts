import { db } from "~/db.server";
import { isNewerThanStored } from "~/domain/freshness";
import { mergeCustomerSnapshots } from "~/domain/shopify/merges";
import type { ShopifyCustomerSnapshot } from "~/domain/shopify/snapshots";
import { Prisma } from "~/generated/prisma/client";
import { sameJson } from "~/lib/canonical-json";
import { resolveHelpdeskCustomer } from "./helpdesk-customer.server";

type Tx = Prisma.TransactionClient;

export interface CustomerShop {
  id: string;
  workspaceId: string;
  notesSyncEnabled: boolean;
}

export type CustomerWriteOutcome = "created" | "updated" | "unchanged" | "stale";

function columnsFor(customer: ShopifyCustomerSnapshot) {
  return {
    email: customer.email,
    phone: customer.phoneE164 ?? customer.phone,
    firstName: customer.firstName,
    lastName: customer.lastName,
    note: customer.note,
    tags: customer.tags ?? [],
    state: customer.state,
    locale: customer.locale,
    numberOfOrders: customer.numberOfOrders,
    amountSpent: customer.amountSpent?.amount ?? null,
    currencyCode: customer.amountSpent?.currencyCode ?? null,
    addresses: customer.addresses as unknown as Prisma.InputJsonValue,
    shopifyCreatedAt: new Date(customer.createdAt),
    shopifyUpdatedAt: new Date(customer.updatedAt),
  };
}

/** What we hold, as a snapshot, so a newer partial version (REST lacks tags) can be merged onto it. */
function storedSnapshot(row: {
  shopifyId: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  note: string | null;
  tags: string[];
  state: string | null;
  locale: string | null;
  numberOfOrders: number | null;
  amountSpent: string | null;
  currencyCode: string | null;
  addresses: unknown;
  shopifyCreatedAt: Date | null;
  shopifyUpdatedAt: Date;
}): ShopifyCustomerSnapshot {
  const addresses = (row.addresses ?? []) as ShopifyCustomerSnapshot["addresses"];
  return {
    id: row.shopifyId,
    firstName: row.firstName,
    lastName: row.lastName,
    displayName: [row.firstName, row.lastName].filter(Boolean).join(" "),
    email: row.email,
    phone: row.phone,
    phoneE164: row.phone?.startsWith("+") ? row.phone : null,
    note: row.note,
    tags: row.tags,
    state: row.state as ShopifyCustomerSnapshot["state"],
    locale: row.locale,
    createdAt: (row.shopifyCreatedAt ?? row.shopifyUpdatedAt).toISOString(),
    updatedAt: row.shopifyUpdatedAt.toISOString(),
    defaultAddress: addresses[0] ?? null,
    addresses,
    numberOfOrders: row.numberOfOrders,
    amountSpent:
      row.amountSpent && row.currencyCode ? { amount: row.amountSpent, currencyCode: row.currencyCode } : null,
  };
}

/**
 * Applies a customer version from Shopify (webhook, backfill, reconcile): newer versions only;
 * links the customer to the helpdesk customer with the same email (then phone) in the workspace;
 * and brings a note edited in Shopify into the helpdesk — unless it is the echo of our own write.
 */
export async function saveCustomerVersion(shop: CustomerShop, incoming: ShopifyCustomerSnapshot, tx?: Tx) {
  const run = async (client: Tx): Promise<CustomerWriteOutcome> => {
    await client.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${shop.id + "|" + incoming.id}))`;
    const existing = await client.shopifyCustomer.findUnique({
      where: { shopId_shopifyId: { shopId: shop.id, shopifyId: incoming.id } },
    });
    // Strictly older versions lose. An equal one is a replay, or the same version from the other
    // API (GraphQL carries tags REST lacks): merging it is idempotent.
    const incomingAt = new Date(incoming.updatedAt);
    if (existing && isNewerThanStored(incomingAt, existing.shopifyUpdatedAt)) return "stale";
    const merged = mergeCustomerSnapshots(existing ? storedSnapshot(existing) : null, incoming);
    const helpdeskCustomerId =
      existing?.helpdeskCustomerId ??
      (await resolveHelpdeskCustomer(client, shop.workspaceId, {
        email: merged.email,
        phone: merged.phoneE164 ?? merged.phone,
        firstName: merged.firstName,
        lastName: merged.lastName,
      }));

    const columns = columnsFor(merged);
    if (existing && !existing.deletedAt && sameColumns(existing, columns)) return "unchanged";
    if (existing) {
      await client.shopifyCustomer.update({
        where: { id: existing.id },
        data: { ...columnsFor(merged), helpdeskCustomerId, deletedAt: null },
      });
    } else {
      await client.shopifyCustomer.create({
        data: { shopId: shop.id, shopifyId: incoming.id, ...columnsFor(merged), helpdeskCustomerId },
      });
    }

    const noteChangedInShopify =
      (existing?.note ?? null) !== merged.note && !(existing && existing.noteWrittenByUs === merged.note);
    if (shop.notesSyncEnabled && (noteChangedInShopify || !existing)) {
      await adoptShopifyNote(client, helpdeskCustomerId, merged.note, !existing);
    }
    return existing ? "updated" : "created";
  };
  return tx ? run(tx) : db.$transaction(run);
}

function sameColumns(existing: Record<string, unknown>, columns: ReturnType<typeof columnsFor>) {
  return Object.entries(columns).every(([key, value]) => {
    const stored = existing[key];
    if (value instanceof Date) return stored instanceof Date && stored.getTime() === value.getTime();
    return sameJson(stored, value);
  });
}

/**
 * The helpdesk note follows the Shopify note when exactly one Shopify customer is linked (with two
 * or more, whose note would it be?). A first import only fills an empty helpdesk note.
 */
async function adoptShopifyNote(tx: Tx, helpdeskCustomerId: string, note: string | null, firstImport: boolean) {
  const links = await tx.shopifyCustomer.count({ where: { helpdeskCustomerId, deletedAt: null } });
  if (links !== 1) return;
  const person = await tx.helpdeskCustomer.findUniqueOrThrow({ where: { id: helpdeskCustomerId } });
  if (person.note === note || (firstImport && person.note)) return;
  await tx.helpdeskCustomer.update({
    where: { id: helpdeskCustomerId },
    data: { note, noteVersion: { increment: 1 } },
  });
}

/** customers/delete: the Shopify customer is gone; unlink it and keep no personal data about it. */
export async function markCustomerDeleted(shopId: string, shopifyId: string) {
  await db.shopifyCustomer.updateMany({
    where: { shopId, shopifyId },
    data: {
      deletedAt: new Date(),
      helpdeskCustomerId: null,
      email: null,
      phone: null,
      firstName: null,
      lastName: null,
      note: null,
      addresses: [],
      noteWrittenByUs: null,
    },
  });
}
