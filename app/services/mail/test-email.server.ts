import { mailSettingsForSending, recordMailTest } from "~/models/mail-settings.server";
import { newMessageId } from "./reply-message";
import { sendSmtp } from "./smtp.server";

// Settings → Email's "Send test email": the saved settings, one message, and the result kept with
// the settings (when and, if it failed, the server's words).

export type TestEmailResult = { delivered: true; response: string } | { delivered: false; error: string };

export async function sendTestEmail(workspaceId: string, to: string, workspaceName: string): Promise<TestEmailResult> {
  const settings = await mailSettingsForSending(workspaceId);
  if (!settings.ok) {
    await recordMailTest(workspaceId, settings.error);
    return { delivered: false, error: settings.error };
  }
  const { fromAddress, fromName } = settings.settings;
  const sent = await sendSmtp(settings.settings, {
    from: { name: fromName ?? "", address: fromAddress },
    to,
    subject: "Test email from Shopdesk",
    text: [
      `This is a test email from Shopdesk for ${workspaceName}.`,
      "",
      `If you can read it, replies to your customers will be sent from ${fromAddress}.`,
    ].join("\n"),
    messageId: newMessageId(fromAddress),
    inReplyTo: null,
    references: [],
  });
  await recordMailTest(workspaceId, sent.ok ? null : sent.error);
  return sent.ok ? { delivered: true, response: sent.response } : { delivered: false, error: sent.error };
}
