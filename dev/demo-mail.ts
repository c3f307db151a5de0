// DEV/DEMO ONLY: the demo's outgoing email and text messages. Shopdesk's processes get a key for
// secrets at rest (kept in the data directory, so passwords saved in one run decrypt in the next),
// every workspace sends email through the mail catcher and every store sends text messages (portal
// sign-in codes) through the SMS catcher, whose pages show what went out: nothing leaves the
// machine.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { encryptSecret } from "../app/lib/secrets.server.ts";
import { startMailCatcher, type MailCatcher } from "./mail-catcher.ts";
import { startSmsCatcher, type SmsCatcher } from "./sms-catcher.ts";

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

/** The demo stores' sender number (Twilio's test "From" that always works). */
export const DEMO_SMS_FROM = "+15005550006";

/**
 * The auth token as Settings → Self-service portal seals it: smsAuthTokenContext in
 * app/models/portal-settings.server.ts, written out here because importing that module would open
 * the app's database in the demo's own process. The integration test sends a code through a store
 * set up by pointShopsAtSms, so a change there fails it.
 */
const sealSmsAuthToken = (shopId: string, token: string) => encryptSecret(token, `portal-sms:${shopId}`);

/**
 * Points every installed store's SMS provider at the catcher (its URL, account and sealed token),
 * and turns sign-in by text message on the first time (a merchant who turned it off later keeps
 * it off). Run on every start: the catcher's port and token change.
 */
export async function pointShopsAtSms(databaseUrl: string, catcher: SmsCatcher): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(`SELECT id FROM "Shop" WHERE "uninstalledAt" IS NULL`);
    for (const { id } of rows) {
      await client.query(
        `INSERT INTO "PortalSettings"
           ("shopId", "signInSmsCode", "smsAccountSid", "smsFrom", "smsAuthTokenSealed", "smsApiBaseUrl", "updatedAt")
         VALUES ($1, true, $2, $3, $4, $5, now())
         ON CONFLICT ("shopId") DO UPDATE SET
           "signInSmsCode" = CASE WHEN "PortalSettings"."smsAccountSid" IS NULL THEN true
                                  ELSE "PortalSettings"."signInSmsCode" END,
           "smsAccountSid" = EXCLUDED."smsAccountSid", "smsFrom" = EXCLUDED."smsFrom",
           "smsAuthTokenSealed" = EXCLUDED."smsAuthTokenSealed", "smsApiBaseUrl" = EXCLUDED."smsApiBaseUrl",
           "updatedAt" = now()`,
        [id, catcher.accountSid, DEMO_SMS_FROM, sealSmsAuthToken(id, catcher.authToken), catcher.url],
      );
    }
    return rows.length;
  } finally {
    await client.end();
  }
}

/**
 * Starts the SMS catcher (on `port`, or any free port when that one is taken: the demo prints
 * where) and points every store at it.
 */
export async function startDemoSms(databaseUrl: string, port: number): Promise<SmsCatcher> {
  const catcher = await startSmsCatcher({ port }).catch((error: unknown) => {
    if ((error as { code?: unknown }).code !== "EADDRINUSE") throw error;
    return startSmsCatcher({ port: 0 });
  });
  try {
    await pointShopsAtSms(databaseUrl, catcher);
  } catch (error) {
    await catcher.close();
    throw error;
  }
  return catcher;
}
