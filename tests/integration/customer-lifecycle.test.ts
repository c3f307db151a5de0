import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DeliveryLogEntry } from "../../dev/store-emulator/index.ts";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill, waitForWebhooksHandled } from "../support/sync.ts";
import { eventually } from "../support/wait.ts";

// A Shopify customer's life as Shopdesk sees it: created, edited (notes both ways), deleted or
// erased — with Shopify's deliveries late, reordered and repeated, and reads that raced a change.
const SHOP = "north-trail.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 8, customersPerShop: 6 } });
  expect((await stack.install(SHOP)).status).toBe(200);
  await waitForBackfill(SHOP);
});
afterAll(() => stack.stop());
afterEach(async () => {
  stack.emulator.releaseWebhooks();
  await settle();
});

const { db } = await import("~/db.server");
const { logger } = await import("~/lib/logger.server");
const { getCustomerProfile } = await import("~/models/helpdesk-customer.server");
const { saveCustomerNote } = await import("~/services/customer-notes.server");
const { reconcileShop } = await import("~/services/sync/reconcile.server");

async function settle() {
  await stack.emulator.waitForDeliveries();
  await waitForWebhooksHandled();
}

/** Sends held deliveries one at a time, each handled before the next: a chosen processing order. */
async function deliverInOrder(entries: readonly DeliveryLogEntry[]) {
  for (const entry of entries) {
    expect(stack.emulator.releaseWebhooks({ ids: [entry.id] })).toBe(1);
    await eventually(() => entry.state !== "pending");
    await waitForWebhooksHandled();
  }
}

const lastDelivery = (topic: string) => stack.emulator.deliveries.findLast((entry) => entry.topic === topic)!;
const customerGid = (id: number) => `gid://shopify/Customer/${id}`;
const storedCustomer = (id: number) => db.shopifyCustomer.findFirst({ where: { shopifyId: customerGid(id) } });
const shop = () => db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
const noteUpdates = () =>
  stack.emulator.requests.filter((request) => request.operationName === "ShopdeskCustomerUpdateNote").length;

let serial = 0;
function newCustomer(note?: string) {
  serial++;
  return stack.emulator.createCustomer(SHOP, {
    firstName: "Ines",
    lastName: `Lifecycle${serial}`,
    email: `ines.lifecycle${serial}@example.com`,
    phone: `+1415555${String(1000 + serial)}`,
    ...(note ? { note } : {}),
  });
}

/** Nothing left that identifies the person on the Shopify customer row (or no row at all). */
function expectNoPersonalData(row: Awaited<ReturnType<typeof storedCustomer>>) {
  if (!row) return;
  expect(row).toMatchObject({
    deletedAt: expect.any(Date),
    email: null,
    phone: null,
    firstName: null,
    lastName: null,
    note: null,
    addresses: [],
    tags: [],
  });
}

async function peopleWithEmail(email: string) {
  return db.helpdeskCustomer.findMany({ where: { emails: { has: email } } });
}

