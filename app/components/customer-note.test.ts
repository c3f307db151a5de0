import { describe, expect, it } from "vitest";
import { UNSTORABLE_TEXT_MESSAGE } from "~/lib/storable-text";
import { NOTE_MAX_LENGTH, NoteFormSchema, noteSyncNotice, sameNote, savedMessage } from "./customer-note";

describe("NoteFormSchema", () => {
  it("accepts a note with its base version", () => {
    expect(NoteFormSchema.parse({ intent: "save-note", note: "VIP, ships to the office", baseVersion: "3" })).toEqual({
      intent: "save-note",
      note: "VIP, ships to the office",
      baseVersion: 3,
    });
  });
  it("treats a blank note as no note", () => {
    expect(NoteFormSchema.parse({ intent: "save-note", note: "  \n", baseVersion: "0" }).note).toBeNull();
  });
  it("carries the agent's conflict resolution", () => {
    const parsed = NoteFormSchema.parse({ intent: "save-note", note: "x", baseVersion: "4", resolution: "keep-mine" });
    expect(parsed.resolution).toBe("keep-mine");
  });
  it("refuses a missing or non-numeric version, an unknown resolution and an overlong note", () => {
    const fieldErrors = (input: Record<string, string>) => {
      const result = NoteFormSchema.safeParse(input);
      return result.success
        ? {}
        : Object.fromEntries(result.error.issues.map((issue) => [issue.path[0], issue.message]));
    };
    expect(fieldErrors({ intent: "save-note", note: "x" })).toHaveProperty("baseVersion");
    expect(fieldErrors({ intent: "save-note", note: "x", baseVersion: "" })).toHaveProperty("baseVersion");
    expect(fieldErrors({ intent: "save-note", note: "x", baseVersion: "-1" })).toHaveProperty("baseVersion");
    expect(fieldErrors({ intent: "save-note", note: "x", baseVersion: "1", resolution: "both" })).toHaveProperty(
      "resolution",
    );
    expect(fieldErrors({ intent: "save-note", note: "x".repeat(NOTE_MAX_LENGTH + 1), baseVersion: "1" })).toEqual({
      note: "Keep the note under 5,000 characters",
    });
  });
  it("refuses a note PostgreSQL cannot store (NUL, lone surrogate) instead of altering it", () => {
    for (const note of ["Gate code 12\u00003", "broken \ud800 pair", "\udc00"]) {
      const result = NoteFormSchema.safeParse({ intent: "save-note", note, baseVersion: "1" });
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => [issue.path[0], issue.message])).toEqual([
        ["note", UNSTORABLE_TEXT_MESSAGE],
      ]);
    }
    // A whole surrogate pair (an emoji) is fine.
    expect(NoteFormSchema.parse({ intent: "save-note", note: "Loves 🧀", baseVersion: "1" }).note).toBe("Loves 🧀");
  });
});

describe("savedMessage", () => {
  it("says where the note went", () => {
    expect(savedMessage({ synced: "shopify", reason: null })).toBe("Synced to Shopify");
    expect(savedMessage({ synced: "local-only", reason: "notes sync is off for Maple Goods EU" })).toBe(
      "Saved in Shopdesk only — notes sync is off for Maple Goods EU",
    );
    expect(savedMessage({ synced: "local-only", reason: null })).toBe("Saved in Shopdesk only");
  });
});

describe("noteSyncNotice", () => {
  it("says nothing when the note syncs", () => {
    expect(noteSyncNotice({ syncing: true, reason: null, linkedShops: ["Maple Goods EU"] })).toBeNull();
  });
  it("names the stores when the customer is linked to several Shopify customers", () => {
    expect(
      noteSyncNotice({
        syncing: false,
        reason: "linked to 2 Shopify customers",
        linkedShops: ["Maple Goods EU", "Maple Goods US"],
      }),
    ).toBe(
      "This note is kept in Shopdesk only: the customer is linked to 2 Shopify customers (Maple Goods EU, Maple Goods US)",
    );
  });
  it("names each store once when two Shopify customers are in the same store", () => {
    expect(noteSyncNotice({ syncing: false, reason: null, linkedShops: ["Maple Goods EU", "Maple Goods EU"] })).toBe(
      "This note is kept in Shopdesk only: the customer is linked to 2 Shopify customers (Maple Goods EU)",
    );
  });
  it("passes on the service's reason otherwise", () => {
    expect(
      noteSyncNotice({
        syncing: false,
        reason: "notes sync is off for Maple Goods EU",
        linkedShops: ["Maple Goods EU"],
      }),
    ).toBe("This note is kept in Shopdesk only: notes sync is off for Maple Goods EU");
    expect(noteSyncNotice({ syncing: false, reason: null, linkedShops: [] })).toBe(
      "This note is kept in Shopdesk only: the customer is not linked to a Shopify customer",
    );
  });
});

describe("sameNote", () => {
  it("compares text, with blank equal to none", () => {
    expect(sameNote("a", "a")).toBe(true);
    expect(sameNote("a", "b")).toBe(false);
    expect(sameNote("", null)).toBe(true);
    expect(sameNote("  ", undefined)).toBe(true);
    expect(sameNote("a", null)).toBe(false);
  });
});
