import { describe, expect, it } from "vitest";
import { formatCount, formatMoney, formatShopTime } from "./formatting";

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
    expect(formatShopTime("2026-03-01T12:00:00Z", "Europe/Paris")).toBe("Mar 1, 2026, 1:00 PM");
    expect(formatShopTime(null, "UTC")).toBeNull();
  });
});
