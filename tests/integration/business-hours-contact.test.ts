import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMailCatcher, type MailCatcher } from "../../dev/mail-catcher.ts";
import { signAppProxyUrl } from "../../dev/store-emulator/signing.ts";
import { startIntegrationStack, TEST_APP, type IntegrationStack } from "../support/integration-stack.ts";
import { orderSnapshots, saveOrder, type SavedOrder } from "../support/portal.ts";
import { waitForBackfill } from "../support/sync.ts";

// The storefront's availability and offline contact form (decision 026), over real HTTP signed as
// Shopify's App Proxy signs, against PostgreSQL and a real SMTP server: the availability follows
// the workspace's business hours; a contact form becomes one contact_form ticket with its order
// and one automatic reply saying when agents are back; a double click makes one ticket and one
// mail; bad input is a 400 that changes nothing; an agent's reply goes out by email.
const SHOP = "maple-goods-eu.myshopify.com";
const OTHER_SHOP = "north-trail.myshopify.com";
const DAY = 86_400_000;

let stack: IntegrationStack;
let catcher: MailCatcher;
const { db } = await import("~/db.server");
const { openPortalSession } = await import("~/services/portal/portal-auth.server");
const { saveMailSettings } = await import("~/models/mail-settings.server");
const { saveBusinessHours } = await import("~/models/business-hours.server");
const { CONTACT_AUTO_REPLIES_PER_SHOP } = await import("~/services/portal/contact-form.server");
const { sendAgentReply } = await import("~/services/tickets/reply-delivery.server");
const { startJobWorkers } = await import("~/jobs/workers.server");
const { replyDeliveryJob } = await import("~/jobs/mail.server");

const INES = { customerId: "gid://shopify/Customer/990101", email: "ines.moreau@example.com" };
const MARC = { customerId: "gid://shopify/Customer/990102", email: "marc.dupont@example.com" };
const snapshotOf = orderSnapshots({ firstNumber: 9_950_000, namePrefix: "#C" });

let shopId: string;
let workspaceId: string;
let otherWorkspaceId: string;
let inesOrder: SavedOrder;
let marcsOrder: SavedOrder;

/** Tomorrow (UTC) 09:00–10:00 only: closed now, opening tomorrow at 9:00 in UTC. */
function tomorrowOnly() {
  const tomorrow = new Date(Date.now() + DAY);
  const day = tomorrow.getUTCDay() === 0 ? 7 : tomorrow.getUTCDay();
  const opensAt = new Date(Date.UTC(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth(), tomorrow.getUTCDate(), 9));
  return { weekly: [{ day, opens: "09:00", closes: "10:00" }], opensAt };
}

beforeAll(async () => {
  catcher = await startMailCatcher({ webPort: false });
  await startJobWorkers([{ ...replyDeliveryJob, retryLimit: 2, retryDelaySeconds: 1 }]);
  stack = await startIntegrationStack();
  for (const shop of [SHOP, OTHER_SHOP]) expect((await stack.install(shop)).status).toBe(200);
  const [a, b] = await Promise.all([waitForBackfill(SHOP), waitForBackfill(OTHER_SHOP)]);
  shopId = a.shop.id;
  workspaceId = a.shop.workspaceId;
  otherWorkspaceId = b.shop.workspaceId;
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
  inesOrder = await saveOrder(shopId, snapshotOf(INES));
  marcsOrder = await saveOrder(shopId, snapshotOf(MARC));
  await saveBusinessHours(workspaceId, { enabled: true, timezone: "UTC", holidays: [], ...tomorrowOnly() });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await catcher?.close();
});

async function post(path: string, body: unknown, shop = SHOP) {
  const url = signAppProxyUrl(new URL(`/proxy/portal/${path}`, stack.app.url), {
    apiSecret: TEST_APP.apiSecret,
    shop,
    pathPrefix: "/apps/shopdesk",
  });
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    json: (await response.json()) as Record<string, unknown>,
  };
}

const contactTickets = (email: string) =>
  db.ticket.findMany({
    where: { workspaceId, channel: "contact_form", customer: { emails: { has: email } } },
    include: { orders: true, entries: { orderBy: { seq: "asc" } } },
    orderBy: { number: "asc" },
  });

const mailsTo = (email: string) => catcher.messages().filter((mail) => mail.envelope.to.includes(email));

/** Waits for `count` mails to `email`, then a little longer to see that no further one comes. */
async function settledMailsTo(email: string, count: number) {
  await catcher.waitFor(() => mailsTo(email).length >= count, 15_000);
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  return mailsTo(email);
}

