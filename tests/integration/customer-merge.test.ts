import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { MergeSnapshotSchema } from "~/domain/customer-merge";
import type { ShopifyCustomerSnapshot } from "~/domain/shopify/snapshots";
import {
  CustomerMergeRefused,
  listCustomerMerges,
  mergeCustomers,
  mergeSuggestions,
  undoCustomerMerge,
} from "~/models/customer-merge.server";
import { customerSidebar } from "~/models/customer-sidebar.server";
import { saveCustomerVersion } from "~/models/shopify-customer.server";
import { setTicketCustomer, ticketTakingMessages } from "~/models/ticket-customer.server";
import {
  addAgentReply,
  addCustomerMessage,
  addInternalNote,
  createTicket,
  TicketChangeRefused,
  TicketNotFoundError,
} from "~/models/ticket.server";
import { collectCustomerData, eraseCustomerData } from "~/services/privacy/personal-data.server";

// Merging customers and undoing it, and setting a ticket's customer, on this file's own database:
// what moves, what a refusal leaves untouched, that an undo restores rows exactly, and that the
// Shopify sync neither splits a merge nor reaches across workspaces.

const KEEP_SURVIVOR = { name: "survivor", note: "survivor", primaryEmail: null, primaryPhone: null } as const;

async function workspace() {
  const shop = await db.shop.create({
    data: {
      domain: `${randomUUID()}.myshopify.com`,
      name: "Maple Goods",
      workspace: { create: { name: "Store" } },
    },
  });
  const agent = await db.agent.create({
    data: { workspaceId: shop.workspaceId, name: "Bea Agent", email: `bea-${randomUUID()}@example.com` },
  });
  return { workspaceId: shop.workspaceId, shop, agent };
}

const HOME = {
  name: null,
  firstName: "Ava",
  lastName: "Lind",
  company: null,
  address1: "12 Rue de la Paix",
  address2: null,
  city: "Paris",
  province: null,
  provinceCode: null,
  country: "France",
  countryCode: "FR",
  zip: "75002",
  phone: null,
};

function shopifySnapshot(
  id: string,
  email: string,
  fields: Partial<ShopifyCustomerSnapshot> = {},
): ShopifyCustomerSnapshot {
  const at = fields.updatedAt ?? new Date(Date.now() - 3600_000).toISOString();
  return {
    id,
    firstName: "Ava",
    lastName: "Lind",
    displayName: "Ava Lind",
    email,
    phone: null,
    phoneE164: null,
    note: null,
    tags: [],
    state: "ENABLED",
    locale: "fr",
    createdAt: at,
    updatedAt: at,
    defaultAddress: HOME,
    addresses: [HOME],
    numberOfOrders: 0,
    amountSpent: null,
    ...fields,
  } as ShopifyCustomerSnapshot;
}

/** A Shopify customer of `shop` filed by the sync (so under the person with its email). */
async function syncedCustomer(
  shop: { id: string; workspaceId: string },
  email: string,
  fields: Partial<ShopifyCustomerSnapshot> = {},
) {
  const gid = `gid://shopify/Customer/${Math.floor(Math.random() * 1e12)}`;
  await saveCustomerVersion({ ...shop, notesSyncEnabled: false }, shopifySnapshot(gid, email, fields));
  return db.shopifyCustomer.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: gid } } });
}

async function order(shop: { id: string }, shopifyCustomerId: string) {
  return db.shopifyOrder.create({
    data: {
      shopId: shop.id,
      shopifyId: `gid://shopify/Order/${Math.floor(Math.random() * 1e12)}`,
      shopifyCustomerId,
      name: `#${Math.floor(Math.random() * 9000) + 1000}`,
      shopifyCreatedAt: new Date(),
      shopifyUpdatedAt: new Date(),
      fulfillmentStatus: "UNFULFILLED",
      shopperStatus: "processing",
      totalAmount: "10.00",
      currencyCode: "EUR",
      snapshot: {},
      activityAt: new Date(),
    },
  });
}

async function person(
  workspaceId: string,
  fields: { name: string; emails: string[]; phones?: string[]; note?: string },
) {
  return db.helpdeskCustomer.create({ data: { workspaceId, phones: [], ...fields } });
}

