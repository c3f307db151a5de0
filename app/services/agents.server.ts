import { logger } from "~/lib/logger.server";
import { findAgentForLogin, recordAgentLogin, type AgentSummary } from "~/models/agent.server";
import { db } from "~/db.server";
import { sessionTokenOf } from "~/lib/session-token";
import { staffUserOf } from "~/shopify.server";

const agentsByRequest = new WeakMap<Request, Promise<AgentSummary | null>>();

/**
 * agentForSession for an authenticated admin request (what authenticate.admin returned), once per
 * request: on a page load the layout's loader and the page's ask for the same request.
 */
export function agentForRequest(
  request: Request,
  auth: { session: { shop: string }; sessionToken?: { sub?: string } },
): Promise<AgentSummary | null> {
  let agent = agentsByRequest.get(request);
  if (!agent) {
    agent = agentForSession({
      shop: auth.session.shop,
      userId: auth.sessionToken?.sub,
      idToken: sessionTokenOf(request),
    });
    agentsByRequest.set(request, agent);
  }
  return agent;
}

/**
 * The agent using the embedded app: the session token's staff user, known from an earlier visit
 * or learnt now by online token exchange (then remembered). Null when Shopify cannot say who it
 * is right now: the page still works, without what needs an agent.
 */
export async function agentForSession(session: {
  shop: string;
  /** The session token's `sub`. */
  userId: string | undefined;
  /** The encoded session token, for the exchange. */
  idToken: string | null;
}): Promise<AgentSummary | null> {
  if (!session.userId) return null;
  const shop = await db.shop.findUnique({ where: { domain: session.shop }, select: { id: true, workspaceId: true } });
  if (!shop) return null;
  const known = await findAgentForLogin(shop, session.userId);
  if (known || !session.idToken) return known;
  try {
    const user = await staffUserOf(session.shop, session.idToken);
    if (user.shopifyUserId !== session.userId)
      throw new Error("Shopify named another staff member than the session token");
    return await recordAgentLogin(shop, user);
  } catch (error) {
    logger.warn("could not tell which staff member is using the app", { shop: session.shop, error });
    return null;
  }
}
