// Cross-tenant suite: for every route in app/routes, the authenticated tenant (shop A: its admin
// session token, its App Proxy signature, its webhook HMAC and header) sends another tenant's ids
// (shop B of another merchant; A2, the other shop of A's workspace, for shop-scoped data). Each
// probe must be refused (400/403/404) or answered from A's own data, with none of B's values in
// the response, none of B's (or A2's) rows changed, no job queued for B and no call to B's store.
//
// Adding a route: add its file to ROUTES with at least one probe per loader (GET) and per action
// (POST), built with adminGet/adminPost, proxyGet or webhook: A's credentials with B's ids wherever
// the route takes ids (path, query, form, payload). "every route file has probes" fails until then.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CustomerRecord, OrderRecord } from "../../dev/store-emulator/index.ts";
import {
  complianceCustomerPayload,
  complianceShopPayload,
  customerDeletePayload,
  customerPayload,
  fulfillmentEventPayload,
  fulfillmentPayload,
  orderPayload,
  refundPayload,
  shopPayload,
} from "../../dev/store-emulator/payloads.ts";
import { adminHostParam, appProxySignature, webhookHeaders } from "../../dev/store-emulator/signing.ts";
import { SMALL_SEED, startIntegrationStack, TEST_APP, type IntegrationStack } from "../support/integration-stack.ts";
import { waitForBackfill } from "../support/sync.ts";
import {
  digestShop,
  digestWorkspace,
  jobsQueuedFor,
  waitUntilQuiet,
  type TenantDigest,
} from "../support/tenant-snapshot.ts";

const A = "maple-goods-eu.myshopify.com";
const A2 = "maple-goods-us.myshopify.com";
const B = "north-trail.myshopify.com";

let stack: IntegrationStack;
const { db } = await import("~/db.server");

// ---- The tenants and the foreign ids the probes try --------------------------------------------

interface TenantShop {
  domain: string;
  /** Shop row id. */
  id: string;
  /** Workspace at the start (A and A2 share one). */
  workspaceId: string;
  /** Shopify's numeric shop id (what shop_id in a payload names). */
  shopifyId: number;
  name: string;
}

interface Fixture {
  A: TenantShop;
  A2: TenantShop;
  B: TenantShop;
  /** B's data: what A must never see, change or reach. */
  b: {
    person: { id: string; noteVersion: number };
    customer: CustomerRecord;
    customerRowId: string;
    order: OrderRecord;
    orderRowId: string;
    fulfilled: { order: OrderRecord; fulfillmentIndex: number };
    refunded: OrderRecord;
    webhookEventId: string;
    complianceRequestId: string;
    linkCodes: { valid: string; expired: string; used: string; expiredRowId: string; validHash: string };
    ticket: { id: string; subject: string; entryId: string; orderRowId: string };
    /** One of B's agents (a staff member of B). */
    agentId: string;
    /** B's own macro (B also has the starter set, like A). */
    macroId: string;
  };
  /** A customer of A only (not of A2), whose note syncs with A's Shopify; A's ticket. */
  a: { person: { id: string }; customer: CustomerRecord; ticketId: string; macroId: string };
  /** A customer of A2 only: a person of the workspace A and A2 share. */
  a2: { person: { id: string }; customer: CustomerRecord; order: OrderRecord; webhookEventIds: string[] };
  /** B's row ids: in no answer to A, in nothing A's requests store. */
  bRowIds: string[];
  /** B's identifying values (row ids, Shopify ids, emails, names, domain) found in none of A's data. */
  bValues: string[];
}

let fixture: Fixture;

const shopRow = async (domain: string, name: string): Promise<TenantShop> => {
  const shop = await db.shop.findUniqueOrThrow({ where: { domain } });
  return {
    domain,
    id: shop.id,
    workspaceId: shop.workspaceId,
    shopifyId: stack.emulator.shop(domain).record.id,
    name,
  };
};

const adminForm = async (shop: string, path: string, form: Record<string, string>) => {
  const response = await fetch(stack.adminRequest(shop, path, { method: "POST", body: new URLSearchParams(form) }));
  expect(response.status, `${shop} ${path} ${JSON.stringify(form)}`).toBe(200);
  return (await response.json()) as Record<string, unknown>;
};

async function buildFixture(): Promise<Fixture> {
  const [a, a2, b] = await Promise.all([
    shopRow(A, "Maple Goods EU"),
    shopRow(A2, "Maple Goods US"),
    shopRow(B, "North Trail Outfitters"),
  ]);

  // B's customer with orders, and its helpdesk customer.
  const bCustomers = stack.emulator.shop(B).customers();
  const bCustomer = bCustomers.find((customer) => customer.orderIds.length > 0 && customer.email)!;
  const bCustomerRow = await db.shopifyCustomer.findFirstOrThrow({
    where: { shopId: b.id, shopifyId: `gid://shopify/Customer/${bCustomer.id}` },
    include: { helpdeskCustomer: true },
  });
  const bOrders = stack.emulator.shop(B).orders();
  const bOrder = bOrders.find((order) => order.customerId === bCustomer.id)!;
  const bOrderRow = await db.shopifyOrder.findFirstOrThrow({
    where: { shopId: b.id, shopifyId: `gid://shopify/Order/${bOrder.id}` },
  });
  const fulfilled = bOrders.find((order) => order.fulfillments.some((fulfillment) => fulfillment.events.length > 0));
  const refunded = bOrders.find((order) => order.refunds.length > 0);
  if (!fulfilled || !refunded) throw new Error("The seed has no fulfilled order with events or refunded order in B");

  // B's link codes, created in B's settings as B's admin would; one left to expire, one used.
  const code = async () => String((await adminForm(B, "/app/settings", { intent: "create-link-code" })).code);
  const [valid, expired, used] = [await code(), await code(), await code()];
  const codeRows = await db.workspaceLinkCode.findMany({
    where: { workspaceId: b.workspaceId },
    orderBy: { createdAt: "asc" },
  });
  const [validRow, expiredRow, usedRow] = codeRows.slice(-3);
  await db.workspaceLinkCode.update({
    where: { id: expiredRow!.id },
    data: { expiresAt: new Date(Date.now() - 60_000) },
  });
  await db.workspaceLinkCode.update({ where: { id: usedRow!.id }, data: { usedAt: new Date(), usedByShopId: b.id } });

  const bEvent = await db.webhookEvent.findFirstOrThrow({ where: { shopDomain: B } });
  const bCompliance = await db.complianceRequest.findFirstOrThrow({ where: { shopDomain: B } });

  // A's own customer: in A only, so its note syncs with A's Shopify customer.
  const a2Emails = new Set(
    stack.emulator
      .shop(A2)
      .customers()
      .map((customer) => customer.email),
  );
  const aCustomer = stack.emulator
    .shop(A)
    .customers()
    .find((customer) => customer.email && !a2Emails.has(customer.email))!;
  const aRow = await db.shopifyCustomer.findFirstOrThrow({
    where: { shopId: a.id, shopifyId: `gid://shopify/Customer/${aCustomer.id}` },
  });

  const aEmails = new Set(
    stack.emulator
      .shop(A)
      .customers()
      .map((customer) => customer.email),
  );
  const a2Customer = stack.emulator
    .shop(A2)
    .customers()
    .find((customer) => customer.email && !aEmails.has(customer.email) && customer.orderIds.length > 0)!;
  const a2Row = await db.shopifyCustomer.findFirstOrThrow({
    where: { shopId: a2.id, shopifyId: `gid://shopify/Customer/${a2Customer.id}` },
  });
  const a2Order = stack.emulator
    .shop(A2)
    .orders()
    .find((order) => order.customerId === a2Customer.id)!;
  const a2Events = await db.webhookEvent.findMany({ where: { shopDomain: A2 }, select: { id: true } });

  // Tickets on both sides, and B's agents (B's staff user 2 opens the app too).
  const { createTicket } = await import("~/models/ticket.server");
  expect((await stack.install(B, { userId: "2" })).status).toBe(200);
  const bAgent = await db.agent.findFirstOrThrow({ where: { workspaceId: b.workspaceId, name: "Jonas Weber" } });
  const bTicket = await createTicket(b.workspaceId, {
    channel: "email",
    subject: "North Trail parcel never arrived",
    customerId: bCustomerRow.helpdeskCustomerId,
    tags: ["north-trail-only"],
    firstMessage: { body: "My tent order is lost, North Trail please help" },
  });
  const aTicket = await createTicket(a.workspaceId, {
    channel: "chat",
    subject: "Maple gift wrap question",
    customerId: aRow.helpdeskCustomerId,
    firstMessage: { body: "Can you gift wrap?" },
  });

  // B's own macro, besides the starter set its install gave it.
  const bMacro = await db.macro.create({
    data: {
      workspaceId: b.workspaceId,
      name: "North Trail tent warranty",
      language: "en",
      body: "North Trail tents: {{ shop.name }}",
    },
  });

  // Everything that identifies B, minus what A's own data also contains (the Maple shops share
  // nothing with North Trail in the seed, but a common name could repeat).
  const bPeople = await db.helpdeskCustomer.findMany({ where: { workspaceId: b.workspaceId } });
  const bRows = await Promise.all([
    db.shopifyCustomer.findMany({ where: { shopId: b.id }, select: { id: true } }),
    db.shopifyOrder.findMany({ where: { shopId: b.id }, select: { id: true } }),
    db.webhookEvent.findMany({ where: { shopDomain: B }, select: { id: true } }),
    db.complianceRequest.findMany({ where: { shopDomain: B }, select: { id: true } }),
    db.ticket.findMany({ where: { workspaceId: b.workspaceId }, select: { id: true } }),
    db.ticketEntry.findMany({ where: { workspaceId: b.workspaceId }, select: { id: true } }),
    db.agent.findMany({ where: { workspaceId: b.workspaceId }, select: { id: true } }),
    db.macro.findMany({ where: { workspaceId: b.workspaceId }, select: { id: true } }),
  ]);
  const bRowIds = [b.id, b.workspaceId, ...bPeople.map((person) => person.id), ...bRows.flat().map((row) => row.id)];
  const aText = JSON.stringify([
    stack.emulator.shop(A).customers(),
    stack.emulator.shop(A2).customers(),
    stack.emulator.shop(A).record,
    stack.emulator.shop(A2).record,
  ]);
  const bValues = [
    ...bRowIds,
    B,
    B.replace(".myshopify.com", ""),
    b.name,
    bTicket.subject,
    "north-trail-only",
    bMacro.name,
    stack.emulator.shop(B).record.email,
    ...bCustomers.flatMap((customer) => [
      customer.email ?? "",
      `gid://shopify/Customer/${customer.id}`,
      `${customer.firstName} ${customer.lastName}`,
    ]),
    ...bOrders.map((order) => `gid://shopify/Order/${order.id}`),
    ...bPeople.flatMap((person) => person.emails),
  ].filter((value) => value && !aText.includes(value));

  return {
    A: a,
    A2: a2,
    B: b,
    b: {
      person: { id: bCustomerRow.helpdeskCustomer!.id, noteVersion: bCustomerRow.helpdeskCustomer!.noteVersion },
      customer: bCustomer,
      customerRowId: bCustomerRow.id,
      order: bOrder,
      orderRowId: bOrderRow.id,
      fulfilled: {
        order: fulfilled,
        fulfillmentIndex: fulfilled.fulfillments.findIndex((fulfillment) => fulfillment.events.length > 0),
      },
      refunded,
      webhookEventId: bEvent.id,
      complianceRequestId: bCompliance.id,
      linkCodes: { valid, expired, used, expiredRowId: expiredRow!.id, validHash: validRow!.codeHash },
      ticket: {
        id: bTicket.id,
        subject: bTicket.subject,
        entryId: (await db.ticketEntry.findFirstOrThrow({ where: { ticketId: bTicket.id }, select: { id: true } })).id,
        orderRowId: bOrderRow.id,
      },
      agentId: bAgent.id,
      macroId: bMacro.id,
    },
    a: {
      person: { id: aRow.helpdeskCustomerId! },
      customer: aCustomer,
      ticketId: aTicket.id,
      // One of A's starter macros (the install gave A's workspace the set).
      macroId: (await db.macro.findFirstOrThrow({ where: { workspaceId: a.workspaceId }, select: { id: true } })).id,
    },
    a2: {
      person: { id: a2Row.helpdeskCustomerId! },
      customer: a2Customer,
      order: a2Order,
      webhookEventIds: a2Events.map((event) => event.id),
    },
    bRowIds,
    bValues: [...new Set(bValues)],
  };
}

beforeAll(async () => {
  stack = await startIntegrationStack({ seed: { ...SMALL_SEED, sharedCustomers: 3 } });
  for (const shop of [A, A2, B]) expect((await stack.install(shop)).status).toBe(200);
  await Promise.all([waitForBackfill(A), waitForBackfill(A2), waitForBackfill(B)]);

  // A2 joins A's workspace through the Settings page, as the merchant does.
  const { code } = await adminForm(A, "/app/settings", { intent: "create-link-code" });
  expect(await adminForm(A2, "/app/settings", { intent: "join-workspace", code: String(code) })).toMatchObject({
    ok: true,
  });

  // Some history in B and A2: a privacy request and webhook events.
  stack.emulator.sendCompliance(B, "customers/data_request", { customer: stack.emulator.shop(B).customers()[0]!.id });
  stack.emulator.setCustomerNote(B, stack.emulator.shop(B).customers()[1]!.id, "North Trail: prefers pickup");
  stack.emulator.setCustomerNote(A2, stack.emulator.shop(A2).customers()[1]!.id, "Maple US: gift wrap");
  stack.emulator.setCustomerNote(A, stack.emulator.shop(A).customers()[1]!.id, "Maple EU: leave at the door");
  await stack.emulator.waitForDeliveries();
  await waitUntilQuiet();

  fixture = await buildFixture();
}, 180_000);
afterAll(() => stack?.stop());

// ---- Probes ------------------------------------------------------------------------------------

type Scope = "A's shop" | "A2's shop" | "B's shop" | "A's workspace" | "B's workspace";

interface Answer {
  status: number;
  text: string;
  json: unknown;
}

interface Probe {
  /** What the probe tries, in words. */
  name: string;
  /** PUT and DELETE (the REST API) count as the route's action, like POST. */
  method: "GET" | "POST" | "PUT" | "DELETE";
  via: "admin" | "proxy" | "webhook" | "api";
  build(f: Fixture): Request;
  /** Statuses that pass: a refusal by default. */
  statuses: number[];
  /** Scopes the request may legitimately change (A's own data when it is answered); none by default. */
  mayChange: Scope[];
  /** Values this probe's answer must not contain, beyond B's. */
  forbid?(f: Fixture): string[];
  /** B's values this probe's answer may contain (what the request legitimately reveals). */
  allow?(f: Fixture): string[];
  /** State to compare against in `check`, read before the request. */
  prepare?(f: Fixture): Promise<unknown>;
  check?(answer: Answer, f: Fixture, prepared: unknown): Promise<void> | void;
  /** Changes a tenant for good when it is not refused (today's main): runs after every other probe. */
  last?: boolean;
}

type ProbeOptions = Partial<Omit<Probe, "name" | "method" | "via" | "build">>;

const REFUSED = [400, 403, 404];
/** A signature that no longer matches what was signed (or a shop the library cannot verify) is a 401. */
const BAD_SIGNATURE = [401, ...REFUSED];
/** Answered, from and for A's own data (which the request may change). */
const FOR_A: ProbeOptions = { statuses: [200], mayChange: ["A's shop", "A's workspace"] };

