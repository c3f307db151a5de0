import { describe, expect, it } from "vitest";
import { encryptSecret } from "~/lib/secrets.server";
import { smsProviderFor } from "./sms.server";

const settings = { smsAccountSid: "AC123", smsFrom: "+15005550006", smsApiBaseUrl: null };
const sealedFor = (context: string) => encryptSecret("twilio-token", context);

describe("a store's SMS provider", () => {
  it("opens the auth token sealed for that store", () => {
    const token = sealedFor("portal-sms:shop-1");
    expect(token).not.toContain("twilio-token");
    expect(smsProviderFor(settings, { token, context: "portal-sms:shop-1" }).ok).toBe(true);
  });

  it("refuses a token sealed for another store, with words for the log", () => {
    const choice = smsProviderFor(settings, { token: sealedFor("portal-sms:shop-1"), context: "portal-sms:shop-2" });
    expect(choice).toEqual({ ok: false, problem: expect.stringMatching(/^The store's SMS auth token cannot be read/) });
  });

  it("is not set up without an account, a sender or a token", () => {
    const token = sealedFor("portal-sms:shop-1");
    for (const [partial, stored] of [
      [{ smsAccountSid: null }, token],
      [{ smsFrom: null }, token],
      [{}, null],
    ] as const) {
      expect(smsProviderFor({ ...settings, ...partial }, { token: stored, context: "portal-sms:shop-1" })).toEqual({
        ok: false,
        problem: "The store's SMS provider is not set up (account SID, sender and auth token).",
      });
    }
  });
});
