import { z } from "zod";
import { normalizeEmail } from "./customer-identity";
import { portalLocale, type PortalLocale } from "./portal-messages";
import { isStorableText } from "~/lib/storable-text";

// The storefront's offline contact form (decision 026): what the shopper sends, how it is checked
// (in their language), and the one automatic reply saying when to expect an answer.

export const CONTACT_LIMITS = { email: 254, name: 100, message: 5000, orderNumber: 64 } as const;

interface ContactWords {
  email: string;
  name: string;
  message: string;
  messageTooLong: string;
  orderNumber: string;
  unstorable: string;
  tooMany: string;
  received: string;
  autoReply: { subject: string; body: (input: { name: string | null; when: string; open: boolean }) => string[] };
}

const WORDS: Record<PortalLocale, ContactWords> = {
  en: {
    email: "Enter your email address, like name@example.com.",
    name: `Keep your name under ${CONTACT_LIMITS.name} characters.`,
    message: "Write your message.",
    messageTooLong: `Keep your message under ${CONTACT_LIMITS.message} characters.`,
    orderNumber: "Enter the order number as shown in your confirmation, like #1001, or leave it empty.",
    unstorable: "Your message contains a character we cannot save. Remove it and try again.",
    tooMany: "You have sent several messages already. We will answer them soon.",
    received: "Thanks, we received your message. We will answer you by email.",
    autoReply: {
      subject: "We received your message",
      body: ({ name, when, open }) => [
        name ? `Hello ${name},` : "Hello,",
        open
          ? `Thanks for your message. Our team will answer you ${when}, by email.`
          : `Thanks for your message. Our team is away right now and will answer you ${when}, by email.`,
        "You can reply to this email to add anything.",
      ],
    },
  },
  fr: {
    email: "Saisissez votre adresse e-mail, par exemple nom@exemple.fr.",
    name: `Votre nom doit faire moins de ${CONTACT_LIMITS.name} caractères.`,
    message: "Écrivez votre message.",
    messageTooLong: `Votre message doit faire moins de ${CONTACT_LIMITS.message} caractères.`,
    orderNumber: "Saisissez le numéro de commande de votre confirmation, par exemple #1001, ou laissez vide.",
    unstorable: "Votre message contient un caractère que nous ne pouvons pas enregistrer. Retirez-le et réessayez.",
    tooMany: "Vous avez déjà envoyé plusieurs messages. Nous y répondrons bientôt.",
    received: "Merci, nous avons bien reçu votre message. Nous vous répondrons par e-mail.",
    autoReply: {
      subject: "Nous avons bien reçu votre message",
      body: ({ name, when, open }) => [
        name ? `Bonjour ${name},` : "Bonjour,",
        open
          ? `Merci pour votre message. Notre équipe vous répondra ${when}, par e-mail.`
          : `Merci pour votre message. Notre équipe est absente pour le moment et vous répondra ${when}, par e-mail.`,
        "Vous pouvez répondre à cet e-mail pour ajouter une précision.",
      ],
    },
  },
  de: {
    email: "Geben Sie Ihre E-Mail-Adresse ein, z. B. name@beispiel.de.",
    name: `Ihr Name darf höchstens ${CONTACT_LIMITS.name} Zeichen lang sein.`,
    message: "Schreiben Sie Ihre Nachricht.",
    messageTooLong: `Ihre Nachricht darf höchstens ${CONTACT_LIMITS.message} Zeichen lang sein.`,
    orderNumber: "Geben Sie die Bestellnummer aus Ihrer Bestätigung ein, z. B. #1001, oder lassen Sie das Feld leer.",
    unstorable: "Ihre Nachricht enthält ein Zeichen, das wir nicht speichern können. Entfernen Sie es bitte.",
    tooMany: "Sie haben bereits mehrere Nachrichten gesendet. Wir antworten bald.",
    received: "Danke, wir haben Ihre Nachricht erhalten. Wir antworten Ihnen per E-Mail.",
    autoReply: {
      subject: "Wir haben Ihre Nachricht erhalten",
      body: ({ name, when, open }) => [
        name ? `Hallo ${name},` : "Hallo,",
        open
          ? `Danke für Ihre Nachricht. Unser Team antwortet Ihnen ${when} per E-Mail.`
          : `Danke für Ihre Nachricht. Unser Team ist gerade nicht da und antwortet Ihnen ${when} per E-Mail.`,
        "Sie können auf diese E-Mail antworten, um etwas zu ergänzen.",
      ],
    },
  },
  es: {
    email: "Escribe tu correo electrónico, por ejemplo nombre@ejemplo.es.",
    name: `Tu nombre debe tener menos de ${CONTACT_LIMITS.name} caracteres.`,
    message: "Escribe tu mensaje.",
    messageTooLong: `Tu mensaje debe tener menos de ${CONTACT_LIMITS.message} caracteres.`,
    orderNumber: "Escribe el número de pedido de tu confirmación, por ejemplo #1001, o déjalo vacío.",
    unstorable: "Tu mensaje contiene un carácter que no podemos guardar. Quítalo e inténtalo de nuevo.",
    tooMany: "Ya has enviado varios mensajes. Te responderemos pronto.",
    received: "Gracias, hemos recibido tu mensaje. Te responderemos por correo.",
    autoReply: {
      subject: "Hemos recibido tu mensaje",
      body: ({ name, when, open }) => [
        name ? `Hola ${name}:` : "Hola:",
        open
          ? `Gracias por tu mensaje. Nuestro equipo te responderá ${when}, por correo.`
          : `Gracias por tu mensaje. Nuestro equipo no está disponible ahora y te responderá ${when}, por correo.`,
        "Puedes responder a este correo para añadir algo.",
      ],
    },
  },
};

