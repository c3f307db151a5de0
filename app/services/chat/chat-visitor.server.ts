import { z } from "zod";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { normalizeEmail } from "~/domain/customer-identity";
import { requirePortalSession, type PortalCall } from "~/services/portal/portal-auth.server";
import { rateKey, takeRateLimits } from "~/services/portal/rate-limits.server";
import { issueChatToken, readChatToken } from "./chat-token.server";

// POST /apps/shopdesk/portal/chat-token (App Proxy, decision 026): the widget's chat token. The
// visitor is one of this shop's ChatVisitor rows, reused only when the previous token (signed by
// us for this shop, expired up to 30 days) names it; a signed-in portal session gives it the
// shopper's email and customer.

export const ChatTokenBody = z.object({
  chatToken: z.string().max(2048).optional(),
  token: z.string().max(2048).optional(),
});

/** New visitors one address may create (a script minting visitors, not a shopper's browsers). */
export const NEW_VISITORS_PER_IP = { max: 30, windowMs: 60 * 60 * 1000 };

export type ChatTokenResult =
  | {
      ok: true;
      chatToken: string;
      liveUrl: string;
      visitor: { email: string | null; name: string | null };
      expiresAt: string;
      visitorId: string;
    }
  | { ok: false; status: 429; error: string; retryAfterSeconds: number };

async function signedInSession(call: PortalCall) {
  if (typeof call.body.token !== "string" || call.body.token === "") return null;
  try {
    return await requirePortalSession(call);
  } catch (thrown) {
    // A stale portal sign-in does not stop the chat: the shopper chats anonymously.
    if (thrown instanceof Response) return null;
    throw thrown;
  }
}

/** The helpdesk customer a signed-in shopper is: their Shopify customer's person, else the one with their email. */
async function customerOf(call: PortalCall, session: { email: string | null; shopifyCustomerId: string | null }) {
  if (session.shopifyCustomerId) {
    const link = await db.shopifyCustomer.findFirst({
      where: { shopId: call.shop.id, shopifyId: session.shopifyCustomerId, helpdeskCustomerId: { not: null } },
      select: { helpdeskCustomer: { select: { id: true, name: true } } },
    });
    if (link?.helpdeskCustomer) return link.helpdeskCustomer;
  }
  if (!session.email) return null;
  return db.helpdeskCustomer.findFirst({
    where: { workspaceId: call.shop.workspaceId, emails: { has: session.email } },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true },
  });
}

export async function issueChatSession(
  call: PortalCall,
  body: z.infer<typeof ChatTokenBody>,
  now = new Date(),
): Promise<ChatTokenResult> {
  const previous = body.chatToken
    ? readChatToken(body.chatToken, env.SHOPIFY_API_SECRET, now.getTime(), { forRefresh: true })
    : null;
  let visitor =
    previous && previous.shopId === call.shop.id
      ? await db.chatVisitor.findFirst({ where: { id: previous.visitorId, shopId: call.shop.id } })
      : null;
  const session = await signedInSession(call);
  const email = normalizeEmail(session?.email ?? null);
  // Someone else signed in on this browser: they get their own visitor, not the last one's chat.
  if (visitor && email && visitor.email && visitor.email !== email) visitor = null;

  if (!visitor) {
    const allowed = await takeRateLimits(call.shop.id, [
      { kind: "chat-visitor:ip", key: rateKey("ip", call.clientIp), ...NEW_VISITORS_PER_IP },
    ]);
    if (!allowed.ok) {
      return {
        ok: false,
        status: 429,
        error: "Too many chats from this network. Please try again later.",
        retryAfterSeconds: allowed.retryAfterSeconds,
      };
    }
    visitor = await db.chatVisitor.create({
      data: { shopId: call.shop.id, workspaceId: call.shop.workspaceId, lastSeenAt: now },
    });
  }
  const customer =
    session && email ? await customerOf(call, { email, shopifyCustomerId: session.shopifyCustomerId }) : null;
  visitor = await db.chatVisitor.update({
    where: { id: visitor.id },
    data: {
      lastSeenAt: now,
      ...(email ? { email } : {}),
      ...(customer ? { customerId: customer.id, name: visitor.name ?? customer.name } : {}),
    },
  });
  const { token, expiresAt } = issueChatToken(visitor, env.SHOPIFY_API_SECRET, now.getTime(), session?.id ?? null);
  return {
    ok: true,
    chatToken: token,
    liveUrl: env.SHOPIFY_APP_URL.replace(/\/$/, ""),
    visitor: { email: visitor.email, name: visitor.name },
    expiresAt: expiresAt.toISOString(),
    visitorId: visitor.id,
  };
}
