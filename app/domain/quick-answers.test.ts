import { describe, expect, it } from "vitest";
import {
  contentProblems,
  deflectionFigures,
  formatDeflectionRate,
  isAllowedLinkUrl,
  localizeQuickAnswer,
  MAX_ANSWERS_PER_FLOW,
  MAX_FOLLOW_UP_DEPTH,
  parseQuickAnswerPath,
  QuickAnswerContentSchema,
  quickAnswerAtPath,
  quickAnswerLocale,
  type QuickAnswerNode,
} from "./quick-answers";
import { STARTER_QUICK_ANSWER_KEYS, STARTER_QUICK_ANSWERS } from "./starter-quick-answers";

const text = (question: string, answer = `About ${question}`) => ({ question, answer, links: [] });

const shipping: QuickAnswerNode = {
  en: {
    question: "Do you ship abroad?",
    answer: "Yes, to 40 countries.",
    links: [{ label: "Shipping policy", url: "https://shop.example/policies/shipping" }],
  },
  fr: { question: "Livrez-vous à l'étranger ?", answer: "Oui, dans 40 pays.", links: [] },
  followUps: [
    { en: text("How long does it take?"), followUps: [] },
    {
      en: text("What does it cost?"),
      fr: text("Combien ça coûte ?"),
      followUps: [{ en: text("Is there free shipping?"), es: text("¿Envío gratis?"), followUps: [] }],
    },
  ],
};

/** A chain of follow-ups `levels` deep below the flow's own answer. */
function chain(levels: number): unknown {
  let node: Record<string, unknown> = { en: text(`Level ${levels}`) };
  for (let level = levels - 1; level >= 0; level--) node = { en: text(`Level ${level}`), followUps: [node] };
  return node;
}

const parse = (value: unknown) => QuickAnswerContentSchema.safeParse(value);

