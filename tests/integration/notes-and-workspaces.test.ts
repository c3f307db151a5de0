import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill, waitForWebhooksHandled } from "../support/sync.ts";

const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 10, customersPerShop: 12, sharedCustomers: 5 } });
  for (const shop of [EU, US]) expect((await stack.install(shop)).status).toBe(200);
  await Promise.all([waitForBackfill(EU), waitForBackfill(US)]);
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");
const { saveCustomerNote } = await import("~/services/customer-notes.server");
const { createWorkspaceLinkCode, joinWorkspace } = await import("~/services/workspace-link.server");

/** A customer of `shop` only (not shared with the other Maple shop), with its helpdesk person. */
async function soloCustomer(shop: string, index: number) {
  const other = new Set(
    stack.emulator
      .shop(shop === EU ? US : EU)
      .customers()
      .map((customer) => customer.email),
  );
  const customer = stack.emulator
    .shop(shop)
    .customers()
    .filter((candidate) => !other.has(candidate.email))[index]!;
  const stored = await db.shopifyCustomer.findFirstOrThrow({
    where: { shopifyId: `gid://shopify/Customer/${customer.id}` },
    include: { helpdeskCustomer: true, shop: true },
  });
  return { customer, person: stored.helpdeskCustomer!, workspaceId: stored.shop.workspaceId };
}

async function settle() {
  await stack.emulator.waitForDeliveries();
  await waitForWebhooksHandled();
}

const noteUpdates = () =>
  stack.emulator.requests.filter((request) => request.operationName === "ShopdeskCustomerUpdateNote").length;

describe("customer notes, both ways", () => {
  it("brings a note edited in Shopify into the helpdesk", async () => {
    const { customer, person } = await soloCustomer(EU, 0);
    stack.emulator.setCustomerNote(EU, customer.id, "Ships to her office on weekdays");
    await settle();
    const after = await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: person.id } });
    expect(after.note).toBe("Ships to her office on weekdays");
    expect(after.noteVersion).toBeGreaterThan(person.noteVersion);
  });

  it("writes an agent's note to Shopify, and the echo of that write changes nothing", async () => {
    const { customer, person, workspaceId } = await soloCustomer(EU, 1);
    const writesBefore = noteUpdates();
    const result = await saveCustomerNote(workspaceId, person.id, {
      note: "Called about a late parcel",
      baseVersion: person.noteVersion,
    });
    expect(result).toMatchObject({ status: "saved", synced: "shopify", note: "Called about a late parcel" });
    expect(stack.emulator.shop(EU).customer(customer.id)!.note).toBe("Called about a late parcel");

    await settle(); // the customers/update webhook our own write caused
    const after = await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: person.id } });
    expect(after.note).toBe("Called about a late parcel");
    expect(after.noteVersion).toBe(result.status === "saved" ? result.version : -1);
    expect(noteUpdates() - writesBefore).toBe(1);
  });

  it("surfaces a Shopify edit the agent has not seen, and writes nothing until the agent chooses", async () => {
    const { customer, person, workspaceId } = await soloCustomer(EU, 2);
    const loaded = await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: person.id } });
    stack.emulator.holdWebhooks(); // the webhook has not reached us yet
    stack.emulator.setCustomerNote(EU, customer.id, "Edited in Shopify by the owner");

    const first = await saveCustomerNote(workspaceId, person.id, {
      note: "Agent's version",
      baseVersion: loaded.noteVersion,
    });
    expect(first).toEqual({
      status: "conflict",
      source: "shopify",
      theirs: "Edited in Shopify by the owner",
      mine: "Agent's version",
      version: loaded.noteVersion,
    });
    expect(stack.emulator.shop(EU).customer(customer.id)!.note).toBe("Edited in Shopify by the owner");

    const kept = await saveCustomerNote(workspaceId, person.id, {
      note: "Agent's version",
      baseVersion: loaded.noteVersion,
      resolution: "keep-mine",
    });
    expect(kept).toMatchObject({ status: "saved", synced: "shopify" });
    expect(stack.emulator.shop(EU).customer(customer.id)!.note).toBe("Agent's version");

    stack.emulator.releaseWebhooks();
    await settle();
    expect((await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: person.id } })).note).toBe("Agent's version");
  });

  it("surfaces a Shopify edit that arrived while the agent was typing, and can take it", async () => {
    const { customer, person, workspaceId } = await soloCustomer(EU, 3);
    const loaded = await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: person.id } });
    stack.emulator.setCustomerNote(EU, customer.id, "From Shopify while typing");
    await settle();

    const result = await saveCustomerNote(workspaceId, person.id, {
      note: "Typed by the agent",
      baseVersion: loaded.noteVersion,
    });
    expect(result).toMatchObject({
      status: "conflict",
      source: "shopify",
      theirs: "From Shopify while typing",
      mine: "Typed by the agent",
    });
    const taken = await saveCustomerNote(workspaceId, person.id, {
      note: "Typed by the agent",
      baseVersion: loaded.noteVersion,
      resolution: "take-theirs",
    });
    expect(taken).toMatchObject({ status: "saved", note: "From Shopify while typing" });
    expect(stack.emulator.shop(EU).customer(customer.id)!.note).toBe("From Shopify while typing");
  });

  it("keeps notes in Shopdesk only when the shop turned note sync off", async () => {
    const { customer, person, workspaceId } = await soloCustomer(US, 0);
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: US } });
    const { setNotesSync } = await import("~/models/shop.server");
    await setNotesSync(shop.id, false);
    const before = stack.emulator.shop(US).customer(customer.id)!.note;
    const result = await saveCustomerNote(workspaceId, person.id, {
      note: "Internal only",
      baseVersion: person.noteVersion,
    });
    expect(result).toMatchObject({
      status: "saved",
      synced: "local-only",
      reason: expect.stringMatching(/turned off/),
    });
    expect(stack.emulator.shop(US).customer(customer.id)!.note).toBe(before);
    stack.emulator.setCustomerNote(US, customer.id, "Shopify side");
    await settle();
    expect((await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: person.id } })).note).toBe("Internal only");
    await setNotesSync(shop.id, true);
  });
});

