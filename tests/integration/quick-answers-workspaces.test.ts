import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";

// Quick answers are a workspace's: when a store's last workspace goes (it joined another), its
// flows and their figures come along, turned off so the other stores' shoppers do not see them
// unasked; a store leaving a workspace keeps a copy of the flows its shoppers were seeing.
const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";

let stack: IntegrationStack;
const { db } = await import("~/db.server");
const { createWorkspaceLinkCode, joinWorkspace, leaveWorkspace } = await import("~/services/workspace-link.server");
const { createQuickAnswer, listQuickAnswers } = await import("~/models/quick-answer.server");
const { quickAnswerStats } = await import("~/models/quick-answer-use.server");

const t = (question: string) => ({ en: { question, answer: `About ${question}`, links: [] } });
const shop = (domain: string) => db.shop.findUniqueOrThrow({ where: { domain } });
const summary = async (workspaceId: string) =>
  (await listQuickAnswers(workspaceId)).map((flow) => [flow.content?.en.question, flow.enabled]);

beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 1, customersPerShop: 1 } });
  for (const domain of [EU, US]) expect((await stack.install(domain)).status).toBe(200);
});
afterAll(() => stack?.stop());

describe("quick answers when stores join and leave a workspace", () => {
  it("brings the flows and figures of a workspace that goes, turned off, after the others", async () => {
    const [eu, us] = [await shop(EU), await shop(US)];
    await createQuickAnswer(eu.workspaceId, { content: t("EU: shipping?") });
    const usFlow = await createQuickAnswer(us.workspaceId, { content: t("US: sales tax?") });
    await db.quickAnswerUse.create({
      data: { workspaceId: us.workspaceId, shopId: us.id, quickAnswerId: usFlow.id, locale: "en" },
    });

    const { code } = await createWorkspaceLinkCode(eu);
    expect(await joinWorkspace(us, code)).toMatchObject({ ok: true });
    expect(await db.workspace.count({ where: { id: us.workspaceId } })).toBe(0);
    expect(await summary(eu.workspaceId)).toEqual([
      ["EU: shipping?", true],
      ["US: sales tax?", false],
    ]);
    expect((await quickAnswerStats(eu.workspaceId)).get(usFlow.id)).toMatchObject({ uses: 1 });
  });

  it("gives a store that leaves a copy of the flows, as they were", async () => {
    const us = await shop(US);
    const before = await summary(us.workspaceId);
    expect(await leaveWorkspace(us)).toMatchObject({ ok: true });
    const own = (await shop(US)).workspaceId;
    expect(own).not.toBe(us.workspaceId);
    expect(await summary(own)).toEqual(before);
    expect(await summary(us.workspaceId)).toEqual(before);
  });
});