describe("QuickAnswerContentSchema", () => {
  it("takes a flow with languages, links and nested follow-ups as it is", () => {
    const parsed = parse(shipping);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(shipping);
  });

  it("fills in missing links and follow-ups, and trims the words", () => {
    const parsed = parse({ en: { question: "  Sizing?  ", answer: "True to size.\n" } });
    expect(parsed.data).toEqual({
      en: { question: "Sizing?", answer: "True to size.", links: [] },
      followUps: [],
    });
  });

  it("requires English, and a question and an answer in every language written", () => {
    expect(contentProblems(parse({ fr: text("Taille ?") }).error!)).toHaveProperty("en");
    const problems = contentProblems(parse({ en: text("Sizing?"), fr: { question: " ", answer: "" } }).error!);
    expect(problems["fr.question"]).toBe("Enter the question.");
    expect(problems["fr.answer"]).toBe("Enter the answer.");
  });

  it("refuses languages it does not know and fields it does not know", () => {
    expect(parse({ en: text("Sizing?"), it: text("Taglia?") }).success).toBe(false);
    expect(parse({ en: { ...text("Sizing?"), html: "<b>x</b>" } }).success).toBe(false);
  });

  it("takes http, https and mailto links only", () => {
    const withLink = (url: string) => parse({ en: { ...text("Contact?"), links: [{ label: "Here", url }] } });
    expect(withLink("https://shop.example/pages/contact").success).toBe(true);
    expect(withLink("http://shop.example/").success).toBe(true);
    expect(withLink("mailto:help@shop.example").success).toBe(true);
    for (const url of ["javascript:alert(1)", "data:text/html,hi", "/pages/contact", "ftp://shop.example/", ""]) {
      const problems = contentProblems(withLink(url).error!);
      expect(problems["en.links.0.url"], url).toMatch(/https:\/\//);
    }
  });

  it("refuses text PostgreSQL cannot store (a NUL byte) with a message", () => {
    const problems = contentProblems(parse({ en: text("Sizing?\u0000") }).error!);
    expect(problems["en.question"]).toMatch(/cannot be saved/);
    expect(parse({ en: text("Sizing?"), followUps: [{ en: text("a", "b\u0000") }] }).success).toBe(false);
  });

  it("caps the length of the words", () => {
    expect(parse({ en: text("q".repeat(201)) }).success).toBe(false);
    expect(parse({ en: text("q", "a".repeat(4001)) }).success).toBe(false);
    expect(parse({ en: text("q".repeat(200), "a".repeat(4000)) }).success).toBe(true);
  });

  it(`takes follow-ups ${MAX_FOLLOW_UP_DEPTH} levels deep, not one more`, () => {
    expect(parse(chain(MAX_FOLLOW_UP_DEPTH)).success).toBe(true);
    const problems = contentProblems(parse(chain(MAX_FOLLOW_UP_DEPTH + 1)).error!);
    expect(Object.values(problems)).toContain(`Follow-ups can go ${MAX_FOLLOW_UP_DEPTH} levels deep at most.`);
  });

  it("refuses a flow nested thousands of levels deep without overflowing", () => {
    expect(parse(chain(5000)).success).toBe(false);
  });

  it("caps follow-ups per answer, links per answer and answers per flow", () => {
    const many = (count: number) => Array.from({ length: count }, (_, index) => ({ en: text(`Q${index}`) }));
    expect(parse({ en: text("Q"), followUps: many(8) }).success).toBe(true);
    expect(parse({ en: text("Q"), followUps: many(9) }).success).toBe(false);
    const links = Array.from({ length: 6 }, () => ({ label: "L", url: "https://shop.example/" }));
    expect(parse({ en: { ...text("Q"), links } }).success).toBe(false);
    // 8 follow-ups each with 4 of their own: 1 + 8 + 32 = 41 answers.
    const wide = { en: text("Q"), followUps: many(8).map((node) => ({ ...node, followUps: many(4) })) };
    const problems = contentProblems(parse(wide).error!);
    expect(problems.followUps).toMatch(new RegExp(`at most ${MAX_ANSWERS_PER_FLOW} answers`));
  });
});

describe("localizeQuickAnswer", () => {
  it("gives each answer in the shopper's language, or English where it was not written", () => {
    const flow = localizeQuickAnswer({ id: "qa-1", content: shipping }, "fr");
    expect(flow).toMatchObject({ id: "qa-1", path: "", locale: "fr", question: "Livrez-vous à l'étranger ?" });
    expect(flow.links).toEqual([]);
    expect(flow.followUps.map((node) => [node.path, node.locale, node.question])).toEqual([
      ["0", "en", "How long does it take?"],
      ["1", "fr", "Combien ça coûte ?"],
    ]);
    expect(flow.followUps[1]!.followUps[0]).toMatchObject({ path: "1.0", locale: "en" });
  });

  it("gives English with its links to an English shopper", () => {
    const flow = localizeQuickAnswer({ id: "qa-1", content: shipping }, "en");
    expect(flow.links).toEqual(shipping.en.links);
    expect(flow.followUps[1]!.followUps[0]!.question).toBe("Is there free shipping?");
  });
});

describe("quickAnswerLocale", () => {
  it("reads a storefront locale, English for anything else", () => {
    expect(quickAnswerLocale("fr-CA")).toBe("fr");
    expect(quickAnswerLocale("DE_ch")).toBe("de");
    expect(quickAnswerLocale("it")).toBe("en");
    expect(quickAnswerLocale(null)).toBe("en");
  });
});

describe("paths", () => {
  it("parses dot-separated child indexes", () => {
    expect(parseQuickAnswerPath("")).toEqual([]);
    expect(parseQuickAnswerPath("1.0")).toEqual([1, 0]);
    expect(parseQuickAnswerPath("0.1.2.3")).toEqual([0, 1, 2, 3]);
    for (const bad of ["0.1.2.3.4", "01", "-1", "1.", ".1", "a", "1..2", " 1", "1e2", "100"]) {
      expect(parseQuickAnswerPath(bad), bad).toBeNull();
    }
  });

  it("finds the answer a path names, and nothing for one that is not there", () => {
    expect(quickAnswerAtPath(shipping, "")).toBe(shipping);
    expect(quickAnswerAtPath(shipping, "1.0")?.en.question).toBe("Is there free shipping?");
    expect(quickAnswerAtPath(shipping, "2")).toBeNull();
    expect(quickAnswerAtPath(shipping, "0.0")).toBeNull();
    expect(quickAnswerAtPath(shipping, "x")).toBeNull();
  });
});

describe("isAllowedLinkUrl", () => {
  it("needs a host for web links", () => {
    expect(isAllowedLinkUrl("https://")).toBe(false);
    expect(isAllowedLinkUrl("https://shop.example")).toBe(true);
  });
});

describe("deflectionFigures", () => {
  it("counts uses without a contact afterwards as deflected", () => {
    expect(deflectionFigures({ uses: 4, contacted: 1 })).toEqual({
      uses: 4,
      contacted: 1,
      deflected: 3,
      deflectionRate: 0.75,
    });
  });

  it("has no rate without uses, and stays within 0–100%", () => {
    expect(deflectionFigures({ uses: 0, contacted: 0 }).deflectionRate).toBeNull();
    expect(deflectionFigures({ uses: 2, contacted: 5 })).toMatchObject({ contacted: 2, deflectionRate: 0 });
    expect(formatDeflectionRate(0.666)).toBe("67%");
    expect(formatDeflectionRate(null)).toBe("—");
  });
});

describe("STARTER_QUICK_ANSWERS", () => {
  it("are valid flows, one per key", () => {
    expect(STARTER_QUICK_ANSWERS.map((starter) => starter.key)).toEqual([...STARTER_QUICK_ANSWER_KEYS]);
    for (const starter of STARTER_QUICK_ANSWERS) {
      const parsed = QuickAnswerContentSchema.safeParse(starter.content);
      expect(parsed.error, starter.key).toBeUndefined();
    }
  });
});
