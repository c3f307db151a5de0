import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { InboxQuerySchema } from "~/domain/inbox-query";
import { inboxTallies } from "~/models/inbox-tally.server";
import { InboxCursorError, INBOX_PAGE_SIZE, listInbox } from "~/models/inbox.server";
import {
  addCustomerMessage,
  assignTicket,
  createTicket,
  linkTicketOrder,
  setTicketPriority,
  setTicketStatus,
} from "~/models/ticket.server";

// The inbox list on this file's own database: views and their counts, filters, search, sorts, and
// keyset pages that neither repeat nor skip a ticket.

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

const query = (input: Record<string, string> = {}) => InboxQuerySchema.parse(input);

/** Every ticket id of the list, following its pages forward. */
async function allPages(workspaceId: string, agentId: string | null, input: Record<string, string>) {
  const ids: string[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await listInbox(workspaceId, agentId, query({ ...input, ...(after ? { after } : {}) }));
    ids.push(...page.tickets.map((ticket) => ticket.id));
    if (!page.next) return ids;
    after = page.next;
  }
  throw new Error("too many pages");
}

describe("inbox list", () => {
  it("pages forward and back through every ticket exactly once, in each sort", async () => {
    const { workspaceId } = await workspace();
    const start = Date.now() - 1000 * 60 * 60;
    const total = INBOX_PAGE_SIZE * 2 + 7;
    for (let index = 0; index < total; index++) {
      const ticket = await createTicket(workspaceId, {
        channel: "email",
        subject: `Ticket ${index}`,
        // Many share a time, so the id has to break ties.
        firstMessage: { body: "hello", at: new Date(start + Math.floor(index / 3) * 1000) },
      });
      if (index % 5 === 0) await setTicketPriority(workspaceId, ticket.id, index % 10 === 0 ? "urgent" : "high", null);
    }
    for (const sort of ["last_message", "created", "priority"]) {
      const forward = await allPages(workspaceId, null, { view: "all", sort });
      expect(forward).toHaveLength(total);
      expect(new Set(forward).size).toBe(total);
      // Back from the last page to the first gives the same order.
      const pages: string[][] = [];
      let page = await listInbox(workspaceId, null, query({ view: "all", sort }));
      while (page.next) page = await listInbox(workspaceId, null, query({ view: "all", sort, after: page.next }));
      pages.unshift(page.tickets.map((ticket) => ticket.id));
      while (page.previous) {
        page = await listInbox(workspaceId, null, query({ view: "all", sort, before: page.previous }));
        pages.unshift(page.tickets.map((ticket) => ticket.id));
      }
      expect(pages.flat()).toEqual(forward);
    }
    const byPriority = await listInbox(workspaceId, null, query({ view: "all", sort: "priority" }));
    expect(byPriority.tickets.slice(0, 11).map((ticket) => ticket.priority)).toEqual(Array(11).fill("urgent"));
  });

  it("has views with counts: open, unassigned, mine, snoozed, closed, all", async () => {
    const { workspaceId, bea, cy } = await workspace();
    const make = (subject: string) =>
      createTicket(workspaceId, { channel: "chat", subject, firstMessage: { body: subject } });
    const mine = await make("mine");
    const theirs = await make("theirs");
    await make("nobody's");
    const snoozed = await make("snoozed");
    const closed = await make("closed");
    await assignTicket(workspaceId, mine.id, bea.id, bea.id);
    await assignTicket(workspaceId, theirs.id, cy.id, cy.id);
    await setTicketStatus(workspaceId, snoozed.id, { to: "snoozed", until: new Date(Date.now() + 3600_000) }, bea.id);
    await setTicketStatus(workspaceId, closed.id, { to: "closed" }, bea.id);

    expect((await inboxTallies(workspaceId, bea.id)).counts).toEqual({
      open: 3,
      unassigned: 1,
      mine: 1,
      snoozed: 1,
      closed: 1,
      all: 5,
    });
    const subjects = async (view: string, agentId: string | null = bea.id) =>
      (await listInbox(workspaceId, agentId, query({ view }))).tickets.map((ticket) => ticket.subject).sort();
    expect(await subjects("open")).toEqual(["mine", "nobody's", "theirs"]);
    expect(await subjects("unassigned")).toEqual(["nobody's"]);
    expect(await subjects("mine")).toEqual(["mine"]);
    expect(await subjects("mine", null)).toEqual([]);
    expect(await subjects("snoozed")).toEqual(["snoozed"]);
    expect(await subjects("closed")).toEqual(["closed"]);
  });

  it("filters by channel, priority, assignee and tag, and searches subject, messages, customer and order number", async () => {
    const { shop, workspaceId, bea } = await workspace();
    const customer = await db.helpdeskCustomer.create({
      data: { workspaceId, name: "Zoë Müller", emails: ["zoe@example.com"] },
    });
    const order = await db.shopifyOrder.create({
      data: {
        shopId: shop.id,
        shopifyId: `gid://shopify/Order/${Math.floor(Math.random() * 1e9)}`,
        name: "#4821",
        shopifyCreatedAt: new Date(),
        shopifyUpdatedAt: new Date(),
        fulfillmentStatus: "UNFULFILLED",
        shopperStatus: "processing",
        totalAmount: "1.00",
        currencyCode: "EUR",
        snapshot: {},
        activityAt: new Date(),
      },
    });
    const email = await createTicket(workspaceId, {
      channel: "email",
      subject: "Parcel late",
      customerId: customer.id,
      tags: ["Shipping"],
      priority: "high",
      firstMessage: { body: "Where is it?" },
    });
    await linkTicketOrder(workspaceId, email.id, order.id, null);
    await addCustomerMessage(workspaceId, email.id, { body: "The tracking link says returned to sender" });
    const chat = await createTicket(workspaceId, {
      channel: "chat",
      subject: "Size question",
      firstMessage: { body: "Is M big?" },
    });
    await assignTicket(workspaceId, chat.id, bea.id, bea.id);

    const subjects = async (input: Record<string, string>) =>
      (await listInbox(workspaceId, bea.id, query({ view: "all", ...input }))).tickets.map((ticket) => ticket.subject);
    expect(await subjects({ channel: "chat" })).toEqual(["Size question"]);
    expect(await subjects({ priority: "high" })).toEqual(["Parcel late"]);
    expect(await subjects({ assignee: bea.id })).toEqual(["Size question"]);
    expect(await subjects({ assignee: "none" })).toEqual(["Parcel late"]);
    expect(await subjects({ tag: "SHIPPING" })).toEqual(["Parcel late"]);
    expect(await subjects({ q: "returned to sender" })).toEqual(["Parcel late"]);
    expect(await subjects({ q: "zoë mü" })).toEqual(["Parcel late"]);
    expect(await subjects({ q: "ZOE@example.com" })).toEqual(["Parcel late"]);
    expect(await subjects({ q: "4821" })).toEqual(["Parcel late"]);
    expect(await subjects({ q: "#4821" })).toEqual(["Parcel late"]);
    expect(await subjects({ q: "size" })).toEqual(["Size question"]);
    expect(await subjects({ q: "nothing like this" })).toEqual([]);
    // A search's rows (read in one statement) are the list's rows, field for field.
    const listed = (await listInbox(workspaceId, bea.id, query({ view: "all" }))).tickets;
    for (const q of ["zoë mü", "size"]) {
      const [found] = (await listInbox(workspaceId, bea.id, query({ view: "all", q }))).tickets;
      expect(found).toEqual(listed.find((ticket) => ticket.id === found!.id));
    }
    expect(listed.find((ticket) => ticket.subject === "Size question")?.assignee).toEqual({ id: bea.id, name: "Bea" });
    expect((await inboxTallies(workspaceId, bea.id)).tags).toEqual(["shipping"]);
  });

  it("search pages are the list's pages without the tickets that do not match, in either search step", async () => {
    const { workspaceId } = await workspace();
    const kettleby = await db.helpdeskCustomer.create({ data: { workspaceId, name: "Kettleby Ünal", emails: [] } });
    const other = await db.helpdeskCustomer.create({ data: { workspaceId, name: "Other", emails: ["o@x.example"] } });
    const start = Date.now() - 1000 * 60 * 60;
    const matching = new Set<string>();
    for (let index = 0; index < 120; index++) {
      const ticket = await createTicket(workspaceId, {
        channel: "email",
        subject: index === 1 ? "50% off" : index % 7 === 0 ? `Kettle ${index}` : `Ticket ${index}`,
        customerId: index % 11 === 0 ? kettleby.id : other.id,
        tags: index % 2 ? ["vip"] : [],
        // Many share a time, so the id has to break ties.
        firstMessage: {
          body: index % 3 === 0 ? "The KETTLE leaks" : "hello",
          at: new Date(start + (index >> 2) * 1000),
        },
      });
      if (index % 4 === 1) await setTicketPriority(workspaceId, ticket.id, "high", null);
      if (index % 5 === 2) await setTicketStatus(workspaceId, ticket.id, { to: "closed" }, null);
      if (index % 7 === 0 || index % 3 === 0 || index % 11 === 0) matching.add(ticket.id);
    }
    expect(matching.size).toBeGreaterThan(INBOX_PAGE_SIZE);

    const pages = async (input: Record<string, string>, searchWindow?: number) => {
      const forward: string[] = [];
      let page = await listInbox(workspaceId, null, query(input), { searchWindow });
      forward.push(...page.tickets.map((ticket) => ticket.id));
      while (page.next) {
        page = await listInbox(workspaceId, null, query({ ...input, after: page.next }), { searchWindow });
        forward.push(...page.tickets.map((ticket) => ticket.id));
      }
      const backward = page.tickets.map((ticket) => ticket.id);
      while (page.previous) {
        page = await listInbox(workspaceId, null, query({ ...input, before: page.previous }), { searchWindow });
        backward.unshift(...page.tickets.map((ticket) => ticket.id));
      }
      expect(backward).toEqual(forward);
      return forward;
    };
    for (const view of ["all", "open", "closed"])
      for (const sort of ["last_message", "created", "priority"])
        for (const filter of [{}, { tag: "vip" }, { priority: "high" }] as Record<string, string>[]) {
          const input = { view, sort, ...filter };
          const expected = (await pages(input)).filter((id) => matching.has(id));
          // The default window holds every ticket here (step 1); a window of 5 falls through to step 2.
          expect(await pages({ ...input, q: "kettle" })).toEqual(expected);
          expect(await pages({ ...input, q: "kettle" }, 5)).toEqual(expected);
        }
    const subjects = async (q: string, searchWindow?: number) =>
      (await listInbox(workspaceId, null, query({ view: "all", q }), { searchWindow })).tickets.map((t) => t.subject);
    for (const searchWindow of [undefined, 5]) {
      // % _ and \ are taken literally.
      expect(await subjects("50%", searchWindow)).toEqual(["50% off"]);
      expect(await subjects("5_%", searchWindow)).toEqual([]);
      expect(await subjects("\\", searchWindow)).toEqual([]);
      // The customer's name, accents and all, through its unaccented searchText in step 2.
      expect((await subjects("kettleby Ünal", searchWindow)).length).toBe(11);
    }
  });

  it("finds a match at the start and at the end of a long thread, whose text spans several chunks, through every step", async () => {
    const { workspaceId } = await workspace();
    const long = await createTicket(workspaceId, {
      channel: "email",
      subject: "Long story",
      firstMessage: { body: "The teapot and the needle in the haystack" },
    });
    for (let index = 0; index < 110; index++) {
      await addCustomerMessage(workspaceId, long.id, { body: `More ${index} ${"words ".repeat(40)}` });
    }
    await addCustomerMessage(workspaceId, long.id, { body: "And a thimble at the very end" });
    // Its text: the first 16 KB on the ticket's row, the rest in further chunks.
    expect(await db.ticketSearchText.count({ where: { ticketId: long.id } })).toBeGreaterThan(0);
    for (let index = 0; index < 8; index++) {
      await createTicket(workspaceId, {
        channel: "email",
        subject: `Short ${index}`,
        firstMessage: { body: index % 2 ? "A teapot" : "Nothing here" },
      });
    }
    const subjects = async (q: string, searchWindow?: number) =>
      (await listInbox(workspaceId, null, query({ view: "all", q }), { searchWindow })).tickets
        .map((ticket) => ticket.subject)
        .sort();
    // Windows: the probe holds the whole view, holds part of it (a rare term: step 2; a common
    // one: step 1), or one ticket.
    for (const searchWindow of [undefined, 20, 5]) {
      expect(await subjects("needle", searchWindow)).toEqual(["Long story"]);
      expect(await subjects("THIMBLE", searchWindow)).toEqual(["Long story"]);
      expect(await subjects("teapot", searchWindow)).toEqual([
        "Long story",
        "Short 1",
        "Short 3",
        "Short 5",
        "Short 7",
      ]);
    }
  });

  it("refuses unknown views, sorts, channels and cursors with a message", async () => {
    const { workspaceId } = await workspace();
    const problem = (input: Record<string, string>) => InboxQuerySchema.safeParse(input).error?.issues[0]?.message;
    expect(problem({ view: "trash" })).toBe("Choose one of the inbox views.");
    expect(problem({ sort: "random" })).toBe("Sort by last message, newest or priority.");
    expect(problem({ channel: "fax" })).toBe("Choose one of the channels.");
    expect(problem({ assignee: "not-an-id" })).toBe("Choose one of the agents.");
    expect(problem({ q: "x".repeat(201) })).toBe("Search for at most 200 characters.");
    expect(problem({ q: "a\u0000b" })).toMatch(/cannot be saved/);
    await expect(listInbox(workspaceId, null, query({ after: "garbage" }))).rejects.toThrow(InboxCursorError);
    const wrongKind = Buffer.from(JSON.stringify({ key: "not a date", id: randomUUID() })).toString("base64url");
    await expect(listInbox(workspaceId, null, query({ after: wrongKind }))).rejects.toThrow(InboxCursorError);
  });
});
