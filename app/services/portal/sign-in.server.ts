import { db } from "~/db.server";
import { codeEmail, codeSms, type PortalLocale } from "~/domain/portal-messages";
import { env } from "~/env.server";
import { logger, type Logger } from "~/lib/logger.server";
import { mailSettingsForSending } from "~/models/mail-settings.server";
import {
  portalOptions,
  sealedSmsAuthToken,
  smsAuthTokenContext,
  type PortalOptions,
} from "~/models/portal-settings.server";
import { newMessageId } from "~/services/mail/reply-message";
import { sendSmtp } from "~/services/mail/smtp.server";
import { openPortalSession, portalError, type PortalCall, type PortalSignInMethod } from "./portal-auth.server";
import { limitsFor, rateKey, takeRateLimits, type RateDecision } from "./rate-limits.server";
import {
  codeHash,
  destinationHash,
  MAX_WRONG_CODE_TRIES,
  newSignInCode,
  sameHash,
  SIGN_IN_CODE_TTL_MS,
} from "./sign-in-codes.server";
import type { CodeChannel } from "./sign-in-input";
import { smsProviderFor } from "./sms.server";

// Signing in to the storefront portal (docs/decisions/023-portal.md): a one-time code by email or
// text message, an email + order number, or the store's own login. What a request for a code
// answers never depends on the address: whether it is a customer's, whether a code went out and
// whether a limit was hit are decided after the answer, out of the request's time.

const customerGid = (numericId: string) => `gid://shopify/Customer/${numericId}`;

/** Who a portal session is, as the widget shows it. */
export interface ShopperView {
  method: PortalSignInMethod;
  email: string | null;
  phone: string | null;
  firstName: string | null;
}

export type SignInResult =
  | { ok: true; token: string; shopper: ShopperView }
  /** Wrong, expired, used or unknown: one answer for all. */
  | { ok: false; reason: "refused" }
  | { ok: false; reason: "rate-limited"; retryAfterSeconds: number };

/** 429 with Retry-After: the widget says when to try again. */
export function tooManyAttempts(message: string, retryAfterSeconds: number): Response {
  const response = portalError(429, message, { retryAfterSeconds });
  response.headers.set("Retry-After", String(retryAfterSeconds));
  return response;
}

/** The sign-in channels the store offers, for the widget. */
export const signInChannels = (options: PortalOptions) => ({
  emailCode: options.signInEmailCode,
  smsCode: options.signInSmsCode,
  orderNumber: options.signInOrderNumber,
});

const logFor = (call: PortalCall, action: string) =>
  logger.child({ component: "portal-sign-in", shopId: call.shop.id, action });

// ---- Codes: sending ----------------------------------------------------------------------------

const inFlight = new Set<Promise<void>>();

/** The send starts this long after the request's answer is ready: by then the answer has left. */
const SEND_DELAY_MS = 50;

/**
 * Runs `work` once the current request has been answered (SEND_DELAY_MS later), so its time is
 * not the answer's, nor does it compete with the answer for the process. Not durable: a crash
 * loses the send, and the shopper asks again (a queued job would hold the address or the code in
 * the clear in the queue's table).
 */
function afterAnswer(log: Logger, work: () => Promise<void>) {
  const run = new Promise<void>((resolve) => setTimeout(resolve, SEND_DELAY_MS))
    .then(work)
    .catch((error: unknown) => log.error("sending a portal sign-in code failed", { error }))
    .finally(() => inFlight.delete(run));
  inFlight.add(run);
}

/** Resolves when every code send started so far has finished (tests, and a graceful stop). */
export async function portalSendsSettled(): Promise<void> {
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
}

/**
 * A shopper asks for a code at `destination` (normalised). Counts the request against the
 * address's and the IP's limits and, within them, sends a code after the answer — if the address
 * is a customer's or an order's of this shop. The caller answers the same whatever happens here;
 * the result is for logs and tests.
 */
