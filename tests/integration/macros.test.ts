import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFulfillment, buildLineItem, buildOrder, buildTracking } from "~/domain/order-snapshot";
import type { MacroSettingsPage } from "~/services/macro-settings.server";
import { startIntegrationStack, SMALL_SEED, type IntegrationStack } from "../support/integration-stack.ts";
import { unwrap } from "../support/route-results.ts";

// Macros on this file's own database: the settings page's loader and action (through the route,
// as the admin calls it), the model, and the ticket page's service calls with a real ticket,
// customer and order. One workspace never sees or changes another's macros.

const EU = "maple-goods-eu.myshopify.com";
const NORTH = "north-trail.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: SMALL_SEED });
  expect((await stack.install(EU)).status).toBe(200);
  expect((await stack.install(NORTH)).status).toBe(200);
});
afterAll(() => stack?.stop());

const { db } = await import("~/db.server");
const route = await import("~/routes/app.settings.macros");
const macros = await import("~/models/macro.server");
const service = await import("~/services/macros.server");
const tickets = await import("~/models/ticket.server");
const { STARTER_MACROS, STARTER_MACRO_KEYS } = await import("~/domain/macros");
const { createWorkspaceLinkCode, joinWorkspace, leaveWorkspace } = await import("~/services/workspace-link.server");

/** A route's answer as the client gets it: `data(..., { status })` or a plain value (200). */

const load = async (shop: string, query = "") =>
  unwrap(
    await route.loader({ request: stack.adminRequest(shop, `/app/settings/macros${query}`), params: {}, context: {} }),
  ) as unknown as { status: number; body: MacroSettingsPage };

async function post(shop: string, form: Record<string, string>, init: RequestInit = {}) {
  const request = stack.adminRequest(shop, "/app/settings/macros", {
    method: "POST",
    body: new URLSearchParams(form),
    ...init,
  });
  return unwrap(await route.action({ request, params: {}, context: {} }));
}

const workspaceOf = async (domain: string) => (await db.shop.findUniqueOrThrow({ where: { domain } })).workspaceId;

/** Every macro of the workspace as stored, to compare before and after a refused request. */
const snapshot = (workspaceId: string) => db.macro.findMany({ where: { workspaceId }, orderBy: { id: "asc" } });

const saveForm = (fields: Record<string, string> = {}) => ({
  intent: "save",
  name: `Delay ${randomUUID().slice(0, 8)}`,
  language: "en",
  body: "Hi {{ ticket.customer.firstname }}, order {{ ticket.order.name }} is late.",
  ...fields,
});

describe("a new workspace's starter macros", () => {
  it("come with the install, in every language, and adding them again adds nothing", async () => {
    const workspaceId = await workspaceOf(EU);
    const stored = await db.macro.findMany({ where: { workspaceId, starterKey: { not: null } } });
    expect(stored).toHaveLength(STARTER_MACRO_KEYS.length * 4);
    expect(await macros.addStarterMacros(workspaceId)).toBe(0);

    // Deleted by the merchant: back only when asked for, and only that one.
    const refund = stored.find((macro) => macro.starterKey === "refund-issued" && macro.language === "de")!;
    await macros.deleteMacro(workspaceId, refund.id);
    const added = await post(EU, { intent: "add-starters", languages: "de,fr" });
    expect(added).toEqual({ status: 200, body: { ok: true, intent: "add-starters", toast: "1 starter macro added" } });
    expect(await post(EU, { intent: "add-starters" })).toMatchObject({
      status: 200,
      body: { toast: "You already have every starter macro in these languages" },
    });
  });

  it("are listed by the page, most used first, with search and a language filter", async () => {
    const workspaceId = await workspaceOf(EU);
    const where = await db.macro.findFirstOrThrow({
      where: { workspaceId, starterKey: "where-is-my-order", language: "fr" },
    });
    await db.macro.update({ where: { id: where.id }, data: { usageCount: 5, lastUsedAt: new Date() } });

    const all = await load(EU);
    expect(all.status).toBe(200);
    expect(all.body.macros[0]).toMatchObject({
      id: where.id,
      name: "Où est ma commande",
      usageCount: 5,
      starter: true,
    });
    expect(all.body.total).toBe(await db.macro.count({ where: { workspaceId } }));

    const german = await load(EU, "?language=de");
    expect(new Set(german.body.macros.map((macro) => macro.language))).toEqual(new Set(["de"]));
    const search = await load(EU, `?q=${encodeURIComponent("RETURN POLICY")}`);
    expect(search.body.macros.map((macro) => macro.name)).toEqual(["Return policy"]);
    const byText = await load(EU, "?q=tracking-link");
    expect(byText.body.macros.map((macro) => macro.language)).toEqual(["de"]);

    const bad = await load(EU, "?language=klingon");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe("Choose the language the text is written in.");
  });
});