describe("availability", () => {
  it("is offline with the next opening from the workspace's hours, in the shopper's language", async () => {
    const { opensAt } = tomorrowOnly();
    const answer = await post("availability", { locale: "fr" });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      online: false,
      nextOpenAt: opensAt.toISOString(),
      timezone: "UTC",
      message: "Nous sommes hors ligne. Nous vous répondrons demain à 9:00.",
    });
  });

  it("is online for a workspace without hours, in the store's own time zone; a GET is refused", async () => {
    const other = await db.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } });
    expect(await db.businessHours.count({ where: { workspaceId: otherWorkspaceId } })).toBe(0);
    const answer = await post("availability", {}, OTHER_SHOP);
    expect(answer.json).toEqual({
      online: true,
      nextOpenAt: null,
      timezone: other.ianaTimezone ?? "UTC",
      message: "We're online.",
    });
    const url = signAppProxyUrl(new URL("/proxy/portal/availability", stack.app.url), {
      apiSecret: TEST_APP.apiSecret,
      shop: SHOP,
      pathPrefix: "/apps/shopdesk",
    });
    expect((await fetch(url)).status).toBe(405);
  });
});

describe("contact form", () => {
  // Every call here comes from one address (127.0.0.1): each test starts under the limits.
  beforeEach(async () => {
    await db.portalRateEvent.deleteMany({ where: { shopId, kind: { startsWith: "contact:" } } });
  });

  it("files one contact_form ticket with the shopper's order, and one auto-reply saying when agents are back", async () => {
    const { token, session } = await openPortalSession(shopId, {
      method: "email_code",
      email: INES.email,
      shopifyCustomerId: INES.customerId,
    });
    const quickAnswer = await db.quickAnswer.create({ data: { workspaceId, position: 0, content: {} } });
    const use = await db.quickAnswerUse.create({
      data: { workspaceId, shopId, quickAnswerId: quickAnswer.id, locale: "fr", portalSessionId: session.id },
    });

    const answer = await post("contact", {
      token,
      locale: "fr",
      email: "  Ines.Moreau@Example.com ",
      name: "Inès",
      message: "Bonjour, la taille M existe-t-elle en bleu ?",
      orderNumber: inesOrder.name.slice(1),
    });
    expect(answer.status).toBe(201);
    expect(answer.json).toEqual({
      message: "Merci, nous avons bien reçu votre message. Nous vous répondrons par e-mail.",
      expectedAnswer: "demain à 9:00",
      nextOpenAt: tomorrowOnly().opensAt.toISOString(),
    });

    const [ticket, ...others] = await contactTickets(INES.email);
    expect(others).toEqual([]);
    expect(ticket).toMatchObject({ channel: "contact_form", shopId, tags: ["contact-form"] });
    expect(ticket!.orders.map((link) => link.orderId)).toEqual([inesOrder.rowId]);
    const message = ticket!.entries.find((entry) => entry.kind === "customer_message");
    expect(message).toMatchObject({
      body: "Bonjour, la taille M existe-t-elle en bleu ?",
      fromAddress: INES.email,
    });

    const [mail, ...more] = await settledMailsTo(INES.email, 1);
    expect(more).toEqual([]);
    const storeName = (await db.shop.findUniqueOrThrow({ where: { id: shopId } })).name ?? SHOP;
    expect(mail!.subject).toBe(`Nous avons bien reçu votre message (${storeName})`);
    expect(mail!.text).toContain("Bonjour Inès,");
    expect(mail!.text).toContain("vous répondra demain à 9:00, par e-mail.");
    const reply = await db.ticketEntry.findFirstOrThrow({ where: { ticketId: ticket!.id, kind: "agent_reply" } });
    expect(reply.deliveryStatus).toBe("sent");

    // The portal session reached an agent; its quick answer of a minute ago was not a deflection.
    expect((await db.portalSession.findUniqueOrThrow({ where: { id: session.id } })).reachedAgentAt).not.toBeNull();
    expect((await db.quickAnswerUse.findUniqueOrThrow({ where: { id: use.id } })).contactedAgentAt).not.toBeNull();
  });

  it("a double click makes one ticket and one mail; another message is another ticket", async () => {
    const email = "double.click@example.com";
    const body = { email, message: "Do you ship to Norway?", locale: "en" };
    const [first, second] = await Promise.all([post("contact", body), post("contact", body)]);
    expect([first.status, second.status].sort()).toEqual([200, 201]);
    expect(second.json.expectedAnswer).toBe("tomorrow at 9:00");
    const replay = await post("contact", body);
    expect(replay.status).toBe(200);
    expect(await contactTickets(email)).toHaveLength(1);
    expect(await settledMailsTo(email, 1)).toHaveLength(1);

    const next = await post("contact", { ...body, message: "And to Iceland?" });
    expect(next.status).toBe(201);
    expect(await contactTickets(email)).toHaveLength(2);
    // No order number: nothing linked, and an anonymous shopper's ticket has no portal session.
    expect((await contactTickets(email)).every((ticket) => ticket.orders.length === 0)).toBe(true);
  });

  it("links no order that is not this shopper's", async () => {
    const email = "someone.else@example.com";
    const answer = await post("contact", { email, message: "Where is it?", orderNumber: marcsOrder.name });
    expect(answer.status).toBe(201);
    const [ticket] = await contactTickets(email);
    expect(ticket!.orders).toEqual([]);
  });

  it("refuses bad input with a 400 in the shopper's language, and changes nothing", async () => {
    const email = "bad.input@example.com";
    const before = { tickets: await db.ticket.count(), customers: await db.helpdeskCustomer.count() };
    const refusals: [unknown, string, string][] = [
      [{ email: "not-an-address", message: "Hi" }, "email", "Enter your email address, like name@example.com."],
      [{ email, message: "   " }, "message", "Write your message."],
      [{ email, message: "x".repeat(5001) }, "message", "Keep your message under 5000 characters."],
      [
        { email, message: "Hi\u0000there" },
        "message",
        "Your message contains a character we cannot save. Remove it and try again.",
      ],
      [
        { email, message: "Hi", orderNumber: "1001; DROP" },
        "orderNumber",
        "Enter the order number as shown in your confirmation, like #1001, or leave it empty.",
      ],
      [{ email, message: "Hi", name: { first: "x" } }, "name", `Keep your name under 100 characters.`],
      [
        { email, message: "Hallo", locale: "de", name: "n".repeat(101) },
        "name",
        "Ihr Name darf höchstens 100 Zeichen lang sein.",
      ],
    ];
    for (const [body, field, error] of refusals) {
      const answer = await post("contact", body);
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(answer.json).toEqual({ error, field });
    }
    expect((await post("contact", "{not json")).status).toBe(400);
    expect((await post("contact", JSON.stringify({ email, message: "y".repeat(40_000) }))).status).toBe(413);
    expect({ tickets: await db.ticket.count(), customers: await db.helpdeskCustomer.count() }).toEqual(before);
    expect(mailsTo(email)).toEqual([]);
  });

  it("limits messages from one address (429 with Retry-After), and the refused one changes nothing", async () => {
    const email = "busy.writer@example.com";
    for (const n of [1, 2, 3]) expect((await post("contact", { email, message: `Question ${n}` })).status).toBe(201);
    const refused = await post("contact", { email, message: "Question 4" });
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(refused.json.error).toBe("You have sent several messages already. We will answer them soon.");
    expect(await contactTickets(email)).toHaveLength(3);

    // Many addresses from one IP: five in ten minutes, then refused whatever the address.
    for (const other of ["a.sender@example.com", "b.sender@example.com"]) {
      expect((await post("contact", { email: other, message: "Hello" })).status).toBe(201);
    }
    expect((await post("contact", { email: "c.sender@example.com", message: "Hello" })).status).toBe(429);
    expect(await contactTickets("c.sender@example.com")).toEqual([]);
  });

  it("past the store's hourly number of auto-replies, files the ticket without mailing the address typed in", async () => {
    // As if many senders, each from an IP address of their own, had used the form this hour.
    await db.portalRateEvent.createMany({
      data: Array.from({ length: CONTACT_AUTO_REPLIES_PER_SHOP.max }, () => ({
        shopId,
        kind: "contact:auto-reply",
        key: "shop",
      })),
    });
    const email = "stranger.target@example.com";
    expect((await post("contact", { email, message: "Buy cheap watches at spam.example" })).status).toBe(201);
    const [ticket, ...others] = await contactTickets(email);
    expect(others).toEqual([]);
    expect(ticket!.entries.filter((entry) => entry.kind === "customer_message")).toHaveLength(1);
    expect(ticket!.entries.filter((entry) => entry.kind === "agent_reply")).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(mailsTo(email)).toEqual([]);
  });

  it("an agent's reply on the contact-form ticket goes out by email, to the address typed in the form", async () => {
    const email = "reply.me@example.com";
    expect((await post("contact", { email, message: "Is the sale on Friday?" })).status).toBe(201);
    await settledMailsTo(email, 1);
    const [ticket] = await contactTickets(email);
    const agent = await db.agent.create({ data: { workspaceId, name: "Mia Agent", email: "mia.hours@maple.example" } });
    await sendAgentReply(workspaceId, ticket!.id, agent.id, "Yes, from 9:00 on Friday.");
    const mail = await catcher.waitFor(
      (caught) => caught.envelope.to.includes(email) && caught.text.includes("from 9:00 on Friday"),
      15_000,
    );
    expect(mail.subject).toBe(`Re: ${ticket!.subject}`);
  });
});
