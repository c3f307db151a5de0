import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { thrownStatus, unwrap } from "../support/route-results.ts";

// Settings → Self-service portal through the real route module against the store emulator: a
// store's options with nothing stored, saving and reading back, every refusal, the SMS token kept
// out of the page, the workspace's other store, another merchant's store, and the warnings about
// the live theme and the shop connection.

const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";
const NORTH = "north-trail.myshopify.com";

let stack: IntegrationStack;
const { db } = await import("~/db.server");
const { decryptSecret } = await import("~/lib/secrets.server");
const { DEFAULT_PORTAL_OPTIONS, portalOptions, smsAuthTokenContext } = await import("~/models/portal-settings.server");
const { checkStorefront } = await import("~/services/portal/portal-settings.server");
const { BUILT_IN_ISSUE_OPTIONS } = await import("~/domain/portal-settings");
const portal = await import("~/routes/app.settings.portal");
const settings = await import("~/routes/app.settings");

const ids: Record<string, string> = {};

beforeAll(async () => {
  stack = await startIntegrationStack();
  for (const shop of [EU, US, NORTH]) expect((await stack.install(shop)).status).toBe(200);
  // EU and US are one merchant's stores in one workspace; NORTH is another merchant's.
  const link = async (shop: string, form: Record<string, string>) => {
    const request = stack.adminRequest(shop, "/app/settings", { method: "POST", body: new URLSearchParams(form) });
    return unwrap(await settings.action({ request, params: {}, context: {} })).body;
  };
  const { code } = await link(EU, { intent: "create-link-code" });
  expect(await link(US, { intent: "join-workspace", code: String(code) })).toMatchObject({ ok: true });
  for (const shop of [EU, US, NORTH]) ids[shop] = (await db.shop.findUniqueOrThrow({ where: { domain: shop } })).id;
});
afterAll(() => stack?.stop());

const load = (shop: string, query = "") =>
  portal.loader({ request: stack.adminRequest(shop, `/app/settings/portal${query}`), params: {}, context: {} });

async function post(shop: string, form: Record<string, string>) {
  const request = stack.adminRequest(shop, "/app/settings/portal", {
    method: "POST",
    body: new URLSearchParams(form),
  });
  return unwrap(await portal.action({ request, params: {}, context: {} }));
}

/** The page's form for `shop` with the defaults, as the browser sends it. */
const form = (shop: string, changes: Record<string, string> = {}): Record<string, string> => ({
  intent: "save",
  shopId: ids[shop]!,
  trackEnabled: "true",
  returnEnabled: "true",
  returnWindowFrom: "delivered",
  returnWindowDays: "30",
  loopReturnsUrl: "",
  cancelEnabled: "true",
  cancelStatuses: "unfulfilled,processing_fulfillment",
  reportIssueEnabled: "true",
  issueOptions: JSON.stringify(BUILT_IN_ISSUE_OPTIONS),
  signInEmailCode: "true",
  signInSmsCode: "false",
  signInOrderNumber: "true",
  smsAccountSid: "",
  smsFrom: "",
  smsAuthToken: "",
  smsApiBaseUrl: "",
  ...changes,
});

const row = (shop: string) => db.portalSettings.findUnique({ where: { shopId: ids[shop]! } });
const { smsAuthTokenSet: _set, ...DEFAULT_VIEW } = DEFAULT_PORTAL_OPTIONS;

describe("a store that never saved its portal settings", () => {
  it("shows the defaults, this store first among the workspace's stores, and the launcher on in the live theme", async () => {
    expect(await row(EU)).toBeNull();
    const page = await load(EU);
    expect(page.settings).toEqual({ ...DEFAULT_VIEW, smsAuthTokenSet: false });
    expect(page.store).toEqual({ id: ids[EU], domain: EU, name: "Maple Goods EU", current: true });
    expect(page.stores.map((store) => [store.domain, store.current])).toEqual([
      [EU, true],
      [US, false],
    ]);
    expect(await page.storefront).toEqual({ kind: "ready", themeName: "Dawn" });
    // Reading stores nothing.
    expect(await row(EU)).toBeNull();
  });

  it("has the defaults a freshly created row gets from the schema", async () => {
    await db.portalSettings.create({ data: { shopId: ids[NORTH]! } });
    try {
      expect(await portalOptions(ids[NORTH]!)).toEqual(DEFAULT_PORTAL_OPTIONS);
    } finally {
      await db.portalSettings.delete({ where: { shopId: ids[NORTH]! } });
    }
  });
});

