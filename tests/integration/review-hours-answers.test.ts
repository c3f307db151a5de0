import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signAppProxyUrl } from "../../dev/store-emulator/signing.ts";
import { startIntegrationStack, TEST_APP, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill } from "../support/sync.ts";

// A hostile look at business hours, the offline contact form and quick answers in the storefront
// (decision 026), over real HTTP against PostgreSQL: forged or missing App Proxy signatures, wrong
// types and malformed paths change nothing; a store leaving a workspace keeps the hours its
// shoppers were seeing, as it keeps the quick answers.
const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";

let stack: IntegrationStack;
const { db } = await import("~/db.server");
const { createWorkspaceLinkCode, joinWorkspace, leaveWorkspace } = await import("~/services/workspace-link.server");
const { getBusinessHours, saveBusinessHours } = await import("~/models/business-hours.server");
const { createQuickAnswer } = await import("~/models/quick-answer.server");

const shop = (domain: string) => db.shop.findUniqueOrThrow({ where: { domain } });

beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ordersPerShop: 1, customersPerShop: 1 } });
  for (const domain of [EU, US]) expect((await stack.install(domain)).status).toBe(200);
  // Counts below compare before and after: the stores' first sync must be done.
  await Promise.all([waitForBackfill(EU), waitForBackfill(US)]);
}, 120_000);
afterAll(() => stack?.stop());

function proxyUrl(path: string, domain = EU) {
  return signAppProxyUrl(new URL(`/proxy/portal/${path}`, stack.app.url), {
    apiSecret: TEST_APP.apiSecret,
    shop: domain,
    pathPrefix: "/apps/shopdesk",
  });
}

async function post(url: URL, body: unknown) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json().catch(() => null)) as Record<string, unknown> };
}

const written = async () => ({
  tickets: await db.ticket.count(),
  customers: await db.helpdeskCustomer.count(),
  uses: await db.quickAnswerUse.count(),
  rateEvents: await db.portalRateEvent.count(),
});

describe("storefront calls that are not Shopify's", () => {
  it("a forged, stripped or other-secret signature is a 401 on availability, contact and quick answers; nothing written", async () => {
    const before = await written();
    const body = { email: "forger@example.com", message: "Hello", used: { quickAnswerId: "x", path: "" } };
    for (const path of ["availability", "contact", "quick-answers"]) {
      const forged = proxyUrl(path);
      forged.searchParams.set("shop", US); // signed for EU, claims US
      const stripped = proxyUrl(path);
      stripped.searchParams.delete("signature");
      const otherSecret = signAppProxyUrl(new URL(`/proxy/portal/${path}`, stack.app.url), {
        apiSecret: "not-the-app-secret",
        shop: EU,
        pathPrefix: "/apps/shopdesk",
      });
      for (const url of [forged, stripped, otherSecret]) {
        expect((await post(url, body)).status, `${path} ${url.search.slice(0, 60)}`).toBe(401);
      }
    }
    expect(await written()).toEqual(before);
  });
});

