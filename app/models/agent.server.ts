import { db } from "~/db.server";
import type { StaffUser } from "~/shopify.server";

// Agents: the people who answer tickets, one record per person per workspace (by email), with the
// staff logins (shop + Shopify user id) that are them.

export interface AgentSummary {
  id: string;
  name: string;
  email: string;
}

/** How stale lastSeenAt may get before a visit writes it again. */
const SEEN_PRECISION_MS = 5 * 60_000;

/**
 * The agent a shop's staff user is in the shop's current workspace, or null when not known yet
 * (or only known from a workspace the shop has since left). Notes the visit.
 */
export async function findAgentForLogin(
  shop: { id: string; workspaceId: string },
  shopifyUserId: string,
): Promise<AgentSummary | null> {
  const login = await db.agentLogin.findUnique({
    where: { shopId_shopifyUserId: { shopId: shop.id, shopifyUserId } },
    select: { agent: { select: { id: true, name: true, email: true, workspaceId: true, lastSeenAt: true } } },
  });
  const agent = login?.agent;
  if (!agent || agent.workspaceId !== shop.workspaceId) return null;
  if (Date.now() - agent.lastSeenAt.getTime() > SEEN_PRECISION_MS) {
    await db.agent.update({ where: { id: agent.id }, data: { lastSeenAt: new Date() } });
  }
  return { id: agent.id, name: agent.name, email: agent.email };
}

/**
 * Records a staff user as an agent of the shop's workspace: the same email in any of the
 * workspace's shops is the same agent (its name follows Shopify's latest); the login points at it.
 * Safe to run twice at once (first visits of two tabs).
 */
export async function recordAgentLogin(
  shop: { id: string; workspaceId: string },
  user: StaffUser,
): Promise<AgentSummary> {
  const email = user.email.trim().toLowerCase();
  const agent = await db.agent.upsert({
    where: { workspaceId_email: { workspaceId: shop.workspaceId, email } },
    create: { workspaceId: shop.workspaceId, email, name: user.name },
    update: { name: user.name, lastSeenAt: new Date() },
    select: { id: true, name: true, email: true },
  });
  await db.agentLogin.upsert({
    where: { shopId_shopifyUserId: { shopId: shop.id, shopifyUserId: user.shopifyUserId } },
    create: { shopId: shop.id, shopifyUserId: user.shopifyUserId, agentId: agent.id },
    update: { agentId: agent.id },
  });
  return agent;
}

/** The workspace's agents, by name (assignment pickers, filters). */
export function listAgents(workspaceId: string) {
  return db.agent.findMany({
    where: { workspaceId },
    orderBy: [{ name: "asc" }, { email: "asc" }],
    select: { id: true, name: true, email: true },
  });
}
