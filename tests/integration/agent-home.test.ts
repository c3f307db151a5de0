import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMALL_SEED, startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill } from "../support/sync.ts";

// The home page as an agent's landing, through the real route loader and the signed-in staff member:
// their open tickets (only theirs, only this workspace's), the unassigned queue, what needs
// attention, and the system status in a merchant's words.
const SHOP = "north-trail.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: SMALL_SEED });
  expect((await stack.install(SHOP)).status).toBe(200);
  await waitForBackfill(SHOP);
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");
const tickets = await import("~/models/ticket.server");
const home = await import("~/routes/app._index");

const load = () => home.loader({ request: stack.adminRequest(SHOP, "/app"), params: {}, context: {} });

describe("home page for the signed-in agent", () => {
  it("lists my open tickets only (newest first), the unassigned queue and what needs attention, in this workspace only", async () => {
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    const workspaceId = shop.workspaceId;
    // The staff member the admin requests come from: recorded as an agent when the app was opened.
    const me = await db.agent.findFirstOrThrow({ where: { workspaceId } });
    const colleague = await db.agent.create({ data: { workspaceId, name: "Cy Colleague", email: "cy@x.example" } });
    const hour = 3600_000;
    const start = Date.now() - 10 * hour;
    let made = 0;
    const make = async (subject: string, changes: { assignee?: string; priority?: "high" | "urgent" } = {}) => {
      const ticket = await tickets.createTicket(workspaceId, {
        channel: "email",
        subject,
        firstMessage: { body: subject, at: new Date(start + ++made * 60_000) },
      });
      if (changes.assignee) await tickets.assignTicket(workspaceId, ticket.id, changes.assignee, changes.assignee);
      if (changes.priority) await tickets.setTicketPriority(workspaceId, ticket.id, changes.priority, null);
      return ticket;
    };
    const mineOld = await make("mine, older", { assignee: me.id });
    const mineNew = await make("mine, newer", { assignee: me.id, priority: "urgent" });
    const mineClosed = await make("mine, closed", { assignee: me.id });
    await tickets.setTicketStatus(workspaceId, mineClosed.id, { to: "closed" }, me.id);
    const wakingSoon = await make("mine, waking soon", { assignee: me.id });
    await tickets.setTicketStatus(
      workspaceId,
      wakingSoon.id,
      { to: "snoozed", until: new Date(Date.now() + 2 * hour) },
      me.id,
    );
    const wakingLater = await make("waking in three days");
    await tickets.setTicketStatus(
      workspaceId,
      wakingLater.id,
      { to: "snoozed", until: new Date(Date.now() + 72 * hour) },
      me.id,
    );
    const theirs = await make("the colleague's", { assignee: colleague.id, priority: "high" });
    const nobodys = await make("nobody's");

    // Another merchant's workspace, with a ticket (wrongly) naming me: never on my page.
    const other = await db.shop.create({
      data: { domain: `${randomUUID()}.myshopify.com`, workspace: { create: { name: "Other" } } },
    });
    const foreign = await db.ticket.create({
      data: {
        workspaceId: other.workspaceId,
        number: 1,
        channel: "chat",
        subject: "another merchant's",
        assigneeId: me.id,
        priority: "urgent",
      },
    });
    await db.ticket.create({
      data: { workspaceId: other.workspaceId, number: 2, channel: "chat", subject: "another merchant's, nobody's" },
    });

    const page = await load();
    const ids = (list: { tickets: { id: string }[] } | null) => list?.tickets.map((ticket) => ticket.id);
    expect(page.agent?.id).toBe(me.id);
    expect(ids(page.tickets.mine)).toEqual([mineNew.id, mineOld.id]);
    expect(page.tickets.mine?.total).toBe(2);
    expect(ids(page.tickets.unassigned)).toEqual([nobodys.id]);
    expect(page.tickets.unassigned.total).toBe(1);
    expect(ids(page.tickets.waking)).toEqual([wakingSoon.id]);
    expect(page.tickets.waking.tickets[0]!.wakesAt).toMatch(/\d{4}, \d{1,2}:\d{2} [AP]M [A-Z]/);
    expect(ids(page.tickets.urgent)).toEqual([mineNew.id, theirs.id]);
    expect(page.tickets.urgent.tickets[1]).toMatchObject({ assignee: "Cy Colleague", priority: "high" });
    const everyId = JSON.stringify(page.tickets);
    expect(everyId).not.toContain(foreign.id);
    expect(everyId).not.toContain("another merchant");
  });

  it("shows the system status in a merchant's words: no raw topics, times with their zone", async () => {
    const page = await load();
    if (page.lastUpdateFrom) expect(page.lastUpdateFrom).not.toMatch(/[/_]/);
    expect(page.installedAt).toMatch(/ (UTC|[A-Z]{2,5}|GMT[+-][\d:]+)$/);
    // The sync figures are still there for the System status section and its buttons.
    expect(page.sync.status).toBe("completed");
  });
});