describe("wrong types and malformed paths", () => {
  it("contact form fields of the wrong type or with broken characters are a 400 naming the field; nothing written", async () => {
    const before = await written();
    const refusals: [Record<string, unknown>, string][] = [
      [{ email: ["a@b.co"], message: "Hi" }, "email"],
      [{ email: "a@b.co", message: ["Hi"] }, "message"],
      [{ email: "a@b.co", message: "Hi", name: true }, "name"],
      [{ email: "a@b.co", message: "Hi", orderNumber: 1001 }, "orderNumber"],
      [{ email: "a@b.co", message: "Hi \ud800 there" }, "message"],
      [{ email: "a@b.co", message: "Hi", name: "\udfff" }, "name"],
      [{ email: "a@b.co\r\nBcc: victim@example.com", message: "Hi" }, "email"],
      [{ email: "ünïcode@exämple.com", message: "Hi" }, "email"],
      [{ email: "a@b.co", message: "Hi", orderNumber: "../1001" }, "orderNumber"],
    ];
    for (const [body, field] of refusals) {
      const answer = await post(proxyUrl("contact"), body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.field, JSON.stringify(body)).toBe(field);
    }
    expect((await post(proxyUrl("contact"), JSON.stringify([{ email: "a@b.co", message: "Hi" }]))).status).toBe(400);
    expect(await written()).toEqual(before);
  });

  it("a quick-answer use with a bad path, id or type is refused and writes no use", async () => {
    const eu = await shop(EU);
    const flow = await createQuickAnswer(eu.workspaceId, {
      content: {
        en: { question: "Shipping?", answer: "5 days.", links: [] },
        followUps: [{ en: { question: "Abroad?", answer: "Yes.", links: [] }, followUps: [] }],
      },
    });
    const uses = () => db.quickAnswerUse.count({ where: { quickAnswerId: flow.id } });
    for (const path of ["../", "1..2", "-1", "999999999999999999999", "1", "0.0", "00", " 0", "0.", "__proto__"]) {
      const answer = await post(proxyUrl("quick-answers"), { used: { quickAnswerId: flow.id, path } });
      expect(answer.status, path).toBe(400);
    }
    for (const used of [
      { quickAnswerId: [flow.id], path: "" },
      { quickAnswerId: flow.id, path: 0 },
      { quickAnswerId: flow.id },
      [flow.id, ""],
    ]) {
      expect((await post(proxyUrl("quick-answers"), { used })).status, JSON.stringify(used)).toBe(400);
    }
    expect(await uses()).toBe(0);
    // The other store's shoppers (another workspace) cannot use it: 404.
    expect((await post(proxyUrl("quick-answers", US), { used: { quickAnswerId: flow.id, path: "" } })).status).toBe(
      404,
    );
    expect(await uses()).toBe(0);
    const ok = await post(proxyUrl("quick-answers"), {
      used: { quickAnswerId: flow.id, path: "0" },
      locale: "__proto__",
    });
    expect(ok.status).toBe(201);
    expect(await db.quickAnswerUse.findFirstOrThrow({ where: { quickAnswerId: flow.id } })).toMatchObject({
      path: "0",
      locale: "en",
    });
  });

  it("availability answers in English for a locale like __proto__ or constructor", async () => {
    for (const locale of ["__proto__", "constructor", ["fr"], 42]) {
      const answer = await post(proxyUrl("availability"), { locale });
      expect(answer.status).toBe(200);
      expect(typeof answer.json.message).toBe("string");
      expect(answer.json.message).toMatch(/^We're /);
    }
  });
});

describe("business hours when stores join and leave a workspace", () => {
  it("a store that leaves keeps the business hours its shoppers were seeing, and the workspace keeps its own", async () => {
    const [eu, us] = [await shop(EU), await shop(US)];
    const { code } = await createWorkspaceLinkCode(eu);
    expect(await joinWorkspace(us, code)).toMatchObject({ ok: true });
    const shared = (await shop(US)).workspaceId;
    const hours = {
      enabled: true,
      timezone: "America/New_York",
      weekly: [{ day: 1 as const, opens: "09:00", closes: "17:00" }],
      holidays: [{ date: "2026-12-25", name: "Christmas Day" }],
    };
    await saveBusinessHours(shared, hours);

    expect(await leaveWorkspace(us)).toMatchObject({ ok: true });
    const own = (await shop(US)).workspaceId;
    expect(own).not.toBe(shared);
    expect(await getBusinessHours(own)).toEqual(hours);
    expect(await getBusinessHours(shared)).toEqual(hours);
    // A copy: changing one workspace's hours leaves the other's as they were.
    await saveBusinessHours(own, { ...hours, enabled: false });
    expect(await getBusinessHours(shared)).toEqual(hours);
  });
});
