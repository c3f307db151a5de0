import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill, waitForWebhooksHandled } from "../support/sync.ts";

// Moving a store between workspaces takes exactly that store's people with it. A and B are the two
// Maple Goods stores (one merchant, customers shared by email); C is North Trail, another merchant,
// which also knows two of B's customers by email.
const A = "maple-goods-eu.myshopify.com";
const B = "maple-goods-us.myshopify.com";
const C = "north-trail.myshopify.com";
const A_ONLY_PHONE = "+44 20 7946 0958";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 6, customersPerShop: 10, sharedCustomers: 4 } });
  const bOnly = emails(B).filter((email) => !emails(A).includes(email));
  const shared = emails(B).filter((email) => emails(A).includes(email));
  stack.emulator.createCustomer(C, { firstName: "Known", lastName: "AtBoth", email: shared[0]! });
  stack.emulator.createCustomer(C, { firstName: "Known", lastName: "AtTwo", email: bOnly[0]! });
  // A knows a second number for one shared person: that is A's to keep, not B's to take along.
  stack.emulator.updateCustomer(A, shared[1]!, { phone: A_ONLY_PHONE });
  for (const shop of [A, B, C]) expect((await stack.install(shop)).status).toBe(200);
  await Promise.all([waitForBackfill(A), waitForBackfill(B), waitForBackfill(C)]);
  await stack.emulator.waitForDeliveries();
  await waitForWebhooksHandled();
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");
const { createWorkspaceLinkCode, joinWorkspace, leaveWorkspace } = await import("~/services/workspace-link.server");
const { saveCustomerVersion } = await import("~/models/shopify-customer.server");
const { normalizePhone } = await import("~/domain/customer-identity");

function emails(shop: string) {
  return stack.emulator
    .shop(shop)
    .customers()
    .map((customer) => customer.email!.toLowerCase());
}

const shopRow = (domain: string) => db.shop.findUniqueOrThrow({ where: { domain } });

/** A workspace's people with their Shopify links, in a stable order, for before/after comparisons. */
const peopleOf = (workspaceId: string) =>
  db.helpdeskCustomer.findMany({
    where: { workspaceId },
    include: {
      shopifyCustomers: { select: { id: true, shopId: true, email: true, phone: true }, orderBy: { id: "asc" } },
    },
    orderBy: { id: "asc" },
  });
type Person = Awaited<ReturnType<typeof peopleOf>>[number];

/** The helpdesk person a shop's Shopify customer (by email) is linked to. */
async function personOf(shopDomain: string, email: string) {
  const link = await db.shopifyCustomer.findFirstOrThrow({
    where: { shop: { domain: shopDomain }, email },
    include: { helpdeskCustomer: true },
  });
  return link.helpdeskCustomer!;
}

/** Which shop owns each order and Shopify customer: moving stores between workspaces never changes it. */
async function ownership() {
  const orders = await db.shopifyOrder.findMany({ select: { id: true, shopId: true }, orderBy: { id: "asc" } });
  const customers = await db.shopifyCustomer.findMany({
    select: { id: true, shopId: true, shopifyId: true },
    orderBy: { id: "asc" },
  });
  return { orders, customers };
}

/** The tenancy rule: every linked Shopify customer's person lives in that customer's shop's workspace. */
async function expectEveryPersonInTheirShopsWorkspace() {
  const links = await db.shopifyCustomer.findMany({
    where: { deletedAt: null },
    include: { shop: { select: { domain: true, workspaceId: true } }, helpdeskCustomer: true },
  });
  const misplaced = links
    .filter((link) => link.helpdeskCustomer?.workspaceId !== link.shop.workspaceId)
    .map((link) => `${link.shop.domain} ${link.email}`);
  expect(misplaced).toEqual([]);
}

/** What a person looks like apart from their links: what an agent sees and wrote. */
const profile = (person: Person | Omit<Person, "shopifyCustomers">) => ({
  id: person.id,
  workspaceId: person.workspaceId,
  name: person.name,
  emails: person.emails,
  phones: person.phones,
  note: person.note,
  noteVersion: person.noteVersion,
});

