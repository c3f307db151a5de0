import type { QuickAnswerContent, QuickAnswerText } from "./quick-answers";

// Flows a merchant can add with one click from the empty Quick answers page: the questions every
// store gets. The delays and windows are common values, written to be edited before enabling
// (they are added turned off). A unit test checks each one against QuickAnswerContentSchema.

export const STARTER_QUICK_ANSWER_KEYS = ["shipping", "returns", "sizing"] as const;
export type StarterQuickAnswerKey = (typeof STARTER_QUICK_ANSWER_KEYS)[number];

export interface StarterQuickAnswer {
  key: StarterQuickAnswerKey;
  /** The suggestion's title on the empty page. */
  title: string;
  content: QuickAnswerContent;
}

const t = (question: string, answer: string): QuickAnswerText => ({ question, answer, links: [] });

export const STARTER_QUICK_ANSWERS: readonly StarterQuickAnswer[] = [
  {
    key: "shipping",
    title: "Shipping policy",
    content: {
      en: t("How long does shipping take?", "Orders ship within 2 business days and usually arrive 3 to 7 days later."),
      fr: t(
        "Quels sont les délais de livraison ?",
        "Les commandes partent sous 2 jours ouvrés et arrivent en général 3 à 7 jours plus tard.",
      ),
      de: t(
        "Wie lange dauert der Versand?",
        "Bestellungen werden innerhalb von 2 Werktagen versendet und kommen meist 3 bis 7 Tage später an.",
      ),
      es: t("¿Cuánto tarda el envío?", "Los pedidos salen en 2 días hábiles y suelen llegar entre 3 y 7 días después."),
      followUps: [
        {
          en: t(
            "Do you ship internationally?",
            "Yes. Delivery times and costs are shown at checkout for your country.",
          ),
          fr: t(
            "Livrez-vous à l'international ?",
            "Oui. Les délais et frais de livraison pour votre pays sont indiqués lors du paiement.",
          ),
          followUps: [],
        },
      ],
    },
  },
  {
    key: "returns",
    title: "Returns",
    content: {
      en: t(
        "What is your return policy?",
        "You can return unworn items within 30 days of delivery. Start a return from your order in this window.",
      ),
      fr: t(
        "Quelle est votre politique de retour ?",
        "Vous pouvez retourner les articles non portés sous 30 jours après la livraison, depuis votre commande dans cette fenêtre.",
      ),
      de: t(
        "Wie funktioniert die Rücksendung?",
        "Ungetragene Artikel können innerhalb von 30 Tagen nach Lieferung zurückgesendet werden, direkt über Ihre Bestellung in diesem Fenster.",
      ),
      es: t(
        "¿Cuál es su política de devoluciones?",
        "Puede devolver artículos sin usar en un plazo de 30 días desde la entrega, desde su pedido en esta ventana.",
      ),
      followUps: [
        {
          en: t("When will I get my refund?", "Refunds are issued within 5 business days of receiving your return."),
          fr: t(
            "Quand serai-je remboursé ?",
            "Le remboursement est effectué sous 5 jours ouvrés après réception de votre retour.",
          ),
          followUps: [],
        },
      ],
    },
  },
  {
    key: "sizing",
    title: "Sizing",
    content: {
      en: t("How do your sizes fit?", "Our items fit true to size. Each product page has a size chart."),
      fr: t(
        "Comment taillent vos articles ?",
        "Nos articles taillent normalement. Chaque fiche produit a un guide des tailles.",
      ),
      de: t(
        "Wie fallen die Größen aus?",
        "Unsere Artikel fallen normal aus. Jede Produktseite hat eine Größentabelle.",
      ),
      es: t(
        "¿Cómo son las tallas?",
        "Nuestras prendas tienen la talla habitual. Cada producto tiene una guía de tallas.",
      ),
      followUps: [],
    },
  },
];
