import { describe, expect, it } from "vitest";
import { codeHash, destinationHash, newSignInCode, sameHash } from "./sign-in-codes.server";

const SECRET = "app-secret";

describe("sign-in codes", () => {
  it("are six digits, leading zeros kept, spread over the whole range", () => {
    const codes = Array.from({ length: 3000 }, newSignInCode);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(2980);
    // Each first digit about a tenth of the time (0 included: padding, not dropped).
    const firstDigits = new Set(codes.map((code) => code[0]));
    expect(firstDigits.size).toBe(10);
  });

  it("are stored as a keyed hash bound to the shop and the destination", () => {
    const destination = destinationHash(SECRET, "shop-a", "email", "ava@example.com");
    const stored = codeHash(SECRET, "shop-a", destination, "042917");
    expect(stored).not.toContain("042917");
    expect(sameHash(stored, codeHash(SECRET, "shop-a", destination, "042917"))).toBe(true);
    expect(sameHash(stored, codeHash(SECRET, "shop-a", destination, "042918"))).toBe(false);
    expect(sameHash(stored, codeHash(SECRET, "shop-b", destination, "042917"))).toBe(false);
    const other = destinationHash(SECRET, "shop-a", "email", "bo@example.com");
    expect(sameHash(stored, codeHash(SECRET, "shop-a", other, "042917"))).toBe(false);
    expect(sameHash(stored, codeHash("another-secret", "shop-a", destination, "042917"))).toBe(false);
  });

  it("file destinations per shop and channel, with no address in the clear", () => {
    const hash = destinationHash(SECRET, "shop-a", "email", "ava@example.com");
    expect(hash).not.toContain("ava");
    expect(hash).toBe(destinationHash(SECRET, "shop-a", "email", "ava@example.com"));
    expect(hash).not.toBe(destinationHash(SECRET, "shop-b", "email", "ava@example.com"));
    expect(hash).not.toBe(destinationHash(SECRET, "shop-a", "sms", "ava@example.com"));
    expect(sameHash(hash, hash.slice(0, -1))).toBe(false);
  });
});