const emailTicket = (customerId: string | null, body = "Where is my parcel?") => ({
  channel: "email" as const,
  subject: body,
  customerId,
  firstMessage: { body, fromAddress: "ava@example.com" },
});

/** Everything about two people, to compare before a merge and after its undo. */
async function rowsOf(ids: string[]) {
  const order = { orderBy: { id: "asc" as const } };
  return {
    people: await db.helpdeskCustomer.findMany({ where: { id: { in: ids } }, ...order }),
    tickets: await db.ticket.findMany({ where: { customerId: { in: ids } }, ...order }),
    entries: await db.ticketEntry.findMany({ where: { authorCustomerId: { in: ids } }, ...order }),
    shopifyCustomers: await db.shopifyCustomer.findMany({ where: { helpdeskCustomerId: { in: ids } }, ...order }),
  };
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CustomerMergeRefused);
  return error as CustomerMergeRefused;
}

/** Two profiles of one person: a shopper of the store, and the same person writing from work. */
async function twoProfiles() {
  const ws = await workspace();
  const email = `ava-${randomUUID()}@example.com`;
  const work = `ava-${randomUUID()}@work.example`;
  const link = await syncedCustomer(ws.shop, email, { note: "Prefers pickup", numberOfOrders: 2 });
  await order(ws.shop, link.shopifyId);
  const survivor = await db.helpdeskCustomer.update({
    where: { id: link.helpdeskCustomerId! },
    data: { note: "VIP", phones: ["+33612345678"] },
  });
  const merged = await person(ws.workspaceId, {
    name: "A. Lind",
    emails: [work],
    phones: ["612345678"],
    note: "Gift wrap",
  });
  const survivorTicket = await createTicket(ws.workspaceId, emailTicket(survivor.id, "First question"));
  const mergedTicket = await createTicket(ws.workspaceId, emailTicket(merged.id, "From work"));
  await addCustomerMessage(ws.workspaceId, mergedTicket.id, { body: "Any news?" });
  return { ...ws, survivor, merged, link, email, work, survivorTicket, mergedTicket };
}

