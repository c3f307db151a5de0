import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

// Secrets at rest (a workspace's SMTP password): AES-256-GCM with the key in SHOPDESK_SECRETS_KEY
// (docs/decisions/018-email-out.md). The key is read when a secret is used, not at boot: a missing
// key refuses to store or read a password with a message saying what to set, and everything else
// in the app keeps working.

export const SECRETS_KEY_VARIABLE = "SHOPDESK_SECRETS_KEY";

const HOW_TO_SET = `set ${SECRETS_KEY_VARIABLE} to 32 random bytes in base64 or hex (for example the output of \`openssl rand -base64 32\`) and restart Shopdesk`;

/** The key is missing or not 32 bytes: nothing can be encrypted or decrypted. */
export class SecretsKeyProblem extends Error {
  constructor(problem: string) {
    super(`Passwords cannot be stored: ${problem}. To fix it, ${HOW_TO_SET}.`);
  }
}

/** A stored secret that does not decrypt: another key made it, or it was altered. */
export class SecretUnreadable extends Error {}

/** 64 hex digits, or base64 (standard or url-safe, padded or not) of exactly 32 bytes. */
export function parseSecretsKey(value: string | undefined): Buffer {
  const text = value?.trim() ?? "";
  if (!text) throw new SecretsKeyProblem(`${SECRETS_KEY_VARIABLE} is not set`);
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const key = Buffer.from(text, "base64");
    if (key.length === 32) return key;
  }
  throw new SecretsKeyProblem(`${SECRETS_KEY_VARIABLE} is not 32 bytes in base64 or hex`);
}

/** The configured key; throws SecretsKeyProblem when it is missing or malformed. */
export const secretsKey = (): Buffer => parseSecretsKey(process.env[SECRETS_KEY_VARIABLE]);

/** A short fingerprint of the key, stored with each secret so a changed key is named as such. */
const keyId = (key: Buffer) => createHash("sha256").update(key).digest("hex").slice(0, 8);

const VERSION = "v1";

/**
 * Encrypts `plain`; `context` (e.g. the workspace id) is bound to the ciphertext as associated
 * data, so a secret copied into another workspace's row does not decrypt there.
 * Format: v1.<key id>.<iv>.<tag>.<ciphertext>, base64url parts.
 */
export function encryptSecret(plain: string, context: string, key: Buffer = secretsKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString("base64url"));
  return [VERSION, keyId(key), ...parts].join(".");
}

/** Decrypts what encryptSecret stored for the same context; throws SecretUnreadable otherwise. */
export function decryptSecret(stored: string, context: string, key: Buffer = secretsKey()): string {
  const [version, storedKeyId, iv, tag, ciphertext, ...rest] = stored.split(".");
  if (version !== VERSION || !storedKeyId || !iv || !tag || ciphertext === undefined || rest.length > 0) {
    throw new SecretUnreadable("The stored password is not in a format Shopdesk knows.");
  }
  if (storedKeyId !== keyId(key)) {
    throw new SecretUnreadable(`The stored password was saved with a different ${SECRETS_KEY_VARIABLE}.`);
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretUnreadable("The stored password was altered or belongs elsewhere: it does not decrypt.");
  }
}

/** Why passwords cannot be stored right now (for a warning on the settings page), or null. */
export function secretsKeyProblem(): string | null {
  try {
    secretsKey();
    return null;
  } catch (error) {
    if (error instanceof SecretsKeyProblem) return error.message;
    throw error;
  }
}
