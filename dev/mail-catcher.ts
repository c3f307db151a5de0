// DEV/TEST ONLY: an SMTP server on 127.0.0.1 that keeps what it receives in memory, parsed, with
// a small web page listing it. The demo points every workspace's outgoing email at it; the
// integration tests use it as the workspace's real SMTP server, and can make it refuse a
// recipient or require a login, as a real server would.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser, type AddressObject } from "mailparser";
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from "smtp-server";

export interface CaughtMail {
  /** 1, 2, … in the order received. */
  id: number;
  receivedAt: string;
  /** The SMTP envelope (MAIL FROM, RCPT TO), which is where the message really went. */
  envelope: { from: string; to: string[] };
  /** The user name the client logged in with, if it did. */
  login: string | null;
  from: string;
  to: string;
  subject: string;
  date: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  text: string;
}

export interface MailCatcherOptions {
  /** SMTP port (default: any free one). */
  smtpPort?: number;
  /** Web page port (default: any free one); false for none. */
  webPort?: number | false;
  /** Messages kept, newest last (older ones are dropped). */
  keep?: number;
}

export interface MailCatcher {
  host: "127.0.0.1";
  smtpPort: number;
  /** The web page listing received mail, or null without one. */
  url: string | null;
  messages(): CaughtMail[];
  /** Resolves with the first message (already received or coming) that matches. */
  waitFor(match: (mail: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  /** While set, every recipient is refused with this SMTP reply, e.g. "550 5.1.1 Mailbox unavailable". */
  refuseRecipients(reply: string | null): void;
  /** While set, each recipient is accepted only after this many ms: a slow mail server. */
  holdRecipients(ms: number | null): void;
  /** While set, sending needs this login; a wrong one is answered "535 Authentication failed". */
  requireLogin(login: { user: string; pass: string } | null): void;
  clear(): void;
  close(): Promise<void>;
}

const HOST = "127.0.0.1";

/** "550 5.1.1 Mailbox unavailable" → an error smtp-server answers with that code and text. */
function smtpError(reply: string): Error & { responseCode: number } {
  const match = /^(\d{3})\s+(.*)$/.exec(reply.trim());
  return Object.assign(new Error(match ? match[2] : reply), { responseCode: match ? Number(match[1]) : 550 });
}

const addressText = (value: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(value) ? value : value ? [value] : []).map((address) => address.text).join(", ");

export async function parseMail(
  raw: Buffer,
  session: Pick<SMTPServerSession, "envelope" | "user">,
  id: number,
): Promise<CaughtMail> {
  const parsed = await simpleParser(raw);
  const references = parsed.references ?? [];
  return {
    id,
    receivedAt: new Date().toISOString(),
    envelope: {
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
      to: session.envelope.rcptTo.map((recipient) => recipient.address),
    },
    login: typeof session.user === "string" ? session.user : null,
    from: addressText(parsed.from),
    to: addressText(parsed.to),
    subject: parsed.subject ?? "",
    date: parsed.date?.toISOString() ?? null,
    messageId: parsed.messageId ?? null,
    inReplyTo: parsed.inReplyTo ?? null,
    references: Array.isArray(references) ? references : [references],
    text: parsed.text ?? "",
  };
}

export async function startMailCatcher(options: MailCatcherOptions = {}): Promise<MailCatcher> {
  const keep = options.keep ?? 500;
  const received: CaughtMail[] = [];
  const waiters = new Set<(mail: CaughtMail) => void>();
  let nextId = 1;
  let refusal: string | null = null;
  let login: { user: string; pass: string } | null = null;
  let recipientHoldMs: number | null = null;

  const smtp = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true, // no TLS on a loopback catcher
    disabledCommands: ["STARTTLS"],
    size: 25 * 1024 * 1024,
    logger: false,
    onAuth(auth: SMTPServerAuthentication, _session, callback) {
      if (login && (auth.username !== login.user || auth.password !== login.pass)) {
        return callback(smtpError("535 Authentication failed"));
      }
      callback(null, { user: auth.username ?? "" });
    },
    onMailFrom(_address, session, callback) {
      if (login && !session.user) return callback(smtpError("530 5.7.0 Authentication required"));
      callback();
    },
    onRcptTo(_address, _session, callback) {
      const answer = () => callback(refusal ? smtpError(refusal) : undefined);
      if (recipientHoldMs === null) answer();
      else setTimeout(answer, recipientHoldMs);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        parseMail(Buffer.concat(chunks), session, nextId++).then(
          (mail) => {
            received.push(mail);
            if (received.length > keep) received.splice(0, received.length - keep);
            for (const waiter of waiters) waiter(mail);
            callback();
          },
          (error: unknown) => callback(smtpError(`554 Could not read the message: ${String(error)}`)),
        );
      });
    },
  });
  smtp.on("error", () => {}); // a client hanging up mid-session is no reason to stop
  await new Promise<void>((resolve, reject) => {
    smtp.server.once("error", reject);
    smtp.listen(options.smtpPort ?? 0, HOST, () => resolve());
  });
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  let web: http.Server | null = null;
  const webPort = options.webPort;
  if (webPort !== false) {
    web = http.createServer((request, response) => {
      const path = new URL(request.url ?? "/", `http://${HOST}`).pathname;
      if (path === "/messages.json") {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify(received));
      } else if (path === "/") {
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        response.end(renderPage(received, smtpPort));
      } else {
        response.writeHead(404, { "content-type": "text/plain" });
        response.end("Not found");
      }
    });
    try {
      await new Promise<void>((resolve, reject) => {
        web!.once("error", reject);
        web!.listen(webPort ?? 0, HOST, () => resolve());
      });
    } catch (error) {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      throw error;
    }
  }

  return {
    host: HOST,
    smtpPort,
    url: web ? `http://${HOST}:${(web.address() as AddressInfo).port}` : null,
    messages: () => [...received],
    waitFor(match, timeoutMs = 10_000) {
      const found = received.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`No matching mail within ${timeoutMs} ms (received ${received.length})`));
        }, timeoutMs);
        const waiter = (mail: CaughtMail) => {
          if (!match(mail)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(mail);
        };
        waiters.add(waiter);
      });
    },
    refuseRecipients: (reply) => void (refusal = reply),
    holdRecipients: (ms) => void (recipientHoldMs = ms),
    requireLogin: (value) => void (login = value),
    clear: () => void received.splice(0),
    async close() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      if (web) {
        web.closeAllConnections();
        await new Promise<void>((resolve) => web!.close(() => resolve()));
      }
    },
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The web page: received mail, newest first, with the headers that thread a conversation. */
export function renderPage(mails: readonly CaughtMail[], smtpPort: number): string {
  const rows = [...mails]
    .reverse()
    .map((mail) => {
      const headers: [string, string][] = [
        ["From", mail.from],
        ["To", mail.to],
        ["Envelope", `${mail.envelope.from} → ${mail.envelope.to.join(", ")}`],
        ["Date", mail.date ?? mail.receivedAt],
        ["Message-ID", mail.messageId ?? "(none)"],
        ["In-Reply-To", mail.inReplyTo ?? "(none)"],
        ["References", mail.references.join(" ") || "(none)"],
      ];
      return `<article>
  <h2>${escapeHtml(mail.subject || "(no subject)")}</h2>
  <dl>${headers.map(([name, value]) => `<dt>${name}</dt><dd>${escapeHtml(value)}</dd>`).join("")}</dl>
  <pre>${escapeHtml(mail.text)}</pre>
</article>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Demo mail (${mails.length})</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 860px; color: #303030; }
  article { border: 1px solid #e3e3e3; border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
  h2 { font-size: 16px; margin: 0 0 8px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 8px; }
  dt { color: #616161; } dd { margin: 0; word-break: break-all; }
  pre { white-space: pre-wrap; background: #f7f7f7; padding: 8px; border-radius: 6px; margin: 0; }
</style></head>
<body>
<h1>Mail sent by Shopdesk</h1>
<p>Every email the demo's workspaces send goes here (SMTP on ${HOST}:${smtpPort}), not to real inboxes. Newest first; reload to see new mail.</p>
${rows || "<p>No mail yet. Reply to an email ticket in the inbox, or send a test from Settings → Email.</p>"}
</body></html>`;
}