describe("the macros page's forms", () => {
  it("create, edit and delete a macro", async () => {
    const workspaceId = await workspaceOf(EU);
    const created = await post(
      EU,
      saveForm({ name: "Delay", addTags: "Delay, late", assignTo: "me", status: "closed" }),
    );
    expect(created).toMatchObject({ status: 200, body: { ok: true, toast: "Macro created" } });
    const id = String(created.body.id);
    const stored = await db.macro.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({
      workspaceId,
      name: "Delay",
      language: "en",
      starterKey: null,
      actions: { addTags: ["delay", "late"], assignTo: "me", status: "closed" },
    });

    const editing = await load(EU, `?edit=${id}`);
    expect(editing.body.editing).toMatchObject({
      id,
      fields: { name: "Delay", addTags: "delay, late", status: "closed" },
    });

    const edited = await post(EU, saveForm({ id, name: "Delay (carrier)", language: "fr", body: "Bonjour" }));
    expect(edited).toMatchObject({ status: 200, body: { ok: true, toast: "Macro saved", id } });
    expect(await db.macro.findUniqueOrThrow({ where: { id } })).toMatchObject({
      name: "Delay (carrier)",
      language: "fr",
      body: "Bonjour",
      actions: {},
    });

    expect(await post(EU, { intent: "delete", ids: id })).toMatchObject({
      status: 200,
      body: { toast: "Macro deleted" },
    });
    expect(await db.macro.count({ where: { id } })).toBe(0);
  });

  it("refuses a name already used in the same language, and allows it in another", async () => {
    const workspaceId = await workspaceOf(EU);
    const before = await snapshot(workspaceId);
    const taken = await post(EU, saveForm({ name: "Return policy", language: "en" }));
    expect(taken).toEqual({
      status: 409,
      body: {
        ok: false,
        intent: "save",
        errors: { name: ['There is already a macro named "Return policy" in English. Choose another name.'] },
      },
    });
    const other = await db.macro.findFirstOrThrow({ where: { workspaceId, language: "en", name: "Refund issued" } });
    const renamed = await post(EU, saveForm({ id: other.id, name: "Return policy", language: "en" }));
    expect(renamed.status).toBe(409);
    expect(await snapshot(workspaceId)).toEqual(before);

    const elsewhere = await post(EU, saveForm({ name: "Return policy", language: "es" }));
    expect(elsewhere.status).toBe(200);
    await macros.deleteMacro(workspaceId, String(elsewhere.body.id));
  });

  it("answers bad input with 400 and a message, changing nothing", async () => {
    const workspaceId = await workspaceOf(EU);
    const before = await snapshot(workspaceId);
    const cases: [Record<string, string>, string, string][] = [
      [saveForm({ name: "" }), "name", "Give the macro a name."],
      [saveForm({ name: "Null\u0000byte" }), "name", "This text contains a character that cannot be saved"],
      [saveForm({ body: "Hi\u0000there" }), "body", "This text contains a character that cannot be saved"],
      [saveForm({ body: "x".repeat(64 * 1024 + 1) }), "body", "The text is at most 64 KiB; shorten it."],
      [saveForm({ body: "Hi {{ ticket.customer.password }}" }), "body", "is not a variable Shopdesk knows"],
      [saveForm({ body: "Hi {{ ticket.customer.firstname" }), "body", "A variable is not closed"],
      [saveForm({ language: "it" }), "language", "Choose the language the text is written in."],
      [saveForm({ status: "deleted" }), "status", "Choose open, closed or snoozed."],
      [saveForm({ status: "snoozed", snoozeHours: "2" }), "snoozeHours", "Choose how long to snooze."],
      [saveForm({ addTags: "a".repeat(41) }), "addTags", "A tag is at most 40 characters."],
      [saveForm({ assignTo: "someone" }), "assignTo", "Choose who gets the ticket."],
      [saveForm({ id: "not-an-id" }), "id", "This macro does not exist."],
      [{ intent: "delete", ids: "" }, "ids", "Choose the macros to delete."],
      [{ intent: "add-starters", languages: "xx" }, "languages", "Choose the language the text is written in."],
      [{ intent: "drop-table" }, "intent", "Unknown macro form."],
    ];
    for (const [form, field, message] of cases) {
      const answer = await post(EU, form);
      expect(answer.status, JSON.stringify(form).slice(0, 120)).toBe(400);
      expect((answer.body.errors as Record<string, string[]>)[field]?.[0], field).toContain(message);
    }
    const json = await post(
      EU,
      {},
      { body: JSON.stringify(saveForm()), headers: { "content-type": "application/json" } },
    );
    expect(json.status).toBe(400);
    expect(await snapshot(workspaceId)).toEqual(before);
  });

  it("refuses to assign to an agent of another workspace", async () => {
    const workspaceId = await workspaceOf(EU);
    const north = await workspaceOf(NORTH);
    const stranger = await db.agent.create({
      data: { workspaceId: north, name: "Jonas North", email: `jonas-${randomUUID()}@north.example` },
    });
    const before = await snapshot(workspaceId);
    const answer = await post(EU, saveForm({ assignTo: stranger.id }));
    expect(answer).toEqual({
      status: 400,
      body: { ok: false, intent: "save", errors: { assignTo: ["Choose one of your team's agents."] } },
    });
    expect(await snapshot(workspaceId)).toEqual(before);
  });
});

