import { describe, expect, it } from "vitest";

// The events feed and integration triggers come from database triggers (migration
// integration_events): whatever writes a ticket (here the ticket model, as agents, email in, the
// portal and the API all do), the ApiEvent rows follow.

const { db } = await import("~/db.server");
const {
  addAgentReply,
  addCustomerMessage,
  addInternalNote,
  assignTicket,
  createTicket,
  setTicketPriority,
  setTicketStatus,
  setTicketTags,
  wakeTicketIfDue,
} = await import("~/models/ticket.server");
const { settleReply } = await import("~/models/reply-delivery.server");

async function world() {
  const workspace = await db.workspace.create({ data: { name: "Maple" } });
  const customer = await db.helpdeskCustomer.create({
    data: { workspaceId: workspace.id, name: "Ava Lind", emails: ["ava@example.com"] },
  });
  const agent = await db.agent.create({
    data: { workspaceId: workspace.id, name: "Bea", email: `bea-${crypto.randomUUID()}@example.com` },
  });
  return { workspaceId: workspace.id, customer, agent };
}

const eventsOf = (workspaceId: string) => db.apiEvent.findMany({ where: { workspaceId }, orderBy: { id: "asc" } });

describe("ticket events", () => {
  it("records creation, messages (notes as not public) and real changes, not a message's bookkeeping", async () => {
    const { workspaceId, customer, agent } = await world();
    const ticket = await createTicket(workspaceId, {
      channel: "email",
      subject: "Where is my order?",
      customerId: customer.id,
      firstMessage: { body: "Hello" },
    });
    await addCustomerMessage(workspaceId, ticket.id, { body: "Any news?" });
    await addAgentReply(workspaceId, ticket.id, agent.id, { body: "On its way" });
    await addInternalNote(workspaceId, ticket.id, agent.id, "Checked with the carrier");
    await assignTicket(workspaceId, ticket.id, agent.id, agent.id);
    await setTicketPriority(workspaceId, ticket.id, "high", agent.id);
    await setTicketTags(workspaceId, ticket.id, ["vip"], agent.id);

    const events = await eventsOf(workspaceId);
    expect(events.map(({ type }) => type)).toEqual([
      "ticket-created",
      "ticket-message-created",
      "ticket-message-created",
      "ticket-message-created",
      "ticket-message-created",
      "ticket-updated",
      "ticket-updated",
      "ticket-updated",
    ]);
    expect(events[0]).toMatchObject({ objectType: "Ticket", objectId: String(ticket.number), ticketId: ticket.id });
    const messages = await db.ticketEntry.findMany({
      where: { ticketId: ticket.id, kind: { not: "system_event" } },
      orderBy: { seq: "asc" },
    });
    expect(events.slice(1, 5).map(({ objectId }) => objectId)).toEqual(messages.map(({ id }) => id));
    expect(events[1]!.data).toMatchObject({ ticketNumber: ticket.number, kind: "customer_message", public: true });
    expect(events[4]!.data).toMatchObject({ kind: "internal_note", public: false });
    expect(events[5]!.data).toEqual({ changes: { assignee: [null, agent.id] } });
    expect(events[6]!.data).toEqual({ changes: { priority: ["normal", "high"] } });
    expect(events[7]!.data).toEqual({ changes: { tags: [[], ["vip"]] } });
  });

  it("tells a snooze running out (ticket-self-unsnoozed) from an agent opening the ticket early", async () => {
    const { workspaceId, customer, agent } = await world();
    const ticket = await createTicket(workspaceId, {
      channel: "chat",
      customerId: customer.id,
      firstMessage: { body: "Hi" },
    });
    const now = new Date();
    const until = new Date(now.getTime() + 60 * 60_000);
    await setTicketStatus(workspaceId, ticket.id, { to: "snoozed", until }, agent.id, now);
    // An agent opening it before its time: an update.
    await setTicketStatus(workspaceId, ticket.id, { to: "open" }, agent.id);
    const opened = (await eventsOf(workspaceId)).at(-1)!;
    expect(opened.type).toBe("ticket-updated");
    expect(opened.data).toMatchObject({ changes: { status: ["snoozed", "open"] } });

    await setTicketStatus(workspaceId, ticket.id, { to: "snoozed", until: new Date(Date.now() + 60_000) }, agent.id);
    await db.ticket.update({ where: { id: ticket.id }, data: { snoozedUntil: new Date(Date.now() - 1000) } });
    expect(await wakeTicketIfDue(workspaceId, ticket.id)).toBe(true);
    const woke = (await eventsOf(workspaceId)).at(-1)!;
    expect(woke.type).toBe("ticket-self-unsnoozed");
    expect(woke.data).toMatchObject({ changes: { status: ["snoozed", "open"] } });
  });

  it("records ticket-message-failed when a reply is settled as failed, not when it is sent", async () => {
    const { workspaceId, customer, agent } = await world();
    const ticket = await createTicket(workspaceId, {
      channel: "email",
      customerId: customer.id,
      firstMessage: { body: "Hi" },
    });
    const failing = await addAgentReply(workspaceId, ticket.id, agent.id, { body: "Hello" });
    const sent = await addAgentReply(workspaceId, ticket.id, agent.id, { body: "Hello again" });
    expect(await settleReply(workspaceId, failing.id, { status: "failed", error: "550 Mailbox unavailable" })).toBe(
      true,
    );
    expect(await settleReply(workspaceId, sent.id, { status: "sent" })).toBe(true);
    const failed = (await eventsOf(workspaceId)).filter(({ type }) => type === "ticket-message-failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ objectType: "TicketMessage", objectId: failing.id, ticketId: ticket.id });
    expect(failed[0]!.data).toMatchObject({ kind: "agent_reply", error: "550 Mailbox unavailable" });
  });
});
