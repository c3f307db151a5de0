import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signAppProxyUrl } from "../../dev/store-emulator/signing.ts";
import { startIntegrationStack, TEST_APP, type IntegrationStack } from "../support/integration-stack.ts";

// Quick answers in the storefront widget (decision 026), through the real portal API signed as
// Shopify's App Proxy signs it: the shop's flows in the shopper's language, a use recorded with
// who used it, another workspace's flow and a path the flow does not have refused without a
// write, and the deflection figures the settings page shows once a shopper reached an agent.
const SHOP = "maple-goods-eu.myshopify.com";
const OTHER_SHOP = "north-trail.myshopify.com";

let stack: IntegrationStack;
const { db } = await import("~/db.server");
const { createQuickAnswer } = await import("~/models/quick-answer.server");
const { markQuickAnswersContacted, quickAnswerStats } = await import("~/models/quick-answer-use.server");
const { openPortalSession } = await import("~/services/portal/portal-auth.server");
const { issueChatToken } = await import("~/services/chat/chat-token.server");

let shop: { id: string; workspaceId: string };
let other: { id: string; workspaceId: string };
let shipping: { id: string };
let sizing: { id: string };
let hidden: { id: string };
let othersFlow: { id: string };

const t = (question: string, answer = `About: ${question}`) => ({ question, answer, links: [] });

let ipCount = 0;
/** A POST to the portal API as the App Proxy forwards it for `domain`. */
async function portal(body: unknown, domain = SHOP, ip = `10.88.0.${++ipCount}`) {
  const url = signAppProxyUrl(new URL("/proxy/portal/quick-answers", stack.app.url), {
    apiSecret: TEST_APP.apiSecret,
    shop: domain,
    pathPrefix: "/apps/shopdesk",
  });
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": ip },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
}

const usesOf = (quickAnswerId: string) =>
  db.quickAnswerUse.findMany({ where: { quickAnswerId }, orderBy: { id: "asc" } });

beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 1, customersPerShop: 1 } });
  for (const domain of [SHOP, OTHER_SHOP]) expect((await stack.install(domain)).status).toBe(200);
  const select = { id: true, workspaceId: true } as const;
  shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP }, select });
  other = await db.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP }, select });
  expect(shop.workspaceId).not.toBe(other.workspaceId);

  shipping = await createQuickAnswer(shop.workspaceId, {
    content: {
      en: {
        ...t("Do you ship abroad?", "Yes, to 40 countries."),
        links: [{ label: "Policy", url: "https://x.example/p" }],
      },
      fr: t("Livrez-vous à l'étranger ?", "Oui, dans 40 pays."),
      followUps: [
        { en: t("How long does it take?"), followUps: [{ en: t("Can I pay for express?"), fr: t("Express ?") }] },
        { en: t("What does it cost?"), fr: t("Combien ça coûte ?") },
      ],
    },
  });
  hidden = await createQuickAnswer(shop.workspaceId, { content: { en: t("Secret sale?") }, enabled: false });
  sizing = await createQuickAnswer(shop.workspaceId, { content: { en: t("How do sizes fit?") } });
  othersFlow = await createQuickAnswer(other.workspaceId, { content: { en: t("North Trail's tents?") } });
});
afterAll(() => stack?.stop());

