import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailCatcher, type MailCatcher } from "../../dev/mail-catcher.ts";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { eventually } from "../support/wait.ts";
import { unwrap } from "../support/route-results.ts";

// Email out on this file's own database: the workspace's SMTP server is a real smtp-server on
// 127.0.0.1 (dev/mail-catcher.ts), replies go through the real durable job, and the settings page
// is called as the admin calls it.

const EU = "maple-goods-eu.myshopify.com";
const NORTH = "north-trail.myshopify.com";

const { db } = await import("~/db.server");
const { startJobWorkers } = await import("~/jobs/workers.server");
const { replyDeliveryJob, queueStuckReplies } = await import("~/jobs/mail.server");
const { queueReplyDelivery } = await import("~/jobs/mail-kinds.server");
const { countDeadJobs } = await import("~/jobs/dead-letters.server");
const { addAgentReply, addCustomerMessage, createTicket } = await import("~/models/ticket.server");
const { saveMailSettings } = await import("~/models/mail-settings.server");
const { deliverReply, SMS_NOT_AVAILABLE } = await import("~/services/mail/delivery.server");
const { sendAgentReply, retryReplyNow, ReplyNotFoundError } = await import("~/services/tickets/reply-delivery.server");
const { decryptSecret } = await import("~/lib/secrets.server");
const emailSettings = await import("~/routes/app.settings.email");

let catcher: MailCatcher;
let stack: IntegrationStack;

// Short retries for the test (the queue keeps the settings of whoever creates it first): 3
// retries, 1 s base with exponential backoff. Same handler as production.
const testReplyJob = { ...replyDeliveryJob, retryLimit: 3, retryDelaySeconds: 1 };