describe("saving", () => {
  const TOKEN = "twilio-auth-token-5f0c9a7e31";

  it("stores every option and reads it back, tidied; the token sealed for this store", async () => {
    const saved = await post(
      EU,
      form(EU, {
        trackEnabled: "false",
        returnWindowFrom: "created",
        returnWindowDays: "45",
        loopReturnsUrl: "https://maple.loopreturns.com",
        cancelStatuses: "pending_delivery,unfulfilled",
        issueOptions: JSON.stringify({ ...BUILT_IN_ISSUE_OPTIONS, delivered: ["Box crushed", "Something else"] }),
        signInSmsCode: "true",
        smsAccountSid: "AC0123456789abcdef0123456789abcdef",
        smsFrom: "+44 20 7946 0958",
        smsAuthToken: TOKEN,
        smsApiBaseUrl: "http://127.0.0.1:4020",
      }),
    );
    expect(saved.status).toBe(200);
    const expected = {
      ...DEFAULT_VIEW,
      trackEnabled: false,
      returnWindowFrom: "created",
      returnWindowDays: 45,
      loopReturnsUrl: "https://maple.loopreturns.com",
      cancelStatuses: ["unfulfilled", "pending_delivery"],
      issueOptions: { delivered: ["Box crushed", "Something else"] },
      signInSmsCode: true,
      smsAccountSid: "AC0123456789abcdef0123456789abcdef",
      smsFrom: "+442079460958",
      smsApiBaseUrl: "http://127.0.0.1:4020",
      smsAuthTokenSet: true,
    };
    expect(saved.body).toEqual({ ok: true, intent: "save", shopId: ids[EU], settings: expected });
    expect((await load(EU)).settings).toEqual(expected);

    const stored = (await row(EU))!;
    expect(stored.smsAuthTokenSealed).not.toContain(TOKEN);
    expect(decryptSecret(stored.smsAuthTokenSealed!, smsAuthTokenContext(ids[EU]!))).toBe(TOKEN);
    // The other store of the workspace keeps its own (default) settings.
    expect(await row(US)).toBeNull();
  });

  it("never sends the token or its ciphertext to the page", async () => {
    const stored = (await row(EU))!;
    const page = await load(EU);
    const text = JSON.stringify({ ...page, storefront: await page.storefront });
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(stored.smsAuthTokenSealed);
    expect(text).not.toContain("smsAuthTokenSealed");
    // The loader's answer over HTTP does not carry it either.
    const response = await fetch(stack.adminRequest(EU, "/app/settings/portal"));
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(body).toContain('"smsAuthTokenSet":true');
    expect(body).not.toContain(TOKEN);
    expect(body).not.toContain(stored.smsAuthTokenSealed!);
  });

  it("keeps the stored token when the field is left blank", async () => {
    const before = (await row(EU))!.smsAuthTokenSealed;
    const saved = await post(
      EU,
      form(EU, {
        signInSmsCode: "true",
        smsAccountSid: "AC0123456789abcdef0123456789abcdef",
        smsFrom: "+442079460958",
      }),
    );
    expect(saved.status).toBe(200);
    expect((await row(EU))!.smsAuthTokenSealed).toBe(before);
    // Built-in lists sent back unchanged are stored as "built-in" (the portal translates those).
    expect((await row(EU))!.issueOptions).toBeNull();
  });

  it("removes the token only once SMS codes are off", async () => {
    const refused = await post(EU, { intent: "remove-sms-token", shopId: ids[EU]! });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      ok: false,
      errors: { smsAuthToken: [expect.stringMatching(/Turn SMS codes off/)] },
    });
    expect((await row(EU))!.smsAuthTokenSealed).not.toBeNull();

    expect((await post(EU, form(EU, { smsAccountSid: "AC01", smsFrom: "+442079460958" }))).status).toBe(200);
    const removed = await post(EU, { intent: "remove-sms-token", shopId: ids[EU]! });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ ok: true, settings: { smsAuthTokenSet: false, smsAccountSid: "AC01" } });
    expect((await row(EU))!.smsAuthTokenSealed).toBeNull();

    // SMS codes need a token again before they can be turned on.
    const noToken = await post(
      EU,
      form(EU, { signInSmsCode: "true", smsAccountSid: "AC01", smsFrom: "+442079460958" }),
    );
    expect(noToken.status).toBe(400);
    expect(noToken.body).toMatchObject({ errors: { smsAuthToken: [expect.stringMatching(/Enter the auth token/)] } });
  });

  it("saves the workspace's other store from this store's admin, when picked", async () => {
    const page = await load(EU, `?shopId=${ids[US]}`);
    expect(page.store).toMatchObject({ domain: US, current: false });
    expect(await page.storefront).toEqual({ kind: "ready", themeName: "Dawn" });

    const saved = await post(EU, form(US, { returnWindowDays: "14" }));
    expect(saved.status).toBe(200);
    expect((await row(US))!.returnWindowDays).toBe(14);
    expect((await row(EU))!.returnWindowDays).toBe(30);
  });
});

