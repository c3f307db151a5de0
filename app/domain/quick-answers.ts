import { z } from "zod";
import { storableString } from "~/lib/storable-text";

// Quick answers (decision 026): FAQ flows a merchant writes, answered instantly in the storefront
// widget before a shopper reaches an agent. Pure: the stored content's shape (QuickAnswer.content),
// the flow in a shopper's language, a follow-up named by its path, and deflection figures.
//
// QuickAnswer.content (QuickAnswerContentSchema), every node the same shape, `en` required:
//   {
//     "en": { "question": "Do you ship abroad?", "answer": "Yes, to 40 countries.",
//             "links": [{ "label": "Shipping policy", "url": "https://shop.example/policies/shipping" }] },
//     "fr": { "question": "Livrez-vous à l'étranger ?", "answer": "Oui, dans 40 pays.", "links": [] },
//     "followUps": [
//       { "en": { "question": "How long does it take?", "answer": "5 to 10 days.", "links": [] },
//         "followUps": [] }
//     ]
//   }
// What the widget gets (LocalizedQuickAnswer, from localizeQuickAnswer), in one language per node:
//   { "id": "<QuickAnswer id>", "path": "", "locale": "fr", "question": "Livrez-vous à l'étranger ?",
//     "answer": "Oui, dans 40 pays.", "links": [...],
//     "followUps": [{ "path": "0", "locale": "en", "question": "How long does it take?", ... }] }
// A follow-up's path is its child indexes from the flow, dot-separated: "" the flow's own answer,
// "1.0" the first follow-up of the second follow-up. The widget sends it back with a use.

export const QUICK_ANSWER_LOCALES = ["en", "fr", "de", "es"] as const;
export type QuickAnswerLocale = (typeof QUICK_ANSWER_LOCALES)[number];

export const QUICK_ANSWER_LOCALE_NAMES: Record<QuickAnswerLocale, string> = {
  en: "English",
  fr: "French",
  de: "German",
  es: "Spanish",
};

/** How many levels of follow-ups a flow may have below its own answer (a path's length at most). */
export const MAX_FOLLOW_UP_DEPTH = 4;
/** Follow-ups offered after one answer: more is a menu nobody reads on a phone. */
export const MAX_FOLLOW_UPS_PER_ANSWER = 8;
/** Answers in one flow, its own included. */
export const MAX_ANSWERS_PER_FLOW = 40;
export const MAX_LINKS_PER_ANSWER = 5;
export const MAX_QUESTION_LENGTH = 200;
export const MAX_ANSWER_LENGTH = 4000;
export const MAX_LINK_LABEL_LENGTH = 80;
export const MAX_LINK_URL_LENGTH = 2000;
/** Flows in one workspace. */
export const MAX_QUICK_ANSWERS = 50;

const LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** True for an absolute http, https or mailto URL: what a shopper's browser may safely open. */
export function isAllowedLinkUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return LINK_PROTOCOLS.has(url.protocol) && (url.protocol === "mailto:" || url.hostname !== "");
  } catch {
    return false;
  }
}

const requiredText = (what: string, max: number) =>
  storableString({ error: `Enter the ${what}.` })
    .trim()
    .min(1, `Enter the ${what}.`)
    .max(max, `Keep the ${what} under ${max} characters.`);

export const QuickAnswerLinkSchema = z.strictObject({
  label: requiredText("link's text", MAX_LINK_LABEL_LENGTH),
  url: storableString({ error: "Enter the link's address." })
    .trim()
    .max(MAX_LINK_URL_LENGTH, `Keep the link's address under ${MAX_LINK_URL_LENGTH} characters.`)
    .refine(isAllowedLinkUrl, "Enter a full address starting with https://, http:// or mailto:."),
});
export type QuickAnswerLink = z.infer<typeof QuickAnswerLinkSchema>;

/** One answer's words in one language. */
export const QuickAnswerTextSchema = z.strictObject({
  question: requiredText("question", MAX_QUESTION_LENGTH),
  answer: requiredText("answer", MAX_ANSWER_LENGTH),
  links: z
    .array(QuickAnswerLinkSchema)
    .max(MAX_LINKS_PER_ANSWER, `Add at most ${MAX_LINKS_PER_ANSWER} links to one answer.`)
    .default([]),
});
export type QuickAnswerText = z.infer<typeof QuickAnswerTextSchema>;

/** A flow's answer or one of its follow-ups: the same shape at every level. */
export interface QuickAnswerNode {
  en: QuickAnswerText;
  fr?: QuickAnswerText;
  de?: QuickAnswerText;
  es?: QuickAnswerText;
  followUps: QuickAnswerNode[];
}

// The schema is built level by level rather than recursively: the deepest level takes no
// follow-ups, so a body nested thousands of levels deep is refused at level 5 instead of being
// walked (and overflowing the stack).
function nodeSchema(depth: number): z.ZodType<QuickAnswerNode> {
  const followUps =
    depth < MAX_FOLLOW_UP_DEPTH
      ? z
          .array(nodeSchema(depth + 1))
          .max(MAX_FOLLOW_UPS_PER_ANSWER, `Offer at most ${MAX_FOLLOW_UPS_PER_ANSWER} follow-ups after one answer.`)
      : z.array(z.unknown()).max(0, `Follow-ups can go ${MAX_FOLLOW_UP_DEPTH} levels deep at most.`);
  return z.strictObject({
    en: QuickAnswerTextSchema,
    fr: QuickAnswerTextSchema.optional(),
    de: QuickAnswerTextSchema.optional(),
    es: QuickAnswerTextSchema.optional(),
    followUps: followUps.default([]),
  }) as unknown as z.ZodType<QuickAnswerNode>;
}

