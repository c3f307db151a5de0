import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailCatcher, type MailCatcher } from "../../dev/mail-catcher.ts";
import type { OrderRecord } from "../../dev/store-emulator/index.ts";
import { SMALL_SEED, startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill } from "../support/sync.ts";
import { eventually } from "../support/wait.ts";
import { thrownStatus, unwrap } from "../support/route-results.ts";

// An agent approves or declines a shopper's portal request from its ticket, through the ticket
// page's route as the embedded admin calls it: done in the store emulator (its world changes, its
// webhooks come back), recorded on the request and the ticket, and told to the shopper once, in
// their language, by real SMTP. Refusals change nothing; clicks at once perform it once; another
// workspace's ticket is a 404; the macro action does the same; the merchant acting in Shopify moves
// the request through the returns/* and orders/cancelled webhooks.

const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";
const SHOPPER = "ines.moreau@example.com";

let stack: IntegrationStack;
let catcher: MailCatcher;
const { db } = await import("~/db.server");
const tickets = await import("~/models/ticket.server");
const { resolveHelpdeskCustomer } = await import("~/models/helpdesk-customer.server");
const { saveMailSettings } = await import("~/models/mail-settings.server");
const { createMacro } = await import("~/models/macro.server");
const { startJobWorkers } = await import("~/jobs/workers.server");
const { replyDeliveryJob } = await import("~/jobs/mail.server");
const ticketRoute = await import("~/routes/app.tickets.$ticketId");
const { adminForBackgroundWork } = await import("~/services/shopify/shop-admin.server");
const returnsApi = await import("~/services/shopify/returns.server");
const { orderRequests } = await import("~/services/portal/requests.server");

let workspaceId: string;
let shopId: string;
let agentName: string;

beforeAll(async () => {
  catcher = await startMailCatcher({ webPort: false });
  await startJobWorkers([{ ...replyDeliveryJob, retryLimit: 2, retryDelaySeconds: 1 }]);
  stack = await startIntegrationStack({ seed: SMALL_SEED });
  expect((await stack.install(EU, { userId: "1" })).status).toBe(200);
  expect((await stack.install(US)).status).toBe(200);
  const [eu] = await Promise.all([waitForBackfill(EU), waitForBackfill(US)]);
  workspaceId = eu.shop.workspaceId;
  shopId = eu.shop.id;
  const saved = await saveMailSettings(workspaceId, {
    host: "127.0.0.1",
    port: catcher.smtpPort,
    security: "none",
    username: null,
    password: null,
    fromAddress: "support@maple.example",
    fromName: "Maple Goods",
  });
  expect(saved.ok).toBe(true);
  const agent = await db.agent.findFirstOrThrow({ where: { workspaceId }, orderBy: { createdAt: "asc" } });
  agentName = agent.name;
}, 120_000);
afterAll(async () => {
  await stack.stop();
  await catcher.close();
});

/** A new order of the shopper in the emulator (two scarves), shipped or not, once our copy has it. */
async function shopperOrder(shipped: boolean) {
  const order = stack.emulator.createOrder(EU, {
    email: SHOPPER,
    lineItems: [{ title: "Merino scarf", price: "40.00", quantity: 2 }],
  });
  if (shipped) stack.emulator.fulfill(EU, { order: order.id });
  const row = await eventually(
    () =>
      db.shopifyOrder.findUniqueOrThrow({
        where: { shopId_shopifyId: { shopId, shopifyId: `gid://shopify/Order/${order.id}` } },
      }),
    { timeoutMs: 15_000 },
  );
  return { record: order, row, lineItemId: `gid://shopify/LineItem/${order.lineItems[0]!.id}` };
}

/** A portal request and its ticket as requests.server.ts files them. */
async function fileRequest(
  order: Awaited<ReturnType<typeof shopperOrder>>,
  kind: "return" | "cancel" | "issue",
  locale = "en",
) {
  return db.$transaction(async (tx) => {
    const customerId = await resolveHelpdeskCustomer(tx, workspaceId, {
      email: SHOPPER,
      phone: null,
      firstName: null,
      lastName: null,
    });
    const ticket = await tickets.openTicket(tx, workspaceId, {
      channel: "portal_request",
      subject: `Request for order ${order.row.name}`,
      customerId,
      shopId,
      firstMessage: { body: "From the portal", fromAddress: SHOPPER },
    });
    await tickets.linkOrderToNewTicket(tx, ticket, { id: order.row.id, name: order.row.name });
    const request = await tx.portalRequest.create({
      data: {
        shopId,
        orderId: order.row.id,
        ticketId: ticket.id,
        kind,
        details:
          kind === "return"
            ? {
                items: [{ lineItemId: order.lineItemId, quantity: 1, title: "Merino scarf" }],
                reason: "SIZE_TOO_SMALL",
                locale,
              }
            : { locale },
      },
    });
    return { ticket, request };
  });
}

