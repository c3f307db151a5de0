// Linking shops into one workspace decides whose customers and notes a store's agents see: the
// code must open exactly one workspace, once, in time, and the merge must keep everyone's data and
// leave other workspaces alone. Found unguarded by mutation testing (docs/mutation-testing.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill } from "../support/sync.ts";

const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";
const NORTH = "north-trail.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 2, customersPerShop: 6, sharedCustomers: 2 } });
  for (const shop of [EU, US, NORTH]) expect((await stack.install(shop)).status).toBe(200);
  await Promise.all([waitForBackfill(EU), waitForBackfill(US), waitForBackfill(NORTH)]);
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");
const { createWorkspaceLinkCode, joinWorkspace } = await import("~/services/workspace-link.server");

const shop = (domain: string) => db.shop.findUniqueOrThrow({ where: { domain } });
const people = (workspaceId: string) =>
  db.helpdeskCustomer.findMany({ where: { workspaceId }, orderBy: { id: "asc" } });
/** The helpdesk person behind a shop's customer with this email. */
async function personByEmail(domain: string, email: string) {
  const link = await db.shopifyCustomer.findFirstOrThrow({
    where: { shop: { domain }, email: email.toLowerCase() },
    include: { helpdeskCustomer: true },
  });
  return link.helpdeskCustomer!;
}

describe("workspace link codes", () => {
  const codes = { first: "", second: "", north: "" };

  it("gives out a fresh code of eight characters nobody misreads", async () => {
    const eu = await shop(EU);
    codes.first = (await createWorkspaceLinkCode(eu)).code;
    codes.second = (await createWorkspaceLinkCode(eu)).code;
    for (const code of [codes.first, codes.second]) expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    expect(codes.first).not.toBe(codes.second);
  });

  it("refuses a well-formed code that was never given out, while others are outstanding", async () => {
    const north = await shop(NORTH);
    const wrong = codes.first === "ABCD-EFGH" ? "ABCD-EFGJ" : "ABCD-EFGH";
    expect(await joinWorkspace(north, wrong)).toMatchObject({ ok: false, error: expect.stringMatching(/not valid/) });
    expect((await shop(NORTH)).workspaceId).toBe(north.workspaceId);
  });

  it("refuses a store's own workspace code and changes nothing", async () => {
    const eu = await shop(EU);
    const before = await people(eu.workspaceId);
    expect(await joinWorkspace(eu, codes.first)).toEqual({
      ok: false,
      error: "This store is already in that workspace.",
    });
    expect(await people(eu.workspaceId)).toEqual(before);
    const unused = await db.workspaceLinkCode.count({ where: { workspaceId: eu.workspaceId, usedAt: null } });
    expect(unused).toBe(2);
  });

  it("refuses an expired code", async () => {
    const [north, us] = [await shop(NORTH), await shop(US)];
    const { code } = await createWorkspaceLinkCode(north);
    await db.workspaceLinkCode.updateMany({
      where: { workspaceId: north.workspaceId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await joinWorkspace(us, code)).toMatchObject({ ok: false, error: expect.stringMatching(/expired/) });
    expect((await shop(US)).workspaceId).toBe(us.workspaceId);
  });

  it("merges people by email, then by phone, keeping every identity, note and the first name", async () => {
    const [eu, us, north] = [await shop(EU), await shop(US), await shop(NORTH)];
    const northCode = (await createWorkspaceLinkCode(north)).code;
    const euEmails = new Set(
      stack.emulator
        .shop(EU)
        .customers()
        .map((customer) => customer.email),
    );
    const usCustomers = stack.emulator.shop(US).customers();
    const sharedEmail = usCustomers.find((customer) => euEmails.has(customer.email))!.email!;
    const soloEmail = usCustomers.find((customer) => !euEmails.has(customer.email))!.email!;
    const [kept, twin, byPhone] = [
      await personByEmail(EU, sharedEmail),
      await personByEmail(US, sharedEmail),
      await personByEmail(US, soloEmail),
    ];
    const phone = "+15550009876";
    await db.helpdeskCustomer.update({ where: { id: kept.id }, data: { note: "Allergic to wool", phones: [phone] } });
    await db.helpdeskCustomer.update({ where: { id: twin.id }, data: { note: "Prefers DHL", name: "Someone Else" } });
    await db.helpdeskCustomer.update({ where: { id: byPhone.id }, data: { phones: ["555 000 9876"] } });

    // Typed as people retype a code read aloud: lower case, no dash.
    const result = await joinWorkspace(us, codes.first.replace("-", "").toLowerCase());
    expect(result).toMatchObject({ ok: true, workspaceName: "Maple Goods EU" });

    const merged = await db.helpdeskCustomer.findUniqueOrThrow({
      where: { id: kept.id },
      include: { shopifyCustomers: { include: { shop: true } } },
    });
    expect(merged.emails).toEqual(expect.arrayContaining([sharedEmail.toLowerCase(), soloEmail.toLowerCase()]));
    expect(merged.phones).toContain(phone);
    expect(merged.note).toBe("Allergic to wool\n\n— Maple Goods US: Prefers DHL");
    expect(merged.name).toBe(kept.name);
    expect(merged.noteVersion).toBeGreaterThan(kept.noteVersion);
    expect(merged.shopifyCustomers.map((link) => link.shop.domain).sort()).toEqual([EU, US, US]);
    expect(await db.helpdeskCustomer.count({ where: { id: { in: [twin.id, byPhone.id] } } })).toBe(0);

    // Only the code that was used is spent: the other workspace's (and its expired one) stay unused.
    expect(await db.workspaceLinkCode.count({ where: { workspaceId: north.workspaceId, usedAt: null } })).toBe(2);
    expect(await db.workspaceLinkCode.count({ where: { workspaceId: eu.workspaceId, usedAt: null } })).toBe(1);
    codes.north = northCode;
  });

  it("keeps the workspace a store leaves when another store is still in it", async () => {
    const [eu, us] = [await shop(EU), await shop(US)];
    expect(us.workspaceId).toBe(eu.workspaceId);
    expect(await joinWorkspace(us, codes.north)).toMatchObject({ ok: true, workspaceName: "North Trail Outfitters" });
    expect(await db.workspace.count({ where: { id: eu.workspaceId } })).toBe(1);
    expect((await shop(EU)).workspaceId).toBe(eu.workspaceId);
  });
});