describe("mergeCustomers", () => {
  it("moves the merged profile's tickets, messages and Shopify customers, applies the choices and deletes it", async () => {
    const f = await twoProfiles();
    const mergedLink = await syncedCustomer(f.shop, f.work, { firstName: "A.", numberOfOrders: 0 });
    expect(mergedLink.helpdeskCustomerId).toBe(f.merged.id);
    const entriesBefore = await db.ticketEntry.count({ where: { authorCustomerId: f.merged.id } });
    expect(entriesBefore).toBe(2);

    const result = await mergeCustomers(
      f.workspaceId,
      {
        survivorId: f.survivor.id,
        mergedId: f.merged.id,
        choices: { name: "merged", note: "both", primaryEmail: f.work, primaryPhone: null },
      },
      f.agent.id,
    );

    expect(result).toMatchObject({ survivorId: f.survivor.id, movedTickets: 1 });
    expect(await db.helpdeskCustomer.findUnique({ where: { id: f.merged.id } })).toBeNull();
    const after = await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: f.survivor.id } });
    expect(after.name).toBe("A. Lind");
    expect(after.emails).toEqual([f.work, f.email]);
    expect(after.phones).toEqual(["+33612345678", "612345678"]);
    expect(after.note).toBe("VIP\n\n— Note of A. Lind: Gift wrap");
    expect(after.noteVersion).toBe(f.survivor.noteVersion + 1);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: f.mergedTicket.id } })).customerId).toBe(f.survivor.id);
    expect(await db.ticketEntry.count({ where: { authorCustomerId: f.survivor.id } })).toBe(entriesBefore + 1);
    expect((await db.shopifyCustomer.findUniqueOrThrow({ where: { id: mergedLink.id } })).helpdeskCustomerId).toBe(
      f.survivor.id,
    );
    // The moved ticket says what happened, in words.
    const note = await db.ticketEntry.findFirstOrThrow({
      where: { ticketId: f.mergedTicket.id, kind: "system_event" },
      orderBy: { seq: "desc" },
    });
    expect(note.event).toMatchObject({ type: "customer_merged", fromName: "A. Lind", undone: false });
    expect(note.authorAgentId).toBe(f.agent.id);

    const [listed] = await listCustomerMerges(f.workspaceId, f.survivor.id);
    expect(listed).toMatchObject({ mergedName: "A. Lind", mergedBy: "Bea Agent", canUndo: true, whyNot: null });
  });

  it("is refused with 409 and the store's name when both have Shopify orders in the same store; nothing changes", async () => {
    const f = await twoProfiles();
    const otherLink = await syncedCustomer(f.shop, f.work, { numberOfOrders: 1 });
    expect(otherLink.helpdeskCustomerId).toBe(f.merged.id);
    const before = await rowsOf([f.survivor.id, f.merged.id]);

    const refused = await refusal(
      mergeCustomers(
        f.workspaceId,
        { survivorId: f.survivor.id, mergedId: f.merged.id, choices: KEEP_SURVIVOR },
        f.agent.id,
      ),
    );
    expect(refused.status).toBe(409);
    expect(refused.message).toMatch(/both have Shopify orders in Maple Goods\./);
    expect(await rowsOf([f.survivor.id, f.merged.id])).toEqual(before);
    expect(await db.customerMerge.count({ where: { workspaceId: f.workspaceId } })).toBe(0);
  });

  it("is allowed when their orders are in different stores of the workspace", async () => {
    const f = await twoProfiles();
    const us = await db.shop.create({
      data: { domain: `${randomUUID()}.myshopify.com`, name: "Maple US", workspaceId: f.workspaceId },
    });
    const usLink = await syncedCustomer(us, f.work, { numberOfOrders: 3 });
    await order(us, usLink.shopifyId);
    expect(usLink.helpdeskCustomerId).toBe(f.merged.id);
    await mergeCustomers(
      f.workspaceId,
      { survivorId: f.survivor.id, mergedId: f.merged.id, choices: KEEP_SURVIVOR },
      f.agent.id,
    );
    expect((await db.shopifyCustomer.findUniqueOrThrow({ where: { id: usLink.id } })).helpdeskCustomerId).toBe(
      f.survivor.id,
    );
  });

  it("refuses the same profile twice (400), another workspace's profile (404) and a primary email neither has (400)", async () => {
    const f = await twoProfiles();
    const other = await workspace();
    const stranger = await person(other.workspaceId, { name: "Stranger", emails: [`s-${randomUUID()}@example.com`] });
    const merge = (survivorId: string, mergedId: string, choices: Parameters<typeof mergeCustomers>[1]["choices"]) =>
      refusal(mergeCustomers(f.workspaceId, { survivorId, mergedId, choices }, f.agent.id));

    expect((await merge(f.survivor.id, f.survivor.id, KEEP_SURVIVOR)).status).toBe(400);
    expect((await merge(f.survivor.id, stranger.id, KEEP_SURVIVOR)).status).toBe(404);
    expect((await merge(stranger.id, f.survivor.id, KEEP_SURVIVOR)).status).toBe(404);
    expect(
      (await merge(f.survivor.id, f.merged.id, { ...KEEP_SURVIVOR, primaryEmail: "someone@else.example" })).status,
    ).toBe(400);
    // Another workspace's agent is no agent here.
    expect(
      (
        await refusal(
          mergeCustomers(
            f.workspaceId,
            { survivorId: f.survivor.id, mergedId: f.merged.id, choices: KEEP_SURVIVOR },
            other.agent.id,
          ),
        )
      ).status,
    ).toBe(404);
    expect(await db.helpdeskCustomer.count({ where: { id: { in: [f.merged.id, stranger.id] } } })).toBe(2);
  });

  it("is not split by later Shopify customers/update versions, nor duplicated by a new Shopify customer", async () => {
    const f = await twoProfiles();
    const mergedLink = await syncedCustomer(f.shop, f.work, { numberOfOrders: 0 });
    await mergeCustomers(
      f.workspaceId,
      { survivorId: f.survivor.id, mergedId: f.merged.id, choices: KEEP_SURVIVOR },
      f.agent.id,
    );
    const peopleBefore = await db.helpdeskCustomer.count({ where: { workspaceId: f.workspaceId } });

    // A newer version of the merged profile's Shopify customer (a customers/update webhook).
    const shop = { ...f.shop, notesSyncEnabled: false };
    expect(
      await saveCustomerVersion(
        shop,
        shopifySnapshot(mergedLink.shopifyId, f.work, { firstName: "Ava B.", updatedAt: new Date().toISOString() }),
      ),
    ).toBe("updated");
    // A new Shopify customer with the merged profile's email (customers/create in another store).
    const us = await db.shop.create({
      data: { domain: `${randomUUID()}.myshopify.com`, name: "Maple US", workspaceId: f.workspaceId },
    });
    const usLink = await syncedCustomer(us, f.work);

    expect((await db.shopifyCustomer.findUniqueOrThrow({ where: { id: mergedLink.id } })).helpdeskCustomerId).toBe(
      f.survivor.id,
    );
    expect(usLink.helpdeskCustomerId).toBe(f.survivor.id);
    expect(await db.helpdeskCustomer.count({ where: { workspaceId: f.workspaceId } })).toBe(peopleBefore);
  });
});