describe("refusals", () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ["trackEnabled", { trackEnabled: "maybe" }, /Track is on or off/],
    ["returnWindowFrom", { returnWindowFrom: "shipped" }, /placed or when it was delivered/],
    ["returnWindowDays", { returnWindowDays: "0" }, /from 1 to 365/],
    ["returnWindowDays", { returnWindowDays: "400" }, /from 1 to 365/],
    ["loopReturnsUrl", { loopReturnsUrl: "http://maple.loopreturns.com" }, /starting with https:\/\//],
    ["loopReturnsUrl", { loopReturnsUrl: "not a url" }, /starting with https:\/\//],
    ["cancelStatuses", { cancelStatuses: "" }, /at least one order status/],
    ["cancelStatuses", { cancelStatuses: "delivered" }, /Unfulfilled, Processing fulfillment and Pending delivery/],
    ["issueOptions", { issueOptions: JSON.stringify({ delivered: ["Late", "late"] }) }, /appears twice/],
    ["issueOptions", { issueOptions: JSON.stringify({ shipped: ["Late"] }) }, /only order states/],
    ["issueOptions", { issueOptions: "[" }, /could not be read/],
    ["signIn", { signInEmailCode: "false", signInSmsCode: "false", signInOrderNumber: "false" }, /at least one way/],
    ["smsAccountSid", { signInSmsCode: "true", smsFrom: "+14155550100", smsAuthToken: "t" }, /account SID/],
    ["smsFrom", { smsAccountSid: "AC01", smsFrom: "0044 20 7946 0958" }, /international format/],
    ["smsAuthToken", { smsAccountSid: "AC01", smsFrom: "+14155550100", smsAuthToken: "has space" }, /no spaces/],
    ["smsApiBaseUrl", { smsAccountSid: "AC01", smsFrom: "+14155550100", smsApiBaseUrl: "http://sms.example" }, /https/],
    ["loopReturnsUrl", { loopReturnsUrl: "https://maple.loopreturns.com/nul\u0000byte" }, /cannot be saved/],
    ["smsAccountSid", { smsAccountSid: "AC\u0000", smsFrom: "+14155550100" }, /cannot be saved/],
  ];

  it.each(cases)("%s: %j is a 400 with the field's message, and nothing is saved", async (field, changes, message) => {
    const before = await db.portalSettings.findMany({ orderBy: { shopId: "asc" } });
    const refused = await post(EU, form(EU, changes));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ ok: false, intent: "save" });
    const errors = refused.body.errors as Record<string, string[]>;
    expect(errors[field]?.join(" "), JSON.stringify(errors)).toMatch(message);
    expect(await db.portalSettings.findMany({ orderBy: { shopId: "asc" } })).toEqual(before);
  });

  it("refuses a huge form with 413 and a huge field with 400, saving nothing", async () => {
    const before = await db.portalSettings.findMany({ orderBy: { shopId: "asc" } });
    const huge = await post(EU, form(EU, { smsAccountSid: "x".repeat(300 * 1024) }));
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ ok: false, errors: { form: [expect.stringMatching(/too large/)] } });
    const long = await post(EU, form(EU, { loopReturnsUrl: `https://maple.loopreturns.com/${"a".repeat(5000)}` }));
    expect(long.status).toBe(400);
    const many = await post(
      EU,
      form(EU, { issueOptions: JSON.stringify({ other: Array.from({ length: 500 }, (_, i) => `O${i}`) }) }),
    );
    expect(many.status).toBe(400);
    expect(await db.portalSettings.findMany({ orderBy: { shopId: "asc" } })).toEqual(before);
  });

  it("answers a body that is not a form, or an unknown form, with 400", async () => {
    const json = await fetch(
      stack.adminRequest(EU, "/app/settings/portal", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(form(EU)),
      }),
    );
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ errors: { form: [expect.stringMatching(/as a form/)] } });
    const unknown = await post(EU, { intent: "drop-everything", shopId: ids[EU]! });
    expect(unknown).toMatchObject({
      status: 400,
      body: { intent: null, errors: { intent: ["Unknown portal settings form"] } },
    });
  });
});