export async function requestSignInCode(
  call: PortalCall,
  request: { channel: CodeChannel; destination: string; locale: PortalLocale },
): Promise<RateDecision> {
  const log = logFor(call, "code-request");
  const destination = destinationHash(env.SHOPIFY_API_SECRET, call.shop.id, request.channel, request.destination);
  const decision = await takeRateLimits(call.shop.id, [
    ...limitsFor("codeSendPerDestination", destination),
    ...limitsFor("codeSendPerIp", rateKey("ip", call.clientIp)),
  ]);
  if (!decision.ok) {
    log.info("portal code request over a limit: nothing sent", { channel: request.channel });
    return decision;
  }
  afterAnswer(log, () => sendSignInCode(call.shop, { ...request, destinationHash: destination }, log));
  return decision;
}

/** The shop's customer with this email or phone, if any (not a deleted one). */
async function customerAt(shopId: string, channel: CodeChannel, destination: string) {
  return db.shopifyCustomer.findFirst({
    where: { shopId, deletedAt: null, ...(channel === "email" ? { email: destination } : { phone: destination }) },
    orderBy: { shopifyCreatedAt: "asc" },
    select: { shopifyId: true, firstName: true, email: true, phone: true },
  });
}

/** True when a customer or an order of the shop has this email or phone. */
async function isKnownDestination(shopId: string, channel: CodeChannel, destination: string): Promise<boolean> {
  if (await customerAt(shopId, channel, destination)) return true;
  const order = await db.shopifyOrder.findFirst({
    where: { shopId, deletedAt: null, ...(channel === "email" ? { email: destination } : { phone: destination }) },
    select: { id: true },
  });
  return order !== null;
}

type Deliver = (code: string) => Promise<{ ok: true } | { ok: false; error: string }>;

/** How this shop sends a code by `channel`, or why it cannot (its SMTP or SMS provider is not set up). */
async function deliveryFor(
  shop: PortalCall["shop"],
  channel: CodeChannel,
  destination: string,
  locale: PortalLocale,
): Promise<{ ok: true; deliver: Deliver } | { ok: false; problem: string }> {
  const shopName = shop.name || shop.domain.replace(/\.myshopify\.com$/, "");
  if (channel === "email") {
    const settings = await mailSettingsForSending(shop.workspaceId);
    if (!settings.ok) return { ok: false, problem: settings.error };
    const { fromAddress } = settings.settings;
    return {
      ok: true,
      async deliver(code) {
        const mail = codeEmail(locale, { shopName, code });
        // From the store's name: the shopper asked this store, whichever of the workspace's it is.
        const sent = await sendSmtp(settings.settings, {
          from: { name: shopName, address: fromAddress },
          to: destination,
          subject: mail.subject,
          text: mail.text,
          messageId: newMessageId(fromAddress),
          inReplyTo: null,
          references: [],
        });
        return sent.ok ? { ok: true } : { ok: false, error: sent.error };
      },
    };
  }
  const options = await portalOptions(shop.id);
  const sealed = { token: await sealedSmsAuthToken(shop.id), context: smsAuthTokenContext(shop.id) };
  const choice = smsProviderFor(options, sealed);
  if (!choice.ok) return { ok: false, problem: choice.problem };
  return {
    ok: true,
    async deliver(code) {
      const sent = await choice.provider.send({ to: destination, body: codeSms(locale, { shopName, code }) });
      return sent.ok ? { ok: true } : { ok: false, error: sent.error };
    },
  };
}

async function sendSignInCode(
  shop: PortalCall["shop"],
  request: { channel: CodeChannel; destination: string; destinationHash: string; locale: PortalLocale },
  log: Logger,
) {
  const { channel, destination } = request;
  if (!(await isKnownDestination(shop.id, channel, destination))) {
    log.info("portal code not sent: no customer or order of the store has this address", { channel });
    return;
  }
  const delivery = await deliveryFor(shop, channel, destination, request.locale);
  if (!delivery.ok) {
    log.warn("portal code not sent: the store cannot send it", { channel, problem: delivery.problem });
    return;
  }
  const code = newSignInCode();
  const now = new Date();
  // Stored before sending: a shopper quick enough to type it finds it. Older codes of this address
  // stop counting now (only the newest does).
  const row = await db.portalSignInCode.create({
    data: {
      shopId: shop.id,
      channel,
      destinationHash: request.destinationHash,
      codeHash: codeHash(env.SHOPIFY_API_SECRET, shop.id, request.destinationHash, code),
      expiresAt: new Date(now.getTime() + SIGN_IN_CODE_TTL_MS),
      createdAt: now,
    },
    select: { id: true },
  });
  const sent = await delivery.deliver(code);
  if (!sent.ok) {
    // Undelivered: the code the shopper may still hold from before goes on working.
    await db.portalSignInCode.deleteMany({ where: { id: row.id } });
    log.warn("portal code not delivered", { channel, error: sent.error });
    return;
  }
  log.info("portal code sent", { channel, codeId: row.id });
  await forgetOldCodes(now);
}

