import { describe, expect, it } from "vitest";
import { sealSmsAuthToken, smsProviderFor } from "./sms.server";

const settings = { smsAccountSid: "AC123", smsFrom: "+15005550006", smsApiBaseUrl: null };

describe("a store's SMS provider", () => {
  it("opens the auth token sealed for that store", () => {
    const sealed = sealSmsAuthToken("shop-1", "twilio-token");
    expect(sealed).not.toContain("twilio-token");
    expect(smsProviderFor("shop-1", settings, sealed).ok).toBe(true);
  });

  it("refuses a token sealed for another store, with words for the log", () => {
    const choice = smsProviderFor("shop-2", settings, sealSmsAuthToken("shop-1", "twilio-token"));
    expect(choice).toEqual({ ok: false, problem: expect.stringMatching(/^The store's SMS auth token cannot be read/) });
  });

  it("is not set up without an account, a sender or a token", () => {
    const sealed = sealSmsAuthToken("shop-1", "twilio-token");
    for (const [partial, token] of [
      [{ smsAccountSid: null }, sealed],
      [{ smsFrom: null }, sealed],
      [{}, null],
    ] as const) {
      expect(smsProviderFor("shop-1", { ...settings, ...partial }, token)).toEqual({
        ok: false,
        problem: "The store's SMS provider is not set up (account SID, sender and auth token).",
      });
    }
  });
});
