import { createHash, randomInt } from "node:crypto";
import { db } from "~/db.server";
import { findSamePerson, withIdentity } from "~/domain/customer-identity";
import { combineNotes } from "~/domain/note-sync";
import { logger } from "~/lib/logger.server";

// Linking a second shop to a workspace needs an admin of each shop: one creates a code in their
// admin, the other enters it in theirs. Codes are short-lived, single-use and stored hashed.

export const LINK_CODE_TTL_MINUTES = 15;
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I: read aloud or retyped safely

const hashCode = (code: string) =>
  createHash("sha256")
    .update(code.replace(/[^A-Z0-9]/gi, "").toUpperCase())
    .digest("hex");

export async function createWorkspaceLinkCode(shop: { id: string; workspaceId: string }) {
  const raw = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  const code = `${raw.slice(0, 4)}-${raw.slice(4)}`;
  const expiresAt = new Date(Date.now() + LINK_CODE_TTL_MINUTES * 60_000);
  await db.workspaceLinkCode.create({
    data: { workspaceId: shop.workspaceId, createdByShopId: shop.id, codeHash: hashCode(code), expiresAt },
  });
  return { code, expiresAt };
}

export type JoinResult = { ok: true; workspaceName: string; mergedCustomers: number } | { ok: false; error: string };

/**
 * Moves the shop into the code's workspace and merges the people: a helpdesk customer of the
 * shop's old workspace with the same email (then phone) as one in the new workspace becomes that
 * person (Shopify links, identities and notes combined); the others move over as they are.
 */
export async function joinWorkspace(shop: { id: string; workspaceId: string }, code: string): Promise<JoinResult> {
  const link = await db.workspaceLinkCode.findUnique({
    where: { codeHash: hashCode(code) },
    include: { workspace: true },
  });
  if (!link || link.usedAt || link.expiresAt < new Date()) {
    return {
      ok: false,
      error: "This code is not valid: it may have expired (codes last 15 minutes) or been used already.",
    };
  }
  if (link.workspaceId === shop.workspaceId) return { ok: false, error: "This store is already in that workspace." };

  const shopRow = await db.shop.findUniqueOrThrow({ where: { id: shop.id } });
  const mergedFrom = shopRow.name ?? shopRow.domain;
  const merged = await db.$transaction(
    async (tx) => {
      const claimed = await tx.workspaceLinkCode.updateMany({
        where: { id: link.id, usedAt: null },
        data: { usedAt: new Date(), usedByShopId: shop.id },
      });
      if (claimed.count === 0) return null; // someone used it a moment ago
      const oldWorkspaceId = shop.workspaceId;
      await tx.shop.update({ where: { id: shop.id }, data: { workspaceId: link.workspaceId } });

      const targets = await tx.helpdeskCustomer.findMany({
        where: { workspaceId: link.workspaceId },
        orderBy: { createdAt: "asc" },
      });
      const movers = await tx.helpdeskCustomer.findMany({
        where: { workspaceId: oldWorkspaceId },
        orderBy: { createdAt: "asc" },
      });
      let mergedCount = 0;
      for (const mover of movers) {
        const match =
          mover.emails.map((email) => findSamePerson(targets, { email, phone: null })).find(Boolean) ??
          mover.phones.map((phone) => findSamePerson(targets, { email: null, phone })).find(Boolean) ??
          null;
        if (!match) {
          await tx.helpdeskCustomer.update({ where: { id: mover.id }, data: { workspaceId: link.workspaceId } });
          continue;
        }
        await tx.shopifyCustomer.updateMany({
          where: { helpdeskCustomerId: mover.id },
          data: { helpdeskCustomerId: match.id },
        });
        const emails = mover.emails.reduce(withIdentity, match.emails);
        const phones = mover.phones.reduce(withIdentity, match.phones);
        const note = combineNotes(match.note, mover.note, mergedFrom);
        await tx.helpdeskCustomer.update({
          where: { id: match.id },
          data: { emails, phones, name: match.name ?? mover.name, note, noteVersion: { increment: 1 } },
        });
        Object.assign(match, { emails, phones, note });
        await tx.helpdeskCustomer.delete({ where: { id: mover.id } });
        mergedCount++;
      }
      if ((await tx.shop.count({ where: { workspaceId: oldWorkspaceId } })) === 0) {
        await tx.workspace.delete({ where: { id: oldWorkspaceId } });
      }
      return mergedCount;
    },
    { timeout: 120_000 },
  );
  if (merged === null) return { ok: false, error: "This code was just used by another store." };
  logger.info("shop joined workspace", { shopId: shop.id, workspaceId: link.workspaceId, mergedCustomers: merged });
  return { ok: true, workspaceName: link.workspace.name, mergedCustomers: merged };
}