describe("undoCustomerMerge", () => {
  it("restores both profiles, their tickets, messages and Shopify customers exactly", async () => {
    const f = await twoProfiles();
    await syncedCustomer(f.shop, f.work, { numberOfOrders: 0 });
    const ids = [f.survivor.id, f.merged.id];
    const before = await rowsOf(ids);
    const { mergeId } = await mergeCustomers(
      f.workspaceId,
      {
        survivorId: f.survivor.id,
        mergedId: f.merged.id,
        choices: { name: "merged", note: "both", primaryEmail: f.work, primaryPhone: "612345678" },
      },
      f.agent.id,
    );
    // A ticket opened after the merge stays with the survivor.
    const later = await createTicket(f.workspaceId, emailTicket(f.survivor.id, "After the merge"));

    const undone = await undoCustomerMerge(f.workspaceId, mergeId, f.agent.id);
    expect(undone).toEqual({ survivorId: f.survivor.id, restoredId: f.merged.id });

    const after = await rowsOf(ids);
    expect(after.people).toEqual(before.people);
    expect(after.shopifyCustomers).toEqual(before.shopifyCustomers);
    expect(after.entries).toEqual(
      [
        ...before.entries,
        ...(await db.ticketEntry.findMany({ where: { ticketId: later.id, authorCustomerId: { not: null } } })),
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(after.tickets.filter((ticket) => ticket.id !== later.id)).toEqual(before.tickets);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: later.id } })).customerId).toBe(f.survivor.id);

    const merge = await db.customerMerge.findUniqueOrThrow({ where: { id: mergeId } });
    expect(merge.undoneAt).not.toBeNull();
    expect(merge.undoneByAgentId).toBe(f.agent.id);
    expect(MergeSnapshotSchema.parse(merge.snapshot).moved.tickets).toEqual([f.mergedTicket.id]);

    // Undone once: a second undo is refused and changes nothing.
    const again = await refusal(undoCustomerMerge(f.workspaceId, mergeId, f.agent.id));
    expect(again.status).toBe(409);
    expect(again.message).toMatch(/already undone/);
    expect((await rowsOf(ids)).people).toEqual(before.people);
  });

  it("keeps what changed on the survivor since the merge", async () => {
    const f = await twoProfiles();
    const { mergeId } = await mergeCustomers(
      f.workspaceId,
      { survivorId: f.survivor.id, mergedId: f.merged.id, choices: KEEP_SURVIVOR },
      f.agent.id,
    );
    await db.helpdeskCustomer.update({
      where: { id: f.survivor.id },
      data: { note: "Edited after", noteVersion: { increment: 1 }, emails: { push: "new@example.com" } },
    });
    await undoCustomerMerge(f.workspaceId, mergeId, f.agent.id);
    const survivor = await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: f.survivor.id } });
    expect(survivor.note).toBe("Edited after");
    expect(survivor.emails).toEqual([f.email, "new@example.com"]);
    const restored = await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: f.merged.id } });
    expect(restored.emails).toEqual([f.work]);
  });

  it("is refused after 30 days, and for another workspace's merge", async () => {
    const f = await twoProfiles();
    const { mergeId } = await mergeCustomers(
      f.workspaceId,
      { survivorId: f.survivor.id, mergedId: f.merged.id, choices: KEEP_SURVIVOR },
      f.agent.id,
    );
    const late = new Date(Date.now() + 31 * 24 * 3600_000);
    const refused = await refusal(undoCustomerMerge(f.workspaceId, mergeId, f.agent.id, late));
    expect(refused.status).toBe(409);
    expect(refused.message).toMatch(/can be undone for 30 days/);
    const [listed] = await listCustomerMerges(f.workspaceId, f.survivor.id, late);
    expect(listed).toMatchObject({ canUndo: false });

    const other = await workspace();
    expect((await refusal(undoCustomerMerge(other.workspaceId, mergeId, other.agent.id))).status).toBe(404);
    expect(await listCustomerMerges(other.workspaceId, f.survivor.id)).toEqual([]);
    expect(await db.helpdeskCustomer.count({ where: { id: f.merged.id } })).toBe(0);
  });

  it("refuses to undo a merge whose survivor was since merged into another profile, until that is undone", async () => {
    const f = await twoProfiles();
    const third = await person(f.workspaceId, { name: "Ava Lind (old)", emails: [`old-${randomUUID()}@example.com`] });
    const first = await mergeCustomers(
      f.workspaceId,
      { survivorId: f.survivor.id, mergedId: f.merged.id, choices: KEEP_SURVIVOR },
      f.agent.id,
    );
    const second = await mergeCustomers(
      f.workspaceId,
      { survivorId: third.id, mergedId: f.survivor.id, choices: KEEP_SURVIVOR },
      f.agent.id,
    );
    // The first merge follows its survivor into the third profile's history.
    const listed = await listCustomerMerges(f.workspaceId, third.id);
    expect(listed.map((merge) => [merge.id, merge.canUndo])).toEqual([
      [second.mergeId, true],
      [first.mergeId, false],
    ]);

    const refused = await refusal(undoCustomerMerge(f.workspaceId, first.mergeId, f.agent.id));
    expect(refused.status).toBe(409);
    expect(refused.message).toMatch(/was since merged into Ava Lind \(old\)\. Undo that merge first/);

    await undoCustomerMerge(f.workspaceId, second.mergeId, f.agent.id);
    await undoCustomerMerge(f.workspaceId, first.mergeId, f.agent.id);
    expect(await db.helpdeskCustomer.count({ where: { id: { in: [f.survivor.id, f.merged.id, third.id] } } })).toBe(3);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: f.mergedTicket.id } })).customerId).toBe(f.merged.id);
  });
});