describe("POST /apps/shopdesk/portal/quick-answers", () => {
  it("lists the shop's enabled flows in order, in the shopper's language with English where not written", async () => {
    const answer = await portal({ locale: "fr-FR" });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("private, no-store");
    const flows = answer.json.quickAnswers as {
      id: string;
      locale: string;
      question: string;
      links: unknown[];
      followUps: { path: string; locale: string; question: string; followUps: { path: string; question: string }[] }[];
    }[];
    expect(flows.map((flow) => flow.id)).toEqual([shipping.id, sizing.id]);
    expect(flows[0]).toMatchObject({
      locale: "fr",
      question: "Livrez-vous à l'étranger ?",
      answer: "Oui, dans 40 pays.",
      links: [],
    });
    expect(flows[0]!.followUps.map((node) => [node.path, node.locale, node.question])).toEqual([
      ["0", "en", "How long does it take?"],
      ["1", "fr", "Combien ça coûte ?"],
    ]);
    expect(flows[0]!.followUps[0]!.followUps[0]).toMatchObject({ path: "0.0", question: "Express ?" });
    expect(flows[1]).toMatchObject({ locale: "en", question: "How do sizes fit?" });
    expect(JSON.stringify(answer.json)).not.toContain("North Trail");
  });

  it("answers English to a language it does not speak, and each store its own flows", async () => {
    const english = await portal({ locale: "it" });
    expect((english.json.quickAnswers as { question: string }[])[0]!.question).toBe("Do you ship abroad?");
    const north = await portal({ locale: "en" }, OTHER_SHOP);
    expect((north.json.quickAnswers as { id: string }[]).map((flow) => flow.id)).toEqual([othersFlow.id]);
  });

  it("records a use of an answer or a follow-up, with the portal session and chat visitor that used it", async () => {
    const { session, token } = await openPortalSession(shop.id, { method: "store_login", email: "ines@example.com" });
    const visitor = await db.chatVisitor.create({ data: { shopId: shop.id, workspaceId: shop.workspaceId } });
    const chatToken = issueChatToken(visitor, TEST_APP.apiSecret).token;

    const answer = await portal({ locale: "fr", token, chatToken, used: { quickAnswerId: shipping.id, path: "0.0" } });
    expect(answer.status).toBe(201);
    const [use] = await usesOf(shipping.id);
    expect(use).toMatchObject({
      workspaceId: shop.workspaceId,
      shopId: shop.id,
      path: "0.0",
      locale: "fr",
      visitorId: visitor.id,
      portalSessionId: session.id,
      contactedAgentAt: null,
    });
  });

  it("records an anonymous use, ignoring tokens that are not this shop's", async () => {
    const { token } = await openPortalSession(other.id, { method: "store_login", email: "marc@example.com" });
    const otherVisitor = await db.chatVisitor.create({ data: { shopId: other.id, workspaceId: other.workspaceId } });
    const chatToken = issueChatToken(otherVisitor, TEST_APP.apiSecret).token;
    const answer = await portal({ token, chatToken: `${chatToken}x`, used: { quickAnswerId: sizing.id, path: "" } });
    expect(answer.status).toBe(201);
    const withOthers = await portal({ token, chatToken, used: { quickAnswerId: sizing.id, path: "" } });
    expect(withOthers.status).toBe(201);
    const uses = await usesOf(sizing.id);
    expect(uses.map((use) => [use.visitorId, use.portalSessionId, use.locale])).toEqual([
      [null, null, "en"],
      [null, null, "en"],
    ]);
  });

  it("refuses another workspace's quick answer with 404 and writes nothing", async () => {
    const before = await db.quickAnswerUse.count();
    const answer = await portal({ used: { quickAnswerId: othersFlow.id, path: "" } });
    expect(answer.status).toBe(404);
    expect(answer.json.error).toBe("This quick answer is no longer offered.");
    // A disabled flow, and an id that is no flow at all, the same.
    expect((await portal({ used: { quickAnswerId: hidden.id, path: "" } })).status).toBe(404);
    expect((await portal({ used: { quickAnswerId: "not-a-uuid", path: "" } })).status).toBe(404);
    expect(await db.quickAnswerUse.count()).toBe(before);
    expect(await usesOf(othersFlow.id)).toEqual([]);
  });

  it("refuses a path the flow does not have, or a malformed body, with 400 and writes nothing", async () => {
    const before = await db.quickAnswerUse.count();
    for (const path of ["2", "0.1", "1.0.0", "x", "0.0.0.0.0", "-1"]) {
      const answer = await portal({ used: { quickAnswerId: shipping.id, path } });
      expect(answer.status, path).toBe(400);
      expect(answer.json.error, path).toMatch(/not part of the quick answer/);
    }
    for (const body of [
      { used: { quickAnswerId: shipping.id } },
      { used: "0" },
      { used: { quickAnswerId: 7, path: "" } },
    ]) {
      const answer = await portal(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.error).toEqual(expect.any(String));
    }
    expect(await db.quickAnswerUse.count()).toBe(before);
  });

  it("stops answering an address that floods it (429 with Retry-After)", async () => {
    const ip = "10.88.255.1";
    const statuses: number[] = [];
    for (let call = 0; call < 61; call++) statuses.push((await portal({}, SHOP, ip)).status);
    expect(statuses.slice(0, 60).every((status) => status === 200)).toBe(true);
    const refused = await portal({ used: { quickAnswerId: sizing.id, path: "" } }, SHOP, ip);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another shopper is not slowed down.
    expect((await portal({}, SHOP)).status).toBe(200);
  });
});

describe("deflection", () => {
  it("counts a use followed by a contact with an agent as not deflected, one without as deflected", async () => {
    const flow = await createQuickAnswer(shop.workspaceId, { content: { en: t("Gift wrapping?") } });
    const contacting = await openPortalSession(shop.id, { method: "store_login", email: "lea@example.com" });
    const browsing = await openPortalSession(shop.id, { method: "store_login", email: "tom@example.com" });
    for (const who of [contacting, browsing]) {
      expect((await portal({ token: who.token, used: { quickAnswerId: flow.id, path: "" } })).status).toBe(201);
    }
    // The first shopper then starts a chat, sends the contact form or files a request.
    const marked = await markQuickAnswersContacted(db, {
      workspaceId: shop.workspaceId,
      portalSessionId: contacting.session.id,
    });
    expect(marked).toBe(1);
    const stats = await quickAnswerStats(shop.workspaceId);
    expect(stats.get(flow.id)).toEqual({ uses: 2, contacted: 1, deflected: 1, deflectionRate: 0.5 });
    // Another workspace's figures know nothing of these uses.
    expect((await quickAnswerStats(other.workspaceId)).get(flow.id)).toBeUndefined();
  });

  it("counts only the last 30 days", async () => {
    const stats = await quickAnswerStats(shop.workspaceId, new Date(Date.now() + 31 * 86_400_000));
    expect(stats.size).toBe(0);
  });
});
