import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { issuePortalToken, PORTAL_TOKEN_MAX_AGE_MS, readPortalToken } from "./portal-token.server";

const SECRET = "portal-token-test-secret";

describe("portal session token", () => {
  const session = { id: randomUUID(), shopId: "shop-a" };

  it("names its session and shop until it expires", () => {
    const now = Date.now();
    const token = issuePortalToken(session, SECRET, now);
    expect(readPortalToken(token, SECRET, now + 1000)).toEqual({ sessionId: session.id, shopId: "shop-a" });
    expect(readPortalToken(token, SECRET, now + PORTAL_TOKEN_MAX_AGE_MS)).toBeNull();
  });

  it("is refused when signed with another secret, edited, truncated or not a token", () => {
    const token = issuePortalToken(session, SECRET);
    expect(readPortalToken(token, "another-secret")).toBeNull();
    const [version, payload, signature] = token.split(".") as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ s: session.id, h: "shop-b", e: Date.now() + 60_000 })).toString(
      "base64url",
    );
    expect(readPortalToken(`${version}.${forged}.${signature}`, SECRET)).toBeNull();
    expect(readPortalToken(`${version}.${payload}.${signature.slice(1)}`, SECRET)).toBeNull();
    expect(readPortalToken(`${version}.${payload}`, SECRET)).toBeNull();
    expect(readPortalToken(`v0.${payload}.${signature}`, SECRET)).toBeNull();
    expect(readPortalToken("", SECRET)).toBeNull();
    expect(readPortalToken("a.b.c.d", SECRET)).toBeNull();
    expect(readPortalToken("\u0000.\u0000.\u0000", SECRET)).toBeNull();
  });
});
