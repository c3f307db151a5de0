import { rateKey, takeRateLimits, type RateLimit } from "~/services/portal/rate-limits.server";
import { tooManyRequests } from "./chat-http.server";

// The chat's rate limits (decision 026), on the portal's sliding windows: each chat (its visitor)
// has its own, so one chat's flood never slows another's; the per-shop caps are far above what
// one chat may send, so a single chat cannot reach them either.

const MINUTE = 60_000;

export const CHAT_LIMITS = {
  message: { perChat: { max: 20, windowMs: MINUTE }, perShop: { max: 600, windowMs: MINUTE } },
  typing: { perChat: { max: 60, windowMs: MINUTE }, perShop: { max: 3000, windowMs: MINUTE } },
  upload: { perChat: { max: 10, windowMs: 10 * MINUTE }, perShop: { max: 300, windowMs: 60 * MINUTE } },
} as const;

export type ChatAction = keyof typeof CHAT_LIMITS;

/** The limits of one action by one visitor. */
export function chatLimits(action: ChatAction, visitor: { id: string; shopId: string }): RateLimit[] {
  const rules = CHAT_LIMITS[action];
  return [
    { kind: `chat-${action}:chat`, key: rateKey("chat-visitor", visitor.id), ...rules.perChat },
    { kind: `chat-${action}:shop`, key: rateKey("shop", visitor.shopId), ...rules.perShop },
  ];
}

/** Takes one action under its limits, or throws the 429 (with Retry-After) to answer. */
export async function takeChatLimit(action: ChatAction, visitor: { id: string; shopId: string }): Promise<void> {
  const decision = await takeRateLimits(visitor.shopId, chatLimits(action, visitor));
  if (!decision.ok) throw tooManyRequests(decision.retryAfterSeconds);
}