const probe = (
  name: string,
  method: Probe["method"],
  via: Probe["via"],
  build: Probe["build"],
  options: ProbeOptions,
): Probe => ({
  name,
  method,
  via,
  build,
  statuses: REFUSED,
  mayChange: [],
  ...options,
});

/** An admin request with A's session token (or A2's, for `as: A2`), as App Bridge sends it. */
function adminGet(name: string, path: (f: Fixture) => string, options: ProbeOptions & { as?: string } = {}): Probe {
  const { as = A, ...rest } = options;
  return probe(name, "GET", "admin", (f) => stack.adminRequest(as, path(f)), rest);
}

function adminPost(
  name: string,
  path: (f: Fixture) => string,
  form: (f: Fixture) => Record<string, string>,
  options: ProbeOptions & { as?: string } = {},
): Probe {
  const { as = A, ...rest } = options;
  return probe(
    name,
    "POST",
    "admin",
    (f) => stack.adminRequest(as, path(f), { method: "POST", body: new URLSearchParams(form(f)) }),
    rest,
  );
}

/** The query Shopify's App Proxy adds for a storefront request of `shop`, in its order. */
const proxyParams = (shop: string, customerId = ""): [string, string][] => [
  ["shop", shop],
  ["logged_in_customer_id", customerId],
  ["path_prefix", "/apps/shopdesk"],
  ["timestamp", String(Math.floor(Date.now() / 1000))],
];

type ProxyOptions = ProbeOptions & { tamper?: (url: URL, f: Fixture) => void };

/** The App Proxy's URL of a storefront request, signed over `params`; `tamper` edits it after signing. */
function signedProxyUrl(path: string, params: [string, string][], f: Fixture, tamper: ProxyOptions["tamper"]) {
  const url = new URL(path, stack.app.url);
  for (const [key, value] of params) url.searchParams.append(key, value);
  url.searchParams.set("signature", appProxySignature(url.searchParams, TEST_APP.apiSecret));
  tamper?.(url, f);
  return url;
}

/** A storefront request through the App Proxy (signedProxyUrl). */
function proxyGet(
  name: string,
  path: string,
  params: (f: Fixture) => [string, string][],
  options: ProxyOptions = {},
): Probe {
  const { tamper, ...rest } = options;
  return probe(name, "GET", "proxy", (f) => new Request(signedProxyUrl(path, params(f), f, tamper)), rest);
}

/** A storefront POST through the App Proxy (the portal API): signed like proxyGet, with a JSON body. */
function proxyPost(
  name: string,
  path: string,
  params: (f: Fixture) => [string, string][],
  body: (f: Fixture) => unknown,
  options: ProxyOptions = {},
): Probe {
  const { tamper, ...rest } = options;
  return probe(
    name,
    "POST",
    "proxy",
    (f) =>
      new Request(signedProxyUrl(path, params(f), f, tamper), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body(f)),
      }),
    rest,
  );
}

/** A delivery signed with the app secret and A's X-Shopify-Shop-Domain, carrying `payload`. */
function webhook(topic: string, name: string, payload: (f: Fixture) => unknown, options: ProbeOptions = {}): Probe {
  return probe(
    name,
    "POST",
    "webhook",
    (f) => {
      const body = JSON.stringify(payload(f));
      const headers = webhookHeaders({ topic, shop: A, body }, TEST_APP.apiSecret);
      return new Request(new URL(`/webhooks/${topic}`, stack.app.url), { method: "POST", body, headers });
    },
    options,
  );
}

const bShop = () => stack.emulator.shop(B).state;
const a2Shop = () => stack.emulator.shop(A2).state;
/** B's shop and host in the query, as if the admin around the app were B's. */
const asIfB = (f: Fixture) => `shop=${f.B.domain}&host=${adminHostParam(f.B.domain)}`;

const json = (answer: Answer) => answer.json as Record<string, unknown>;

async function rowsOfWorkspace(ids: string[], workspaceId: string) {
  return db.helpdeskCustomer.count({ where: { id: { in: ids }, workspaceId } });
}

// B's payload with A's header: the payload names B (shop_domain, shop_id, domain), the header A.
// Refused with 400 before anything is stored (the rule is being added in issue 6).
const NAMES_ANOTHER_SHOP = "names B's shop in the payload under A's header: 400, nothing stored";
// Topics whose payload does not name the shop: B's ids under A's header are applied to A's shop.
const B_IDS_FOR_A = "B's ids under A's header: applied to A's shop only, B untouched";

/** A merge in B's workspace (two of B's profiles), made once, before the probes that name it. */
let bMergeId = "00000000-0000-4000-8000-000000000000";
async function ensureBMerge(f: Fixture) {
  if (await db.customerMerge.count({ where: { id: bMergeId } })) return;
  const { mergeCustomers } = await import("~/models/customer-merge.server");
  const [kept, gone] = await Promise.all(
    ["North Trail walk-in", "North Trail walk-in (work)"].map((name, index) =>
      db.helpdeskCustomer.create({
        data: { workspaceId: f.B.workspaceId, name, emails: [`walk-in-${index}@north-trail.example`] },
      }),
    ),
  );
  const choices = { name: "survivor", note: "both", primaryEmail: null, primaryPhone: null } as const;
  bMergeId = (await mergeCustomers(f.B.workspaceId, { survivorId: kept!.id, mergedId: gone!.id, choices }, null))
    .mergeId;
}

/** Both workspaces' macros (the tenant digest does not hold them), ordered for comparing. */
const macrosOf = (workspaceIds: string[]) =>
  db.macro.findMany({ where: { workspaceId: { in: workspaceIds } }, orderBy: { id: "asc" } });
/** A macros probe that must change no macro of A's or B's. */
const KEEPS_MACROS: ProbeOptions = {
  prepare: (f) => macrosOf([f.A.workspaceId, f.B.workspaceId]),
  async check(_answer, f, prepared) {
    expect(await macrosOf([f.A.workspaceId, f.B.workspaceId]), "macros changed").toEqual(prepared);
  },
};
/** The settings form for a macro, with `fields` on top. */
const macroForm = (fields: Record<string, string>) => ({
  intent: "save",
  name: "Maple probe reply",
  language: "en",
  body: "Hi {{ ticket.customer.firstname }}",
  ...fields,
});

/** B's outgoing email settings (Settings → Email), made once: what A's email settings probes must not see or change. */
const B_MAIL = {
  host: "smtp.north-trail-mail.example",
  port: 2525,
  security: "starttls" as const,
  username: "north-trail-smtp-login",
  password: "north-trail-smtp-password",
  fromAddress: "desk@north-trail-mail.example",
  fromName: "North Trail Support Desk",
};
async function ensureBMail(f: Fixture) {
  const { saveMailSettings } = await import("~/models/mail-settings.server");
  if (!(await db.workspaceMailSettings.findUnique({ where: { workspaceId: f.B.workspaceId } }))) {
    expect((await saveMailSettings(f.B.workspaceId, B_MAIL)).ok).toBe(true);
  }
  return db.workspaceMailSettings.findUniqueOrThrow({ where: { workspaceId: f.B.workspaceId } });
}
/** An email settings probe: none of B's mail settings (or its password's ciphertext) in the answer, B's row unchanged. */
const KEEPS_B_MAIL: ProbeOptions = {
  prepare: ensureBMail,
  forbid: () => [B_MAIL.host, B_MAIL.username, B_MAIL.password, B_MAIL.fromAddress, B_MAIL.fromName],
  async check(answer, f, prepared) {
    const before = prepared as { passwordEncrypted: string };
    expect(answer.text).not.toContain(before.passwordEncrypted);
    expect(
      await db.workspaceMailSettings.findUniqueOrThrow({ where: { workspaceId: f.B.workspaceId } }),
      "B's email settings changed",
    ).toEqual(before);
  },
};

/** Settings → Self-service portal's form for `shopId` (the defaults, with `fields` on top). */
const portalForm = (shopId: string, fields: Record<string, string> = {}): Record<string, string> => ({
  intent: "save",
  shopId,
  trackEnabled: "true",
  returnEnabled: "true",
  returnWindowFrom: "delivered",
  returnWindowDays: "30",
  loopReturnsUrl: "",
  cancelEnabled: "true",
  cancelStatuses: "unfulfilled",
  reportIssueEnabled: "true",
  issueOptions: "",
  signInEmailCode: "true",
  signInSmsCode: "false",
  signInOrderNumber: "true",
  smsAccountSid: "",
  smsFrom: "",
  smsAuthToken: "",
  smsApiBaseUrl: "",
  ...fields,
});
/** B's portal settings with an SMS token, saved once: what A's portal settings probes must not see or change. */
const B_PORTAL = {
  signInSmsCode: "true",
  smsAccountSid: "ACnorthtrailportal0001",
  smsFrom: "+16045550142",
  smsAuthToken: "north-trail-sms-auth-token",
  loopReturnsUrl: "https://north-trail.loopreturns.com",
};
async function ensureBPortal(f: Fixture) {
  if (!(await db.portalSettings.findUnique({ where: { shopId: f.B.id } }))) {
    const { savePortalOptions } = await import("~/models/portal-settings.server");
    const { PortalSettingsFieldsSchema } = await import("~/domain/portal-settings");
    const fields = PortalSettingsFieldsSchema.parse(portalForm(f.B.id, B_PORTAL));
    expect((await savePortalOptions(f.B.id, fields)).ok).toBe(true);
  }
  return db.portalSettings.findUniqueOrThrow({ where: { shopId: f.B.id } });
}
/** A portal settings probe: none of B's portal settings (or its token's ciphertext) in the answer, B's row unchanged. */
const KEEPS_B_PORTAL: ProbeOptions = {
  prepare: ensureBPortal,
  forbid: () => [B_PORTAL.smsAccountSid, B_PORTAL.smsAuthToken, B_PORTAL.loopReturnsUrl],
  async check(answer, f, prepared) {
    expect(answer.text).not.toContain((prepared as { smsAuthTokenSealed: string }).smsAuthTokenSealed);
    expect(await db.portalSettings.findUnique({ where: { shopId: f.B.id } }), "B's portal settings changed").toEqual(
      prepared,
    );
  },
};

/**
 * Portal sign-ins for the portal's order probes, made once: a shopper of A (a customer with an
 * order of A's) and one of B (B's customer). The probes' `prepare` makes them; `build` reads them.
 */
let orderShoppers: { aToken: string; aOrderId: string; bToken: string } | null = null;
async function ensureOrderShoppers(f: Fixture) {
  if (orderShoppers) return orderShoppers;
  const { openPortalSession } = await import("~/services/portal/portal-auth.server");
  const aOrder = await db.shopifyOrder.findFirstOrThrow({
    where: { shopId: f.A.id, shopifyCustomerId: { not: null }, deletedAt: null },
    orderBy: { shopifyCreatedAt: "desc" },
  });
  const a = await openPortalSession(f.A.id, { method: "store_login", shopifyCustomerId: aOrder.shopifyCustomerId });
  const b = await openPortalSession(f.B.id, {
    method: "store_login",
    shopifyCustomerId: `gid://shopify/Customer/${f.b.customer.id}`,
    email: f.b.customer.email,
  });
  orderShoppers = { aToken: a.token, aOrderId: aOrder.id, bToken: b.token };
  return orderShoppers;
}
const shoppers = () => orderShoppers!;
/** Answered for A's shopper: only A's orders in it. */
const A_ORDERS_ONLY: ProbeOptions = {
  ...FOR_A,
  prepare: ensureOrderShoppers,
  async check(answer, f) {
    const body = json(answer) as { orders?: { id: string }[]; order?: { id: string } };
    const ids = body.orders?.map((order) => order.id) ?? (body.order ? [body.order.id] : []);
    expect(ids.length).toBeGreaterThan(0);
    expect(await db.shopifyOrder.count({ where: { id: { in: ids }, shopId: f.A.id } })).toBe(ids.length);
  },
};
/** Refused before anything of A's or B's is read (no session of B's shop works under A's signature). */
const SIGN_IN_AGAIN: ProbeOptions = { statuses: [401], prepare: ensureOrderShoppers };
const NOT_FOUND: ProbeOptions = { statuses: [404], prepare: ensureOrderShoppers };

/** B's business hours, which no answer to A may show: a zone and a holiday name of B's only. */
const B_HOURS = { timezone: "Pacific/Chatham", holiday: "North Trail Founders Day" };
async function ensureBHours(f: Fixture) {
  const { saveBusinessHours } = await import("~/models/business-hours.server");
  await saveBusinessHours(f.B.workspaceId, {
    enabled: true,
    timezone: B_HOURS.timezone,
    weekly: [{ day: 3, opens: "07:15", closes: "08:45" }],
    holidays: [{ date: "2030-06-14", name: B_HOURS.holiday }],
  });
  return db.businessHours.findUniqueOrThrow({ where: { workspaceId: f.B.workspaceId } });
}
/** None of B's hours in the answer. */
const KEEPS_B_HOURS: ProbeOptions = {
  prepare: ensureBHours,
  forbid: () => [B_HOURS.timezone, B_HOURS.holiday, "07:15"],
};

// ---- The REST API (/api): A's key with B's ids ----------------------------------------------------

/** Keys of A and B made in Settings → API keys, and B's integration and widget, made once. */
let apiWorld: { keyA: string; userA: string; bIntegrationId: number; bWidgetId: number; bKeyId: string } | null = null;
const B_INTEGRATION_NAME = "North Trail Returns Desk";
async function ensureApi(f: Fixture) {
  if (apiWorld) return apiWorld;
  const a = (await adminForm(A, "/app/settings/api", { intent: "create", name: "Maple probe key" })) as {
    created: { key: string; username: string };
  };
  await adminForm(B, "/app/settings/api", { intent: "create", name: "North Trail key" });
  const { createIntegration } = await import("~/models/integration.server");
  const { createWidget } = await import("~/models/widget.server");
  const { IntegrationCreateSchema, WidgetCreateSchema } = await import("~/domain/api-resources");
  const integration = await createIntegration(
    f.B.workspaceId,
    IntegrationCreateSchema.parse({
      name: B_INTEGRATION_NAME,
      type: "http",
      http: {
        url: "https://north-trail.example/returns?email={{ticket.customer.email}}",
        headers: { "X-Key": "north-trail-secret" },
      },
    }),
    null,
  );
  const widget = await createWidget(
    f.B.workspaceId,
    WidgetCreateSchema.parse({
      type: "http",
      integration_id: integration.id,
      template: { type: "wrapper", widgets: [{ type: "card", title: "North Trail card", path: "" }] },
    }),
  );
  const bKey = await db.apiKey.findFirstOrThrow({ where: { workspaceId: f.B.workspaceId, name: "North Trail key" } });
  apiWorld = {
    keyA: a.created.key,
    userA: a.created.username,
    bIntegrationId: integration.id,
    bWidgetId: widget.id,
    bKeyId: bKey.id,
  };
  return apiWorld;
}
const api = () => apiWorld!;

/** A REST API request with A's key (basic auth), JSON body when given. */
function apiCall(
  name: string,
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: (f: Fixture) => string,
  body: ((f: Fixture) => unknown) | null,
  options: ProbeOptions = {},
): Probe {
  return probe(
    name,
    method,
    "api",
    (f) =>
      new Request(new URL(path(f), stack.app.url), {
        method,
        headers: {
          "content-type": "application/json",
          authorization: `Basic ${Buffer.from(`${api().userA}:${api().keyA}`).toString("base64")}`,
        },
        body: body ? JSON.stringify(body(f)) : undefined,
      }),
    options,
  );
}

