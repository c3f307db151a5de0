import { describe, expect, it } from "vitest";
import { SHOPPER_ORDER_STATUSES } from "./order-status";
import {
  BUILT_IN_ISSUE_KEYS,
  BUILT_IN_ISSUES,
  builtInIssueOptionsEn,
  ISSUE_LABELS,
  issueChoicesFor,
} from "./portal-issues";
import { PORTAL_LOCALES } from "./portal-messages";
import { BUILT_IN_ISSUE_OPTIONS, ISSUE_STATES } from "./portal-settings";

const keys = (choices: ReturnType<typeof issueChoicesFor>) => choices.options.map((option) => option.key);

describe("the built-in lists", () => {
  it("are the settings page's lists, word for word, in English", () => {
    expect(builtInIssueOptionsEn()).toEqual(BUILT_IN_ISSUE_OPTIONS);
  });

  it("follow the order's state: the anchor's scenarios, each ending with a way to say something else", () => {
    expect(keys(issueChoicesFor("delivered", null, "en"))).toEqual([
      "damaged_item",
      "wrong_item",
      "missing_item",
      "not_received",
      "other",
    ]);
    for (const status of ["in_transit", "out_for_delivery", "pending_delivery"] as const) {
      expect(keys(issueChoicesFor(status, null, "en")), status).toEqual(["change_address", "delayed", "other"]);
    }
    for (const status of ["unfulfilled", "processing_fulfillment"] as const) {
      expect(keys(issueChoicesFor(status, null, "en")), status).toEqual(["change_items", "change_address", "other"]);
    }
    for (const status of ["refunded", "partially_refunded"] as const) {
      expect(keys(issueChoicesFor(status, null, "en")), status).toEqual(["refund_not_received", "other"]);
    }
    for (const status of ["cancelled", "failed_delivery"] as const) {
      expect(keys(issueChoicesFor(status, null, "en")), status).toEqual(["question", "other"]);
    }
  });

  it("offer something for every status", () => {
    for (const status of SHOPPER_ORDER_STATUSES) {
      const choices = issueChoicesFor(status, null, "en");
      expect(choices.options.length, status).toBeGreaterThan(0);
      expect(keys(choices).at(-1), status).toBe("other");
      expect(choices.problem).toBeNull();
    }
  });

  it("have a label in every portal language, distinct within a language", () => {
    for (const locale of PORTAL_LOCALES) {
      for (const key of BUILT_IN_ISSUES) expect(ISSUE_LABELS[locale][key].trim(), `${locale} ${key}`).not.toBe("");
      expect(new Set(Object.values(ISSUE_LABELS[locale])).size, locale).toBe(BUILT_IN_ISSUES.length);
    }
    for (const state of ISSUE_STATES) expect(BUILT_IN_ISSUE_KEYS[state].length).toBeGreaterThan(0);
  });

  it("are shown in the shopper's language", () => {
    expect(issueChoicesFor("delivered", null, "fr").options[0]).toEqual({
      key: "damaged_item",
      label: "Un article est arrivé endommagé",
    });
    expect(issueChoicesFor("in_transit", null, "de").options.map((option) => option.label)).toEqual([
      "Ich muss die Lieferadresse ändern",
      "Meine Bestellung ist verspätet",
      "Etwas anderes",
    ]);
    expect(issueChoicesFor("refunded", null, "es").options[0]!.label).toBe("No he recibido mi reembolso");
  });
});

describe("the merchant's lists", () => {
  it("replace the built-in list of the states they edited; the other states keep theirs", () => {
    const stored = { delivered: ["The box was open", "Something else"] };
    expect(issueChoicesFor("delivered", stored, "en").options).toEqual([
      { key: "The box was open", label: "The box was open" },
      { key: "other", label: "Something else" },
    ]);
    expect(keys(issueChoicesFor("in_transit", stored, "en"))).toEqual(["change_address", "delayed", "other"]);
  });

  it("translate the options kept from the built-in lists, and show the merchant's own as typed", () => {
    const stored = { delivered: ["Le colis était ouvert", "an item arrived damaged", "Something else"] };
    expect(issueChoicesFor("delivered", stored, "fr").options).toEqual([
      { key: "Le colis était ouvert", label: "Le colis était ouvert" },
      { key: "damaged_item", label: "Un article est arrivé endommagé" },
      { key: "other", label: "Autre chose" },
    ]);
  });

  it("an emptied list offers nothing for that state (Report an issue is then hidden)", () => {
    const choices = issueChoicesFor("refunded", { refunded: [] }, "en");
    expect(choices).toEqual({ state: "refunded", options: [], problem: null });
  });

  it("a stored value that does not match the schema gives the built-in lists and says why", () => {
    const bad = [
      "not an object",
      ["a list"],
      { delivered: "one option" },
      { delivered: [42] },
      { shipped: ["an unknown state"] },
      { delivered: ["fine", "\u0000nul"] },
      { delivered: ["x".repeat(500)] },
    ];
    for (const stored of bad) {
      const choices = issueChoicesFor("delivered", stored, "de");
      expect(keys(choices), JSON.stringify(stored)).toEqual(BUILT_IN_ISSUE_KEYS.delivered);
      expect(choices.options[0]!.label).toBe(ISSUE_LABELS.de.damaged_item);
      expect(choices.problem, JSON.stringify(stored)).toEqual(expect.any(String));
    }
  });
});
