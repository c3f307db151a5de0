import { describe, expect, it } from "vitest";
import { signInMessages } from "~/domain/portal-messages";
import { parseCodeRequest, parseOrderSignIn, parseSessionRequest, parseVerifyRequest } from "./sign-in-input";

const en = signInMessages("en");
const fr = signInMessages("fr");

describe("a code request", () => {
  it("files an email lower-cased and a phone as E.164", () => {
    expect(parseCodeRequest({ channel: "email", destination: "  Ava.Lind@Example.COM " }, en)).toEqual({
      ok: true,
      data: { channel: "email", destination: "ava.lind@example.com" },
    });
    expect(parseCodeRequest({ channel: "sms", destination: "+44 (7700) 900-123", locale: "fr" }, en)).toEqual({
      ok: true,
      data: { channel: "sms", destination: "+447700900123" },
    });
    expect(parseCodeRequest({ channel: "sms", destination: "0033 6 12 34 56 78" }, en)).toMatchObject({
      data: { destination: "+33612345678" },
    });
  });

  it("refuses what is not an address or an international number, naming the field, in the shopper's language", () => {
    expect(parseCodeRequest({ channel: "email", destination: "ava@" }, en)).toEqual({
      ok: false,
      error: en.fields.email,
      fields: { destination: en.fields.email },
    });
    expect(parseCodeRequest({ channel: "sms", destination: "07700 900123" }, fr)).toEqual({
      ok: false,
      error: fr.fields.phone,
      fields: { destination: fr.fields.phone },
    });
  });

  it("refuses wrong types, unknown channels, NUL bytes and very long text", () => {
    const cases: [unknown, string, string][] = [
      [{ channel: "pigeon", destination: "ava@example.com" }, "channel", en.fields.channel],
      [{ destination: "ava@example.com" }, "channel", en.fields.channel],
      [{ channel: "email", destination: 42 }, "destination", en.fields.text],
      [{ channel: "email", destination: ["ava@example.com"] }, "destination", en.fields.text],
      [{ channel: "email" }, "destination", en.fields.text],
      [{ channel: "email", destination: "ava\u0000@example.com" }, "destination", en.fields.unusableText],
      [{ channel: "email", destination: `${"a".repeat(400)}@example.com` }, "destination", en.fields.text],
      [{ channel: "email", destination: "ava@example.com", locale: 7 }, "locale", en.fields.text],
    ];
    for (const [body, field, message] of cases) {
      const parsed = parseCodeRequest(body, en);
      expect(parsed, JSON.stringify(body)).toMatchObject({ ok: false, fields: { [field]: message } });
    }
    expect(parseCodeRequest(null, en).ok).toBe(false);
  });
});

describe("a code check", () => {
  it("takes six digits, spaces ignored", () => {
    expect(parseVerifyRequest({ channel: "email", destination: "Ava@Example.com", code: "123 456" }, en)).toEqual({
      ok: true,
      data: { channel: "email", destination: "ava@example.com", code: "123456" },
    });
    expect(parseVerifyRequest({ channel: "email", destination: "a@b.co", code: "000000" }, en).ok).toBe(true);
  });

  it("refuses a code with letters, of another length, or not a string", () => {
    for (const code of ["12345a", "12345", "1234567", "١٢٣٤٥٦", 123456, null, "", "12 34 5x"]) {
      expect(parseVerifyRequest({ channel: "email", destination: "a@b.co", code }, en), String(code)).toEqual({
        ok: false,
        error: en.fields.code,
        fields: { code: en.fields.code },
      });
    }
  });
});

describe("an email + order number sign-in", () => {
  it("looks for the order as typed and with '#'", () => {
    expect(parseOrderSignIn({ email: "Ava@Example.com", orderNumber: " 1001 " }, en)).toEqual({
      ok: true,
      data: { email: "ava@example.com", orderNames: ["#1001", "1001"] },
    });
    expect(parseOrderSignIn({ email: "ava@example.com", orderNumber: "#1001" }, en)).toMatchObject({
      data: { orderNames: ["#1001"] },
    });
  });

  it("refuses an empty or odd order number and a bad email", () => {
    for (const orderNumber of ["", "#", "10 01", "#1001; drop", 1001]) {
      expect(parseOrderSignIn({ email: "ava@example.com", orderNumber }, en), String(orderNumber)).toMatchObject({
        ok: false,
        fields: { orderNumber: typeof orderNumber === "number" ? en.fields.text : en.fields.orderNumber },
      });
    }
    expect(parseOrderSignIn({ email: "not an email", orderNumber: "1001" }, en)).toMatchObject({
      ok: false,
      fields: { email: en.fields.email },
    });
  });
});

describe("a session request", () => {
  it("takes an optional token and sign-out", () => {
    expect(parseSessionRequest({}, en)).toEqual({ ok: true, data: { token: null, signOut: false } });
    expect(parseSessionRequest({ token: "v1.a.b", signOut: true, locale: "de" }, en)).toEqual({
      ok: true,
      data: { token: "v1.a.b", signOut: true },
    });
  });

  it("refuses a token that is not a string and a sign-out that is not a boolean", () => {
    expect(parseSessionRequest({ token: 5 }, en)).toMatchObject({ ok: false, fields: { token: en.fields.text } });
    expect(parseSessionRequest({ signOut: "yes" }, en)).toMatchObject({
      ok: false,
      fields: { signOut: en.fields.invalid },
    });
  });
});
