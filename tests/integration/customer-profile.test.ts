import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNSTORABLE_TEXT_MESSAGE } from "~/lib/storable-text";
import { SMALL_SEED, startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill, waitForWebhooksHandled } from "../support/sync.ts";
import { eventually } from "../support/wait.ts";
import { thrownStatus, unwrap } from "../support/route-results.ts";

const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  // A few shoppers buy from both stores (same email): they merge once the stores share a workspace.
  stack = await startIntegrationStack({ seed: { ...SMALL_SEED, sharedCustomers: 3 } });
  expect((await stack.install(EU)).status).toBe(200);
  expect((await stack.install(US)).status).toBe(200);
  await Promise.all([waitForBackfill(EU), waitForBackfill(US)]);
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");
const profileRoute = await import("~/routes/app.customers.$customerId");
const customersRoute = await import("~/routes/app.customers._index");
const settingsRoute = await import("~/routes/app.settings");

const loadProfile = (shop: string, customerId: string) =>
  profileRoute.loader({
    request: stack.adminRequest(shop, `/app/customers/${customerId}`),
    params: { customerId },
    context: {},
  });

async function saveNote(shop: string, customerId: string, form: Record<string, string>) {
  const request = stack.adminRequest(shop, `/app/customers/${customerId}`, {
    method: "POST",
    body: new URLSearchParams({ intent: "save-note", ...form }),
  });
  return unwrap(await profileRoute.action({ request, params: { customerId }, context: {} }));
}

/** An EU shopper who has orders and shops only in EU: the note syncs with their Shopify customer. */
async function euOnlyCustomerWithOrders() {
  const eu = await db.shop.findUniqueOrThrow({ where: { domain: EU } });
  const usEmails = new Set(
    stack.emulator
      .shop(US)
      .customers()
      .map((customer) => customer.email),
  );
  const candidates = await db.shopifyCustomer.findMany({
    where: { shopId: eu.id, helpdeskCustomerId: { not: null }, deletedAt: null },
    orderBy: { shopifyId: "asc" },
  });
  for (const candidate of candidates) {
    if (candidate.email && usEmails.has(candidate.email)) continue;
    const orders = await db.shopifyOrder.count({ where: { shopId: eu.id, shopifyCustomerId: candidate.shopifyId } });
    if (orders > 0) return { shopifyCustomer: candidate, helpdeskCustomerId: candidate.helpdeskCustomerId!, orders };
  }
  throw new Error("The seed has no EU-only customer with orders");
}

const numericId = (gid: string) => Number(gid.split("/").pop());

describe("customers list", () => {
  it("finds a customer of the workspace by email, and not another workspace's", async () => {
    const { shopifyCustomer, helpdeskCustomerId, orders } = await euOnlyCustomerWithOrders();
    const search = (shop: string, q: string) =>
      customersRoute.loader({
        request: stack.adminRequest(shop, `/app/customers?q=${encodeURIComponent(q)}`),
        params: {},
        context: {},
      });
    const found = unwrap(await search(EU, shopifyCustomer.email!.toUpperCase())).body as {
      customers: { id: string; orders: number }[];
    };
    expect(found.customers.map((customer) => customer.id)).toEqual([helpdeskCustomerId]);
    expect(found.customers[0]!.orders).toBe(orders);
    const elsewhere = unwrap(await search(US, shopifyCustomer.email!)).body as { customers: unknown[] };
    expect(elsewhere.customers).toEqual([]);
  });

  it("answers an absurdly long search with 400 and a message", async () => {
    const result = unwrap(
      await customersRoute.loader({
        request: stack.adminRequest(EU, `/app/customers?q=${"a".repeat(500)}`),
        params: {},
        context: {},
      }),
    );
    expect(result.status).toBe(400);
    expect(result.body.error).toMatch(/200 characters/);
  });
});

