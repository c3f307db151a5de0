import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { thrownStatus, unwrap } from "../support/route-results.ts";

// Settings → Quick answers through the real route modules against the store emulator: the starter
// suggestions, creating and editing a flow with its problems shown per field, turning on and off,
// the order, deleting, the figures of the last 30 days, and another merchant's flows out of reach.
const SHOP = "maple-goods-eu.myshopify.com";
const OTHER = "north-trail.myshopify.com";

let stack: IntegrationStack;
const { db } = await import("~/db.server");
const list = await import("~/routes/app.settings.quick-answers._index");
const editor = await import("~/routes/app.settings.quick-answers.$quickAnswerId");
const { createQuickAnswer } = await import("~/models/quick-answer.server");

let workspaceId: string;
let otherWorkspaceId: string;

const t = (question: string) => ({ question, answer: `About ${question}`, links: [] });

async function loadList(shop = SHOP) {
  return list.loader({ request: stack.adminRequest(shop, "/app/settings/quick-answers"), params: {}, context: {} });
}
async function postList(form: Record<string, string>, shop = SHOP) {
  const request = stack.adminRequest(shop, "/app/settings/quick-answers", {
    method: "POST",
    body: new URLSearchParams(form),
  });
  return unwrap(await list.action({ request, params: {}, context: {} }));
}
async function postEditor(id: string, form: Record<string, string>, shop = SHOP) {
  const request = stack.adminRequest(shop, `/app/settings/quick-answers/${id}`, {
    method: "POST",
    body: new URLSearchParams(form),
  });
  return unwrap(await editor.action({ request, params: { quickAnswerId: id }, context: {} }));
}
const loadEditor = (id: string, shop = SHOP) =>
  editor.loader({
    request: stack.adminRequest(shop, `/app/settings/quick-answers/${id}`),
    params: { quickAnswerId: id },
    context: {},
  });

beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 1, customersPerShop: 1 } });
  for (const shop of [SHOP, OTHER]) expect((await stack.install(shop)).status).toBe(200);
  workspaceId = (await db.shop.findUniqueOrThrow({ where: { domain: SHOP } })).workspaceId;
  otherWorkspaceId = (await db.shop.findUniqueOrThrow({ where: { domain: OTHER } })).workspaceId;
});
afterAll(() => stack?.stop());

