import { z } from "zod";
import { decryptSecret, SecretsKeyProblem, SecretUnreadable } from "~/lib/secrets.server";

// Text messages for portal sign-in codes: one provider contract, and its Twilio-compatible HTTP
// implementation (Twilio itself, or any service speaking its Messages API — the demo's
// dev/sms-catcher.ts is one). A store's account SID, sender and API base are in PortalSettings;
// its auth token is sealed there (app/models/portal-settings.server.ts) and opened only here, to send.

export const DEFAULT_SMS_API_BASE_URL = "https://api.twilio.com";

/** A provider that takes longer has probably failed; the shopper can ask for another code. */
export const SMS_TIMEOUT_MS = 15_000;

export interface SmsMessage {
  /** E.164, e.g. +447700900123. */
  to: string;
  body: string;
}

/** `id`: the provider's message id. `error`: what went wrong, in the provider's words when it said. */
export type SmsResult = { ok: true; id: string } | { ok: false; error: string };

export interface SmsProvider {
  /** Sends one message; never throws for what the provider or the network did. */
  send(message: SmsMessage): Promise<SmsResult>;
}

export interface TwilioAccount {
  /** Without a trailing slash: https://api.twilio.com, or a compatible service's address. */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** A sender number (E.164), alphanumeric sender id, or a Messaging Service SID ("MG…"). */
  from: string;
}

// Twilio's message resource and error body (only what we read).
const TwilioMessage = z.object({ sid: z.string().min(1), status: z.string().optional() });
const TwilioError = z.object({ code: z.number().optional(), message: z.string() });

/**
 * Twilio's Messages API: POST {base}/2010-04-01/Accounts/{sid}/Messages.json with basic auth
 * sid:token and form fields To, From (or MessagingServiceSid) and Body; 201 with the message.
 */
export function twilioSmsProvider(account: TwilioAccount, options: { timeoutMs?: number } = {}): SmsProvider {
  const base = account.baseUrl.replace(/\/+$/, "");
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(account.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString("base64")}`;
  return {
    async send({ to, body }) {
      const form = new URLSearchParams({ To: to, Body: body });
      form.set(/^MG[0-9a-f]{32}$/i.test(account.from) ? "MessagingServiceSid" : "From", account.from);
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { authorization, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
          body: form,
          redirect: "error",
          signal: AbortSignal.timeout(options.timeoutMs ?? SMS_TIMEOUT_MS),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: unknown } }).cause?.code;
        const reason =
          error instanceof Error && error.name === "TimeoutError"
            ? "no answer in time"
            : typeof cause === "string"
              ? cause
              : String(error);
        return { ok: false, error: `The SMS provider at ${base} could not be reached: ${reason}` };
      }
      const text = await response.text().catch(() => "");
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: reported below with the status
      }
      if (response.ok) {
        const message = TwilioMessage.safeParse(parsed);
        if (message.success) return { ok: true, id: message.data.sid };
        return { ok: false, error: `The SMS provider answered ${response.status} without a message id.` };
      }
      const problem = TwilioError.safeParse(parsed);
      const words = problem.success
        ? `${problem.data.message}${problem.data.code ? ` (error ${problem.data.code})` : ""}`
        : text.slice(0, 200) || response.statusText;
      return { ok: false, error: `The SMS provider refused the message (${response.status}): ${words}` };
    },
  };
}

export type SmsProviderChoice = { ok: true; provider: SmsProvider } | { ok: false; problem: string };

/**
 * The store's provider from its portal settings, or why there is none (words for the log: the
 * shopper's answer does not change). `sealed` is the stored token with the `context` it was sealed
 * with (smsAuthTokenContext of the store).
 */
export function smsProviderFor(
  settings: { smsAccountSid: string | null; smsFrom: string | null; smsApiBaseUrl: string | null },
  sealed: { token: string | null; context: string },
): SmsProviderChoice {
  const sealedAuthToken = sealed.token;
  if (!settings.smsAccountSid || !settings.smsFrom || !sealedAuthToken) {
    return { ok: false, problem: "The store's SMS provider is not set up (account SID, sender and auth token)." };
  }
  let authToken: string;
  try {
    authToken = decryptSecret(sealedAuthToken, sealed.context);
  } catch (error) {
    if (error instanceof SecretsKeyProblem || error instanceof SecretUnreadable) {
      return { ok: false, problem: `The store's SMS auth token cannot be read: ${error.message}` };
    }
    throw error;
  }
  return {
    ok: true,
    provider: twilioSmsProvider({
      baseUrl: settings.smsApiBaseUrl || DEFAULT_SMS_API_BASE_URL,
      accountSid: settings.smsAccountSid,
      authToken,
      from: settings.smsFrom,
    }),
  };
}
