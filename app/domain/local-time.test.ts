import { describe, expect, it } from "vitest";
import { localTimeIn, timeZoneFor } from "./local-time";

describe("timeZoneFor", () => {
  it("uses the state or province where a country spans several zones", () => {
    expect(timeZoneFor("US", "CA")).toBe("America/Los_Angeles");
    expect(timeZoneFor("us", "ny")).toBe("America/New_York");
    expect(timeZoneFor("CA", "BC")).toBe("America/Vancouver");
    expect(timeZoneFor("AU", "WA")).toBe("Australia/Perth");
  });

  it("uses the country's zone elsewhere, and nothing when unknown", () => {
    expect(timeZoneFor("FR", null)).toBe("Europe/Paris");
    expect(timeZoneFor("ZZ")).toBeNull();
    expect(timeZoneFor(null)).toBeNull();
  });
});

describe("localTimeIn", () => {
  it("formats the time in that zone", () => {
    const now = new Date("2026-07-01T12:00:00Z");
    expect(localTimeIn("Europe/Paris", now)).toBe("14:00");
    expect(localTimeIn("America/Los_Angeles", now)).toBe("05:00");
  });
});