describe("mergeSuggestions", () => {
  it("suggests profiles of the workspace with the same email, phone, or name and address — never another workspace's", async () => {
    const f = await twoProfiles();
    const samePhone = f.merged; // 612345678 is the survivor's +33612345678 without its country code
    const sameEmail = await person(f.workspaceId, { name: "Someone", emails: [f.email] });
    const namesake = await person(f.workspaceId, { name: "Ava Lind", emails: [`x-${randomUUID()}@example.com`] });
    const sameHome = await person(f.workspaceId, { name: "AVA LIND", emails: [`home-${randomUUID()}@example.com`] });
    const homeLink = await syncedCustomer(f.shop, `home2-${randomUUID()}@example.com`);
    await db.shopifyCustomer.update({ where: { id: homeLink.id }, data: { helpdeskCustomerId: sameHome.id } });
    const other = await workspace();
    await person(other.workspaceId, { name: "Ava Lind", emails: [f.email] });

    const suggestions = await mergeSuggestions(f.workspaceId, f.survivor.id);
    expect(suggestions.map((suggestion) => suggestion.id)).toEqual([sameEmail.id, samePhone.id, sameHome.id]);
    expect(suggestions.map((suggestion) => suggestion.id)).not.toContain(namesake.id);
    expect(await mergeSuggestions(other.workspaceId, f.survivor.id)).toEqual([]);
  });
});

