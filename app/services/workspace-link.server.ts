import { createHash, randomInt } from "node:crypto";
import { db } from "~/db.server";
import { findSamePersonByAny, identityOf, withIdentity } from "~/domain/customer-identity";
import { combineNotes } from "~/domain/note-sync";
import type { Prisma } from "~/generated/prisma/client";
import { logger } from "~/lib/logger.server";
import { copyBusinessHours } from "~/models/business-hours.server";
import { copyMacros, moveMacros } from "~/models/macro.server";
import { copyQuickAnswers, moveQuickAnswers } from "~/models/quick-answer.server";
import { lockShopForMove, lockWorkspacesForMove } from "~/models/workspace-lock.server";
import { moveTicketsWithShop } from "./workspace-tickets.server";

// Linking a second shop to a workspace needs an admin of each shop: one creates a code in their
// admin, the other enters it in theirs. Codes are short-lived, single-use and stored hashed.
// A shop that joins or leaves a workspace takes its own customers with it, and their tickets and
// the tickets that came through it (workspace-tickets.server.ts), and nothing else.

type Tx = Prisma.TransactionClient;

export const LINK_CODE_TTL_MINUTES = 15;
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I: read aloud or retyped safely

const CODE_UNKNOWN = "This code is not valid: check that you copied the whole code from your other store.";
const CODE_EXPIRED = `This code has expired (codes last ${LINK_CODE_TTL_MINUTES} minutes). Create a new one in your other store.`;
const CODE_USED = "This code has been used already: each code works once. Create a new one in your other store.";
const CODE_ORPHANED =
  "The store that created this code is no longer in that workspace. Create a new code in a store that is.";
const ALONE =
  "This store is the only store in its workspace, so there is nothing to leave. To share a workspace, connect another store.";

const hashCode = (code: string) =>
  createHash("sha256")
    .update(code.replace(/[^A-Z0-9]/gi, "").toUpperCase())
    .digest("hex");

/** A merchant-facing reason to refuse, thrown inside a transaction so that it changes nothing. */
class Refusal extends Error {}

async function refusalAsResult<T>(work: () => Promise<T>): Promise<T | { ok: false; error: string }> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, error: error.message };
    throw error;
  }
}

export async function createWorkspaceLinkCode(shop: { id: string }) {
  const raw = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  const code = `${raw.slice(0, 4)}-${raw.slice(4)}`;
  const expiresAt = new Date(Date.now() + LINK_CODE_TTL_MINUTES * 60_000);
  // The workspace the shop is in now, not the one the caller read when the request began.
  const { workspaceId } = await db.shop.findUniqueOrThrow({ where: { id: shop.id }, select: { workspaceId: true } });
  await db.workspaceLinkCode.create({
    data: { workspaceId, createdByShopId: shop.id, codeHash: hashCode(code), expiresAt },
  });
  return { code, expiresAt };
}

export type JoinResult = { ok: true; workspaceName: string; mergedCustomers: number } | { ok: false; error: string };

/**
 * Moves the shop into the code's workspace with its customers (see moveShopCustomers): a person
 * with the same email (then phone) as one in the new workspace becomes that person. When no shop is
 * left in the old workspace, it goes, and the people no shop is linked to come along.
 */