/** An API probe: B's integration and widget unseen (name, headers) and unchanged. */
const KEEPS_B_API: ProbeOptions = {
  prepare: async (f) => {
    await ensureApi(f);
    return {
      integration: await db.integration.findUniqueOrThrow({ where: { id: api().bIntegrationId } }),
      widget: await db.widget.findUniqueOrThrow({ where: { id: api().bWidgetId } }),
    };
  },
  forbid: () => [B_INTEGRATION_NAME, "north-trail-secret", "North Trail card", "north-trail.example"],
  async check(_answer, _f, prepared) {
    const before = prepared as { integration: unknown; widget: unknown };
    expect(await db.integration.findUnique({ where: { id: api().bIntegrationId } })).toEqual(before.integration);
    expect(await db.widget.findUnique({ where: { id: api().bWidgetId } })).toEqual(before.widget);
  },
};
const API_NOT_FOUND: ProbeOptions = { ...KEEPS_B_API, statuses: [404] };

/** A call in B's integration's delivery log (Settings → Integrations), made once. */
let bDeliveryId: string | null = null;
const KEEPS_B_INTEGRATION_LOG: ProbeOptions = {
  ...KEEPS_B_API,
  async prepare(f) {
    const prepared = await KEEPS_B_API.prepare!(f);
    bDeliveryId ??= (
      await db.integrationDelivery.create({
        data: {
          workspaceId: f.B.workspaceId,
          integrationId: api().bIntegrationId,
          trigger: "ticket-created",
          idempotencyKey: "north-trail-delivery",
          status: "gave_up",
          requestMethod: "GET",
          requestUrl: "https://north-trail.example/returns?email=b%40north-trail.example",
          responseExcerpt: "North Trail response",
        },
      })
    ).id;
    return {
      ...(prepared as object),
      deliveries: await db.integrationDelivery.count({ where: { workspaceId: f.B.workspaceId } }),
    };
  },
  forbid: (f) => [
    ...KEEPS_B_API.forbid!(f),
    "North Trail response",
    "north-trail-delivery",
    ...(bDeliveryId ? [bDeliveryId] : []),
  ],
  async check(answer, f, prepared) {
    await KEEPS_B_API.check!(answer, f, prepared);
    const before = prepared as { deliveries: number };
    expect(await db.integrationDelivery.count({ where: { workspaceId: f.B.workspaceId } })).toBe(before.deliveries);
    expect(
      (await db.workspace.findUniqueOrThrow({ where: { id: f.B.workspaceId } })).integrationsAllowPrivateNetwork,
    ).toBe(false);
  },
};

/** B's ticket's number: numbers are per workspace, so A's key reads A's ticket of that number (if any), never B's. */
let bTicketNumber = 0;
const B_TICKET_NUMBER: ProbeOptions = {
  ...KEEPS_B_API,
  statuses: [200, 404],
  async prepare(f) {
    bTicketNumber = (await db.ticket.findUniqueOrThrow({ where: { id: f.b.ticket.id } })).number;
    return KEEPS_B_API.prepare!(f);
  },
  forbid: (f) => [...KEEPS_B_API.forbid!(f), f.b.ticket.id, f.b.ticket.entryId],
};

/** One of B's events (the triggers wrote one when B's ticket opened). */
let bEventId = 0n;

/** B's quick answer, whose words no answer to A may show (decision 026), made once. */
const B_QUICK_ANSWER_QUESTION = "North Trail: do tent pegs come with the tent?";
let bQuickAnswer: { id: string; aId: string; bVisitorToken: string } | null = null;
async function ensureQuickAnswers(f: Fixture) {
  if (bQuickAnswer) return bQuickAnswer;
  const { createQuickAnswer } = await import("~/models/quick-answer.server");
  const { issueChatToken } = await import("~/services/chat/chat-token.server");
  const t = (question: string) => ({
    question,
    answer: `${question} Yes.`,
    links: [],
  });
  const b = await createQuickAnswer(f.B.workspaceId, {
    content: { en: t(B_QUICK_ANSWER_QUESTION) },
  });
  const a = await createQuickAnswer(f.A.workspaceId, {
    content: { en: t("Maple: do you gift wrap?") },
  });
  const bVisitor = await db.chatVisitor.create({
    data: { shopId: f.B.id, workspaceId: f.B.workspaceId },
  });
  await ensureOrderShoppers(f);
  bQuickAnswer = {
    id: b.id,
    aId: a.id,
    bVisitorToken: issueChatToken(bVisitor, TEST_APP.apiSecret).token,
  };
  return bQuickAnswer;
}
const quickAnswers = () => bQuickAnswer!;
/** None of B's quick answer's words in the answer. */
const KEEPS_B_QUICK_ANSWER: ProbeOptions = {
  prepare: ensureQuickAnswers,
  forbid: () => [B_QUICK_ANSWER_QUESTION, quickAnswers().id],
};

/** B's chat: an image a shopper sent and a visitor on B's store now, made once (decision 026). */
const B_CHAT_PAGES = {
  filename: "north-trail-tent-photo.png",
  bytes: "NORTH-TRAIL-IMAGE-BYTES",
  visitorEmail: "north-trail-visitor@example.com",
  pageTitle: "North Trail Summit Tent",
};
let bPageAttachmentId: string | null = null;
const KEEPS_B_CHAT_PAGES: ProbeOptions = {
  async prepare(f) {
    bPageAttachmentId ??= (
      await db.ticketAttachment.create({
        data: {
          entryId: f.b.ticket.entryId,
          workspaceId: f.B.workspaceId,
          filename: B_CHAT_PAGES.filename,
          contentType: "image/png",
          size: B_CHAT_PAGES.bytes.length,
          sha256: "0".repeat(64),
          content: new TextEncoder().encode(B_CHAT_PAGES.bytes),
        },
      })
    ).id;
    if (!(await db.chatVisitor.count({ where: { workspaceId: f.B.workspaceId } }))) {
      await db.chatVisitor.create({
        data: {
          shopId: f.B.id,
          workspaceId: f.B.workspaceId,
          email: B_CHAT_PAGES.visitorEmail,
          ticketId: f.b.ticket.id,
          lastPageTitle: B_CHAT_PAGES.pageTitle,
          lastPageUrl: "https://north-trail.myshopify.com/products/summit-tent",
        },
      });
    }
    // Seen now, every time: the visitor is "on the store now" whenever a probe runs.
    await db.chatVisitor.updateMany({ where: { workspaceId: f.B.workspaceId }, data: { lastSeenAt: new Date() } });
  },
  forbid: () => [B_CHAT_PAGES.filename, B_CHAT_PAGES.bytes, B_CHAT_PAGES.visitorEmail, B_CHAT_PAGES.pageTitle],
};

// ---- The storefront chat (/chat/*, decision 026): A's visitor's token with B's ids -------------

/** A's chat visitor (no chat yet) and B's visitor with a chat and an image, made once. */
let chatWorld: {
  aToken: string;
  forgedBToken: string;
  bVisitorId: string;
  bTicketId: string;
  bClientId: string;
  bMessageId: string;
  bAttachmentId: string;
  bSeq: string;
} | null = null;
const CHAT_PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("probe")]);
async function ensureChat(f: Fixture) {
  if (chatWorld) return chatWorld;
  const { mkdtemp } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  process.env.ATTACHMENTS_DIR = await mkdtemp(`${tmpdir()}/shopdesk-cross-tenant-`);
  const { issueChatToken } = await import("~/services/chat/chat-token.server");
  const { postChatMessage } = await import("~/services/chat/chat.server");
  const { attachmentStore, newStorageKey } = await import("~/services/storage/attachment-store.server");
  const aVisitor = await db.chatVisitor.create({ data: { shopId: f.A.id, workspaceId: f.A.workspaceId } });
  const bVisitor = await db.chatVisitor.create({ data: { shopId: f.B.id, workspaceId: f.B.workspaceId } });
  const storageKey = newStorageKey();
  await attachmentStore().put(storageKey, CHAT_PNG, "image/png");
  const sent = await postChatMessage(
    { ...bVisitor, portalSessionId: null },
    { body: "North Trail chat probe", clientId: "north-trail-chat-1", email: "chat.b@north-trail.example" },
    [{ filename: "north-trail.png", contentType: "image/png", size: CHAT_PNG.length, sha256: "x", storageKey }],
  );
  if (!sent.ok) throw new Error(sent.error);
  chatWorld = {
    aToken: issueChatToken(aVisitor, TEST_APP.apiSecret).token,
    forgedBToken: issueChatToken(bVisitor, "not-the-app-secret").token,
    bVisitorId: bVisitor.id,
    bTicketId: sent.chat.ticketId,
    bClientId: "north-trail-chat-1",
    bMessageId: sent.message.id,
    bAttachmentId: sent.message.attachments[0]!.id,
    bSeq: sent.message.seq,
  };
  return chatWorld;
}
const chatW = () => chatWorld!;
let bChatTokenForProxy = "";
/** B's chat in no answer to A. */
const KEEPS_B_CHAT: ProbeOptions = {
  prepare: ensureChat,
  forbid: () => [
    chatW().bVisitorId,
    chatW().bTicketId,
    chatW().bMessageId,
    chatW().bAttachmentId,
    "North Trail chat probe",
  ],
};
const CHAT_REFUSED = [400, 401, 404, 405];

/** A request to /chat/* with A's visitor's token (or `token`). */
function chatCall(
  name: string,
  method: "GET" | "POST",
  path: (f: Fixture) => string,
  body: ((f: Fixture) => unknown) | null,
  options: ProbeOptions & { token?: () => string } = {},
): Probe {
  const { token = () => chatW().aToken, ...rest } = options;
  return probe(
    name,
    method,
    "api",
    (f) =>
      new Request(new URL(path(f), stack.app.url), {
        method,
        headers: { authorization: `Bearer ${token()}`, "content-type": "application/json" },
        body: body ? JSON.stringify(body(f)) : undefined,
      }),
    { ...KEEPS_B_CHAT, statuses: CHAT_REFUSED, ...rest },
  );
}
/** Answered for A's visitor (its presence, rate counts, its own new chat). */
const CHAT_FOR_A = (statuses: number[]): ProbeOptions => ({
  ...KEEPS_B_CHAT,
  statuses,
  mayChange: ["A's shop", "A's workspace"],
});

