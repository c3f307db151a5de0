import { describe, expect, it } from "vitest";
import { UNSTORABLE_TEXT_MESSAGE } from "~/lib/storable-text";
import { CustomerSearchSchema, escapeLike, parseCustomerSearch } from "./customer-search";

describe("customer search terms", () => {
  it("splits words, any order, repeated words once", () => {
    expect(parseCustomerSearch("  Müller   Anna muller ")).toEqual([
      { kind: "text", text: "Müller" },
      { kind: "text", text: "Anna" },
      { kind: "text", text: "muller" },
    ]);
    expect(parseCustomerSearch("anna ANNA")).toEqual([{ kind: "text", text: "anna" }]);
    expect(parseCustomerSearch("")).toEqual([]);
  });

  it("reads a phone number in any format as one term of digits", () => {
    for (const typed of ["555 227 9104", "5552279104", "(555) 227-9104", "555.227.9104"]) {
      expect(parseCustomerSearch(typed)).toEqual([{ kind: "phone", digits: "5552279104" }]);
    }
    expect(parseCustomerSearch("+1 555 227 9104")).toEqual([{ kind: "phone", digits: "15552279104" }]);
    expect(parseCustomerSearch("+1-555-227-9104")).toEqual([{ kind: "phone", digits: "15552279104" }]);
  });

  it("drops international and national prefixes so stored E.164 numbers match", () => {
    expect(parseCustomerSearch("0044 7911 123456")).toEqual([{ kind: "phone", digits: "447911123456" }]);
    expect(parseCustomerSearch("07911 123456")).toEqual([{ kind: "phone", digits: "7911123456" }]);
  });

  it("keeps a name beside a phone apart, and short numbers as text", () => {
    expect(parseCustomerSearch("anna 555 227 9104")).toEqual([
      { kind: "text", text: "anna" },
      { kind: "phone", digits: "5552279104" },
    ]);
    expect(parseCustomerSearch("flat 12 b")).toEqual([
      { kind: "text", text: "flat" },
      { kind: "text", text: "12" },
      { kind: "text", text: "b" },
    ]);
    expect(parseCustomerSearch("anna + -")).toEqual([{ kind: "text", text: "anna" }]);
  });

  it("matches an email by any part", () => {
    expect(parseCustomerSearch("anna@example")).toEqual([{ kind: "text", text: "anna@example" }]);
  });
});

describe("LIKE escaping", () => {
  it("matches %, _ and the escape character literally", () => {
    expect(escapeLike("100%")).toBe("100\\%");
    expect(escapeLike("a_b")).toBe("a\\_b");
    expect(escapeLike("c:\\x")).toBe("c:\\\\x");
    expect(escapeLike("plain")).toBe("plain");
  });
});

describe("CustomerSearchSchema", () => {
  it("trims and defaults the query", () => {
    expect(CustomerSearchSchema.parse({})).toEqual({ q: "" });
    expect(CustomerSearchSchema.parse({ q: "  anna " })).toEqual({ q: "anna" });
  });

  it("refuses a huge query, too many words and text that cannot be stored, with a message", () => {
    const message = (q: string) => CustomerSearchSchema.safeParse({ q }).error?.issues[0]?.message;
    expect(message("a".repeat(201))).toMatch(/at most 200 characters/);
    expect(message("a b c d e f g h i")).toMatch(/at most 8 words/);
    expect(message("anna\u0000")).toBe(UNSTORABLE_TEXT_MESSAGE);
  });
});
