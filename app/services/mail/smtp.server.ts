import nodemailer from "nodemailer";
import type { MailSecurity } from "~/domain/mail-settings";
import type { OutgoingMessage } from "./reply-message";

// The SMTP transport: one connection per message to the workspace's server (replies are few per
// minute; a pool per workspace would hold sockets open for nothing), and failures as the server's
// own words, which is what a merchant can search for or hand to their email provider.

export interface SmtpServer {
  host: string;
  port: number;
  security: MailSecurity;
  username: string | null;
  password: string | null;
}

export type SmtpResult = { ok: true; response: string } | { ok: false; error: string };

/**
 * How long each step may take. Together under the delivery job's timeout, so a hung server fails
 * the attempt (and it is retried) instead of the queue giving up on the job.
 */
export const SMTP_TIMEOUTS_MS = { connection: 15_000, greeting: 15_000, socket: 45_000 };

function transportFor(server: SmtpServer) {
  return nodemailer.createTransport({
    host: server.host,
    port: server.port,
    // tls: TLS from the first byte; starttls: upgrade or refuse; none: plain, never upgraded (a
    // local relay's self-signed certificate would otherwise fail an opportunistic upgrade).
    secure: server.security === "tls",
    requireTLS: server.security === "starttls",
    ignoreTLS: server.security === "none",
    ...(server.username ? { auth: { user: server.username, pass: server.password ?? "" } } : {}),
    connectionTimeout: SMTP_TIMEOUTS_MS.connection,
    greetingTimeout: SMTP_TIMEOUTS_MS.greeting,
    socketTimeout: SMTP_TIMEOUTS_MS.socket,
    logger: false,
    debug: false,
  });
}

/** Sends one message; never throws for what the server or the network did. */
export async function sendSmtp(server: SmtpServer, message: OutgoingMessage): Promise<SmtpResult> {
  const transport = transportFor(server);
  try {
    const info = await transport.sendMail({
      from: message.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      messageId: message.messageId,
      ...(message.inReplyTo ? { inReplyTo: message.inReplyTo } : {}),
      ...(message.references.length > 0 ? { references: message.references } : {}),
    });
    return { ok: true, response: String(info.response ?? "") };
  } catch (error) {
    return { ok: false, error: describeSmtpError(error, server) };
  } finally {
    transport.close();
  }
}

const MAX_ERROR_LENGTH = 500;

/**
 * The failure in the server's words when it answered ("535 Authentication failed", "550 5.1.1
 * Mailbox unavailable"), else what happened on the network, named plainly.
 */
export function describeSmtpError(error: unknown, server: { host: string; port: number }): string {
  const { message, code, response, command } = (error ?? {}) as {
    message?: unknown;
    code?: unknown;
    response?: unknown;
    command?: unknown;
  };
  const where = `${server.host}:${server.port}`;
  const text = typeof message === "string" ? message : String(error);
  let described: string;
  if (typeof response === "string" && response.trim()) {
    const answer = response.trim();
    described = command === "STARTTLS" ? `The server refused STARTTLS: ${answer}` : answer;
  } else if (/ECONNREFUSED/.test(text)) {
    described = `Connection refused by ${where}: nothing accepts email there. Check the host and port.`;
  } else if (code === "EDNS" || /ENOTFOUND|EAI_AGAIN/.test(text)) {
    described = `Host not found: ${server.host}. Check the host name.`;
  } else if (code === "ETIMEDOUT" || /timed? ?out/i.test(text)) {
    described = `No answer from ${where} in time (${text}). Check the host, port and security.`;
  } else if (/wrong version number|packet length too long|unknown protocol/i.test(text)) {
    described = `TLS failed with ${where}: the server does not start with TLS on this port. Try STARTTLS, or port 465 with TLS.`;
  } else if (/certificate|self[- ]signed/i.test(text)) {
    described = `The server's certificate is not trusted: ${text}`;
  } else {
    described = text;
  }
  return described.replace(/\s+/g, " ").trim().slice(0, MAX_ERROR_LENGTH);
}