describe("a deleted Shopify customer stays deleted", () => {
  it("an older customers/update handled after customers/delete does not bring the customer back", async () => {
    const customer = newCustomer("Met at the trail fair");
    await settle();
    const person = (await storedCustomer(customer.id))!.helpdeskCustomerId!;

    stack.emulator.holdWebhooks();
    stack.emulator.updateCustomer(SHOP, customer.id, { note: "Prefers SMS", firstName: "Inès" });
    const update = lastDelivery("customers/update");
    stack.emulator.deleteCustomer(SHOP, customer.id);
    const deletion = lastDelivery("customers/delete");
    await deliverInOrder([deletion, update]);

    expect(stack.emulator.shop(SHOP).customer(customer.id)).toBeUndefined();
    expectNoPersonalData(await storedCustomer(customer.id));
    // The helpdesk person stays (decision 008) but shows no Shopify customer, and its note no
    // longer syncs anywhere.
    const profile = (await getCustomerProfile((await shop()).workspaceId, person))!;
    expect(profile.shopifyCustomers).toEqual([]);
    expect(profile.noteSync.syncing).toBe(false);
  });

  it("a customers/delete that overtakes the customer's creation still wins", async () => {
    stack.emulator.holdWebhooks();
    const customer = newCustomer("Short-lived");
    const creation = lastDelivery("customers/create");
    stack.emulator.deleteCustomer(SHOP, customer.id);
    await deliverInOrder([lastDelivery("customers/delete"), creation]);

    expectNoPersonalData(await storedCustomer(customer.id));
    expect(await peopleWithEmail(customer.email!)).toEqual([]);
  });

  it("reconcile and the import never store a version read before the deletion", async () => {
    const customer = newCustomer();
    await settle();
    // What a reconcile page or a bulk export read just before the deletion reached us.
    const { adminForBackgroundWork } = await import("~/services/shopify/shop-admin.server");
    const { runAdminQuery } = await import("~/services/shopify/admin-graphql.server");
    const { CUSTOMERS_UPDATED_SINCE_QUERY } = await import("~/services/shopify/order-documents");
    const { customerFromGraphql } = await import("~/domain/shopify/customer-mapping");
    const { z } = await import("zod");
    const page = await runAdminQuery(
      await adminForBackgroundWork(SHOP),
      CUSTOMERS_UPDATED_SINCE_QUERY,
      z.object({ customers: z.object({ nodes: z.array(z.unknown()) }) }),
      { after: null, query: `email:${customer.email}` },
    );
    expect(page.customers.nodes).toHaveLength(1);
    stack.emulator.deleteCustomer(SHOP, customer.id);
    await settle();

    const { saveCustomerVersion } = await import("~/models/shopify-customer.server");
    const outcome = await saveCustomerVersion(await shop(), customerFromGraphql(page.customers.nodes[0]));
    expect(outcome).toBe("deleted");
    expectNoPersonalData(await storedCustomer(customer.id));
    expect(await reconcileShop(SHOP, logger)).not.toBeNull();
    expectNoPersonalData(await storedCustomer(customer.id));
  });
});

