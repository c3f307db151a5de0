import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";

// Agents are the shops' staff, learnt from the embedded session (online token exchange with the
// store emulator, which has three staff accounts per shop), one per person per workspace.

const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";
const NORTH = "north-trail.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack();
  for (const shop of [EU, US, NORTH]) expect((await stack.install(shop)).status).toBe(200);
}, 120_000);
afterAll(() => stack?.stop());

const { db } = await import("~/db.server");
const { listAgents } = await import("~/models/agent.server");
const { agentForSession } = await import("~/services/agents.server");

const shopOf = (domain: string) => db.shop.findUniqueOrThrow({ where: { domain } });

describe("agents", () => {
  it("are created on a staff member's first visit, with the name and email Shopify gives", async () => {
    const eu = await shopOf(EU);
    expect((await stack.install(EU, { userId: "2" })).status).toBe(200);
    expect(await listAgents(eu.workspaceId)).toEqual([
      { id: expect.any(String), name: "Jonas Weber", email: "jonas@maplegoods.example" },
      { id: expect.any(String), name: "Mara Lindqvist", email: "owner@maplegoods.example" },
    ]);
    // A second visit finds the same agent without asking Shopify again.
    const logins = await db.agentLogin.count({ where: { shopId: eu.id } });
    expect((await stack.install(EU, { userId: "2" })).status).toBe(200);
    expect(await db.agentLogin.count({ where: { shopId: eu.id } })).toBe(logins);
    expect(await db.agent.count({ where: { workspaceId: eu.workspaceId } })).toBe(2);
  });

  it("are one per person in a workspace of several stores, and never cross workspaces", async () => {
    const { createWorkspaceLinkCode, joinWorkspace } = await import("~/services/workspace-link.server");
    const [eu, us, north] = await Promise.all([shopOf(EU), shopOf(US), shopOf(NORTH)]);
    const { code } = await createWorkspaceLinkCode(eu);
    expect(await joinWorkspace(us, code)).toMatchObject({ ok: true });

    expect((await stack.install(US, { userId: "2" })).status).toBe(200);
    const jonas = await db.agent.findMany({ where: { email: "jonas@maplegoods.example" }, include: { logins: true } });
    expect(jonas).toHaveLength(1);
    expect(jonas[0]!.workspaceId).toBe(eu.workspaceId);
    expect(jonas[0]!.logins.map((login) => login.shopId).sort()).toEqual([eu.id, us.id].sort());

    expect((await stack.install(NORTH, { userId: "2" })).status).toBe(200);
    const northAgents = await listAgents(north.workspaceId);
    expect(northAgents.map((agent) => agent.email).sort()).toEqual([
      "hello@northtrail.example",
      "jonas@northtrail.example",
    ]);
    expect((await listAgents(eu.workspaceId)).map((agent) => agent.email)).not.toContain("jonas@northtrail.example");
  });

  it("are unknown, not invented, for a user Shopify does not name, and the page still opens", async () => {
    const north = await shopOf(NORTH);
    const before = await db.agent.count({ where: { workspaceId: north.workspaceId } });
    expect((await stack.install(NORTH, { userId: "99" })).status).toBe(200);
    expect(await db.agent.count({ where: { workspaceId: north.workspaceId } })).toBe(before);
    expect(
      await agentForSession({ shop: NORTH, userId: "99", idToken: stack.emulator.sessionToken(NORTH, "99") }),
    ).toBeNull();
    // A token for one user never records another.
    expect(
      await agentForSession({ shop: NORTH, userId: "3", idToken: stack.emulator.sessionToken(NORTH, "2") }),
    ).toBeNull();
  });

  it("follow a store that leaves its workspace: its staff become agents of the new one on their next visit", async () => {
    const { leaveWorkspace } = await import("~/services/workspace-link.server");
    const us = await shopOf(US);
    const sharedWorkspace = us.workspaceId;
    expect(await leaveWorkspace(us)).toMatchObject({ ok: true });
    const moved = await shopOf(US);
    expect(moved.workspaceId).not.toBe(sharedWorkspace);
    expect((await stack.install(US, { userId: "2" })).status).toBe(200);
    expect((await listAgents(moved.workspaceId)).map((agent) => agent.name)).toContain("Jonas Weber");
    // The workspace it left keeps its own agent record.
    expect((await listAgents(sharedWorkspace)).map((agent) => agent.name)).toContain("Jonas Weber");
  });
});