beforeAll(async () => {
  catcher = await startMailCatcher({ webPort: false });
  await startJobWorkers([testReplyJob]);
  stack = await startIntegrationStack({ seed: { ordersPerShop: 2, customersPerShop: 2 } });
  for (const shop of [EU, NORTH]) expect((await stack.install(shop)).status).toBe(200);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await catcher?.close();
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const shopRow = (domain: string) => db.shop.findUniqueOrThrow({ where: { domain } });

/** A workspace of its own (tickets, customer, agent), with its mail settings pointing at the catcher. */
async function workspace(options: { settings?: boolean } = {}) {
  const shop = await db.shop.create({
    data: { domain: `mail-${crypto.randomUUID()}.myshopify.com`, workspace: { create: { name: "Maple" } } },
  });
  const customer = await db.helpdeskCustomer.create({
    data: { workspaceId: shop.workspaceId, name: "Ava Lind", emails: ["ava@example.com", "ava.work@example.com"] },
  });
  const agent = await db.agent.create({
    data: { workspaceId: shop.workspaceId, name: "Bea Agent", email: `bea-${crypto.randomUUID()}@example.com` },
  });
  if (options.settings !== false) await pointAt(shop.workspaceId, catcher.smtpPort);
  return { workspaceId: shop.workspaceId, customer, agent };
}

async function pointAt(workspaceId: string, port: number, login: { username: string; password: string } | null = null) {
  const saved = await saveMailSettings(workspaceId, {
    host: "127.0.0.1",
    port,
    security: "none",
    username: login?.username ?? null,
    password: login?.password ?? null,
    fromAddress: "support@maple.example",
    fromName: "Maple Goods",
  });
  expect(saved.ok).toBe(true);
}

async function emailTicket(workspaceId: string, customerId: string, channel = "email" as const) {
  const ticket = await createTicket(workspaceId, {
    channel,
    subject: "Where is my parcel?",
    customerId,
    firstMessage: {
      body: "Hi, where is it?",
      fromAddress: "Ava Lind <ava.other@example.com>",
      messageId: `<m1-${crypto.randomUUID()}@mail.example>`,
    },
  });
  return ticket;
}

const entry = (id: string) => db.ticketEntry.findUniqueOrThrow({ where: { id } });
const caughtWith = (messageId: string | null) => catcher.messages().filter((mail) => mail.messageId === messageId);

describe("replies by email", () => {
  it("arrive from the workspace's sender, to the customer's address, in the customer's thread", async () => {
    const { workspaceId, customer, agent } = await workspace();
    const ticket = await emailTicket(workspaceId, customer.id);
    const first = await db.ticketEntry.findFirstOrThrow({ where: { ticketId: ticket.id, kind: "customer_message" } });
    const secondId = `<m2-${crypto.randomUUID()}@mail.example>`;
    await addCustomerMessage(workspaceId, ticket.id, {
      body: "Any news?",
      fromAddress: "ava.other@example.com",
      messageId: secondId,
      inReplyTo: first.messageId,
      references: [first.messageId!],
    });

    const reply = await sendAgentReply(workspaceId, ticket.id, agent.id, "It ships today.\nBea");
    expect(reply).toMatchObject({ kind: "agent_reply", deliveryStatus: "pending" });
    const sent = await eventually(async () =>
      (await entry(reply.id)).deliveryStatus === "sent" ? entry(reply.id) : null,
    );
    expect(sent).toMatchObject({ deliveryError: null, deliveryAttempts: 1, toAddresses: ["ava.other@example.com"] });
    expect(sent.messageId).toMatch(/^<[0-9a-f-]{36}@maple\.example>$/);

    const mail = await catcher.waitFor((caught) => caught.messageId === sent.messageId);
    expect(mail).toMatchObject({
      from: '"Maple Goods" <support@maple.example>',
      to: "ava.other@example.com",
      envelope: { from: "support@maple.example", to: ["ava.other@example.com"] },
      subject: "Re: Where is my parcel?",
      inReplyTo: secondId,
      references: [first.messageId, secondId],
    });
    expect(mail.text.trim()).toBe("It ships today.\nBea");
    expect(sent).toMatchObject({ inReplyTo: secondId, references: [first.messageId, secondId] });
  });

  it("go to the customer's first email on portal and contact-form tickets; chat and API replies are in-app", async () => {
    const { workspaceId, customer, agent } = await workspace();
    const portal = await createTicket(workspaceId, {
      channel: "portal_request",
      subject: "Return request for #1001",
      customerId: customer.id,
      firstMessage: { body: "Too small" },
    });
    const reply = await sendAgentReply(workspaceId, portal.id, agent.id, "Label attached.");
    await eventually(async () => (await entry(reply.id)).deliveryStatus === "sent");
    const mail = await catcher.waitFor(
      (caught) => caught.messageId === (reply.messageId ?? "") || caught.subject === "Re: Return request for #1001",
    );
    expect(mail).toMatchObject({ to: "ava@example.com", inReplyTo: null, references: [] });

    const before = catcher.messages().length;
    for (const channel of ["chat", "api"] as const) {
      const ticket = await createTicket(workspaceId, {
        channel,
        customerId: customer.id,
        firstMessage: { body: "Hi" },
      });
      const chatReply = await sendAgentReply(workspaceId, ticket.id, agent.id, "Hello!");
      await eventually(async () => (await entry(chatReply.id)).deliveryStatus === "sent");
      expect(await entry(chatReply.id)).toMatchObject({ messageId: null, deliveryError: null });
    }
    expect(catcher.messages().length).toBe(before);
  });

  it("fail with a reason a person understands when they cannot be sent (no settings, SMS, no address)", async () => {
    const bare = await workspace({ settings: false });
    const ticket = await emailTicket(bare.workspaceId, bare.customer.id);
    const reply = await sendAgentReply(bare.workspaceId, ticket.id, bare.agent.id, "Hello");
    const failed = await eventually(async () =>
      (await entry(reply.id)).deliveryStatus === "failed" ? entry(reply.id) : null,
    );
    expect(failed).toMatchObject({ deliveryError: "Set up outgoing email in Settings → Email.", deliveryAttempts: 1 });

    const { workspaceId, agent } = await workspace();
    const sms = await createTicket(workspaceId, {
      channel: "sms",
      firstMessage: { body: "hi", fromAddress: "+4912345" },
    });
    const smsReply = await sendAgentReply(workspaceId, sms.id, agent.id, "Hello");
    await eventually(async () => (await entry(smsReply.id)).deliveryStatus === "failed");
    expect((await entry(smsReply.id)).deliveryError).toBe(SMS_NOT_AVAILABLE);

    const nobody = await createTicket(workspaceId, { channel: "contact_form", firstMessage: { body: "hi" } });
    const nobodyReply = await sendAgentReply(workspaceId, nobody.id, agent.id, "Hello");
    await eventually(async () => (await entry(nobodyReply.id)).deliveryStatus === "failed");
    expect((await entry(nobodyReply.id)).deliveryError).toMatch(/no email address/);
    expect(await countDeadJobs({ queue: replyDeliveryJob.name })).toBe(0);
  });

  it("stay pending with the server's refusal while retrying with backoff, then go out once, when it accepts", async () => {
    const { workspaceId, customer, agent } = await workspace();
    const ticket = await emailTicket(workspaceId, customer.id);
    catcher.refuseRecipients("550 5.1.1 Mailbox unavailable");
    try {
      const reply = await sendAgentReply(workspaceId, ticket.id, agent.id, "Refused at first");
      const retrying = await eventually(
        async () => {
          const current = await entry(reply.id);
          return current.deliveryAttempts >= 2 ? current : null;
        },
        { timeoutMs: 15_000 },
      );
      expect(retrying).toMatchObject({ deliveryStatus: "pending", deliveryError: "550 5.1.1 Mailbox unavailable" });
      const messageId = retrying.messageId;
      expect(messageId).not.toBeNull();
      catcher.refuseRecipients(null);
      const sent = await eventually(
        async () => ((await entry(reply.id)).deliveryStatus === "sent" ? entry(reply.id) : null),
        { timeoutMs: 20_000 },
      );
      // The same Message-ID on every attempt, stored before the first.
      expect(sent).toMatchObject({ messageId, deliveryError: null });
      await catcher.waitFor((mail) => mail.messageId === messageId);

      // A replayed job, a second queuing, a manual retry: nothing goes out again.
      expect(await deliverReply(workspaceId, reply.id)).toEqual({ status: "skipped", reason: "sent" });
      await queueReplyDelivery(workspaceId, reply.id);
      expect(await retryReplyNow(workspaceId, reply.id)).toMatchObject({ deliveryStatus: "sent" });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(caughtWith(messageId)).toHaveLength(1);
      const jobs = await db.$queryRaw<{ retry_count: number; state: string }[]>`
        SELECT retry_count, state::text FROM pgboss.job WHERE name = ${replyDeliveryJob.name} AND data->>'entryId' = ${reply.id}
        ORDER BY created_on`;
      expect(jobs[0]).toMatchObject({ state: "completed" });
      expect(jobs[0]!.retry_count).toBeGreaterThanOrEqual(1);
    } finally {
      catcher.refuseRecipients(null);
    }
  });

  it("are failed with the server's words once retries run out, never lost, and a person's Retry sends them", async () => {
    const { workspaceId, customer, agent } = await workspace();
    await pointAt(workspaceId, catcher.smtpPort, { username: "maple", password: "old password" });
    catcher.requireLogin({ user: "maple", pass: "new password" });
    try {
      const ticket = await emailTicket(workspaceId, customer.id);
      const reply = await sendAgentReply(workspaceId, ticket.id, agent.id, "Behind a login");
      const failed = await eventually(
        async () => ((await entry(reply.id)).deliveryStatus === "failed" ? entry(reply.id) : null),
        { timeoutMs: 40_000, intervalMs: 200 },
      );
      expect(failed).toMatchObject({ deliveryError: "535 Authentication failed", deliveryAttempts: 4 });
      // Recorded on the reply for the agent, not in the job ledger.
      expect(await countDeadJobs({ queue: replyDeliveryJob.name })).toBe(0);

      // The merchant fixes the password (the user name stays), the agent presses Retry.
      await pointAt(workspaceId, catcher.smtpPort, { username: "maple", password: "new password" });
      expect(await retryReplyNow(workspaceId, reply.id)).toMatchObject({
        deliveryStatus: "pending",
        deliveryError: null,
      });
      const sent = await eventually(async () =>
        (await entry(reply.id)).deliveryStatus === "sent" ? entry(reply.id) : null,
      );
      expect(sent.deliveryAttempts).toBe(5);
      expect((await catcher.waitFor((mail) => mail.messageId === sent.messageId)).login).toBe("maple");
      expect(caughtWith(sent.messageId)).toHaveLength(1);
    } finally {
      catcher.requireLogin(null);
    }
  }, 60_000);

  it("wait out a server that is down, then go out when it is back", async () => {
    const { workspaceId, customer, agent } = await workspace({ settings: false });
    await pointAt(workspaceId, await closedPort());
    const ticket = await emailTicket(workspaceId, customer.id);
    const reply = await sendAgentReply(workspaceId, ticket.id, agent.id, "Server down");
    const retrying = await eventually(async () => {
      const current = await entry(reply.id);
      return current.deliveryError ? current : null;
    });
    expect(retrying.deliveryStatus).toBe("pending");
    expect(retrying.deliveryError).toMatch(/^Connection refused by 127\.0\.0\.1:\d+/);
    await pointAt(workspaceId, catcher.smtpPort);
    const sent = await eventually(
      async () => ((await entry(reply.id)).deliveryStatus === "sent" ? entry(reply.id) : null),
      { timeoutMs: 20_000 },
    );
    expect(caughtWith(sent.messageId)).toHaveLength(1);
  });

  it("are sent once when two deliveries of the same reply run at the same time", async () => {
    const { workspaceId, customer, agent } = await workspace();
    const ticket = await emailTicket(workspaceId, customer.id);
    // Stored without queuing (as after a crash between the two), then delivered twice at once.
    const reply = await addAgentReply(workspaceId, ticket.id, agent.id, { body: "Twice?" });
    const results = await Promise.all([deliverReply(workspaceId, reply.id), deliverReply(workspaceId, reply.id)]);
    expect(results.map((result) => result.status).sort()).toEqual(["sent", "skipped"]);
    const sent = await entry(reply.id);
    expect(sent).toMatchObject({ deliveryStatus: "sent", deliveryAttempts: 1 });
    await catcher.waitFor((mail) => mail.messageId === sent.messageId);
    expect(caughtWith(sent.messageId)).toHaveLength(1);
  });

  it("left pending without a job (a crash after storing) are queued by the sweep after 10 minutes", async () => {
    const { workspaceId, customer, agent } = await workspace();
    const ticket = await emailTicket(workspaceId, customer.id);
    const reply = await addAgentReply(workspaceId, ticket.id, agent.id, { body: "Left behind" });
    expect(await queueStuckReplies()).toBe(0); // too recent: its job may still be on its way
    await db.ticketEntry.update({ where: { id: reply.id }, data: { createdAt: new Date(Date.now() - 11 * 60_000) } });
    expect(await queueStuckReplies()).toBe(1);
    expect(await queueStuckReplies()).toBe(0); // its job is waiting or running
    await eventually(async () => (await entry(reply.id)).deliveryStatus === "sent");
    expect(await queueStuckReplies()).toBe(0);
  });

  it("are never read or changed through another workspace", async () => {
    const mine = await workspace();
    const theirs = await workspace();
    const ticket = await emailTicket(theirs.workspaceId, theirs.customer.id);
    const reply = await addAgentReply(theirs.workspaceId, ticket.id, theirs.agent.id, { body: "Theirs" });
    expect(await deliverReply(mine.workspaceId, reply.id)).toEqual({ status: "skipped", reason: "missing" });
    await expect(retryReplyNow(mine.workspaceId, reply.id)).rejects.toThrow(ReplyNotFoundError);
    await expect(sendAgentReply(mine.workspaceId, ticket.id, mine.agent.id, "Into theirs")).rejects.toThrow(
      /another workspace/,
    );
    expect(await entry(reply.id)).toMatchObject({ deliveryStatus: "pending", deliveryAttempts: 0, messageId: null });
  });
});

// ---- Settings → Email, called as the admin calls it ---------------------------------------------

/** A route's answer as the client gets it: `data(..., { status })` or a plain value (200). */

const load = async (shop: string) =>
  emailSettings.loader({ request: stack.adminRequest(shop, "/app/settings/email"), params: {}, context: {} });

async function post(shop: string, form: Record<string, string>) {
  const request = stack.adminRequest(shop, "/app/settings/email", { method: "POST", body: new URLSearchParams(form) });
  return unwrap(await emailSettings.action({ request, params: {}, context: {} }));
}

const settingsRow = async (domain: string) =>
  db.workspaceMailSettings.findUnique({ where: { workspaceId: (await shopRow(domain)).workspaceId } });

const validForm = () => ({
  intent: "save",
  host: "127.0.0.1",
  port: String(catcher.smtpPort),
  security: "none",
  username: "maple",
  password: "s3cret password",
  fromAddress: "support@maple-goods-eu.example",
  fromName: "Maple Goods EU",
});

describe("Settings → Email", () => {
  it("saves the settings with the password encrypted, and never sends it (or its ciphertext) back", async () => {
    const empty = await load(EU);
    expect(empty.settings).toBeNull();
    const agent = await db.agent.findFirstOrThrow({ where: { workspaceId: (await shopRow(EU)).workspaceId } });
    expect(empty.testRecipient).toBe(agent.email);

    const saved = await post(EU, validForm());
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      intent: "save",
      ok: true,
      settings: { hasPassword: true, port: catcher.smtpPort },
    });
    const row = (await settingsRow(EU))!;
    expect(row.passwordEncrypted).toMatch(/^v1\./);
    expect(row.passwordEncrypted).not.toContain("s3cret");
    expect(decryptSecret(row.passwordEncrypted!, row.workspaceId)).toBe("s3cret password");

    const loaded = JSON.stringify(await load(EU));
    expect(loaded).not.toContain("s3cret");
    expect(loaded).not.toContain(row.passwordEncrypted!);
    expect(JSON.stringify(saved.body)).not.toContain(row.passwordEncrypted!);

    // A blank password keeps the stored one; no user name drops it.
    expect((await post(EU, { ...validForm(), password: "", fromName: "Maple" })).status).toBe(200);
    expect((await settingsRow(EU))!).toMatchObject({ passwordEncrypted: row.passwordEncrypted, fromName: "Maple" });
    expect((await post(EU, { ...validForm(), username: "", password: "" })).status).toBe(200);
    expect((await settingsRow(EU))!).toMatchObject({ username: null, passwordEncrypted: null });
    // A user name needs a password.
    const noPassword = await post(EU, { ...validForm(), password: "" });
    expect(noPassword).toMatchObject({
      status: 400,
      body: { errors: { password: ["Enter the password for this user name."] } },
    });
  });

  it("refuses bad input with 4xx and messages, changing nothing", async () => {
    expect((await post(EU, { ...validForm(), username: "", password: "" })).status).toBe(200);
    const before = await settingsRow(EU);
    const cases: [Record<string, string>, string][] = [
      [{ port: "0" }, "port"],
      [{ port: "70000" }, "port"],
      [{ port: "twenty-five" }, "port"],
      [{ fromAddress: "support" }, "fromAddress"],
      [{ fromAddress: "a@b\u0000.example" }, "fromAddress"],
      [{ host: "smtp\u0000.example.com" }, "host"],
      [{ host: "http://smtp.example.com" }, "host"],
      [{ host: "h".repeat(10_000) }, "host"],
      [{ fromName: "x".repeat(10_000) }, "fromName"],
      [{ password: "p".repeat(10_000) }, "password"],
      [{ password: "pa\u0000ss" }, "password"],
      [{ security: "ssl" }, "security"],
    ];
    for (const [change, field] of cases) {
      const answer = await post(EU, { ...validForm(), ...change });
      expect(answer.status, JSON.stringify(change).slice(0, 80)).toBe(400);
      expect((answer.body.errors as Record<string, string[]>)[field]?.[0], field).toEqual(expect.any(String));
    }
    const huge = await post(EU, { ...validForm(), fromName: "x".repeat(400_000) });
    expect(huge.status).toBe(413);
    expect((await post(EU, { intent: "format-disk" })).status).toBe(400);
    expect(await settingsRow(EU)).toEqual(before);
  });

  it("refuses to store a password without SHOPDESK_SECRETS_KEY, saying what to set", async () => {
    const key = process.env.SHOPDESK_SECRETS_KEY;
    const before = await settingsRow(EU);
    process.env.SHOPDESK_SECRETS_KEY = "";
    try {
      expect((await load(EU)).passwordProblem).toMatch(/set SHOPDESK_SECRETS_KEY/);
      const refused = await post(EU, validForm());
      expect(refused.status).toBe(503);
      expect((refused.body.errors as { password: string[] }).password[0]).toMatch(
        /set SHOPDESK_SECRETS_KEY to 32 random bytes/,
      );
      expect(await settingsRow(EU)).toEqual(before);
      // Without a login, nothing needs the key.
      expect((await post(EU, { ...validForm(), username: "", password: "" })).status).toBe(200);
    } finally {
      process.env.SHOPDESK_SECRETS_KEY = key;
    }
  });

  it("sends a test email and shows the server's own words when it fails, recording the result", async () => {
    expect(await post(NORTH, { intent: "send-test", to: "me@example.com" })).toMatchObject({
      status: 409,
      body: { errors: { form: ["Save your email settings first, then send a test."] } },
    });
    expect((await post(EU, validForm())).status).toBe(200);
    const sent = await post(EU, { intent: "send-test", to: "owner@example.com" });
    expect(sent.body).toMatchObject({ ok: true, delivered: true, error: null, to: "owner@example.com" });
    const mail = await catcher.waitFor((caught) => caught.to === "owner@example.com");
    expect(mail).toMatchObject({
      subject: "Test email from Shopdesk",
      from: '"Maple Goods EU" <support@maple-goods-eu.example>',
    });
    expect(await settingsRow(EU)).toMatchObject({ lastTestedAt: expect.any(Date), lastTestError: null });

    catcher.requireLogin({ user: "maple", pass: "another password" });
    try {
      const refused = await post(EU, { intent: "send-test", to: "owner@example.com" });
      expect(refused.body).toMatchObject({ ok: true, delivered: false, error: "535 Authentication failed" });
      expect(await settingsRow(EU)).toMatchObject({ lastTestError: "535 Authentication failed" });
      expect((await load(EU)).settings).toMatchObject({ lastTestError: "535 Authentication failed" });
    } finally {
      catcher.requireLogin(null);
    }

    await post(EU, { ...validForm(), username: "", password: "", port: String(await closedPort()) });
    const down = await post(EU, { intent: "send-test", to: "owner@example.com" });
    expect(down.body).toMatchObject({ delivered: false, error: expect.stringMatching(/^Connection refused/) });
    expect((await post(EU, { intent: "send-test", to: "not an address" })).status).toBe(400);
  });
});