describe("customer profile", () => {
  it("shows contact details and the customer's orders with their status and admin link", async () => {
    const { shopifyCustomer, helpdeskCustomerId, orders } = await euOnlyCustomerWithOrders();
    const data = await loadProfile(EU, helpdeskCustomerId);
    expect(data.customer.emails).toContain(shopifyCustomer.email);
    expect(data.shops).toHaveLength(1);
    const [store] = data.shops;
    expect(store).toMatchObject({ domain: EU, current: true });
    expect(store!.orders).toHaveLength(orders);
    const stored = await db.shopifyOrder.findFirstOrThrow({
      where: { shopifyCustomerId: shopifyCustomer.shopifyId, shop: { domain: EU } },
    });
    const row = store!.orders.find((order) => order.id === stored.id)!;
    expect(row).toMatchObject({
      name: stored.name,
      status: stored.shopperStatus,
      url: `shopify:admin/orders/${numericId(stored.shopifyId)}`,
      external: false,
    });
    expect(row.statusLabel).toMatch(/\w/);
    expect(row.total).toMatch(/\d/);
    // Newest first.
    const times = store!.orders.map((order) => order.createdAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(data.note.notice).toBeNull();
  });

  it("is not found from a store of another workspace, for an unknown id or a malformed one", async () => {
    const { helpdeskCustomerId } = await euOnlyCustomerWithOrders();
    expect(await thrownStatus(loadProfile(US, helpdeskCustomerId))).toBe(404);
    expect(await thrownStatus(loadProfile(EU, crypto.randomUUID()))).toBe(404);
    expect(await thrownStatus(loadProfile(EU, "not-an-id"))).toBe(404);
    const before = await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: helpdeskCustomerId } });
    expect(await thrownStatus(saveNote(US, helpdeskCustomerId, { note: "hijack", baseVersion: "0" }))).toBe(404);
    const after = await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: helpdeskCustomerId } });
    expect(after.note).toBe(before.note);
  });
});

