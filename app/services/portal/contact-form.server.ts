import { db } from "~/db.server";
import { expectedAnswerWords, isOpen, nextOpening } from "~/domain/business-hours";
import { contactAutoReply, contactWords, type ContactForm } from "~/domain/contact-form";
import { env } from "~/env.server";
import { Prisma } from "~/generated/prisma/client";
import { queueReplyDelivery } from "~/jobs/mail-kinds.server";
import { logger } from "~/lib/logger.server";
import { defaultTimeZone, getBusinessHours } from "~/models/business-hours.server";
import { resolveHelpdeskCustomer } from "~/models/helpdesk-customer.server";
import { recordAgentContact } from "~/models/portal-usage.server";
import { markQuickAnswersContacted } from "~/models/quick-answer-use.server";
import { addAutomaticReply, linkOrderToNewTicket, openTicket } from "~/models/ticket.server";
import { readChatToken } from "~/services/chat/chat-token.server";
import type { PortalCall } from "./portal-auth.server";
import { readPortalToken } from "./portal-token.server";
import { rateKey, takeRateLimits, type RateLimit } from "./rate-limits.server";

// The storefront's offline contact form (decision 026): a contact_form ticket for the customer
// with this email (found or created like a portal request's), the order linked when it is one of
// theirs in this store, and ONE automatic reply saying when to expect an answer, sent by the
// durable reply delivery (retried; the shopper's answer threads into the ticket). Replies to the
// ticket go by email (services/mail/delivery.server.ts: contact_form → email).

const MINUTE = 60_000;

/** A shopper writes once or twice; a script sending to many addresses meets these first. */
export const CONTACT_RATE_LIMITS = {
  perIp: [
    { max: 5, windowMs: 10 * MINUTE },
    { max: 20, windowMs: 24 * 60 * MINUTE },
  ],
  perEmail: [
    { max: 3, windowMs: 10 * MINUTE },
    { max: 10, windowMs: 24 * 60 * MINUTE },
  ],
} as const;

/**
 * Auto-replies one store sends in an hour. The form mails whatever address is typed in it, so
 * someone spread over many IP addresses could use the merchant's mail to reach strangers; past this
 * the form still files every ticket (nobody is turned away), only without the automatic mail.
 */
export const CONTACT_AUTO_REPLIES_PER_SHOP = { max: 100, windowMs: 60 * MINUTE } as const;

/**
 * The same message from the same address within this time is the one already sent (a double
 * click, a retried call, the widget resending after a timeout): no second ticket, no second reply.
 */
export const REPEAT_WINDOW_MS = 10 * MINUTE;

export type ContactResult =
  | { ok: true; created: boolean; message: string; expectedAnswer: string; nextOpenAt: string | null }
  | { ok: false; status: 429; error: string; retryAfterSeconds: number };

type Client = Prisma.TransactionClient | typeof db;

/** A contact_form ticket of this store from this address with this very message, sent just now. */
const repeatOf = (client: Client, call: PortalCall, form: ContactForm, now: Date) =>
  client.ticket.findFirst({
    where: {
      workspaceId: call.shop.workspaceId,
      shopId: call.shop.id,
      channel: "contact_form",
      createdAt: { gt: new Date(now.getTime() - REPEAT_WINDOW_MS) },
      customer: { emails: { has: form.email } },
      entries: { some: { kind: "customer_message", fromAddress: form.email, body: form.message } },
    },
    select: { id: true },
  });

/** The portal session and chat visitor the body's tokens name in this store, when valid. */
async function whoIsWriting(call: PortalCall, now: Date) {
  const portalToken = typeof call.body.token === "string" ? call.body.token : "";
  const named = portalToken ? readPortalToken(portalToken, env.SHOPIFY_API_SECRET, now.getTime()) : null;
  const session =
    named && named.shopId === call.shop.id
      ? await db.portalSession.findFirst({
          where: { id: named.sessionId, shopId: call.shop.id, revokedAt: null, expiresAt: { gt: now } },
          select: { id: true },
        })
      : null;
  const chatToken = typeof call.body.chatToken === "string" ? call.body.chatToken : "";
  const chat = chatToken ? readChatToken(chatToken, env.SHOPIFY_API_SECRET, now.getTime()) : null;
  const visitor =
    chat && chat.shopId === call.shop.id
      ? await db.chatVisitor.findFirst({ where: { id: chat.visitorId, shopId: call.shop.id }, select: { id: true } })
      : null;
  return { portalSessionId: session?.id ?? null, visitorId: visitor?.id ?? null };
}

