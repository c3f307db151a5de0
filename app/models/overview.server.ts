import { db } from "~/db.server";
import { env } from "~/env.server";
import { webhookActivity } from "./webhook-event.server";

/** What the home page shows about one shop: install, workspace, sync health, data held. */
export async function getShopOverview(domain: string) {
  const shop = await db.shop.findUnique({
    where: { domain },
    include: {
      workspace: { include: { shops: { select: { domain: true, name: true }, orderBy: { installedAt: "asc" } } } },
    },
  });
  if (!shop) throw new Response(`Shop ${domain} is not installed`, { status: 404 });

  const [activity, complianceRequests, sessions, lastEvent] = await Promise.all([
    webhookActivity(domain),
    db.complianceRequest.count({ where: { shopDomain: domain } }),
    db.session.count({ where: { shop: domain } }),
    db.webhookEvent.findFirst({
      where: { shopDomain: domain },
      orderBy: { receivedAt: "desc" },
      select: { receivedAt: true, topic: true },
    }),
  ]);

  const granted = new Set((shop.grantedScopes ?? "").split(",").filter(Boolean));
  const missingScopes = shop.grantedScopes === null ? [] : env.SCOPES.split(",").filter((scope) => !granted.has(scope));

  return {
    installedAt: shop.installedAt.toISOString(),
    ianaTimezone: shop.ianaTimezone,
    workspace: { name: shop.workspace.name, shops: shop.workspace.shops },
    missingScopes,
    webhooks: {
      ...activity.counts,
      lastReceivedAt: lastEvent?.receivedAt.toISOString() ?? null,
      lastTopic: lastEvent?.topic ?? null,
    },
    held: {
      webhookEvents: Object.values(activity.counts).reduce((sum, count) => sum + count, 0),
      complianceRequests,
      sessions,
    },
  };
}
