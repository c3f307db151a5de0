import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { listInbox } from "~/models/inbox.server";
import { InboxQuerySchema } from "~/domain/inbox-query";
import {
  addAgentReply,
  addCustomerMessage,
  addInternalNote,
  assignTicket,
  createTicket,
  setTicketStatus,
} from "~/models/ticket.server";

// Inbox search reads a ticket's messages through TicketSearchText: its messages and notes,
// lower-cased, in chunks of about 16 KB, kept by triggers on TicketEntry (decision 020). Each test
// compares that text with what the entries say after every kind of change, and checks search
// finds what the text holds.

const CHUNK = 16384;

async function workspace() {
  const shop = await db.shop.create({
    data: { domain: `${randomUUID()}.myshopify.com`, workspace: { create: { name: "Store" } } },
  });
  const agent = await db.agent.create({
    data: { workspaceId: shop.workspaceId, name: "Bea", email: `bea-${randomUUID()}@x.example` },
  });
  return { shop, workspaceId: shop.workspaceId, agentId: agent.id };
}

/** The ticket's text as stored: its chunks in order, the first on the ticket's row (none once it is deleted). */
async function storedText(ticketId: string) {
  const [ticket] = await db.$queryRaw<{ searchText: string; searchTextChunks: number }[]>`
    SELECT "searchText", "searchTextChunks" FROM "Ticket" WHERE id = ${ticketId}`;
  const more = await db.ticketSearchText.findMany({ where: { ticketId }, orderBy: { chunk: "asc" } });
  if (!ticket) return more;
  expect(more.map((chunk) => chunk.chunk)).toEqual(more.map((_, index) => index + 1));
  expect(ticket.searchTextChunks).toBe(more.length);
  return [{ chunk: 0, body: ticket.searchText }, ...more].filter((chunk) => chunk.chunk > 0 || chunk.body !== "");
}

/** What the text must hold: every message and note, lower-cased, in thread order, none split. */
async function expectTextMatchesEntries(ticketId: string) {
  // lower() as the database has it (its collation decides what has a lower case).
  const entries = await db.$queryRaw<{ body: string }[]>`
    SELECT lower(body) AS body FROM "TicketEntry"
     WHERE "ticketId" = ${ticketId} AND kind <> 'system_event' AND body <> ''
     ORDER BY "createdAt", seq`;
  const chunks = await storedText(ticketId);
  const lowered = entries.map((entry) => entry.body);
  expect(chunks.map((chunk) => chunk.body).join("\n")).toBe(lowered.join("\n"));
  // Each message whole in one chunk, and a chunk past 16 KB only when one message alone is.
  const inChunks = chunks.flatMap((chunk) => chunk.body.split("\n"));
  expect(inChunks).toEqual(lowered.flatMap((body) => body.split("\n")));
  for (const chunk of chunks) {
    if (chunk.body.length > CHUNK) expect(lowered).toContain(chunk.body);
  }
}

const search = async (workspaceId: string, q: string, searchWindow?: number) =>
  (await listInbox(workspaceId, null, InboxQuerySchema.parse({ view: "all", q }), { searchWindow })).tickets.map(
    (ticket) => ticket.number,
  );