/** One of this customer's orders in this store with one of these names (by its email or its Shopify customer). */
async function customersOrder(tx: Prisma.TransactionClient, call: PortalCall, form: ContactForm, customerId: string) {
  if (form.orderNames.length === 0) return null;
  const linked = await tx.shopifyCustomer.findMany({
    where: { shopId: call.shop.id, helpdeskCustomerId: customerId },
    select: { shopifyId: true },
  });
  return tx.shopifyOrder.findFirst({
    where: {
      shopId: call.shop.id,
      name: { in: form.orderNames },
      deletedAt: null,
      OR: [{ email: form.email }, { shopifyCustomerId: { in: linked.map((customer) => customer.shopifyId) } }],
    },
    orderBy: { shopifyCreatedAt: "desc" },
    select: { id: true, name: true },
  });
}

/** Files the contact form, or says why not (the shopper's language). */
export async function submitContactForm(call: PortalCall, form: ContactForm, now = new Date()): Promise<ContactResult> {
  const words = contactWords(call.locale);
  const hours = await getBusinessHours(call.shop.workspaceId);
  const timezone = hours?.timezone ?? defaultTimeZone(call.shop.ianaTimezone);
  const open = isOpen(hours, now);
  const expectedAnswer = expectedAnswerWords(nextOpening(hours, now), now, timezone, call.locale);
  const nextOpenAt = open ? null : (nextOpening(hours, now)?.toISOString() ?? null);
  const answer = (created: boolean): ContactResult => ({
    ok: true,
    created,
    message: words.received,
    expectedAnswer,
    nextOpenAt,
  });

  // A repeat needs no room under the limits: it changes nothing.
  if (await repeatOf(db, call, form, now)) return answer(false);
  const limits: RateLimit[] = [
    ...CONTACT_RATE_LIMITS.perIp.map((rule) => ({ kind: "contact:ip", key: rateKey("ip", call.clientIp), ...rule })),
    ...CONTACT_RATE_LIMITS.perEmail.map((rule) => ({
      kind: "contact:email",
      key: rateKey("email", form.email),
      ...rule,
    })),
  ];
  const limit = await takeRateLimits(call.shop.id, limits, now);
  if (!limit.ok) return { ok: false, status: 429, error: words.tooMany, retryAfterSeconds: limit.retryAfterSeconds };

  const autoReplyAllowed = (
    await takeRateLimits(
      call.shop.id,
      [{ kind: "contact:auto-reply", key: "shop", ...CONTACT_AUTO_REPLIES_PER_SHOP }],
      now,
    )
  ).ok;
  const who = await whoIsWriting(call, now);
  const storeName = call.shop.name ?? call.shop.domain;
  const reply = contactAutoReply({ locale: call.locale, name: form.name, when: expectedAnswer, open, storeName });
  const filed = await db.$transaction(async (tx) => {
    // Locks this address in the workspace until the commit (resolveHelpdeskCustomer), so a double
    // click's second call waits here and then finds the first one's ticket.
    const customerId = await resolveHelpdeskCustomer(tx, call.shop.workspaceId, {
      email: form.email,
      phone: null,
      firstName: form.name,
      lastName: null,
    });
    if (await repeatOf(tx, call, form, now)) return null;
    const ticket = await openTicket(tx, call.shop.workspaceId, {
      channel: "contact_form",
      customerId,
      shopId: call.shop.id,
      tags: ["contact-form"],
      firstMessage: { body: form.message, fromAddress: form.email, at: now },
    });
    const order = await customersOrder(tx, call, form, customerId);
    if (order) await linkOrderToNewTicket(tx, ticket, order);
    const autoReply = autoReplyAllowed
      ? await addAutomaticReply(tx, ticket, { body: reply.text, subject: reply.subject, at: now })
      : null;
    await markQuickAnswersContacted(tx, { workspaceId: call.shop.workspaceId, ...who }, now);
    if (who.portalSessionId) {
      await recordAgentContact(tx, { shopId: call.shop.id, portalSessionId: who.portalSessionId }, now);
    }
    return { ticketId: ticket.id, replyId: autoReply?.id ?? null, orderLinked: order !== null };
  });
  if (!filed) return answer(false);
  // After the commit: the reply is stored as pending either way, and the reply sweep sends a
  // pending reply that never got its job (a crash right here).
  const { replyId } = filed;
  if (replyId) {
    await queueReplyDelivery(call.shop.workspaceId, replyId).catch((error: unknown) =>
      logger.warn("contact form auto-reply not queued; the reply sweep will send it", { replyId, error }),
    );
  } else {
    logger.warn("contact form auto-reply skipped: the store's hourly number of auto-replies is reached", {
      shop: call.shop.domain,
      ticketId: filed.ticketId,
    });
  }
  logger.info("contact form filed", {
    shop: call.shop.domain,
    ticketId: filed.ticketId,
    orderLinked: filed.orderLinked,
  });
  return answer(true);
}