describe("linking a second shop to a workspace", () => {
  it("refuses a code that does not exist", async () => {
    const us = await db.shop.findUniqueOrThrow({ where: { domain: US } });
    expect(await joinWorkspace(us, "ABCD-EFGH")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not valid/),
    });
  });

  it("merges the two shops' customers by email and keeps a shared person's notes", async () => {
    const [eu, us] = await Promise.all([
      db.shop.findUniqueOrThrow({ where: { domain: EU } }),
      db.shop.findUniqueOrThrow({ where: { domain: US } }),
    ]);
    const euEmails = new Set(
      stack.emulator
        .shop(EU)
        .customers()
        .map((customer) => customer.email),
    );
    const shared = stack.emulator
      .shop(US)
      .customers()
      .filter((customer) => euEmails.has(customer.email));
    expect(shared.length).toBeGreaterThan(0);

    const { code } = await createWorkspaceLinkCode(eu);
    const result = await joinWorkspace(us, code.toLowerCase());
    expect(result).toEqual({ ok: true, workspaceName: "Maple Goods EU", mergedCustomers: shared.length });

    const distinctEmails = new Set([
      ...euEmails,
      ...stack.emulator
        .shop(US)
        .customers()
        .map((customer) => customer.email),
    ]);
    expect(await db.helpdeskCustomer.count({ where: { workspaceId: eu.workspaceId } })).toBe(distinctEmails.size);
    expect(await db.workspace.count({ where: { id: us.workspaceId } })).toBe(0);
    expect((await db.shop.findUniqueOrThrow({ where: { id: us.id } })).workspaceId).toBe(eu.workspaceId);

    const person = await db.helpdeskCustomer.findFirstOrThrow({
      where: { workspaceId: eu.workspaceId, emails: { has: shared[0]!.email!.toLowerCase() } },
      include: { shopifyCustomers: { include: { shop: true } } },
    });
    expect(person.shopifyCustomers.map((link) => link.shop.domain).sort()).toEqual([EU, US]);
  });

  it("stops syncing the note of a person linked in both shops, and says why", async () => {
    const eu = await db.shop.findUniqueOrThrow({ where: { domain: EU } });
    const person = await db.helpdeskCustomer.findFirstOrThrow({
      where: {
        workspaceId: eu.workspaceId,
        AND: [
          { shopifyCustomers: { some: { shopId: eu.id } } },
          { shopifyCustomers: { some: { shopId: { not: eu.id } } } },
        ],
      },
    });
    const writesBefore = noteUpdates();
    const result = await saveCustomerNote(eu.workspaceId, person.id, {
      note: "Two-store customer",
      baseVersion: person.noteVersion,
    });
    expect(result).toMatchObject({
      status: "saved",
      synced: "local-only",
      reason: expect.stringMatching(/linked to 2 Shopify customers/),
    });
    expect(noteUpdates()).toBe(writesBefore);
  });
});