export async function joinWorkspace(shop: { id: string }, code: string): Promise<JoinResult> {
  const codeHash = hashCode(code);
  return refusalAsResult(async () => {
    const result = await db.$transaction(
      async (tx) => {
        const link = await tx.workspaceLinkCode.findUnique({ where: { codeHash }, include: { workspace: true } });
        if (!link) throw new Refusal(CODE_UNKNOWN);
        if (link.usedAt) throw new Refusal(CODE_USED);
        if (link.expiresAt <= new Date()) throw new Refusal(CODE_EXPIRED);

        const from = await lockShopForMove(tx, shop.id);
        if (from === link.workspaceId) throw new Refusal("This store is already in that workspace.");
        await lockWorkspacesForMove(tx, [from, link.workspaceId]);
        // Claimed conditionally: of two stores entering the same code at once, one gets it.
        const claimed = await tx.workspaceLinkCode.updateMany({
          where: { id: link.id, usedAt: null, expiresAt: { gt: new Date() } },
          data: { usedAt: new Date(), usedByShopId: shop.id },
        });
        if (claimed.count === 0) throw new Refusal(CODE_USED);
        // A code vouches for its workspace only while the store whose admin created it is still in it.
        const creatorStays = await tx.shop.count({
          where: { id: link.createdByShopId, workspaceId: link.workspaceId },
        });
        if (creatorStays === 0) throw new Refusal(CODE_ORPHANED);

        await tx.shop.update({ where: { id: shop.id }, data: { workspaceId: link.workspaceId } });
        const lastShopLeft = (await tx.shop.count({ where: { workspaceId: from } })) === 0;
        const { people, ...moved } = await moveShopCustomers(tx, shop.id, from, link.workspaceId, {
          withUnlinked: lastShopLeft,
        });
        const tickets = await moveTicketsWithShop(tx, {
          from,
          to: link.workspaceId,
          shopId: shop.id,
          ...people,
          everything: lastShopLeft,
        });
        // The old workspace's macros would go with it: the merchant's own come along.
        if (lastShopLeft) await moveMacros(tx, from, link.workspaceId);
        if (lastShopLeft) await moveQuickAnswers(tx, from, link.workspaceId);
        if (lastShopLeft) await tx.workspace.delete({ where: { id: from } });
        return { from, to: link.workspaceId, workspaceName: link.workspace.name, moved, tickets };
      },
      { timeout: 120_000 },
    );
    logger.info("shop joined workspace", { shopId: shop.id, ...result });
    return { ok: true as const, workspaceName: result.workspaceName, mergedCustomers: result.moved.merged };
  });
}

export type LeaveResult = { ok: true; workspaceName: string; customers: number } | { ok: false; error: string };

/**
 * The shop leaves its workspace for a new one of its own, named after it, with its customers (see
 * moveShopCustomers). The other shops keep the workspace, its customers and their links.
 */
export async function leaveWorkspace(shop: { id: string }): Promise<LeaveResult> {
  return refusalAsResult(async () => {
    const result = await db.$transaction(
      async (tx) => {
        const from = await lockShopForMove(tx, shop.id);
        await lockWorkspacesForMove(tx, [from]);
        if ((await tx.shop.count({ where: { workspaceId: from } })) < 2) throw new Refusal(ALONE);

        const row = await tx.shop.findUniqueOrThrow({ where: { id: shop.id } });
        const own = await tx.workspace.create({ data: { name: row.name ?? row.domain } });
        await tx.shop.update({ where: { id: shop.id }, data: { workspaceId: own.id } });
        await copyMacros(tx, from, own.id);
        await copyQuickAnswers(tx, from, own.id);
        await copyBusinessHours(tx, from, own.id);
        const { people, ...moved } = await moveShopCustomers(tx, shop.id, from, own.id, { withUnlinked: false });
        const tickets = await moveTicketsWithShop(tx, {
          from,
          to: own.id,
          shopId: shop.id,
          ...people,
          everything: false,
        });
        return { from, to: own.id, workspaceName: own.name, moved, tickets };
      },
      { timeout: 120_000 },
    );
    logger.info("shop left workspace", { shopId: shop.id, ...result });
    const { moved } = result;
    return { ok: true as const, workspaceName: result.workspaceName, customers: moved.moved + moved.split };
  });
}

/**
 * Re-files the people of workspace `from` that belong to the moving shop under workspace `to`. The
 * shop is already in `to`; the caller holds the locks of both workspaces.
 *
 * - Linked only to this shop's Shopify customers: the person moves, or merges into the person of
 *   `to` with the same email (then phone).
 * - Also linked to a shop that stays in `from`: the person is split. This shop's links go to the
 *   same person in `to`, or to a copy made there; the original stays with the other shops' links,
 *   untouched otherwise.
 * - Linked to no Shopify customer: stays, unless `withUnlinked` (no shop is left in `from`).
 */
