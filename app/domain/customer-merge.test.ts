import { describe, expect, it } from "vitest";
import {
  addressKey,
  choicesFromForm,
  MergeChoiceError,
  mergedProfile,
  MergeFormSchema,
  mergeSuggestions,
  normalizeName,
  orderHistoryRefusal,
  restoredSurvivor,
  undoRefusal,
  type MergeSnapshot,
  type SuggestionCandidate,
} from "./customer-merge";
import { describeTicketEvent, ticketEventSchema } from "./tickets";

const ava = { name: "Ava Lind", emails: ["ava@example.com"], phones: ["+33612345678"], note: "VIP" };
const avaWork = {
  name: "A. Lind",
  emails: ["ava@work.example"],
  phones: ["0612345678", "+4915112345678"],
  note: "Gift wrap",
};

describe("mergedProfile", () => {
  it("keeps the survivor's values and the union of identities by default", () => {
    const result = mergedProfile(ava, avaWork, {
      name: "survivor",
      note: "survivor",
      primaryEmail: null,
      primaryPhone: null,
    });
    expect(result).toEqual({
      name: "Ava Lind",
      emails: ["ava@example.com", "ava@work.example"],
      phones: ["+33612345678", "0612345678", "+4915112345678"],
      note: "VIP",
    });
  });

  it("takes the other profile's name and note, and puts the chosen primary first", () => {
    const result = mergedProfile(ava, avaWork, {
      name: "merged",
      note: "merged",
      primaryEmail: "ava@work.example",
      primaryPhone: "+4915112345678",
    });
    expect(result.name).toBe("A. Lind");
    expect(result.note).toBe("Gift wrap");
    expect(result.emails).toEqual(["ava@work.example", "ava@example.com"]);
    expect(result.phones[0]).toBe("+4915112345678");
    expect(result.phones).toHaveLength(3);
  });

  it("joins both notes, labelled with where the second came from", () => {
    const result = mergedProfile(ava, avaWork, {
      name: "survivor",
      note: "both",
      primaryEmail: null,
      primaryPhone: null,
    });
    expect(result.note).toBe("VIP\n\n— Note of A. Lind: Gift wrap");
  });

  it("falls back to the other name when the chosen one is empty", () => {
    const result = mergedProfile({ ...ava, name: null }, avaWork, {
      name: "survivor",
      note: "survivor",
      primaryEmail: null,
      primaryPhone: null,
    });
    expect(result.name).toBe("A. Lind");
  });

  it("refuses a primary email neither profile has", () => {
    expect(() =>
      mergedProfile(ava, avaWork, { name: "survivor", note: "survivor", primaryEmail: "x@y.z", primaryPhone: null }),
    ).toThrow(MergeChoiceError);
  });
});

describe("MergeFormSchema", () => {
  const otherId = "6f1c1b2e-4a3d-4b6e-9f7a-1c2d3e4f5a6b";
  it("parses the form into the model's choices", () => {
    const form = MergeFormSchema.parse({
      intent: "merge",
      otherId,
      name: "other",
      note: "both",
      primaryEmail: " Ava@Work.Example ",
      primaryPhone: "",
    });
    expect(choicesFromForm(form)).toEqual({
      name: "merged",
      note: "both",
      primaryEmail: "ava@work.example",
      primaryPhone: null,
    });
  });

  it("refuses a missing choice or a malformed id with words", () => {
    const parsed = MergeFormSchema.safeParse({ intent: "merge", otherId: "nope", note: "this" });
    expect(parsed.success).toBe(false);
    const messages = parsed.error!.issues.map((issue) => issue.message);
    expect(messages).toContain("Choose the customer to merge with");
    expect(messages).toContain("Choose which name to keep");
  });
});

describe("mergeSuggestions", () => {
  const home = { address1: "12 Rue de la Paix", zip: "75002", city: "Paris", countryCode: "FR" };
  const target: SuggestionCandidate = { id: "t", ...ava, addresses: [home] };
  const candidate = (id: string, fields: Partial<SuggestionCandidate>): SuggestionCandidate => ({
    id,
    name: null,
    emails: [],
    phones: [],
    note: null,
    addresses: [],
    ...fields,
  });

  it("suggests the same email, the same phone (country code omitted) and the same name at the same address", () => {
    const suggestions = mergeSuggestions(target, [
      candidate("name", { name: "AVA  lind", addresses: [{ ...home, address1: "12 rue de la paix" }] }),
      candidate("phone", { phones: ["612345678"] }),
      candidate("email", { emails: ["ava@example.com"] }),
      candidate("t", { emails: ["ava@example.com"] }),
    ]);
    expect(suggestions.map((suggestion) => suggestion.candidate.id)).toEqual(["email", "phone", "name"]);
    expect(suggestions[0]!.because).toBe("Same email (ava@example.com)");
    expect(suggestions[2]!.because).toBe("Same name and address");
  });

  it("never suggests by name alone, nor by an address alone", () => {
    expect(
      mergeSuggestions(target, [
        candidate("name-only", { name: "Ava Lind" }),
        candidate("address-only", { name: "Bo Lind", addresses: [home] }),
        candidate("target", { ...target }),
      ]).map((suggestion) => suggestion.candidate.id),
    ).toEqual([]);
  });

  it("normalises names and addresses", () => {
    expect(normalizeName("  Zoë   O'Neil ")).toBe("zoe oneil");
    expect(addressKey({ address1: "12 Rue", zip: null, city: null })).toBeNull();
    expect(addressKey({ address1: "12, Rue", zip: "750 02", countryCode: "fr" })).toBe("12rue|75002|fr");
  });
});

