import { describe, expect, it } from "vitest";
import { firstLocation, formatLocation } from "./customer-location";

describe("formatLocation", () => {
  it("uses the default (first) address: city, province, country", () => {
    expect(
      formatLocation([
        { city: "Portland", province: "Oregon", country: "United States", address1: "1 Main St" },
        { city: "Lyon", country: "France" },
      ]),
    ).toBe("Portland, Oregon, United States");
  });
  it("skips missing parts and falls back to the country code", () => {
    expect(formatLocation([{ city: "Lyon", province: null, country: null, countryCode: "FR" }])).toBe("Lyon, FR");
  });
  it("is null for no address or a column that is not an address list", () => {
    expect(formatLocation([])).toBeNull();
    expect(formatLocation(null)).toBeNull();
    expect(formatLocation({ city: "Lyon" })).toBeNull();
    expect(formatLocation(["Lyon"])).toBeNull();
    expect(formatLocation([{ city: "  ", country: "" }])).toBeNull();
    expect(formatLocation([{ city: 42, country: "France" }])).toBe("France");
  });
});

describe("firstLocation", () => {
  it("takes the first linked customer that has an address", () => {
    expect(firstLocation([[], [{ city: "Lyon", country: "France" }]])).toBe("Lyon, France");
    expect(firstLocation([])).toBeNull();
  });
});