describe("an erased (customers/redact) Shopify customer stays erased", () => {
  it("deliveries that were in flight during the erasure do not bring their data back", async () => {
    const customer = newCustomer("Allergic to latex gloves");
    await settle();
    const person = (await storedCustomer(customer.id))!.helpdeskCustomerId!;

    stack.emulator.holdWebhooks();
    stack.emulator.setCustomerNote(SHOP, customer.id, "Wants a callback");
    const update = lastDelivery("customers/update");
    const [redact] = stack.emulator.sendCompliance(SHOP, "customers/redact", { customer: customer.id });
    stack.emulator.deleteCustomer(SHOP, customer.id);
    await deliverInOrder([redact!, lastDelivery("customers/delete"), update]);

    expectNoPersonalData(await storedCustomer(customer.id));
    expect(await db.helpdeskCustomer.count({ where: { id: person } })).toBe(0);
    expect(await peopleWithEmail(customer.email!)).toEqual([]);
  });

  it("an erasure that overtakes the customer's creation still wins", async () => {
    stack.emulator.holdWebhooks();
    const customer = newCustomer();
    const creation = lastDelivery("customers/create");
    const [redact] = stack.emulator.sendCompliance(SHOP, "customers/redact", { customer: customer.id });
    await deliverInOrder([redact!, creation]);

    expectNoPersonalData(await storedCustomer(customer.id));
    expect(await peopleWithEmail(customer.email!)).toEqual([]);
  });

  it("skips an event whose payload the erasure scrubbed while it waited", async () => {
    const customer = newCustomer();
    await settle();
    const event = await db.webhookEvent.create({
      data: {
        shopDomain: SHOP,
        eventId: `waiting-${customer.id}`,
        webhookId: `waiting-${customer.id}`,
        topic: "customers/update",
        apiVersion: "2026-07",
        payload: { redacted: true },
        redactedAt: new Date(),
      },
    });
    const { processWebhookEvent } = await import("~/services/webhooks/process.server");
    await processWebhookEvent(event.id, logger);
    expect(await db.webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({
      status: "skipped",
      lastError: null,
    });
  });

  it("a late or newer order webhook does not restore the buyer details erased from an order", async () => {
    const buyer = stack.emulator.shop(SHOP).customers()[0]!;
    const order = stack.emulator.createOrder(SHOP, { customer: buyer.id, financialStatus: "PAID" });
    await settle();
    const created = lastDelivery("orders/create");
    const orderGid = `gid://shopify/Order/${order.id}`;
    expect((await db.shopifyOrder.findFirstOrThrow({ where: { shopifyId: orderGid } })).email).toBe(
      buyer.email!.toLowerCase(),
    );
    stack.emulator.sendCompliance(SHOP, "customers/redact", { customer: buyer.id });
    await settle();

    stack.emulator.replayDelivery(created.id, { eventId: "late-retry-of-orders-create" });
    stack.emulator.fulfill(SHOP, { order: order.name, carrier: "UPS", trackingNumber: "1Z999AA10123456799" });
    await settle();
    const row = await db.shopifyOrder.findFirstOrThrow({ where: { shopifyId: orderGid } });
    expect(row).toMatchObject({ email: null, phone: null, shopifyCustomerId: null });
    const snapshot = row.snapshot as { fulfillments: unknown[]; shippingAddress: unknown; billingAddress: unknown };
    expect(JSON.stringify(row.snapshot)).not.toContain(buyer.email!.toLowerCase());
    expect(snapshot).toMatchObject({ shippingAddress: null, billingAddress: null });
    // The sale itself still follows Shopify.
    expect(snapshot.fulfillments).toHaveLength(1);
  });
});

describe("notes edited in Shopify", () => {
  async function personOf(customerId: number) {
    const row = await storedCustomer(customerId);
    return db.helpdeskCustomer.findUniqueOrThrow({ where: { id: row!.helpdeskCustomerId! } });
  }

  it("clearing the note in Shopify clears it here", async () => {
    const customer = newCustomer("Leave parcels with the neighbour");
    await settle();
    expect((await personOf(customer.id)).note).toBe("Leave parcels with the neighbour");

    stack.emulator.setCustomerNote(SHOP, customer.id, null);
    await settle();
    expect((await personOf(customer.id)).note).toBeNull();
  });

  it("the echo of our write is ignored; the merchant setting the note back to our text later is not", async () => {
    const customer = newCustomer();
    await settle();
    const person = await personOf(customer.id);
    const workspaceId = (await shop()).workspaceId;
    const writesBefore = noteUpdates();

    const saved = await saveCustomerNote(workspaceId, person.id, {
      note: "X: ring twice",
      baseVersion: person.noteVersion,
    });
    expect(saved).toMatchObject({ status: "saved", synced: "shopify" });
    await settle(); // the echo of our own customerUpdate
    expect(await personOf(customer.id)).toMatchObject({
      note: "X: ring twice",
      noteVersion: saved.status === "saved" ? saved.version : -1,
    });

    stack.emulator.setCustomerNote(SHOP, customer.id, "Y: knock");
    await settle();
    expect((await personOf(customer.id)).note).toBe("Y: knock");
    stack.emulator.setCustomerNote(SHOP, customer.id, "X: ring twice");
    await settle();
    expect((await personOf(customer.id)).note).toBe("X: ring twice");
    expect(noteUpdates() - writesBefore).toBe(1);
  });

  it("an agent clearing the note: the echo (Shopify's empty note) changes nothing", async () => {
    const customer = newCustomer("Old instructions");
    await settle();
    const person = await personOf(customer.id);
    const saved = await saveCustomerNote((await shop()).workspaceId, person.id, {
      note: "",
      baseVersion: person.noteVersion,
    });
    expect(saved).toMatchObject({ status: "saved", synced: "shopify", note: null });
    await settle();
    expect(await personOf(customer.id)).toMatchObject({
      note: null,
      noteVersion: saved.status === "saved" ? saved.version : -1,
    });
  });

  it("a Shopify edit shown to the agent as a conflict and left unresolved still reaches the helpdesk", async () => {
    const customer = newCustomer("Before");
    await settle();
    const person = await personOf(customer.id);
    stack.emulator.holdWebhooks(); // the agent's save sees Shopify's edit before its webhook arrives
    stack.emulator.setCustomerNote(SHOP, customer.id, "Edited in Shopify");
    const result = await saveCustomerNote((await shop()).workspaceId, person.id, {
      note: "Typed by the agent",
      baseVersion: person.noteVersion,
    });
    expect(result).toMatchObject({ status: "conflict", source: "shopify", theirs: "Edited in Shopify" });
    // Saving again without choosing is still a conflict, never a silent overwrite of Shopify's edit.
    const again = await saveCustomerNote((await shop()).workspaceId, person.id, {
      note: "Typed by the agent",
      baseVersion: person.noteVersion,
    });
    expect(again).toMatchObject({ status: "conflict", theirs: "Edited in Shopify" });
    expect(stack.emulator.shop(SHOP).customer(customer.id)!.note).toBe("Edited in Shopify");

    // The agent walks away; Shopify's version arrives and the helpdesk follows it.
    stack.emulator.releaseWebhooks();
    await settle();
    expect((await personOf(customer.id)).note).toBe("Edited in Shopify");
  });

  it("the merchant's version with our text, read by reconcile, is applied too", async () => {
    const customer = newCustomer();
    await settle();
    const person = await personOf(customer.id);
    const saved = await saveCustomerNote((await shop()).workspaceId, person.id, {
      note: "X: side gate",
      baseVersion: person.noteVersion,
    });
    expect(saved).toMatchObject({ status: "saved" });
    await settle();
    stack.emulator.setCustomerNote(SHOP, customer.id, "Y: front door");
    await settle();

    stack.emulator.holdWebhooks(); // this one's webhook is late: reconcile finds the change first
    stack.emulator.setCustomerNote(SHOP, customer.id, "X: side gate");
    await reconcileShop(SHOP, logger);
    expect((await personOf(customer.id)).note).toBe("X: side gate");
  });
});

describe("text PostgreSQL cannot store, sent by Shopify", () => {
  const NUL_NOTE = "Gate code 12\u000034";
  const STORED = "Gate code 1234";

  it("a note with U+0000 arrives by webhook without the NUL, and the agent then saves without a conflict", async () => {
    const customer = newCustomer();
    await settle();
    stack.emulator.holdWebhooks();
    stack.emulator.setCustomerNote(SHOP, customer.id, NUL_NOTE);
    // The handler on the delivered body (storing the raw delivery is the webhook intake's part).
    const { parseShopifyJson } = await import("~/domain/shopify/ids");
    const { syncCustomerWebhook } = await import("~/services/sync/incremental.server");
    expect(await syncCustomerWebhook(SHOP, parseShopifyJson(lastDelivery("customers/update").body))).toBe("processed");
    const row = (await storedCustomer(customer.id))!;
    expect(row.note).toBe(STORED);
    const person = await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: row.helpdeskCustomerId! } });
    expect(person.note).toBe(STORED);

    // Shopify still holds the NUL: that is not a Shopify edit the agent has to resolve.
    const writesBefore = noteUpdates();
    const saved = await saveCustomerNote((await shop()).workspaceId, person.id, {
      note: "Gate code 1234, ring twice",
      baseVersion: person.noteVersion,
    });
    expect(saved).toMatchObject({ status: "saved", synced: "shopify" });
    expect(noteUpdates() - writesBefore).toBe(1);
    expect(stack.emulator.shop(SHOP).customer(customer.id)!.note).toBe("Gate code 1234, ring twice");
  });

  it("reconcile and a fresh import store such a note without the NUL", async () => {
    const customer = newCustomer();
    await settle();
    stack.emulator.holdWebhooks(); // reconcile has to find it
    stack.emulator.setCustomerNote(SHOP, customer.id, NUL_NOTE);
    await reconcileShop(SHOP, logger);
    expect((await storedCustomer(customer.id))!.note).toBe(STORED);

    const other = stack.emulator.shop(SHOP).customers()[1]!;
    stack.emulator.setCustomerNote(SHOP, other.id, `Import ${NUL_NOTE}`);
    const { requestBackfill } = await import("~/services/sync/commands.server");
    await requestBackfill(SHOP);
    await waitForBackfill(SHOP);
    expect((await storedCustomer(other.id))!.note).toBe(`Import ${STORED}`);
  });
});
