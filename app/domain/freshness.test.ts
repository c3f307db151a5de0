import { describe, expect, it } from "vitest";
import { isNewerThanStored } from "./freshness";

const at = (iso: string) => new Date(iso);

describe("isNewerThanStored", () => {
  it("applies the first version we see", () => {
    expect(isNewerThanStored(null, at("2026-01-01T00:00:00Z"))).toBe(true);
  });
  it("applies a strictly newer version", () => {
    expect(isNewerThanStored(at("2026-01-01T00:00:00Z"), at("2026-01-01T00:00:01Z"))).toBe(true);
  });
  it("ignores an older version delivered late", () => {
    expect(isNewerThanStored(at("2026-01-02T00:00:00Z"), at("2026-01-01T00:00:00Z"))).toBe(false);
  });
  it("ignores a replay of the same version", () => {
    expect(isNewerThanStored(at("2026-01-01T00:00:00Z"), at("2026-01-01T00:00:00Z"))).toBe(false);
  });
  it("treats a payload without a usable timestamp as older than anything stored", () => {
    expect(isNewerThanStored(at("2026-01-01T00:00:00Z"), null)).toBe(false);
    expect(isNewerThanStored(at("2026-01-01T00:00:00Z"), new Date("not a date"))).toBe(false);
    expect(isNewerThanStored(null, null)).toBe(true);
  });
});