describe("another workspace's macros", () => {
  it("are not found by the page's loader or any form, and nothing of either workspace changes", async () => {
    const [eu, north] = [await workspaceOf(EU), await workspaceOf(NORTH)];
    const theirs = await db.macro.create({
      data: {
        workspaceId: north,
        name: "North secret reply",
        language: "en",
        body: "North Trail only {{ shop.name }}",
      },
    });
    const mine = await db.macro.findFirstOrThrow({ where: { workspaceId: eu, language: "en" } });
    const [euBefore, northBefore] = [await snapshot(eu), await snapshot(north)];

    const editing = await load(EU, `?edit=${theirs.id}`);
    expect(editing.status).toBe(404);
    expect(editing.body.editing).toBeNull();
    expect(JSON.stringify(editing.body)).not.toContain("North secret");
    expect((await load(EU, "?q=North%20secret")).body.macros).toEqual([]);
    expect((await load(EU, "?edit=not-a-uuid")).status).toBe(404);

    const refusals = [
      await post(EU, saveForm({ id: theirs.id, name: "Taken over" })),
      await post(EU, { intent: "delete", ids: theirs.id }),
      await post(EU, { intent: "delete", ids: `${mine.id},${theirs.id}` }),
    ];
    for (const answer of refusals) {
      expect(answer).toEqual({
        status: 404,
        body: expect.objectContaining({
          ok: false,
          errors: { form: ["This macro does not exist or belongs to another workspace."] },
        }),
      });
    }
    expect(await snapshot(eu)).toEqual(euBefore);
    expect(await snapshot(north)).toEqual(northBefore);

    // North's own page does not list Maple's macros.
    const northPage = await load(NORTH);
    expect(northPage.body.macros.map((macro) => macro.id)).not.toContain(mine.id);
    expect(northPage.body.macros.map((macro) => macro.id)).toContain(theirs.id);
  });
});

// ---- The ticket page's calls ---------------------------------------------------------------------

