import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { unwrap } from "../support/route-results.ts";

const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";
const NORTH = "north-trail.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack();
  expect((await stack.install(EU)).status).toBe(200);
  expect((await stack.install(US)).status).toBe(200);
  expect((await stack.install(NORTH)).status).toBe(200);
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");
const settings = await import("~/routes/app.settings");

/** A route's answer as the client gets it: `data(..., { status })` or a plain value (200). */

const load = (shop: string) =>
  settings.loader({ request: stack.adminRequest(shop, "/app/settings"), params: {}, context: {} });

async function post(shop: string, form: Record<string, string>) {
  const request = stack.adminRequest(shop, "/app/settings", { method: "POST", body: new URLSearchParams(form) });
  return unwrap(await settings.action({ request, params: {}, context: {} }));
}

const shopRow = (domain: string) => db.shop.findUniqueOrThrow({ where: { domain } });

describe("customer notes setting", () => {
  it("is on by default and can be turned off and on again for this store only", async () => {
    expect((await load(EU)).shop.notesSyncEnabled).toBe(true);

    const off = await post(EU, { intent: "notes-sync", enabled: "false" });
    expect(off).toEqual({ status: 200, body: { intent: "notes-sync", ok: true, enabled: false } });
    expect((await shopRow(EU)).notesSyncEnabled).toBe(false);
    expect((await load(EU)).shop.notesSyncEnabled).toBe(false);
    expect((await shopRow(US)).notesSyncEnabled).toBe(true);

    await post(EU, { intent: "notes-sync", enabled: "true" });
    expect((await shopRow(EU)).notesSyncEnabled).toBe(true);
  });

  it("answers a malformed toggle with 400 and a field error, changing nothing", async () => {
    const before = await shopRow(EU);
    const bad = await post(EU, { intent: "notes-sync", enabled: "maybe" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ intent: "notes-sync", ok: false, errors: { enabled: ["Choose on or off"] } });
    const missing = await post(EU, { intent: "notes-sync" });
    expect(missing.status).toBe(400);
    expect((await shopRow(EU)).notesSyncEnabled).toBe(before.notesSyncEnabled);
  });

  it("refuses an unknown form", async () => {
    const bad = await post(EU, { intent: "drop-database" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ intent: null, ok: false, errors: { intent: ["Unknown settings form"] } });
  });
});

describe("a body that is not a form", () => {
  it("is answered with 400 and a message, changing nothing (JSON, broken multipart, none)", async () => {
    const before = await shopRow(EU);
    const bodies: RequestInit[] = [
      {
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ intent: "notes-sync", enabled: "false" }),
      },
      { headers: { "content-type": "multipart/form-data; boundary=cut" }, body: "--cut\r\nbroken" },
      {},
    ];
    for (const init of bodies) {
      const response = await fetch(stack.adminRequest(EU, "/app/settings", { method: "POST", ...init }));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        intent: null,
        ok: false,
        errors: { form: [expect.stringMatching(/^Send the settings as a form/)] },
      });
    }
    const after = await shopRow(EU);
    expect({ sync: after.notesSyncEnabled, workspace: after.workspaceId }).toEqual({
      sync: before.notesSyncEnabled,
      workspace: before.workspaceId,
    });
  });
});

describe("workspace linking", () => {
  it("lists only this store before linking", async () => {
    const data = await load(US);
    expect(data.workspace.shops).toEqual([{ domain: US, name: expect.any(String), current: true }]);
  });

  it("asks for a code before trying to join", async () => {
    const workspaceBefore = (await shopRow(US)).workspaceId;
    const empty = await post(US, { intent: "join-workspace", code: "   " });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ ok: false, errors: { code: ["Enter the code from the other store"] } });
    expect((await shopRow(US)).workspaceId).toBe(workspaceBefore);
  });

  it("refuses a code that was never issued, with a message on the field", async () => {
    const workspaceBefore = (await shopRow(US)).workspaceId;
    const wrong = await post(US, { intent: "join-workspace", code: "NOT-A-REAL-CODE" });
    expect(wrong.status).toBe(400);
    const errors = wrong.body.errors as { code?: string[] };
    expect(errors.code?.[0]).toMatch(/\w/);
    expect((await shopRow(US)).workspaceId).toBe(workspaceBefore);
  });

  it("joins the other store's workspace with a one-time code", async () => {
    const created = await post(EU, { intent: "create-link-code" });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ intent: "create-link-code", ok: true, code: expect.any(String) });
    expect(created.body.minutes).toBeGreaterThan(0);
    expect(created.body.minutes).toBeLessThanOrEqual(60);
    expect(created.body.expiresAt).toEqual(expect.any(String));

    const joined = await post(US, { intent: "join-workspace", code: ` ${created.body.code as string} ` });
    expect(joined.status).toBe(200);
    const eu = await db.shop.findUniqueOrThrow({ where: { domain: EU }, include: { workspace: true } });
    expect(joined.body).toMatchObject({
      intent: "join-workspace",
      ok: true,
      workspaceName: eu.workspace.name,
      mergedCustomers: expect.any(Number),
    });
    expect((await shopRow(US)).workspaceId).toBe(eu.workspaceId);

    const data = await load(US);
    expect(data.workspace.name).toBe(eu.workspace.name);
    expect(data.workspace.shops.map((member) => [member.domain, member.current]).sort()).toEqual([
      [EU, false],
      [US, true],
    ]);

    // Single use: a third store cannot use the code US already used.
    const northBefore = await shopRow(NORTH);
    const again = await post(NORTH, { intent: "join-workspace", code: created.body.code as string });
    expect(again.status).toBe(400);
    expect((again.body.errors as { code?: string[] }).code?.[0]).toMatch(/been used already/);
    expect((await shopRow(NORTH)).workspaceId).toBe(northBefore.workspaceId);
    expect(await db.workspace.count({ where: { id: northBefore.workspaceId } })).toBe(1);
  });
});

describe("leaving a workspace", () => {
  it("is offered only to a store that shares its workspace", async () => {
    expect((await load(US)).workspace.canLeave).toBe(true);
    expect((await load(NORTH)).workspace.canLeave).toBe(false);
  });

  it("refuses a store alone in its workspace with 409 and a reason, changing nothing", async () => {
    const before = await shopRow(NORTH);
    const refused = await post(NORTH, { intent: "leave-workspace" });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      intent: "leave-workspace",
      ok: false,
      errors: { form: [expect.stringMatching(/only store in its workspace/)] },
    });
    expect((await shopRow(NORTH)).workspaceId).toBe(before.workspaceId);
  });

  it("moves the store to a workspace of its own; the other store stays where it was", async () => {
    const [eu, us] = [await shopRow(EU), await shopRow(US)];
    expect(us.workspaceId).toBe(eu.workspaceId);
    const left = await post(US, { intent: "leave-workspace" });
    expect(left).toEqual({
      status: 200,
      body: { intent: "leave-workspace", ok: true, workspaceName: "Maple Goods US", customers: expect.any(Number) },
    });
    expect((await shopRow(US)).workspaceId).not.toBe(eu.workspaceId);
    expect((await shopRow(EU)).workspaceId).toBe(eu.workspaceId);
    const data = await load(US);
    expect(data.workspace).toMatchObject({ name: "Maple Goods US", canLeave: false });
    expect(data.workspace.shops.map((member) => member.domain)).toEqual([US]);
    expect((await load(EU)).workspace.shops.map((member) => member.domain)).toEqual([EU]);
  });
});