async function moveShopCustomers(tx: Tx, shopId: string, from: string, to: string, { withUnlinked = false }) {
  const shop = await tx.shop.findUniqueOrThrow({ where: { id: shopId }, select: { name: true, domain: true } });
  const mergedFrom = shop.name ?? shop.domain;
  const targets = await tx.helpdeskCustomer.findMany({ where: { workspaceId: to }, orderBy: { createdAt: "asc" } });
  const people = await tx.helpdeskCustomer.findMany({
    where: {
      workspaceId: from,
      OR: [{ shopifyCustomers: { some: { shopId } } }, ...(withUnlinked ? [{ shopifyCustomers: { none: {} } }] : [])],
    },
    include: {
      shopifyCustomers: {
        select: { id: true, shopId: true, email: true, phone: true, firstName: true, lastName: true },
      },
    },
    orderBy: { createdAt: "asc" },
  });

  const counts = { moved: 0, merged: 0, split: 0 };
  /** Where each person's tickets go (workspace-tickets.server.ts): old id → the person in `to`. */
  const ticketsGo = { wholly: new Map<string, string>(), split: new Map<string, string>() };
  for (const person of people) {
    const ownLinks = person.shopifyCustomers.filter((link) => link.shopId === shopId);
    const sharedWithStayingShops = ownLinks.length < person.shopifyCustomers.length;

    if (!sharedWithStayingShops) {
      const match = findSamePersonByAny(targets, person.emails, person.phones);
      if (!match) {
        await tx.helpdeskCustomer.update({ where: { id: person.id }, data: { workspaceId: to } });
        // The person's merge history goes with them (its undo restores people of `to`).
        await tx.customerMerge.updateMany({ where: { survivorId: person.id }, data: { workspaceId: to } });
        ticketsGo.wholly.set(person.id, person.id);
        counts.moved++;
        continue;
      }
      await tx.shopifyCustomer.updateMany({
        where: { helpdeskCustomerId: person.id },
        data: { helpdeskCustomerId: match.id },
      });
      await absorb(tx, match, person, mergedFrom);
      // Their tickets are re-pointed before the person goes (a deleted customer would leave them without one).
      await tx.ticket.updateMany({ where: { customerId: person.id }, data: { customerId: match.id } });
      await tx.ticketEntry.updateMany({ where: { authorCustomerId: person.id }, data: { authorCustomerId: match.id } });
      await tx.helpdeskCustomer.delete({ where: { id: person.id } });
      ticketsGo.wholly.set(person.id, match.id);
      counts.merged++;
      continue;
    }

    // The half that goes is what this shop's own Shopify customers say about the person: their
    // emails, phones and name. What only the staying shops know stays with them (the new workspace
    // may not be theirs), and what only the moving shop knew leaves with it. The note goes too:
    // both halves are the same person's history, written by this merchant's agents (the two
    // stores' admins linked them), which the agents on either side need.
    const half = identityOf(ownLinks);
    const staying = identityOf(person.shopifyCustomers.filter((link) => link.shopId !== shopId));
    const onlyMoving = (value: string, known: string[], stayingKnown: string[]) =>
      known.includes(value) && !stayingKnown.includes(value);
    await tx.helpdeskCustomer.update({
      where: { id: person.id },
      data: {
        emails: person.emails.filter((email) => !onlyMoving(email, half.emails, staying.emails)),
        phones: person.phones.filter((phone) => !onlyMoving(phone, half.phones, staying.phones)),
        name: staying.name ?? (person.name === half.name ? null : person.name),
      },
    });
    const linkIds = ownLinks.map((link) => link.id);
    const match = findSamePersonByAny(targets, half.emails, half.phones);
    if (match) {
      await tx.shopifyCustomer.updateMany({ where: { id: { in: linkIds } }, data: { helpdeskCustomerId: match.id } });
      await absorb(tx, match, { ...half, note: person.note }, mergedFrom);
      ticketsGo.split.set(person.id, match.id);
      counts.merged++;
      continue;
    }
    const copy = await tx.helpdeskCustomer.create({
      data: {
        workspaceId: to,
        name: half.name,
        emails: half.emails,
        phones: half.phones,
        note: person.note,
      },
    });
    await tx.shopifyCustomer.updateMany({ where: { id: { in: linkIds } }, data: { helpdeskCustomerId: copy.id } });
    ticketsGo.split.set(person.id, copy.id);
    counts.split++;
  }
  return { ...counts, people: ticketsGo };
}

type Target = { id: string; emails: string[]; phones: string[]; name: string | null; note: string | null };

/** `match` becomes also who `arriving` is: identities added, name kept if known, notes combined. */
async function absorb(
  tx: Tx,
  match: Target,
  arriving: { emails: string[]; phones: string[]; name: string | null; note: string | null },
  mergedFrom: string,
) {
  const emails = arriving.emails.reduce(withIdentity, match.emails);
  const phones = arriving.phones.reduce(withIdentity, match.phones);
  const name = match.name ?? arriving.name;
  const note = combineNotes(match.note, arriving.note, mergedFrom);
  await tx.helpdeskCustomer.update({
    where: { id: match.id },
    // The version moves only with the note: an agent editing it elsewhere must see the change.
    data: { emails, phones, name, note, ...(note !== match.note ? { noteVersion: { increment: 1 } } : {}) },
  });
  Object.assign(match, { emails, phones, name, note });
}
