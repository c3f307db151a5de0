import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "~/lib/form-errors";
import { UNSTORABLE_TEXT_MESSAGE } from "~/lib/storable-text";
import { MailSettingsFormSchema } from "./mail-settings";

const valid = {
  intent: "save",
  host: " smtp.example.com ",
  port: "587",
  security: "starttls",
  username: "support@example.com",
  password: " secret with spaces ",
  fromAddress: "support@example.com",
  fromName: "Maple Goods",
};

const errorsOf = (input: Record<string, unknown>) => {
  const parsed = MailSettingsFormSchema.safeParse(input);
  return parsed.success ? {} : fieldErrorsOf(parsed.error);
};

describe("email settings form", () => {
  it("accepts a usual SMTP setup, trimmed, keeping the password exactly as typed", () => {
    expect(MailSettingsFormSchema.parse(valid)).toEqual({
      ...valid,
      host: "smtp.example.com",
      port: 587,
      password: " secret with spaces ",
    });
  });

  it("reads blank optional fields as none (a blank password keeps the stored one)", () => {
    expect(MailSettingsFormSchema.parse({ ...valid, username: "", password: "", fromName: "  " })).toMatchObject({
      username: null,
      password: null,
      fromName: null,
    });
    expect(MailSettingsFormSchema.parse({ ...valid, host: "10.0.0.5", security: "none" })).toMatchObject({
      host: "10.0.0.5",
    });
    expect(MailSettingsFormSchema.parse({ ...valid, host: "[::1]" })).toMatchObject({ host: "::1" });
  });

  it("refuses each bad field with a message a merchant can act on", () => {
    expect(errorsOf({ ...valid, port: "0" }).port).toEqual(["Enter a port number from 1 to 65535."]);
    expect(errorsOf({ ...valid, port: "65536" }).port).toBeDefined();
    expect(errorsOf({ ...valid, port: "25x" }).port).toBeDefined();
    expect(errorsOf({ ...valid, port: "9".repeat(400) }).port).toBeDefined();
    expect(errorsOf({ ...valid, host: "https://smtp.example.com" }).host).toBeDefined();
    expect(errorsOf({ ...valid, host: "smtp.example.com:587" }).host).toBeDefined();
    expect(errorsOf({ ...valid, host: "" }).host).toBeDefined();
    expect(errorsOf({ ...valid, host: "a".repeat(300) }).host).toEqual(["A host name is at most 253 characters."]);
    expect(errorsOf({ ...valid, security: "ssl" }).security).toEqual(["Choose STARTTLS, TLS or None."]);
    expect(errorsOf({ ...valid, fromAddress: "support" }).fromAddress).toBeDefined();
    expect(errorsOf({ ...valid, fromAddress: undefined }).fromAddress).toBeDefined();
    expect(errorsOf({ ...valid, fromName: "Maple\r\nBcc: x@example.com" }).fromName).toEqual([
      "Use one line of text, without tabs or line breaks.",
    ]);
    expect(errorsOf({ ...valid, password: "p".repeat(513) }).password).toBeDefined();
    expect(errorsOf({ intent: "drop" }).intent).toEqual(["Unknown email settings form"]);
  });

  it("refuses NUL bytes rather than storing something else", () => {
    expect(errorsOf({ ...valid, host: "smtp\u0000.example.com" }).host).toContain(UNSTORABLE_TEXT_MESSAGE);
    expect(errorsOf({ ...valid, password: "pa\u0000ss" }).password).toEqual([UNSTORABLE_TEXT_MESSAGE]);
    expect(errorsOf({ ...valid, fromName: "Ma\u0000ple" }).fromName).toContain(UNSTORABLE_TEXT_MESSAGE);
  });

  it("checks the test email's recipient", () => {
    expect(MailSettingsFormSchema.parse({ intent: "send-test", to: " me@example.com " })).toEqual({
      intent: "send-test",
      to: "me@example.com",
    });
    expect(errorsOf({ intent: "send-test", to: "me" }).to).toBeDefined();
  });
});