describe("customer note", () => {
  it("saves a note and syncs it to the Shopify customer", async () => {
    const { shopifyCustomer, helpdeskCustomerId } = await euOnlyCustomerWithOrders();
    const { note } = await loadProfile(EU, helpdeskCustomerId);
    const saved = await saveNote(EU, helpdeskCustomerId, {
      note: "Prefers delivery after 5pm",
      baseVersion: String(note.version),
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ status: "saved", note: "Prefers delivery after 5pm", synced: "shopify" });
    expect(saved.body.version).toBeGreaterThan(note.version);
    await eventually(
      () =>
        stack.emulator.shop(EU).customer(numericId(shopifyCustomer.shopifyId))?.note === "Prefers delivery after 5pm",
    );
    const reloaded = await loadProfile(EU, helpdeskCustomerId);
    expect(reloaded.note).toMatchObject({ text: "Prefers delivery after 5pm", version: saved.body.version });
  });

  it("reports a conflict when another agent saved first, and keeps the agent's edit only when asked", async () => {
    const { helpdeskCustomerId } = await euOnlyCustomerWithOrders();
    const { note } = await loadProfile(EU, helpdeskCustomerId);
    const first = await saveNote(EU, helpdeskCustomerId, { note: "Agent A", baseVersion: String(note.version) });
    expect(first.body).toMatchObject({ status: "saved" });

    // Agent B still has the page from before A's save.
    const stale = await saveNote(EU, helpdeskCustomerId, { note: "Agent B", baseVersion: String(note.version) });
    expect(stale.status).toBe(200);
    expect(stale.body).toEqual({
      status: "conflict",
      source: "agent",
      theirs: "Agent A",
      mine: "Agent B",
      version: first.body.version,
    });
    expect((await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: helpdeskCustomerId } })).note).toBe("Agent A");

    const kept = await saveNote(EU, helpdeskCustomerId, {
      note: "Agent B",
      baseVersion: String(stale.body.version),
      resolution: "keep-mine",
    });
    expect(kept.body).toMatchObject({ status: "saved", note: "Agent B" });
    expect((await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: helpdeskCustomerId } })).note).toBe("Agent B");
  });

  it("reports a conflict when the note changed in Shopify, and takes Shopify's version when asked", async () => {
    const { shopifyCustomer, helpdeskCustomerId } = await euOnlyCustomerWithOrders();
    const { note } = await loadProfile(EU, helpdeskCustomerId);
    // The owner edits the note in Shopify; its webhook has not reached Shopdesk yet.
    stack.emulator.holdWebhooks();
    try {
      stack.emulator.setCustomerNote(EU, numericId(shopifyCustomer.shopifyId), "Changed in the Shopify admin");
      const stale = await saveNote(EU, helpdeskCustomerId, { note: "My edit", baseVersion: String(note.version) });
      expect(stale.status).toBe(200);
      expect(stale.body).toEqual({
        status: "conflict",
        source: "shopify",
        theirs: "Changed in the Shopify admin",
        mine: "My edit",
        version: note.version,
      });
      // Nothing was overwritten on either side.
      expect(stack.emulator.shop(EU).customer(numericId(shopifyCustomer.shopifyId))?.note).toBe(
        "Changed in the Shopify admin",
      );
      expect((await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: helpdeskCustomerId } })).note).toBe(note.text);

      const taken = await saveNote(EU, helpdeskCustomerId, {
        note: "Changed in the Shopify admin",
        baseVersion: String(stale.body.version),
        resolution: "take-theirs",
      });
      expect(taken.body).toMatchObject({ status: "saved", note: "Changed in the Shopify admin" });
    } finally {
      stack.emulator.releaseWebhooks();
      await stack.emulator.waitForDeliveries();
      await waitForWebhooksHandled();
    }
    const reloaded = await loadProfile(EU, helpdeskCustomerId);
    expect(reloaded.note.text).toBe("Changed in the Shopify admin");
  });

  it("answers bad input with 400 and field errors, changing nothing", async () => {
    const { helpdeskCustomerId } = await euOnlyCustomerWithOrders();
    const before = await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: helpdeskCustomerId } });
    const noVersion = await saveNote(EU, helpdeskCustomerId, { note: "x", baseVersion: "abc" });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body).toMatchObject({ status: "invalid", errors: { baseVersion: [expect.any(String)] } });
    const tooLong = await saveNote(EU, helpdeskCustomerId, {
      note: "x".repeat(5001),
      baseVersion: String(before.noteVersion),
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({ errors: { note: ["Keep the note under 5,000 characters"] } });
    const badResolution = await saveNote(EU, helpdeskCustomerId, {
      note: "x",
      baseVersion: String(before.noteVersion),
      resolution: "both",
    });
    expect(badResolution.status).toBe(400);
    const after = await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: helpdeskCustomerId } });
    expect({ note: after.note, version: after.noteVersion }).toEqual({
      note: before.note,
      version: before.noteVersion,
    });
  });

  it("keeps the note in Shopdesk when notes sync is off for the store, and says why", async () => {
    const { shopifyCustomer, helpdeskCustomerId } = await euOnlyCustomerWithOrders();
    const toggle = (enabled: boolean) =>
      settingsRoute.action({
        request: stack.adminRequest(EU, "/app/settings", {
          method: "POST",
          body: new URLSearchParams({ intent: "notes-sync", enabled: String(enabled) }),
        }),
        params: {},
        context: {},
      });
    await toggle(false);
    try {
      const { note } = await loadProfile(EU, helpdeskCustomerId);
      expect(note.notice).toMatch(/^This note is kept in Shopdesk only: /);
      const inShopify = stack.emulator.shop(EU).customer(numericId(shopifyCustomer.shopifyId))?.note;
      const saved = await saveNote(EU, helpdeskCustomerId, {
        note: "Only for the team",
        baseVersion: String(note.version),
      });
      expect(saved.body).toMatchObject({ status: "saved", synced: "local-only", reason: expect.any(String) });
      expect(stack.emulator.shop(EU).customer(numericId(shopifyCustomer.shopifyId))?.note).toBe(inShopify);
    } finally {
      await toggle(true);
    }
  });

  it("keeps the note in Shopdesk when the customer is linked to Shopify customers in two stores", async () => {
    // Link the stores: the shoppers both stores share become one customer with two Shopify customers.
    const post = (shop: string, form: Record<string, string>) =>
      settingsRoute
        .action({
          request: stack.adminRequest(shop, "/app/settings", { method: "POST", body: new URLSearchParams(form) }),
          params: {},
          context: {},
        })
        .then(unwrap);
    const created = await post(EU, { intent: "create-link-code" });
    const joined = await post(US, { intent: "join-workspace", code: created.body.code as string });
    expect(joined.body).toMatchObject({ ok: true });
    expect(joined.body.mergedCustomers).toBeGreaterThan(0);

    const eu = await db.shop.findUniqueOrThrow({ where: { domain: EU } });
    const shared = await eventually(() =>
      db.helpdeskCustomer.findFirst({
        where: {
          workspaceId: eu.workspaceId,
          AND: [
            { shopifyCustomers: { some: { shop: { domain: EU } } } },
            { shopifyCustomers: { some: { shop: { domain: US } } } },
          ],
        },
        include: { shopifyCustomers: { include: { shop: true } } },
      }),
    );
    const linkedStores = shared.shopifyCustomers.map((customer) => customer.shop.domain).sort();
    expect(linkedStores).toEqual([EU, US]);

    const data = await loadProfile(US, shared.id);
    expect(data.note.notice).toBe(
      "This note is kept in Shopdesk only: the customer is linked to 2 Shopify customers (Maple Goods EU, Maple Goods US)",
    );
    expect(data.shops.map((store) => [store.domain, store.current])).toEqual([
      [US, true],
      [EU, false],
    ]);
    const euOrder = data.shops[1]!.orders[0];
    if (euOrder) expect(euOrder.url).toMatch(/^https:\/\/admin\.shopify\.com\/store\/maple-goods-eu\/orders\/\d+$/);

    const saved = await saveNote(US, shared.id, { note: "Ships to both", baseVersion: String(data.note.version) });
    expect(saved.body).toMatchObject({ status: "saved", synced: "local-only" });
    for (const customer of shared.shopifyCustomers) {
      expect(stack.emulator.shop(customer.shop.domain).customer(numericId(customer.shopifyId))?.note).not.toBe(
        "Ships to both",
      );
    }
  });
});