let lastCodeCleanup = 0;
/** Codes past their expiry for a day are of no use to anyone: deleted, at most once a minute. */
async function forgetOldCodes(now: Date) {
  if (now.getTime() - lastCodeCleanup < 60_000 && now.getTime() >= lastCodeCleanup) return;
  lastCodeCleanup = now.getTime();
  await db.portalSignInCode.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - 24 * 60 * 60_000) } } });
}

// ---- Codes: checking ---------------------------------------------------------------------------

/** No PortalSignInCode has this id: the statement that counts a try runs, and matches nothing. */
const NO_CODE = "00000000-0000-0000-0000-000000000000";

/**
 * Checks a code for `destination`. Only the newest code of the address counts, once, for 10
 * minutes and 5 tries. Each check first takes one of the code's tries (atomically, so parallel
 * guesses cannot share one), and a right code gives it back as it is used.
 */
export async function verifySignInCode(
  call: PortalCall,
  request: { channel: CodeChannel; destination: string; code: string; locale: PortalLocale },
): Promise<SignInResult> {
  const log = logFor(call, "code-check");
  const limit = await takeRateLimits(call.shop.id, limitsFor("verifyPerIp", rateKey("ip", call.clientIp)));
  if (!limit.ok) {
    log.info("portal code check over the IP's limit");
    return { ok: false, reason: "rate-limited", retryAfterSeconds: limit.retryAfterSeconds };
  }
  const shopId = call.shop.id;
  const destination = destinationHash(env.SHOPIFY_API_SECRET, shopId, request.channel, request.destination);
  const now = new Date();
  const newest = await db.portalSignInCode.findFirst({
    where: { shopId, channel: request.channel, destinationHash: destination },
    orderBy: { createdAt: "desc" },
    select: { id: true, codeHash: true },
  });
  // The same statement whether or not the address has a code: the answer's time says nothing.
  const tookTry = await db.portalSignInCode.updateMany({
    where: {
      id: newest?.id ?? NO_CODE,
      usedAt: null,
      expiresAt: { gt: now },
      failedTries: { lt: MAX_WRONG_CODE_TRIES },
    },
    data: { failedTries: { increment: 1 } },
  });
  const given = codeHash(env.SHOPIFY_API_SECRET, shopId, destination, request.code);
  const right = newest !== null && tookTry.count === 1 && sameHash(newest.codeHash, given);
  if (!right) {
    log.info("portal code refused", { channel: request.channel, counted: tookTry.count === 1 });
    return { ok: false, reason: "refused" };
  }
  const used = await db.portalSignInCode.updateMany({
    where: { id: newest.id, usedAt: null },
    data: { usedAt: now, failedTries: { decrement: 1 } },
  });
  if (used.count !== 1) return { ok: false, reason: "refused" };

  const customer = await customerAt(shopId, request.channel, request.destination);
  const method = request.channel === "email" ? "email_code" : "sms_code";
  const opened = await openPortalSession(shopId, {
    method,
    ...(request.channel === "email" ? { email: request.destination } : { phone: request.destination }),
    shopifyCustomerId: customer?.shopifyId ?? null,
    locale: request.locale,
  });
  log.info("portal sign-in by code", { channel: request.channel, sessionId: opened.session.id });
  return {
    ok: true,
    token: opened.token,
    shopper: {
      method,
      email: opened.session.email,
      phone: opened.session.phone,
      firstName: customer?.firstName ?? null,
    },
  };
}