describe("setTicketCustomer", () => {
  it("on a live chat: closes the old ticket to new messages and continues in a new chat for the chosen customer", async () => {
    const f = await twoProfiles();
    const chat = await createTicket(f.workspaceId, {
      channel: "chat",
      shopId: f.shop.id,
      customerId: null,
      tags: ["vip"],
      firstMessage: { body: "Hi, is my order shipped?" },
    });

    const result = await setTicketCustomer(f.workspaceId, chat.id, f.survivor.id, f.agent.id);
    expect(result.continued).toBe(true);
    expect(result.ticketId).not.toBe(chat.id);

    const old = await db.ticket.findUniqueOrThrow({ where: { id: chat.id } });
    expect(old).toMatchObject({ acceptsMessages: false, continuedInTicketId: result.ticketId, status: "closed" });
    const next = await db.ticket.findUniqueOrThrow({ where: { id: result.ticketId } });
    expect(next).toMatchObject({
      channel: "chat",
      status: "open",
      customerId: f.survivor.id,
      shopId: f.shop.id,
      tags: ["vip"],
      acceptsMessages: true,
    });
    expect(next.number).toBe(old.number + 1);
    const events = async (ticketId: string) =>
      (await db.ticketEntry.findMany({ where: { ticketId, kind: "system_event" }, orderBy: { seq: "asc" } })).map(
        (entry) => entry.event,
      );
    expect(await events(chat.id)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "customer_set", fromCustomerId: null, toCustomerId: f.survivor.id }),
        expect.objectContaining({ type: "continued", direction: "in", otherTicketNumber: next.number }),
      ]),
    );
    expect(await events(next.id)).toEqual([
      { type: "created", channel: "chat" },
      { type: "continued", direction: "from", otherTicketId: chat.id, otherTicketNumber: old.number },
    ]);

    // The old chat refuses new messages; the new one takes them.
    await expect(addCustomerMessage(f.workspaceId, chat.id, { body: "Hello?" })).rejects.toBeInstanceOf(
      TicketChangeRefused,
    );
    await addCustomerMessage(f.workspaceId, next.id, { body: "Hello?" });
    // The chat's intake finds where the conversation goes on (and nothing for another workspace).
    expect(await ticketTakingMessages(f.workspaceId, chat.id)).toBe(next.id);
    expect(await ticketTakingMessages(f.workspaceId, next.id)).toBe(next.id);
    expect(await ticketTakingMessages((await workspace()).workspaceId, chat.id)).toBeNull();
    // Setting the customer again on the old chat points to where it continues.
    await expect(setTicketCustomer(f.workspaceId, chat.id, f.merged.id, f.agent.id)).rejects.toThrow(
      `continues in ticket #${next.number}`,
    );

    // The profile's sidebar lists both tickets, linked to the ticket page.
    const sidebar = await customerSidebar(f.workspaceId, f.survivor.id, {
      shopDomain: f.shop.domain,
      shopTimeZone: null,
    });
    expect(sidebar!.tickets.map((ticket) => ticket.url)).toEqual(
      expect.arrayContaining([`/app/tickets/${chat.id}`, `/app/tickets/${next.id}`]),
    );
    expect(sidebar!.customer).toMatchObject({ location: "Paris, France", timeZone: "Europe/Paris" });
    expect(sidebar!.customer.localTime).toMatch(/^\d\d:\d\d$/);
  });

  it("on an email ticket: sets the customer and records it, without a new ticket", async () => {
    const f = await twoProfiles();
    const count = await db.ticket.count({ where: { workspaceId: f.workspaceId } });
    const result = await setTicketCustomer(f.workspaceId, f.mergedTicket.id, f.survivor.id, f.agent.id);
    expect(result).toEqual({ ticketId: f.mergedTicket.id, continued: false });
    expect(await db.ticket.count({ where: { workspaceId: f.workspaceId } })).toBe(count);
    const ticket = await db.ticket.findUniqueOrThrow({ where: { id: f.mergedTicket.id } });
    expect(ticket).toMatchObject({ customerId: f.survivor.id, acceptsMessages: true });
    const last = await db.ticketEntry.findFirstOrThrow({
      where: { ticketId: ticket.id, kind: "system_event" },
      orderBy: { seq: "desc" },
    });
    expect(last.event).toMatchObject({ type: "customer_set", fromCustomerId: f.merged.id, toName: "Ava Lind" });
    // The same customer again changes nothing.
    const entries = await db.ticketEntry.count({ where: { ticketId: ticket.id } });
    await setTicketCustomer(f.workspaceId, ticket.id, f.survivor.id, f.agent.id);
    expect(await db.ticketEntry.count({ where: { ticketId: ticket.id } })).toBe(entries);
  });

  it("refuses another workspace's ticket, customer or agent, changing nothing", async () => {
    const f = await twoProfiles();
    const other = await workspace();
    const stranger = await person(other.workspaceId, { name: "Stranger", emails: [`s-${randomUUID()}@example.com`] });
    const before = await db.ticket.findUniqueOrThrow({ where: { id: f.mergedTicket.id } });
    await expect(
      setTicketCustomer(other.workspaceId, f.mergedTicket.id, stranger.id, other.agent.id),
    ).rejects.toBeInstanceOf(TicketNotFoundError);
    await expect(setTicketCustomer(f.workspaceId, f.mergedTicket.id, stranger.id, f.agent.id)).rejects.toThrow(
      /another workspace/,
    );
    await expect(setTicketCustomer(f.workspaceId, f.mergedTicket.id, f.survivor.id, other.agent.id)).rejects.toThrow(
      /another workspace/,
    );
    expect(await db.ticket.findUniqueOrThrow({ where: { id: f.mergedTicket.id } })).toEqual(before);
    expect(await customerSidebar(other.workspaceId, f.survivor.id, { shopDomain: "x", shopTimeZone: null })).toBeNull();
  });
});

