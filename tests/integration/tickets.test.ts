import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import {
  addAgentReply,
  addCustomerMessage,
  addInternalNote,
  assignTicket,
  createTicket,
  findTicket,
  latestThreadPage,
  linkTicketOrder,
  setTicketPriority,
  setTicketStatus,
  setTicketTags,
  TicketChangeRefused,
  TicketNotFoundError,
  wakeTicketIfDue,
} from "~/models/ticket.server";
import { JOB_QUEUE_SCHEMA } from "~/jobs/boss.server";
import { stopJobs } from "~/jobs/queue.server";
import { ticketWakeJob, wakeOverdueTickets } from "~/jobs/tickets.server";
import { startJobWorkers } from "~/jobs/workers.server";
import { snoozeTicket } from "~/services/tickets/snooze.server";
import { eventually } from "../support/wait.ts";

// The ticket model on this file's own database: numbering, the thread and its system events, the
// status rules, and that nothing reaches across workspaces.

async function workspaceWithShop() {
  const shop = await db.shop.create({
    data: { domain: `${randomUUID()}.myshopify.com`, workspace: { create: { name: "Store" } } },
  });
  const customer = await db.helpdeskCustomer.create({
    data: { workspaceId: shop.workspaceId, name: "Ava Lind", emails: ["ava@example.com"] },
  });
  const agent = await db.agent.create({
    data: { workspaceId: shop.workspaceId, name: "Bea Agent", email: `bea-${randomUUID()}@example.com` },
  });
  const order = await db.shopifyOrder.create({
    data: {
      shopId: shop.id,
      shopifyId: `gid://shopify/Order/${Math.floor(Math.random() * 1e9)}`,
      name: "#1001",
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
  return { workspaceId: shop.workspaceId, shop, customer, agent, order };
}

const emailTicket = (customerId: string, body = "Where is my parcel?") =>
  ({
    channel: "email",
    subject: "Order #1001",
    customerId,
    firstMessage: { body, fromAddress: "ava@example.com", messageId: `<${randomUUID()}@mail.example>` },
  }) as const;

afterAll(() => stopJobs());

describe("tickets", () => {
  it("opens with its first message and a 'created' event, numbered per workspace", async () => {
    const one = await workspaceWithShop();
    const other = await workspaceWithShop();
    const first = await createTicket(one.workspaceId, emailTicket(one.customer.id));
    const second = await createTicket(one.workspaceId, emailTicket(one.customer.id));
    const elsewhere = await createTicket(other.workspaceId, emailTicket(other.customer.id));
    expect([first.number, second.number, elsewhere.number]).toEqual([1, 2, 1]);
    expect(first).toMatchObject({ status: "open", priority: "normal", channel: "email", messageCount: 1 });
    const { entries } = await latestThreadPage(one.workspaceId, first.id);
    expect(entries.map((entry) => entry.kind)).toEqual(["system_event", "customer_message"]);
    expect(entries[1]).toMatchObject({ body: "Where is my parcel?", fromAddress: "ava@example.com" });
  });

  it("gives concurrent tickets distinct numbers without gaps", async () => {
    const { workspaceId, customer } = await workspaceWithShop();
    const created = await Promise.all(
      Array.from({ length: 12 }, () => createTicket(workspaceId, emailTicket(customer.id))),
    );
    expect(created.map((ticket) => ticket.number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, index) => index + 1),
    );
  });

  it("makes a subject from the first message when there is none", async () => {
    const { workspaceId, customer } = await workspaceWithShop();
    const ticket = await createTicket(workspaceId, {
      channel: "chat",
      customerId: customer.id,
      firstMessage: { body: "  Hi!\n\nCan I change   my address?  " },
    });
    expect(ticket.subject).toBe("Hi! Can I change my address?");
  });

  it("re-opens a closed or snoozed ticket when the customer writes, recorded as automatic", async () => {
    const { workspaceId, customer, agent } = await workspaceWithShop();
    const ticket = await createTicket(workspaceId, emailTicket(customer.id));
    await setTicketStatus(workspaceId, ticket.id, { to: "closed" }, agent.id);
    expect((await findTicket(workspaceId, ticket.id))?.closedAt).not.toBeNull();
    await addCustomerMessage(workspaceId, ticket.id, { body: "Still waiting" });
    const reopened = await findTicket(workspaceId, ticket.id);
    expect(reopened).toMatchObject({ status: "open", closedAt: null, messageCount: 2 });
    const { entries } = await latestThreadPage(workspaceId, ticket.id);
    expect(entries.filter((entry) => entry.kind === "system_event").map((entry) => entry.event)).toEqual([
      { type: "created", channel: "email" },
      { type: "status_changed", from: "open", to: "closed", until: null, automatic: false },
      { type: "status_changed", from: "closed", to: "open", until: null, automatic: true },
    ]);
  });

  it("snoozes until a time, refuses a time in the past, and a durable job wakes it when the time comes", async () => {
    const { workspaceId, customer, agent } = await workspaceWithShop();
    const ticket = await createTicket(workspaceId, emailTicket(customer.id));
    const now = new Date();
    await expect(snoozeTicket(workspaceId, ticket.id, new Date(now.getTime() - 1000), agent.id)).rejects.toThrow(
      TicketChangeRefused,
    );
    const until = new Date(now.getTime() + 3600_000);
    await snoozeTicket(workspaceId, ticket.id, until, agent.id, now);
    expect(await findTicket(workspaceId, ticket.id)).toMatchObject({ status: "snoozed", snoozedUntil: until });
    // The wake-up is a job due at that time, in the queue's own table.
    const wakeJobs = () =>
      db.$queryRawUnsafe<{ state: string; start_after: Date }[]>(
        `SELECT state::text, start_after FROM "${JOB_QUEUE_SCHEMA}".job WHERE name = 'ticket-wake' AND data->>'ticketId' = $1`,
        ticket.id,
      );
    expect(await wakeJobs()).toEqual([{ state: "created", start_after: until }]);
    expect(await wakeTicketIfDue(workspaceId, ticket.id, new Date(until.getTime() - 1000))).toBe(false);

    // An hour passes (for the ticket and its job), and a worker runs the job.
    await db.ticket.update({ where: { id: ticket.id }, data: { snoozedUntil: new Date(Date.now() - 1000) } });
    await db.$executeRawUnsafe(
      `UPDATE "${JOB_QUEUE_SCHEMA}".job SET start_after = now() WHERE name = 'ticket-wake' AND data->>'ticketId' = $1`,
      ticket.id,
    );
    await startJobWorkers([ticketWakeJob]);
    await eventually(async () => (await findTicket(workspaceId, ticket.id))?.status === "open" || null, {
      timeoutMs: 30_000,
    });
    expect(await findTicket(workspaceId, ticket.id)).toMatchObject({ status: "open", snoozedUntil: null });
    const events = async () =>
      (await latestThreadPage(workspaceId, ticket.id)).entries
        .filter((entry) => entry.kind === "system_event")
        .map((entry) => entry.event);
    expect((await events()).at(-1)).toEqual({
      type: "status_changed",
      from: "snoozed",
      to: "open",
      until: null,
      automatic: true,
    });
    // Running it again (a retry, a duplicate) changes nothing.
    const before = await events();
    expect(await wakeTicketIfDue(workspaceId, ticket.id)).toBe(false);
    expect(await events()).toEqual(before);
  });

  it("a sweep wakes a snoozed ticket whose wake-up job never ran", async () => {
    const { workspaceId, customer, agent } = await workspaceWithShop();
    const ticket = await createTicket(workspaceId, emailTicket(customer.id));
    // Snoozed without its job (by hand, an import, or a job that ran out of retries).
    await setTicketStatus(workspaceId, ticket.id, { to: "snoozed", until: new Date(Date.now() + 120_000) }, agent.id);
    expect(await wakeOverdueTickets()).toBe(0);
    await db.ticket.update({ where: { id: ticket.id }, data: { snoozedUntil: new Date(Date.now() - 1000) } });
    expect(await wakeOverdueTickets()).toBeGreaterThanOrEqual(1);
    expect(await findTicket(workspaceId, ticket.id)).toMatchObject({ status: "open", snoozedUntil: null });
  });

  it("a wake-up that comes after the customer re-opened the ticket, or after a later snooze, does nothing", async () => {
    const { workspaceId, customer, agent } = await workspaceWithShop();
    const ticket = await createTicket(workspaceId, emailTicket(customer.id));
    const now = new Date();
    await snoozeTicket(workspaceId, ticket.id, new Date(now.getTime() + 120_000), agent.id, now);
    await snoozeTicket(workspaceId, ticket.id, new Date(now.getTime() + 7200_000), agent.id, now);
    // The first wake-up's time comes: the ticket is snoozed until later, so it stays snoozed.
    expect(await wakeTicketIfDue(workspaceId, ticket.id, new Date(now.getTime() + 130_000))).toBe(false);
    expect((await findTicket(workspaceId, ticket.id))?.status).toBe("snoozed");
    await addCustomerMessage(workspaceId, ticket.id, { body: "Any news?" });
    expect(await wakeTicketIfDue(workspaceId, ticket.id, new Date(now.getTime() + 7300_000))).toBe(false);
    expect((await findTicket(workspaceId, ticket.id))?.status).toBe("open");
  });

  it("records replies as pending, notes without moving the ticket, and assignment, tags, priority, orders as events", async () => {
    const { workspaceId, customer, agent, order } = await workspaceWithShop();
    const ticket = await createTicket(workspaceId, emailTicket(customer.id));
    const reply = await addAgentReply(workspaceId, ticket.id, agent.id, { body: "It ships today." });
    expect(reply).toMatchObject({ kind: "agent_reply", deliveryStatus: "pending", authorAgentId: agent.id });
    const afterReply = await findTicket(workspaceId, ticket.id);
    await addInternalNote(workspaceId, ticket.id, agent.id, "Called the carrier");
    expect((await findTicket(workspaceId, ticket.id))?.lastMessageAt).toEqual(afterReply?.lastMessageAt);

    await assignTicket(workspaceId, ticket.id, agent.id, agent.id);
    await assignTicket(workspaceId, ticket.id, agent.id, agent.id); // no change, no event
    await setTicketTags(workspaceId, ticket.id, ["  Shipping ", "shipping", "VIP"], agent.id);
    await setTicketPriority(workspaceId, ticket.id, "high", agent.id);
    await linkTicketOrder(workspaceId, ticket.id, order.id, agent.id);
    await linkTicketOrder(workspaceId, ticket.id, order.id, agent.id); // linked once

    const found = await findTicket(workspaceId, ticket.id);
    expect(found).toMatchObject({ assigneeId: agent.id, tags: ["shipping", "vip"], priority: "high" });
    expect(found?.orders.map((link) => link.order.name)).toEqual(["#1001"]);
    const events = (await latestThreadPage(workspaceId, ticket.id)).entries
      .filter((entry) => entry.kind === "system_event")
      .map((entry) => (entry.event as { type: string }).type);
    expect(events).toEqual(["created", "assigned", "tags_changed", "priority_changed", "order_linked"]);
  });

  it("pages a long thread back from the newest by keyset: every entry once, with its authors and files", async () => {
    const { workspaceId, customer, agent } = await workspaceWithShop();
    const ticket = await createTicket(workspaceId, emailTicket(customer.id));
    const start = Date.now();
    for (let index = 0; index < 25; index++) {
      // Pairs share a millisecond: the insertion order breaks the tie.
      const at = new Date(start + Math.floor(index / 2));
      if (index % 3 === 2) await addAgentReply(workspaceId, ticket.id, agent.id, { body: `reply ${index}`, at });
      else await addCustomerMessage(workspaceId, ticket.id, { body: `message ${index}`, at });
    }
    const withFiles = await db.ticketEntry.findFirstOrThrow({ where: { ticketId: ticket.id, body: "message 13" } });
    for (const [filename, size] of [
      ["label.pdf", 52_000],
      ["parcel.jpg", 800],
    ] as const) {
      await db.ticketAttachment.create({
        data: {
          entryId: withFiles.id,
          workspaceId,
          filename,
          contentType: filename.endsWith(".pdf") ? "application/pdf" : "image/jpeg",
          size,
          sha256: "0".repeat(64),
          content: Buffer.from("x"),
        },
      });
    }
    const seen: Awaited<ReturnType<typeof latestThreadPage>>["entries"] = [];
    let before: string | undefined;
    for (;;) {
      const page = await latestThreadPage(workspaceId, ticket.id, { before, limit: 10 });
      seen.unshift(...page.entries);
      if (!page.hasEarlier) break;
      before = page.entries[0]!.id;
    }
    expect(seen.map((entry) => entry.body).filter((body) => /^(message|reply) /.test(body))).toEqual(
      Array.from({ length: 25 }, (_, index) => `${index % 3 === 2 ? "reply" : "message"} ${index}`),
    );
    expect(seen).toHaveLength(27); // + the created event and the first message
    // Entry for entry what Prisma reads with the relations included (the thread's single statement
    // must not drift from it): columns, types (Date, bigint, JSON), both kinds of author, the files.
    const reference = await db.ticketEntry.findMany({
      where: { ticketId: ticket.id },
      orderBy: [{ createdAt: "asc" }, { seq: "asc" }],
      include: {
        authorAgent: { select: { id: true, name: true } },
        authorCustomer: { select: { id: true, name: true, emails: true } },
        attachments: { select: { id: true, filename: true, contentType: true, size: true } },
      },
    });
    expect(seen).toEqual(reference);
    expect(seen.find((entry) => entry.body === "reply 2")?.authorAgent).toEqual({ id: agent.id, name: "Bea Agent" });
    expect(seen.find((entry) => entry.body === "message 0")?.authorCustomer).toEqual({
      id: customer.id,
      name: "Ava Lind",
      emails: ["ava@example.com"],
    });
    expect(seen.find((entry) => entry.id === withFiles.id)?.attachments).toEqual([
      { id: expect.any(String), filename: "label.pdf", contentType: "application/pdf", size: 52_000 },
      { id: expect.any(String), filename: "parcel.jpg", contentType: "image/jpeg", size: 800 },
    ]);
    expect(seen.filter((entry) => entry.id !== withFiles.id).every((entry) => entry.attachments.length === 0)).toBe(
      true,
    );

    // The first entry as cursor: nothing earlier, which is not "not found".
    expect(await latestThreadPage(workspaceId, ticket.id, { before: seen[0]!.id })).toEqual({
      entries: [],
      hasEarlier: false,
    });
  });
});

describe("tickets across workspaces", () => {
  it("never finds, changes or links another workspace's ticket, agent, customer or order", async () => {
    const mine = await workspaceWithShop();
    const theirs = await workspaceWithShop();
    const their = await createTicket(theirs.workspaceId, emailTicket(theirs.customer.id));
    const snapshot = async () => ({
      ticket: await db.ticket.findUnique({ where: { id: their.id } }),
      entries: await db.ticketEntry.count({ where: { ticketId: their.id } }),
    });
    const before = await snapshot();

    const attempts = [
      () => addCustomerMessage(mine.workspaceId, their.id, { body: "hi" }),
      () => addAgentReply(mine.workspaceId, their.id, mine.agent.id, { body: "hi" }),
      () => addInternalNote(mine.workspaceId, their.id, mine.agent.id, "hi"),
      () => setTicketStatus(mine.workspaceId, their.id, { to: "closed" }, mine.agent.id),
      () => assignTicket(mine.workspaceId, their.id, mine.agent.id, mine.agent.id),
      () => setTicketTags(mine.workspaceId, their.id, ["x"], null),
      () => setTicketPriority(mine.workspaceId, their.id, "urgent", null),
      () => linkTicketOrder(mine.workspaceId, their.id, mine.order.id, null),
      () => latestThreadPage(mine.workspaceId, their.id, { before: randomUUID() }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toThrow(TicketNotFoundError);
    expect(await findTicket(mine.workspaceId, their.id)).toBeNull();
    expect(await latestThreadPage(mine.workspaceId, their.id)).toEqual({ entries: [], hasEarlier: false });

    // My ticket with their agent, customer or order: refused too.
    const own = await createTicket(mine.workspaceId, emailTicket(mine.customer.id));
    await expect(assignTicket(mine.workspaceId, own.id, theirs.agent.id, null)).rejects.toThrow(TicketChangeRefused);
    await expect(linkTicketOrder(mine.workspaceId, own.id, theirs.order.id, null)).rejects.toThrow(TicketChangeRefused);
    await expect(createTicket(mine.workspaceId, { ...emailTicket(theirs.customer.id) })).rejects.toThrow(
      TicketChangeRefused,
    );
    await expect(
      createTicket(mine.workspaceId, { ...emailTicket(mine.customer.id), shopId: theirs.shop.id }),
    ).rejects.toThrow(TicketChangeRefused);

    // A thread cursor is an entry of that very ticket in this workspace: their ticket's entry, or
    // another ticket's, is "not found" (not an empty page).
    const theirEntry = await db.ticketEntry.findFirstOrThrow({ where: { ticketId: their.id } });
    const ownEntries = await db.ticketEntry.findMany({
      where: { ticketId: own.id },
      orderBy: [{ createdAt: "asc" }, { seq: "asc" }],
    });
    const ownEntry = ownEntries.at(-1)!;
    const other = await createTicket(mine.workspaceId, emailTicket(mine.customer.id));
    for (const [ticketId, before] of [
      [own.id, theirEntry.id],
      [their.id, theirEntry.id],
      [other.id, ownEntry.id],
    ]) {
      await expect(latestThreadPage(mine.workspaceId, ticketId!, { before })).rejects.toThrow(TicketNotFoundError);
    }
    const earlier = await latestThreadPage(mine.workspaceId, own.id, { before: ownEntry.id });
    expect(earlier.entries.map(({ id }) => id)).toEqual(ownEntries.slice(0, -1).map(({ id }) => id));

    expect(await snapshot()).toEqual(before);
    expect(await findTicket(mine.workspaceId, own.id)).toMatchObject({ assigneeId: null, number: 1 });
  });
});