describe("a ticket's search text", () => {
  it("follows new messages, replies and notes, lower-cased, and spills into new chunks in a long thread", async () => {
    const { workspaceId, agentId } = await workspace();
    const ticket = await createTicket(workspaceId, { channel: "email", firstMessage: { body: "Where is my PARCEL?" } });
    await addAgentReply(workspaceId, ticket.id, agentId, { body: "It left the Warehouse today." });
    await addInternalNote(workspaceId, ticket.id, agentId, "Carrier says ÉTÉ delivery");
    await setTicketStatus(workspaceId, ticket.id, { to: "closed" }, agentId);
    await assignTicket(workspaceId, ticket.id, agentId, agentId);
    await expectTextMatchesEntries(ticket.id);
    expect((await storedText(ticket.id))[0]!.body).toContain("where is my parcel?\nit left the warehouse today.");

    // About 70 KB of messages: five chunks, each message whole in one.
    const line = (index: number) => `Message ${index}: ${"lorem ipsum ".repeat(80)}END${index}`;
    for (let index = 0; index < 70; index += 1) {
      await addCustomerMessage(workspaceId, ticket.id, { body: line(index) });
    }
    await addCustomerMessage(workspaceId, ticket.id, { body: "the word Zanzibar, last of all" });
    await expectTextMatchesEntries(ticket.id);
    expect((await storedText(ticket.id)).length).toBeGreaterThanOrEqual(5);

    // Search sees the newest chunk and an old one, through each of its steps.
    await createTicket(workspaceId, { channel: "email", firstMessage: { body: "Another question" } });
    for (const window of [undefined, 1, 5]) {
      expect(await search(workspaceId, "ZANZIBAR", window)).toEqual([ticket.number]);
      expect(await search(workspaceId, "end3:", window)).toEqual([]);
      expect(await search(workspaceId, "message 3:", window)).toEqual([ticket.number]);
      expect(await search(workspaceId, "parcel", window)).toEqual([ticket.number]);
      expect(await search(workspaceId, "says ÉTÉ", window)).toEqual([ticket.number]);
    }
  });

  it("is rebuilt when messages are erased, moved to another ticket or removed, and goes with its ticket", async () => {
    const { shop, workspaceId, agentId } = await workspace();
    const first = await createTicket(workspaceId, {
      channel: "email",
      subject: "Order",
      firstMessage: { body: "Secret Alpha" },
    });
    const second = await createTicket(workspaceId, {
      channel: "email",
      subject: "Order",
      firstMessage: { body: "Beta question" },
    });
    const reply = await addAgentReply(workspaceId, first.id, agentId, { body: "Gamma answer" });
    await addCustomerMessage(workspaceId, first.id, { body: "Delta follow-up" });

    // Erased (the privacy redaction empties bodies in one statement).
    await db.ticketEntry.updateMany({ where: { ticketId: first.id, body: { contains: "Alpha" } }, data: { body: "" } });
    await expectTextMatchesEntries(first.id);
    expect(await search(workspaceId, "alpha")).toEqual([]);

    // A message moved to another ticket leaves one text and joins the other.
    await db.ticketEntry.update({ where: { id: reply.id }, data: { ticketId: second.id } });
    await expectTextMatchesEntries(first.id);
    await expectTextMatchesEntries(second.id);
    expect(await search(workspaceId, "gamma")).toEqual([second.number]);

    // Removed.
    await db.ticketEntry.delete({ where: { id: reply.id } });
    await expectTextMatchesEntries(second.id);
    expect(await search(workspaceId, "gamma")).toEqual([]);

    // A status update elsewhere (delivery, workspace) changes no text.
    await db.ticketEntry.updateMany({ where: { ticketId: first.id }, data: { deliveryAttempts: 3 } });
    await expectTextMatchesEntries(first.id);

    await db.ticket.delete({ where: { id: first.id } });
    expect(await storedText(first.id)).toEqual([]);
    await db.shop.delete({ where: { id: shop.id } });
    await db.workspace.delete({ where: { id: workspaceId } });
    expect(await storedText(second.id)).toEqual([]);
  });

  it("stays whole when many messages reach one ticket at once", async () => {
    const { workspaceId, agentId } = await workspace();
    const ticket = await createTicket(workspaceId, { channel: "chat", firstMessage: { body: "Start" } });
    const long = "x".repeat(3000);
    await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        index % 2 === 0
          ? addCustomerMessage(workspaceId, ticket.id, { body: `Shopper ${index} ${long}` })
          : addAgentReply(workspaceId, ticket.id, agentId, { body: `Agent ${index} ${long}` }),
      ),
    );
    await expectTextMatchesEntries(ticket.id);
    expect((await storedText(ticket.id)).length).toBeGreaterThan(5);
  });
});
