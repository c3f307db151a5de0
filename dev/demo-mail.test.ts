import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseSecretsKey } from "../app/lib/secrets.server.ts";
import { ensureDemoSecretsKey, startDemoMail } from "./demo-mail.ts";

const configured = process.env.SHOPDESK_SECRETS_KEY;
const dirs: string[] = [];
afterEach(() => {
  process.env.SHOPDESK_SECRETS_KEY = configured;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the demo's secrets key", () => {
  it("is made once per data directory, kept private, and reused by the next run", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "demo-key-"));
    dirs.push(dir);
    delete process.env.SHOPDESK_SECRETS_KEY;
    ensureDemoSecretsKey(dir);
    const key = process.env.SHOPDESK_SECRETS_KEY!;
    expect(parseSecretsKey(key)).toHaveLength(32);
    expect(statSync(path.join(dir, "secrets-key")).mode & 0o077).toBe(0);

    delete process.env.SHOPDESK_SECRETS_KEY;
    ensureDemoSecretsKey(dir);
    expect(process.env.SHOPDESK_SECRETS_KEY).toBe(key);
  });

  it("leaves a key set in the environment alone", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "demo-key-"));
    dirs.push(dir);
    process.env.SHOPDESK_SECRETS_KEY = "mine";
    ensureDemoSecretsKey(dir);
    expect(process.env.SHOPDESK_SECRETS_KEY).toBe("mine");
    expect(() => readFileSync(path.join(dir, "secrets-key"))).toThrow();
  });
});

describe("the demo's mail page", () => {
  it("takes another port when the usual one is busy", async () => {
    const { startMailCatcher } = await import("./mail-catcher.ts");
    const first = await startMailCatcher();
    const taken = Number(new URL(first.url!).port);
    // No database to point at here: past the busy port, pointing fails (and closes the catcher).
    await expect(startDemoMail("postgresql://127.0.0.1:1/none", taken)).rejects.toMatchObject({
      code: "ECONNREFUSED",
    });
    await first.close();
  });
});
