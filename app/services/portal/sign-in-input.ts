import { z } from "zod";
import { normalizeEmail } from "~/domain/customer-identity";
import type { SignInMessages } from "~/domain/portal-messages";
import { normalizePhoneE164 } from "~/domain/shopify/values";
import { isStorableText } from "~/lib/storable-text";

// The sign-in API's JSON bodies, checked before anything is looked up or stored: a refusal names
// the field and says what to type, in the shopper's language. Unknown fields are ignored (the
// widget may send its token or locale everywhere).

export type CodeChannel = "email" | "sms";

/** One message per field, and the first of them as the answer's `error`. */
export type Parsed<T> = { ok: true; data: T } | { ok: false; error: string; fields: Record<string, string> };

/** Longer than any address (RFC 5321: 254), phone or order name a person types. */
const MAX_FIELD_LENGTH = 320;

const shortText = (messages: SignInMessages, max = MAX_FIELD_LENGTH) =>
  z
    .string({ error: messages.fields.text })
    .max(max, { error: messages.fields.text })
    .refine(isStorableText, { error: messages.fields.unusableText });

const channel = (messages: SignInMessages) => z.enum(["email", "sms"], { error: messages.fields.channel });

/** The locale is read by portalCall; here it only has to be a short text if it is there at all. */
const locale = (messages: SignInMessages) => shortText(messages, 35).optional();

function refused(error: z.ZodError): { ok: false; error: string; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "body");
    fields[field] ??= issue.message;
  }
  return { ok: false, error: error.issues[0]?.message ?? "", fields };
}

const fieldError = (field: string, message: string) => ({
  ok: false as const,
  error: message,
  fields: { [field]: message },
});

/** A lower-cased email address, or null when it is not one. */
export function emailAddress(value: string): string | null {
  const email = normalizeEmail(value);
  return email && email.length <= 254 && z.email().safeParse(email).success ? email : null;
}

/** The destination as codes are filed under it: a lower-cased email, or an E.164 phone. */
export function normalizeDestination(channel: CodeChannel, value: string): string | null {
  return channel === "email" ? emailAddress(value) : normalizePhoneE164(value);
}

/** `{channel, destination, locale?}`. */
export function parseCodeRequest(
  body: unknown,
  messages: SignInMessages,
): Parsed<{ channel: CodeChannel; destination: string }> {
  const parsed = z
    .object({ channel: channel(messages), destination: shortText(messages), locale: locale(messages) })
    .safeParse(body);
  if (!parsed.success) return refused(parsed.error);
  const destination = normalizeDestination(parsed.data.channel, parsed.data.destination);
  if (!destination) {
    return fieldError("destination", parsed.data.channel === "email" ? messages.fields.email : messages.fields.phone);
  }
  return { ok: true, data: { channel: parsed.data.channel, destination } };
}

/** `{channel, destination, code, locale?}`; spaces in the code are ignored ("123 456"). */
export function parseVerifyRequest(
  body: unknown,
  messages: SignInMessages,
): Parsed<{ channel: CodeChannel; destination: string; code: string }> {
  const parsed = z
    .object({
      channel: channel(messages),
      destination: shortText(messages),
      code: z
        .string({ error: messages.fields.code })
        .max(20, { error: messages.fields.code })
        .transform((code) => code.replace(/\s+/g, ""))
        .pipe(z.string().regex(/^\d{6}$/, { error: messages.fields.code })),
      locale: locale(messages),
    })
    .safeParse(body);
  if (!parsed.success) return refused(parsed.error);
  const destination = normalizeDestination(parsed.data.channel, parsed.data.destination);
  if (!destination) {
    return fieldError("destination", parsed.data.channel === "email" ? messages.fields.email : messages.fields.phone);
  }
  return { ok: true, data: { channel: parsed.data.channel, destination, code: parsed.data.code } };
}

/**
 * `{email, orderNumber, locale?}`. The order's names to look for: as typed, and with "#" when it
 * was typed without ("1001" → "#1001"), since most stores name orders "#1001".
 */
export function parseOrderSignIn(
  body: unknown,
  messages: SignInMessages,
): Parsed<{ email: string; orderNames: string[] }> {
  const parsed = z
    .object({
      email: shortText(messages),
      orderNumber: shortText(messages, 64)
        .transform((value) => value.trim())
        .pipe(z.string().regex(/^#?[\p{L}\p{N}][\p{L}\p{N}._-]*$/u, { error: messages.fields.orderNumber })),
      locale: locale(messages),
    })
    .safeParse(body);
  if (!parsed.success) return refused(parsed.error);
  const email = emailAddress(parsed.data.email);
  if (!email) return fieldError("email", messages.fields.email);
  const typed = parsed.data.orderNumber;
  const orderNames = typed.startsWith("#") ? [typed] : [`#${typed}`, typed];
  return { ok: true, data: { email, orderNames } };
}

/** `{token?, signOut?, locale?}`. */
export function parseSessionRequest(
  body: unknown,
  messages: SignInMessages,
): Parsed<{ token: string | null; signOut: boolean }> {
  const parsed = z
    .object({
      token: shortText(messages, 2048).optional(),
      signOut: z.boolean({ error: messages.fields.invalid }).optional(),
      locale: locale(messages),
    })
    .safeParse(body);
  if (!parsed.success) return refused(parsed.error);
  return { ok: true, data: { token: parsed.data.token || null, signOut: parsed.data.signOut ?? false } };
}