describe("the demo's outgoing email", () => {
  it("points every workspace at the catcher, from support@ its store's domain, again on each start", async () => {
    const { pointWorkspacesAt } = await import("../../dev/demo-mail.ts");
    const workspaces = await db.workspace.count({ where: { shops: { some: {} } } });
    expect(await pointWorkspacesAt(process.env.DATABASE_URL!, catcher)).toBe(workspaces);
    const eu = await settingsRow(EU);
    expect(eu).toMatchObject({
      host: "127.0.0.1",
      port: catcher.smtpPort,
      security: "none",
      username: null,
      passwordEncrypted: null,
      fromAddress: `support@${EU}`,
    });
    expect(await pointWorkspacesAt(process.env.DATABASE_URL!, catcher)).toBe(workspaces);

    // A demo reply then lands in the catcher.
    const shop = await shopRow(NORTH);
    const customer = await db.helpdeskCustomer.create({
      data: { workspaceId: shop.workspaceId, name: "Demo Shopper", emails: ["shopper@example.com"] },
    });
    const agent = await db.agent.findFirstOrThrow({ where: { workspaceId: shop.workspaceId } });
    const ticket = await emailTicket(shop.workspaceId, customer.id);
    const reply = await sendAgentReply(shop.workspaceId, ticket.id, agent.id, "From the demo");
    await eventually(async () => (await entry(reply.id)).deliveryStatus === "sent");
    const sent = await entry(reply.id);
    expect((await catcher.waitFor((mail) => mail.messageId === sent.messageId)).envelope.from).toBe(`support@${NORTH}`);
  });
});
