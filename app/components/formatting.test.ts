import { describe, expect, it } from "vitest";
import {
  formatAmounts,
  formatCount,
  formatMoney,
  formatPhone,
  formatShopDate,
  formatShopTime,
  timeZoneLabel,
} from "./formatting";

describe("formatting", () => {
  it("formats money in the order's currency", () => {
    expect(formatMoney("1234.5", "EUR")).toBe("€1,234.50");
    expect(formatMoney("19.99", "USD")).toBe("$19.99");
  });
  it("falls back to the raw amount for an unusable amount or currency", () => {
    expect(formatMoney("n/a", "EUR")).toBe("n/a EUR");
    expect(formatMoney("10.00", "NOT-A-CODE")).toBe("10.00 NOT-A-CODE");
  });
  it("formats counts and shop times", () => {
    expect(formatCount(5000)).toBe("5,000");
    expect(formatShopTime("2026-03-01T12:00:00Z", "Europe/Paris")).toBe("Mar 1, 2026, 1:00 PM CET");
    expect(formatShopTime(null, "UTC")).toBeNull();
  });
  it("formats each zone and currency on its own when calls alternate (formatters are reused)", () => {
    for (let round = 0; round < 3; round++) {
      expect(formatShopTime("2026-03-01T12:00:00Z", "Europe/Paris")).toBe("Mar 1, 2026, 1:00 PM CET");
      expect(formatShopTime("2026-03-01T12:00:00Z", "America/New_York")).toBe("Mar 1, 2026, 7:00 AM EST");
      expect(formatShopTime("2026-03-01T12:00:00Z", "Not/AZone")).toBe("Mar 1, 2026, 12:00 PM UTC");
      expect(formatMoney("5", "EUR")).toBe("€5.00");
      expect(formatMoney("5", "USD")).toBe("$5.00");
    }
  });
  it("labels every time with its zone, UTC when the shop's is unknown or unusable", () => {
    expect(formatShopTime("2026-12-01T08:14:00Z", "Europe/Berlin")).toBe("Dec 1, 2026, 9:14 AM CET");
    expect(formatShopTime("2026-07-01T08:14:00Z", "Europe/Berlin")).toBe("Jul 1, 2026, 10:14 AM CEST");
    expect(formatShopTime("2026-12-01T08:14:00Z", "America/New_York")).toBe("Dec 1, 2026, 3:14 AM EST");
    expect(formatShopTime("2026-12-01T08:14:00Z", null)).toBe("Dec 1, 2026, 8:14 AM UTC");
    expect(formatShopTime("2026-12-01T08:14:00Z", "Mars/Olympus_Mons")).toBe("Dec 1, 2026, 8:14 AM UTC");
  });
  it("names zones as people write them, with an offset where no abbreviation is common", () => {
    const winter = new Date("2026-12-01T12:00:00Z");
    expect(timeZoneLabel("Europe/Paris", winter)).toBe("CET");
    expect(timeZoneLabel("Europe/London", new Date("2026-07-01T12:00:00Z"))).toBe("BST");
    expect(timeZoneLabel("America/Los_Angeles", winter)).toBe("PST");
    expect(timeZoneLabel("Asia/Tokyo", winter)).toBe("GMT+9");
    expect(timeZoneLabel("Asia/Kolkata", winter)).toBe("GMT+5:30");
    expect(timeZoneLabel("UTC", winter)).toBe("UTC");
    expect(timeZoneLabel(undefined, winter)).toBe("UTC");
  });
  it("formats phone numbers for reading", () => {
    expect(formatPhone("+15552279104")).toBe("+1 555-227-9104");
    expect(formatPhone("+33612345678")).toBe("+33 612 345 678");
    expect(formatPhone("+4915112345678")).toBe("+49 151 1234 5678");
    expect(formatPhone("+442079460958")).toBe("+44 207 946 0958");
    expect(formatPhone("+35312345678")).toBe("+353 1234 5678");
    expect(formatPhone("+79161234567")).toBe("+7 916 123 4567");
    expect(formatPhone("5552279104")).toBe("555 227 9104");
    expect(formatPhone("+6581234567")).toBe("+65 8123 4567");
    expect(formatPhone("+3212345")).toBe("+32 12345");
    expect(formatPhone("  +1 (555) 227-9104 ")).toBe("+1 555-227-9104");
  });
  it("shows what is not just a number as given, and nothing for nothing", () => {
    expect(formatPhone("555-2279 ext. 12")).toBe("555-2279 ext. 12");
    expect(formatPhone("+12")).toBe("+12");
    expect(formatPhone("")).toBeNull();
    expect(formatPhone(null)).toBeNull();
    expect(formatPhone("+3531234")).toBe("+3531234");
  });
  it("shows amounts in several currencies side by side, never added", () => {
    expect(formatAmounts([])).toBe("");
    expect(formatAmounts([{ amount: "120", currencyCode: "EUR" }])).toBe("€120.00");
    expect(
      formatAmounts([
        { amount: "120", currencyCode: "EUR" },
        { amount: "45.5", currencyCode: "USD" },
        { amount: "9", currencyCode: "GBP" },
      ]),
    ).toBe("€120.00 + $45.50 + 1 more");
  });
  it("formats a date in the shop's zone", () => {
    expect(formatShopDate("2026-12-01T23:30:00Z", "Europe/Paris")).toBe("Dec 2, 2026");
    expect(formatShopDate("2026-12-01T23:30:00Z", null)).toBe("Dec 1, 2026");
    expect(formatShopDate(null, "UTC")).toBeNull();
  });
});
