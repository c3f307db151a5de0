import type { MacroLanguage } from "./macro-template";

// The macros a workspace starts with, in each language Shopdesk writes: the questions every store
// gets. Merchants edit them like their own (the return window and refund delays below are common
// values, not theirs). `key` ties the four languages of one macro together, and makes adding the
// set twice add nothing (Macro.starterKey).

export const STARTER_MACRO_KEYS = [
  "where-is-my-order",
  "return-policy",
  "cancellation-received",
  "refund-issued",
  "address-change",
  "thanks-closing",
] as const;
export type StarterMacroKey = (typeof STARTER_MACRO_KEYS)[number];

export interface StarterMacro {
  key: StarterMacroKey;
  language: MacroLanguage;
  name: string;
  body: string;
  /** In the shape of macroActionsSchema (./macros.ts); a unit test checks each one. */
  actions: {
    status?: "open" | "closed" | "snoozed";
    addTags?: string[];
    assignTo?: "me";
    priority?: "high";
  };
}

const ACTIONS: Record<StarterMacroKey, StarterMacro["actions"]> = {
  "where-is-my-order": { addTags: ["order-status"], status: "closed" },
  "return-policy": { addTags: ["returns"], status: "closed" },
  // Someone has to cancel it in Shopify: the agent who answers keeps it, ahead of other tickets.
  "cancellation-received": { addTags: ["cancellation"], priority: "high", assignTo: "me" },
  "refund-issued": { addTags: ["refund"], status: "closed" },
  "address-change": { addTags: ["address-change"], priority: "high", assignTo: "me" },
  "thanks-closing": { status: "closed" },
};

type Texts = Record<StarterMacroKey, { name: string; body: string }>;

const EN: Texts = {
  "where-is-my-order": {
    name: "Where is my order",
    body: `Hi {{ ticket.customer.firstname }},

Thank you for getting in touch. Your order {{ ticket.order.name }} is currently: {{ ticket.order.status | default: "being processed" }}.

You can follow your parcel here: {{ ticket.order.tracking_url | default: "we will email you the tracking link as soon as it ships" }}

If anything looks wrong, just reply to this message and we will look into it.

Best regards,
{{ current_user.firstname }}
{{ shop.name }}`,
  },
  "return-policy": {
    name: "Return policy",
    body: `Hi {{ ticket.customer.firstname }},

Thanks for your message. You can return most items within 30 days of delivery, as long as they are unused and in their original packaging.

To start a return, reply to this message with your order number ({{ ticket.order.name | default: "you will find it in your confirmation email" }}) and the items you would like to send back. We will then send you the return instructions.

Once we receive the parcel, we refund you to your original payment method within 5 to 10 business days.

Best regards,
{{ current_user.firstname }}
{{ shop.name }}`,
  },
  "cancellation-received": {
    name: "Cancellation received",
    body: `Hi {{ ticket.customer.firstname }},

We have received your request to cancel order {{ ticket.order.name }}. We are on it and will confirm by email as soon as the cancellation is done.

If the order has already shipped, we will let you know how to return it instead.

Best regards,
{{ current_user.firstname }}
{{ shop.name }}`,
  },
  "refund-issued": {
    name: "Refund issued",
    body: `Hi {{ ticket.customer.firstname }},

Good news: we have issued a refund for your order {{ ticket.order.name }}. It goes back to your original payment method and usually shows up within 5 to 10 business days, depending on your bank.

Thank you for your patience.

Best regards,
{{ current_user.firstname }}
{{ shop.name }}`,
  },
  "address-change": {
    name: "Address change",
    body: `Hi {{ ticket.customer.firstname }},

Thanks for letting us know. Please reply with the complete new shipping address for order {{ ticket.order.name }} (name, street, postcode, city and country).

The address we have now: {{ ticket.order.shipping_address | default: "none yet" }}.

If your order has not shipped yet, we will update it right away and confirm. If it is already on its way, we will ask the carrier what can be done.

Best regards,
{{ current_user.firstname }}
{{ shop.name }}`,
  },
  "thanks-closing": {
    name: "Thanks and closing",
    body: `Hi {{ ticket.customer.firstname }},

Thank you for contacting {{ shop.name | default: "us" }}, we are glad we could help!

I am closing this conversation for now. If you have any other question, simply reply to this message and it will open again.

Have a great day,
{{ current_user.firstname }}`,
  },
};

