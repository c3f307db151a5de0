import type { Prisma } from "~/generated/prisma/client";

type Tx = Prisma.TransactionClient;

// A shop moving between workspaces (services/workspace-link.server.ts) re-files its customers'
// people; a sync filing one of the shop's Shopify customers (models/shopify-customer.server.ts) must
// neither run halfway through that nor file under the workspace the shop just left. Filers hold a
// shared lock on the shop's workspace, moves an exclusive one on both workspaces. Advisory locks,
// two-key form: the first key keeps them apart from the single-key locks used elsewhere.

const currentWorkspace = async (tx: Tx, shopId: string) =>
  (await tx.shop.findUniqueOrThrow({ where: { id: shopId }, select: { workspaceId: true } })).workspaceId;

/**
 * The shop's workspace as of now, which stays its workspace until the transaction ends. `believed`
 * (what the caller read earlier) saves a read when it is still right.
 */
export async function lockShopWorkspaceShared(tx: Tx, shopId: string, believed?: string): Promise<string> {
  let workspaceId = believed ?? (await currentWorkspace(tx, shopId));
  for (;;) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtext('shopdesk.workspace'), hashtext(${workspaceId}))`;
    // Read after the lock (a new snapshot per statement): a move that held it has committed.
    const now = await currentWorkspace(tx, shopId);
    if (now === workspaceId) return workspaceId;
    workspaceId = now;
  }
}

/**
 * For a shop about to move: locks its row (so two moves of one shop take turns) and returns its
 * workspace as of now. NO KEY UPDATE, not UPDATE: a filer's insert of a Shopify customer takes KEY
 * SHARE on the shop row while holding the workspace lock, and must not wait for us.
 */
export async function lockShopForMove(tx: Tx, shopId: string): Promise<string> {
  const rows = await tx.$queryRaw<{ workspaceId: string }[]>`
    SELECT "workspaceId" FROM "Shop" WHERE id = ${shopId} FOR NO KEY UPDATE`;
  if (!rows[0]) throw new Error(`Shop ${shopId} not found`);
  return rows[0].workspaceId;
}

/** Exclusive locks on the workspaces a move touches, always in the same order (no deadlock between moves). */
export async function lockWorkspacesForMove(tx: Tx, workspaceIds: readonly string[]) {
  for (const workspaceId of [...new Set(workspaceIds)].sort()) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('shopdesk.workspace'), hashtext(${workspaceId}))`;
  }
}