/** One entry per file in app/routes. */
const ROUTES: { file: string; probes: Probe[] }[] = [
  {
    file: "api.integrations.tsx",
    probes: [
      apiCall("A's key lists integrations: A's only", "GET", () => "/api/integrations?limit=100", null, {
        ...KEEPS_B_API,
        statuses: [200],
      }),
      apiCall(
        "A's key creates an integration naming B's workspace in the body: made in A",
        "POST",
        () => "/api/integrations",
        (f) => ({
          name: "Maple probe integration",
          type: "http",
          workspaceId: f.B.workspaceId,
          http: { url: "https://maple.example/x" },
        }),
        {
          ...KEEPS_B_API,
          statuses: [201],
          mayChange: ["A's workspace"],
          async check(answer, f, prepared) {
            await KEEPS_B_API.check!(answer, f, prepared);
            const id = (answer.json as { id: number }).id;
            expect((await db.integration.findUniqueOrThrow({ where: { id } })).workspaceId).toBe(f.A.workspaceId);
          },
        },
      ),
    ],
  },
  {
    file: "api.integrations.$integrationId.tsx",
    probes: [
      apiCall(
        "A's key reads B's integration",
        "GET",
        () => `/api/integrations/${api().bIntegrationId}/`,
        null,
        API_NOT_FOUND,
      ),
      apiCall(
        "A's key updates B's integration",
        "PUT",
        () => `/api/integrations/${api().bIntegrationId}/`,
        () => ({ name: "Taken by Maple" }),
        API_NOT_FOUND,
      ),
      apiCall(
        "A's key deletes B's integration",
        "DELETE",
        () => `/api/integrations/${api().bIntegrationId}/`,
        null,
        API_NOT_FOUND,
      ),
    ],
  },
  {
    file: "api.widgets.tsx",
    probes: [
      apiCall(
        "A's key lists widgets filtered by B's integration: none",
        "GET",
        () => `/api/widgets?integration_id=${api().bIntegrationId}`,
        null,
        {
          ...KEEPS_B_API,
          statuses: [200],
          check: async (answer, f, prepared) => {
            await KEEPS_B_API.check!(answer, f, prepared);
            expect((answer.json as { data: unknown[] }).data).toEqual([]);
          },
        },
      ),
      apiCall(
        "A's key creates a widget on B's integration",
        "POST",
        () => "/api/widgets",
        () => ({ type: "http", integration_id: api().bIntegrationId, template: { type: "wrapper" } }),
        { ...KEEPS_B_API, statuses: [400] },
      ),
    ],
  },
  {
    file: "api.widgets.$widgetId.tsx",
    probes: [
      apiCall("A's key reads B's widget", "GET", () => `/api/widgets/${api().bWidgetId}/`, null, API_NOT_FOUND),
      apiCall(
        "A's key updates B's widget",
        "PUT",
        () => `/api/widgets/${api().bWidgetId}/`,
        () => ({ order: 7 }),
        API_NOT_FOUND,
      ),
      apiCall("A's key deletes B's widget", "DELETE", () => `/api/widgets/${api().bWidgetId}/`, null, API_NOT_FOUND),
    ],
  },
  {
    file: "api.tickets.tsx",
    probes: [
      apiCall(
        "A's key lists tickets filtered by B's customer: none",
        "GET",
        (f) => `/api/tickets?customer_id=${f.b.person.id}`,
        null,
        {
          ...KEEPS_B_API,
          statuses: [200],
          check: (answer) => expect((answer.json as { data: unknown[] }).data).toEqual([]),
        },
      ),
      apiCall(
        "A's key opens a ticket for B's customer's email: a ticket and person of A's, B's person untouched",
        "POST",
        () => "/api/tickets",
        (f) => ({
          customer: { email: f.b.customer.email },
          subject: "Maple API probe",
          messages: [{ body_text: "Probe" }],
        }),
        {
          ...KEEPS_B_API,
          statuses: [201],
          mayChange: ["A's workspace"],
          // A now has a person with B's customer's email, which A's own pages then rightly show.
          last: true,
          async check(answer, f, prepared) {
            await KEEPS_B_API.check!(answer, f, prepared);
            const number = (answer.json as { id: number }).id;
            const ticket = await db.ticket.findUniqueOrThrow({
              where: { workspaceId_number: { workspaceId: f.A.workspaceId, number } },
              include: { customer: true },
            });
            expect(ticket.customer?.workspaceId).toBe(f.A.workspaceId);
            expect(ticket.customerId).not.toBe(f.b.person.id);
          },
        },
      ),
    ],
  },
  {
    file: "api.tickets.$ticketId.tsx",
    probes: [
      apiCall(
        "A's key asks for B's ticket's number: A's own ticket of that number, or none",
        "GET",
        () => `/api/tickets/${bTicketNumber}/`,
        null,
        B_TICKET_NUMBER,
      ),
      apiCall(
        "A's key changes B's ticket's number: A's own ticket of that number, or none",
        "PUT",
        () => `/api/tickets/${bTicketNumber}/`,
        () => ({ subject: "Maple API probe", tags: [{ name: "maple-probe" }], status: "closed" }),
        { ...B_TICKET_NUMBER, mayChange: ["A's workspace"] },
      ),
    ],
  },
  {
    file: "api.tickets.$ticketId.messages.tsx",
    probes: [
      apiCall(
        "A's key asks for the messages of B's ticket's number: A's own ticket's, or none",
        "GET",
        () => `/api/tickets/${bTicketNumber}/messages`,
        null,
        B_TICKET_NUMBER,
      ),
      apiCall(
        "A's key writes on B's ticket's number: on A's own ticket of that number, or none",
        "POST",
        () => `/api/tickets/${bTicketNumber}/messages`,
        () => ({ body_text: "Maple API probe message" }),
        { ...B_TICKET_NUMBER, statuses: [201, 404], mayChange: ["A's workspace"] },
      ),
    ],
  },
  {
    file: "api.customers.tsx",
    probes: [
      apiCall(
        "A's key lists customers filtered by B's customer's email: none of B's",
        "GET",
        (f) => `/api/customers?limit=100&email=${encodeURIComponent(f.b.customer.email ?? "")}`,
        null,
        {
          ...KEEPS_B_API,
          statuses: [200],
          forbid: (f) => [...KEEPS_B_API.forbid!(f), f.b.person.id],
        },
      ),
      apiCall(
        "A's key adds a customer with B's customer's email: a person of A's, B's untouched",
        "POST",
        () => "/api/customers",
        (f) => ({ email: f.b.customer.email, name: "Maple API probe", workspaceId: f.B.workspaceId }),
        {
          ...KEEPS_B_API,
          statuses: [201, 400],
          mayChange: ["A's workspace"],
          // A may then have a person with B's customer's email, which A's own pages rightly show.
          last: true,
          forbid: (f) => [...KEEPS_B_API.forbid!(f), f.b.person.id],
          async check(answer, f, prepared) {
            await KEEPS_B_API.check!(answer, f, prepared);
            if (answer.status !== 201) return;
            const id = (answer.json as { id: string }).id;
            expect((await db.helpdeskCustomer.findUniqueOrThrow({ where: { id } })).workspaceId).toBe(f.A.workspaceId);
          },
        },
      ),
    ],
  },
  {
    file: "api.customers.$customerId.tsx",
    probes: [
      apiCall("A's key reads B's customer", "GET", (f) => `/api/customers/${f.b.person.id}/`, null, API_NOT_FOUND),
      apiCall(
        "A's key renames B's customer and takes their email",
        "PUT",
        (f) => `/api/customers/${f.b.person.id}/`,
        () => ({ name: "Taken by Maple", email: "maple-probe@maple.example" }),
        API_NOT_FOUND,
      ),
    ],
  },
  {
    file: "api.events.tsx",
    probes: [
      apiCall(
        "A's key filters the events feed by B's ticket's number: A's events only",
        "GET",
        () => `/api/events?limit=100&object_type=Ticket&object_id=${bTicketNumber}`,
        null,
        {
          ...B_TICKET_NUMBER,
          statuses: [200],
          async check(answer, f, prepared) {
            await KEEPS_B_API.check!(answer, f, prepared);
            const ids = (answer.json as { data: { id: number }[] }).data.map((event) => BigInt(event.id));
            expect(await db.apiEvent.count({ where: { id: { in: ids }, workspaceId: { not: f.A.workspaceId } } })).toBe(
              0,
            );
          },
        },
      ),
      apiCall(
        "A's key posts to the events feed: refused",
        "POST",
        () => "/api/events",
        () => ({}),
        {
          ...KEEPS_B_API,
          statuses: [405],
        },
      ),
    ],
  },
  {
    file: "api.events.$eventId.tsx",
    probes: [
      apiCall("A's key reads B's event", "GET", () => `/api/events/${bEventId}/`, null, {
        ...API_NOT_FOUND,
        async prepare(f) {
          bEventId = (await db.apiEvent.findFirstOrThrow({ where: { workspaceId: f.B.workspaceId } })).id;
          return KEEPS_B_API.prepare!(f);
        },
      }),
      apiCall("A's key deletes B's event: refused", "DELETE", () => `/api/events/${bEventId}/`, null, {
        ...KEEPS_B_API,
        statuses: [405],
      }),
    ],
  },
  {
    file: "api.openapi[.]json.tsx",
    probes: [
      apiCall(
        "A's key reads the OpenAPI document: shapes only, nobody's data",
        "GET",
        () => "/api/openapi.json",
        null,
        {
          ...KEEPS_B_API,
          statuses: [200],
        },
      ),
    ],
  },
  {
    file: "app.settings.integrations.tsx",
    probes: [
      adminGet(
        "B's integration and delivery opened in Settings → Integrations: A's integrations only",
        (f) => `/app/settings/integrations?integration=${api().bIntegrationId}&delivery=${bDeliveryId}&${asIfB(f)}`,
        { ...KEEPS_B_INTEGRATION_LOG, ...FOR_A, mayChange: [] },
      ),
      adminPost(
        "replay B's delivery",
        (f) => `/app/settings/integrations?${asIfB(f)}`,
        () => ({ intent: "replay", deliveryId: bDeliveryId! }),
        { ...KEEPS_B_INTEGRATION_LOG, statuses: [404] },
      ),
      adminPost(
        "resume B's integration",
        (f) => `/app/settings/integrations?${asIfB(f)}`,
        () => ({ intent: "resume", integrationId: String(api().bIntegrationId) }),
        { ...KEEPS_B_INTEGRATION_LOG, statuses: [404] },
      ),
      adminPost(
        "B's integration's signing secret",
        (f) => `/app/settings/integrations?${asIfB(f)}`,
        () => ({ intent: "signing-secret", integrationId: String(api().bIntegrationId) }),
        { ...KEEPS_B_INTEGRATION_LOG, statuses: [404] },
      ),
      adminPost(
        "private network switch with B's shop in the query: A's workspace only",
        (f) => `/app/settings/integrations?${asIfB(f)}`,
        () => ({ intent: "private-network", enabled: "false" }),
        { ...KEEPS_B_INTEGRATION_LOG, ...FOR_A },
      ),
    ],
  },
  {
    file: "app.settings.api.tsx",
    probes: [
      adminGet("API keys with B's shop in the query: A's keys only", (f) => `/app/settings/api?${asIfB(f)}`, {
        ...KEEPS_B_API,
        ...FOR_A,
        mayChange: [],
        forbid: () => ["North Trail key"],
      }),
      adminPost(
        "revoke B's key",
        (f) => `/app/settings/api?${asIfB(f)}`,
        () => ({ intent: "revoke", id: api().bKeyId }),
        {
          ...KEEPS_B_API,
          statuses: [404],
          check: async () => {
            expect((await db.apiKey.findUniqueOrThrow({ where: { id: api().bKeyId } })).revokedAt).toBeNull();
          },
        },
      ),
    ],
  },
  {
    file: "app.settings.widgets._index.tsx",
    probes: [
      adminGet(
        "sidebar widgets with B's shop in the query: A's widgets only",
        (f) => `/app/settings/widgets?${asIfB(f)}`,
        {
          ...KEEPS_B_API,
          ...FOR_A,
          mayChange: [],
        },
      ),
    ],
  },
  {
    file: "app.settings.widgets.$widgetId.tsx",
    probes: [
      adminGet("B's widget's template editor", () => `/app/settings/widgets/${api().bWidgetId}`, KEEPS_B_API),
      adminPost(
        "a preview over B's widget's stored answers",
        () => `/app/settings/widgets/${api().bWidgetId}`,
        () => ({ intent: "preview", template: '{"type":"card","widgets":[{"type":"text","path":"status"}]}' }),
        KEEPS_B_API,
      ),
      adminPost(
        "saving B's widget's template",
        () => `/app/settings/widgets/${api().bWidgetId}`,
        () => ({ intent: "save", template: '{"type":"card","title":"Maple was here"}' }),
        KEEPS_B_API,
      ),
    ],
  },
  {
    file: "_index.tsx",
    probes: [
      adminGet("B's shop and host in the query: a redirect into the app, with no data", (f) => `/?${asIfB(f)}`, {
        statuses: [302],
      }),
    ],
  },
  {
    file: "app.tsx",
    probes: [adminGet("B's shop and host in the query", (f) => `/app?${asIfB(f)}`, { ...FOR_A, mayChange: [] })],
  },
  {
    file: "auth.$.tsx",
    probes: [
      adminGet(
        "session-token bounce for B's shop, reloading B's customer",
        (f) =>
          `/auth/session-token?${asIfB(f)}&shopify-reload=${encodeURIComponent(`/app/customers/${f.b.person.id}`)}`,
        { statuses: [200] },
      ),
    ],
  },
  {
    file: "auth.login.tsx",
    probes: [
      // The login page sends whoever names a store to that store's admin, where Shopify decides.
      adminGet("login for B's shop", (f) => `/auth/login?${asIfB(f)}`, { statuses: [200, 302] }),
      adminPost(
        "login form naming B's shop",
        () => "/auth/login",
        (f) => ({ shop: f.B.domain }),
        {
          statuses: [302],
        },
      ),
    ],
  },
  {
    file: "app.$.tsx",
    probes: [
      adminGet("an unknown app page naming B's customer", (f) => `/app/unknown/${f.b.person.id}?${asIfB(f)}`, {
        statuses: [404],
      }),
    ],
  },
  {
    file: "app._index.tsx",
    probes: [
      adminGet("home page with B's shop and host in the query", (f) => `/app?index&${asIfB(f)}`, {
        ...FOR_A,
        mayChange: [],
        async check(answer, f) {
          const body = json(answer) as {
            shop: { myshopifyDomain: string };
            overview: { workspace: { shops: { domain: string }[] }; held: { webhookEvents: number } };
          };
          expect(body.shop.myshopifyDomain).toBe(f.A.domain);
          expect(body.overview.workspace.shops.map((shop) => shop.domain).sort()).toEqual(
            [f.A2.domain, f.A.domain].sort(),
          );
          expect(body.overview.held.webhookEvents).toBe(
            await db.webhookEvent.count({ where: { shopDomain: f.A.domain } }),
          );
        },
      }),
      adminPost(
        "check-now with B's shop in the query and B's shop id and domain in the form",
        (f) => `/app?index&${asIfB(f)}`,
        (f) => ({ intent: "check-now", shop: f.B.domain, shopDomain: f.B.domain, shopId: f.B.id }),
        FOR_A,
      ),
      adminPost(
        "retry-import with B's shop id and domain in the form",
        (f) => `/app?index&${asIfB(f)}`,
        (f) => ({ intent: "retry-import", shop: f.B.domain, shopDomain: f.B.domain, shopId: f.B.id }),
        FOR_A,
      ),
    ],
  },
  {
    file: "app.activity.tsx",
    probes: [
      adminGet(
        "activity with B's shop and B's webhook event and privacy request ids in the query",
        (f) =>
          `/app/activity?${asIfB(f)}&id=${f.b.webhookEventId}&eventId=${f.b.webhookEventId}&requestId=${f.b.complianceRequestId}`,
        {
          ...FOR_A,
          mayChange: [],
          // A2 shares A's workspace, but webhook events are a shop's own.
          forbid: (f) => f.a2.webhookEventIds,
          async check(answer, f) {
            const body = json(answer) as { events: { id: string }[]; privacy: { id: string }[] };
            const own = new Set(
              (await db.webhookEvent.findMany({ where: { shopDomain: f.A.domain }, select: { id: true } })).map(
                (event) => event.id,
              ),
            );
            expect(body.events.length).toBeGreaterThan(0);
            expect(body.events.filter((event) => !own.has(event.id))).toEqual([]);
            expect(
              await db.complianceRequest.count({
                where: { id: { in: body.privacy.map((p) => p.id) }, shopDomain: { not: f.A.domain } },
              }),
            ).toBe(0);
          },
        },
      ),
      adminPost(
        "a form post naming B's webhook event (the page has no action)",
        () => "/app/activity",
        (f) => ({ intent: "retry", eventId: f.b.webhookEventId, id: f.b.webhookEventId }),
        { statuses: [...REFUSED, 405] },
      ),
    ],
  },
  {
    file: "app.customers._index.tsx",
    probes: [
      adminGet(
        "search for B's customer's email",
        (f) => `/app/customers?q=${encodeURIComponent(f.b.customer.email!)}`,
        {
          ...FOR_A,
          mayChange: [],
          check: (answer) => expect((json(answer) as { customers: unknown[] }).customers).toEqual([]),
        },
      ),
      adminGet(
        "search for B's customer's name, with B's shop and workspace in the query",
        (f) =>
          `/app/customers?${asIfB(f)}&workspaceId=${f.B.workspaceId}&q=${encodeURIComponent(`${f.b.customer.lastName}`)}`,
        {
          ...FOR_A,
          mayChange: [],
          async check(answer, f) {
            const ids = (json(answer) as { customers: { id: string }[] }).customers.map((customer) => customer.id);
            expect(await rowsOfWorkspace(ids, f.A.workspaceId)).toBe(ids.length);
          },
        },
      ),
      adminGet(
        "a page link continuing from B's customer",
        (f) =>
          `/app/customers?after=${Buffer.from(JSON.stringify({ at: "2999-01-01T00:00:00.000Z", id: f.b.person.id })).toString("base64url")}`,
        {
          ...FOR_A,
          mayChange: [],
          async check(answer, f) {
            const ids = (json(answer) as { customers: { id: string }[] }).customers.map((customer) => customer.id);
            expect(ids.length).toBeGreaterThan(0);
            expect(await rowsOfWorkspace(ids, f.A.workspaceId)).toBe(ids.length);
          },
        },
      ),
      adminGet(
        "the list with B's workspace id in the query",
        (f) => `/app/customers?workspaceId=${f.B.workspaceId}&${asIfB(f)}`,
        {
          ...FOR_A,
          mayChange: [],
          async check(answer, f) {
            const ids = (json(answer) as { customers: { id: string }[] }).customers.map((customer) => customer.id);
            expect(ids.length).toBeGreaterThan(0);
            expect(await rowsOfWorkspace(ids, f.A.workspaceId)).toBe(ids.length);
          },
        },
      ),
    ],
  },
  {
    file: "app.customers.$customerId.tsx",
    probes: [
      adminGet("B's helpdesk customer", (f) => `/app/customers/${f.b.person.id}`),
      adminGet(
        "B's helpdesk customer, with B's shop and host in the query",
        (f) => `/app/customers/${f.b.person.id}?${asIfB(f)}`,
      ),
      adminGet("B's Shopify customer row id", (f) => `/app/customers/${f.b.customerRowId}`),
      adminGet("B's order row id", (f) => `/app/customers/${f.b.orderRowId}`),
      adminGet("B's Shopify customer id", (f) => `/app/customers/${f.b.customer.id}`),
      adminGet(
        "B's Shopify customer GID",
        (f) => `/app/customers/${encodeURIComponent(`gid://shopify/Customer/${f.b.customer.id}`)}`,
      ),
      adminGet("B's workspace id", (f) => `/app/customers/${f.B.workspaceId}`),
      adminGet(
        "a customer of A2, the other store of A's workspace: shown, A2's rows untouched",
        (f) => `/app/customers/${f.a2.person.id}`,
        {
          ...FOR_A,
          mayChange: [],
          check: (answer, f) => expect(json(answer)).toMatchObject({ customer: { id: f.a2.person.id } }),
        },
      ),
      adminPost(
        "save a note on B's helpdesk customer",
        (f) => `/app/customers/${f.b.person.id}`,
        (f) => ({ intent: "save-note", note: "Written from A", baseVersion: String(f.b.person.noteVersion) }),
      ),
      adminPost(
        "overwrite B's customer's note (keep-mine)",
        (f) => `/app/customers/${f.b.person.id}`,
        () => ({ intent: "save-note", note: "Written from A", baseVersion: "0", resolution: "keep-mine" }),
      ),
      adminPost(
        "save a note on A's customer with B's customer and workspace ids in the form",
        (f) => `/app/customers/${f.a.person.id}?${asIfB(f)}`,
        (f) => ({
          intent: "save-note",
          note: "A's own note",
          baseVersion: "0",
          resolution: "keep-mine",
          customerId: f.b.person.id,
          helpdeskCustomerId: f.b.person.id,
          workspaceId: f.B.workspaceId,
        }),
        {
          ...FOR_A,
          async check(answer, f) {
            expect(json(answer)).toMatchObject({ status: "saved", note: "A's own note" });
            expect((await db.helpdeskCustomer.findUniqueOrThrow({ where: { id: f.a.person.id } })).note).toBe(
              "A's own note",
            );
          },
        },
      ),
      // Merges: B's customers and B's merges are not found from A, in the page's query and its forms.
      adminGet(
        "compare A's customer with B's customer",
        (f) => `/app/customers/${f.a.person.id}?compare=${f.b.person.id}`,
      ),
      adminGet("B's merge confirmed on A's customer", (f) => `/app/customers/${f.a.person.id}?merged=${bMergeId}`, {
        prepare: ensureBMerge,
      }),
      adminGet(
        "search B's customer to merge with: A's own results only",
        (f) => `/app/customers/${f.a.person.id}?mergeWith=${encodeURIComponent(f.b.customer.email!)}`,
        {
          ...FOR_A,
          mayChange: [],
          check: (answer) =>
            expect((json(answer) as { merge: { search: { results: unknown[] } } }).merge.search.results).toEqual([]),
        },
      ),
      adminGet(
        "compare A's customer with B's ticket id",
        (f) => `/app/customers/${f.a.person.id}?compare=${f.b.ticket.id}`,
      ),
      adminPost(
        "merge B's ticket id into A's customer",
        (f) => `/app/customers/${f.a.person.id}`,
        (f) => ({ intent: "merge", otherId: f.b.ticket.id, name: "other", note: "both" }),
      ),
      adminPost(
        "merge B's customer into A's",
        (f) => `/app/customers/${f.a.person.id}`,
        (f) => ({ intent: "merge", otherId: f.b.person.id, name: "other", note: "both" }),
      ),
      adminPost(
        "merge A's customer into B's",
        (f) => `/app/customers/${f.b.person.id}`,
        (f) => ({ intent: "merge", otherId: f.a.person.id, name: "this", note: "this" }),
      ),
      adminPost(
        "undo B's merge from A's customer",
        (f) => `/app/customers/${f.a.person.id}`,
        () => ({ intent: "undo-merge", mergeId: bMergeId }),
        { prepare: ensureBMerge },
      ),
      adminPost(
        "undo B's merge from B's customer",
        (f) => `/app/customers/${f.b.person.id}`,
        () => ({ intent: "undo-merge", mergeId: bMergeId }),
        {
          prepare: ensureBMerge,
          async check() {
            expect((await db.customerMerge.findUniqueOrThrow({ where: { id: bMergeId } })).undoneAt).toBeNull();
          },
        },
      ),
    ],
  },
  {
    file: "app.inbox.tsx",
    probes: [
      adminGet(
        "the inbox with B's shop and workspace in the query",
        (f) => `/app/inbox?view=all&${asIfB(f)}&workspaceId=${f.B.workspaceId}`,
        {
          ...FOR_A,
          mayChange: [],
          async check(answer, f) {
            const body = json(answer) as { tickets: { id: string }[]; counts: { all: number } };
            expect(body.tickets.map((ticket) => ticket.id)).toContain(f.a.ticketId);
            expect(
              await db.ticket.count({
                where: { id: { in: body.tickets.map((t) => t.id) }, workspaceId: { not: f.A.workspaceId } },
              }),
            ).toBe(0);
            expect(body.counts.all).toBe(await db.ticket.count({ where: { workspaceId: f.A.workspaceId } }));
          },
        },
      ),
      adminGet(
        "search for B's ticket subject",
        (f) => `/app/inbox?view=all&q=${encodeURIComponent(f.b.ticket.subject)}`,
        {
          ...FOR_A,
          mayChange: [],
          check: (answer) => expect((json(answer) as { tickets: unknown[] }).tickets).toEqual([]),
        },
      ),
      adminGet("B's tag as the tag filter", () => `/app/inbox?view=all&tag=north-trail-only`, {
        ...FOR_A,
        mayChange: [],
        check: (answer) => expect((json(answer) as { tickets: unknown[] }).tickets).toEqual([]),
      }),
      adminGet("B's agent as the assignee filter", (f) => `/app/inbox?view=all&assignee=${f.b.agentId}`, {
        ...FOR_A,
        statuses: [400],
        mayChange: [],
        check: (answer) => expect((json(answer) as { error: string }).error).toBe("Choose one of the agents."),
      }),
      adminGet(
        "a page cursor made from B's ticket",
        (f) =>
          `/app/inbox?view=all&after=${Buffer.from(JSON.stringify({ key: new Date().toISOString(), id: f.b.ticket.id })).toString("base64url")}`,
        {
          ...FOR_A,
          mayChange: [],
          async check(answer, f) {
            const ids = (json(answer) as { tickets: { id: string }[] }).tickets.map((ticket) => ticket.id);
            expect(await db.ticket.count({ where: { id: { in: ids }, workspaceId: { not: f.A.workspaceId } } })).toBe(
              0,
            );
          },
        },
      ),
      adminPost(
        "closing B's ticket in bulk",
        () => "/app/inbox",
        (f) => ({ intent: "bulk-close", ids: f.b.ticket.id }),
      ),
      adminPost(
        "closing A's and B's tickets in bulk: nothing changes",
        () => "/app/inbox",
        (f) => ({ intent: "bulk-close", ids: `${f.a.ticketId},${f.b.ticket.id}` }),
        { statuses: [404], mayChange: [] },
      ),
      adminPost(
        "assigning A's ticket to B's agent in bulk",
        () => "/app/inbox",
        (f) => ({
          intent: "bulk-assign",
          ids: f.a.ticketId,
          agentId: f.b.agentId,
        }),
        { statuses: [400], mayChange: [] },
      ),
    ],
  },
  {
    file: "app.tickets.$ticketId.tsx",
    probes: [
      adminGet("B's ticket", (f) => `/app/tickets/${f.b.ticket.id}`),
      adminGet("B's ticket with B's shop and host in the query", (f) => `/app/tickets/${f.b.ticket.id}?${asIfB(f)}`),
      adminPost(
        "a reply on B's ticket",
        (f) => `/app/tickets/${f.b.ticket.id}`,
        () => ({
          intent: "reply",
          body: "Hello from Maple",
        }),
      ),
      adminPost(
        "closing B's ticket",
        (f) => `/app/tickets/${f.b.ticket.id}`,
        () => ({ intent: "status", to: "closed" }),
      ),
      adminPost(
        "assigning A's ticket to B's agent",
        (f) => `/app/tickets/${f.a.ticketId}`,
        (f) => ({
          intent: "assign",
          agentId: f.b.agentId,
        }),
        { statuses: [409], mayChange: [] },
      ),
      adminPost(
        "linking B's order to A's ticket",
        (f) => `/app/tickets/${f.a.ticketId}`,
        (f) => ({
          intent: "link-order",
          orderId: f.b.ticket.orderRowId,
        }),
        { statuses: [409], mayChange: [] },
      ),
      adminPost(
        "retrying B's reply on A's ticket",
        (f) => `/app/tickets/${f.a.ticketId}`,
        (f) => ({
          intent: "retry-delivery",
          entryId: f.b.ticket.entryId,
        }),
        { statuses: [404], mayChange: [] },
      ),
    ],
  },
  {
    file: "app.tickets.$ticketId.customers.tsx",
    probes: [
      adminGet("customers to set on B's ticket", (f) => `/app/tickets/${f.b.ticket.id}/customers?q=a`),
      adminGet(
        "B's customer's email as the search on A's ticket",
        (f) => `/app/tickets/${f.a.ticketId}/customers?q=${encodeURIComponent(f.b.customer.email ?? "north")}`,
        {
          ...FOR_A,
          mayChange: [],
          check: (answer) => expect((json(answer) as { customers: unknown[] }).customers).toEqual([]),
        },
      ),
    ],
  },
  {
    file: "app.tickets.$ticketId.thread.tsx",
    probes: [
      adminGet("earlier messages of B's ticket", (f) => `/app/tickets/${f.b.ticket.id}/thread`),
      adminGet(
        "A's ticket, before one of B's messages",
        (f) => `/app/tickets/${f.a.ticketId}/thread?before=${f.b.ticket.entryId}`,
      ),
    ],
  },
  {
    file: "app.tickets.$ticketId.widget-action.tsx",
    probes: [
      adminPost(
        "running B's widget's action on A's ticket",
        (f) => `/app/tickets/${f.a.ticketId}/widget-action`,
        () => ({ widgetId: String(api().bWidgetId), ref: "0#0", values: "{}" }),
        KEEPS_B_API,
      ),
      adminPost(
        "running B's widget's action on B's ticket",
        (f) => `/app/tickets/${f.b.ticket.id}/widget-action`,
        () => ({ widgetId: String(api().bWidgetId), ref: "0#0", values: "{}" }),
        KEEPS_B_API,
      ),
    ],
  },
  {
    file: "app.attachments.$attachmentId.tsx",
    probes: [
      adminGet("B's image attachment", () => `/app/attachments/${bPageAttachmentId}`, KEEPS_B_CHAT_PAGES),
      adminGet(
        "B's image attachment with B's shop and host in the query",
        (f) => `/app/attachments/${bPageAttachmentId}?${asIfB(f)}`,
        KEEPS_B_CHAT_PAGES,
      ),
    ],
  },
  {
    file: "app.visitors.tsx",
    probes: [
      adminGet("who is on the store now, while B's shopper is on B's store", () => "/app/visitors", {
        ...KEEPS_B_CHAT_PAGES,
        statuses: [200],
      }),
      adminGet("who is on the store now, with B's shop and host in the query", (f) => `/app/visitors?${asIfB(f)}`, {
        ...KEEPS_B_CHAT_PAGES,
        statuses: [200],
      }),
    ],
  },
  {
    file: "app.live.tsx",
    probes: [
      adminGet("live updates of B's ticket", (f) => `/app/live?ticket=${f.b.ticket.id}`),
      adminPost(
        "viewing B's ticket",
        () => "/app/live",
        (f) => ({ ticketId: f.b.ticket.id, replying: "true" }),
      ),
    ],
  },
  {
    file: "app.orders.$orderId.tsx",
    probes: [
      adminGet("B's order by its Shopify id", (f) => `/app/orders/${f.b.order.id}`),
      adminGet("B's shipped order by its Shopify id", (f) => `/app/orders/${f.b.fulfilled.order.id}`),
      adminGet("B's order, with B's shop and host in the query", (f) => `/app/orders/${f.b.order.id}?${asIfB(f)}`),
      adminGet("B's order row id", (f) => `/app/orders/${f.b.orderRowId}`),
      adminGet("B's order GID", (f) => `/app/orders/${encodeURIComponent(`gid://shopify/Order/${f.b.order.id}`)}`),
      adminPost(
        "a form post naming B's order (the page has no action)",
        (f) => `/app/orders/${f.b.order.id}`,
        () => ({
          intent: "refresh",
        }),
        { statuses: [400, 403, 404, 405] },
      ),
    ],
  },
  {
    file: "app.settings.business-hours.tsx",
    probes: [
      adminGet(
        "the page with B's workspace named: A's schedule, none of B's hours",
        (f) => `/app/settings/business-hours?workspaceId=${f.B.workspaceId}&${asIfB(f)}`,
        { ...KEEPS_B_HOURS, statuses: [200] },
      ),
      adminPost(
        "a schedule saved with B's workspace in the form: saved for A, B's unchanged",
        (f) => `/app/settings/business-hours?workspaceId=${f.B.workspaceId}`,
        (f) => ({
          workspaceId: f.B.workspaceId,
          schedule: JSON.stringify({
            enabled: true,
            timezone: "Europe/Paris",
            weekly: [{ day: 1, opens: "09:00", closes: "17:00" }],
            holidays: [],
            workspaceId: f.B.workspaceId,
          }),
        }),
        {
          ...KEEPS_B_HOURS,
          ...FOR_A,
          async check(_answer, f) {
            expect(await db.businessHours.findUniqueOrThrow({ where: { workspaceId: f.A.workspaceId } })).toMatchObject(
              {
                enabled: true,
                timezone: "Europe/Paris",
              },
            );
          },
        },
      ),
    ],
  },
  {
    file: "app.settings.macros.tsx",
    probes: [
      adminGet("B's macro opened for editing", (f) => `/app/settings/macros?edit=${f.b.macroId}`, {
        statuses: [404],
        ...KEEPS_MACROS,
      }),
      adminGet(
        "B's macro opened for editing, with B's shop and host in the query",
        (f) => `/app/settings/macros?edit=${f.b.macroId}&${asIfB(f)}&workspaceId=${f.B.workspaceId}`,
        { statuses: [404], ...KEEPS_MACROS },
      ),
      adminGet(
        "search for B's macro's name, with B's shop and workspace in the query",
        (f) =>
          `/app/settings/macros?q=${encodeURIComponent("tent warranty")}&workspaceId=${f.B.workspaceId}&${asIfB(f)}`,
        {
          ...FOR_A,
          mayChange: [],
          check: (answer) => expect((json(answer) as { macros: unknown[] }).macros).toEqual([]),
        },
      ),
      adminGet(
        "the list with B's workspace in the query",
        (f) => `/app/settings/macros?workspaceId=${f.B.workspaceId}`,
        {
          ...FOR_A,
          mayChange: [],
          async check(answer, f) {
            const ids = (json(answer) as { macros: { id: string }[] }).macros.map((macro) => macro.id);
            expect(ids.length).toBeGreaterThan(0);
            expect(await db.macro.count({ where: { id: { in: ids }, workspaceId: { not: f.A.workspaceId } } })).toBe(0);
          },
        },
      ),
      adminPost(
        "edit B's macro",
        () => "/app/settings/macros",
        (f) => macroForm({ id: f.b.macroId, name: "Taken over by Maple" }),
        { statuses: [404], ...KEEPS_MACROS },
      ),
      adminPost(
        "delete B's macro",
        () => "/app/settings/macros",
        (f) => ({ intent: "delete", ids: f.b.macroId }),
        { statuses: [404], ...KEEPS_MACROS },
      ),
      adminPost(
        "delete one of A's macros together with B's",
        () => "/app/settings/macros",
        (f) => ({ intent: "delete", ids: `${f.a.macroId},${f.b.macroId}` }),
        { statuses: [404], ...KEEPS_MACROS },
      ),
      adminPost(
        "a macro of A that assigns tickets to B's agent",
        () => "/app/settings/macros",
        (f) => macroForm({ assignTo: f.b.agentId }),
        { statuses: [400], ...KEEPS_MACROS },
      ),
      adminPost(
        "create a macro with B's workspace and shop ids in the form: A's own",
        (f) => `/app/settings/macros?${asIfB(f)}`,
        (f) => macroForm({ workspaceId: f.B.workspaceId, shopId: f.B.id, shop: f.B.domain }),
        {
          ...FOR_A,
          prepare: (f) => macrosOf([f.B.workspaceId]),
          async check(answer, f, prepared) {
            const id = String((json(answer) as { id: string }).id);
            expect((await db.macro.findUniqueOrThrow({ where: { id } })).workspaceId).toBe(f.A.workspaceId);
            expect(await macrosOf([f.B.workspaceId]), "B's macros changed").toEqual(prepared);
          },
        },
      ),
      adminPost(
        "add starter macros with B's workspace id in the form",
        () => "/app/settings/macros",
        (f) => ({ intent: "add-starters", languages: "en,fr", workspaceId: f.B.workspaceId }),
        {
          ...FOR_A,
          prepare: (f) => macrosOf([f.B.workspaceId]),
          async check(_answer, f, prepared) {
            expect(await macrosOf([f.B.workspaceId]), "B's macros changed").toEqual(prepared);
          },
        },
      ),
    ],
  },
  {
    file: "app.settings.tsx",
    probes: [
      adminGet(
        "settings with B's shop and workspace in the query",
        (f) => `/app/settings?${asIfB(f)}&workspaceId=${f.B.workspaceId}`,
        {
          ...FOR_A,
          mayChange: [],
          check(answer, f) {
            const body = json(answer) as { shop: { domain: string }; workspace: { shops: { domain: string }[] } };
            expect(body.shop.domain).toBe(f.A.domain);
            expect(body.workspace.shops.map((shop) => shop.domain).sort()).toEqual([f.A2.domain, f.A.domain].sort());
          },
        },
      ),
      adminPost(
        "turn note sync off, naming B's shop (and A2's) in the form",
        (f) => `/app/settings?${asIfB(f)}`,
        (f) => ({ intent: "notes-sync", enabled: "false", shopId: f.B.id, shop: f.B.domain, domain: f.A2.domain }),
        {
          ...FOR_A,
          async check(_answer, f) {
            expect((await db.shop.findUniqueOrThrow({ where: { id: f.A.id } })).notesSyncEnabled).toBe(false);
          },
        },
      ),
      adminPost(
        "turn note sync back on, naming B's shop in the form",
        (f) => `/app/settings?${asIfB(f)}`,
        (f) => ({ intent: "notes-sync", enabled: "true", shopId: f.B.id, shop: f.B.domain }),
        FOR_A,
      ),
      adminPost(
        "create a link code with B's workspace and shop ids in the form",
        (f) => `/app/settings?${asIfB(f)}`,
        (f) => ({ intent: "create-link-code", workspaceId: f.B.workspaceId, shopId: f.B.id }),
        {
          ...FOR_A,
          async check(_answer, f) {
            const newest = await db.workspaceLinkCode.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
            expect(newest).toMatchObject({ workspaceId: f.A.workspaceId, createdByShopId: f.A.id });
          },
        },
      ),
      adminPost(
        "join with B's expired link code",
        () => "/app/settings",
        (f) => ({
          intent: "join-workspace",
          code: f.b.linkCodes.expired,
        }),
      ),
      adminPost(
        "join with B's used link code",
        () => "/app/settings",
        (f) => ({
          intent: "join-workspace",
          code: f.b.linkCodes.used,
        }),
      ),
      adminPost(
        "join with the id of B's link code row",
        () => "/app/settings",
        (f) => ({
          intent: "join-workspace",
          code: f.b.linkCodes.expiredRowId,
        }),
      ),
      adminPost(
        "join with B's workspace id as the code",
        () => "/app/settings",
        (f) => ({
          intent: "join-workspace",
          code: f.B.workspaceId,
          workspaceId: f.B.workspaceId,
        }),
      ),
      adminPost(
        "join with the stored hash of B's valid link code",
        () => "/app/settings",
        (f) => ({
          intent: "join-workspace",
          code: f.b.linkCodes.validHash,
        }),
      ),
      // A code is the capability B's admin hands out, so joining with it is allowed — but the
      // store that joins takes only its own customers: its workspace's other store (A) and A's
      // customers stay where they are, and B's existing rows are not touched.
      adminPost(
        "A2 (A's workspace) joins B's workspace with B's valid code: A and A's customers stay",
        () => "/app/settings",
        (f) => ({ intent: "join-workspace", code: f.b.linkCodes.valid }),
        {
          as: A2,
          last: true,
          // Joining tells the joining store the name of the workspace it joined.
          allow: (f) => [f.B.name],
          statuses: [200, 400, 403, 409],
          mayChange: ["A2's shop", "A's workspace", "B's workspace"],
          prepare: async (f) => ({
            bPeople: await db.helpdeskCustomer.findMany({ where: { workspaceId: f.B.workspaceId } }),
          }),
          async check(_answer, f, prepared) {
            const { bPeople } = prepared as { bPeople: { id: string }[] };
            const aLinks = await db.shopifyCustomer.findMany({
              where: { shopId: f.A.id, helpdeskCustomerId: { not: null } },
              select: { helpdeskCustomer: { select: { workspaceId: true } } },
            });
            expect(
              aLinks.filter((link) => link.helpdeskCustomer!.workspaceId !== f.A.workspaceId).length,
              "A's customers moved out of A's workspace",
            ).toBe(0);
            const bNow = await db.helpdeskCustomer.findMany({
              where: { workspaceId: f.B.workspaceId },
              include: { shopifyCustomers: { select: { shopId: true } } },
            });
            const before = new Map(bPeople.map((person) => [person.id, person]));
            for (const person of bNow) {
              const { shopifyCustomers, ...row } = person;
              const previous = before.get(person.id);
              if (previous) expect(row, "B's existing customer changed").toEqual(previous);
              else
                expect(
                  shopifyCustomers.every((link) => link.shopId === f.A2.id),
                  "a customer of A came to B",
                ).toBe(true);
            }
          },
        },
      ),
    ],
  },
  {
    file: "app.settings.email.tsx",
    probes: [
      adminGet(
        "email settings with B's shop and workspace in the query",
        (f) => `/app/settings/email?${asIfB(f)}&workspaceId=${f.B.workspaceId}`,
        {
          ...FOR_A,
          ...KEEPS_B_MAIL,
          mayChange: [],
        },
      ),
      adminPost(
        "save email settings naming B's workspace and shop in the form",
        (f) => `/app/settings/email?${asIfB(f)}`,
        (f) => ({
          intent: "save",
          host: "127.0.0.1",
          port: "9",
          security: "none",
          fromAddress: "support@maple-goods.example",
          fromName: "Maple Goods",
          workspaceId: f.B.workspaceId,
          shopId: f.B.id,
        }),
        {
          ...FOR_A,
          ...KEEPS_B_MAIL,
          async check(answer, f, prepared) {
            await KEEPS_B_MAIL.check!(answer, f, prepared);
            expect(
              await db.workspaceMailSettings.findUniqueOrThrow({ where: { workspaceId: f.A.workspaceId } }),
            ).toMatchObject({ host: "127.0.0.1", port: 9, fromAddress: "support@maple-goods.example" });
          },
        },
      ),
      adminPost(
        "send a test email naming B's workspace: sent, if at all, with A's settings",
        (f) => `/app/settings/email?${asIfB(f)}`,
        (f) => ({ intent: "send-test", to: "owner@maple-goods.example", workspaceId: f.B.workspaceId }),
        { ...FOR_A, ...KEEPS_B_MAIL, statuses: [200, 409] },
      ),
    ],
  },
  {
    file: "app.settings.portal.tsx",
    probes: [
      adminGet(
        "B's store's portal settings by its id, with B's shop and host in the query",
        (f) => `/app/settings/portal?shopId=${f.B.id}&${asIfB(f)}`,
        { statuses: [404], ...KEEPS_B_PORTAL },
      ),
      adminGet(
        "portal settings with B's shop and workspace in the query: A's own store",
        (f) => `/app/settings/portal?${asIfB(f)}&workspaceId=${f.B.workspaceId}`,
        {
          ...FOR_A,
          ...KEEPS_B_PORTAL,
          mayChange: [],
          async check(answer, f, prepared) {
            await KEEPS_B_PORTAL.check!(answer, f, prepared);
            expect(json(answer)).toMatchObject({ store: { id: f.A.id, domain: f.A.domain } });
          },
        },
      ),
      adminPost(
        "save portal settings naming B's store",
        (f) => `/app/settings/portal?${asIfB(f)}`,
        (f) =>
          portalForm(f.B.id, { loopReturnsUrl: "https://maple-probe.loopreturns.com", workspaceId: f.B.workspaceId }),
        { statuses: [404], ...KEEPS_B_PORTAL },
      ),
      adminPost(
        "remove the SMS auth token of B's store",
        (f) => `/app/settings/portal?${asIfB(f)}`,
        (f) => ({ intent: "remove-sms-token", shopId: f.B.id }),
        { statuses: [404], ...KEEPS_B_PORTAL },
      ),
      adminPost(
        "save A's portal settings with B's workspace and shop in the query and form",
        (f) => `/app/settings/portal?${asIfB(f)}`,
        (f) =>
          portalForm(f.A.id, {
            loopReturnsUrl: "https://maple-help.loopreturns.com",
            workspaceId: f.B.workspaceId,
            domain: f.B.domain,
          }),
        {
          ...FOR_A,
          ...KEEPS_B_PORTAL,
          async check(answer, f, prepared) {
            await KEEPS_B_PORTAL.check!(answer, f, prepared);
            expect(await db.portalSettings.findUnique({ where: { shopId: f.A.id } })).toMatchObject({
              loopReturnsUrl: "https://maple-help.loopreturns.com",
            });
          },
        },
      ),
    ],
  },
  {
    file: "proxy.portal.orders.tsx",
    probes: [
      proxyGet("a GET (the portal API is POST only)", "/proxy/portal/orders", () => proxyParams(A), {
        statuses: [405],
      }),
      proxyPost(
        "A's shopper's token, with B's customer logged in and B's shop, customer and email in the body",
        "/proxy/portal/orders",
        (f) => proxyParams(A, String(f.b.customer.id)),
        (f) => ({
          token: shoppers().aToken,
          shop: f.B.domain,
          shopId: f.B.id,
          shopifyCustomerId: `gid://shopify/Customer/${f.b.customer.id}`,
          email: f.b.customer.email,
        }),
        A_ORDERS_ONLY,
      ),
      proxyPost(
        "A's shopper's token with a page cursor made from B's order (its time and row id)",
        "/proxy/portal/orders",
        () => proxyParams(A),
        (f) => ({
          token: shoppers().aToken,
          cursor: Buffer.from(JSON.stringify({ t: "2999-01-01T00:00:00.000Z", i: f.b.orderRowId })).toString(
            "base64url",
          ),
        }),
        A_ORDERS_ONLY,
      ),
      proxyPost(
        "B's shopper's token under A's signature",
        "/proxy/portal/orders",
        () => proxyParams(A),
        () => ({ token: shoppers().bToken }),
        SIGN_IN_AGAIN,
      ),
      proxyPost(
        "B's shopper's token, signed for A, then the shop changed to B",
        "/proxy/portal/orders",
        () => proxyParams(A),
        () => ({ token: shoppers().bToken }),
        {
          prepare: ensureOrderShoppers,
          tamper: (url, f) => url.searchParams.set("shop", f.B.domain),
          statuses: BAD_SIGNATURE,
        },
      ),
    ],
  },
  {
    file: "proxy.portal.order.tsx",
    probes: [
      proxyGet(
        "a GET naming B's order",
        "/proxy/portal/order",
        (f) => [...proxyParams(A), ["orderId", f.b.orderRowId]],
        {
          statuses: [405],
        },
      ),
      proxyPost(
        "B's order row id with A's shopper's token",
        "/proxy/portal/order",
        () => proxyParams(A),
        (f) => ({ token: shoppers().aToken, orderId: f.b.orderRowId }),
        NOT_FOUND,
      ),
      proxyPost(
        "B's order by its Shopify id and GID with A's shopper's token, B's customer logged in",
        "/proxy/portal/order",
        (f) => proxyParams(A, String(f.b.customer.id)),
        (f) => ({ token: shoppers().aToken, orderId: `gid://shopify/Order/${f.b.order.id}` }),
        NOT_FOUND,
      ),
      proxyPost(
        "B's order with B's shopper's token under A's signature",
        "/proxy/portal/order",
        () => proxyParams(A),
        (f) => ({ token: shoppers().bToken, orderId: f.b.orderRowId }),
        SIGN_IN_AGAIN,
      ),
      proxyPost(
        "A's shopper's own order, with B's shop and order beside it in the body",
        "/proxy/portal/order",
        () => proxyParams(A),
        (f) => ({ token: shoppers().aToken, orderId: shoppers().aOrderId, shop: f.B.domain, order: f.b.orderRowId }),
        A_ORDERS_ONLY,
      ),
    ],
  },
  {
    file: "proxy.portal.request.tsx",
    probes: [
      proxyGet(
        "a GET naming B's order",
        "/proxy/portal/request",
        (f) => [...proxyParams(A), ["orderId", f.b.orderRowId]],
        {
          statuses: [405],
        },
      ),
      proxyPost(
        "a cancellation of B's order row id with A's shopper's token",
        "/proxy/portal/request",
        () => proxyParams(A),
        (f) => ({ token: shoppers().aToken, kind: "cancel", orderId: f.b.orderRowId }),
        NOT_FOUND,
      ),
      proxyPost(
        "a return of B's order with B's shopper's token under A's signature",
        "/proxy/portal/request",
        () => proxyParams(A),
        (f) => ({
          token: shoppers().bToken,
          kind: "return",
          orderId: f.b.orderRowId,
          items: [{ lineItemId: "gid://shopify/LineItem/1", quantity: 1 }],
          reason: "OTHER",
        }),
        SIGN_IN_AGAIN,
      ),
      proxyPost(
        "an issue report with A's shopper's token, B's customer logged in and B's order named",
        "/proxy/portal/request",
        (f) => proxyParams(A, String(f.b.customer.id)),
        (f) => ({ token: shoppers().aToken, kind: "issue", orderId: f.b.orderRowId, issue: "other" }),
        NOT_FOUND,
      ),
    ],
  },
  // The storefront chat (decision 026): A's visitor's token with B's visitor, chat, message,
  // attachment and seq named wherever a body or URL can carry them.
  {
    file: "proxy.portal.chat-token.tsx",
    probes: [
      proxyGet(
        "a GET naming B's visitor",
        "/proxy/portal/chat-token",
        () => [...proxyParams(A), ["visitorId", chatW().bVisitorId]],
        { ...KEEPS_B_CHAT, statuses: [405] },
      ),
      proxyPost(
        "B's visitor's chat token (signed for B) under A's signature: a new visitor of A's",
        "/proxy/portal/chat-token",
        () => proxyParams(A),
        () => ({ chatToken: bChatTokenForProxy }),
        {
          ...CHAT_FOR_A([200]),
          async prepare(f) {
            const world = await ensureChat(f);
            const { issueChatToken } = await import("~/services/chat/chat-token.server");
            const bVisitor = await db.chatVisitor.findUniqueOrThrow({ where: { id: world.bVisitorId } });
            bChatTokenForProxy = issueChatToken(bVisitor, TEST_APP.apiSecret).token;
            return world;
          },
          async check(answer, f) {
            const token = (answer.json as { chatToken: string }).chatToken;
            const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as {
              v: string;
              h: string;
            };
            expect(claims.h).toBe(f.A.id);
            expect(claims.v).not.toBe(chatW().bVisitorId);
          },
        },
      ),
    ],
  },
  {
    file: "chat.state.tsx",
    probes: [
      chatCall(
        "B's visitor, chat and seq in the query: A's (empty) chat",
        "GET",
        () => `/chat/state?after=0&visitorId=${chatW().bVisitorId}&ticketId=${chatW().bTicketId}`,
        null,
        {
          ...CHAT_FOR_A([200]),
          check: (answer) => expect(answer.json).toMatchObject({ chat: null, messages: [] }),
        },
      ),
      chatCall(
        "a POST naming B's chat",
        "POST",
        () => "/chat/state",
        () => ({ ticketId: chatW().bTicketId }),
      ),
    ],
  },
  {
    file: "chat.stream.tsx",
    probes: [
      chatCall("B's chat id as the seq to resume after", "GET", () => `/chat/stream?after=${chatW().bTicketId}`, null),
      chatCall("B's visitor named by a token we did not sign", "GET", () => "/chat/stream?after=0", null, {
        token: () => chatW().forgedBToken,
      }),
      chatCall(
        "a POST naming B's chat",
        "POST",
        () => "/chat/stream",
        () => ({ ticketId: chatW().bTicketId }),
      ),
    ],
  },
  {
    file: "chat.messages.tsx",
    probes: [
      chatCall("a GET naming B's chat", "GET", () => `/chat/messages?ticketId=${chatW().bTicketId}`, null),
      chatCall(
        "B's chat, visitor and clientId in the body: A's own new chat, not B's message",
        "POST",
        () => "/chat/messages",
        () => ({
          body: "Maple chat probe",
          clientId: chatW().bClientId,
          email: "chat.a@maple.example",
          ticketId: chatW().bTicketId,
          visitorId: chatW().bVisitorId,
        }),
        CHAT_FOR_A([201]),
      ),
    ],
  },
  {
    file: "chat.attachments.tsx",
    probes: [
      chatCall("a GET naming B's attachment", "GET", () => `/chat/attachments?id=${chatW().bAttachmentId}`, null),
      probe(
        "a file with B's chat and B's message's clientId in the form: not an image (415), or A's own message of that clientId",
        "POST",
        "api",
        () => {
          const form = new FormData();
          form.set("file", new Blob(["not an image"], { type: "image/png" }), "x.png");
          form.set("clientId", chatW().bClientId);
          form.set("ticketId", chatW().bTicketId);
          return new Request(new URL("/chat/attachments", stack.app.url), {
            method: "POST",
            headers: { authorization: `Bearer ${chatW().aToken}` },
            body: form,
          });
        },
        {
          ...KEEPS_B_CHAT,
          statuses: [415, 200],
          check(answer) {
            if (answer.status === 200) expect(answer.json).toMatchObject({ message: { body: "Maple chat probe" } });
          },
        },
      ),
    ],
  },
  {
    file: "chat.attachments.$attachmentId.tsx",
    probes: [
      chatCall("B's attachment with A's token", "GET", () => `/chat/attachments/${chatW().bAttachmentId}`, null),
      chatCall(
        "a POST to B's attachment",
        "POST",
        () => `/chat/attachments/${chatW().bAttachmentId}`,
        () => ({}),
      ),
    ],
  },
  {
    file: "chat.typing.tsx",
    probes: [
      chatCall("a GET naming B's chat", "GET", () => `/chat/typing?ticketId=${chatW().bTicketId}`, null),
      chatCall(
        "typing in B's chat by its id: A has no chat, nothing of B's changes",
        "POST",
        () => "/chat/typing",
        () => ({ typing: true, ticketId: chatW().bTicketId, visitorId: chatW().bVisitorId }),
        CHAT_FOR_A([204]),
      ),
    ],
  },
  {
    file: "chat.read.tsx",
    probes: [
      chatCall("a GET naming B's chat", "GET", () => `/chat/read?ticketId=${chatW().bTicketId}`, null),
      chatCall(
        "reading up to B's message's seq in B's chat: nothing of B's changes",
        "POST",
        () => "/chat/read",
        () => ({ upTo: chatW().bSeq, ticketId: chatW().bTicketId }),
        CHAT_FOR_A([204]),
      ),
    ],
  },
  {
    file: "chat.presence.tsx",
    probes: [
      chatCall("a GET naming B's visitor", "GET", () => `/chat/presence?visitorId=${chatW().bVisitorId}`, null),
      chatCall(
        "a heartbeat naming B's visitor: A's visitor's presence only",
        "POST",
        () => "/chat/presence",
        (f) => ({ page: `https://${f.B.domain}/products/x`, visitorId: chatW().bVisitorId }),
        CHAT_FOR_A([204]),
      ),
    ],
  },
  // Business hours (decision 026): the availability and the contact form read and write A's
  // workspace only, whatever B's shop, workspace, order or shopper the body names.
  {
    file: "proxy.portal.availability.tsx",
    probes: [
      proxyGet(
        "a GET naming B's workspace",
        "/proxy/portal/availability",
        (f) => [...proxyParams(A), ["workspaceId", f.B.workspaceId]],
        { statuses: [405] },
      ),
      proxyPost(
        "B's shop and workspace in the body: A's availability, none of B's hours",
        "/proxy/portal/availability",
        () => proxyParams(A),
        (f) => ({ shop: f.B.domain, workspaceId: f.B.workspaceId, token: shoppers().bToken }),
        {
          ...KEEPS_B_HOURS,
          statuses: [200],
          prepare: async (f) => [await ensureBHours(f), await ensureOrderShoppers(f)],
        },
      ),
    ],
  },
  {
    file: "proxy.portal.contact.tsx",
    probes: [
      proxyGet(
        "a GET naming B's customer",
        "/proxy/portal/contact",
        (f) => [...proxyParams(A), ["email", f.b.customer.email ?? ""]],
        { statuses: [405] },
      ),
      proxyPost(
        "B's customer's email, B's order and B's shopper's token under A's signature: A's ticket, without B's order",
        "/proxy/portal/contact",
        () => proxyParams(A),
        (f) => ({
          email: f.b.customer.email,
          message: "Cross-tenant contact probe",
          orderNumber: f.b.order.name,
          token: shoppers().bToken,
          shop: f.B.domain,
          workspaceId: f.B.workspaceId,
        }),
        {
          statuses: [201],
          mayChange: ["A's shop", "A's workspace"],
          allow: (f) => [f.b.customer.email ?? ""],
          prepare: ensureOrderShoppers,
          async check(_answer, f) {
            const ticket = await db.ticket.findFirstOrThrow({
              where: { channel: "contact_form", entries: { some: { body: "Cross-tenant contact probe" } } },
              include: { orders: true },
            });
            expect(ticket).toMatchObject({ workspaceId: f.A.workspaceId, shopId: f.A.id, orders: [] });
          },
        },
      ),
      proxyPost(
        "a contact form with B's shop in the body and a NUL byte: refused, nothing stored",
        "/proxy/portal/contact",
        () => proxyParams(A),
        (f) => ({ email: "probe@example.com", message: "x\u0000", shop: f.B.domain }),
        { statuses: [400] },
      ),
    ],
  },
  // Sign-in (services/portal/sign-in.server.ts): B's addresses, codes, orders, customers and
  // sessions under A's signature open nothing, send nothing and change none of B's sign-in rows.
  {
    file: "proxy.portal.code.tsx",
    probes: [
      proxyPost(
        "a code for B's customer's email, B's shop in the body, signed for A: the one answer, nothing sent",
        "/proxy/portal/code",
        () => proxyParams(A),
        (f) => ({ channel: "email", destination: f.b.customer.email, shop: f.B.domain, shopId: f.B.id }),
        {
          ...FOR_A,
          prepare: () => db.portalSignInCode.count(),
          async check(answer, _f, codesBefore) {
            expect(json(answer)).toEqual({
              ok: true,
              message: "If this address is known to the store, a code is on its way.",
            });
            const { portalSendsSettled } = await import("~/services/portal/sign-in.server");
            await portalSendsSettled();
            expect(await db.portalSignInCode.count(), "a code was made").toBe(codesBefore);
          },
        },
      ),
      proxyPost(
        "a code for B's customer's email, signed for A, then the shop changed to B",
        "/proxy/portal/code",
        () => proxyParams(A),
        (f) => ({ channel: "email", destination: f.b.customer.email }),
        { tamper: (url, f) => url.searchParams.set("shop", f.B.domain), statuses: BAD_SIGNATURE },
      ),
    ],
  },
  {
    file: "proxy.portal.verify.tsx",
    probes: [
      proxyPost(
        "the code B's shopper holds for B's store, checked under A's signature",
        "/proxy/portal/verify",
        () => proxyParams(A),
        (f) => ({ channel: "email", destination: f.b.customer.email, code: "424242", shopId: f.B.id }),
        {
          statuses: [401],
          mayChange: ["A's shop"],
          async prepare(f) {
            const { codeHash, destinationHash } = await import("~/services/portal/sign-in-codes.server");
            const destination = destinationHash(TEST_APP.apiSecret, f.B.id, "email", f.b.customer.email!);
            return db.portalSignInCode.create({
              data: {
                shopId: f.B.id,
                channel: "email",
                destinationHash: destination,
                codeHash: codeHash(TEST_APP.apiSecret, f.B.id, destination, "424242"),
                expiresAt: new Date(Date.now() + 10 * 60_000),
              },
            });
          },
          async check(_answer, f, prepared) {
            const code = prepared as { id: string };
            expect(await db.portalSignInCode.findUniqueOrThrow({ where: { id: code.id } })).toEqual(prepared);
            expect(await db.portalSession.count({ where: { shopId: f.A.id, email: f.b.customer.email } })).toBe(0);
          },
        },
      ),
    ],
  },
  {
    file: "proxy.portal.order-sign-in.tsx",
    probes: [
      proxyPost(
        "B's order number with B's customer's email, signed for A",
        "/proxy/portal/order-sign-in",
        () => proxyParams(A),
        (f) => ({ email: f.b.customer.email, orderNumber: f.b.order.name, shopId: f.B.id }),
        {
          statuses: [401],
          mayChange: ["A's shop"],
          async check(_answer, f) {
            expect(await db.portalSession.count({ where: { email: f.b.customer.email, method: "order_number" } })).toBe(
              0,
            );
          },
        },
      ),
    ],
  },
  {
    file: "proxy.portal.session.tsx",
    probes: [
      proxyPost(
        "B's customer as the logged-in customer, signed for A: no session, A's sign-in choices",
        "/proxy/portal/session",
        (f) => proxyParams(A, String(f.b.customer.id)),
        () => ({}),
        {
          ...FOR_A,
          async check(answer, f) {
            expect(json(answer)).toMatchObject({ signedIn: false });
            expect(
              await db.portalSession.count({
                where: { shopId: f.A.id, shopifyCustomerId: `gid://shopify/Customer/${f.b.customer.id}` },
              }),
            ).toBe(0);
          },
        },
      ),
      proxyPost(
        "B's shopper's token under A's signature",
        "/proxy/portal/session",
        () => proxyParams(A),
        () => ({ token: shoppers().bToken }),
        SIGN_IN_AGAIN,
      ),
      proxyPost(
        "B's shopper's token signed out under A's signature: B's session stays",
        "/proxy/portal/session",
        () => proxyParams(A),
        () => ({ token: shoppers().bToken, signOut: true }),
        {
          ...FOR_A,
          prepare: ensureOrderShoppers,
          async check(answer, f) {
            expect(json(answer)).toMatchObject({ signedIn: false });
            expect(await db.portalSession.count({ where: { shopId: f.B.id, revokedAt: { not: null } } })).toBe(0);
          },
        },
      ),
    ],
  },
  {
    file: "proxy.widget.tsx",
    probes: [
      proxyGet(
        "B's customer as the logged-in customer, signed for A",
        "/proxy/widget",
        (f) => proxyParams(A, String(f.b.customer.id)),
        {
          ...FOR_A,
          mayChange: [],
          check(answer, f) {
            expect(json(answer)).toEqual({ shop: { name: f.A.name }, customer: { loggedIn: true, firstName: null } });
          },
        },
      ),
      proxyGet("signed for A, then the shop changed to B", "/proxy/widget", () => proxyParams(A), {
        tamper: (url, f) => url.searchParams.set("shop", f.B.domain),
        statuses: BAD_SIGNATURE,
      }),
      proxyGet("signed for A, then B's shop appended", "/proxy/widget", () => proxyParams(A), {
        tamper: (url, f) => url.searchParams.append("shop", f.B.domain),
        statuses: BAD_SIGNATURE,
      }),
      proxyGet("A's and B's shop both signed", "/proxy/widget", (f) => [...proxyParams(A), ["shop", f.B.domain]], {
        statuses: BAD_SIGNATURE,
      }),
      proxyGet(
        "A's customer and B's customer both signed as the logged-in customer",
        "/proxy/widget",
        (f) => [...proxyParams(A, String(f.a.customer.id)), ["logged_in_customer_id", String(f.b.customer.id)]],
        {
          statuses: [200, ...REFUSED],
          check(answer, f) {
            if (answer.status !== 200) return;
            const customer = (json(answer) as { customer: { firstName: string | null } }).customer;
            expect([null, f.a.customer.firstName]).toContain(customer.firstName);
          },
        },
      ),
      proxyGet(
        "signed for A with B's shop in the path prefix",
        "/proxy/widget",
        (f) => [
          ["shop", A],
          ["logged_in_customer_id", ""],
          ["path_prefix", `/apps/shopdesk/${f.B.domain}`],
          ["timestamp", String(Math.floor(Date.now() / 1000))],
        ],
        {
          ...FOR_A,
          mayChange: [],
          check: (answer, f) => expect(json(answer)).toMatchObject({ shop: { name: f.A.name } }),
        },
      ),
    ],
  },
  {
    file: "webhooks.app.scopes_update.tsx",
    probes: [
      webhook(
        "app/scopes_update",
        "a scopes update (its payload names no shop) under A's header: A's grant only",
        () => ({
          id: 1,
          previous: [],
          current:
            "read_customers,write_customers,read_orders,write_orders,read_fulfillments,read_returns,write_returns".split(
              ",",
            ),
          updated_at: new Date().toISOString(),
        }),
        FOR_A,
      ),
    ],
  },
  {
    file: "webhooks.app.uninstalled.tsx",
    probes: [
      webhook("app/uninstalled", NAMES_ANOTHER_SHOP, () => shopPayload(bShop()), { statuses: [400], last: true }),
    ],
  },
  {
    file: "webhooks.customers.create.tsx",
    probes: [webhook("customers/create", B_IDS_FOR_A, (f) => customerPayload(bShop(), f.b.customer), FOR_A)],
  },
  {
    file: "webhooks.customers.update.tsx",
    probes: [
      webhook(
        "customers/update",
        B_IDS_FOR_A,
        (f) => customerPayload(bShop(), { ...f.b.customer, note: "from A's header" }),
        FOR_A,
      ),
      webhook(
        "customers/update",
        "A2's customer under A's header: A2's rows untouched",
        (f) => customerPayload(a2Shop(), { ...f.a2.customer, note: "from A's header" }),
        FOR_A,
      ),
    ],
  },
  {
    file: "webhooks.customers.delete.tsx",
    probes: [webhook("customers/delete", B_IDS_FOR_A, (f) => customerDeletePayload(f.b.customer), FOR_A)],
  },
  {
    file: "webhooks.customers.data_request.tsx",
    probes: [
      webhook(
        "customers/data_request",
        NAMES_ANOTHER_SHOP,
        (f) => complianceCustomerPayload(bShop(), "customers/data_request", f.b.customer, 9001),
        { statuses: [400] },
      ),
      webhook(
        "customers/data_request",
        "A's request naming B's customer and orders: A's report holds none of B's rows",
        (f) => ({
          ...(complianceCustomerPayload(bShop(), "customers/data_request", f.b.customer, 9002) as object),
          shop_id: f.A.shopifyId,
          shop_domain: f.A.domain,
        }),
        {
          ...FOR_A,
          async check(_answer, f) {
            const request = await db.complianceRequest.findFirstOrThrow({
              where: { shopDomain: f.A.domain, topic: "customers/data_request" },
              orderBy: { createdAt: "desc" },
            });
            const report = JSON.stringify(request.report);
            expect(f.bRowIds.filter((id) => report.includes(id))).toEqual([]);
            const data = (request.report as { data: { shopifyCustomers: { shopId: string }[] } }).data;
            expect(data.shopifyCustomers.filter((customer) => customer.shopId !== f.A.id)).toEqual([]);
          },
        },
      ),
    ],
  },
  {
    file: "webhooks.customers.redact.tsx",
    probes: [
      webhook(
        "customers/redact",
        NAMES_ANOTHER_SHOP,
        (f) => complianceCustomerPayload(bShop(), "customers/redact", f.b.customer, 0),
        {
          statuses: [400],
        },
      ),
      webhook(
        "customers/redact",
        "A's erasure naming B's customer and orders: B's data stays",
        (f) => ({
          ...(complianceCustomerPayload(bShop(), "customers/redact", f.b.customer, 0) as object),
          shop_id: f.A.shopifyId,
          shop_domain: f.A.domain,
        }),
        FOR_A,
      ),
    ],
  },
  {
    file: "webhooks.shop.redact.tsx",
    probes: [
      webhook("shop/redact", NAMES_ANOTHER_SHOP, () => complianceShopPayload(bShop()), { statuses: [400], last: true }),
    ],
  },
  {
    file: "webhooks.fulfillment_events.create.tsx",
    probes: [
      webhook("fulfillment_events/create", NAMES_ANOTHER_SHOP, (f) => fulfillmentEventFor(f), { statuses: [400] }),
      webhook(
        "fulfillment_events/create",
        `${B_IDS_FOR_A} (shop_id set to A's)`,
        (f) => ({ ...(fulfillmentEventFor(f) as object), shop_id: f.A.shopifyId }),
        FOR_A,
      ),
    ],
  },
  {
    file: "webhooks.fulfillments.create.tsx",
    probes: [webhook("fulfillments/create", B_IDS_FOR_A, (f) => fulfillmentFor(f), FOR_A)],
  },
  {
    file: "webhooks.fulfillments.update.tsx",
    probes: [webhook("fulfillments/update", B_IDS_FOR_A, (f) => fulfillmentFor(f), FOR_A)],
  },
  ...(["orders/create", "orders/cancelled", "orders/fulfilled", "orders/partially_fulfilled"] as const).map(
    (topic) => ({
      file: `webhooks.${topic.replace("/", ".")}.tsx`,
      probes: [webhook(topic, B_IDS_FOR_A, (f) => orderPayload(bShop(), f.b.order), FOR_A)],
    }),
  ),
  {
    file: "webhooks.orders.updated.tsx",
    probes: [
      webhook("orders/updated", B_IDS_FOR_A, (f) => orderPayload(bShop(), f.b.order), FOR_A),
      webhook(
        "orders/updated",
        "A2's order under A's header: A2's rows untouched",
        (f) => orderPayload(a2Shop(), f.a2.order),
        FOR_A,
      ),
    ],
  },
  {
    file: "webhooks.orders.edited.tsx",
    probes: [
      webhook(
        "orders/edited",
        B_IDS_FOR_A,
        (f) => ({
          order_edit: {
            id: 1,
            app_id: null,
            created_at: new Date().toISOString(),
            notify_customer: false,
            order_id: f.b.order.id,
            staff_note: "",
            user_id: null,
            line_items: { additions: [], removals: [] },
          },
        }),
        FOR_A,
      ),
    ],
  },
  // A return of B's order under A's header: only A's portal requests are looked at (by the return's
  // id, or a pending request on an order of A's with that id), so nothing of B moves.
  ...(
    [
      ["returns/approve", "webhooks.returns.approve.tsx"],
      ["returns/decline", "webhooks.returns.decline.tsx"],
      ["returns/close", "webhooks.returns.close.tsx"],
      ["returns/cancel", "webhooks.returns.cancel.tsx"],
    ] as const
  ).map(([topic, file]) => ({
    file,
    probes: [
      webhook(
        topic,
        B_IDS_FOR_A,
        (f) => ({
          id: 987_654_321,
          admin_graphql_api_id: "gid://shopify/Return/987654321",
          status: topic === "returns/approve" ? "open" : topic.slice("returns/".length) + "d",
          name: `${f.b.order.name}-R1`,
          order: { id: f.b.order.id, admin_graphql_api_id: `gid://shopify/Order/${f.b.order.id}` },
          order_id: f.b.order.id,
        }),
        FOR_A,
      ),
    ],
  })),
  {
    file: "webhooks.refunds.create.tsx",
    probes: [
      webhook(
        "refunds/create",
        B_IDS_FOR_A,
        (f) => refundPayload(bShop(), f.b.refunded, f.b.refunded.refunds[0]!),
        FOR_A,
      ),
    ],
  },
  // Quick answers (decision 026): the settings pages and the storefront read and change A's
  // workspace's flows only; B's flow id is "not found", B's tokens name no one of A's.
  {
    file: "app.settings.quick-answers._index.tsx",
    probes: [
      adminGet(
        "the list with B's workspace in the query",
        (f) => `/app/settings/quick-answers?index&workspaceId=${f.B.workspaceId}&${asIfB(f)}`,
        { ...KEEPS_B_QUICK_ANSWER, statuses: [200] },
      ),
      adminPost(
        "B's quick answer turned off",
        () => "/app/settings/quick-answers?index",
        () => ({
          intent: "enable",
          quickAnswerId: quickAnswers().id,
          enabled: "false",
        }),
        KEEPS_B_QUICK_ANSWER,
      ),
      adminPost(
        "B's quick answer moved",
        () => "/app/settings/quick-answers?index",
        () => ({
          intent: "move",
          quickAnswerId: quickAnswers().id,
          direction: "down",
        }),
        KEEPS_B_QUICK_ANSWER,
      ),
      adminPost(
        "a starter added with B's workspace in the form: added to A's",
        () => "/app/settings/quick-answers?index",
        (f) => ({
          intent: "add-starter",
          key: "sizing",
          workspaceId: f.B.workspaceId,
        }),
        {
          ...KEEPS_B_QUICK_ANSWER,
          ...FOR_A,
          async check(_answer, f) {
            const sizing = await db.quickAnswer.findMany({
              where: {
                content: {
                  path: ["en", "question"],
                  equals: "How do your sizes fit?",
                },
              },
            });
            expect(sizing.map((flow) => flow.workspaceId)).toEqual([f.A.workspaceId]);
          },
        },
      ),
    ],
  },
  {
    file: "app.settings.quick-answers.$quickAnswerId.tsx",
    probes: [
      adminGet(
        "B's quick answer opened",
        () => `/app/settings/quick-answers/${quickAnswers().id}`,
        KEEPS_B_QUICK_ANSWER,
      ),
      adminPost(
        "B's quick answer saved with A's words",
        () => `/app/settings/quick-answers/${quickAnswers().id}`,
        () => ({
          intent: "save",
          content: JSON.stringify({
            en: { question: "Taken over by Maple?", answer: "Yes.", links: [] },
          }),
          enabled: "true",
        }),
        KEEPS_B_QUICK_ANSWER,
      ),
      adminPost(
        "B's quick answer deleted",
        () => `/app/settings/quick-answers/${quickAnswers().id}`,
        () => ({ intent: "delete" }),
        KEEPS_B_QUICK_ANSWER,
      ),
      adminPost(
        "a new quick answer with B's workspace in the form: A's",
        () => "/app/settings/quick-answers/new",
        (f) => ({
          intent: "save",
          content: JSON.stringify({
            en: {
              question: "Maple: made in Canada?",
              answer: "Yes.",
              links: [],
            },
          }),
          enabled: "true",
          workspaceId: f.B.workspaceId,
        }),
        {
          ...KEEPS_B_QUICK_ANSWER,
          ...FOR_A,
          async check(_answer, f) {
            const made = await db.quickAnswer.findMany({
              where: {
                content: {
                  path: ["en", "question"],
                  equals: "Maple: made in Canada?",
                },
              },
            });
            expect(made.map((flow) => flow.workspaceId)).toEqual([f.A.workspaceId]);
          },
        },
      ),
    ],
  },
  {
    file: "proxy.portal.quick-answers.tsx",
    probes: [
      proxyGet(
        "a GET naming B's quick answer",
        "/proxy/portal/quick-answers",
        (f) => [...proxyParams(A), ["quickAnswerId", quickAnswers().id], ["workspaceId", f.B.workspaceId]],
        { ...KEEPS_B_QUICK_ANSWER, statuses: [405] },
      ),
      proxyPost(
        "the list with B's shop and workspace in the body: A's flows only",
        "/proxy/portal/quick-answers",
        () => proxyParams(A),
        (f) => ({
          shop: f.B.domain,
          workspaceId: f.B.workspaceId,
          token: shoppers().bToken,
        }),
        { ...KEEPS_B_QUICK_ANSWER, statuses: [200], mayChange: ["A's shop"] },
      ),
      proxyPost(
        "a use of B's quick answer: 404, nothing written",
        "/proxy/portal/quick-answers",
        () => proxyParams(A),
        () => ({ used: { quickAnswerId: quickAnswers().id, path: "" } }),
        { ...KEEPS_B_QUICK_ANSWER, statuses: [404], mayChange: ["A's shop"] },
      ),
      proxyPost(
        "a use of A's quick answer with B's portal token and chat token: A's use, no one of B's named",
        "/proxy/portal/quick-answers",
        () => proxyParams(A),
        () => ({
          used: { quickAnswerId: quickAnswers().aId, path: "" },
          token: shoppers().bToken,
          chatToken: quickAnswers().bVisitorToken,
        }),
        {
          ...KEEPS_B_QUICK_ANSWER,
          statuses: [201],
          mayChange: ["A's shop", "A's workspace"],
          async check(_answer, f) {
            const uses = await db.quickAnswerUse.findMany({
              where: { quickAnswerId: quickAnswers().aId },
            });
            expect(uses.map((use) => [use.workspaceId, use.shopId, use.visitorId, use.portalSessionId])).toEqual([
              [f.A.workspaceId, f.A.id, null, null],
            ]);
          },
        },
      ),
    ],
  },
];

function fulfillmentFor(f: Fixture) {
  const { order, fulfillmentIndex } = f.b.fulfilled;
  return fulfillmentPayload(bShop(), order, order.fulfillments[fulfillmentIndex]!);
}

function fulfillmentEventFor(f: Fixture) {
  const { order, fulfillmentIndex } = f.b.fulfilled;
  const fulfillment = order.fulfillments[fulfillmentIndex]!;
  return fulfillmentEventPayload(bShop(), order, fulfillment, fulfillment.events.at(-1)!);
}

// ---- The table covers every route --------------------------------------------------------------

const routeModules = import.meta.glob<{ loader?: unknown; action?: unknown }>("../../app/routes/*.tsx");
const fileOf = (path: string) => path.replace(/^.*\//, "");

describe("every route file has cross-tenant probes", () => {
  it("lists every file in app/routes, and no other", () => {
    const files = Object.keys(routeModules).map(fileOf).sort();
    const listed = ROUTES.map((route) => route.file).sort();
    const missing = files.filter((file) => !listed.includes(file));
    expect(
      missing,
      `Add these routes to ROUTES in tests/integration/cross-tenant.test.ts: ${missing.join(", ")}`,
    ).toEqual([]);
    expect(listed.filter((file) => !files.includes(file))).toEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it("probes each route's loader with a GET and its action with a POST", async () => {
    const uncovered: string[] = [];
    for (const [path, load] of Object.entries(routeModules)) {
      const module = await load();
      const probes = ROUTES.find((route) => route.file === fileOf(path))?.probes ?? [];
      if (module.loader && !probes.some((probe) => probe.method === "GET")) uncovered.push(`${fileOf(path)} loader`);
      if (module.action && !probes.some((probe) => probe.method !== "GET")) uncovered.push(`${fileOf(path)} action`);
    }
    expect(uncovered, "Add a probe for each to ROUTES in tests/integration/cross-tenant.test.ts").toEqual([]);
  });
});

// ---- Running the probes ------------------------------------------------------------------------

async function digestAll(f: Fixture): Promise<Record<Scope, TenantDigest>> {
  return {
    "A's shop": await digestShop(f.A),
    "A2's shop": await digestShop(f.A2),
    "B's shop": await digestShop(f.B),
    "A's workspace": await digestWorkspace(f.A.workspaceId),
    "B's workspace": await digestWorkspace(f.B.workspaceId),
  };
}

// Admin pages and the storefront first, then webhooks (some copy B's data into A, as a signed
// delivery for A says), then the probes that would end a tenant's data if they were not refused.
const phase = (p: Probe) => (p.last ? 2 : p.via === "webhook" ? 1 : 0);
const ordered = ROUTES.flatMap((route) => route.probes.map((p) => ({ ...p, file: route.file }))).sort(
  (a, b) => phase(a) - phase(b),
);

describe("another tenant's ids get nothing and change nothing", () => {
  for (const p of ordered) {
    it(`${p.file} ${p.method} (${p.via}): ${p.name}`, async () => {
      const f = fixture;
      const prepared = await p.prepare?.(f);
      const before = await digestAll(f);
      const since = new Date();
      const request = p.build(f);
      const sent = decodeURIComponent(request.url) + (await request.clone().text());

      const response = await fetch(request, { redirect: "manual" });
      const text = await response.text();
      const target = new URL(request.url);
      // The log's last entry could be a webhook the emulator sent meanwhile: find this request's.
      const served = stack.app.requests.findLast(
        (entry) => entry.method === request.method && entry.path === target.pathname + target.search,
      );
      expect(served?.route, "the probe did not reach the route it is listed under").toBe(p.file);
      expect(p.statuses, `answered ${response.status}: ${text.slice(0, 300)}`).toContain(response.status);

      await stack.emulator.waitForDeliveries();
      await waitUntilQuiet();

      // Values the probe itself sent may come back (a search box shows its query); nothing else of B's.
      const allowed = p.allow?.(f) ?? [];
      const forbidden = [...f.bValues, ...(p.forbid?.(f) ?? [])].filter(
        (value) => !sent.includes(value) && !allowed.includes(value),
      );
      expect(
        forbidden.filter((value) => text.includes(value)),
        "B's data in the answer",
      ).toEqual([]);

      const after = await digestAll(f);
      for (const scope of Object.keys(before) as Scope[]) {
        if (!p.mayChange.includes(scope)) expect(after[scope], `${scope} changed`).toEqual(before[scope]);
      }
      expect(await jobsQueuedFor(f.B, since), "work queued for B").toEqual([]);
      const calls = stack.emulator.requests.filter(
        (call) =>
          new Date(call.at) >= since &&
          (call.shop === f.B.domain || (call.shop === f.A2.domain && !p.mayChange.includes("A2's shop"))),
      );
      expect(calls, "calls to another store's Shopify").toEqual([]);

      let parsed: unknown = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON (a redirect, a bounce page)
      }
      await p.check?.({ status: response.status, text, json: parsed }, f, prepared);
    });
  }
});
