import { describe, expect, it } from "vitest";
import { CHAT_TOKEN_LIFE_MS, CHAT_TOKEN_REFRESH_MS, issueChatToken, readChatToken } from "./chat-token.server";

const SECRET = "app-secret";
const VISITOR = { id: "7b0f0d4e-2f7a-4a55-9d8f-0d8a2f9f5a11", shopId: "shop-1" };
const NOW = Date.UTC(2026, 11, 1, 12);

describe("chat widget token", () => {
  it("names its visitor and shop until it expires 24 hours later", () => {
    const { token, expiresAt } = issueChatToken(VISITOR, SECRET, NOW);
    expect(expiresAt.getTime()).toBe(NOW + CHAT_TOKEN_LIFE_MS);
    expect(readChatToken(token, SECRET, NOW + CHAT_TOKEN_LIFE_MS - 1)).toEqual({
      visitorId: VISITOR.id,
      shopId: VISITOR.shopId,
      portalSessionId: null,
    });
    expect(readChatToken(token, SECRET, NOW + CHAT_TOKEN_LIFE_MS)).toBeNull();
  });

  it("an expired token still names its visitor for a refresh, for 30 days", () => {
    const { token } = issueChatToken(VISITOR, SECRET, NOW);
    const later = NOW + CHAT_TOKEN_LIFE_MS + CHAT_TOKEN_REFRESH_MS - 1;
    expect(readChatToken(token, SECRET, later)).toBeNull();
    expect(readChatToken(token, SECRET, later, { forRefresh: true })?.visitorId).toBe(VISITOR.id);
    expect(readChatToken(token, SECRET, later + 1, { forRefresh: true })).toBeNull();
  });

  it("carries the portal session it was issued for", () => {
    const session = "0d6f3c1e-5b8a-4f4e-8c39-6f1d2a3b4c5d";
    const { token } = issueChatToken(VISITOR, SECRET, NOW, session);
    expect(readChatToken(token, SECRET, NOW)?.portalSessionId).toBe(session);
  });

  it("is refused when signed with another secret, altered, or a portal token's shape", () => {
    const { token } = issueChatToken(VISITOR, SECRET, NOW);
    expect(readChatToken(token, "other-secret", NOW)).toBeNull();
    const [version, payload, signature] = token.split(".");
    const altered = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), h: "shop-2" }),
    ).toString("base64url");
    expect(readChatToken(`${version}.${altered}.${signature}`, SECRET, NOW)).toBeNull();
    expect(readChatToken(`${token}x`, SECRET, NOW)).toBeNull();
    expect(readChatToken("", SECRET, NOW)).toBeNull();
    expect(readChatToken("v1.e30.abc", SECRET, NOW)).toBeNull();
  });
});
