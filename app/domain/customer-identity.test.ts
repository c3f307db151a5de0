import { describe, expect, it } from "vitest";
import {
  findSamePerson,
  findSamePersonByAny,
  identityOf,
  normalizeEmail,
  normalizePhone,
  samePhone,
  withIdentity,
} from "./customer-identity";

describe("normalizeEmail", () => {
  it("lower-cases and trims", () => expect(normalizeEmail("  Jane.Doe@Example.COM ")).toBe("jane.doe@example.com"));
  it("drops what is not an address", () => {
    expect(normalizeEmail("")).toBeNull();
    expect(normalizeEmail("jane")).toBeNull();
    expect(normalizeEmail(null)).toBeNull();
  });
});

describe("normalizePhone", () => {
  it("keeps digits and an international +", () => {
    expect(normalizePhone("+1 (555) 625-1199")).toBe("+15556251199");
    expect(normalizePhone("0044 20 7946 0958")).toBe("+442079460958");
    expect(normalizePhone("555-625-1199")).toBe("5556251199");
  });
  it("drops numbers too short to identify anyone", () => expect(normalizePhone("12-34")).toBeNull());
  it("keeps a seven-digit local number, the shortest that identifies a line", () => {
    expect(normalizePhone("625-1199")).toBe("6251199");
    expect(normalizePhone("625-119")).toBeNull();
  });
  it("reads the international prefix after leading spaces", () => {
    expect(normalizePhone(" +1 555 625 1199")).toBe("+15556251199");
    expect(normalizePhone(" 0044 20 7946 0958")).toBe("+442079460958");
  });
  it("has no phone for a missing one", () => {
    expect(normalizePhone(null)).toBeNull();
    expect(normalizePhone(undefined)).toBeNull();
  });
});

describe("samePhone", () => {
  it("matches a number with and without its country code", () => {
    expect(samePhone("+15556251199", "5556251199")).toBe(true);
  });
  it("matches whichever side carries the country code", () => {
    expect(samePhone("5556251199", "+15556251199")).toBe(true);
  });
  it("matches a short number only when it is the same number, with or without its +", () => {
    expect(samePhone("6251199", "6251199")).toBe(true);
    expect(samePhone("+35312345", "35312345")).toBe(true);
    expect(samePhone("35312345", "+35312345")).toBe(true);
  });
  it("needs nine shared digits to match across a country code", () => {
    expect(samePhone("+44123456789", "123456789")).toBe(true);
    expect(samePhone("+4412345678", "12345678")).toBe(false);
  });
  it("does not match different lines that share a short tail", () => {
    expect(samePhone("+15556251199", "6251199")).toBe(false);
    expect(samePhone("+15556251199", "+15556251198")).toBe(false);
  });
});

describe("findSamePerson", () => {
  const people = [
    { id: "a", emails: ["ann@example.com"], phones: ["+15550000001"] },
    { id: "b", emails: ["bob@example.com", "bobby@example.com"], phones: [] },
    { id: "c", emails: ["carl@example.com"], phones: ["+15550000003"] },
  ];
  it("matches any of a person's emails, case-insensitively", () => {
    expect(findSamePerson(people, { email: "BOBBY@example.com", phone: null })?.id).toBe("b");
  });
  it("falls back to the phone when the email is unknown or missing", () => {
    expect(findSamePerson(people, { email: "new@example.com", phone: "555 000 0003" })?.id).toBe("c");
    expect(findSamePerson(people, { email: null, phone: "+1 555 000 0001" })?.id).toBe("a");
  });
  it("prefers the email match over a phone match of someone else", () => {
    expect(findSamePerson(people, { email: "ann@example.com", phone: "+15550000003" })?.id).toBe("a");
  });
  it("finds no one for a stranger", () => {
    expect(findSamePerson(people, { email: "zoe@example.com", phone: "+15559999999" })).toBeNull();
    expect(findSamePerson(people, { email: "zoe@example.com", phone: null })).toBeNull();
    expect(findSamePerson(people, { email: null, phone: null })).toBeNull();
  });
});

describe("withIdentity", () => {
  it("appends new values once and keeps the primary first", () => {
    expect(withIdentity(["a@x.io"], "b@x.io")).toEqual(["a@x.io", "b@x.io"]);
    expect(withIdentity(["a@x.io"], "a@x.io")).toEqual(["a@x.io"]);
    expect(withIdentity(["a@x.io"], null)).toEqual(["a@x.io"]);
  });
});

describe("findSamePersonByAny", () => {
  const people = [
    { id: "a", emails: ["ann@example.com"], phones: ["+15550000001"] },
    { id: "c", emails: ["carl@example.com"], phones: ["+15550000003"] },
  ];
  it("tries every email before any phone", () => {
    expect(findSamePersonByAny(people, ["new@example.com", "carl@example.com"], ["+15550000001"])?.id).toBe("c");
  });
  it("falls back to the phones, then to no one", () => {
    expect(findSamePersonByAny(people, ["new@example.com"], ["5550000001"])?.id).toBe("a");
    expect(findSamePersonByAny(people, [], [])).toBeNull();
  });
});

describe("identityOf", () => {
  it("collects the normalised emails and phones of a person's records, and the first full name", () => {
    expect(
      identityOf([
        { email: " Ann@Example.com", phone: "+1 555 000 0001", firstName: null, lastName: null },
        { email: "ann@example.com", phone: null, firstName: "Ann", lastName: "Lee" },
        { email: "ann.lee@example.com", phone: "12", firstName: "Annie", lastName: null },
      ]),
    ).toEqual({ emails: ["ann@example.com", "ann.lee@example.com"], phones: ["+15550000001"], name: "Ann Lee" });
  });
  it("knows nothing of a person without records", () => {
    expect(identityOf([])).toEqual({ emails: [], phones: [], name: null });
  });
});