describe("Settings → Quick answers", () => {
  it("starts empty with suggestions, and adds one in a click, turned off", async () => {
    const empty = await loadList();
    expect(empty.flows).toEqual([]);
    expect(empty.starters.map((starter) => starter.title)).toEqual(["Shipping policy", "Returns", "Sizing"]);
    expect(await postList({ intent: "add-starter", key: "returns" })).toMatchObject({
      status: 200,
      body: { ok: true },
    });
    const [added] = (await loadList()).flows;
    expect(added).toMatchObject({
      question: "What is your return policy?",
      enabled: false,
      followUps: 1,
      uses: 0,
      deflection: "—",
    });
    expect((await postList({ intent: "add-starter", key: "warranty" })).status).toBe(400);
  });

  it("creates a flow with a French follow-up, and reads it back", async () => {
    const content = {
      en: t("Do you ship abroad?"),
      fr: t("Livrez-vous ?"),
      followUps: [{ en: t("Cost?"), fr: t("Prix ?") }],
    };
    const saved = await postEditor("new", { intent: "save", content: JSON.stringify(content), enabled: "true" });
    expect(saved).toMatchObject({ status: 200, body: { ok: true, created: true } });
    const id = saved.body.id as string;
    const loaded = await loadEditor(id);
    expect(loaded.quickAnswer).toMatchObject({ id, enabled: true, content: { fr: t("Livrez-vous ?") } });
    expect(loaded.quickAnswer!.content!.followUps[0]!.fr).toEqual(t("Prix ?"));
  });

  it("says what is wrong, field by field, and saves nothing", async () => {
    const flow = await createQuickAnswer(workspaceId, { content: { en: t("Sizing?") } });
    const content = {
      en: { ...t("Sizing?"), links: [{ label: "Chart", url: "javascript:alert(1)" }] },
      followUps: [{ en: t("Kids?"), de: { question: "Kinder?", answer: "", links: [] } }],
    };
    const refused = await postEditor(flow.id, { intent: "save", content: JSON.stringify(content), enabled: "true" });
    expect(refused.status).toBe(400);
    expect(refused.body.problems).toEqual({
      "en.links.0.url": "Enter a full address starting with https://, http:// or mailto:.",
      "followUps.0.de.answer": "Enter the answer.",
    });
    const nul = await postEditor(flow.id, {
      intent: "save",
      content: JSON.stringify({ en: t("Size\u0000") }),
      enabled: "true",
    });
    expect(nul.status).toBe(400);
    expect((await postEditor(flow.id, { intent: "save", content: "{", enabled: "true" })).status).toBe(400);
    expect((await loadEditor(flow.id)).quickAnswer!.content).toEqual({ en: t("Sizing?"), followUps: [] });
  });

  it("turns a flow on and off and moves it, and shows its figures of the last 30 days", async () => {
    const before = (await loadList()).flows;
    const last = before.at(-1)!;
    expect(await postList({ intent: "move", quickAnswerId: last.id, direction: "up" })).toMatchObject({ status: 200 });
    const moved = (await loadList()).flows.map((flow) => flow.id);
    expect(moved).toEqual([...before.slice(0, -2), last, before.at(-2)!].map((flow) => flow.id));
    // Already first: nothing changes.
    expect((await postList({ intent: "move", quickAnswerId: moved[0]!, direction: "up" })).status).toBe(200);
    expect((await loadList()).flows.map((flow) => flow.id)).toEqual(moved);

    expect(await postList({ intent: "enable", quickAnswerId: last.id, enabled: "false" })).toMatchObject({
      body: { ok: true, message: "Quick answer turned off" },
    });
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    const day = 86_400_000;
    await db.quickAnswerUse.createMany({
      data: [
        { workspaceId, shopId: shop.id, quickAnswerId: last.id, locale: "en" },
        { workspaceId, shopId: shop.id, quickAnswerId: last.id, locale: "en", contactedAgentAt: new Date() },
        { workspaceId, shopId: shop.id, quickAnswerId: last.id, locale: "fr" },
        { workspaceId, shopId: shop.id, quickAnswerId: last.id, locale: "fr", usedAt: new Date(Date.now() - 31 * day) },
      ],
    });
    const row = (await loadList()).flows.find((flow) => flow.id === last.id);
    expect(row).toMatchObject({ enabled: false, uses: 3, deflection: "67%" });
  });

  it("deletes a flow", async () => {
    const flow = await createQuickAnswer(workspaceId, { content: { en: t("Gift cards?") } });
    expect(await postEditor(flow.id, { intent: "delete" })).toMatchObject({
      status: 200,
      body: { ok: true, deleted: true },
    });
    expect(await db.quickAnswer.count({ where: { id: flow.id } })).toBe(0);
    expect(await thrownStatus(loadEditor(flow.id))).toBe(404);
  });

  it("keeps another merchant's flows out of reach", async () => {
    const theirs = await createQuickAnswer(otherWorkspaceId, { content: { en: t("Tents?") } });
    expect(await thrownStatus(loadEditor(theirs.id))).toBe(404);
    const save = { intent: "save", content: JSON.stringify({ en: t("Mine now") }), enabled: "true" };
    expect(await thrownStatus(postEditor(theirs.id, save))).toBe(404);
    expect(await thrownStatus(postEditor(theirs.id, { intent: "delete" }))).toBe(404);
    expect((await postList({ intent: "enable", quickAnswerId: theirs.id, enabled: "false" })).status).toBe(404);
    expect((await postList({ intent: "move", quickAnswerId: theirs.id, direction: "down" })).status).toBe(404);
    expect((await loadList()).flows.map((flow) => flow.id)).not.toContain(theirs.id);
    expect(await db.quickAnswer.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({
      enabled: true,
      content: { en: t("Tents?"), followUps: [] },
    });
  });
});
