import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { twilioSmsProvider } from "../app/services/portal/sms.server.ts";
import { startSmsCatcher, type SmsCatcher } from "./sms-catcher.ts";

let catcher: SmsCatcher;
beforeAll(async () => {
  catcher = await startSmsCatcher();
});
afterAll(() => catcher.close());

const messagesUrl = (sid = catcher.accountSid) => `${catcher.url}/2010-04-01/Accounts/${sid}/Messages.json`;
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;

function post(form: Record<string, string>, auth = basic(catcher.accountSid, catcher.authToken), sid?: string) {
  return fetch(messagesUrl(sid), {
    method: "POST",
    headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
}

describe("the demo's SMS catcher (Twilio's Messages API)", () => {
  it("accepts a message from the app's Twilio client, answers like Twilio and lists it on its page, escaped", async () => {
    const provider = twilioSmsProvider({
      baseUrl: `${catcher.url}/`,
      accountSid: catcher.accountSid,
      authToken: catcher.authToken,
      from: "+15005550006",
    });
    const sent = await provider.send({ to: "+447700900123", body: "123456 is your <b>Maple</b> code" });
    expect(sent).toEqual({ ok: true, id: expect.stringMatching(/^SM[0-9a-f]{32}$/) });
    const sms = await catcher.waitFor((caught) => caught.to === "+447700900123");
    expect(sms).toMatchObject({
      sid: sent.ok ? sent.id : "",
      accountSid: catcher.accountSid,
      from: "+15005550006",
      body: "123456 is your <b>Maple</b> code",
    });

    const page = await (await fetch(catcher.url)).text();
    expect(page).toContain("123456 is your &#60;b&#62;Maple&#60;/b&#62; code");
    expect(page).not.toContain("<b>Maple</b>");
    const listed = (await (await fetch(`${catcher.url}/messages.json`)).json()) as { sid: string }[];
    expect(listed.map((caught) => caught.sid)).toContain(sms.sid);
  });

  it("answers 201 with Twilio's message resource", async () => {
    const response = await post({ To: "+14155550100", From: "+15005550006", Body: "Hello" });
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      account_sid: catcher.accountSid,
      api_version: "2010-04-01",
      to: "+14155550100",
      from: "+15005550006",
      body: "Hello",
      status: "queued",
      direction: "outbound-api",
      num_segments: "1",
      error_code: null,
    });
    expect(body.uri).toBe(`/2010-04-01/Accounts/${catcher.accountSid}/Messages/${String(body.sid)}.json`);
    expect(body.date_created).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
  });

  it("sends through a Messaging Service when From is one", async () => {
    const service = `MG${"a".repeat(32)}`;
    const provider = twilioSmsProvider({
      baseUrl: catcher.url,
      accountSid: catcher.accountSid,
      authToken: catcher.authToken,
      from: service,
    });
    expect((await provider.send({ to: "+33612345678", body: "Bonjour" })).ok).toBe(true);
    expect(await catcher.waitFor((sms) => sms.to === "+33612345678")).toMatchObject({
      from: null,
      messagingServiceSid: service,
    });
  });

  it("refuses a wrong token, another account's SID or no login with Twilio's 401", async () => {
    const before = catcher.messages().length;
    for (const response of [
      await post({ To: "+14155550100", From: "+15005550006", Body: "x" }, basic(catcher.accountSid, "wrong")),
      await post(
        { To: "+14155550100", From: "+15005550006", Body: "x" },
        basic(`AC${"0".repeat(32)}`, catcher.authToken),
      ),
      await post({ To: "+14155550100", From: "+15005550006", Body: "x" }, "", `AC${"0".repeat(32)}`),
      await post(
        { To: "+14155550100", From: "+15005550006", Body: "x" },
        basic(`AC${"0".repeat(32)}`, catcher.authToken),
        `AC${"0".repeat(32)}`,
      ),
    ]) {
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        code: 20003,
        message: "Authenticate",
        more_info: "https://www.twilio.com/docs/errors/20003",
        status: 401,
      });
    }
    const provider = twilioSmsProvider({
      baseUrl: catcher.url,
      accountSid: catcher.accountSid,
      authToken: "wrong",
      from: "+15005550006",
    });
    expect(await provider.send({ to: "+14155550100", body: "x" })).toEqual({
      ok: false,
      error: "The SMS provider refused the message (401): Authenticate (error 20003)",
    });
    expect(catcher.messages()).toHaveLength(before);
  });

  it("refuses a missing or invalid number, sender or body as Twilio does", async () => {
    const cases: [Record<string, string>, number][] = [
      [{ From: "+15005550006", Body: "x" }, 21604],
      [{ To: "07700 900123", From: "+15005550006", Body: "x" }, 21211],
      [{ To: "+14155550100", Body: "x" }, 21603],
      [{ To: "+14155550100", From: "+15005550006" }, 21602],
      [{ To: "+14155550100", From: "+15005550006", Body: "x".repeat(1601) }, 21617],
    ];
    for (const [form, code] of cases) {
      const response = await post(form);
      expect(response.status, JSON.stringify(form)).toBe(400);
      expect(await response.json()).toMatchObject({ code, status: 400 });
    }
  });

  it("refuses every send while told to, and the client reports the provider's words", async () => {
    catcher.refuseSends({ status: 400, code: 21610, message: "Attempt to send to unsubscribed recipient" });
    const provider = twilioSmsProvider({
      baseUrl: catcher.url,
      accountSid: catcher.accountSid,
      authToken: catcher.authToken,
      from: "+15005550006",
    });
    expect(await provider.send({ to: "+14155550199", body: "x" })).toEqual({
      ok: false,
      error: "The SMS provider refused the message (400): Attempt to send to unsubscribed recipient (error 21610)",
    });
    catcher.refuseSends(null);
    expect((await provider.send({ to: "+14155550199", body: "x" })).ok).toBe(true);
  });

  it("is reported as unreachable, not thrown, when nothing listens", async () => {
    const gone = await startSmsCatcher();
    const url = gone.url;
    await gone.close();
    const provider = twilioSmsProvider({ baseUrl: url, accountSid: "AC1", authToken: "t", from: "+15005550006" });
    const sent = await provider.send({ to: "+14155550100", body: "x" });
    expect(sent.ok).toBe(false);
    expect(sent.ok ? "" : sent.error).toMatch(/^The SMS provider at http:\/\/127\.0\.0\.1:\d+ could not be reached/);
  });
});
