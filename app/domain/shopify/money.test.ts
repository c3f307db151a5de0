import { describe, expect, it } from "vitest";
import { addDecimals, compareDecimals, normalizeDecimal } from "./money";

describe("value normalisation", () => {
  it("writes money as decimal strings with at least two decimals, without floats", () => {
    expect(normalizeDecimal("12.5")).toBe("12.50");
    expect(normalizeDecimal("10.0")).toBe("10.00");
    expect(normalizeDecimal(7)).toBe("7.00");
    expect(normalizeDecimal("0.0")).toBe("0.00");
    expect(normalizeDecimal("1.005")).toBe("1.005");
    expect(normalizeDecimal("-3.10")).toBe("-3.10");
    expect(() => normalizeDecimal("12,50")).toThrow(RangeError);
    expect(addDecimals(["0.1", "0.2"])).toBe("0.30");
    expect(addDecimals(["89.99", "19.99", "24.99"])).toBe("134.97");
    expect(addDecimals([])).toBe("0.00");
    expect(compareDecimals("10.5", "10.50")).toBe(0);
    expect(compareDecimals("9.99", "10")).toBe(-1);
  });
});
