import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import type { InboxView } from "~/domain/inbox-query";
import { foldInboxTallies, inboxTallies, rebuildInboxTallies, TALLY_FOLD_THRESHOLD } from "~/models/inbox-tally.server";
import { assignTicket, createTicket, setTicketStatus, setTicketTags } from "~/models/ticket.server";

// The inbox's view counts and tag list come from InboxTally, kept by triggers on Ticket (decision
// 022). Each test compares them with a count of the tickets themselves, after every kind of change
// a ticket goes through, including concurrent ones and the folds that compact the tallies.

async function workspace() {
  const shop = await db.shop.create({
    data: { domain: `${randomUUID()}.myshopify.com`, workspace: { create: { name: "Store" } } },
  });
  const agent = (name: string) =>
    db.agent.create({
      data: { workspaceId: shop.workspaceId, name, email: `${name.toLowerCase()}-${randomUUID()}@x.example` },
    });
  return { shop, workspaceId: shop.workspaceId, bea: await agent("Bea"), cy: await agent("Cy") };
}

/** The counts and tags the inbox should show, counted from the tickets. */
async function countedFromTickets(workspaceId: string, agentId: string | null) {
  const tickets = await db.ticket.findMany({
    where: { workspaceId },
    select: { status: true, assigneeId: true, tags: true },
  });
  const open = tickets.filter((ticket) => ticket.status === "open");
  const counts: Record<InboxView, number> = {
    open: open.length,
    unassigned: open.filter((ticket) => ticket.assigneeId === null).length,
    mine: open.filter((ticket) => agentId !== null && ticket.assigneeId === agentId).length,
    snoozed: tickets.filter((ticket) => ticket.status === "snoozed").length,
    closed: tickets.filter((ticket) => ticket.status === "closed").length,
    all: tickets.length,
  };
  const byTag = new Map<string, number>();
  for (const tag of tickets.flatMap((ticket) => [...new Set(ticket.tags)])) byTag.set(tag, (byTag.get(tag) ?? 0) + 1);
  const tags = [...byTag].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1)).map(([tag]) => tag);
  return { counts, tags };
}

async function expectTalliesRight(workspaceId: string, agentId: string | null) {
  expect(await inboxTallies(workspaceId, agentId)).toEqual(await countedFromTickets(workspaceId, agentId));
}

const make = (workspaceId: string, subject: string, tags: string[] = []) =>
  createTicket(workspaceId, { channel: "email", subject, tags, firstMessage: { body: subject } });

