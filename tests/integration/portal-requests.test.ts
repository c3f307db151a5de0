import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailCatcher, type MailCatcher } from "../../dev/mail-catcher.ts";
import { signAppProxyUrl } from "../../dev/store-emulator/signing.ts";
import { buildFulfillment, buildLineItem } from "../../app/domain/order-snapshot.ts";
import { ISSUE_LABELS } from "../../app/domain/portal-issues.ts";
import { startIntegrationStack, TEST_APP, type IntegrationStack } from "../support/integration-stack.ts";
import { orderSnapshots, saveOrder, type SavedOrder } from "../support/portal.ts";
import { waitForBackfill } from "../support/sync.ts";

// A shopper's return, cancellation and issue report from the portal, over real HTTP signed as
// Shopify's App Proxy signs: each becomes one ticket (portal_request, order linked, the shopper's
// answers) and one confirmation mail in the shopper's language (a real SMTP server); what the
// order page does not offer is refused and changes nothing; another shopper's order is a 404.
const SHOP = "maple-goods-eu.myshopify.com";
const OTHER_SHOP = "north-trail.myshopify.com";
const DAY = 86_400_000;

let stack: IntegrationStack;
let catcher: MailCatcher;
const { db } = await import("~/db.server");
const { openPortalSession } = await import("~/services/portal/portal-auth.server");
const { saveMailSettings } = await import("~/models/mail-settings.server");
const { startJobWorkers } = await import("~/jobs/workers.server");
const { replyDeliveryJob } = await import("~/jobs/mail.server");

const INES = { customerId: "gid://shopify/Customer/990001", email: "ines.moreau@example.com" };
const MARC = { customerId: "gid://shopify/Customer/990002", email: "marc.dupont@example.com" };

const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

const snapshotOf = orderSnapshots({ firstNumber: 9_900_000, namePrefix: "#R" });

/** Two scarves, delivered `deliveredDaysAgo` days ago (or in transit). */
function shipped(shopper: typeof INES, deliveredDaysAgo: number | null) {
  const item = buildLineItem({ title: "Merino scarf", quantity: 2, fulfillableQuantity: 0 });
  return snapshotOf(shopper, {
    createdAt: ago(10),
    processedAt: ago(10),
    fulfillmentStatus: "FULFILLED",
    lineItems: [item],
    fulfillments: [
      buildFulfillment({
        createdAt: ago(9),
        updatedAt: deliveredDaysAgo === null ? ago(9) : ago(deliveredDaysAgo),
        displayStatus: deliveredDaysAgo === null ? "IN_TRANSIT" : "DELIVERED",
        deliveredAt: deliveredDaysAgo === null ? null : ago(deliveredDaysAgo),
        lineItems: [{ lineItemId: item.id, quantity: 2 }],
      }),
    ],
  });
}

let shopId: string;
let workspaceId: string;
let orders: Record<"delivered" | "deliveredToo" | "inTransit" | "unfulfilled" | "marcs" | "otherShop", SavedOrder>;

beforeAll(async () => {
  catcher = await startMailCatcher({ webPort: false });
  await startJobWorkers([{ ...replyDeliveryJob, retryLimit: 2, retryDelaySeconds: 1 }]);
  stack = await startIntegrationStack();
  for (const shop of [SHOP, OTHER_SHOP]) expect((await stack.install(shop)).status).toBe(200);
  const [a, b] = await Promise.all([waitForBackfill(SHOP), waitForBackfill(OTHER_SHOP)]);
  shopId = a.shop.id;
  workspaceId = a.shop.workspaceId;
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
  orders = {
    delivered: await saveOrder(shopId, shipped(INES, 3)),
    deliveredToo: await saveOrder(shopId, shipped(INES, 4)),
    inTransit: await saveOrder(shopId, shipped(INES, null)),
    unfulfilled: await saveOrder(shopId, snapshotOf(INES, { createdAt: ago(1), processedAt: ago(1) })),
    marcs: await saveOrder(shopId, shipped(MARC, 2)),
    otherShop: await saveOrder(b.shop.id, shipped(INES, 2)),
  };
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await catcher?.close();
});

async function signIn(locale = "en") {
  const { token, session } = await openPortalSession(shopId, {
    method: "email_code",
    email: INES.email,
    shopifyCustomerId: INES.customerId,
    locale,
  });
  return { token, sessionId: session.id };
}

