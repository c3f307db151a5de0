import { db } from "~/db.server";
import { logger } from "~/lib/logger.server";
import { mailSettingsForSending } from "~/models/mail-settings.server";
import { newMessageId } from "~/services/mail/reply-message";
import { sendSmtp } from "~/services/mail/smtp.server";

// Telling the merchant that an HTTP integration keeps failing (docs/decisions/025-integrations.md):
// the anchor silently disables such an integration; Shopdesk opens its circuit (calls are held,
// none lost from the log) and says so, once per opening, by email to the store's contact address
// and with a banner in the admin for as long as it stays open.

const log = logger.child({ component: "integrations" });

export const INTEGRATIONS_SETTINGS_PATH = "Settings → Integrations";

export interface PausedIntegration {
  id: number;
  name: string;
  since: Date;
  failures: number;
  lastError: string | null;
}

/** The workspace's integrations whose circuit is open: what the admin banner lists. */
export async function pausedIntegrations(workspaceId: string): Promise<PausedIntegration[]> {
  const rows = await db.integration.findMany({
    where: { workspaceId, circuitOpenedAt: { not: null } },
    orderBy: { id: "asc" },
    select: {
      id: true,
      name: true,
      circuitOpenedAt: true,
      consecutiveFailures: true,
      deliveries: {
        where: { error: { not: null }, status: { in: ["failed", "gave_up"] } },
        orderBy: { createdAt: "desc" },
        take: 1,
        select: { error: true },
      },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    since: row.circuitOpenedAt!,
    failures: row.consecutiveFailures,
    lastError: row.deliveries[0]?.error ?? null,
  }));
}

/** The banner's text for the paused integrations, or null when none is paused. */
export function pausedBannerText(paused: readonly Pick<PausedIntegration, "name">[]): string | null {
  if (paused.length === 0) return null;
  const names = paused.map(({ name }) => `"${name}"`).join(", ");
  return `${paused.length === 1 ? "An integration keeps" : "Integrations keep"} failing, so Shopdesk paused calls to ${names}. Check the receiving service, then Resume in ${INTEGRATIONS_SETTINGS_PATH}.`;
}

/**
 * Emails the workspace's store contacts that calls to the integration are paused. Uses the
 * workspace's outgoing mail settings; without them only the banner tells (logged).
 */
export async function alertIntegrationPaused(workspaceId: string, integrationId: number): Promise<void> {
  try {
    const [paused] = (await pausedIntegrations(workspaceId)).filter(({ id }) => id === integrationId);
    if (!paused) return;
    const shops = await db.shop.findMany({
      where: { workspaceId, uninstalledAt: null, email: { not: null } },
      select: { email: true, name: true },
    });
    const recipients = [...new Set(shops.map(({ email }) => email!.toLowerCase()))];
    const settings = await mailSettingsForSending(workspaceId);
    if (!settings.ok || recipients.length === 0) {
      log.warn("integration paused; no email sent (banner only)", {
        workspaceId,
        integrationId,
        reason: settings.ok ? "no store contact address" : settings.error,
      });
      return;
    }
    const { fromAddress, fromName } = settings.settings;
    const text = [
      `Calls from Shopdesk to your integration "${paused.name}" failed ${paused.failures} times in a row, so Shopdesk paused them.`,
      "",
      paused.lastError ? `The last failure: ${paused.lastError}` : "",
      "",
      "Nothing is lost: each call is in the integration's delivery log. Shopdesk tries one call again every few minutes and resumes by itself when it succeeds.",
      `To resume now, fix the receiving service, then open ${INTEGRATIONS_SETTINGS_PATH} in Shopdesk and choose Resume (and Replay the calls you need).`,
    ]
      .filter((line, index, lines) => line !== "" || lines[index - 1] !== "")
      .join("\n");
    for (const to of recipients) {
      const sent = await sendSmtp(settings.settings, {
        from: { name: fromName ?? "Shopdesk", address: fromAddress },
        to,
        subject: `Shopdesk paused calls to "${paused.name}"`,
        text,
        messageId: newMessageId(fromAddress),
        inReplyTo: null,
        references: [],
      });
      if (!sent.ok)
        log.warn("integration paused alert email not sent", { workspaceId, integrationId, error: sent.error });
    }
  } catch (error) {
    // The alert must not fail the delivery's bookkeeping; the banner still shows.
    log.error("integration paused alert failed", { workspaceId, integrationId, error });
  }
}
