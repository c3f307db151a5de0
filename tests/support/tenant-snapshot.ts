// What one tenant holds, table by table, as a row count and a hash of its rows: taken before and
// after a request, it shows whether the request changed anything of that tenant (a changed,
// added or removed row changes the table's entry, and the diff names the table).
import { eventually } from "./wait.ts";

export interface TableDigest {
  rows: number;
  hash: string;
}
export type TenantDigest = Record<string, TableDigest>;

type Key = "shopId" | "domain" | "workspaceId";

// Every table that holds a shop's or a workspace's data, with the column that says whose it is.
// A table added to prisma/schema.prisma with tenant data belongs here.
/** [table, owner column, key, and the row as text when not all of it (default: the whole row)]. */
type TableSpec = [table: string, column: string, key: Key, row?: string];
const SHOP_TABLES: TableSpec[] = [
  ["Shop", "id", "shopId"],
  ["Session", "shop", "domain"],
  ["SyncState", "shopId", "shopId"],
  ["ShopifyCustomer", "shopId", "shopId"],
  ["ShopifyOrder", "shopId", "shopId"],
  ["WebhookEvent", "shopDomain", "domain"],
  ["ComplianceRequest", "shopDomain", "domain"],
  ["Job", "shopId", "shopId"],
  ["PortalSettings", "shopId", "shopId"],
  ["PortalSignInCode", "shopId", "shopId"],
  ["PortalRateEvent", "shopId", "shopId"],
  // Without its sliding expiry: a shopper's every call moves lastSeenAt and expiresAt, refused or not.
  [
    "PortalSession",
    "shopId",
    "shopId",
    `(t.id, t."shopId", t.method, t."shopifyCustomerId", t.email, t.phone, t."orderId", t.locale,
      t."createdAt", t."revokedAt", t.tracks, t."trackedOrderIds", t.requests, t."reachedAgentAt")`,
  ],
  ["PortalRequest", "shopId", "shopId"],
  ["ChatVisitor", "shopId", "shopId"],
];
const WORKSPACE_TABLES: TableSpec[] = [
  ["Workspace", "id", "workspaceId"],
  ["HelpdeskCustomer", "workspaceId", "workspaceId"],
  ["WorkspaceLinkCode", "workspaceId", "workspaceId"],
  ["Agent", "workspaceId", "workspaceId"],
  ["Ticket", "workspaceId", "workspaceId"],
  ["TicketEntry", "workspaceId", "workspaceId"],
  ["TicketAttachment", "workspaceId", "workspaceId"],
  ["TicketViewer", "workspaceId", "workspaceId"],
  ["Macro", "workspaceId", "workspaceId"],
  ["CustomerMerge", "workspaceId", "workspaceId"],
  ["WorkspaceMailSettings", "workspaceId", "workspaceId"],
  // Without its use: every request with a key moves lastUsedAt and the rate window, answered or not.
  [
    "ApiKey",
    "workspaceId",
    "workspaceId",
    `(t.id, t."workspaceId", t.name, t.username, t."keyHash", t."keyPrefix", t."createdAt", t."revokedAt")`,
  ],
  ["Integration", "workspaceId", "workspaceId"],
  ["Widget", "workspaceId", "workspaceId"],
  ["BusinessHours", "workspaceId", "workspaceId"],
  ["QuickAnswer", "workspaceId", "workspaceId"],
  ["QuickAnswerUse", "workspaceId", "workspaceId"],
  ["ChatThread", "workspaceId", "workspaceId"],
];

async function digest(tables: TableSpec[], keys: Partial<Record<Key, string>>): Promise<TenantDigest> {
  const { db } = await import("~/db.server");
  const result: TenantDigest = {};
  for (const [table, column, key, rowText = "t"] of tables) {
    const [row] = await db.$queryRawUnsafe<{ rows: number; hash: string }[]>(
      `SELECT count(*)::int AS rows,
              md5(coalesce(string_agg(${rowText}::text, E'\\n' ORDER BY ${rowText}::text), '')) AS hash
       FROM "${table}" t WHERE t."${column}" = $1`,
      keys[key],
    );
    result[table] = row!;
  }
  return result;
}

/** The shop's own rows (Shopify data, sessions, webhooks, privacy requests, sync state). */
export const digestShop = (shop: { id: string; domain: string }) =>
  digest(SHOP_TABLES, { shopId: shop.id, domain: shop.domain });

/** The workspace's rows (the workspace, its helpdesk customers, its link codes). */
export const digestWorkspace = (workspaceId: string) => digest(WORKSPACE_TABLES, { workspaceId });

/** Background jobs queued since `since` whose data names the shop (its domain or its row id). */
export async function jobsQueuedFor(shop: { id: string; domain: string }, since: Date) {
  const { db } = await import("~/db.server");
  return db.$queryRaw<{ name: string; data: unknown }[]>`
    SELECT name, data FROM pgboss.job
    WHERE created_on >= ${since}
      AND (data::text LIKE ${"%" + shop.domain + "%"} OR data::text LIKE ${"%" + shop.id + "%"})`;
}

/**
 * Waits until the app has finished what a request set off: webhook events handled, due jobs
 * done, no import running. (A retry scheduled further ahead, or the next periodic reconcile in 15
 * minutes, does not count.)
 */
export async function waitUntilQuiet(timeoutMs = 60_000) {
  const { db } = await import("~/db.server");
  await eventually(
    async () => {
      const [pending] = await db.$queryRaw<{ events: number; jobs: number; imports: number }[]>`
        SELECT
          (SELECT count(*)::int FROM "WebhookEvent" WHERE status = 'received') AS events,
          (SELECT count(*)::int FROM pgboss.job
            WHERE state IN ('created', 'retry', 'active') AND start_after <= now() + interval '2 seconds') AS jobs,
          (SELECT count(*)::int FROM "SyncState" WHERE "backfillStatus" IN ('pending', 'running')) AS imports`;
      return pending!.events + pending!.jobs + pending!.imports === 0;
    },
    { timeoutMs, intervalMs: 100 },
  );
}
