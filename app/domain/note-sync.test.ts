import { describe, expect, it } from "vitest";
import { combineNotes, noteSyncBlocker } from "./note-sync";

const shop = (name: string, notesSyncEnabled = true) => ({
  shop: { name, domain: `${name}.myshopify.com`, notesSyncEnabled },
});

describe("noteSyncBlocker", () => {
  it("syncs with exactly one linked Shopify customer and sync on", () => {
    expect(noteSyncBlocker([shop("eu")])).toBeNull();
  });
  it("says why not otherwise", () => {
    expect(noteSyncBlocker([])).toMatch(/no Shopify customer/);
    expect(noteSyncBlocker([shop("EU"), shop("US")])).toBe("the customer is linked to 2 Shopify customers (EU, US)");
    expect(noteSyncBlocker([shop("EU", false)])).toMatch(/turned off/);
  });
});

describe("combineNotes", () => {
  it("keeps both notes, labelling the merged one", () => {
    expect(combineNotes("Allergic to wool", "Prefers DHL", "Maple Goods US")).toBe(
      "Allergic to wool\n\n— Maple Goods US: Prefers DHL",
    );
  });
  it("does not repeat an identical note or keep empty ones", () => {
    expect(combineNotes("Same", "Same", "US")).toBe("Same");
    expect(combineNotes(null, "Only US", "US")).toBe("Only US");
    expect(combineNotes("Only EU", "  ", "US")).toBe("Only EU");
    expect(combineNotes("  ", "Only US", "US")).toBe("Only US");
    expect(combineNotes("Only EU", null, "US")).toBe("Only EU");
  });
});