describe("bad input over HTTP", () => {
  /** What Shopify received since `since`: the note writes (customerUpdate) Shopdesk sent. */
  const noteWritesSince = (since: string) =>
    stack.emulator.requests.filter(
      (request) => request.at >= since && request.operationName === "ShopdeskCustomerUpdateNote",
    );

  /** The note on both sides, to prove a refused request changed neither. */
  async function noteState(helpdeskCustomerId: string, shopifyCustomerGid: string) {
    const person = await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: helpdeskCustomerId } });
    return {
      note: person.note,
      version: person.noteVersion,
      inShopify: stack.emulator.shop(EU).customer(numericId(shopifyCustomerGid))?.note ?? null,
    };
  }

  const postNote = (customerId: string, init: RequestInit) =>
    fetch(stack.adminRequest(EU, `/app/customers/${customerId}`, { method: "POST", ...init }));

  it("refuses a note with a NUL character before writing to Shopify, and the next save still works", async () => {
    const { shopifyCustomer, helpdeskCustomerId } = await euOnlyCustomerWithOrders();
    const before = await noteState(helpdeskCustomerId, shopifyCustomer.shopifyId);
    const since = new Date().toISOString();

    const refused = await postNote(helpdeskCustomerId, {
      body: new URLSearchParams({
        intent: "save-note",
        note: "Gate code 12\u00003",
        baseVersion: String(before.version),
      }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ status: "invalid", errors: { note: [UNSTORABLE_TEXT_MESSAGE] } });
    expect(noteWritesSince(since)).toEqual([]);
    expect(await noteState(helpdeskCustomerId, shopifyCustomer.shopifyId)).toEqual(before);

    // Nothing half-written: the agent removes the character and the save goes through.
    const saved = await postNote(helpdeskCustomerId, {
      body: new URLSearchParams({ intent: "save-note", note: "Gate code 123", baseVersion: String(before.version) }),
    });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ status: "saved", note: "Gate code 123", synced: "shopify" });
    expect(noteWritesSince(since)).toHaveLength(1);
  });

  it("answers a body that is not a form (JSON, broken multipart, none) with 400 and a message, changing nothing", async () => {
    const { shopifyCustomer, helpdeskCustomerId } = await euOnlyCustomerWithOrders();
    const before = await noteState(helpdeskCustomerId, shopifyCustomer.shopifyId);
    const since = new Date().toISOString();
    const fields = { intent: "save-note", note: "Sent as JSON", baseVersion: String(before.version) };

    const bodies: RequestInit[] = [
      { headers: { "content-type": "application/json" }, body: JSON.stringify(fields) },
      {
        headers: { "content-type": "multipart/form-data; boundary=cut" },
        body: '--cut\r\nContent-Disposition: form-data; name="note"\r\n\r\nThe body stops here',
      },
      { headers: { "content-type": "multipart/form-data" }, body: "no boundary" },
      {},
    ];
    for (const init of bodies) {
      const response = await postNote(helpdeskCustomerId, init);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        status: "invalid",
        errors: { form: [expect.stringMatching(/^Send the customer profile as a form/)] },
      });
    }
    expect(noteWritesSince(since)).toEqual([]);
    expect(await noteState(helpdeskCustomerId, shopifyCustomer.shopifyId)).toEqual(before);
  });

  it("answers an oversized body with 413 without reading it into a save", async () => {
    const { shopifyCustomer, helpdeskCustomerId } = await euOnlyCustomerWithOrders();
    const before = await noteState(helpdeskCustomerId, shopifyCustomer.shopifyId);
    const response = await postNote(helpdeskCustomerId, {
      body: new URLSearchParams({ intent: "save-note", note: "x".repeat(2_000_000), baseVersion: "0" }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      status: "invalid",
      errors: { form: [expect.stringMatching(/too large/)] },
    });
    expect(await noteState(helpdeskCustomerId, shopifyCustomer.shopifyId)).toEqual(before);
  });

  it("answers a search with a NUL character with 400 and a message", async () => {
    const response = await fetch(stack.adminRequest(EU, `/app/customers?q=${encodeURIComponent("ava\u0000")}`));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: UNSTORABLE_TEXT_MESSAGE, customers: [] });
  });
});

