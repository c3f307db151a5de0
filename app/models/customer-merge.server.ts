import { db } from "~/db.server";
import {
  chainedUndoRefusal,
  MERGE_UNDO_MS,
  MergeChoiceError,
  mergedProfile,
  MergeSnapshotSchema,
  mergeSuggestions as suggestFrom,
  normalizeName,
  orderHistoryRefusal,
  restoredSurvivor,
  SAME_CUSTOMER_REFUSAL,
  undoRefusal,
  type MergeChoices,
  type MergeSnapshot,
  type ProfileRow,
  type SuggestionAddress,
} from "~/domain/customer-merge";
import type { TicketEvent } from "~/domain/tickets";
import type { Prisma } from "~/generated/prisma/client";
import { logger } from "~/lib/logger.server";

// Merging two helpdesk customers of a workspace and undoing it (docs/decisions/017-customer-merge.md).
// Every row that points at the merged profile moves to the survivor, and the merge records both
// profiles and the ids of what moved, so an undo within 30 days puts back exactly those rows.

type Tx = Prisma.TransactionClient;

/** An expected refusal: `status` is the HTTP answer, `message` what the agent reads. */
export class CustomerMergeRefused extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

const NOT_FOUND = "This customer does not exist or belongs to another workspace.";
const MERGE_NOT_FOUND = "This merge does not exist or belongs to another workspace.";

export interface MergeRequest {
  /** The profile that stays. */
  survivorId: string;
  /** The profile merged into it and deleted. */
  mergedId: string;
  choices: MergeChoices;
}

const PROFILE_SELECT = {
  id: true,
  workspaceId: true,
  name: true,
  emails: true,
  phones: true,
  note: true,
  noteVersion: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.HelpdeskCustomerSelect;

const toRow = (row: Prisma.HelpdeskCustomerGetPayload<{ select: typeof PROFILE_SELECT }>): ProfileRow => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/**
 * A shop moving to another workspace re-files its people (models/workspace-lock.server.ts): a merge
 * takes the workspace's shared lock so it never runs halfway through one.
 */
async function lockWorkspaceShared(tx: Tx, workspaceId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtext('shopdesk.workspace'), hashtext(${workspaceId}))`;
}

/**
 * The sync files a Shopify customer under the person with its email (or phone) holding a lock on
 * that identity (resolveHelpdeskCustomer); taking the same locks, sorted, means a Shopify customer
 * arriving meanwhile is filed after the merge, under the survivor, never under a deleted profile.
 */
async function lockIdentities(tx: Tx, workspaceId: string, keys: readonly string[]) {
  for (const key of [...new Set(keys)].sort()) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${workspaceId + "|" + key}))`;
  }
}