describe("inbox tallies", () => {
  it("stay exact through creation, assignment, status and tag changes, an agent's removal and deletion", async () => {
    const { workspaceId, bea, cy } = await workspace();
    expect(await inboxTallies(workspaceId, bea.id)).toEqual({
      counts: { open: 0, unassigned: 0, mine: 0, snoozed: 0, closed: 0, all: 0 },
      tags: [],
    });
    const a = await make(workspaceId, "a", ["vip", "shipping"]);
    const b = await make(workspaceId, "b", ["shipping"]);
    const c = await make(workspaceId, "c");
    await expectTalliesRight(workspaceId, bea.id);
    expect((await inboxTallies(workspaceId, bea.id)).tags).toEqual(["shipping", "vip"]);

    await assignTicket(workspaceId, a.id, bea.id, bea.id);
    await assignTicket(workspaceId, b.id, cy.id, cy.id);
    await expectTalliesRight(workspaceId, bea.id);
    await expectTalliesRight(workspaceId, cy.id);
    await setTicketStatus(workspaceId, a.id, { to: "snoozed", until: new Date(Date.now() + 3600_000) }, bea.id);
    await setTicketStatus(workspaceId, c.id, { to: "closed" }, bea.id);
    await expectTalliesRight(workspaceId, bea.id);
    await setTicketStatus(workspaceId, a.id, { to: "open" }, bea.id);
    await setTicketTags(workspaceId, b.id, ["returns", "vip"], bea.id);
    await setTicketTags(workspaceId, a.id, [], bea.id);
    await expectTalliesRight(workspaceId, bea.id);
    expect((await inboxTallies(workspaceId, bea.id)).tags).toEqual(["returns", "vip"]);

    // An agent removed: their tickets become unassigned (ON DELETE SET NULL fires the trigger too).
    await db.agent.delete({ where: { id: cy.id } });
    await expectTalliesRight(workspaceId, bea.id);
    expect((await inboxTallies(workspaceId, bea.id)).counts.unassigned).toBe(1);

    await db.ticket.delete({ where: { id: b.id } });
    await expectTalliesRight(workspaceId, bea.id);
    // A new message changes no counted column, so it writes no tally row.
    const rows = await db.inboxTally.count({ where: { workspaceId } });
    await db.ticket.update({
      where: { id: a.id },
      data: { lastMessageAt: new Date(), messageCount: { increment: 1 } },
    });
    expect(await db.inboxTally.count({ where: { workspaceId } })).toBe(rows);
  });

  it("follow tickets to another workspace, and go with a deleted workspace without blocking its deletion", async () => {
    const from = await workspace();
    const to = await workspace();
    const moving = await make(from.workspaceId, "moving", ["vip"]);
    await make(from.workspaceId, "staying", ["vip"]);
    await db.ticket.update({ where: { id: moving.id }, data: { workspaceId: to.workspaceId, number: 1000 } });
    await expectTalliesRight(from.workspaceId, null);
    await expectTalliesRight(to.workspaceId, null);
    expect((await inboxTallies(to.workspaceId, null)).counts.all).toBe(1);

    // Its shop leaves first (a workspace with a shop cannot be deleted), then the workspace goes.
    await db.shop.delete({ where: { id: from.shop.id } });
    await db.workspace.delete({ where: { id: from.workspaceId } });
    expect(await db.inboxTally.count({ where: { workspaceId: from.workspaceId } })).toBe(0);
    await expectTalliesRight(to.workspaceId, null);
  });

  it("stay exact under concurrent changes and folds, without a deadlock", async () => {
    const { workspaceId, bea, cy } = await workspace();
    const tickets = await Promise.all(Array.from({ length: 10 }, (_, index) => make(workspaceId, `t${index}`)));
    const tagSets = [["vip"], ["shipping"], ["vip", "shipping"], [], ["returns"]];
    const statuses = [{ to: "closed" as const }, { to: "open" as const }];
    const changes = Array.from({ length: 80 }, (_, index) => {
      const ticket = tickets[index % tickets.length]!;
      switch (index % 4) {
        case 0:
          return assignTicket(workspaceId, ticket.id, index % 8 ? bea.id : cy.id, null);
        case 1:
          return setTicketTags(workspaceId, ticket.id, tagSets[index % tagSets.length]!, null);
        case 2:
          return setTicketStatus(workspaceId, ticket.id, statuses[index % 2]!, null);
        default:
          return foldInboxTallies(workspaceId);
      }
    });
    const outcomes = await Promise.allSettled(changes);
    expect(outcomes.filter((outcome) => outcome.status === "rejected")).toEqual([]);
    await expectTalliesRight(workspaceId, bea.id);
    await expectTalliesRight(workspaceId, cy.id);
  });

  it("are folded into one row per key once a read finds many, the counts unchanged", async () => {
    const { workspaceId, bea } = await workspace();
    const ticket = await make(workspaceId, "busy", ["vip"]);
    await make(workspaceId, "quiet");
    // Each tag change appends a row (shipping: +1, then -1): well past the threshold.
    for (let index = 0; index < TALLY_FOLD_THRESHOLD + 10; index++) {
      await setTicketTags(workspaceId, ticket.id, index % 2 ? ["vip"] : ["vip", "shipping"], null);
    }
    expect(await db.inboxTally.count({ where: { workspaceId } })).toBeGreaterThan(TALLY_FOLD_THRESHOLD);
    const before = await countedFromTickets(workspaceId, bea.id);
    expect(before.tags).toEqual(["vip"]);
    expect(await inboxTallies(workspaceId, bea.id)).toEqual(before); // and starts the fold
    // One row per key with tickets: the open unassigned view and "vip" (shipping nets to zero).
    await vi.waitFor(async () => expect(await db.inboxTally.count({ where: { workspaceId } })).toBe(2));
    await expectTalliesRight(workspaceId, bea.id);
  });

  it("are rebuilt from the tickets (after a load that bypassed the triggers)", async () => {
    const { workspaceId, bea } = await workspace();
    await make(workspaceId, "one", ["vip"]);
    await make(workspaceId, "two");
    await db.inboxTally.deleteMany({ where: { workspaceId } });
    expect((await inboxTallies(workspaceId, bea.id)).counts.all).toBe(0);
    await rebuildInboxTallies();
    await expectTalliesRight(workspaceId, bea.id);
  });
});
