import { describe, expect, it } from "vitest";
import { normalizeFulfillmentName, normalizePhoneE164, toUtcIso } from "./values";

describe("value normalisation", () => {
  it("turns local offsets into UTC", () => {
    expect(toUtcIso("2026-11-01T10:00:00-05:00")).toBe("2026-11-01T15:00:00Z");
    expect(toUtcIso("2026-11-01T15:00:00Z")).toBe("2026-11-01T15:00:00Z");
    expect(toUtcIso("2026-11-01T15:00:00.250+00:00")).toBe("2026-11-01T15:00:00.250Z");
  });

  it("normalises phones to E.164 only when the country code is there", () => {
    expect(normalizePhoneE164("+1 (415) 555-0123")).toBe("+14155550123");
    expect(normalizePhoneE164("0044 20 7946 0958")).toBe("+442079460958");
    expect(normalizePhoneE164("555-555-SHIP")).toBeNull();
    expect(normalizePhoneE164("123-123-1234")).toBeNull();
    expect(normalizePhoneE164(null)).toBeNull();
  });

  it("names REST fulfillments as GraphQL does", () => {
    expect(normalizeFulfillmentName("#1001.2")).toBe("#1001-F2");
    expect(normalizeFulfillmentName("#1001-F2")).toBe("#1001-F2");
    expect(normalizeFulfillmentName(null)).toBeNull();
  });
});