async function ticketWithOrder(domain: string) {
  const shop = await db.shop.findUniqueOrThrow({ where: { domain } });
  const workspaceId = shop.workspaceId;
  const customer = await db.helpdeskCustomer.create({
    data: { workspaceId, name: "Ava Lind", emails: ["ava@example.com"], phones: ["+33612345678"] },
  });
  const shopifyCustomerId = `gid://shopify/Customer/${Math.floor(Math.random() * 1e12)}`;
  await db.shopifyCustomer.create({
    data: {
      shopId: shop.id,
      shopifyId: shopifyCustomerId,
      helpdeskCustomerId: customer.id,
      firstName: "Ava-Marie",
      lastName: "Lind",
      email: "ava@example.com",
      locale: "fr-FR",
      shopifyUpdatedAt: new Date(),
    },
  });
  const agent = await db.agent.create({
    data: { workspaceId, name: "Bea Martin", email: `bea-${randomUUID()}@maple.example` },
  });
  const snapshot = {
    ...buildOrder({
      name: "#2042",
      processedAt: "2026-03-03T10:00:00Z",
      lineItems: [buildLineItem({ title: "Aviator sunglasses", quantity: 2 })],
      fulfillments: [
        buildFulfillment({
          // Newer, but cancelled: not where the parcel is.
          createdAt: "2026-03-05T10:00:00Z",
          status: "CANCELLED",
          tracking: [buildTracking({ number: "OLD123456" })],
        }),
        buildFulfillment({ createdAt: "2026-03-04T10:00:00Z", tracking: [buildTracking({ company: "UPS" })] }),
      ],
    }),
    shippingAddress: { address1: "12 Rue des Lilas", address2: null, zip: "75011", city: "Paris", country: "France" },
  };
  const order = await db.shopifyOrder.create({
    data: {
      shopId: shop.id,
      shopifyId: snapshot.id,
      name: "#2042",
      shopifyCustomerId,
      shopifyCreatedAt: new Date("2026-03-03T10:00:00Z"),
      shopifyUpdatedAt: new Date(),
      fulfillmentStatus: "FULFILLED",
      shopperStatus: "in_transit",
      totalAmount: "89.99",
      currencyCode: "EUR",
      // As stored: plain JSON.
      snapshot: JSON.parse(JSON.stringify(snapshot)),
      activityAt: new Date(),
    },
  });
  const ticket = await tickets.createTicket(workspaceId, {
    channel: "email",
    subject: "Où est mon colis ?",
    customerId: customer.id,
    shopId: shop.id,
    tags: ["new"],
    firstMessage: { body: "Bonjour, où est ma commande ?" },
  });
  return { shop, workspaceId, customer, agent, order, ticket };
}

const agentOf = (agent: { id: string; name: string; email: string }) => ({
  id: agent.id,
  name: agent.name,
  email: agent.email,
});