const FR: Texts = {
  "where-is-my-order": {
    name: "Où est ma commande",
    body: `Bonjour {{ ticket.customer.firstname }},

Merci pour votre message. Votre commande {{ ticket.order.name }} est actuellement : {{ ticket.order.status | default: "en cours de traitement" }}.

Vous pouvez suivre votre colis ici : {{ ticket.order.tracking_url | default: "nous vous enverrons le lien de suivi par e-mail dès l'expédition" }}

Si quelque chose vous semble incorrect, répondez simplement à ce message et nous nous en occuperons.

Bien cordialement,
{{ current_user.firstname }}
{{ shop.name }}`,
  },
  "return-policy": {
    name: "Politique de retour",
    body: `Bonjour {{ ticket.customer.firstname }},

Merci pour votre message. Vous pouvez retourner la plupart des articles dans les 30 jours suivant la livraison, à condition qu'ils soient inutilisés et dans leur emballage d'origine.

Pour lancer un retour, répondez à ce message en indiquant votre numéro de commande ({{ ticket.order.name | default: "il figure dans votre e-mail de confirmation" }}) et les articles que vous souhaitez renvoyer. Nous vous enverrons ensuite les instructions de retour.

Dès réception du colis, nous vous remboursons sur votre moyen de paiement d'origine sous 5 à 10 jours ouvrés.

Bien cordialement,
{{ current_user.firstname }}
{{ shop.name }}`,
  },
  "cancellation-received": {
    name: "Annulation reçue",
    body: `Bonjour {{ ticket.customer.firstname }},

Nous avons bien reçu votre demande d'annulation de la commande {{ ticket.order.name }}. Nous nous en occupons et vous confirmerons l'annulation par e-mail dès qu'elle sera effectuée.

Si la commande a déjà été expédiée, nous vous indiquerons comment la retourner.

Bien cordialement,
{{ current_user.firstname }}
{{ shop.name }}`,
  },
  "refund-issued": {
    name: "Remboursement effectué",
    body: `Bonjour {{ ticket.customer.firstname }},

Bonne nouvelle : nous avons effectué le remboursement de votre commande {{ ticket.order.name }}. Il sera crédité sur votre moyen de paiement d'origine, généralement sous 5 à 10 jours ouvrés selon votre banque.

Merci pour votre patience.

Bien cordialement,
{{ current_user.firstname }}
{{ shop.name }}`,
  },
  "address-change": {
    name: "Changement d'adresse",
    body: `Bonjour {{ ticket.customer.firstname }},

Merci de nous avoir prévenus. Pouvez-vous nous répondre en indiquant la nouvelle adresse de livraison complète pour la commande {{ ticket.order.name }} (nom, rue, code postal, ville et pays) ?

Adresse actuellement enregistrée : {{ ticket.order.shipping_address | default: "aucune pour l'instant" }}.

Si votre commande n'est pas encore partie, nous la modifierons tout de suite et vous le confirmerons. Si elle est déjà en route, nous verrons avec le transporteur ce qui est possible.

Bien cordialement,
{{ current_user.firstname }}
{{ shop.name }}`,
  },
  "thanks-closing": {
    name: "Remerciements et clôture",
    body: `Bonjour {{ ticket.customer.firstname }},

Merci d'avoir contacté {{ shop.name | default: "notre équipe" }}, nous sommes ravis d'avoir pu vous aider !

Je clôture cette conversation pour le moment. Si vous avez une autre question, il vous suffit de répondre à ce message pour la rouvrir.

Belle journée,
{{ current_user.firstname }}`,
  },
};

