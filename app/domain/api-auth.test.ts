import { describe, expect, it } from "vitest";
import { parseBasicAuth, retryAfterSeconds } from "./api-auth";

const basic = (text: string) => `Basic ${Buffer.from(text).toString("base64")}`;

describe("parseBasicAuth", () => {
  it("reads curl -u's user name and key, a colon in the key included", () => {
    expect(parseBasicAuth(basic("maple.myshopify.com:shpdsk_a:b"))).toEqual({
      username: "maple.myshopify.com",
      password: "shpdsk_a:b",
    });
  });
  it("refuses other schemes, no colon and no header", () => {
    expect(parseBasicAuth("Bearer abc")).toBeNull();
    expect(parseBasicAuth(basic("no-colon"))).toBeNull();
    expect(parseBasicAuth(null)).toBeNull();
    expect(parseBasicAuth("Basic")).toBeNull();
    // A NUL byte (PostgreSQL refuses it in a query) is no user name: 401, not a 500.
    expect(parseBasicAuth(basic("maple\u0000.myshopify.com:shpdsk_a"))).toBeNull();
    expect(parseBasicAuth(basic("maple.myshopify.com:shpdsk_\u0000"))).toBeNull();
  });
});

describe("retryAfterSeconds", () => {
  const start = new Date("2026-12-01T15:00:00.000Z");
  it("counts up to the window's end, rounded up", () => {
    expect(retryAfterSeconds(start, new Date("2026-12-01T15:00:05.500Z"))).toBe(15);
  });
  it("is at least one second", () => {
    expect(retryAfterSeconds(start, new Date("2026-12-01T15:00:25.000Z"))).toBe(1);
  });
});
