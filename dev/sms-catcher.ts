// DEV/TEST ONLY: a stand-in for Twilio's Messages API on 127.0.0.1 that keeps the text messages it
// is asked to send, with a small web page listing them. The demo points every store's SMS provider
// at it (no message leaves the machine); the integration tests send sign-in codes through it. It
// checks the account's basic auth and the form fields as Twilio does, and answers with Twilio's
// message resource (201) or Twilio's error body, so the app's real HTTP client is what is tested.
import { randomBytes, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface CaughtSms {
  /** SM + 32 hex digits, as Twilio names a message. */
  sid: string;
  accountSid: string;
  receivedAt: string;
  to: string;
  /** The sender number, or null when a Messaging Service sent it. */
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
}

export interface SmsCatcherOptions {
  /** Port of the API and the page (default: any free one). */
  port?: number;
  /** The account the API accepts (default: a random SID and token). */
  account?: { sid: string; token: string };
  /** Messages kept, newest last (older ones are dropped). */
  keep?: number;
}

export interface SmsCatcher {
  host: "127.0.0.1";
  /** The API base (what a store's smsApiBaseUrl is set to), which also serves the page at "/". */
  url: string;
  accountSid: string;
  authToken: string;
  messages(): CaughtSms[];
  /** Resolves with the first message (already received or coming) that matches. */
  waitFor(match: (sms: CaughtSms) => boolean, timeoutMs?: number): Promise<CaughtSms>;
  /** While set, every send is refused with this Twilio error (e.g. 21610, unsubscribed recipient). */
  refuseSends(error: { status: number; code: number; message: string } | null): void;
  clear(): void;
  close(): Promise<void>;
}

const HOST = "127.0.0.1";
const MAX_BODY_BYTES = 64 * 1024;
/** Twilio refuses a body longer than this (error 21617). */
const MAX_TEXT_LENGTH = 1600;

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

/** Twilio's error body. */
const twilioError = (status: number, code: number, message: string) => ({
  code,
  message,
  more_info: `https://www.twilio.com/docs/errors/${code}`,
  status,
});

/** "Thu, 24 Aug 2023 05:01:45 +0000", the date format of Twilio's 2010 API. */
const rfc2822 = (date: Date) => date.toUTCString().replace("GMT", "+0000");

/** Twilio's message resource for a message it accepted. */
function messageResource(sms: CaughtSms) {
  const date = rfc2822(new Date(sms.receivedAt));
  const uri = `/2010-04-01/Accounts/${sms.accountSid}/Messages/${sms.sid}`;
  return {
    account_sid: sms.accountSid,
    api_version: "2010-04-01",
    body: sms.body,
    date_created: date,
    date_sent: null,
    date_updated: date,
    direction: "outbound-api",
    error_code: null,
    error_message: null,
    from: sms.from,
    messaging_service_sid: sms.messagingServiceSid,
    num_media: "0",
    num_segments: String(Math.max(1, Math.ceil(sms.body.length / 153))),
    price: null,
    price_unit: "USD",
    sid: sms.sid,
    status: sms.messagingServiceSid ? "accepted" : "queued",
    subresource_uris: { media: `${uri}/Media.json` },
    to: sms.to,
    uri: `${uri}.json`,
  };
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The basic-auth user and password, or null without them. */
function basicAuth(header: string | undefined): { user: string; pass: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? null : { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}

async function readBody(request: http.IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function startSmsCatcher(options: SmsCatcherOptions = {}): Promise<SmsCatcher> {
  const account = options.account ?? { sid: `AC${hex(16)}`, token: hex(16) };
  const keep = options.keep ?? 500;
  const received: CaughtSms[] = [];
  const waiters = new Set<(sms: CaughtSms) => void>();
  let refusal: { status: number; code: number; message: string } | null = null;

  const messagesPath = new RegExp(`^/2010-04-01/Accounts/([^/]+)/Messages\\.json$`);

  async function handle(request: http.IncomingMessage, response: http.ServerResponse) {
    const url = new URL(request.url ?? "/", `http://${HOST}`);
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };

    if (request.method === "GET" && url.pathname === "/") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(renderPage(received, account.sid));
      return;
    }
    if (request.method === "GET" && url.pathname === "/messages.json") return send(200, received);

    const match = messagesPath.exec(url.pathname);
    if (!match) return send(404, twilioError(404, 20404, "The requested resource was not found"));
    const pathSid = decodeURIComponent(match[1]!);
    const login = basicAuth(request.headers.authorization);
    if (
      !login ||
      login.user !== pathSid ||
      !sameText(login.user, account.sid) ||
      !sameText(login.pass, account.token)
    ) {
      return send(401, twilioError(401, 20003, "Authenticate"));
    }
    if (request.method === "GET") {
      const mine = received.filter((sms) => sms.accountSid === pathSid).reverse();
      return send(200, { messages: mine.map(messageResource), page: 0, page_size: 50 });
    }
    if (request.method !== "POST") return send(405, twilioError(405, 20004, "Method not allowed"));

    const raw = await readBody(request);
    if (raw === null) return send(413, twilioError(413, 20001, "Request entity too large"));
    const type = request.headers["content-type"] ?? "";
    if (!type.startsWith("application/x-www-form-urlencoded")) {
      return send(400, twilioError(400, 20001, "Content-Type must be application/x-www-form-urlencoded"));
    }
    const form = new URLSearchParams(raw.toString("utf8"));
    const to = form.get("To") ?? "";
    const from = form.get("From");
    const service = form.get("MessagingServiceSid");
    const body = form.get("Body") ?? "";
    if (!to) return send(400, twilioError(400, 21604, "A 'To' phone number is required."));
    if (!/^\+[1-9]\d{6,14}$/.test(to)) {
      return send(400, twilioError(400, 21211, `Invalid 'To' Phone Number: ${to.slice(0, 40)}`));
    }
    if (!from && !service) return send(400, twilioError(400, 21603, "A 'From' phone number is required."));
    if (!body) return send(400, twilioError(400, 21602, "Message body is required."));
    if (body.length > MAX_TEXT_LENGTH) {
      return send(400, twilioError(400, 21617, "The concatenated message body exceeds the 1600 character limit."));
    }
    if (refusal) return send(refusal.status, twilioError(refusal.status, refusal.code, refusal.message));

    const sms: CaughtSms = {
      sid: `SM${hex(16)}`,
      accountSid: pathSid,
      receivedAt: new Date().toISOString(),
      to,
      from: service ? null : from,
      messagingServiceSid: service,
      body,
    };
    received.push(sms);
    if (received.length > keep) received.splice(0, received.length - keep);
    for (const waiter of waiters) waiter(sms);
    send(201, messageResource(sms));
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify(twilioError(500, 20500, `Internal error: ${String(error)}`)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });

  return {
    host: HOST,
    url: `http://${HOST}:${(server.address() as AddressInfo).port}`,
    accountSid: account.sid,
    authToken: account.token,
    messages: () => [...received],
    waitFor(match, timeoutMs = 10_000) {
      const found = received.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`No matching text message within ${timeoutMs} ms (received ${received.length})`));
        }, timeoutMs);
        const waiter = (sms: CaughtSms) => {
          if (!match(sms)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(sms);
        };
        waiters.add(waiter);
      });
    },
    refuseSends: (error) => void (refusal = error),
    clear: () => void received.splice(0),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The web page: received text messages, newest first. */