describe("link codes", () => {
  it("refuses an expired code, changes nothing, and the same code works again once it is in date", async () => {
    const [a, b] = [await shopRow(A), await shopRow(B)];
    const { code } = await createWorkspaceLinkCode(a);
    const issued = await db.workspaceLinkCode.findFirstOrThrow({ where: { createdByShopId: a.id, usedAt: null } });
    // 15 minutes pass: the code's expiry moves into the past rather than the test waiting for it.
    await db.workspaceLinkCode.update({ where: { id: issued.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    const peopleBefore = await peopleOf(b.workspaceId);

    expect(await joinWorkspace(b, code)).toEqual({
      ok: false,
      error: expect.stringMatching(/expired \(codes last 15 minutes\)/),
    });
    expect((await shopRow(B)).workspaceId).toBe(b.workspaceId);
    expect(await peopleOf(b.workspaceId)).toEqual(peopleBefore);
    expect((await db.workspaceLinkCode.findUniqueOrThrow({ where: { id: issued.id } })).usedAt).toBeNull();

    // The same code, back in date, is accepted: it was refused for its age and nothing else.
    await db.workspaceLinkCode.update({ where: { id: issued.id }, data: { expiresAt: new Date(Date.now() + 60_000) } });
    expect(await joinWorkspace(b, code)).toMatchObject({ ok: true });
    expect((await shopRow(B)).workspaceId).toBe(a.workspaceId);
    await expectEveryPersonInTheirShopsWorkspace();
  });
});

describe("joining another workspace", () => {
  it("takes only the joining store's customers: shared people are split, the other store's stay untouched", async () => {
    const [a, b, c] = [await shopRow(A), await shopRow(B), await shopRow(C)];
    const w1 = a.workspaceId;
    const w2 = c.workspaceId;
    expect(b.workspaceId).toBe(w1);

    const shared = emails(B).filter((email) => emails(A).includes(email));
    const bOnly = emails(B).filter((email) => !emails(A).includes(email));
    expect([shared.length, bOnly.length]).toEqual([4, 6]);
    const [knownToC, ...sharedElsewhere] = shared; // C has a customer with knownToC's email
    const [bOnlyKnownToC, ...bOnlyElsewhere] = bOnly; // and one with bOnlyKnownToC's

    // The shared person's history, written by an agent while both stores were together.
    const sharedPerson = await personOf(A, sharedElsewhere[0]!);
    await db.helpdeskCustomer.update({
      where: { id: sharedPerson.id },
      data: { note: "Asked for gift wrap at both stores", noteVersion: { increment: 1 } },
    });
    // A person known to no store yet (tickets will bring them): stays where it is.
    const walkIn = await db.helpdeskCustomer.create({
      data: { workspaceId: w1, name: "Walk-in", emails: ["walk.in@example.com"] },
    });

    const w1Before = await peopleOf(w1);
    const w2Before = await peopleOf(w2);
    const ownershipBefore = await ownership();
    const aPeopleBefore = w1Before.filter((person) => person.shopifyCustomers.some((link) => link.shopId === a.id));
    expect(aPeopleBefore).toHaveLength(10);
    expect(w1Before).toHaveLength(10 + 6 + 1); // A's ten (four shared with B), B's six own, the walk-in
    expect(w2Before).toHaveLength(12);

    const { code } = await createWorkspaceLinkCode(c);
    const result = await joinWorkspace(b, code);
    // knownToC (split, B's half joins C's person) and bOnlyKnownToC (moved into C's person).
    expect(result).toEqual({ ok: true, workspaceName: "North Trail Outfitters", mergedCustomers: 2 });

    expect((await shopRow(B)).workspaceId).toBe(w2);
    expect((await shopRow(A)).workspaceId).toBe(w1);
    expect(await db.workspace.count({ where: { id: w1 } })).toBe(1);

    // W1: exactly A's people and the walk-in, as they were, each now linked to A's customers only.
    const w1After = await peopleOf(w1);
    expect(w1After.map(profile)).toEqual([...aPeopleBefore, walkIn].sort(byId).map(profile));
    for (const person of w1After) {
      const before = w1Before.find((candidate) => candidate.id === person.id)!;
      expect(person.shopifyCustomers).toEqual(before.shopifyCustomers.filter((link) => link.shopId === a.id));
    }
    expect((await personOf(A, sharedElsewhere[0]!)).note).toBe("Asked for gift wrap at both stores");

    // W2: C's people as they were, plus B's: B's own five move as they are, the shared three get a copy.
    const w2After = await peopleOf(w2);
    expect(w2After).toHaveLength(12 + 5 + 3);
    for (const person of w2Before) {
      const after = w2After.find((candidate) => candidate.id === person.id)!;
      expect(after.shopifyCustomers.filter((link) => link.shopId === c.id)).toEqual(person.shopifyCustomers);
    }
    for (const email of bOnlyElsewhere) {
      const moved = w1Before.find((person) => person.emails.includes(email))!;
      expect(profile(await personOf(B, email))).toEqual({ ...profile(moved), workspaceId: w2 });
    }
    for (const email of sharedElsewhere) {
      const original = w1Before.find((person) => person.emails.includes(email))!;
      const copy = await personOf(B, email);
      expect(copy.id).not.toBe(original.id);
      expect(copy).toMatchObject({ workspaceId: w2, emails: [email], note: original.note });
      expect(await db.shopifyCustomer.count({ where: { helpdeskCustomerId: copy.id } })).toBe(1);
    }
    expect((await personOf(B, sharedElsewhere[0]!)).note).toBe("Asked for gift wrap at both stores");
    // The copy knows what B's own record says, not the number only A has; A's person still has it.
    const inB = stack.emulator.shop(B).customer(sharedElsewhere[0]!)!;
    expect(await personOf(B, sharedElsewhere[0]!)).toMatchObject({
      name: `${inB.firstName} ${inB.lastName}`,
      phones: [normalizePhone(inB.phone)].filter(Boolean),
    });
    expect((await personOf(A, sharedElsewhere[0]!)).phones).toContain(normalizePhone(A_ONLY_PHONE));
    // Known to C: B's customer joins C's person; A's stays with A's person.
    expect((await personOf(B, knownToC!)).id).toBe((await personOf(C, knownToC!)).id);
    expect((await personOf(A, knownToC!)).workspaceId).toBe(w1);
    expect((await personOf(B, bOnlyKnownToC!)).id).toBe((await personOf(C, bOnlyKnownToC!)).id);
    expect(await db.helpdeskCustomer.count({ where: { emails: { has: bOnlyKnownToC! } } })).toBe(1);

    expect(await ownership()).toEqual(ownershipBefore);
    await expectEveryPersonInTheirShopsWorkspace();
  });
});

describe("leaving a workspace", () => {
  it("gives the store a workspace of its own with its own customers; the others keep theirs untouched", async () => {
    const [b, c] = [await shopRow(B), await shopRow(C)];
    const w2 = c.workspaceId;
    expect(b.workspaceId).toBe(w2);
    const w2Before = await peopleOf(w2);
    const cPeopleBefore = w2Before.filter((person) => person.shopifyCustomers.some((link) => link.shopId === c.id));
    const splitBefore = cPeopleBefore.filter((person) => person.shopifyCustomers.some((link) => link.shopId === b.id));
    expect(splitBefore).toHaveLength(2);
    const ownershipBefore = await ownership();
    const codeFromB = await createWorkspaceLinkCode(b);

    const result = await leaveWorkspace(b);
    expect(result).toMatchObject({ ok: true, workspaceName: "Maple Goods US", customers: 10 });

    const w3 = (await shopRow(B)).workspaceId;
    expect(w3).not.toBe(w2);
    expect((await shopRow(C)).workspaceId).toBe(w2);
    expect((await db.workspace.findUniqueOrThrow({ where: { id: w3 } })).name).toBe("Maple Goods US");

    const w2After = await peopleOf(w2);
    // People only C knows are untouched; a split person keeps what C's records say and loses the
    // emails and phones only B's record gave them (they left with B).
    const onlyB = (person: Person, value: (link: Person["shopifyCustomers"][number]) => string | null) => {
      const fromC = person.shopifyCustomers.filter((link) => link.shopId === c.id).map(value);
      return person.shopifyCustomers
        .filter((link) => link.shopId === b.id)
        .map(value)
        .filter((known) => known !== null && !fromC.includes(known));
    };
    expect(w2After.map((person) => ({ ...profile(person), name: undefined }))).toEqual(
      cPeopleBefore.map((person) => ({
        ...profile(person),
        name: undefined,
        emails: person.emails.filter((email) => !onlyB(person, (link) => link.email).includes(email)),
        phones: person.phones.filter((phone) => !onlyB(person, (link) => normalizePhone(link.phone)).includes(phone)),
      })),
    );
    expect(w2After.filter((person) => !splitBefore.some((split) => split.id === person.id)).map(profile)).toEqual(
      cPeopleBefore.filter((person) => !splitBefore.includes(person)).map(profile),
    );
    for (const person of w2After) {
      const before = w2Before.find((candidate) => candidate.id === person.id)!;
      expect(person.shopifyCustomers).toEqual(before.shopifyCustomers.filter((link) => link.shopId === c.id));
    }
    const w3After = await peopleOf(w3);
    expect(w3After).toHaveLength(10);
    expect(w3After.flatMap((person) => person.shopifyCustomers.map((link) => link.shopId))).toEqual(
      Array(10).fill(b.id),
    );
    for (const original of splitBefore) {
      const bEmail = original.shopifyCustomers.find((link) => link.shopId === b.id)!.email!;
      const copy = w3After.find((person) => person.emails.includes(bEmail))!;
      expect(copy.id).not.toBe(original.id);
      expect(copy.note).toBe(original.note);
    }

    expect(await ownership()).toEqual(ownershipBefore);
    await expectEveryPersonInTheirShopsWorkspace();

    // A code B created for the workspace it has left no longer lets anyone in.
    const a = await shopRow(A);
    expect(await joinWorkspace(a, codeFromB.code)).toEqual({
      ok: false,
      error: expect.stringMatching(/no longer in that workspace/),
    });
    expect((await shopRow(A)).workspaceId).toBe(a.workspaceId);
  });

  it("refuses a store that is alone in its workspace, and changes nothing", async () => {
    const a = await shopRow(A);
    expect(await db.shop.count({ where: { workspaceId: a.workspaceId } })).toBe(1);
    const before = await peopleOf(a.workspaceId);
    expect(await leaveWorkspace(a)).toEqual({
      ok: false,
      error: expect.stringMatching(/only store in its workspace/),
    });
    expect((await shopRow(A)).workspaceId).toBe(a.workspaceId);
    expect(await peopleOf(a.workspaceId)).toEqual(before);
  });
});

describe("joining from a workspace no store is left in", () => {
  it("brings the customers no store is linked to and removes the empty workspace", async () => {
    const [a, b] = [await shopRow(A), await shopRow(B)];
    const w3 = b.workspaceId;
    const alone = await db.helpdeskCustomer.create({
      data: { workspaceId: w3, name: "Phoned in", emails: ["phoned.in@example.com"], note: "Called about sizes" },
    });
    const ownershipBefore = await ownership();

    const { code } = await createWorkspaceLinkCode(a);
    expect(await joinWorkspace(b, code)).toEqual({ ok: true, workspaceName: "Maple Goods EU", mergedCustomers: 4 });
    expect(await db.workspace.count({ where: { id: w3 } })).toBe(0);
    expect(profile(await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: alone.id } }))).toEqual({
      ...profile(alone),
      workspaceId: a.workspaceId,
    });
    // The four shared people are one person each again, linked in both stores.
    for (const email of emails(B).filter((candidate) => emails(A).includes(candidate))) {
      expect((await personOf(A, email)).id).toBe((await personOf(B, email)).id);
    }
    expect(await ownership()).toEqual(ownershipBefore);
    await expectEveryPersonInTheirShopsWorkspace();
  });
});