describe("a link to a shop outside the workspace (a stale link)", () => {
  it("is neither shown nor written to: the profile and the note keep to the workspace's own shops", async () => {
    // Another merchant's store, in a workspace of its own.
    const NT = "north-trail.myshopify.com";
    expect((await stack.install(NT)).status).toBe(200);
    await waitForBackfill(NT);
    const { helpdeskCustomerId, orders } = await euOnlyCustomerWithOrders();
    const nt = await db.shop.findUniqueOrThrow({ where: { domain: NT } });
    const eu = await db.shop.findUniqueOrThrow({ where: { domain: EU } });
    expect(nt.workspaceId).not.toBe(eu.workspaceId);
    const withOrders = await db.shopifyOrder.findFirstOrThrow({
      where: { shopId: nt.id, shopifyCustomerId: { not: null } },
    });
    const foreign = await db.shopifyCustomer.findFirstOrThrow({
      where: { shopId: nt.id, shopifyId: withOrders.shopifyCustomerId!, deletedAt: null },
    });
    const originalOwner = foreign.helpdeskCustomerId;
    await db.shopifyCustomer.update({ where: { id: foreign.id }, data: { helpdeskCustomerId } });
    try {
      const profile = unwrap(await loadProfile(EU, helpdeskCustomerId)).body as {
        shops: { domain: string; orders: { id: string }[] }[];
      };
      expect(profile.shops.map((shop) => shop.domain)).toEqual([EU]);
      expect(profile.shops.flatMap((shop) => shop.orders)).toHaveLength(orders);

      const since = new Date().toISOString();
      const person = await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: helpdeskCustomerId } });
      const saved = await saveNote(EU, helpdeskCustomerId, {
        note: "Only ever the EU store's note",
        baseVersion: String(person.noteVersion),
      });
      expect(saved.status).toBe(200);
      const writes = stack.emulator.requests.filter(
        (request) => request.at >= since && request.operationName === "ShopdeskCustomerUpdateNote",
      );
      expect(writes.map((request) => request.shop)).toEqual([EU]);
    } finally {
      await db.shopifyCustomer.update({ where: { id: foreign.id }, data: { helpdeskCustomerId: originalOwner } });
    }
  });
});