async function request(body: unknown, shop = SHOP) {
  const url = signAppProxyUrl(new URL("/proxy/portal/request", stack.app.url), {
    apiSecret: TEST_APP.apiSecret,
    shop,
    pathPrefix: "/apps/shopdesk",
  });
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const counts = async () => ({
  tickets: await db.ticket.count({ where: { workspaceId } }),
  requests: await db.portalRequest.count({ where: { shopId } }),
});

describe("portal requests", () => {
  it("a return becomes one ticket with the order and the shopper's answers, and one confirmation in their language", async () => {
    const { token, sessionId } = await signIn("fr");
    const answer = await request({
      token,
      locale: "fr",
      kind: "return",
      orderId: orders.delivered.rowId,
      items: [{ lineItemId: orders.delivered.lineItemId, quantity: 1 }],
      reason: "SIZE_TOO_SMALL",
      message: "Un peu petit.",
    });
    expect(answer.status).toBe(201);
    expect(answer.json.request).toMatchObject({ kind: "return", status: "received", statusLabel: "Reçue" });

    const filed = await db.portalRequest.findUniqueOrThrow({
      where: { id: (answer.json.request as { id: string }).id },
      include: { ticket: { include: { orders: true, entries: { orderBy: { seq: "asc" } } } } },
    });
    expect(filed).toMatchObject({ shopId, sessionId, orderId: orders.delivered.rowId, kind: "return" });
    expect(filed.ticket).toMatchObject({
      channel: "portal_request",
      subject: `Return request for order ${orders.delivered.name}`,
      shopId,
    });
    expect(filed.ticket.orders.map(({ orderId }) => orderId)).toEqual([orders.delivered.rowId]);
    const message = filed.ticket.entries.find((entry) => entry.kind === "customer_message");
    expect(message?.body).toContain("- 1 × Merino scarf");
    expect(message?.body).toContain("Reason: Too small");
    expect(message?.body).toContain("Their message: Un peu petit.");
    const customer = await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: filed.ticket.customerId! } });
    expect(customer.emails).toContain(INES.email);

    const mail = await catcher.waitFor((caught) => caught.to.includes(INES.email), 15_000);
    expect(mail.subject).toBe(`Nous avons bien reçu votre demande de retour pour la commande ${orders.delivered.name}`);
    expect(mail.text).toMatch(/Maple Goods.* a bien reçu/);
    const session = await db.portalSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session.requests).toBe(1);
    // Billable for the request itself; reaching an agent is the shopper's own next message.
    expect(session.reachedAgentAt).toBeNull();

    // Sent again (a double click): the same request, no second ticket or mail.
    const before = await counts();
    const again = await request({
      token,
      locale: "fr",
      kind: "return",
      orderId: orders.delivered.rowId,
      items: [{ lineItemId: orders.delivered.lineItemId, quantity: 1 }],
      reason: "SIZE_TOO_SMALL",
      message: "Un peu petit.",
    });
    expect(again.status).toBe(200);
    expect((again.json.request as { id: string }).id).toBe(filed.id);
    expect(await counts()).toEqual(before);
  });

  it("a cancellation of an unfulfilled order and an issue report are filed; what the order does not offer is refused", async () => {
    const { token } = await signIn();
    const cancelled = await request({ token, kind: "cancel", orderId: orders.unfulfilled.rowId });
    expect(cancelled.status).toBe(201);
    const issue = await request({ token, kind: "issue", orderId: orders.delivered.rowId, issue: "damaged_item" });
    expect(issue.status).toBe(201);
    const issueTicket = await db.portalRequest.findUniqueOrThrow({
      where: { id: (issue.json.request as { id: string }).id },
      include: { ticket: true },
    });
    expect(issueTicket.ticket.subject).toBe(
      `Issue with order ${orders.delivered.name}: ${ISSUE_LABELS.en.damaged_item}`,
    );

    const before = await counts();
    // In transit: no cancellation offered (the default statuses are unfulfilled and processing).
    const refused = await request({ token, kind: "cancel", orderId: orders.inTransit.rowId });
    expect(refused).toEqual({ status: 409, json: { error: "This can no longer be requested for this order." } });
    // Another return for the same order while the first waits for an answer.
    const second = await request({
      token,
      kind: "return",
      orderId: orders.delivered.rowId,
      items: [{ lineItemId: orders.delivered.lineItemId, quantity: 2 }],
      reason: "OTHER",
    });
    expect(second.status).toBe(409);
    // More than was received, an item of no order, an issue not offered (on an order with no return yet).
    for (const body of [
      { kind: "return", items: [{ lineItemId: orders.delivered.lineItemId, quantity: 3 }], reason: "OTHER" },
      { kind: "return", items: [{ lineItemId: "gid://shopify/LineItem/1", quantity: 1 }], reason: "OTHER" },
      { kind: "issue", issue: "not_an_issue" },
    ]) {
      const answer = await request({ token, orderId: orders.deliveredToo.rowId, ...body });
      expect(answer.status).toBe(400);
    }
    expect(await counts()).toEqual(before);
  });

  it("a return of a line the order page shows as not returnable is refused in the shopper's language, changing nothing", async () => {
    // A delivered scarf and a gift card (never shipped): Return is offered for the scarf only.
    const scarf = buildLineItem({ title: "Merino scarf", quantity: 1, fulfillableQuantity: 0 });
    const giftCard = buildLineItem({
      title: "Gift card",
      quantity: 1,
      fulfillableQuantity: 0,
      requiresShipping: false,
    });
    const order = await saveOrder(
      shopId,
      snapshotOf(INES, {
        createdAt: ago(10),
        processedAt: ago(10),
        fulfillmentStatus: "FULFILLED",
        lineItems: [scarf, giftCard],
        fulfillments: [
          buildFulfillment({
            createdAt: ago(9),
            updatedAt: ago(3),
            displayStatus: "DELIVERED",
            deliveredAt: ago(3),
            lineItems: [{ lineItemId: scarf.id, quantity: 1 }],
          }),
        ],
      }),
    );
    const { token } = await signIn("fr");
    const page = await fetch(
      signAppProxyUrl(new URL("/proxy/portal/order", stack.app.url), {
        apiSecret: TEST_APP.apiSecret,
        shop: SHOP,
        pathPrefix: "/apps/shopdesk",
      }),
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token, orderId: order.rowId }),
      },
    );
    const { order: shown } = (await page.json()) as {
      order: { summary: { lineItems: { id: string; returnableQuantity: number }[] } };
    };
    expect(shown.summary.lineItems.map((line) => [line.id, line.returnableQuantity])).toEqual([
      [scarf.id, 1],
      [giftCard.id, 0],
    ]);

    const before = await counts();
    const refused = await request({
      token,
      kind: "return",
      orderId: order.rowId,
      items: [{ lineItemId: giftCard.id, quantity: 1 }],
      reason: "OTHER",
    });
    expect(refused).toEqual({
      status: 400,
      json: { error: "Choisissez des articles de cette commande, sans dépasser la quantité reçue." },
    });
    expect(await counts()).toEqual(before);
    expect(await db.portalRequest.count({ where: { orderId: order.rowId } })).toBe(0);
  });

  it("another shopper's order, another store's order and a forged id are 404; a bad token is 401; nothing changes", async () => {
    const { token } = await signIn();
    const before = await counts();
    for (const orderId of [orders.marcs.rowId, orders.otherShop.rowId, crypto.randomUUID()]) {
      const answer = await request({ token, kind: "cancel", orderId });
      expect(answer).toEqual({ status: 404, json: { error: "We could not find this order in your account." } });
    }
    expect((await request({ token: `${token}x`, kind: "cancel", orderId: orders.unfulfilled.rowId })).status).toBe(401);
    // This store's token on the other store.
    expect((await request({ token, kind: "cancel", orderId: orders.otherShop.rowId }, OTHER_SHOP)).status).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it("bad bodies get a 4xx with a message and change nothing", async () => {
    const { token } = await signIn();
    const before = await counts();
    expect((await request("not json")).status).toBe(400);
    expect((await request({ token, kind: "refund", orderId: orders.delivered.rowId })).json).toEqual({
      error: "Choose a return, a cancellation or an issue.",
    });
    expect(
      (await request({ token, kind: "cancel", orderId: orders.unfulfilled.rowId, message: "a\u0000b" })).status,
    ).toBe(400);
    expect(
      (await request({ token, kind: "cancel", orderId: orders.unfulfilled.rowId, message: "x".repeat(40_000) })).status,
    ).toBe(413);
    expect(await counts()).toEqual(before);
  });
});