/** QuickAnswer.content: a flow, validated at every boundary (editor, API, reading it back). */
export const QuickAnswerContentSchema = nodeSchema(0).superRefine((content, ctx) => {
  if (countAnswers(content) > MAX_ANSWERS_PER_FLOW) {
    ctx.addIssue({
      code: "custom",
      path: ["followUps"],
      message: `A flow can hold at most ${MAX_ANSWERS_PER_FLOW} answers, follow-ups included. Split it into two flows.`,
    });
  }
});
export type QuickAnswerContent = QuickAnswerNode;

/** Answers in a flow, its own included. */
export function countAnswers(node: QuickAnswerNode): number {
  return 1 + node.followUps.reduce((total, child) => total + countAnswers(child), 0);
}

/**
 * Validation problems keyed by where they are ("en.question", "followUps.0.fr.links.1.url"), so an
 * editor can show each one next to its field. The first problem per field wins.
 */
export function contentProblems(error: z.ZodError): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".");
    problems[key] ??= issue.message;
  }
  return problems;
}

// ---- The flow in a shopper's language -------------------------------------------------------

/** The quick-answer language for a storefront locale: "fr-CA" → "fr"; anything else → "en". */
export function quickAnswerLocale(requested: string | null | undefined): QuickAnswerLocale {
  const language = (requested ?? "").trim().toLowerCase().split(/[-_]/)[0];
  return QUICK_ANSWER_LOCALES.find((locale) => locale === language) ?? "en";
}

/** One answer as the widget shows it: one language (the shopper's, or English where not written). */
export interface LocalizedQuickAnswerNode {
  /** "" for the flow's own answer, "1.0" for a nested follow-up. */
  path: string;
  /** The language these words are in (English when the shopper's was not written for this node). */
  locale: QuickAnswerLocale;
  question: string;
  answer: string;
  links: QuickAnswerLink[];
  followUps: LocalizedQuickAnswerNode[];
}

export interface LocalizedQuickAnswer extends LocalizedQuickAnswerNode {
  /** The QuickAnswer row's id: the widget sends it back with a use. */
  id: string;
}

function localizeNode(node: QuickAnswerNode, locale: QuickAnswerLocale, path: number[]): LocalizedQuickAnswerNode {
  const text = node[locale] ?? node.en;
  return {
    path: formatQuickAnswerPath(path),
    locale: node[locale] ? locale : "en",
    question: text.question,
    answer: text.answer,
    links: text.links,
    followUps: node.followUps.map((child, index) => localizeNode(child, locale, [...path, index])),
  };
}

/** A flow in one language, falling back to English node by node. */
export function localizeQuickAnswer(
  flow: { id: string; content: QuickAnswerContent },
  locale: QuickAnswerLocale,
): LocalizedQuickAnswer {
  return { id: flow.id, ...localizeNode(flow.content, locale, []) };
}

// ---- Paths ----------------------------------------------------------------------------------

const PATH_PATTERN = /^(?:0|[1-9]\d?)(?:\.(?:0|[1-9]\d?))*$/;

/** "1.0" → [1, 0]; "" → [] (the flow's own answer); anything else (or too deep) → null. */
export function parseQuickAnswerPath(path: string): number[] | null {
  if (path === "") return [];
  if (path.length > 3 * MAX_FOLLOW_UP_DEPTH || !PATH_PATTERN.test(path)) return null;
  const indexes = path.split(".").map(Number);
  return indexes.length <= MAX_FOLLOW_UP_DEPTH ? indexes : null;
}

export const formatQuickAnswerPath = (indexes: readonly number[]) => indexes.join(".");

/** The answer a path names in a flow, or null when there is none (a bad or stale path). */
export function quickAnswerAtPath(content: QuickAnswerContent, path: string): QuickAnswerNode | null {
  const indexes = parseQuickAnswerPath(path);
  if (!indexes) return null;
  let node: QuickAnswerNode | undefined = content;
  for (const index of indexes) {
    node = node.followUps[index];
    if (!node) return null;
  }
  return node;
}

// ---- Deflection -----------------------------------------------------------------------------

/** The period of each flow's figures on the settings page. */
export const QUICK_ANSWER_STATS_DAYS = 30;

export interface DeflectionFigures {
  uses: number;
  /** Uses after which the shopper still reached an agent within 24 hours. */
  contacted: number;
  /** Uses that did not end with an agent. */
  deflected: number;
  /** deflected / uses, 0..1; null without uses (nothing to say yet). */
  deflectionRate: number | null;
}

export function deflectionFigures(counts: { uses: number; contacted: number }): DeflectionFigures {
  const uses = Math.max(0, Math.floor(counts.uses));
  const contacted = Math.min(uses, Math.max(0, Math.floor(counts.contacted)));
  const deflected = uses - contacted;
  return { uses, contacted, deflected, deflectionRate: uses === 0 ? null : deflected / uses };
}

/** "75%" for a rate, "—" without uses. */
export const formatDeflectionRate = (rate: number | null) => (rate === null ? "—" : `${Math.round(rate * 100)}%`);