export function renderPage(messages: readonly CaughtSms[], accountSid: string): string {
  const rows = [...messages]
    .reverse()
    .map(
      (sms) => `<article>
  <dl><dt>To</dt><dd>${escapeHtml(sms.to)}</dd><dt>From</dt><dd>${escapeHtml(sms.from ?? `Messaging Service ${sms.messagingServiceSid ?? ""}`)}</dd><dt>Date</dt><dd>${escapeHtml(sms.receivedAt)}</dd><dt>SID</dt><dd>${escapeHtml(sms.sid)}</dd></dl>
  <pre>${escapeHtml(sms.body)}</pre>
</article>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Demo text messages (${messages.length})</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 860px; color: #303030; }
  article { border: 1px solid #e3e3e3; border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 8px; }
  dt { color: #616161; } dd { margin: 0; word-break: break-all; }
  pre { white-space: pre-wrap; background: #f7f7f7; padding: 8px; border-radius: 6px; margin: 0; font-size: 15px; }
</style></head>
<body>
<h1>Text messages sent by Shopdesk</h1>
<p>Every text message the demo's stores send (Twilio account ${escapeHtml(accountSid)}) lands here, not on real phones. Newest first; reload to see new messages.</p>
${rows || "<p>No text messages yet. Ask for a sign-in code by text message in the storefront's portal.</p>"}
</body></html>`;
}
