import type { ShopperOrderStatus } from "./order-status";
import type { PortalLocale } from "./portal-messages";
import type { Translations } from "./portal-order-labels";
import { ISSUE_STATE_OF_STATUS, IssueOptionsSchema, type IssueState } from "./portal-settings";

// "Report an issue" in the storefront portal: what a shopper can report depends on where the order
// is (the anchor's scenarios: delivered, on its way, not shipped yet, refunded, and a fallback for
// any other order). The merchant edits the lists in Settings (PortalSettings.issueOptions, shape
// and English built-ins in domain/portal-settings.ts); this module turns them into the options a
// shopper sees, in the shopper's language.

export const BUILT_IN_ISSUES = [
  "damaged_item",
  "wrong_item",
  "missing_item",
  "not_received",
  "change_address",
  "delayed",
  "change_items",
  "refund_not_received",
  "question",
  "other",
] as const;
export type BuiltInIssue = (typeof BUILT_IN_ISSUES)[number];

/** Each state's built-in list, as keys (BUILT_IN_ISSUE_OPTIONS is the same list in English). */
export const BUILT_IN_ISSUE_KEYS: Record<IssueState, readonly BuiltInIssue[]> = {
  delivered: ["damaged_item", "wrong_item", "missing_item", "not_received", "other"],
  in_transit: ["change_address", "delayed", "other"],
  unfulfilled: ["change_items", "change_address", "other"],
  refunded: ["refund_not_received", "other"],
  other: ["question", "other"],
};

export const ISSUE_LABELS: Translations<BuiltInIssue> = {
  // The settings page shows and stores these very words (BUILT_IN_ISSUE_OPTIONS); a test keeps them equal.
  en: {
    damaged_item: "An item arrived damaged",
    wrong_item: "I received the wrong item",
    missing_item: "An item is missing from my order",
    not_received: "My order says delivered but I didn't get it",
    change_address: "I need to change the delivery address",
    delayed: "My order is late",
    change_items: "I want to change the items in my order",
    refund_not_received: "I haven't received my refund",
    question: "I have a question about my order",
    other: "Something else",
  },
  fr: {
    damaged_item: "Un article est arrivé endommagé",
    wrong_item: "J'ai reçu le mauvais article",
    missing_item: "Il manque un article dans ma commande",
    not_received: "Ma commande est indiquée comme livrée mais je ne l'ai pas reçue",
    change_address: "Je dois modifier l'adresse de livraison",
    delayed: "Ma commande est en retard",
    change_items: "Je veux modifier les articles de ma commande",
    refund_not_received: "Je n'ai pas reçu mon remboursement",
    question: "J'ai une question sur ma commande",
    other: "Autre chose",
  },
  de: {
    damaged_item: "Ein Artikel ist beschädigt angekommen",
    wrong_item: "Ich habe den falschen Artikel erhalten",
    missing_item: "In meiner Bestellung fehlt ein Artikel",
    not_received: "Meine Bestellung gilt als zugestellt, ist aber nicht angekommen",
    change_address: "Ich muss die Lieferadresse ändern",
    delayed: "Meine Bestellung ist verspätet",
    change_items: "Ich möchte die Artikel meiner Bestellung ändern",
    refund_not_received: "Ich habe meine Erstattung nicht erhalten",
    question: "Ich habe eine Frage zu meiner Bestellung",
    other: "Etwas anderes",
  },
  es: {
    damaged_item: "Un artículo llegó dañado",
    wrong_item: "He recibido un artículo equivocado",
    missing_item: "Falta un artículo en mi pedido",
    not_received: "Mi pedido figura como entregado pero no lo he recibido",
    change_address: "Necesito cambiar la dirección de entrega",
    delayed: "Mi pedido se retrasa",
    change_items: "Quiero cambiar los artículos de mi pedido",
    refund_not_received: "No he recibido mi reembolso",
    question: "Tengo una pregunta sobre mi pedido",
    other: "Otra cosa",
  },
};

const BUILT_IN_BY_ENGLISH = new Map<string, BuiltInIssue>(
  BUILT_IN_ISSUES.map((key) => [ISSUE_LABELS.en[key].toLowerCase(), key]),
);

export interface IssueChoice {
  /** A built-in option's key ("damaged_item"), or the merchant's own option's text. */
  key: string;
  label: string;
}

export interface IssueChoices {
  /** The list shown: the one for the order's status. */
  state: IssueState;
  /** Empty when the merchant emptied that list: Report an issue is then not offered. */
  options: IssueChoice[];
  /** Why the stored lists were not used (they did not match the schema), for the log; else null. */
  problem: string | null;
}

/**
 * What a shopper can report about an order in this status, in their language. The merchant's list
 * for the state wins; a state they never edited shows the built-in list. Options in a merchant's
 * list that are a built-in option's English words (kept from the built-in list) are translated like
 * it; their own options are shown as they typed them. A stored value that does not match the
 * schema (hand-edited, an older shape) is ignored for the built-in lists, and `problem` says why.
 */
export function issueChoicesFor(
  status: ShopperOrderStatus,
  storedIssueOptions: unknown,
  locale: PortalLocale,
): IssueChoices {
  const state = ISSUE_STATE_OF_STATUS[status];
  const builtIn = () => BUILT_IN_ISSUE_KEYS[state].map((key) => ({ key, label: ISSUE_LABELS[locale][key] }));
  if (storedIssueOptions === null || storedIssueOptions === undefined) {
    return { state, options: builtIn(), problem: null };
  }
  const parsed = IssueOptionsSchema.safeParse(storedIssueOptions);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "(root)";
    return { state, options: builtIn(), problem: `${where}: ${issue?.message ?? "invalid"}` };
  }
  const list = parsed.data[state];
  if (!list) return { state, options: builtIn(), problem: null };
  return {
    state,
    options: list.map((text) => {
      const key = BUILT_IN_BY_ENGLISH.get(text.toLowerCase());
      return key ? { key, label: ISSUE_LABELS[locale][key] } : { key: text, label: text };
    }),
    problem: null,
  };
}

/** The English lists the settings page shows, from the keys (what BUILT_IN_ISSUE_OPTIONS must equal). */
export const builtInIssueOptionsEn = (): Record<IssueState, string[]> =>
  Object.fromEntries(
    (Object.keys(BUILT_IN_ISSUE_KEYS) as IssueState[]).map((state) => [
      state,
      BUILT_IN_ISSUE_KEYS[state].map((key) => ISSUE_LABELS.en[key]),
    ]),
  ) as Record<IssueState, string[]>;