const DE: Texts = {
  "where-is-my-order": {
    name: "Wo ist meine Bestellung",
    body: `Hallo {{ ticket.customer.firstname }},

vielen Dank für Ihre Nachricht. Der aktuelle Stand Ihrer Bestellung {{ ticket.order.name }}: {{ ticket.order.status | default: "in Bearbeitung" }}.

Hier können Sie Ihr Paket verfolgen: {{ ticket.order.tracking_url | default: "Den Tracking-Link schicken wir Ihnen per E-Mail, sobald das Paket versandt ist." }}

Falls etwas nicht stimmt, antworten Sie einfach auf diese Nachricht – wir kümmern uns darum.

Viele Grüße
{{ current_user.firstname }}
{{ shop.name }}`,
  },
  "return-policy": {
    name: "Rückgabebedingungen",
    body: `Hallo {{ ticket.customer.firstname }},

vielen Dank für Ihre Nachricht. Die meisten Artikel können Sie innerhalb von 30 Tagen nach Lieferung zurückgeben, sofern sie unbenutzt und originalverpackt sind.

Um eine Rücksendung zu starten, antworten Sie bitte auf diese Nachricht mit Ihrer Bestellnummer ({{ ticket.order.name | default: "Sie finden sie in Ihrer Bestellbestätigung" }}) und den Artikeln, die Sie zurücksenden möchten. Wir schicken Ihnen dann die Anleitung für die Rücksendung.

Sobald das Paket bei uns eingetroffen ist, erstatten wir den Betrag innerhalb von 5 bis 10 Werktagen auf Ihre ursprüngliche Zahlungsmethode.

Viele Grüße
{{ current_user.firstname }}
{{ shop.name }}`,
  },
  "cancellation-received": {
    name: "Stornierung erhalten",
    body: `Hallo {{ ticket.customer.firstname }},

wir haben Ihre Anfrage zur Stornierung der Bestellung {{ ticket.order.name }} erhalten. Wir kümmern uns darum und bestätigen Ihnen die Stornierung per E-Mail, sobald sie erledigt ist.

Falls die Bestellung bereits versandt wurde, erklären wir Ihnen, wie Sie sie zurücksenden können.

Viele Grüße
{{ current_user.firstname }}
{{ shop.name }}`,
  },
  "refund-issued": {
    name: "Erstattung veranlasst",
    body: `Hallo {{ ticket.customer.firstname }},

gute Nachricht: Wir haben die Erstattung für Ihre Bestellung {{ ticket.order.name }} veranlasst. Der Betrag geht auf Ihre ursprüngliche Zahlungsmethode zurück und ist je nach Bank in der Regel innerhalb von 5 bis 10 Werktagen sichtbar.

Vielen Dank für Ihre Geduld.

Viele Grüße
{{ current_user.firstname }}
{{ shop.name }}`,
  },
  "address-change": {
    name: "Adressänderung",
    body: `Hallo {{ ticket.customer.firstname }},

danke für Ihre Nachricht. Bitte antworten Sie uns mit der vollständigen neuen Lieferadresse für die Bestellung {{ ticket.order.name }} (Name, Straße, Postleitzahl, Ort und Land).

Derzeit hinterlegte Adresse: {{ ticket.order.shipping_address | default: "noch keine" }}.

Wenn Ihre Bestellung noch nicht versandt wurde, ändern wir die Adresse sofort und geben Ihnen Bescheid. Ist sie schon unterwegs, fragen wir beim Versanddienstleister nach, was möglich ist.

Viele Grüße
{{ current_user.firstname }}
{{ shop.name }}`,
  },
  "thanks-closing": {
    name: "Dank und Abschluss",
    body: `Hallo {{ ticket.customer.firstname }},

vielen Dank, dass Sie sich an {{ shop.name | default: "uns" }} gewandt haben – schön, dass wir helfen konnten!

Ich schließe diese Anfrage vorerst. Wenn Sie noch eine Frage haben, antworten Sie einfach auf diese Nachricht, dann wird sie wieder geöffnet.

Einen schönen Tag noch
{{ current_user.firstname }}`,
  },
};

