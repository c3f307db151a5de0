import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signAppProxyUrl } from "../../dev/store-emulator/signing.ts";
import { startIntegrationStack, TEST_APP, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill } from "../support/sync.ts";

// The chat under customers/data_request and customers/redact: the shopper's chat visitors are
// reported and erased, and their chat images leave the attachment store with their tickets.
const SHOP = "maple-goods-eu.myshopify.com";
const OTHER_SHOP = "north-trail.myshopify.com";

let stack: IntegrationStack;
let attachmentsDir: string;
const { db } = await import("~/db.server");
const { openPortalSession } = await import("~/services/portal/portal-auth.server");
const { collectCustomerData, eraseCustomerData } = await import("~/services/privacy/personal-data.server");
let shopId: string;

beforeAll(async () => {
  attachmentsDir = await mkdtemp(path.join(tmpdir(), "shopdesk-chat-privacy-"));
  process.env.ATTACHMENTS_DIR = attachmentsDir;
  stack = await startIntegrationStack();
  for (const shop of [SHOP, OTHER_SHOP]) expect((await stack.install(shop)).status).toBe(200);
  shopId = (await waitForBackfill(SHOP)).shop.id;
  await waitForBackfill(OTHER_SHOP);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await rm(attachmentsDir, { recursive: true, force: true });
});

async function chatToken(body: Record<string, unknown>, shop = SHOP) {
  const url = signAppProxyUrl(new URL("/proxy/portal/chat-token", stack.app.url), {
    apiSecret: TEST_APP.apiSecret,
    shop,
    pathPrefix: "/apps/shopdesk",
  });
  const response = await fetch(url, { method: "POST", body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { chatToken: string }).chatToken;
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("pixels")]);

const storedFiles = async () =>
  (await readdir(attachmentsDir, { recursive: true })).filter((name) => /[0-9a-f-]{36}$/.test(name));

describe("chat and the shopper's privacy requests", () => {
  it("reports the shopper's chat visitors, then erases them and their chat images", async () => {
    const customer = stack.emulator
      .shop(SHOP)
      .customers()
      .find((candidate) => candidate.email)!;
    const email = customer.email!.toLowerCase();
    const { token: portalToken } = await openPortalSession(shopId, {
      method: "store_login",
      email,
      shopifyCustomerId: `gid://shopify/Customer/${customer.id}`,
    });
    const token = await chatToken({ token: portalToken });
    await fetch(new URL("/chat/presence", stack.app.url), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ page: "https://maple-goods-eu.myshopify.com/products/merino-scarf" }),
    });
    const form = new FormData();
    form.set("file", new Blob([PNG], { type: "image/png" }), "parcel.png");
    form.set("clientId", "privacy-image");
    form.set("body", "My parcel arrived broken");
    const sent = await fetch(new URL("/chat/attachments", stack.app.url), {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(sent.status).toBe(201);
    // Another shopper's chat, which stays.
    const otherToken = await chatToken({});
    const otherForm = new FormData();
    otherForm.set("file", new Blob([PNG], { type: "image/png" }), "other.png");
    otherForm.set("clientId", "other-image");
    otherForm.set("email", "someone.else@example.com");
    expect(
      (
        await fetch(new URL("/chat/attachments", stack.app.url), {
          method: "POST",
          headers: { authorization: `Bearer ${otherToken}` },
          body: otherForm,
        })
      ).status,
    ).toBe(201);
    expect(await storedFiles()).toHaveLength(2);

    const request = { shopDomain: SHOP, customer: { id: String(customer.id), email }, orderIds: [] };
    const report = await collectCustomerData(request);
    expect(report.chatVisitors).toEqual([
      expect.objectContaining({ email, lastPageUrl: "https://maple-goods-eu.myshopify.com/products/merino-scarf" }),
    ]);
    expect(JSON.stringify(report.tickets)).toContain("My parcel arrived broken");

    const erased = await eraseCustomerData(request);
    expect(erased.chatVisitors).toBe(1);
    expect(await db.chatVisitor.count({ where: { shopId, email } })).toBe(0);
    expect(await db.chatVisitor.count({ where: { shopId, email: "someone.else@example.com" } })).toBe(1);
    expect(await storedFiles()).toHaveLength(1);
    const remaining = await db.ticketAttachment.findMany({ where: { storageKey: { not: null } } });
    expect(remaining.map((row) => row.filename)).toEqual(["other.png"]);
    // The erased visitor's token names no one any more.
    const state = await fetch(new URL("/chat/state", stack.app.url), { headers: { authorization: `Bearer ${token}` } });
    expect(state.status).toBe(401);
  });

  it("shop/redact of a workspace's last shop removes its chat images from the attachment store", async () => {
    const { eraseShop } = await import("~/services/privacy/personal-data.server");
    const token = await chatToken({}, OTHER_SHOP);
    const form = new FormData();
    form.set("file", new Blob([PNG], { type: "image/png" }), "tent.png");
    form.set("clientId", "shop-redact-image");
    form.set("email", "camper@example.com");
    const sent = await fetch(new URL("/chat/attachments", stack.app.url), {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(sent.status).toBe(201);
    const filesBefore = await storedFiles();
    const key = (
      await db.ticketAttachment.findFirstOrThrow({ where: { filename: "tent.png" }, select: { storageKey: true } })
    ).storageKey!;
    expect(filesBefore.some((file) => file.endsWith(key))).toBe(true);
    await db.shop.update({ where: { domain: OTHER_SHOP }, data: { uninstalledAt: new Date() } });
    expect(await eraseShop(OTHER_SHOP)).toBe("erased");
    const filesAfter = await storedFiles();
    expect(filesAfter.some((file) => file.endsWith(key))).toBe(false);
    expect(filesAfter).toHaveLength(filesBefore.length - 1);
  });
});