/** Row locks on the workspace's customers, in id order (two merges of the same pair take turns). */
async function lockProfiles(tx: Tx, workspaceId: string, ids: readonly string[]) {
  const sorted = [...new Set(ids)].sort();
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "HelpdeskCustomer" WHERE id = ANY(${sorted}::text[]) AND "workspaceId" = ${workspaceId}
    ORDER BY id FOR UPDATE`;
  return new Set(rows.map((row) => row.id));
}

/** Stores (by name) where both people have Shopify order history: a merge there is refused. */
async function storesWithOrdersOfBoth(tx: Tx, workspaceId: string, firstId: string, secondId: string) {
  const links = await tx.shopifyCustomer.findMany({
    where: { helpdeskCustomerId: { in: [firstId, secondId] }, deletedAt: null, shop: { workspaceId } },
    select: {
      shopId: true,
      shopifyId: true,
      helpdeskCustomerId: true,
      numberOfOrders: true,
      shop: { select: { name: true, domain: true } },
    },
  });
  const withOrders = [];
  for (const link of links) {
    // Shopify's count is the history; stored orders cover a customer synced before counts were read.
    const stored =
      (link.numberOfOrders ?? 0) > 0
        ? 1
        : await tx.shopifyOrder.count({
            where: { shopId: link.shopId, shopifyCustomerId: link.shopifyId, deletedAt: null },
          });
    if (stored > 0) withOrders.push(link);
  }
  const stores = new Map<string, string>();
  for (const link of withOrders) {
    const other = link.helpdeskCustomerId === firstId ? secondId : firstId;
    if (withOrders.some((candidate) => candidate.shopId === link.shopId && candidate.helpdeskCustomerId === other)) {
      stores.set(link.shopId, link.shop.name ?? link.shop.domain);
    }
  }
  return [...stores.values()].sort();
}

const idsOf = (rows: { id: string }[]) => rows.map((row) => row.id);

async function recordOnTickets(
  tx: Tx,
  workspaceId: string,
  ticketIds: string[],
  event: TicketEvent,
  agentId: string | null,
) {
  if (ticketIds.length === 0) return;
  const tickets = await tx.ticket.findMany({
    where: { id: { in: ticketIds }, workspaceId },
    select: { id: true, channel: true },
  });
  await tx.ticketEntry.createMany({
    data: tickets.map((ticket) => ({
      ticketId: ticket.id,
      workspaceId,
      kind: "system_event" as const,
      channel: ticket.channel,
      authorAgentId: agentId,
      event,
    })),
  });
}

async function requireAgent(tx: Tx, workspaceId: string, agentId: string | null) {
  if (!agentId) return null;
  const agent = await tx.agent.findFirst({ where: { id: agentId, workspaceId }, select: { id: true } });
  if (!agent) throw new CustomerMergeRefused(404, "This agent does not exist or belongs to another workspace.");
  return agent.id;
}

/**
 * Merges `mergedId` into `survivorId`: the merged profile's tickets, messages and Shopify customers
 * move to the survivor, the agent's choices decide the survivor's fields, and the merged profile is
 * deleted. Refused (409) when both have Shopify orders in the same store.
 */
export async function mergeCustomers(workspaceId: string, request: MergeRequest, agentId: string | null) {
  const { survivorId, mergedId, choices } = request;
  if (survivorId === mergedId) throw new CustomerMergeRefused(400, SAME_CUSTOMER_REFUSAL);
  return db.$transaction(async (tx) => {
    const by = await requireAgent(tx, workspaceId, agentId);
    await lockWorkspaceShared(tx, workspaceId);
    const peek = await tx.helpdeskCustomer.findMany({
      where: { id: { in: [survivorId, mergedId] }, workspaceId },
      select: { emails: true, phones: true },
    });
    if (peek.length < 2) throw new CustomerMergeRefused(404, NOT_FOUND);
    await lockIdentities(
      tx,
      workspaceId,
      peek.flatMap((row) => [...row.emails, ...row.phones]),
    );
    const locked = await lockProfiles(tx, workspaceId, [survivorId, mergedId]);
    if (locked.size < 2) throw new CustomerMergeRefused(404, NOT_FOUND);
    const [survivor, merged] = await Promise.all(
      [survivorId, mergedId].map((id) =>
        tx.helpdeskCustomer.findUniqueOrThrow({ where: { id }, select: PROFILE_SELECT }),
      ),
    );

    const stores = await storesWithOrdersOfBoth(tx, workspaceId, survivorId, mergedId);
    if (stores.length > 0) throw new CustomerMergeRefused(409, orderHistoryRefusal(stores));

    let result;
    try {
      result = mergedProfile(survivor!, merged!, choices);
    } catch (error) {
      if (error instanceof MergeChoiceError) throw new CustomerMergeRefused(400, error.message);
      throw error;
    }

    // Every foreign key to HelpdeskCustomer (schema.prisma): tickets, thread entries, Shopify
    // customers and earlier merges kept by the merged profile (their undo follows the person).
    const moved = {
      tickets: idsOf(await tx.ticket.findMany({ where: { customerId: mergedId, workspaceId }, select: { id: true } })),
      ticketEntries: idsOf(
        await tx.ticketEntry.findMany({ where: { authorCustomerId: mergedId, workspaceId }, select: { id: true } }),
      ),
      // Tombstones too: an erasure naming a deleted Shopify customer must still reach the person.
      shopifyCustomers: idsOf(
        await tx.shopifyCustomer.findMany({ where: { helpdeskCustomerId: mergedId }, select: { id: true } }),
      ),
      merges: idsOf(
        await tx.customerMerge.findMany({ where: { survivorId: mergedId, workspaceId }, select: { id: true } }),
      ),
    };
    // Only the foreign key changes (no updatedAt bump): an undo then restores these rows exactly.
    await moveRows(tx, moved, survivorId);

    const noteChanged = result.note !== survivor!.note;
    const after = await tx.helpdeskCustomer.update({
      where: { id: survivorId },
      data: {
        name: result.name,
        emails: result.emails,
        phones: result.phones,
        note: result.note,
        ...(noteChanged ? { noteVersion: { increment: 1 } } : {}),
      },
      select: PROFILE_SELECT,
    });
    // The storefront chat's visitors (decision 026) are the survivor's too, so "Last seen on chat"
    // and their next chat keep the person. Not in the snapshot: an undo leaves them on the survivor.
    await tx.chatVisitor.updateMany({ where: { customerId: mergedId, workspaceId }, data: { customerId: survivorId } });
    await tx.helpdeskCustomer.delete({ where: { id: mergedId } });

    const snapshot: MergeSnapshot = {
      version: 1,
      survivor: toRow(survivor!),
      merged: toRow(merged!),
      result: {
        name: after.name,
        emails: after.emails,
        phones: after.phones,
        note: after.note,
        noteVersion: after.noteVersion,
      },
      moved,
    };
    const now = new Date();
    const merge = await tx.customerMerge.create({
      data: {
        workspaceId,
        survivorId,
        mergedId,
        mergedName: merged!.name ?? merged!.emails[0] ?? merged!.phones[0] ?? null,
        mergedByAgentId: by,
        snapshot: snapshot as unknown as Prisma.InputJsonValue,
        createdAt: now,
        undoableUntil: new Date(now.getTime() + MERGE_UNDO_MS),
      },
    });
    await recordOnTickets(
      tx,
      workspaceId,
      moved.tickets,
      {
        type: "customer_merged",
        fromName: merge.mergedName,
        toName: after.name ?? after.emails[0] ?? null,
        undone: false,
      },
      by,
    );
    logger.info("customers merged", { workspaceId, mergeId: merge.id, moved: moved.tickets.length });
    return { mergeId: merge.id, survivorId, movedTickets: moved.tickets.length };
  });
}

async function moveRows(tx: Tx, moved: MergeSnapshot["moved"], toId: string, onlyFromId?: string) {
  // On undo (`onlyFromId`), a row that moved on since (a ticket set to someone else) stays where it is.
  const from = onlyFromId ?? null;
  await tx.$executeRaw`UPDATE "Ticket" SET "customerId" = ${toId}
    WHERE id = ANY(${moved.tickets}::text[]) AND (${from}::text IS NULL OR "customerId" = ${from})`;
  await tx.$executeRaw`UPDATE "TicketEntry" SET "authorCustomerId" = ${toId}
    WHERE id = ANY(${moved.ticketEntries}::text[]) AND (${from}::text IS NULL OR "authorCustomerId" = ${from})`;
  await tx.$executeRaw`UPDATE "ShopifyCustomer" SET "helpdeskCustomerId" = ${toId}
    WHERE id = ANY(${moved.shopifyCustomers}::text[]) AND (${from}::text IS NULL OR "helpdeskCustomerId" = ${from})`;
  await tx.$executeRaw`UPDATE "CustomerMerge" SET "survivorId" = ${toId}
    WHERE id = ANY(${moved.merges}::text[]) AND (${from}::text IS NULL OR "survivorId" = ${from})`;
}

/**
 * Undoes a merge within 30 days: the merged profile comes back with its id and fields, the rows
 * that moved (and still point at the survivor) go back to it, and the survivor's fields return to
 * what they were unless they changed since. Refused when the survivor was since merged elsewhere.
 */
export async function undoCustomerMerge(
  workspaceId: string,
  mergeId: string,
  agentId: string | null,
  now = new Date(),
) {
  return db.$transaction(async (tx) => {
    const by = await requireAgent(tx, workspaceId, agentId);
    await lockWorkspaceShared(tx, workspaceId);
    const lockedMerge = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "CustomerMerge" WHERE id = ${mergeId} AND "workspaceId" = ${workspaceId} FOR UPDATE`;
    if (lockedMerge.length === 0) throw new CustomerMergeRefused(404, MERGE_NOT_FOUND);
    const merge = await tx.customerMerge.findUniqueOrThrow({ where: { id: mergeId } });
    const refusal = undoRefusal(merge, now);
    if (refusal) throw new CustomerMergeRefused(409, refusal);
    const snapshot = MergeSnapshotSchema.parse(merge.snapshot);
    const survivorId = snapshot.survivor.id;

    // The merge row follows its survivor: when the survivor was merged into someone else, this row
    // moved with it, and the survivor no longer exists until that later merge is undone.
    const survivorName = snapshot.result.name ?? snapshot.survivor.emails[0] ?? null;
    if (merge.survivorId !== survivorId) {
      const later = await tx.customerMerge.findFirst({
        where: { workspaceId, mergedId: survivorId, undoneAt: null },
        orderBy: { createdAt: "desc" },
        include: { survivor: { select: { name: true, emails: true } } },
      });
      throw new CustomerMergeRefused(
        409,
        chainedUndoRefusal(survivorName, later?.survivor.name ?? later?.survivor.emails[0] ?? null),
      );
    }
    await lockIdentities(tx, workspaceId, [...snapshot.merged.emails, ...snapshot.merged.phones]);
    const locked = await lockProfiles(tx, workspaceId, [survivorId]);
    if (locked.size === 0)
      throw new CustomerMergeRefused(
        409,
        "The customer this profile was merged into was erased since; the merge cannot be undone.",
      );
    if ((await tx.helpdeskCustomer.count({ where: { id: snapshot.merged.id } })) > 0) {
      throw new CustomerMergeRefused(
        409,
        "The merged profile already exists again; this merge cannot be undone twice.",
      );
    }

    const current = await tx.helpdeskCustomer.findUniqueOrThrow({ where: { id: survivorId }, select: PROFILE_SELECT });
    const restored = restoredSurvivor(snapshot, current);
    const { merged } = snapshot;
    // The same id and fields, timestamps included: links and bookmarks to the profile work again.
    await tx.helpdeskCustomer.create({
      data: {
        id: merged.id,
        workspaceId,
        name: merged.name,
        emails: merged.emails,
        phones: merged.phones,
        note: merged.note,
        noteVersion: merged.noteVersion,
        createdAt: new Date(merged.createdAt),
        updatedAt: new Date(merged.updatedAt),
      },
    });
    await moveRows(tx, snapshot.moved, merged.id, survivorId);
    await tx.helpdeskCustomer.update({
      where: { id: survivorId },
      data: {
        name: restored.name,
        emails: restored.emails,
        phones: restored.phones,
        note: restored.note,
        noteVersion: restored.noteVersion,
        // Nothing changed since the merge: the survivor is exactly as it was, updatedAt included.
        updatedAt: restored.exact ? new Date(snapshot.survivor.updatedAt) : now,
      },
    });
    await tx.customerMerge.update({ where: { id: mergeId }, data: { undoneAt: now, undoneByAgentId: by } });
    const back = await tx.ticket.findMany({
      where: { id: { in: snapshot.moved.tickets }, customerId: merged.id, workspaceId },
      select: { id: true },
    });
    await recordOnTickets(
      tx,
      workspaceId,
      idsOf(back),
      {
        type: "customer_merged",
        fromName: survivorName,
        toName: merged.name ?? merged.emails[0] ?? null,
        undone: true,
      },
      by,
    );
    logger.info("customer merge undone", { workspaceId, mergeId });
    return { survivorId, restoredId: merged.id };
  });
}