describe("customers/redact erases the shopper's tickets", () => {
  async function ticketWithEverything(
    workspaceId: string,
    agentId: string,
    customerId: string,
    shopId: string | null,
    email: string,
  ) {
    const ticket = await createTicket(workspaceId, {
      channel: "email",
      subject: `Parcel for ${email}`,
      customerId,
      shopId,
      firstMessage: {
        body: "My address is 12 Rue de la Paix",
        fromAddress: email,
        messageId: `<m-${randomUUID()}@example.com>`,
      },
    });
    const message = await addCustomerMessage(workspaceId, ticket.id, {
      body: "Call me on 0612345678",
      fromAddress: email,
    });
    await db.ticketAttachment.create({
      data: {
        entryId: message.id,
        workspaceId,
        filename: "passport.jpg",
        contentType: "image/jpeg",
        size: 3,
        sha256: "abc",
        content: Buffer.from("abc"),
      },
    });
    await addAgentReply(workspaceId, ticket.id, agentId, { body: "Hello Ava, it ships today", toAddresses: [email] });
    await addInternalNote(workspaceId, ticket.id, agentId, "Ava is a regular, lives in Paris");
    return ticket;
  }

  it("empties every message, reply, note and attachment of their tickets; other shoppers' and other stores' tickets stay", async () => {
    const f = await twoProfiles();
    const us = await db.shop.create({
      data: { domain: `${randomUUID()}.myshopify.com`, name: "Maple US", workspaceId: f.workspaceId },
    });
    // f.survivor is known only through this store's Shopify customer: they go with the erasure.
    const gone = await ticketWithEverything(f.workspaceId, f.agent.id, f.survivor.id, null, f.email);
    // The thread names them in its events too (customer set away and back).
    await setTicketCustomer(f.workspaceId, gone.id, f.merged.id, f.agent.id);
    await setTicketCustomer(f.workspaceId, gone.id, f.survivor.id, f.agent.id);
    // A buyer of both stores: only the tickets that came through this store are theirs to erase here.
    const both = `both-${randomUUID()}@example.com`;
    const euLink = await syncedCustomer(f.shop, both);
    const usLink = await syncedCustomer(us, both);
    expect(usLink.helpdeskCustomerId).toBe(euLink.helpdeskCustomerId);
    const viaEu = await ticketWithEverything(f.workspaceId, f.agent.id, euLink.helpdeskCustomerId!, f.shop.id, both);
    const viaUs = await ticketWithEverything(f.workspaceId, f.agent.id, euLink.helpdeskCustomerId!, us.id, both);
    const untouched = await db.ticketEntry.findMany({ where: { ticketId: { in: [viaUs.id, f.mergedTicket.id] } } });
    const otherTickets = await db.ticket.findMany({ where: { id: { in: [viaUs.id, f.mergedTicket.id] } } });
    // A merge of the person keeps a copy of them for its undo: it goes too.
    const extra = await person(f.workspaceId, { name: "Ava (old)", emails: [`old-${randomUUID()}@example.com`] });
    await mergeCustomers(
      f.workspaceId,
      { survivorId: f.survivor.id, mergedId: extra.id, choices: KEEP_SURVIVOR },
      f.agent.id,
    );

    // An HTTP integration called for the tickets: its log holds the email in the rendered URL.
    const integration = await db.integration.create({
      data: { workspaceId: f.workspaceId, type: "http", name: "Loop Returns", http: { url: "https://example.com/" } },
    });
    for (const ticket of [gone, viaUs]) {
      await db.integrationDelivery.create({
        data: {
          workspaceId: f.workspaceId,
          integrationId: integration.id,
          trigger: "ticket-created",
          ticketId: ticket.id,
          idempotencyKey: `key-${ticket.id}`,
          requestMethod: "GET",
          requestUrl: `https://example.com/returns?customer_email=${encodeURIComponent(f.email)}`,
          status: "succeeded",
        },
      });
    }
    expect(await db.apiEvent.count({ where: { ticketId: gone.id } })).toBeGreaterThan(0);
    // What the integration answered about each of them, for their sidebar widget.
    for (const customerId of [f.survivor.id, euLink.helpdeskCustomerId!]) {
      await db.integrationResponse.create({
        data: {
          workspaceId: f.workspaceId,
          integrationId: integration.id,
          customerId,
          body: { data: [{ order_name: "#1001", address: "12 Rue de la Paix" }] },
        },
      });
    }

    const report = await collectCustomerData({
      shopDomain: f.shop.domain,
      customer: { id: f.link.shopifyId.split("/").pop(), email: f.email },
      orderIds: [],
    });
    expect(JSON.stringify(report.tickets)).toContain("My address is 12 Rue de la Paix");
    expect(report.integrationData).toMatchObject([
      { integration: "Loop Returns", answer: { data: [{ address: "12 Rue de la Paix" }] } },
    ]);

    for (const [link, email] of [
      [f.link, f.email],
      [euLink, both],
    ] as const) {
      await eraseCustomerData({
        shopDomain: f.shop.domain,
        customer: { id: link.shopifyId.split("/").pop(), email },
        orderIds: [],
      });
    }

    for (const ticket of [gone, viaEu]) {
      const erased = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id }, include: { entries: true } });
      expect(erased).toMatchObject({
        number: ticket.number,
        subject: "(erased at the customer's request)",
        customerId: null,
      });
      for (const entry of erased.entries) {
        expect(entry).toMatchObject({
          body: "",
          fromAddress: null,
          toAddresses: [],
          messageId: null,
          authorCustomerId: null,
        });
        expect(JSON.stringify(entry.event ?? {})).not.toMatch(/Ava Lind/);
      }
      expect(await db.ticketAttachment.count({ where: { entry: { ticketId: ticket.id } } })).toBe(0);
    }
    // The events feed and the delivery log keep nothing of the erased tickets (their subjects were in
    // the feed's changes); the other store's ticket keeps its history.
    expect(await db.apiEvent.count({ where: { ticketId: { in: [gone.id, viaEu.id] } } })).toBe(0);
    expect(await db.integrationDelivery.findMany({ where: { integrationId: integration.id } })).toMatchObject([
      { ticketId: viaUs.id },
    ]);
    expect(await db.apiEvent.count({ where: { ticketId: viaUs.id } })).toBeGreaterThan(0);
    // The stored answers go, also for the buyer who stays through the other store (a copy).
    expect(await db.integrationResponse.count({ where: { integrationId: integration.id } })).toBe(0);
    expect(await db.helpdeskCustomer.count({ where: { id: f.survivor.id } })).toBe(0);
    expect(await db.customerMerge.count({ where: { workspaceId: f.workspaceId } })).toBe(0);
    expect(await db.ticketEntry.findMany({ where: { ticketId: { in: [viaUs.id, f.mergedTicket.id] } } })).toEqual(
      untouched,
    );
    expect(await db.ticket.findMany({ where: { id: { in: [viaUs.id, f.mergedTicket.id] } } })).toEqual(otherTickets);
  });
});