const ES: Texts = {
  "where-is-my-order": {
    name: "Dónde está mi pedido",
    body: `Hola {{ ticket.customer.firstname }},

Gracias por escribirnos. El estado actual de su pedido {{ ticket.order.name }} es: {{ ticket.order.status | default: "en proceso" }}.

Puede seguir su paquete aquí: {{ ticket.order.tracking_url | default: "le enviaremos el enlace de seguimiento por correo electrónico en cuanto salga" }}

Si algo no le parece correcto, responda a este mensaje y lo revisaremos.

Un saludo,
{{ current_user.firstname }}
{{ shop.name }}`,
  },
  "return-policy": {
    name: "Política de devoluciones",
    body: `Hola {{ ticket.customer.firstname }},

Gracias por su mensaje. Puede devolver la mayoría de los artículos en un plazo de 30 días desde la entrega, siempre que estén sin usar y en su embalaje original.

Para iniciar una devolución, responda a este mensaje indicando su número de pedido ({{ ticket.order.name | default: "lo encontrará en el correo de confirmación" }}) y los artículos que desea devolver. Después le enviaremos las instrucciones.

Cuando recibamos el paquete, le reembolsaremos en su método de pago original en un plazo de 5 a 10 días hábiles.

Un saludo,
{{ current_user.firstname }}
{{ shop.name }}`,
  },
  "cancellation-received": {
    name: "Cancelación recibida",
    body: `Hola {{ ticket.customer.firstname }},

Hemos recibido su solicitud de cancelación del pedido {{ ticket.order.name }}. Ya nos estamos ocupando y le confirmaremos la cancelación por correo electrónico en cuanto esté hecha.

Si el pedido ya se ha enviado, le indicaremos cómo devolverlo.

Un saludo,
{{ current_user.firstname }}
{{ shop.name }}`,
  },
  "refund-issued": {
    name: "Reembolso realizado",
    body: `Hola {{ ticket.customer.firstname }},

Buenas noticias: hemos realizado el reembolso de su pedido {{ ticket.order.name }}. Se abonará en su método de pago original y normalmente aparece en un plazo de 5 a 10 días hábiles, según su banco.

Gracias por su paciencia.

Un saludo,
{{ current_user.firstname }}
{{ shop.name }}`,
  },
  "address-change": {
    name: "Cambio de dirección",
    body: `Hola {{ ticket.customer.firstname }},

Gracias por avisarnos. Responda a este mensaje con la nueva dirección de envío completa para el pedido {{ ticket.order.name }} (nombre, calle, código postal, ciudad y país).

Dirección que tenemos ahora: {{ ticket.order.shipping_address | default: "ninguna todavía" }}.

Si su pedido aún no ha salido, la cambiaremos enseguida y se lo confirmaremos. Si ya está en camino, consultaremos con la empresa de transporte qué se puede hacer.

Un saludo,
{{ current_user.firstname }}
{{ shop.name }}`,
  },
  "thanks-closing": {
    name: "Agradecimiento y cierre",
    body: `Hola {{ ticket.customer.firstname }},

Gracias por contactar con {{ shop.name | default: "nosotros" }}. ¡Nos alegra haber podido ayudarle!

Cierro esta conversación por ahora. Si tiene cualquier otra pregunta, solo tiene que responder a este mensaje y se volverá a abrir.

Que tenga un buen día,
{{ current_user.firstname }}`,
  },
};

const TEXTS: Record<MacroLanguage, Texts> = { en: EN, fr: FR, de: DE, es: ES };

export const STARTER_MACROS: readonly StarterMacro[] = Object.entries(TEXTS).flatMap(([language, texts]) =>
  STARTER_MACRO_KEYS.map((key) => ({
    key,
    language: language as MacroLanguage,
    name: texts[key].name,
    body: texts[key].body,
    actions: ACTIONS[key],
  })),
);
