import { describe, expect, it } from "vitest";
import { isStorableJsonText, isStorableText, storableString, toStorableJson, toStorableText } from "./storable-text";

describe("storable text", () => {
  it("recognises NUL and lone surrogates as unstorable", () => {
    expect(isStorableText("Prefers evening delivery — Müller 🙂")).toBe(true);
    expect(isStorableText("a\u0000b")).toBe(false);
    expect(isStorableText("broken \ud800 pair")).toBe(false);
    expect(isStorableText("trailing \udc00")).toBe(false);
  });

  it("refuses unstorable text typed by a person instead of altering it", () => {
    expect(storableString().safeParse("ok").success).toBe(true);
    const refused = storableString().safeParse("note\u0000");
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/cannot be saved/);
  });

  it("makes Shopify's text storable: NUL removed, lone surrogates replaced", () => {
    expect(toStorableText("a\u0000b\u0000")).toBe("ab");
    expect(toStorableText("x\ud800y")).toBe("x\ufffdy");
    expect(toStorableText("🙂")).toBe("🙂");
  });

  it("cleans nested JSON values and keys, and returns untouched input as the same object", () => {
    const clean = { a: [1, "two", { three: null }], b: true };
    expect(toStorableJson(clean)).toBe(clean);
    const dirty = { note: "x\u0000", list: ["ok", "b\u0000ad"], ["k\u0000ey"]: { deep: "\ud83d" } };
    const cleaned = toStorableJson(dirty);
    expect(cleaned).toEqual({ note: "x", list: ["ok", "bad"], key: { deep: "\ufffd" } });
    expect(dirty.note).toBe("x\u0000"); // the input is not mutated
  });

  it("knows which JSON texts PostgreSQL can store as they are", () => {
    expect(isStorableJsonText('{"note":"café ☕ 😀","n":[1,2]}')).toBe(true);
    // Escapes that decode to NUL or to a surrogate (lone or paired) go the slow, checked way.
    expect(isStorableJsonText('{"note":"a\\u0000b"}')).toBe(false);
    expect(isStorableJsonText('{"note":"\\ud800"}')).toBe(false);
    expect(isStorableJsonText('{"note":"\\uD83D\\uDE00"}')).toBe(false);
    expect(isStorableJsonText('{"note":"raw \u0000 NUL"}')).toBe(false);
    expect(isStorableJsonText('{"note":"lone \ud800 surrogate"}')).toBe(false);
    // Other escapes are fine.
    expect(isStorableJsonText('{"note":"\\u00e9\\n\\"quoted\\""}')).toBe(true);
  });
});
