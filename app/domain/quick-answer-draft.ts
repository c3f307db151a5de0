import {
  isAllowedLinkUrl,
  QUICK_ANSWER_LOCALES,
  type QuickAnswerContent,
  type QuickAnswerLocale,
  type QuickAnswerNode,
  type QuickAnswerText,
} from "./quick-answers";

// The quick-answer editor's working copy: every language of every answer present (blank when not
// written), so the language tabs can switch without losing anything. Saving turns it back into
// content: a language left blank is left out (the storefront then shows English there).

export interface DraftText {
  question: string;
  answer: string;
  links: { label: string; url: string }[];
}

export interface DraftNode {
  text: Record<QuickAnswerLocale, DraftText>;
  followUps: DraftNode[];
}

const blankText = (): DraftText => ({ question: "", answer: "", links: [] });

export function blankDraft(): DraftNode {
  return {
    text: Object.fromEntries(QUICK_ANSWER_LOCALES.map((locale) => [locale, blankText()])) as DraftNode["text"],
    followUps: [],
  };
}

export function draftOf(node: QuickAnswerNode): DraftNode {
  const draft = blankDraft();
  for (const locale of QUICK_ANSWER_LOCALES) {
    const text = node[locale];
    if (text) draft.text[locale] = { ...text, links: text.links.map((link) => ({ ...link })) };
  }
  draft.followUps = node.followUps.map(draftOf);
  return draft;
}

const isBlank = (text: DraftText) =>
  text.question.trim() === "" &&
  text.answer.trim() === "" &&
  text.links.every((link) => link.label.trim() === "" && link.url.trim() === "");

/** The content to save (validated by the server with QuickAnswerContentSchema). */
export function contentOfDraft(draft: DraftNode): QuickAnswerContent {
  const node = { en: draft.text.en } as QuickAnswerNode;
  for (const locale of QUICK_ANSWER_LOCALES) {
    if (locale !== "en" && !isBlank(draft.text[locale])) node[locale] = draft.text[locale] as QuickAnswerText;
  }
  node.followUps = draft.followUps.map(contentOfDraft);
  return node;
}

/** The key of a problem (contentProblems) for a field of the answer at `indexes`. */
export const problemKey = (indexes: readonly number[], ...field: (string | number)[]) =>
  [...indexes.flatMap((index) => ["followUps", index]), ...field].join(".");

/** A copy of the draft with the answer at `indexes` changed by `change`. */
export function updateAt(
  draft: DraftNode,
  indexes: readonly number[],
  change: (node: DraftNode) => DraftNode,
): DraftNode {
  if (indexes.length === 0) return change(draft);
  const [first, ...rest] = indexes;
  return {
    ...draft,
    followUps: draft.followUps.map((child, index) => (index === first ? updateAt(child, rest, change) : child)),
  };
}

/** The languages (other than the one shown) that have problems, for the tabs' warning. */
export function localesWithProblems(problems: Record<string, string>): QuickAnswerLocale[] {
  return QUICK_ANSWER_LOCALES.filter((locale) => Object.keys(problems).some((key) => key.split(".").includes(locale)));
}

const LOCALE_NAMES: Record<QuickAnswerLocale, string> = { en: "English", fr: "French", de: "German", es: "Spanish" };

/**
 * A problem in words that say where it is: "French, follow-up 1.2: Enter the answer.", for the
 * list above the editor (the field itself may be on another language's tab).
 */
export function describeProblem(key: string, message: string): string {
  const parts = key.split(".");
  const followUp: number[] = [];
  let locale: QuickAnswerLocale | null = null;
  for (let index = 0; index < parts.length; index++) {
    if (parts[index] === "followUps" && /^\d+$/.test(parts[index + 1] ?? "")) followUp.push(Number(parts[++index]) + 1);
    else if ((QUICK_ANSWER_LOCALES as readonly string[]).includes(parts[index]!))
      locale = parts[index] as QuickAnswerLocale;
  }
  const where = [locale ? LOCALE_NAMES[locale] : null, followUp.length > 0 ? `follow-up ${followUp.join(".")}` : null]
    .filter(Boolean)
    .join(", ");
  return where ? `${where.charAt(0).toUpperCase()}${where.slice(1)}: ${message}` : message;
}

/**
 * The links the editor's preview makes clickable: those saving would accept (http, https, mailto).
 * The draft is not checked yet, and a javascript: address clicked in the admin would run there.
 */
export function previewLinks(links: readonly { label: string; url: string }[]): { label: string; url: string }[] {
  return links
    .map((link) => ({ label: link.label.trim(), url: link.url.trim() }))
    .filter((link) => link.label !== "" && isAllowedLinkUrl(link.url));
}