describe("refusals", () => {
  it("names the stores where both profiles bought", () => {
    expect(orderHistoryRefusal(["Maple Goods EU"])).toMatch(/both have Shopify orders in Maple Goods EU\./);
    expect(orderHistoryRefusal(["A", "B", "C"])).toMatch(/in A, B and C\./);
  });

  it("allows an undo within 30 days, once", () => {
    const createdAt = new Date("2026-03-01T10:00:00Z");
    const undoableUntil = new Date("2026-03-31T10:00:00Z");
    const merge = { createdAt, undoableUntil, undoneAt: null, mergedName: "Ava" };
    expect(undoRefusal(merge, new Date("2026-03-31T09:59:00Z"))).toBeNull();
    expect(undoRefusal(merge, new Date("2026-03-31T10:01:00Z"))).toMatch(/30 days; this one was made on 1 Mar 2026/);
    expect(undoRefusal({ ...merge, undoneAt: new Date("2026-03-02T00:00:00Z") }, createdAt)).toMatch(
      /already undone on 2 Mar 2026/,
    );
  });
});

describe("restoredSurvivor", () => {
  const row = (id: string, fields: typeof ava, noteVersion: number) => ({
    id,
    workspaceId: "w",
    ...fields,
    noteVersion,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-02T00:00:00.000Z",
  });
  const snapshot: MergeSnapshot = {
    version: 1,
    survivor: row("s", ava, 3),
    merged: row("m", avaWork, 1),
    result: {
      name: "Ava Lind",
      emails: ["ava@example.com", "ava@work.example"],
      phones: ["+33612345678", "0612345678", "+4915112345678"],
      note: "VIP\n\n— Note of A. Lind: Gift wrap",
      noteVersion: 4,
    },
    moved: { tickets: [], ticketEntries: [], shopifyCustomers: [], merges: [] },
  };

  it("restores the survivor exactly when nothing changed since the merge", () => {
    expect(restoredSurvivor(snapshot, { ...snapshot.result })).toEqual({
      name: "Ava Lind",
      emails: ["ava@example.com"],
      phones: ["+33612345678"],
      note: "VIP",
      noteVersion: 3,
      exact: true,
    });
  });

  it("keeps what changed since (a new email, an edited note) without the merged profile's identities", () => {
    const restored = restoredSurvivor(snapshot, {
      ...snapshot.result,
      emails: [...snapshot.result.emails, "ava@new.example"],
      note: "Edited after the merge",
      noteVersion: 5,
    });
    expect(restored.emails).toEqual(["ava@example.com", "ava@new.example"]);
    expect(restored.note).toBe("Edited after the merge");
    expect(restored.noteVersion).toBe(6);
    expect(restored.exact).toBe(false);
  });
});

describe("ticket events of a merge and a continued chat", () => {
  const bea = { id: "a1", name: "Bea" };
  it("read as sentences in the thread", () => {
    const merged = { type: "customer_merged", fromName: "A. Lind", toName: "Ava Lind", undone: false } as const;
    expect(ticketEventSchema.parse(merged)).toEqual(merged);
    expect(describeTicketEvent(merged, bea)).toBe("Bea merged the customer A. Lind into Ava Lind");
    expect(describeTicketEvent({ ...merged, fromName: "Ava Lind", toName: "A. Lind", undone: true }, null)).toBe(
      "Shopdesk undid the merge: the customer is A. Lind again",
    );
    const continued = { type: "continued", otherTicketId: "t", otherTicketNumber: 42 } as const;
    expect(describeTicketEvent({ ...continued, direction: "in" }, bea)).toBe("This chat continues in ticket #42");
    expect(describeTicketEvent({ ...continued, direction: "from" }, bea)).toBe(
      "Continued from ticket #42 after the customer was changed",
    );
  });
});
