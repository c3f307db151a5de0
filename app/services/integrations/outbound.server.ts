import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { db } from "~/db.server";
import { blockedAddressReason } from "~/domain/network-address";

// Every request Shopdesk sends to a merchant's HTTP integration (trigger deliveries, custom
// actions, widget fetches) goes through here (docs/decisions/025-integrations.md):
// - SSRF: the host is resolved, every address it resolves to is checked, and the socket connects
//   to the address that was checked (a second DNS answer cannot swap in 127.0.0.1 in between).
//   Loopback, private, link-local and similar addresses are refused unless the workspace turned on
//   Settings → Integrations → "Allow private network".
// - Redirects are never followed: a 3xx is the answer (following one would skip the check).
// - One timeout for the whole call (DNS, connect, response), and the body is read up to a cap.

export const DEFAULT_TIMEOUT_MS = 10_000;
export const RESPONSE_BODY_CAP_BYTES = 1024 * 1024;

export interface OutboundRequest {
  workspaceId: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

/** How host names become addresses; dns.lookup (the system resolver, /etc/hosts included) by default. */
export type ResolveHost = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolve: ResolveHost = (host) => lookup(host, { all: true, verbatim: true });

export type OutboundResult =
  | {
      ok: true;
      status: number;
      /** The response body as text, at most RESPONSE_BODY_CAP_BYTES of it. */
      body: string;
      /** The body was longer than the cap and was cut. */
      truncated: boolean;
      contentType: string | null;
      durationMs: number;
    }
  | {
      ok: false;
      /** True when Shopdesk refused to send it (address not allowed, bad URL); false for a network failure. */
      refused: boolean;
      /** Why, in words for the delivery log. */
      error: string;
      durationMs: number;
    };

class Refusal extends Error {}

interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** Resolves the URL's host and checks each address; the address to connect to, or a Refusal. */
async function checkTarget(
  rawUrl: string,
  allowPrivateNetwork: boolean,
  resolveHost: ResolveHost,
): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new Refusal(`"${rawUrl.slice(0, 200)}" is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Refusal(`Only http and https URLs can be called (not ${url.protocol.replace(":", "")})`);
  }
  if (url.username || url.password) throw new Refusal("URLs with a user name or password in them are not called");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await resolveHost(host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(`The host ${host} could not be found (${code ?? "DNS error"})`);
    }
    if (addresses.length === 0) throw new Error(`The host ${host} could not be found`);
  }
  if (!allowPrivateNetwork) {
    // Every address, not only the first: a host answering both a public and a private address
    // could otherwise be reached on the private one by a later connection attempt.
    for (const { address } of addresses) {
      const reason = blockedAddressReason(address);
      if (reason) {
        const where = address === host ? address : `${host}, which resolves to ${address},`;
        throw new Refusal(
          `Not sent: ${where} is ${reason}. Calls to private networks are off; turn on "Allow private network" in Settings → Integrations if this server is yours.`,
        );
      }
    }
  }
  const chosen = addresses[0]!;
  return { url, address: chosen.address, family: chosen.family === 6 ? 6 : 4 };
}

/** A lookup that answers the checked address whatever it is asked: no second DNS query. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as LookupFunction;
}

async function isPrivateNetworkAllowed(workspaceId: string): Promise<boolean> {
  const workspace = await db.workspace.findUnique({
    where: { id: workspaceId },
    select: { integrationsAllowPrivateNetwork: true },
  });
  return workspace?.integrationsAllowPrivateNetwork ?? false;
}

/**
 * Sends one request for a workspace's integration, guarded as the header comment says. Never
 * throws for the receiver's or the network's sake: failures come back as `{ ok: false }` with a
 * reason for the delivery log.
 */
export async function sendOutboundRequest(
  request: OutboundRequest,
  resolveHost: ResolveHost = systemResolve,
): Promise<OutboundResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const allowPrivateNetwork = await isPrivateNetworkAllowed(request.workspaceId);
    const target = await Promise.race([
      checkTarget(request.url, allowPrivateNetwork, resolveHost),
      new Promise<never>((_, reject) =>
        controller.signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true }),
      ),
    ]);
    const response = await send(target, request, controller.signal);
    return { ok: true, ...response, durationMs: elapsed() };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, refused: true, error: error.message, durationMs: elapsed() };
    const message = controller.signal.aborted
      ? `No answer within ${Math.round(timeoutMs / 100) / 10} s (timed out)`
      : describeNetworkError(error);
    return { ok: false, refused: false, error: message, durationMs: elapsed() };
  } finally {
    clearTimeout(timer);
  }
}

function describeNetworkError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case "ECONNREFUSED":
      return "The server refused the connection (nothing listens at that address and port)";
    case "ECONNRESET":
      return "The server closed the connection before answering";
    case "ENOTFOUND":
      return message;
    case "ERR_INVALID_CHAR":
    case "ERR_INVALID_HTTP_TOKEN":
      return "A header name or value has characters HTTP does not allow";
    default:
      return code ? `${message} (${code})` : message;
  }
}

// What Node lets a header value hold (Latin-1 without control characters, tab allowed).
const HEADER_VALUE_UNSENDABLE = /[^\t\x20-\x7e\x80-\xff]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/g;

/**
 * A header value as HTTP can carry it. Values come from customer data ({{ticket.customer.name}}):
 * an emoji or a control character must not fail every call for that customer on our side (and
 * open the circuit for all): control characters become spaces, and text beyond Latin-1 is sent as
 * its UTF-8 bytes. Values HTTP already carries go unchanged.
 */
export function sendableHeaderValue(value: string): string {
  if (!HEADER_VALUE_UNSENDABLE.test(value)) return value;
  const cleaned = value.replace(CONTROL, " ");
  return HEADER_VALUE_UNSENDABLE.test(cleaned) ? Buffer.from(cleaned, "utf8").toString("latin1") : cleaned;
}

function send(target: CheckedTarget, request: OutboundRequest, signal: AbortSignal) {
  const { url } = target;
  const client = url.protocol === "https:" ? https : http;
  const body = request.body === undefined ? undefined : Buffer.from(request.body, "utf8");
  const headers: Record<string, string> = { "user-agent": "Shopdesk-Integrations/1.0" };
  for (const [name, value] of Object.entries(request.headers)) headers[name] = sendableHeaderValue(value);
  if (body) headers["content-length"] = String(body.length);
  return new Promise<{ status: number; body: string; truncated: boolean; contentType: string | null }>(
    (resolve, reject) => {
      const outgoing = client.request(
        {
          protocol: url.protocol,
          // The host name stays for the Host header and TLS (SNI, certificate check); the
          // connection goes to the checked address.
          hostname: url.hostname.replace(/^\[|\]$/g, ""),
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          method: request.method,
          headers,
          lookup: pinnedLookup(target.address, target.family),
          signal,
          agent: false,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          let truncated = false;
          const finish = () =>
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString("utf8"),
              truncated,
              contentType: response.headers["content-type"] ?? null,
            });
          response.on("data", (chunk: Buffer) => {
            if (truncated) return;
            const room = RESPONSE_BODY_CAP_BYTES - size;
            if (chunk.length > room) {
              chunks.push(chunk.subarray(0, room));
              size += room;
              truncated = true;
              // Enough read: stop downloading the rest and answer with what we have.
              finish();
              response.destroy();
              return;
            }
            chunks.push(chunk);
            size += chunk.length;
          });
          response.on("end", finish);
          response.on("error", (error) => (truncated ? undefined : reject(error)));
        },
      );
      outgoing.on("error", reject);
      outgoing.end(body);
    },
  );
}
