import { createHmac, timingSafeEqual } from "node:crypto";
import { secretsKey } from "~/lib/secrets.server";

// Requests to HTTP integrations are signed so receivers can tell they came from Shopdesk and were
// not replayed later (docs/decisions/025-integrations.md), the way Stripe signs webhooks:
//   X-Shopdesk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<idempotency key>.<body>">
// The idempotency key is signed too (as Standard Webhooks signs its message id): a GET has no body,
// so without it a captured call could be sent again under a fresh key the receiver has not seen.
// The key is per integration, derived from SHOPDESK_SECRETS_KEY and the integration (nothing new
// to store, and rotating the server key rotates every signing secret).

export const SIGNATURE_HEADER = "X-Shopdesk-Signature";
export const IDEMPOTENCY_HEADER = "Idempotency-Key";

/** The integration's signing secret, shown to the merchant to configure the receiver. */
export function integrationSigningSecret(workspaceId: string, integrationId: number): string {
  const derived = createHmac("sha256", secretsKey())
    .update(`integration-signing:${workspaceId}:${integrationId}`)
    .digest("base64url");
  return `whsec_${derived}`;
}

/** The header value for a call with this idempotency key and body, sent at `timestamp` (unix seconds). */
export function signatureHeader(secret: string, timestamp: number, idempotencyKey: string, body: string): string {
  const mac = createHmac("sha256", secret).update(`${timestamp}.${idempotencyKey}.${body}`).digest("hex");
  return `t=${timestamp},v1=${mac}`;
}

/**
 * What a receiver does: true when the header's v1 matches the idempotency key and body and its time
 * is within `toleranceSeconds` of now (an old signed request replayed later fails).
 */
export function verifySignatureHeader(
  secret: string,
  header: string | undefined,
  idempotencyKey: string | undefined,
  body: string,
  options: { toleranceSeconds?: number; now?: number } = {},
): boolean {
  if (!header || !idempotencyKey) return false;
  const parts = new Map(
    header.split(",").map((part) => {
      const at = part.indexOf("=");
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const timestamp = Number(parts.get("t"));
  const given = parts.get("v1") ?? "";
  if (!Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/.test(given)) return false;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = signatureHeader(secret, timestamp, idempotencyKey, body).split("v1=")[1]!;
  return timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(given, "hex"));
}