describe("macros on a ticket", () => {
  it("fill in the customer, the order (linked, else the customer's latest) and the agent, changing nothing", async () => {
    const { workspaceId, agent, ticket, order } = await ticketWithOrder(EU);
    const macro = await macros.createMacro(workspaceId, {
      name: `Suivi ${randomUUID().slice(0, 6)}`,
      language: "fr",
      body: [
        "Bonjour {{ ticket.customer.firstname }} {{ticket.customer.lastname}},",
        "Commande {{ ticket.order.name }} du {{ ticket.order.created_at }} : {{ ticket.order.status }}.",
        "Suivi : {{ ticket.order.tracking_url }} ({{ ticket.order.carrier }} {{ ticket.order.tracking_number }})",
        "{{ ticket.order.items }} pour {{ ticket.order.total }}, livrée au {{ ticket.order.shipping_address }}.",
        "Ticket n° {{ ticket.number }} par {{ ticket.channel }}. {{ current_user.firstname }}, {{ shop.name }}",
      ].join("\n"),
      actions: { addTags: ["suivi"], status: "closed" },
    });
    const entriesBefore = await db.ticketEntry.count({ where: { ticketId: ticket.id } });

    const fromCustomer = await service.renderMacroForTicket(workspaceId, ticket.id, macro.id, agentOf(agent));
    expect(fromCustomer.orderSource).toBe("customer");
    expect(fromCustomer.body).toBe(
      [
        "Bonjour Ava-Marie Lind,",
        "Commande #2042 du 3 mars 2026 : En transit.",
        "Suivi : https://www.ups.com/track?tracknum=1Z999AA10123456784 (UPS 1Z999AA10123456784)",
        "2 × Aviator sunglasses pour 89,99\u00a0€, livrée au 12 Rue des Lilas, 75011 Paris, France.",
        `Ticket n° ${ticket.number} par e-mail. Bea, Maple Goods EU`,
      ].join("\n"),
    );
    expect(fromCustomer.actions).toEqual(["Add tags: suivi", "Close the ticket"]);
    expect(fromCustomer.missing).toEqual([]);

    await tickets.linkTicketOrder(workspaceId, ticket.id, order.id, agent.id);
    expect((await service.renderMacroForTicket(workspaceId, ticket.id, macro.id, null)).orderSource).toBe("linked");

    // The preview changes nothing: no event, no use counted, the ticket as it was.
    expect(await db.ticketEntry.count({ where: { ticketId: ticket.id } })).toBe(entriesBefore + 1); // the link's event
    expect(await db.macro.findUniqueOrThrow({ where: { id: macro.id } })).toMatchObject({
      usageCount: 0,
      lastUsedAt: null,
    });
    expect(await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({
      status: "open",
      tags: ["new"],
    });

    // The picker: the customer's language (fr) first, previews filled in.
    const options = await service.macroPickerOptions(workspaceId, ticket.id, agentOf(agent));
    expect(options[0]!.language).toBe("fr");
    expect(options.find((option) => option.id === macro.id)?.preview).toBe("Bonjour Ava-Marie Lind,");
    expect(options.every((option) => !option.preview.includes("{{"))).toBe(true);
  });

  it("render missing values as nothing and say which ones are missing", async () => {
    const workspaceId = await workspaceOf(EU);
    const ticket = await tickets.createTicket(workspaceId, {
      channel: "chat",
      subject: "Hello",
      firstMessage: { body: "Hello?" },
    });
    const macro = await macros.createMacro(workspaceId, {
      name: `Bare ${randomUUID().slice(0, 6)}`,
      language: "en",
      body: `Hi {{ ticket.customer.firstname }}, order {{ ticket.order.name }}: {{ ticket.order.tracking_url | default: "no tracking yet" }}. {{ current_user.name }}`,
      actions: {},
    });
    const rendered = await service.renderMacroForTicket(workspaceId, ticket.id, macro.id, null);
    expect(rendered.body).toBe("Hi, order: no tracking yet.");
    expect(rendered.missing.map((variable) => variable.path)).toEqual([
      "ticket.customer.firstname",
      "ticket.order.name",
      "current_user.name",
    ]);
    expect(rendered.orderSource).toBeNull();
  });

  it("apply their actions through the ticket model after a macro_applied event, and count the use", async () => {
    const { workspaceId, agent, ticket } = await ticketWithOrder(EU);
    const macro = await macros.createMacro(workspaceId, {
      name: `Refund ${randomUUID().slice(0, 6)}`,
      language: "en",
      body: "Refunded.",
      actions: { addTags: ["refund", "vip"], removeTags: ["new"], priority: "high", assignTo: "me", status: "closed" },
    });
    const now = new Date();
    const result = await service.applyMacroActions(workspaceId, ticket.id, macro.id, agent.id, now);
    expect(result).toEqual({
      applied: [
        "Add tags: refund, vip; Remove tags: new",
        "Set priority to High",
        "Assign to whoever applies it",
        "Close the ticket",
      ],
      skipped: [],
    });
    expect(await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({
      tags: ["refund", "vip"],
      priority: "high",
      assigneeId: agent.id,
      status: "closed",
    });
    const { entries } = await tickets.latestThreadPage(workspaceId, ticket.id);
    const events = entries
      .filter((entry) => entry.kind === "system_event")
      .map((entry) => entry.event as { type: string });
    expect(events.map((event) => event.type)).toEqual([
      "created",
      "macro_applied",
      "tags_changed",
      "priority_changed",
      "assigned",
      "status_changed",
    ]);
    expect(events[1]).toEqual({ type: "macro_applied", macroId: macro.id, macroName: macro.name });
    expect(
      entries.find((entry) => (entry.event as { type?: string } | null)?.type === "macro_applied")?.authorAgentId,
    ).toBe(agent.id);
    expect(await db.macro.findUniqueOrThrow({ where: { id: macro.id } })).toMatchObject({
      usageCount: 1,
      lastUsedAt: now,
    });
  });

  it("snooze for the macro's duration, and skip an action the ticket refuses while applying the rest", async () => {
    const { workspaceId, ticket } = await ticketWithOrder(EU);
    const north = await workspaceOf(NORTH);
    const stranger = await db.agent.create({
      data: { workspaceId: north, name: "Jonas North", email: `jonas-${randomUUID()}@north.example` },
    });
    // Stored before the agent left (or written around the form): the apply still checks.
    const macro = await db.macro.create({
      data: {
        workspaceId,
        name: `Later ${randomUUID().slice(0, 6)}`,
        language: "en",
        body: "Later.",
        actions: { assignTo: stranger.id, status: "snoozed", snoozeHours: 24 },
      },
    });
    const now = new Date();
    const result = await service.applyMacroActions(workspaceId, ticket.id, macro.id, null, now);
    expect(result.applied).toEqual(["Snooze the ticket for 1 day"]);
    expect(result.skipped).toEqual([
      {
        action: "Assign to an agent who is no longer here",
        reason: "The agent this macro assigns to is no longer in your team.",
      },
    ]);
    const stored = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(stored).toMatchObject({ status: "snoozed", assigneeId: null });
    expect(stored.snoozedUntil?.getTime()).toBe(now.getTime() + 24 * 3600_000);
  });

  it("never reach another workspace's ticket or macro, and change nothing when asked to", async () => {
    const mine = await ticketWithOrder(EU);
    const theirs = await ticketWithOrder(NORTH);
    const myMacro = await macros.createMacro(mine.workspaceId, {
      name: `Mine ${randomUUID().slice(0, 6)}`,
      language: "en",
      body: "{{ ticket.customer.name }}",
      actions: { status: "closed" },
    });
    const theirMacro = await macros.createMacro(theirs.workspaceId, {
      name: `Theirs ${randomUUID().slice(0, 6)}`,
      language: "en",
      body: "{{ ticket.customer.name }}",
      actions: { status: "closed" },
    });
    const state = async () => ({
      tickets: await db.ticket.findMany({
        where: { id: { in: [mine.ticket.id, theirs.ticket.id] } },
        orderBy: { id: "asc" },
      }),
      entries: await db.ticketEntry.count({ where: { ticketId: { in: [mine.ticket.id, theirs.ticket.id] } } }),
      macros: await db.macro.findMany({ where: { id: { in: [myMacro.id, theirMacro.id] } }, orderBy: { id: "asc" } }),
    });
    const before = await state();

    const attempts: [() => Promise<unknown>, new () => Error][] = [
      [
        () => service.renderMacroForTicket(mine.workspaceId, mine.ticket.id, theirMacro.id, null),
        macros.MacroNotFoundError,
      ],
      [
        () => service.renderMacroForTicket(mine.workspaceId, theirs.ticket.id, myMacro.id, null),
        tickets.TicketNotFoundError,
      ],
      [
        () => service.applyMacroActions(mine.workspaceId, mine.ticket.id, theirMacro.id, mine.agent.id),
        macros.MacroNotFoundError,
      ],
      [
        () => service.applyMacroActions(mine.workspaceId, theirs.ticket.id, myMacro.id, mine.agent.id),
        tickets.TicketNotFoundError,
      ],
      [
        () => service.applyMacroActions(mine.workspaceId, mine.ticket.id, myMacro.id, theirs.agent.id),
        tickets.TicketChangeRefused,
      ],
      [
        () => service.applyMacroActions(mine.workspaceId, mine.ticket.id, "not-a-uuid", mine.agent.id),
        macros.MacroNotFoundError,
      ],
      [() => service.macroPickerOptions(mine.workspaceId, theirs.ticket.id, null), tickets.TicketNotFoundError],
      [
        () =>
          macros.updateMacro(mine.workspaceId, theirMacro.id, { name: "x", language: "en", body: "x", actions: {} }),
        macros.MacroNotFoundError,
      ],
      [() => macros.deleteMacro(mine.workspaceId, theirMacro.id), macros.MacroNotFoundError],
    ];
    for (const [attempt, error] of attempts) await expect(attempt()).rejects.toBeInstanceOf(error);
    expect(await macros.findMacro(mine.workspaceId, theirMacro.id)).toBeNull();
    expect((await macros.listMacros(mine.workspaceId)).map((macro) => macro.id)).not.toContain(theirMacro.id);
    expect(await state()).toEqual(before);
  });
});

describe("the starter set in the database", () => {
  it("is stored as written, one per key and language", async () => {
    const workspaceId = await workspaceOf(NORTH);
    const stored = await db.macro.findMany({ where: { workspaceId, starterKey: { not: null } } });
    for (const starter of STARTER_MACROS) {
      expect(
        stored.find((macro) => macro.starterKey === starter.key && macro.language === starter.language),
        `${starter.key} ${starter.language}`,
      ).toMatchObject({ name: starter.name, body: starter.body, actions: starter.actions });
    }
  });
});

describe("macros when stores move between workspaces", () => {
  /** A store in a workspace of its own, with the starter set as an install gives it. */
  async function store(name: string) {
    const shop = await db.shop.create({
      data: { domain: `${randomUUID()}.myshopify.com`, name, workspace: { create: { name } } },
    });
    await macros.addStarterMacros(shop.workspaceId);
    return shop;
  }

  it("joining: the merchant's own and edited macros come along (renamed on a clash), shipped starters do not repeat", async () => {
    const [staying, joining] = [await store("Harbor Home"), await store("Harbor Kids")];
    const person = "lea@harbor.example";
    const [there, here] = [
      await db.agent.create({ data: { workspaceId: staying.workspaceId, name: "Léa", email: person } }),
      await db.agent.create({ data: { workspaceId: joining.workspaceId, name: "Léa", email: person } }),
    ];
    const gone = await db.agent.create({
      data: { workspaceId: joining.workspaceId, name: "Max", email: "max@harbor.example" },
    });
    const own = await macros.createMacro(joining.workspaceId, {
      name: "Size guide",
      language: "en",
      body: "Our sizes run small.",
      actions: { assignTo: here.id },
    });
    const clash = await macros.createMacro(joining.workspaceId, {
      name: "Return policy (kids)",
      language: "en",
      body: "Kids' items: 60 days.",
      actions: { assignTo: gone.id },
    });
    await macros.createMacro(staying.workspaceId, {
      name: "Return policy (kids)",
      language: "en",
      body: "Theirs",
      actions: {},
    });
    const edited = await db.macro.findFirstOrThrow({
      where: { workspaceId: joining.workspaceId, starterKey: "return-policy", language: "fr" },
    });
    await db.macro.update({ where: { id: edited.id }, data: { body: "Retours sous 60 jours." } });

    const { code } = await createWorkspaceLinkCode(staying);
    expect(await joinWorkspace(joining, code)).toMatchObject({ ok: true });

    expect(await db.workspace.count({ where: { id: joining.workspaceId } })).toBe(0);
    const now = await db.macro.findMany({ where: { workspaceId: staying.workspaceId } });
    // One of each shipped starter, plus the three the merchant wrote or edited.
    expect(now).toHaveLength(STARTER_MACROS.length + 1 + 3);
    expect(now.find((macro) => macro.id === own.id)).toMatchObject({
      name: "Size guide",
      actions: { assignTo: there.id },
    });
    expect(now.find((macro) => macro.id === clash.id)).toMatchObject({
      name: "Return policy (kids) (from Harbor Kids)",
      actions: {},
    });
    expect(now.find((macro) => macro.id === edited.id)).toMatchObject({
      name: "Politique de retour (from Harbor Kids)",
      body: "Retours sous 60 jours.",
      starterKey: null,
    });
    expect(await macros.addStarterMacros(staying.workspaceId)).toBe(0);
  });

  it("leaving: the store's new workspace starts with a copy of the team's macros; the old one keeps its own", async () => {
    const first = await store("Fjord Outdoor");
    const second = await db.shop.create({
      data: { domain: `${randomUUID()}.myshopify.com`, name: "Fjord Kids", workspaceId: first.workspaceId },
    });
    const lea = await db.agent.create({
      data: { workspaceId: first.workspaceId, name: "Léa", email: `lea-${randomUUID()}@fjord.example` },
    });
    const own = await macros.createMacro(first.workspaceId, {
      name: "Warranty",
      language: "de",
      body: "Zwei Jahre Garantie.",
      actions: { assignTo: lea.id, status: "closed" },
    });
    const before = await snapshot(first.workspaceId);

    expect(await leaveWorkspace(second)).toMatchObject({ ok: true });
    const { workspaceId } = await db.shop.findUniqueOrThrow({ where: { id: second.id } });
    const copy = await db.macro.findMany({ where: { workspaceId } });
    expect(copy).toHaveLength(before.length);
    expect(copy.find((macro) => macro.name === "Warranty")).toMatchObject({
      language: "de",
      body: "Zwei Jahre Garantie.",
      actions: { status: "closed" },
      usageCount: 0,
    });
    expect(await snapshot(first.workspaceId)).toEqual(before);
    expect(before.find((macro) => macro.id === own.id)).toBeDefined();
  });
});