// ---- Email + order number ----------------------------------------------------------------------

/** Signs in to one order: an order of this shop with one of these names and this email. */
export async function signInWithOrder(
  call: PortalCall,
  request: { email: string; orderNames: string[]; locale: PortalLocale },
): Promise<SignInResult> {
  const log = logFor(call, "order-sign-in");
  const shopId = call.shop.id;
  const limit = await takeRateLimits(shopId, [
    ...limitsFor("orderSignInPerIp", rateKey("ip", call.clientIp)),
    ...limitsFor("orderSignInPerEmail", rateKey("email", request.email)),
  ]);
  if (!limit.ok) {
    log.info("portal order sign-in over a limit");
    return { ok: false, reason: "rate-limited", retryAfterSeconds: limit.retryAfterSeconds };
  }
  const order = await db.shopifyOrder.findFirst({
    where: { shopId, name: { in: request.orderNames }, email: request.email, deletedAt: null },
    orderBy: { shopifyCreatedAt: "desc" },
    select: { id: true, shopifyCustomerId: true },
  });
  if (!order) {
    log.info("portal order sign-in refused");
    return { ok: false, reason: "refused" };
  }
  const opened = await openPortalSession(shopId, {
    method: "order_number",
    email: request.email,
    orderId: order.id,
    locale: request.locale,
  });
  log.info("portal sign-in by order number", { sessionId: opened.session.id, orderId: order.id });
  return { ok: true, token: opened.token, shopper: await shopperOf(shopId, opened.session) };
}

// ---- The store's login, and who is signed in -----------------------------------------------------

/**
 * A session for the store's logged-in customer (the App Proxy's signed logged_in_customer_id), when
 * that customer is one of this shop's. No code: Shopify vouches for them.
 */
export async function signInStoreCustomer(call: PortalCall, locale: PortalLocale): Promise<SignInResult | null> {
  if (!call.loggedInCustomerId) return null;
  const customer = await db.shopifyCustomer.findFirst({
    where: { shopId: call.shop.id, shopifyId: customerGid(call.loggedInCustomerId), deletedAt: null },
    select: { shopifyId: true, email: true, phone: true, firstName: true },
  });
  if (!customer) return null;
  const opened = await openPortalSession(call.shop.id, {
    method: "store_login",
    email: customer.email,
    phone: customer.phone,
    shopifyCustomerId: customer.shopifyId,
    locale,
  });
  logFor(call, "store-login").info("portal sign-in by store login", { sessionId: opened.session.id });
  return {
    ok: true,
    token: opened.token,
    shopper: { method: "store_login", email: customer.email, phone: customer.phone, firstName: customer.firstName },
  };
}

/** True when the store says someone else is logged in than the session's customer. */
export const storeLoginDiffers = (call: PortalCall, session: { shopifyCustomerId: string | null }) =>
  call.loggedInCustomerId !== null && session.shopifyCustomerId !== customerGid(call.loggedInCustomerId);

/** Who a session is: its method, email or phone, and the first name Shopify has for them. */
export async function shopperOf(
  shopId: string,
  session: {
    method: string;
    email: string | null;
    phone: string | null;
    shopifyCustomerId: string | null;
    orderId: string | null;
  },
): Promise<ShopperView> {
  let customerId = session.shopifyCustomerId;
  if (!customerId && session.orderId) {
    const order = await db.shopifyOrder.findFirst({
      where: { id: session.orderId, shopId },
      select: { shopifyCustomerId: true },
    });
    customerId = order?.shopifyCustomerId ?? null;
  }
  const customer = customerId
    ? await db.shopifyCustomer.findFirst({
        where: { shopId, shopifyId: customerId, deletedAt: null },
        select: { firstName: true },
      })
    : null;
  return {
    method: session.method as PortalSignInMethod,
    email: session.email,
    phone: session.phone,
    firstName: customer?.firstName ?? null,
  };
}

/** Signs the session out for good: its token stops working everywhere. */
export async function signOutPortalSession(shopId: string, sessionId: string): Promise<void> {
  await db.portalSession.updateMany({
    where: { id: sessionId, shopId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
}
