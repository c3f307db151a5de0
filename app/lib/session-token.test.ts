import { describe, expect, it } from "vitest";
import { namesNoStore, sessionTokenOf } from "./session-token";

const tokenWith = (claims: unknown) =>
  `${btoa(JSON.stringify({ alg: "HS256" }))}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;

describe("namesNoStore", () => {
  it("passes a token for a store, whatever else is wrong with it (the library judges that)", () => {
    expect(namesNoStore(tokenWith({ dest: "https://maple-goods-eu.myshopify.com" }))).toBe(false);
    expect(namesNoStore(tokenWith({ dest: "https://maple-goods-eu.myshopify.com", exp: 0 }))).toBe(false);
    expect(namesNoStore("not-a-jwt")).toBe(false);
    expect(namesNoStore("a.%%%.c")).toBe(false);
    expect(namesNoStore(tokenWith("just a string"))).toBe(false);
  });

  it("refuses a readable token whose dest is not https://<store>.myshopify.com", () => {
    for (const dest of [
      undefined,
      5,
      "",
      "not a url",
      "https://",
      "https://evil.example",
      "https://maple-goods-eu.myshopify.com.evil.example",
      "http://maple-goods-eu.myshopify.com",
      "https://maple\u0000.myshopify.com",
    ]) {
      expect(namesNoStore(tokenWith({ dest })), String(dest)).toBe(true);
    }
  });
});

describe("sessionTokenOf", () => {
  it("reads the Bearer header first, then id_token", () => {
    const url = "https://shopdesk.example/app?id_token=from-url";
    expect(sessionTokenOf(new Request(url, { headers: { authorization: "Bearer from-header" } }))).toBe("from-header");
    expect(sessionTokenOf(new Request(url))).toBe("from-url");
    expect(sessionTokenOf(new Request("https://shopdesk.example/app"))).toBeNull();
  });
});
