import { db } from "~/db.server";
import { noteSyncBlocker } from "~/domain/note-sync";
import { logger } from "~/lib/logger.server";
import { recordNoteWrittenByUs } from "~/models/shopify-customer.server";
import { adminForBackgroundWork } from "~/services/shopify/shop-admin.server";
import { fetchCustomerNote, writeCustomerNote } from "~/services/sync/shopify-reads.server";

export type SaveNoteInput = { note: string | null; baseVersion: number; resolution?: "keep-mine" | "take-theirs" };

export type SaveNoteResult =
  | { status: "saved"; note: string | null; version: number; synced: "shopify" | "local-only"; reason: string | null }
  | { status: "conflict"; source: "agent" | "shopify"; theirs: string | null; mine: string | null; version: number };

const normalise = (note: string | null | undefined) => (note?.trim() ? note : null);

/** The Shopify note we hold is the one we wrote (no Shopify edit since). */
const isOurWrite = (link: { note: string | null; noteWrittenByUs: string | null; noteWrittenUpdatedAt: Date | null }) =>
  link.noteWrittenUpdatedAt !== null && normalise(link.noteWrittenByUs) === normalise(link.note);

/**
 * An agent saves a customer note. Nothing is overwritten silently: if another agent saved since
 * the editor loaded (noteVersion moved), or the note changed in Shopify since we last saw it, the
 * agent gets both versions and chooses (resolution). With exactly one linked Shopify customer and
 * sync on, the note is written to Shopify (customerUpdate); its webhook echo is recognised later.
 */
export async function saveCustomerNote(
  workspaceId: string,
  helpdeskCustomerId: string,
  input: SaveNoteInput,
): Promise<SaveNoteResult> {
  const person = await db.helpdeskCustomer.findFirst({
    where: { id: helpdeskCustomerId, workspaceId },
    include: {
      shopifyCustomers: {
        // Only links through this workspace's own shops: a stale link can never show (or write
        // to) another merchant's store.
        where: { deletedAt: null, shop: { workspaceId } },
        include: { shop: { select: { domain: true, name: true, notesSyncEnabled: true } } },
      },
    },
  });
  if (!person) throw new Response("Customer not found", { status: 404 });
  const mine = normalise(input.note);

  if (person.noteVersion !== input.baseVersion && input.resolution !== "keep-mine") {
    if (input.resolution === "take-theirs") return saved(person.note, person.noteVersion, "local-only", null);
    // Who moved it: a note equal to the Shopify note we last received came from Shopify, unless that
    // Shopify note is still our own write (another agent's save); anything else was another agent.
    const fromShopify = person.shopifyCustomers.some(
      (link) => normalise(link.note) === normalise(person.note) && !isOurWrite(link),
    );
    const source = fromShopify ? "shopify" : "agent";
    return { status: "conflict", source, theirs: person.note, mine, version: person.noteVersion };
  }

  const blocker = noteSyncBlocker(person.shopifyCustomers);
  const link = person.shopifyCustomers[0];
  if (blocker || !link) {
    const version = await storeNote(person.id, mine);
    return saved(mine, version, "local-only", blocker);
  }

  const admin = await adminForBackgroundWork(link.shop.domain);
  const live = await fetchCustomerNote(admin, link.shopifyId);
  const shopifyNote = normalise(live?.note);
  const lastSeen = normalise(link.note);
  if (shopifyNote !== lastSeen && shopifyNote !== mine && !input.resolution) {
    // Shopify's note moved since we last saw it and its webhook has not reached us yet. Nothing is
    // recorded: that version, when it arrives, must still bring the note into the helpdesk, and a
    // save that still does not choose must conflict again rather than overwrite Shopify's edit.
    return { status: "conflict", source: "shopify", theirs: shopifyNote, mine, version: person.noteVersion };
  }
  if (input.resolution === "take-theirs") {
    const version = await storeNote(person.id, shopifyNote);
    await db.shopifyCustomer.update({ where: { id: link.id }, data: { note: shopifyNote } });
    return saved(shopifyNote, version, "shopify", null);
  }

  const written = await writeCustomerNote(admin, link.shopifyId, mine);
  // Its webhook echo (that exact version) is then recognised and changes nothing.
  await recordNoteWrittenByUs(link.shopId, link.shopifyId, {
    note: normalise(written.note),
    updatedAt: written.updatedAt,
  });
  const version = await storeNote(person.id, mine);
  logger.info("customer note synced to Shopify", { shop: link.shop.domain, helpdeskCustomerId });
  return saved(mine, version, "shopify", null);
}

async function storeNote(helpdeskCustomerId: string, note: string | null) {
  const updated = await db.helpdeskCustomer.update({
    where: { id: helpdeskCustomerId },
    data: { note, noteVersion: { increment: 1 } },
    select: { noteVersion: true },
  });
  return updated.noteVersion;
}

function saved(
  note: string | null,
  version: number,
  synced: "shopify" | "local-only",
  reason: string | null,
): SaveNoteResult {
  return { status: "saved", note, version, synced, reason };
}