describe("another merchant's store", () => {
  it("is not found: neither shown nor saved, and its settings stay as they were", async () => {
    const northToken = "north-trail-sms-token";
    const northForm = form(NORTH, {
      signInSmsCode: "true",
      smsAccountSid: "ACnorth",
      smsFrom: "+16045550100",
      smsAuthToken: northToken,
    });
    expect((await post(NORTH, northForm)).status).toBe(200);
    const before = await row(NORTH);

    expect(await thrownStatus(load(EU, `?shopId=${ids[NORTH]}`))).toBe(404);
    const saved = await post(EU, form(NORTH, { loopReturnsUrl: "https://hijacked.loopreturns.com" }));
    expect(saved.status).toBe(404);
    expect(saved.body).toMatchObject({
      ok: false,
      errors: { shopId: [expect.stringMatching(/not in your workspace/)] },
    });
    const removed = await post(EU, { intent: "remove-sms-token", shopId: ids[NORTH]! });
    expect(removed.status).toBe(404);
    expect(JSON.stringify(saved.body) + JSON.stringify(removed.body)).not.toContain("ACnorth");
    expect(await row(NORTH)).toEqual(before);
    // An id that is no store at all is the same 404.
    expect(await thrownStatus(load(EU, "?shopId=not-a-store"))).toBe(404);
  });
});

describe("warnings about the storefront", () => {
  it("says when the app embed is off in the live theme, with the theme editor's app embeds to fix it", async () => {
    stack.emulator.setAppEmbed(EU, false);
    try {
      expect(await (await load(EU)).storefront).toEqual({
        kind: "embed-off",
        themeName: "Dawn",
        fixUrl: `https://${EU}/admin/themes/current/editor?context=apps`,
      });
    } finally {
      stack.emulator.setAppEmbed(EU, true);
    }
  });

  it("shows the form and a neutral note when Shopify fails, without waiting long", async () => {
    stack.emulator.failNext(EU, 20, "503");
    try {
      const startedAt = Date.now();
      const page = await load(EU);
      expect(page.settings.trackEnabled).toBeDefined();
      expect(await page.storefront).toEqual({ kind: "unknown" });
      expect(Date.now() - startedAt).toBeLessThan(4000);
    } finally {
      stack.emulator.clearFailures(EU);
    }
  });

  it("gives up on a Shopify that does not answer within the budget", async () => {
    const store = { id: ids[EU]!, domain: EU, name: "Maple Goods EU", current: true };
    const hanging = { shop: EU, graphql: () => new Promise<Response>(() => {}) };
    const startedAt = Date.now();
    expect(await checkStorefront(store, async () => hanging, 200)).toEqual({ kind: "unknown" });
    expect(Date.now() - startedAt).toBeLessThan(1500);
  });

  it("says when Shopdesk was not granted read_themes", async () => {
    const store = { id: ids[EU]!, domain: EU, name: "Maple Goods EU", current: true };
    const denied = {
      shop: EU,
      graphql: async () =>
        Response.json({
          data: { themes: null },
          errors: [
            {
              message: "Access denied for themes field. Required access: `read_themes` access scope.",
              extensions: { code: "ACCESS_DENIED" },
            },
          ],
        }),
    };
    expect(await checkStorefront(store, async () => denied)).toEqual({ kind: "missing-access" });
  });

  it("says when Shopify refuses this store's token; the next page load reconnects", async () => {
    stack.emulator.expireAccessTokens(EU);
    expect(await (await load(EU)).storefront).toEqual({ kind: "connection-broken", current: true });
    // The library dropped the refused token: the next request exchanges a new one.
    expect(await (await load(EU)).storefront).toEqual({ kind: "ready", themeName: "Dawn" });
  });

  // Last: the workspace's other store stays disconnected afterwards.
  it("says when Shopify refuses the connection to a store of the workspace, and still shows its settings", async () => {
    stack.emulator.expireAccessTokens(US);
    const page = await load(EU, `?shopId=${ids[US]}`);
    expect(page.settings.returnWindowDays).toBe(14);
    expect(await page.storefront).toEqual({ kind: "connection-broken", current: false });
  });
});
