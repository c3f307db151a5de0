// DEV/DEMO ONLY: the demo's outgoing email. Shopdesk's processes get a key for secrets at rest
// (kept in the data directory, so passwords saved in one run decrypt in the next), and every
// workspace sends through the mail catcher, whose page shows what went out: nothing leaves the
// machine.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { startMailCatcher, type MailCatcher } from "./mail-catcher.ts";

const KEY_VARIABLE = "SHOPDESK_SECRETS_KEY";

/** Sets SHOPDESK_SECRETS_KEY for the demo's processes unless it is set: the data directory's own key. */
export function ensureDemoSecretsKey(dataDir: string): void {
  if (process.env[KEY_VARIABLE]) return;
  const file = path.join(dataDir, "secrets-key");
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600 });
  process.env[KEY_VARIABLE] = readFileSync(file, "utf8").trim();
}

/**
 * Points every workspace's outgoing email at the catcher (127.0.0.1, no security, no login),
 * from support@<its first store's domain>. Run on every start: the catcher's port may change.
 */
export async function pointWorkspacesAt(databaseUrl: string, catcher: MailCatcher): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query(
      `INSERT INTO "WorkspaceMailSettings"
         ("workspaceId", host, port, security, username, "passwordEncrypted", "fromAddress", "fromName", "updatedAt")
       SELECT DISTINCT ON (w.id) w.id, $1, $2, 'none'::"MailSecurity", NULL, NULL,
              'support@' || s.domain, coalesce(s.name, w.name), now()
       FROM "Workspace" w JOIN "Shop" s ON s."workspaceId" = w.id
       ORDER BY w.id, s."installedAt"
       ON CONFLICT ("workspaceId") DO UPDATE SET
         host = EXCLUDED.host, port = EXCLUDED.port, security = EXCLUDED.security, username = NULL,
         "passwordEncrypted" = NULL, "fromAddress" = EXCLUDED."fromAddress", "fromName" = EXCLUDED."fromName",
         "lastTestedAt" = NULL, "lastTestError" = NULL, "updatedAt" = now()`,
      [catcher.host, catcher.smtpPort],
    );
    return rowCount ?? 0;
  } finally {
    await client.end();
  }
}

/**
 * Starts the catcher (its page on `webPort`, or any free port when that one is taken: the demo
 * prints where) and points every workspace at it.
 */
export async function startDemoMail(databaseUrl: string, webPort: number): Promise<MailCatcher> {
  const catcher = await startMailCatcher({ webPort }).catch((error: unknown) => {
    if ((error as { code?: unknown }).code !== "EADDRINUSE") throw error;
    return startMailCatcher({ webPort: 0 });
  });
  try {
    await pointWorkspacesAt(databaseUrl, catcher);
  } catch (error) {
    await catcher.close();
    throw error;
  }
  return catcher;
}
