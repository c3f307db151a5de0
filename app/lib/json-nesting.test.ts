import { describe, expect, it } from "vitest";
import { nestsDeeperThan } from "./json-nesting";

describe("nestsDeeperThan", () => {
  it("counts arrays and objects alike", () => {
    expect(nestsDeeperThan('{"a":[{"b":[]}]}', 4)).toBe(false);
    expect(nestsDeeperThan('{"a":[{"b":[]}]}', 3)).toBe(true);
    expect(nestsDeeperThan("1", 0)).toBe(false);
  });

  it("measures depth, not the number of siblings", () => {
    expect(nestsDeeperThan(`[${"[],".repeat(10_000)}[]]`, 2)).toBe(false);
  });

  it("ignores brackets inside strings, escaped quotes included", () => {
    expect(nestsDeeperThan(`{"a":"[[[[{{{{","b":"\\"[[[["}`, 1)).toBe(false);
    expect(nestsDeeperThan(`["\\\\",[[]]]`, 2)).toBe(true);
  });

  it("handles 100,000 levels without recursion", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    expect(nestsDeeperThan(deep, 64)).toBe(true);
    expect(nestsDeeperThan(deep, 100_000)).toBe(false);
  });
});
