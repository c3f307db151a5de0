import { db } from "~/db.server";
import { isNewerThanStored } from "~/domain/freshness";
import { mergeCustomerSnapshots } from "~/domain/shopify/merges";
import type { ShopifyCustomerSnapshot } from "~/domain/shopify/snapshots";
import { Prisma } from "~/generated/prisma/client";
import { sameJson } from "~/lib/canonical-json";
import { resolveHelpdeskCustomer } from "./helpdesk-customer.server";
import { lockShopWorkspaceShared } from "./workspace-lock.server";

type Tx = Prisma.TransactionClient;

export interface CustomerShop {
  id: string;
  workspaceId: string;
  notesSyncEnabled: boolean;
}

/** "deleted": the customer was deleted or erased; no version of it is stored again. */
export type CustomerWriteOutcome = "created" | "updated" | "unchanged" | "stale" | "deleted";

/** What a tombstone keeps of a Shopify customer: its id and shop, nothing about the person. */
const NO_PERSONAL_DATA = {
  email: null,
  phone: null,
  firstName: null,
  lastName: null,
  note: null,
  tags: [],
  state: null,
  locale: null,
  numberOfOrders: null,
  amountSpent: null,
  currencyCode: null,
  addresses: [],
  noteWrittenByUs: null,
  noteWrittenUpdatedAt: null,
} satisfies Prisma.ShopifyCustomerUpdateInput;

/** Serialises every write to one Shopify customer (versions, deletion, erasure). */
async function lockCustomer(tx: Tx, shopId: string, shopifyId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${shopId + "|" + shopifyId}))`;
}

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
    await lockCustomer(client, shop.id, incoming.id);
    // Before reading the link: the shop may have moved workspace since `shop` was read (an import runs for minutes).
    const workspaceId = await lockShopWorkspaceShared(client, shop.id, shop.workspaceId);
    const existing = await client.shopifyCustomer.findUnique({
      where: { shopId_shopifyId: { shopId: shop.id, shopifyId: incoming.id } },
    });
    // Deleted or erased: final, whatever the version says. Shopify never reuses a customer id, so
    // anything still arriving for it is a delivery or a read from before the deletion.
    if (existing?.deletedAt) return "deleted";
    // Strictly older versions lose. An equal one is a replay, or the same version from the other
    // API (GraphQL carries tags REST lacks): merging it is idempotent.
    const incomingAt = new Date(incoming.updatedAt);
    if (existing && isNewerThanStored(incomingAt, existing.shopifyUpdatedAt)) return "stale";
    const merged = mergeCustomerSnapshots(existing ? storedSnapshot(existing) : null, incoming);
    const helpdeskCustomerId =
      existing?.helpdeskCustomerId ??
      (await resolveHelpdeskCustomer(client, workspaceId, {
        email: merged.email,
        phone: merged.phoneE164 ?? merged.phone,
        firstName: merged.firstName,
        lastName: merged.lastName,
      }));

    const columns = columnsFor(merged);
    if (existing && sameColumns(existing, columns)) return "unchanged";
    // Our own customerUpdate comes back as this exact version (the updatedAt Shopify answered it
    // with, and our text). Anything else — even our text in a newer version — is the merchant's.
    const echoOfOurWrite =
      existing?.noteWrittenUpdatedAt?.getTime() === incomingAt.getTime() && existing.noteWrittenByUs === merged.note;
    const noteChangedInShopify = existing !== null && existing.note !== merged.note && !echoOfOurWrite;
    if (existing) {
      await client.shopifyCustomer.update({
        where: { id: existing.id },
        data: {
          ...columns,
          helpdeskCustomerId,
          // Shopify's note moved on from what we wrote: our write is no longer the note.
          ...(noteChangedInShopify ? { noteWrittenByUs: null, noteWrittenUpdatedAt: null } : {}),
        },
      });
    } else {
      await client.shopifyCustomer.create({
        data: { shopId: shop.id, shopifyId: incoming.id, ...columns, helpdeskCustomerId },
      });
    }

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

/**
 * Records a note we wrote to Shopify (customerUpdate answered `note` at `updatedAt`), so its webhook
 * echo is recognised. The version only moves forward: a newer Shopify version already applied while
 * we were writing stays.
 */
export async function recordNoteWrittenByUs(
  shopId: string,
  shopifyId: string,
  written: { note: string | null; updatedAt: string },
) {
  const writtenAt = new Date(written.updatedAt);
  await db.$transaction(async (tx) => {
    await lockCustomer(tx, shopId, shopifyId);
    const row = await tx.shopifyCustomer.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId } } });
    if (!row || row.deletedAt) return;
    const isNewest = writtenAt.getTime() >= row.shopifyUpdatedAt.getTime();
    await tx.shopifyCustomer.update({
      where: { id: row.id },
      data: {
        noteWrittenByUs: written.note,
        noteWrittenUpdatedAt: writtenAt,
        ...(isNewest ? { note: written.note, shopifyUpdatedAt: writtenAt } : {}),
      },
    });
  });
}

/**
 * customers/delete: the row becomes a tombstone with no personal data, which no version of the
 * customer (a late webhook, a reconcile page or an import read before the deletion) can undo — even
 * when the deletion arrives before anything else about the customer. The helpdesk person stays
 * linked to it, so a later customers/redact naming this customer still reaches them (decision 008).
 */
export async function markCustomerDeleted(shopId: string, shopifyId: string) {
  await db.$transaction(async (tx) => {
    await lockCustomer(tx, shopId, shopifyId);
    const now = new Date();
    const existing = await tx.shopifyCustomer.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId } } });
    if (!existing) {
      await tx.shopifyCustomer.create({ data: { shopId, shopifyId, shopifyUpdatedAt: now, deletedAt: now } });
      return;
    }
    await tx.shopifyCustomer.update({
      where: { id: existing.id },
      data: { ...NO_PERSONAL_DATA, deletedAt: existing.deletedAt ?? now },
    });
  });
}

/**
 * customers/redact: the matching Shopify customers become tombstones with no personal data and no
 * helpdesk person; a customer we have not heard of yet gets one too, so its late creation is never
 * stored. Returns the helpdesk people they were linked to (the caller decides who goes).
 */
export async function eraseShopifyCustomers(
  shopId: string,
  match: Prisma.ShopifyCustomerWhereInput,
  shopifyId: string | null,
): Promise<{ erased: number; linkedPeople: string[] }> {
  return db.$transaction(async (tx) => {
    if (shopifyId) await lockCustomer(tx, shopId, shopifyId);
    const rows = await tx.shopifyCustomer.findMany({
      where: { AND: [match, { shopId }] },
      select: { id: true, shopifyId: true, helpdeskCustomerId: true, deletedAt: true },
    });
    const now = new Date();
    for (const row of rows) {
      await tx.shopifyCustomer.update({
        where: { id: row.id },
        data: { ...NO_PERSONAL_DATA, helpdeskCustomerId: null, deletedAt: row.deletedAt ?? now },
      });
    }
    if (shopifyId && !rows.some((row) => row.shopifyId === shopifyId)) {
      await tx.shopifyCustomer.create({ data: { shopId, shopifyId, shopifyUpdatedAt: now, deletedAt: now } });
    }
    const linkedPeople = rows.flatMap((row) => (row.helpdeskCustomerId ? [row.helpdeskCustomerId] : []));
    return { erased: rows.length, linkedPeople };
  });
}
