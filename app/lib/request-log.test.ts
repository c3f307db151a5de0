import { describe, expect, it } from "vitest";
import { redactedUrl } from "./request-log";

describe("redactedUrl", () => {
  it("hides the chat token and Shopify's session token, keeping the rest of the address", () => {
    expect(redactedUrl("/chat/stream?token=v1.abc.def&after=12")).toBe("/chat/stream?token=redacted&after=12");
    expect(redactedUrl("/chat/attachments/1f?TOKEN=v1.x.y")).toBe("/chat/attachments/1f?TOKEN=redacted");
    expect(redactedUrl("/app?embedded=1&id_token=eyJ.a.b&session=s1&shop=x.myshopify.com")).toBe(
      "/app?embedded=1&id_token=redacted&session=redacted&shop=x.myshopify.com",
    );
  });
  it("leaves an address without credentials as it was", () => {
    expect(redactedUrl("/chat/state")).toBe("/chat/state");
    expect(redactedUrl("/app/tickets?status=open&q=a%20b")).toBe("/app/tickets?status=open&q=a%20b");
  });
});