/** The merges kept by this customer, newest first, with whether each can still be undone and why not. */
export async function listCustomerMerges(workspaceId: string, customerId: string, now = new Date()) {
  const merges = await db.customerMerge.findMany({
    where: { workspaceId, survivorId: customerId },
    orderBy: { createdAt: "desc" },
    take: 50,
  });
  const agentIds = [
    ...new Set(merges.flatMap((merge) => [merge.mergedByAgentId, merge.undoneByAgentId]).filter((id) => id !== null)),
  ];
  const agents = new Map(
    (await db.agent.findMany({ where: { id: { in: agentIds }, workspaceId }, select: { id: true, name: true } })).map(
      (agent) => [agent.id, agent.name],
    ),
  );
  return merges.map((merge) => {
    const snapshot = MergeSnapshotSchema.safeParse(merge.snapshot);
    const originalSurvivor = snapshot.success ? snapshot.data.survivor.id : merge.survivorId;
    // A merge that moved here with a profile merged into this one is undone from the inside out.
    const chained = originalSurvivor !== merge.survivorId;
    const refusal =
      undoRefusal(merge, now) ??
      (chained && snapshot.success
        ? `${snapshot.data.result.name ?? "The profile it was merged into"} was since merged into this profile: undo that merge first.`
        : null);
    return {
      id: merge.id,
      mergedName: merge.mergedName,
      createdAt: merge.createdAt,
      undoableUntil: merge.undoableUntil,
      undoneAt: merge.undoneAt,
      mergedBy: merge.mergedByAgentId ? (agents.get(merge.mergedByAgentId) ?? null) : null,
      undoneBy: merge.undoneByAgentId ? (agents.get(merge.undoneByAgentId) ?? null) : null,
      canUndo: refusal === null,
      whyNot: refusal,
    };
  });
}

