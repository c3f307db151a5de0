import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mintSessionToken } from "../../../dev/store-emulator/signing.ts";
import { sessionTokenOf, shopFromSessionToken } from "./session-token.server";

const app = { apiKey: "key-1", apiSecret: "secret-1" };
const SHOP = "maple-goods.myshopify.com";

describe("shopFromSessionToken", () => {
  it("names the shop of a token signed with our secret for our app", () => {
    expect(shopFromSessionToken(mintSessionToken({ shop: SHOP, ...app }), app)).toBe(SHOP);
  });

  it("still names the shop once the token has expired (it only labels a log line)", () => {
    expect(shopFromSessionToken(mintSessionToken({ shop: SHOP, ...app, ttlSeconds: -600 }), app)).toBe(SHOP);
  });

  it("refuses a token signed with another secret, for another app, or tampered with", () => {
    expect(
      shopFromSessionToken(mintSessionToken({ shop: SHOP, apiKey: app.apiKey, apiSecret: "other" }), app),
    ).toBeNull();
    expect(
      shopFromSessionToken(mintSessionToken({ shop: SHOP, apiKey: "other", apiSecret: app.apiSecret }), app),
    ).toBeNull();
    const [header, , signature] = mintSessionToken({ shop: SHOP, ...app }).split(".");
    const forged = Buffer.from(JSON.stringify({ dest: "https://evil.myshopify.com", aud: app.apiKey })).toString(
      "base64url",
    );
    expect(shopFromSessionToken(`${header}.${forged}.${signature}`, app)).toBeNull();
  });

  it("refuses the none algorithm, garbage and a destination that is not a shop", () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const claims = encode({ dest: `https://${SHOP}`, aud: app.apiKey });
    expect(shopFromSessionToken(`${encode({ alg: "none" })}.${claims}.`, app)).toBeNull();
    expect(shopFromSessionToken("not-a-token", app)).toBeNull();
    expect(shopFromSessionToken("a.b.c.d", app)).toBeNull();
    const input = `${encode({ alg: "HS256" })}.${encode({ dest: "https://example.com", aud: app.apiKey })}`;
    const signed = `${input}.${createHmac("sha256", app.apiSecret).update(input).digest("base64url")}`;
    expect(shopFromSessionToken(signed, app)).toBeNull();
  });
});

describe("sessionTokenOf", () => {
  it("reads the bearer token, else the id_token parameter", () => {
    const headers = { authorization: "Bearer abc.def.ghi" };
    expect(sessionTokenOf(new Request("http://app.test/app", { headers }))).toBe("abc.def.ghi");
    expect(sessionTokenOf(new Request("http://app.test/app?id_token=x.y.z"))).toBe("x.y.z");
    expect(sessionTokenOf(new Request("http://app.test/app"))).toBeNull();
  });
});
