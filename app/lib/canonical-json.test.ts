import { describe, expect, it } from "vitest";
import { canonicalJson, sameJson } from "./canonical-json";

describe("canonicalJson", () => {
  it("ignores key order at every depth", () => {
    expect(sameJson({ a: 1, b: { c: [1, { d: 2, e: 3 }] } }, { b: { c: [1, { e: 3, d: 2 }] }, a: 1 })).toBe(true);
  });
  it("keeps array order and values significant", () => {
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({ a: "1" }, { a: 1 })).toBe(false);
    expect(sameJson(undefined, null)).toBe(true);
  });
  it("serialises keys sorted", () => expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}'));
});
