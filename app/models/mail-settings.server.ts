import { db } from "~/db.server";
import type { MailSecurity, MailSettingsFields, MailSettingsView } from "~/domain/mail-settings";
import type { FieldErrors } from "~/lib/form-errors";
import { decryptSecret, encryptSecret, SecretsKeyProblem, SecretUnreadable } from "~/lib/secrets.server";

// A workspace's outgoing email settings (one row per workspace). The password is stored
// encrypted (app/lib/secrets.server.ts, bound to the workspace id) and leaves this module only
// decrypted for sending, never towards a browser.

export const SETTINGS_PATH = "Settings → Email";

const toView = (row: {
  host: string;
  port: number;
  security: MailSecurity;
  username: string | null;
  passwordEncrypted: string | null;
  fromAddress: string;
  fromName: string | null;
  lastTestedAt: Date | null;
  lastTestError: string | null;
}): MailSettingsView => ({
  host: row.host,
  port: row.port,
  security: row.security,
  username: row.username,
  hasPassword: row.passwordEncrypted !== null,
  fromAddress: row.fromAddress,
  fromName: row.fromName,
  lastTestedAt: row.lastTestedAt?.toISOString() ?? null,
  lastTestError: row.lastTestError,
});

/** The workspace's settings as the settings page shows them, or null when none are saved. */
export async function getMailSettings(workspaceId: string): Promise<MailSettingsView | null> {
  const row = await db.workspaceMailSettings.findUnique({ where: { workspaceId } });
  return row ? toView(row) : null;
}

export type SaveMailSettingsResult =
  | { ok: true; settings: MailSettingsView }
  /** 400: a field to fix; 503: the server cannot store a password (its key is not configured). */
  | { ok: false; status: 400 | 503; errors: FieldErrors };

/**
 * Saves the settings. A blank password keeps the stored one; no user name means no login, and
 * the stored password goes. A change to how Shopdesk connects clears the last test's result,
 * which described the old settings.
 */
export async function saveMailSettings(
  workspaceId: string,
  fields: MailSettingsFields,
): Promise<SaveMailSettingsResult> {
  const stored = await db.workspaceMailSettings.findUnique({ where: { workspaceId } });
  let passwordEncrypted: string | null = null;
  if (fields.username !== null) {
    if (fields.password !== null) {
      try {
        passwordEncrypted = encryptSecret(fields.password, workspaceId);
      } catch (error) {
        if (error instanceof SecretsKeyProblem)
          return { ok: false, status: 503, errors: { password: [error.message] } };
        throw error;
      }
    } else {
      passwordEncrypted = stored?.passwordEncrypted ?? null;
    }
    if (passwordEncrypted === null) {
      return { ok: false, status: 400, errors: { password: ["Enter the password for this user name."] } };
    }
  }
  const data = {
    host: fields.host,
    port: fields.port,
    security: fields.security,
    username: fields.username,
    passwordEncrypted,
    fromAddress: fields.fromAddress,
    fromName: fields.fromName,
  };
  const sameConnection =
    stored !== null &&
    stored.host === data.host &&
    stored.port === data.port &&
    stored.security === data.security &&
    stored.username === data.username &&
    stored.passwordEncrypted === data.passwordEncrypted &&
    stored.fromAddress === data.fromAddress;
  const testResult = sameConnection ? {} : { lastTestedAt: null, lastTestError: null };
  const row = await db.workspaceMailSettings.upsert({
    where: { workspaceId },
    create: { workspaceId, ...data },
    update: { ...data, ...testResult },
  });
  return { ok: true, settings: toView(row) };
}

/** What sending needs, with the password decrypted. */
export interface SendingSettings {
  host: string;
  port: number;
  security: MailSecurity;
  username: string | null;
  password: string | null;
  fromAddress: string;
  fromName: string | null;
}

export type SendingSettingsResult = { ok: true; settings: SendingSettings } | { ok: false; error: string };

/** The settings to send with, or why there are none usable (words for the merchant). */
export async function mailSettingsForSending(workspaceId: string): Promise<SendingSettingsResult> {
  const row = await db.workspaceMailSettings.findUnique({ where: { workspaceId } });
  if (!row) return { ok: false, error: `Set up outgoing email in ${SETTINGS_PATH}.` };
  let password: string | null = null;
  if (row.passwordEncrypted !== null) {
    try {
      password = decryptSecret(row.passwordEncrypted, workspaceId);
    } catch (error) {
      if (error instanceof SecretsKeyProblem) return { ok: false, error: error.message };
      if (error instanceof SecretUnreadable) {
        return { ok: false, error: `${error.message} Enter the email password again in ${SETTINGS_PATH}.` };
      }
      throw error;
    }
  }
  const { host, port, security, username, fromAddress, fromName } = row;
  return { ok: true, settings: { host, port, security, username, password, fromAddress, fromName } };
}

/** Records a test email's result: null when it was accepted, else the server's words. */
export async function recordMailTest(workspaceId: string, error: string | null, at = new Date()) {
  await db.workspaceMailSettings.updateMany({
    where: { workspaceId },
    data: { lastTestedAt: at, lastTestError: error },
  });
}