export const contactWords = (locale: string | null | undefined) => WORDS[portalLocale(locale)];

const ORDER_NUMBER = /^#?[\p{L}\p{N}][\p{L}\p{N}._-]*$/u;
const EMAIL = z.email();

export interface ContactForm {
  email: string;
  name: string | null;
  message: string;
  /** The order names the typed number may be ("1001" → "#1001" or "1001"), empty when none. */
  orderNames: string[];
}

/** The form's fields, checked; any other key (token, chatToken, locale) is the route's. */
export function parseContactForm(
  body: Record<string, unknown>,
  locale: string | null | undefined,
): { ok: true; form: ContactForm } | { ok: false; field: string; error: string } {
  const words = contactWords(locale);
  const text = (value: unknown) => (typeof value === "string" ? value : value == null ? "" : null);
  const fields = {
    email: text(body.email),
    name: text(body.name),
    message: text(body.message),
    orderNumber: text(body.orderNumber),
  };
  for (const [field, value] of Object.entries(fields)) {
    if (value === null)
      return {
        ok: false,
        field,
        error:
          field === "email"
            ? words.email
            : field === "message"
              ? words.message
              : field === "name"
                ? words.name
                : words.orderNumber,
      };
    if (!isStorableText(value)) return { ok: false, field, error: words.unstorable };
  }
  const email = normalizeEmail(fields.email!.trim());
  if (!email || email.length > CONTACT_LIMITS.email || !EMAIL.safeParse(email).success) {
    return { ok: false, field: "email", error: words.email };
  }
  // One line: the name is echoed into the auto-reply sent to the typed address, and shown as the
  // customer's name, so line breaks and control characters are read as spaces.
  const name = fields.name!.replace(/[\p{Cc}\s]+/gu, " ").trim();
  if (name.length > CONTACT_LIMITS.name) return { ok: false, field: "name", error: words.name };
  const message = fields.message!.trim();
  if (!message) return { ok: false, field: "message", error: words.message };
  if (message.length > CONTACT_LIMITS.message) return { ok: false, field: "message", error: words.messageTooLong };
  const orderNumber = fields.orderNumber!.trim();
  if (orderNumber && (orderNumber.length > CONTACT_LIMITS.orderNumber || !ORDER_NUMBER.test(orderNumber))) {
    return { ok: false, field: "orderNumber", error: words.orderNumber };
  }
  const orderNames = !orderNumber ? [] : orderNumber.startsWith("#") ? [orderNumber] : [`#${orderNumber}`, orderNumber];
  return { ok: true, form: { email, name: name || null, message, orderNames } };
}

/** The automatic reply: subject and text, `when` from expectedAnswerWords. */
export function contactAutoReply(input: {
  locale: string | null | undefined;
  name: string | null;
  when: string;
  open: boolean;
  storeName: string;
}): { subject: string; text: string } {
  const words = contactWords(input.locale);
  const lines = words.autoReply.body({ name: input.name, when: input.when, open: input.open });
  return { subject: `${words.autoReply.subject} (${input.storeName})`, text: [...lines, input.storeName].join("\n\n") };
}