describe("merging from the profile page", () => {
  const post = async (customerId: string, form: Record<string, string>) => {
    const request = stack.adminRequest(EU, `/app/customers/${customerId}`, {
      method: "POST",
      body: new URLSearchParams(form),
    });
    const result = await profileRoute.action({ request, params: { customerId }, context: {} });
    if (result instanceof Response)
      return { status: result.status, body: {}, location: result.headers.get("location") };
    return { ...unwrap(result), location: null };
  };
  const load = (customerId: string, query: string) =>
    profileRoute.loader({
      request: stack.adminRequest(EU, `/app/customers/${customerId}?${query}`),
      params: { customerId },
      context: {},
    });

  it("refuses (409, in words) two profiles that both bought in the same store; nothing changes", async () => {
    const eu = await db.shop.findUniqueOrThrow({ where: { domain: EU } });
    const buyers = await db.shopifyCustomer.findMany({
      where: { shopId: eu.id, deletedAt: null, numberOfOrders: { gt: 0 }, helpdeskCustomerId: { not: null } },
      orderBy: { shopifyId: "asc" },
      take: 2,
    });
    const [first, second] = buyers.map((buyer) => buyer.helpdeskCustomerId!);
    const before = await db.helpdeskCustomer.findMany({
      where: { id: { in: [first!, second!] } },
      orderBy: { id: "asc" },
    });

    // The side-by-side chooser already says why, before the agent tries.
    const preview = await load(first!, `compare=${second}`);
    expect(preview.merge.preview?.refusal).toMatch(/both have Shopify orders in/);

    const refused = await post(first!, { intent: "merge", otherId: second!, name: "this", note: "both" });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ status: "refused", message: expect.stringMatching(/cannot be merged/) });
    expect(
      await db.helpdeskCustomer.findMany({ where: { id: { in: [first!, second!] } }, orderBy: { id: "asc" } }),
    ).toEqual(before);
  });

  it("merges a profile found by search, confirms it, and undoes it from the history", async () => {
    const { helpdeskCustomerId } = await euOnlyCustomerWithOrders();
    const eu = await db.shop.findUniqueOrThrow({ where: { domain: EU } });
    const other = await db.helpdeskCustomer.create({
      data: { workspaceId: eu.workspaceId, name: "Walk-in Shopper", emails: ["walk-in@example.com"] },
    });
    const found = await load(helpdeskCustomerId, "mergeWith=walk-in");
    expect(found.merge.search.results?.map((result) => result.id)).toEqual([other.id]);

    const merged = await post(helpdeskCustomerId, { intent: "merge", otherId: other.id, name: "this", note: "this" });
    expect(merged.status).toBe(302);
    expect(merged.location).toMatch(new RegExp(`^/app/customers/${helpdeskCustomerId}\\?merged=`));
    const mergeId = new URL(merged.location!, "http://x").searchParams.get("merged")!;
    const page = await load(helpdeskCustomerId, `merged=${mergeId}`);
    expect(page.merge.justMerged).toBe("Merged Walk-in Shopper into this profile. You can undo it for 30 days.");
    expect(page.customer.emails).toContain("walk-in@example.com");
    expect(page.merge.history[0]).toMatchObject({ id: mergeId, canUndo: true });
    // The merged profile's page is gone: its link is not found.
    expect(await thrownStatus(loadProfile(EU, other.id))).toBe(404);

    const undone = await post(helpdeskCustomerId, { intent: "undo-merge", mergeId });
    expect(undone).toMatchObject({
      status: 200,
      body: { status: "undone", message: expect.stringMatching(/Walk-in Shopper is a separate customer again/) },
    });
    expect(await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: other.id } })).toEqual(other);
    const again = await post(helpdeskCustomerId, { intent: "undo-merge", mergeId });
    expect(again).toMatchObject({
      status: 409,
      body: { status: "refused", message: expect.stringMatching(/already undone/) },
    });
  });

  it("refuses a malformed merge form with 400 and the field's message", async () => {
    const { helpdeskCustomerId } = await euOnlyCustomerWithOrders();
    const result = await post(helpdeskCustomerId, {
      intent: "merge",
      otherId: "not-an-id",
      name: "this",
      note: "this",
    });
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({
      status: "invalid",
      errors: { otherId: ["Choose the customer to merge with"] },
    });
    // The page's query: a search nobody types is a 400, a profile or merge that is not an id a 404.
    expect(await thrownStatus(load(helpdeskCustomerId, `mergeWith=${"a".repeat(300)}`))).toBe(400);
    expect(await thrownStatus(load(helpdeskCustomerId, "compare=not-an-id"))).toBe(404);
    expect(await thrownStatus(load(helpdeskCustomerId, `compare=${helpdeskCustomerId}`))).toBe(404);
    expect(await thrownStatus(load(helpdeskCustomerId, `merged=${crypto.randomUUID()}`))).toBe(404);
  });
});
