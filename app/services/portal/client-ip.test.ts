import { describe, expect, it } from "vitest";
import { clientIpFrom } from "./client-ip";

describe("clientIpFrom", () => {
  it("takes the address Shopify added (the right-most), not one the browser put before it", () => {
    expect(clientIpFrom("6.6.6.6, 203.0.113.7")).toBe("203.0.113.7");
    expect(clientIpFrom("203.0.113.7")).toBe("203.0.113.7");
  });

  it("skips the operator's own proxies behind Shopify when told how many there are", () => {
    expect(clientIpFrom("6.6.6.6, 203.0.113.7, 23.227.38.1", 1)).toBe("203.0.113.7");
    expect(clientIpFrom(" 203.0.113.7 ,10.0.0.2,10.0.0.3", 2)).toBe("203.0.113.7");
  });

  it("answers unknown when the header is missing, empty or shorter than the trusted hops", () => {
    expect(clientIpFrom(null)).toBe("unknown");
    expect(clientIpFrom(" , ")).toBe("unknown");
    expect(clientIpFrom("23.227.38.1", 1)).toBe("unknown");
  });
});
