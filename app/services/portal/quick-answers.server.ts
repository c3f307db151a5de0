import { z } from "zod";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { localizeQuickAnswer, quickAnswerLocale, type LocalizedQuickAnswer } from "~/domain/quick-answers";
import { listQuickAnswers } from "~/models/quick-answer.server";
import { recordQuickAnswerUse, type RecordUseResult } from "~/models/quick-answer-use.server";
import { readChatToken } from "~/services/chat/chat-token.server";
import type { PortalCall } from "./portal-auth.server";
import { readPortalToken } from "./portal-token.server";
import { rateKey, takeRateLimits, type RateDecision } from "./rate-limits.server";

// The storefront widget's quick answers (decision 026): the shop's enabled flows in the shopper's
// language, and a use recorded when the shopper opens one. No sign-in needed; a portal token and a
// chat token, when the widget has them, say who used it (for deflection), and are ignored when
// they do not name a live session or visitor of this shop.

const MINUTE = 60_000;

/** Body of POST /apps/shopdesk/portal/quick-answers. */
export const QuickAnswersBodySchema = z.object({
  used: z
    .object(
      {
        quickAnswerId: z.string({ error: "Say which quick answer was used." }).max(100),
        path: z.string({ error: "Say which answer of the quick answer was opened." }).max(100),
      },
      { error: "Say which quick answer was used." },
    )
    .optional(),
  token: z.string().max(2000).optional(),
  chatToken: z.string().max(2000).optional(),
});

/**
 * One widget opening lists the flows, and each answer opened records a use: a shopper does a few
 * a minute. The shop's cap keeps a flood from many addresses from filling the use table.
 */
export function takeQuickAnswerLimits(call: PortalCall, recordsUse: boolean): Promise<RateDecision> {
  return takeRateLimits(call.shop.id, [
    { kind: "quick-answers:ip", key: rateKey("ip", call.clientIp), max: 60, windowMs: MINUTE },
    ...(recordsUse
      ? [{ kind: "quick-answer-use:shop", key: rateKey("shop", call.shop.id), max: 600, windowMs: MINUTE }]
      : []),
  ]);
}

/** The shop's workspace's enabled flows, in order, in the shopper's language (English per answer otherwise). */
export async function storefrontQuickAnswers(call: PortalCall): Promise<LocalizedQuickAnswer[]> {
  const locale = quickAnswerLocale(call.locale);
  const flows = await listQuickAnswers(call.shop.workspaceId, { enabledOnly: true });
  return flows.flatMap((flow) =>
    flow.content ? [localizeQuickAnswer({ id: flow.id, content: flow.content }, locale)] : [],
  );
}

/** Who is using the widget, from the tokens we signed for this shop (null when not known). */
async function whoIsAsking(call: PortalCall, tokens: { token?: string; chatToken?: string }) {
  const now = new Date();
  const chat = tokens.chatToken ? readChatToken(tokens.chatToken, env.SHOPIFY_API_SECRET) : null;
  const visitor =
    chat && chat.shopId === call.shop.id
      ? await db.chatVisitor.findFirst({ where: { id: chat.visitorId, shopId: call.shop.id }, select: { id: true } })
      : null;
  const portal = tokens.token ? readPortalToken(tokens.token, env.SHOPIFY_API_SECRET) : null;
  // The portal session of the body's token, else the one the chat token was issued with.
  const sessionId = portal?.shopId === call.shop.id ? portal.sessionId : visitor ? chat?.portalSessionId : null;
  const session = sessionId
    ? await db.portalSession.findFirst({
        where: { id: sessionId, shopId: call.shop.id, revokedAt: null, expiresAt: { gt: now } },
        select: { id: true },
      })
    : null;
  return { visitorId: visitor?.id ?? null, portalSessionId: session?.id ?? null };
}

/** Records the use the body names, for the shop's workspace only. */
export async function recordStorefrontUse(
  call: PortalCall,
  body: z.infer<typeof QuickAnswersBodySchema> & { used: NonNullable<z.infer<typeof QuickAnswersBodySchema>["used"]> },
): Promise<RecordUseResult> {
  const who = await whoIsAsking(call, body);
  return recordQuickAnswerUse({
    workspaceId: call.shop.workspaceId,
    shopId: call.shop.id,
    quickAnswerId: body.used.quickAnswerId,
    path: body.used.path,
    locale: quickAnswerLocale(call.locale),
    ...who,
  });
}
