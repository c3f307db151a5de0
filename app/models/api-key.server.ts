import { createHmac, randomBytes } from "node:crypto";
import { db } from "~/db.server";
import { API_KEY_PATTERN, API_KEY_PREFIX, API_RATE_LIMIT, API_RATE_WINDOW_MS } from "~/domain/api-auth";
import { secretsKey } from "~/lib/secrets.server";

// A workspace's REST API keys. The key itself is returned once, by createApiKey; the database
// keeps an HMAC of it under a server secret (decision 024), so a leaked table names no usable key.

export interface ApiKeySummary {
  id: string;
  name: string;
  username: string;
  keyPrefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** A subkey of SHOPDESK_SECRETS_KEY for hashing API keys (never the encryption key itself). */
const hashingKey = () => createHmac("sha256", secretsKey()).update("shopdesk/api-key-hash/v1").digest();

export const hashApiKey = (key: string) => createHmac("sha256", hashingKey()).update(key, "utf8").digest("hex");

const SELECT = { id: true, name: true, username: true, keyPrefix: true, createdAt: true, lastUsedAt: true } as const;

/** Creates a key; the returned `key` is the only time anyone sees it. */
export async function createApiKey(
  workspaceId: string,
  input: { name: string; username: string },
): Promise<{ key: string; apiKey: ApiKeySummary }> {
  const key = API_KEY_PREFIX + randomBytes(32).toString("base64url");
  const apiKey = await db.apiKey.create({
    data: {
      workspaceId,
      name: input.name,
      username: input.username,
      keyHash: hashApiKey(key),
      keyPrefix: key.slice(0, API_KEY_PREFIX.length + 4),
    },
    select: SELECT,
  });
  return { key, apiKey };
}

/** The workspace's keys in use, newest first. */
export function listApiKeys(workspaceId: string): Promise<ApiKeySummary[]> {
  return db.apiKey.findMany({
    where: { workspaceId, revokedAt: null },
    orderBy: { createdAt: "desc" },
    select: SELECT,
  });
}

/** Revokes one of the workspace's keys; false when it is not one of them (or already revoked). */
export async function revokeApiKey(workspaceId: string, id: string): Promise<boolean> {
  const { count } = await db.apiKey.updateMany({
    where: { id, workspaceId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count > 0;
}

export type ApiCaller =
  | { ok: true; keyId: string; workspaceId: string }
  | { ok: false; reason: "unknown" }
  | { ok: false; reason: "rate-limited"; windowStart: Date };

/**
 * The workspace a user name and key belong to, counting the request against the key's window
 * in the same statement (so processes share one count and a revoked key is refused at once).
 */
export async function authenticateApiKey(username: string, key: string, now = new Date()): Promise<ApiCaller> {
  if (!API_KEY_PATTERN.test(key)) return { ok: false, reason: "unknown" };
  const windowBegins = new Date(now.getTime() - API_RATE_WINDOW_MS);
  const [row] = await db.$queryRaw<{ id: string; workspaceId: string; windowStart: Date; windowCount: number }[]>`
    UPDATE "ApiKey" SET
      "lastUsedAt" = ${now},
      "windowStart" = CASE WHEN "windowStart" <= ${windowBegins} THEN ${now} ELSE "windowStart" END,
      "windowCount" = CASE WHEN "windowStart" <= ${windowBegins} THEN 1 ELSE "windowCount" + 1 END
    WHERE "keyHash" = ${hashApiKey(key)} AND "revokedAt" IS NULL AND lower(username) = lower(${username})
    RETURNING id, "workspaceId", "windowStart", "windowCount"`;
  if (!row) return { ok: false, reason: "unknown" };
  if (row.windowCount > API_RATE_LIMIT) return { ok: false, reason: "rate-limited", windowStart: row.windowStart };
  return { ok: true, keyId: row.id, workspaceId: row.workspaceId };
}