describe("moves racing other work", () => {
  it("files a customer synced with an out-of-date view of the store in the store's workspace of now", async () => {
    // The import loads the shop once and runs for minutes; the merchant may join meanwhile.
    const stale = await shopRow(B);
    expect((await leaveWorkspace(stale)).ok).toBe(true);
    const now = (await shopRow(B)).workspaceId;
    expect(now).not.toBe(stale.workspaceId);

    const at = new Date().toISOString();
    await saveCustomerVersion(stale, {
      id: "gid://shopify/Customer/999000001",
      firstName: "Late",
      lastName: "Arrival",
      displayName: "Late Arrival",
      email: "late.arrival@example.com",
      phone: null,
      phoneE164: null,
      note: null,
      tags: [],
      state: "ENABLED",
      locale: "en",
      createdAt: at,
      updatedAt: at,
      defaultAddress: null,
      addresses: [],
      numberOfOrders: 0,
      amountSpent: null,
    });
    expect((await personOf(B, "late.arrival@example.com")).workspaceId).toBe(now);
    await expectEveryPersonInTheirShopsWorkspace();
  });

  it("a join and a leave of the same store at once end in one consistent state", async () => {
    const [a, b] = [await shopRow(A), await shopRow(B)];
    const c = await shopRow(C);
    expect(b.workspaceId).not.toBe(a.workspaceId);
    const codeForA = await createWorkspaceLinkCode(a);
    const codeForC = await createWorkspaceLinkCode(c);
    // Both started from the same view of B, as two browser tabs would, while B's customers change.
    for (let index = 0; index < 4; index++) {
      stack.emulator.createCustomer(B, {
        firstName: "Racing",
        lastName: `Shopper ${index}`,
        email: `racer${index}@example.com`,
      });
    }
    const results = await Promise.all([joinWorkspace(b, codeForA.code), joinWorkspace(b, codeForC.code)]);
    expect(results.filter((result) => result.ok).length).toBeGreaterThanOrEqual(1);
    await Promise.all([leaveWorkspace(b), joinWorkspace(c, (await createWorkspaceLinkCode(a)).code)]);
    await stack.emulator.waitForDeliveries();
    await waitForWebhooksHandled();
    expect(await db.shopifyCustomer.count({ where: { email: { startsWith: "racer" } } })).toBe(4);
    await expectEveryPersonInTheirShopsWorkspace();
    const workspacesWithoutShops = await db.workspace.count({ where: { shops: { none: {} } } });
    expect(workspacesWithoutShops).toBe(0);
  });
});

const byId = (left: { id: string }, right: { id: string }) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0);
