import { z } from "zod";
import { storableString } from "~/lib/storable-text";

// A workspace's outgoing email (SMTP) settings: what the Settings → Email form may send, checked
// once by the same schema in the browser and in the route's action.

export const MAIL_SECURITY = ["none", "starttls", "tls"] as const;
export type MailSecurity = (typeof MAIL_SECURITY)[number];

export const MAIL_SECURITY_LABELS: Record<MailSecurity, string> = {
  starttls: "STARTTLS (usually port 587)",
  tls: "TLS from the start (usually port 465)",
  none: "None (a local relay only)",
};

/** The port each security usually goes with, suggested when the merchant picks one. */
export const USUAL_PORTS: Record<MailSecurity, number> = { starttls: 587, tls: 465, none: 25 };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const IPV6 = /^\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\]?$/;

/** A text field typed on one line: trimmed, and "" means "none". */
const oneLine = (max: number, tooLong: string) =>
  storableString()
    .trim()
    .max(max, tooLong)
    .refine((value) => !CONTROL.test(value), "Use one line of text, without tabs or line breaks.")
    .optional()
    .transform((value) => value || null);

const HOST_MESSAGE = "Enter the SMTP server's host name, such as smtp.example.com (no http:// and no port).";

export const MailSettingsFieldsSchema = z.object({
  host: storableString({ error: HOST_MESSAGE })
    .trim()
    .min(1, HOST_MESSAGE)
    .max(253, "A host name is at most 253 characters.")
    .refine((value) => HOST_NAME.test(value) || IPV6.test(value), HOST_MESSAGE)
    .transform((value) => value.replace(/^\[(.*)\]$/, "$1")),
  port: z
    .string({ error: "Enter a port number from 1 to 65535." })
    .trim()
    .regex(/^\d{1,5}$/, "Enter a port number from 1 to 65535.")
    .transform(Number)
    .refine((port) => port >= 1 && port <= 65535, "Enter a port number from 1 to 65535."),
  security: z.enum(MAIL_SECURITY, { error: "Choose STARTTLS, TLS or None." }),
  username: oneLine(254, "A user name is at most 254 characters."),
  /** Blank keeps the stored password; never trimmed (spaces can be part of a password). */
  password: storableString()
    .max(512, "A password is at most 512 characters.")
    .optional()
    .transform((value) => value || null),
  fromAddress: storableString({ error: "Enter the address customers see and reply to." })
    .trim()
    .max(254, "An email address is at most 254 characters.")
    .pipe(z.email("Enter the address customers see and reply to, such as support@yourstore.com.")),
  fromName: oneLine(100, "A sender name is at most 100 characters."),
});
export type MailSettingsFields = z.output<typeof MailSettingsFieldsSchema>;

export const SaveMailSettingsFormSchema = MailSettingsFieldsSchema.extend({ intent: z.literal("save") });

export const SendTestEmailFormSchema = z.object({
  intent: z.literal("send-test"),
  to: storableString({ error: "Enter the address to send the test to." })
    .trim()
    .max(254, "An email address is at most 254 characters.")
    .pipe(z.email("Enter the address to send the test to, such as you@yourstore.com.")),
});

export const MailSettingsFormSchema = z.discriminatedUnion(
  "intent",
  [SaveMailSettingsFormSchema, SendTestEmailFormSchema],
  { error: "Unknown email settings form" },
);
export type MailSettingsForm = z.output<typeof MailSettingsFormSchema>;

/** What the settings page shows: never the password or its ciphertext. */
export interface MailSettingsView {
  host: string;
  port: number;
  security: MailSecurity;
  username: string | null;
  /** A password is stored (the form's blank password keeps it). */
  hasPassword: boolean;
  fromAddress: string;
  fromName: string | null;
  /** ISO time of the last test email, and the server's words when it failed. */
  lastTestedAt: string | null;
  lastTestError: string | null;
}