async function act(ticketId: string, form: Record<string, string>, shop = EU) {
  const request = stack.adminRequest(
    shop,
    `/app/tickets/${ticketId}`,
    { method: "POST", body: new URLSearchParams(form) },
    "1",
  );
  return unwrap(await ticketRoute.action({ request, params: { ticketId }, context: {} }));
}

const emulatorOrder = (order: OrderRecord) => stack.emulator.shop(EU).order(order.id)!;

/** What a decision may change, to show that a refused one changed nothing. */
async function state(ticketId: string, requestId: string) {
  const [request, entries] = await Promise.all([
    db.portalRequest.findUniqueOrThrow({ where: { id: requestId } }),
    db.ticketEntry.count({ where: { ticketId } }),
  ]);
  return { request: { ...request, updatedAt: null }, entries };
}

const decidedEvents = (ticketId: string) =>
  db.ticketEntry
    .findMany({ where: { ticketId, kind: "system_event" }, orderBy: { seq: "asc" } })
    .then((entries) =>
      entries.filter((entry) => (entry.event as { type?: string } | null)?.type === "portal_request_decided"),
    );

describe("approving a return", () => {
  it("files and approves it in Shopify, records it, tells the shopper once in French, and shows it on the ticket and in the portal", async () => {
    const order = await shopperOrder(true);
    const { ticket, request } = await fileRequest(order, "return", "fr");
    const answer = await act(ticket.id, { intent: "approve-request" });
    expect(answer.status).toBe(200);

    const returns = emulatorOrder(order.record).returns;
    expect(returns).toHaveLength(1);
    expect(returns[0]).toMatchObject({ status: "OPEN", name: `${order.row.name}-R1` });
    expect(returns[0]!.lineItems.map(({ lineItemId, quantity, reason }) => ({ lineItemId, quantity, reason }))).toEqual(
      [{ lineItemId: order.record.lineItems[0]!.id, quantity: 1, reason: "SIZE_TOO_SMALL" }],
    );
    expect(answer.body).toMatchObject({ ok: true, toast: `Return ${order.row.name}-R1 approved in Shopify` });

    const decided = await db.portalRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(decided).toMatchObject({
      status: "approved",
      shopifyReference: `gid://shopify/Return/${returns[0]!.id}`,
      decisionStartedAt: null,
    });
    expect(decided.decidedAt).toBeInstanceOf(Date);
    expect(decided.decision).toMatchObject({ via: "agent", agentName, returnName: `${order.row.name}-R1` });

    const events = await decidedEvents(ticket.id);
    expect(events).toHaveLength(1);
    const page = unwrap(
      await ticketRoute.loader({
        request: stack.adminRequest(EU, `/app/tickets/${ticket.id}`, {}, "1"),
        params: { ticketId: ticket.id },
        context: {},
      }),
    ).body as Awaited<ReturnType<typeof ticketRoute.loader>>;
    expect(page.thread.entries.map((entry) => entry.text)).toContain(
      `Return ${order.row.name}-R1 approved in Shopify by ${agentName}`,
    );
    expect(page.portalRequest).toMatchObject({
      kind: "return",
      status: "approved",
      decidedBy: agentName,
      returnName: `${order.row.name}-R1`,
      decidable: false,
    });

    const subject = `Votre retour pour la commande ${order.row.name} est accepté`;
    const mail = await catcher.waitFor((caught) => caught.subject === subject, 15_000);
    expect(mail.to).toContain(SHOPPER);
    expect(mail.text).toContain(`nous avons accepté votre retour pour la commande ${order.row.name}`);

    // Clicked again later: refused, nothing more in Shopify, no second mail.
    const again = await act(ticket.id, { intent: "approve-request" });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).toContain("already approved");
    expect(emulatorOrder(order.record).returns).toHaveLength(1);
    // The returns/approve webhook of our own approval changes nothing either.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await decidedEvents(ticket.id)).toHaveLength(1);
    expect(catcher.messages().filter((caught) => caught.subject === subject)).toHaveLength(1);

    // The portal shows the new status in the shopper's language.
    const shown = await orderRequests(shopId, order.row.id, "fr");
    expect(shown).toMatchObject([{ id: request.id, status: "approved", statusLabel: "Acceptée" }]);
  });

  it("performs it once when two agents (or a double click) approve at the same moment", async () => {
    const order = await shopperOrder(true);
    const { ticket, request } = await fileRequest(order, "return");
    const answers = await Promise.all([
      act(ticket.id, { intent: "approve-request" }),
      act(ticket.id, { intent: "approve-request" }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(emulatorOrder(order.record).returns).toHaveLength(1);
    expect((await db.portalRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("approved");
    expect(await decidedEvents(ticket.id)).toHaveLength(1);
  });

  it("uses the return an earlier try already filed in Shopify (a crash before our write) instead of filing a second", async () => {
    const order = await shopperOrder(true);
    const { ticket, request } = await fileRequest(order, "return");
    // What the lost try left: a REQUESTED return for exactly these items, and a stale claim.
    const admin = await adminForBackgroundWork(EU);
    const filed = await returnsApi.requestReturn(admin, {
      orderId: order.row.shopifyId,
      items: [{ lineItemId: order.lineItemId, quantity: 1, reason: "SIZE_TOO_SMALL" }],
    });
    expect(filed.ok).toBe(true);
    await db.portalRequest.update({
      where: { id: request.id },
      data: { decisionStartedAt: new Date(Date.now() - 10 * 60_000) },
    });

    expect((await act(ticket.id, { intent: "approve-request" })).status).toBe(200);
    const returns = emulatorOrder(order.record).returns;
    expect(returns).toHaveLength(1);
    expect(returns[0]!.status).toBe("OPEN");
    expect(await db.portalRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: "approved",
      shopifyReference: filed.ok ? filed.return.id : "",
    });
  });

  it("shows Shopify's refusal in plain words and changes nothing when the items can't be returned", async () => {
    const order = await shopperOrder(false); // nothing shipped: Shopify returns shipped items only
    const { ticket, request } = await fileRequest(order, "return");
    const before = await state(ticket.id, request.id);
    const answer = await act(ticket.id, { intent: "approve-request" });
    expect(answer.status).toBe(409);
    expect(JSON.stringify(answer.body)).toContain("hasn't shipped yet");
    expect(await state(ticket.id, request.id)).toEqual(before);
    expect(emulatorOrder(order.record).returns).toHaveLength(0);
    expect(before.request).toMatchObject({ status: "received", decisionStartedAt: null });
  });
});

describe("declining", () => {
  it("declines a return with a note: nothing in Shopify (no return yet), the shopper told with the note", async () => {
    const order = await shopperOrder(true);
    const { ticket, request } = await fileRequest(order, "return", "en");
    const answer = await act(ticket.id, {
      intent: "decline-request",
      note: "Scarves are final sale.",
      declineReason: "FINAL_SALE",
    });
    expect(answer.status).toBe(200);
    expect(emulatorOrder(order.record).returns).toHaveLength(0);
    expect(await db.portalRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: "declined",
      decision: { via: "agent", note: "Scarves are final sale.", declineReason: "FINAL_SALE" },
    });
    const mail = await catcher.waitFor(
      (caught) => caught.subject === `About your return request for order ${order.row.name}`,
      15_000,
    );
    expect(mail.text).toContain("A message from");
    expect(mail.text).toContain("Scarves are final sale.");
  });

  it("declines a return Shopify already has (returnDeclineRequest) and refuses an unknown reason", async () => {
    const order = await shopperOrder(true);
    const { ticket, request } = await fileRequest(order, "return", "de");
    const admin = await adminForBackgroundWork(EU);
    const filed = await returnsApi.requestReturn(admin, {
      orderId: order.row.shopifyId,
      items: [{ lineItemId: order.lineItemId, quantity: 1, reason: "SIZE_TOO_SMALL" }],
    });
    if (!filed.ok) throw new Error(filed.message);
    await db.portalRequest.update({ where: { id: request.id }, data: { shopifyReference: filed.return.id } });

    const refused = await act(ticket.id, { intent: "decline-request", declineReason: "TOO_EXPENSIVE" });
    expect(refused.status).toBe(400);
    expect(emulatorOrder(order.record).returns[0]!.status).toBe("REQUESTED");

    expect((await act(ticket.id, { intent: "decline-request", declineReason: "RETURN_PERIOD_ENDED" })).status).toBe(
      200,
    );
    expect(emulatorOrder(order.record).returns[0]).toMatchObject({
      status: "DECLINED",
      decline: { reason: "RETURN_PERIOD_ENDED" },
    });
    expect((await db.portalRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("declined");
    await catcher.waitFor(
      (caught) => caught.subject === `Zu Ihrer Rücksendeanfrage für die Bestellung ${order.row.name}`,
      15_000,
    );
  });

  it("declines a cancellation on the request only", async () => {
    const order = await shopperOrder(false);
    const { ticket, request } = await fileRequest(order, "cancel", "es");
    expect((await act(ticket.id, { intent: "decline-request" })).status).toBe(200);
    expect(emulatorOrder(order.record).cancelledAt).toBeNull();
    expect((await db.portalRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("declined");
    await catcher.waitFor(
      (caught) => caught.subject === `Sobre tu solicitud de cancelación del pedido ${order.row.name}`,
      15_000,
    );
  });
});

describe("approving a cancellation", () => {
  it("cancels the order in Shopify with the store's refund and restock defaults; the request is done", async () => {
    const order = await shopperOrder(false);
    const { ticket, request } = await fileRequest(order, "cancel", "en");
    const answer = await act(ticket.id, { intent: "approve-request" });
    expect(answer.status).toBe(200);
    const cancelled = emulatorOrder(order.record);
    expect(cancelled.cancelledAt).not.toBeNull();
    expect(cancelled.cancelReason).toBe("CUSTOMER");
    // Refunded (the order was paid) with its items restocked: the defaults.
    expect(cancelled.refunds).toHaveLength(1);
    // Two scarves at 40.00, and the shipping.
    expect(cancelled.refunds[0]!.amountCents).toBeGreaterThan(8000);
    expect(cancelled.refunds[0]!.lineItems.every((line) => line.restockType === "CANCEL")).toBe(true);
    expect(await db.portalRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: "done",
      decision: { via: "agent", refund: true, restock: true },
    });
    const mail = await catcher.waitFor(
      (caught) => caught.subject === `Your order ${order.row.name} is cancelled`,
      15_000,
    );
    expect(mail.text).toContain("refunded to your original payment method");
    // orders/cancelled from our own cancel arrives later and changes nothing more.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await decidedEvents(ticket.id)).toHaveLength(1);
  });

  it("follows the store's settings: no restock when the merchant turned it off", async () => {
    await db.portalSettings.upsert({
      where: { shopId },
      create: { shopId, cancelRestock: false },
      update: { cancelRestock: false },
    });
    try {
      const order = await shopperOrder(false);
      const { ticket } = await fileRequest(order, "cancel");
      expect((await act(ticket.id, { intent: "approve-request" })).status).toBe(200);
      const cancelled = emulatorOrder(order.record);
      expect(cancelled.refunds[0]!.lineItems.every((line) => (line.restockType ?? "NO_RESTOCK") === "NO_RESTOCK")).toBe(
        true,
      );
    } finally {
      await db.portalSettings.update({ where: { shopId }, data: { cancelRestock: true } });
    }
  });

  it("says why Shopify refused (already shipped) and changes nothing", async () => {
    const order = await shopperOrder(true);
    const { ticket, request } = await fileRequest(order, "cancel");
    const before = await state(ticket.id, request.id);
    const answer = await act(ticket.id, { intent: "approve-request" });
    expect(answer.status).toBe(409);
    expect(JSON.stringify(answer.body)).toContain("already shipped");
    expect(emulatorOrder(order.record).cancelledAt).toBeNull();
    expect(await state(ticket.id, request.id)).toEqual(before);
  });
});

describe("scope and the macro action", () => {
  it("another workspace's agent gets a 404 and nothing happens", async () => {
    const order = await shopperOrder(true);
    const { ticket, request } = await fileRequest(order, "return");
    const before = await state(ticket.id, request.id);
    const status = await thrownStatus(
      ticketRoute.action({
        request: stack.adminRequest(US, `/app/tickets/${ticket.id}`, {
          method: "POST",
          body: new URLSearchParams({ intent: "approve-request" }),
        }),
        params: { ticketId: ticket.id },
        context: {},
      }),
    );
    expect(status).toBe(404);
    expect(await state(ticket.id, request.id)).toEqual(before);
    expect(emulatorOrder(order.record).returns).toHaveLength(0);
  });

  it("an issue report or a ticket without a request has nothing to approve", async () => {
    const order = await shopperOrder(true);
    const { ticket } = await fileRequest(order, "issue");
    const answer = await act(ticket.id, { intent: "approve-request" });
    expect(answer.status).toBe(409);
    expect(JSON.stringify(answer.body)).toContain("issue report");
    const plain = await tickets.createTicket(workspaceId, { channel: "email", firstMessage: { body: "Hello" } });
    expect((await act(plain.id, { intent: "approve-request" })).status).toBe(404);
  });

  it("a macro that approves the portal request does it with the reply; on another ticket it does nothing and says so", async () => {
    const macro = await createMacro(workspaceId, {
      name: "Approve and close",
      language: "en",
      body: "All set!",
      actions: { portalRequest: "approve", status: "closed" },
    });
    const order = await shopperOrder(true);
    const { ticket, request } = await fileRequest(order, "return");
    const answer = await act(ticket.id, { intent: "reply", body: "All set!", macroId: macro.id });
    expect(answer.body).toMatchObject({ ok: true, toast: "Reply sent and macro applied" });
    expect(emulatorOrder(order.record).returns).toMatchObject([{ status: "OPEN" }]);
    expect((await db.portalRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("approved");
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe("closed");

    const plain = await tickets.createTicket(workspaceId, { channel: "email", firstMessage: { body: "Hello" } });
    const skipped = await act(plain.id, { intent: "reply", body: "All set!", macroId: macro.id });
    expect(skipped.body).toMatchObject({
      ok: true,
      toast: "Reply sent; the macro could not approve the portal request",
    });
  });
});

describe("when the merchant acts in Shopify's admin", () => {
  it("a return approved there approves the request; declined there declines it (returns/* webhooks)", async () => {
    const admin = await adminForBackgroundWork(EU);
    const order = await shopperOrder(true);
    const { ticket, request } = await fileRequest(order, "return");
    const filed = await returnsApi.requestReturn(admin, {
      orderId: order.row.shopifyId,
      items: [{ lineItemId: order.lineItemId, quantity: 1, reason: "OTHER" }],
    });
    if (!filed.ok) throw new Error(filed.message);
    expect((await returnsApi.approveReturn(admin, filed.return.id, { notifyCustomer: true })).ok).toBe(true);
    await eventually(
      async () => {
        expect(await db.portalRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
          status: "approved",
          shopifyReference: filed.return.id,
          decision: { via: "shopify", returnName: filed.return.name },
        });
        return true;
      },
      { timeoutMs: 15_000 },
    );
    expect((await decidedEvents(ticket.id)).map((entry) => entry.event)).toMatchObject([
      { outcome: "approved", via: "shopify" },
    ]);

    const second = await shopperOrder(true);
    const declinedRequest = await fileRequest(second, "return");
    const another = await returnsApi.requestReturn(admin, {
      orderId: second.row.shopifyId,
      items: [{ lineItemId: second.lineItemId, quantity: 1, reason: "OTHER" }],
    });
    if (!another.ok) throw new Error(another.message);
    await db.portalRequest.update({
      where: { id: declinedRequest.request.id },
      data: { shopifyReference: another.return.id },
    });
    await returnsApi.declineReturn(admin, another.return.id, { reason: "OTHER", notifyCustomer: true });
    await eventually(
      async () =>
        (await db.portalRequest.findUniqueOrThrow({ where: { id: declinedRequest.request.id } })).status === "declined",
      { timeoutMs: 15_000 },
    );
  });

  it("an order cancelled there makes its pending cancellation request done (orders/cancelled)", async () => {
    const order = await shopperOrder(false);
    const { ticket, request } = await fileRequest(order, "cancel");
    stack.emulator.cancel(EU, { order: order.record.id });
    await eventually(
      async () => (await db.portalRequest.findUniqueOrThrow({ where: { id: request.id } })).status === "done",
      { timeoutMs: 15_000 },
    );
    expect((await decidedEvents(ticket.id)).map((entry) => entry.event)).toMatchObject([
      { kind: "cancel", outcome: "done", via: "shopify" },
    ]);
  });
});
