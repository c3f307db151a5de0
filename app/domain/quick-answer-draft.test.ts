import { describe, expect, it } from "vitest";
import {
  blankDraft,
  contentOfDraft,
  describeProblem,
  draftOf,
  localesWithProblems,
  previewLinks,
  problemKey,
  updateAt,
} from "./quick-answer-draft";
import { QuickAnswerContentSchema, type QuickAnswerNode } from "./quick-answers";

const flow: QuickAnswerNode = {
  en: { question: "Sizing?", answer: "True to size.", links: [{ label: "Chart", url: "https://x.example/size" }] },
  fr: { question: "Tailles ?", answer: "Taille normale.", links: [] },
  followUps: [{ en: { question: "Kids?", answer: "Go one up.", links: [] }, followUps: [] }],
};

describe("quick answer drafts", () => {
  it("round-trips content, leaving out the languages left blank", () => {
    const draft = draftOf(flow);
    expect(draft.text.de).toEqual({ question: "", answer: "", links: [] });
    expect(contentOfDraft(draft)).toEqual(flow);
  });

  it("keeps a language half written, so the server says what is missing", () => {
    const draft = updateAt(draftOf(flow), [0], (node) => ({
      ...node,
      text: { ...node.text, de: { question: "Kinder?", answer: "", links: [] } },
    }));
    const content = contentOfDraft(draft);
    expect(content.followUps[0]!.de).toEqual({ question: "Kinder?", answer: "", links: [] });
    const parsed = QuickAnswerContentSchema.safeParse(content);
    expect(parsed.error?.issues[0]?.path.join(".")).toBe(problemKey([0], "de", "answer"));
    expect(localesWithProblems({ [problemKey([0], "de", "answer")]: "Enter the answer." })).toEqual(["de"]);
  });

  it("changes only the answer a path names", () => {
    const draft = blankDraft();
    draft.followUps = [blankDraft(), blankDraft()];
    const changed = updateAt(draft, [1], (node) => ({ ...node, followUps: [blankDraft()] }));
    expect(changed.followUps[0]).toBe(draft.followUps[0]);
    expect(changed.followUps[1]!.followUps).toHaveLength(1);
    expect(draft.followUps[1]!.followUps).toHaveLength(0);
  });
});

describe("describeProblem", () => {
  it("says which language and follow-up a problem is in", () => {
    expect(describeProblem("followUps.0.followUps.1.fr.answer", "Enter the answer.")).toBe(
      "French, follow-up 1.2: Enter the answer.",
    );
    expect(describeProblem("en.links.0.url", "Enter a full address.")).toBe("English: Enter a full address.");
    expect(describeProblem("followUps", "At most 40 answers.")).toBe("At most 40 answers.");
  });
});

describe("previewLinks", () => {
  it("shows only links a shopper could be sent to: never javascript:, data: or a protocol-relative address", () => {
    const links = [
      { label: "Chart", url: " https://x.example/size " },
      { label: "Mail us", url: "mailto:help@x.example" },
      { label: "Script", url: "javascript:alert(document.cookie)" },
      { label: "Hidden script", url: " JaVa\tScRiPt:alert(1)" },
      { label: "Data", url: "data:text/html,<script>alert(1)</script>" },
      { label: "Elsewhere", url: "//evil.example/" },
      { label: "", url: "https://x.example/untitled" },
    ];
    expect(previewLinks(links)).toEqual([
      { label: "Chart", url: "https://x.example/size" },
      { label: "Mail us", url: "mailto:help@x.example" },
    ]);
  });
});