/** Whose addresses a suggestion compares: the default and other addresses of the linked Shopify customers. */
function addressesOf(links: { addresses: unknown }[]): SuggestionAddress[] {
  return links.flatMap((link) => (Array.isArray(link.addresses) ? (link.addresses as SuggestionAddress[]) : []));
}

const SUGGESTION_INCLUDE = {
  shopifyCustomers: { where: { deletedAt: null }, select: { addresses: true } },
} satisfies Prisma.HelpdeskCustomerInclude;

/** Profiles of the workspace that look like the same person (same email, phone, or name and address). */
export async function mergeSuggestions(workspaceId: string, customerId: string) {
  const target = await db.helpdeskCustomer.findFirst({
    where: { id: customerId, workspaceId },
    include: SUGGESTION_INCLUDE,
  });
  if (!target) return [];
  const name = normalizeName(target.name);
  const or: Prisma.HelpdeskCustomerWhereInput[] = [];
  if (target.emails.length > 0) or.push({ emails: { hasSome: target.emails } });
  // A phone matches another that ends the same (country code omitted, see samePhone): searchText
  // holds every phone's digits, so its last nine digits find both forms.
  for (const phone of target.phones) or.push({ searchText: { contains: phone.replace(/\D/g, "").slice(-9) } });
  // searchText is the name without accents, lower-cased (a database trigger): a cheap first cut.
  if (name) or.push({ searchText: { contains: name } });
  if (or.length === 0) return [];
  const candidates = await db.helpdeskCustomer.findMany({
    where: { workspaceId, id: { not: customerId }, OR: or },
    include: SUGGESTION_INCLUDE,
    take: 50,
    orderBy: { createdAt: "asc" },
  });
  const asCandidate = (row: typeof target) => ({
    id: row.id,
    name: row.name,
    emails: row.emails,
    phones: row.phones,
    note: row.note,
    addresses: addressesOf(row.shopifyCustomers),
  });
  return suggestFrom(asCandidate(target), candidates.map(asCandidate))
    .slice(0, 10)
    .map(({ candidate, reasons, because }) => ({
      id: candidate.id,
      name: candidate.name,
      emails: candidate.emails,
      phones: candidate.phones,
      reasons,
      because,
    }));
}

/** Both profiles side by side for the merge chooser, or null when either is not the workspace's. */
export async function mergePreview(workspaceId: string, customerId: string, otherId: string) {
  if (customerId === otherId) return null;
  const rows = await db.helpdeskCustomer.findMany({
    where: { id: { in: [customerId, otherId] }, workspaceId },
    select: { id: true, name: true, emails: true, phones: true, note: true },
  });
  const self = rows.find((row) => row.id === customerId);
  const other = rows.find((row) => row.id === otherId);
  if (!self || !other) return null;
  const stores = await db.$transaction((tx) => storesWithOrdersOfBoth(tx, workspaceId, customerId, otherId));
  const ticketsToMove = await db.ticket.count({ where: { workspaceId, customerId: otherId } });
  return { self, other, ticketsToMove, refusal: stores.length > 0 ? orderHistoryRefusal(stores) : null };
}
