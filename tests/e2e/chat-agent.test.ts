import { deflateSync, crc32 } from "node:zlib";
import type { FrameLocator, Page } from "playwright-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireChromium, type ShopdeskBrowser } from "../../dev/browser/launch.ts";
import { screenshot, screenshotOnFailure, startE2eStack, type E2eStack } from "../support/e2e";

// What an agent sees of live chat in the embedded admin, in Chromium: a chat's ticket page with the
// shopper online and on which page, "Seen" under the reply they read, their image as a thumbnail
// that opens full size, "… is typing" arriving live and going away by itself, the agent's own
// "replying" while the reply box has a draft; "Last seen on chat" on the profile; and the "On the
// store now" page, empty then listing shoppers. The shopper's side is rows as the chat endpoints
// write them (ChatVisitor, ChatThread), inserted into the app's database.
requireChromium();
const EU = "maple-goods-eu.myshopify.com";

let browser: ShopdeskBrowser;
let e2e: E2eStack | undefined;

beforeAll(async () => {
  e2e = await startE2eStack({ seed: { ordersPerShop: 4, customersPerShop: 4 } });
  ({ browser } = e2e);
});

afterAll(() => e2e?.stop());

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: e2e!.stack.databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** A PNG of `width` × `height` in two colours (top half, bottom half), made here so the test needs no file. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const [r, g, b] = y < height / 2 ? [0, 128, 96] : [240, 200, 60];
    for (let x = 0; x < width; x++) rows.set([r, g, b], y * (width * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

interface LiveChat {
  ticketId: string;
  customerId: string;
  customerName: string;
  lastShopperSeq: string;
}

/** A chat as the chat endpoints leave it: a question with a photo, the agent's answer (read), a follow-up. */
async function insertLiveChat(): Promise<LiveChat> {
  const [shop] = await sql<{ id: string; workspaceId: string }>(
    `SELECT id, "workspaceId" FROM "Shop" WHERE domain = $1`,
    [EU],
  );
  // The store's customers arrive with the install's import: wait for a named one.
  let customer: { id: string; name: string } | undefined;
  await expect
    .poll(
      async () =>
        (customer = (
          await sql<{ id: string; name: string }>(
            `SELECT id, name FROM "HelpdeskCustomer" WHERE "workspaceId" = $1 AND name IS NOT NULL ORDER BY "createdAt" LIMIT 1`,
            [shop!.workspaceId],
          )
        )[0]),
      { timeout: 120_000, interval: 1000 },
    )
    .toBeTruthy();
  const [{ lastTicketNumber: number }] = (await sql<{ lastTicketNumber: number }>(
    `UPDATE "Workspace" SET "lastTicketNumber" = "lastTicketNumber" + 1 WHERE id = $1 RETURNING "lastTicketNumber"`,
    [shop!.workspaceId],
  )) as [{ lastTicketNumber: number }];
  const [ticket] = await sql<{ id: string }>(
    `INSERT INTO "Ticket" (id, "workspaceId", number, channel, subject, "customerId", "shopId", tags, "messageCount",
                           "createdAt", "updatedAt", "lastMessageAt", "lastCustomerMessageAt")
     VALUES (gen_random_uuid()::text, $1, $2, 'chat', 'Does the scarf come in green?', $3, $4, '{}', 3,
             now() - interval '10 minutes', now(), now() - interval '2 minutes', now() - interval '2 minutes')
     RETURNING id`,
    [shop!.workspaceId, number, customer!.id, shop!.id],
  );
  const entry = async (kind: string, body: string, minutesAgo: number) =>
    (
      await sql<{ id: string; seq: string }>(
        `INSERT INTO "TicketEntry" (id, "ticketId", "workspaceId", kind, channel, "authorCustomerId", body,
                                    "deliveryStatus", "createdAt")
         VALUES (gen_random_uuid()::text, $1, $2, $3::"TicketEntryKind", 'chat', $4, $5, $6::"TicketDeliveryStatus",
                 now() - make_interval(mins => $7))
         RETURNING id, seq::text`,
        [
          ticket!.id,
          shop!.workspaceId,
          kind,
          kind === "customer_message" ? customer!.id : null,
          body,
          kind === "agent_reply" ? "sent" : null,
          minutesAgo,
        ],
      )
    )[0]!;
  const question = await entry("customer_message", "Does the scarf come in green? Here is the one I mean.", 8);
  const photo = png(640, 360);
  await sql(
    `INSERT INTO "TicketAttachment" (id, "entryId", "workspaceId", filename, "contentType", size, sha256, content)
     VALUES (gen_random_uuid()::text, $1, $2, 'scarf.png', 'image/png', $3, $4, $5)`,
    [question.id, shop!.workspaceId, photo.length, "0".repeat(64), photo],
  );
  const reply = await entry("agent_reply", "It does: forest green, in stock in both sizes.", 5);
  const followUp = await entry("customer_message", "Lovely, and can you gift wrap it?", 2);
  const [visitor] = await sql<{ id: string }>(
    `INSERT INTO "ChatVisitor" (id, "shopId", "workspaceId", "customerId", "ticketId", "lastSeenAt", "lastPageUrl", "lastPageTitle")
     VALUES (gen_random_uuid()::text, $1, $2, $3, $4, now() - interval '20 seconds',
             'https://maple-goods-eu.myshopify.com/products/merino-scarf', 'Merino Wool Scarf')
     RETURNING id`,
    [shop!.id, shop!.workspaceId, customer!.id, ticket!.id],
  );
  await sql(
    `INSERT INTO "ChatThread" ("ticketId", "workspaceId", "visitorId", "shopperReadSeq", "updatedAt")
     VALUES ($1, $2, $3, $4, now())`,
    [ticket!.id, shop!.workspaceId, visitor!.id, reply.seq],
  );
  // Someone browsing without a chat, anonymous.
  await sql(
    `INSERT INTO "ChatVisitor" (id, "shopId", "workspaceId", "lastSeenAt", "lastPageUrl", "lastPageTitle")
     VALUES (gen_random_uuid()::text, $1, $2, now() - interval '70 seconds',
             'https://maple-goods-eu.myshopify.com/collections/winter', 'Winter collection')`,
    [shop!.id, shop!.workspaceId],
  );
  return { ticketId: ticket!.id, customerId: customer!.id, customerName: customer!.name, lastShopperSeq: followUp.seq };
}

async function openApp(path: string, name: string): Promise<{ page: Page; app: FrameLocator }> {
  const page = await browser.openAdmin(EU, path);
  await page.setViewportSize({ width: 1400, height: 1000 });
  screenshotOnFailure(page, name);
  await page
    .frame({ name: "app-iframe" })!
    .waitForFunction(
      () =>
        (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized,
      undefined,
      { timeout: 60_000 },
    );
  return { page, app: page.frameLocator("iframe[name=app-iframe]") };
}

describe("live chat for agents", () => {
  it("shows who is on the store, a chat's presence, typing, read marks and photos, and the agent's replying", async () => {
    // Before any shopper used the chat: the page explains what it lists and how shoppers appear.
    const empty = await openApp("/app/visitors", "chat-agent-visitors-empty");
    await expect
      .poll(() => empty.app.getByText("No shoppers on the store right now").isVisible(), { timeout: 30_000 })
      .toBe(true);
    expect(await empty.app.getByText("once they have opened the Shopdesk chat", { exact: false }).isVisible()).toBe(
      true,
    );
    expect(await empty.page.getByRole("link", { name: "On the store now" }).count()).toBeGreaterThan(0);
    await screenshot(empty.page, "chat-agent-visitors-empty-state");

    const chat = await insertLiveChat();

    // The ticket page: online on the scarf's page, "Seen" under the read reply, the photo inline.
    const { page, app } = await openApp(`/app/tickets/${chat.ticketId}`, "chat-agent-ticket");
    await expect
      .poll(() => app.getByTestId("chat-online").textContent(), { timeout: 30_000 })
      // (The badge's tone is also read out to screen readers, as "Success".)
      .toMatch(/Online now\s*on Merino Wool Scarf$/);
    const entries = app.locator("ol[aria-label=Conversation] > li");
    const replyItem = entries.filter({ hasText: "forest green" });
    expect(await replyItem.getByTestId("chat-seen").textContent()).toBe("Seen");
    expect(await app.getByTestId("chat-seen").count()).toBe(1);
    const thumbnail = app.getByTestId("attachment-thumbnail");
    await expect
      .poll(() => thumbnail.locator("img").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), {
        timeout: 30_000,
      })
      .toBe(640);
    // Opening the page read the shopper's messages: the widget can now say "Seen".
    await expect
      .poll(
        async () =>
          (
            await sql<{ seq: string }>(`SELECT "agentReadSeq"::text AS seq FROM "ChatThread" WHERE "ticketId" = $1`, [
              chat.ticketId,
            ])
          )[0]!.seq,
        { timeout: 30_000 },
      )
      .toBe(chat.lastShopperSeq);
    expect(await app.getByTestId("shopper-typing").textContent()).toBe("");
    await screenshot(page, "chat-agent-ticket");

    await thumbnail.click();
    const dialog = app.getByRole("dialog", { name: "scarf.png" });
    await expect.poll(() => dialog.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await dialog.locator("img").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(640);
    expect(await dialog.getByRole("link", { name: /^Download scarf\.png/ }).isVisible()).toBe(true);
    await screenshot(page, "chat-agent-photo-full-size");
    await dialog.getByRole("button", { name: "Close" }).first().click();
    await expect.poll(() => dialog.isVisible(), { timeout: 10_000 }).toBe(false);

    // The shopper starts typing in the widget: it shows up live, and goes when their mark runs out.
    await sql(
      `UPDATE "ChatThread" SET "shopperTypingUntil" = now() + interval '6 seconds', "updatedAt" = now() WHERE "ticketId" = $1`,
      [chat.ticketId],
    );
    await expect
      .poll(() => app.getByTestId("shopper-typing").textContent(), { timeout: 5_000, interval: 200 })
      .toBe(`${chat.customerName} is typing…`);
    await screenshot(page, "chat-agent-shopper-typing");
    await expect.poll(() => app.getByTestId("shopper-typing").textContent(), { timeout: 15_000 }).toBe("");

    // The agent's draft is "replying" (what the widget shows as the agent typing), until it is sent.
    const replying = async () =>
      (
        await sql<{ replying: boolean }>(
          `SELECT bool_or(replying) AS replying FROM "TicketViewer" WHERE "ticketId" = $1`,
          [chat.ticketId],
        )
      )[0]!.replying;
    const box = app.getByPlaceholder(/^Write to /);
    await box.pressSequentially("Yes, gift wrap is free", { delay: 20 });
    await expect.poll(replying, { timeout: 10_000 }).toBe(true);
    // A draft left alone stops showing as typing (after 15 s), and the next keystroke shows it again.
    await expect.poll(replying, { timeout: 30_000, interval: 1000 }).toBe(false);
    await box.pressSequentially(".", { delay: 20 });
    await expect.poll(replying, { timeout: 10_000 }).toBe(true);
    await app.getByRole("button", { name: "Send reply" }).click();
    await expect.poll(() => box.inputValue(), { timeout: 30_000 }).toBe("");
    await expect.poll(replying, { timeout: 10_000 }).toBe(false);

    // The sidebar's customer links to the profile, which says when they were last on the chat.
    const profile = await openApp(`/app/customers/${chat.customerId}`, "chat-agent-profile");
    await expect
      .poll(() => profile.app.getByTestId("last-seen-on-chat").textContent(), { timeout: 30_000 })
      .toMatch(/^(just now|1 minute ago)$/);
    await screenshot(profile.page, "chat-agent-profile");

    // On the store now: both shoppers, newest first, with their page and the chat. Their last
    // activity is stamped again first (as their widgets' heartbeats would), so "how long ago" does
    // not depend on how long the steps above took on a busy machine.
    await sql(
      `UPDATE "ChatVisitor" SET "lastSeenAt" = now() - CASE WHEN "ticketId" IS NULL THEN interval '70 seconds' ELSE interval '20 seconds' END
       WHERE "shopId" = (SELECT id FROM "Shop" WHERE domain = $1)`,
      [EU],
    );
    const visitors = await openApp("/app/visitors", "chat-agent-visitors");
    const rows = visitors.app.locator("tbody tr");
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
    const first = (await rows.nth(0).innerText()).replace(/\s+/g, " ");
    const second = (await rows.nth(1).innerText()).replace(/\s+/g, " ");
    expect(first).toContain(chat.customerName);
    expect(first).toContain("Merino Wool Scarf");
    expect(first).toContain("just now");
    expect(first).toMatch(/Chat #\d+ (Attention )?Open/);
    expect(second).toContain("Anonymous visitor");
    expect(second).toContain("Winter collection");
    expect(second).toContain("1 minute ago");
    expect(second).toContain("No chat");
    expect(await rows.nth(0).getByRole("link", { name: "Merino Wool Scarf" }).getAttribute("href")).toBe(
      "https://maple-goods-eu.myshopify.com/products/merino-scarf",
    );
    await screenshot(visitors.page, "chat-agent-visitors-list");
    await rows
      .nth(0)
      .getByRole("link", { name: /^Chat #/ })
      .click();
    await expect.poll(() => visitors.app.getByTestId("chat-online").isVisible(), { timeout: 30_000 }).toBe(true);
  });
});
