import { describe, expect, it } from "vitest";
import { filterMacros } from "./macro-picker";

const macros = [
  { id: "1", name: "Where is my order", language: "en", preview: "Hi Ava, your order #1042 is in transit." },
  {
    id: "2",
    name: "Réponse remboursement",
    language: "fr",
    preview: "Bonjour Ava, nous avons effectué le remboursement.",
  },
  { id: "3", name: "Refund issued", language: "en", preview: "Good news: we have refunded order #1042." },
  { id: "4", name: "Thanks", language: "de", preview: "Hallo Ava, vielen Dank für Ihre Bestellung." },
];

describe("macro picker search", () => {
  it("lists everything, in the given order, for an empty query", () => {
    expect(filterMacros(macros, "  ").map((macro) => macro.id)).toEqual(["1", "2", "3", "4"]);
  });

  it("matches every word in the name, preview or language, any case, accents ignored", () => {
    expect(filterMacros(macros, "REPONSE").map((macro) => macro.id)).toEqual(["2"]);
    expect(filterMacros(macros, "order 1042").map((macro) => macro.id)).toEqual(["1", "3"]);
    expect(filterMacros(macros, "de dank").map((macro) => macro.id)).toEqual(["4"]);
    expect(filterMacros(macros, "nothing like this")).toEqual([]);
  });

  it("puts macros whose name matches before those whose text does", () => {
    expect(filterMacros(macros, "refund").map((macro) => macro.id)).toEqual(["3"]);
    expect(filterMacros(macros, "rembours").map((macro) => macro.id)).toEqual(["2"]);
    expect(filterMacros(macros, "order").map((macro) => macro.id)).toEqual(["1", "3"]);
  });
});
