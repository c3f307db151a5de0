import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  decryptSecret,
  encryptSecret,
  parseSecretsKey,
  SecretsKeyProblem,
  SecretUnreadable,
  secretsKey,
} from "./secrets.server";

const key = randomBytes(32);

describe("secrets at rest", () => {
  it("round-trips any text, with a fresh IV each time", () => {
    for (const plain of ["hunter2", "", "pässwörd with spaces 🔑", "x".repeat(2000)]) {
      const stored = encryptSecret(plain, "workspace-1", key);
      expect(stored).not.toContain(plain || "\u0000");
      expect(decryptSecret(stored, "workspace-1", key)).toBe(plain);
    }
    expect(encryptSecret("same", "w", key)).not.toBe(encryptSecret("same", "w", key));
  });

  it("detects a tampered ciphertext, tag or IV", () => {
    const stored = encryptSecret("hunter2", "workspace-1", key);
    const parts = stored.split(".");
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(parts[index]!, "base64url");
      bytes[0]! ^= 1;
      const altered = parts.with(index, bytes.toString("base64url")).join(".");
      expect(() => decryptSecret(altered, "workspace-1", key)).toThrow(SecretUnreadable);
    }
    expect(() => decryptSecret("plain text", "workspace-1", key)).toThrow(SecretUnreadable);
  });

  it("refuses another key, and another workspace's context", () => {
    const stored = encryptSecret("hunter2", "workspace-1", key);
    expect(() => decryptSecret(stored, "workspace-1", randomBytes(32))).toThrow(/different SHOPDESK_SECRETS_KEY/);
    expect(() => decryptSecret(stored, "workspace-2", key)).toThrow(SecretUnreadable);
  });

  it("reads the key as 64 hex digits or base64 of 32 bytes, and says what to set otherwise", () => {
    expect(parseSecretsKey(key.toString("hex"))).toEqual(key);
    expect(parseSecretsKey(key.toString("base64"))).toEqual(key);
    expect(parseSecretsKey(` ${key.toString("base64url")}\n`)).toEqual(key);
    for (const bad of [undefined, "", "short", randomBytes(16).toString("base64"), randomBytes(31).toString("hex")]) {
      expect(() => parseSecretsKey(bad)).toThrow(SecretsKeyProblem);
    }
    expect(() => parseSecretsKey(undefined)).toThrow(/set SHOPDESK_SECRETS_KEY to 32 random bytes/);
  });

  it("uses the key the tests configure", () => {
    expect(secretsKey()).toHaveLength(32);
  });
});
