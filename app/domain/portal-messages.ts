// The storefront portal's sign-in words in the shopper's language: the code email and text
// message, and every answer the sign-in API gives. English, French, German and Spanish at launch
// (the anchor's codes are English-only); any other language gets English.

export const PORTAL_LOCALES = ["en", "fr", "de", "es"] as const;
export type PortalLocale = (typeof PORTAL_LOCALES)[number];

/**
 * The portal language for what the storefront says it is showing: "fr", "fr-CA", "FR_ca" → "fr";
 * anything we do not speak (or nothing) → "en".
 */
export function portalLocale(requested: string | null | undefined): PortalLocale {
  const language = (requested ?? "").trim().toLowerCase().split(/[-_]/)[0];
  return PORTAL_LOCALES.find((locale) => locale === language) ?? "en";
}

/** How long a sign-in code works; the messages say so. */
export const SIGN_IN_CODE_MINUTES = 10;

export interface SignInMessages {
  /** The one answer to "send me a code", known address or not, sent or not. */
  codeRequested: { email: string; sms: string };
  /** Wrong, expired, used, replaced or never-sent code: one message for all. */
  codeRefused: string;
  /** No order with that number and email: one message for both. */
  orderRefused: string;
  tooManyAttempts: string;
  channelOff: { email: string; sms: string; orderNumber: string };
  signInAgain: string;
  signedOut: string;
  fields: {
    channel: string;
    email: string;
    phone: string;
    code: string;
    orderNumber: string;
    /** A NUL byte or a broken character. */
    unusableText: string;
    /** Something else than a text where a text is expected, or a field far too long. */
    text: string;
    /** A field only the widget sets (not the shopper) has a value it never sends. */
    invalid: string;
  };
}

const MESSAGES: Record<PortalLocale, SignInMessages> = {
  en: {
    codeRequested: {
      email: "If this address is known to the store, a code is on its way.",
      sms: "If this number is known to the store, a code is on its way.",
    },
    codeRefused: "That code is not right, or it has expired. Check it, or ask for a new one.",
    orderRefused: "We could not find an order with this number and email address. Check both and try again.",
    tooManyAttempts: "Too many attempts. Please wait a few minutes, then try again.",
    channelOff: {
      email: "This store does not offer sign-in with a code by email.",
      sms: "This store does not offer sign-in with a code by text message.",
      orderNumber: "This store does not offer sign-in with an order number.",
    },
    signInAgain: "Please sign in again.",
    signedOut: "You are signed out.",
    fields: {
      channel: "Choose email or text message.",
      email: "Enter a valid email address.",
      phone: "Enter your phone number with its country code, for example +44 7700 900123.",
      code: "Enter the 6-digit code, digits only.",
      orderNumber: "Enter your order number, for example #1001.",
      unusableText: "This text contains a character that cannot be used. Remove it and try again.",
      text: "This field must be a short text.",
      invalid: "Something in this request is not right. Reload the page and try again.",
    },
  },
  fr: {
    codeRequested: {
      email: "Si cette adresse est connue de la boutique, un code est en route.",
      sms: "Si ce numéro est connu de la boutique, un code est en route.",
    },
    codeRefused: "Ce code n'est pas le bon, ou il a expiré. Vérifiez-le, ou demandez-en un nouveau.",
    orderRefused:
      "Nous n'avons trouvé aucune commande avec ce numéro et cette adresse e-mail. Vérifiez-les et réessayez.",
    tooManyAttempts: "Trop de tentatives. Patientez quelques minutes, puis réessayez.",
    channelOff: {
      email: "Cette boutique ne propose pas la connexion avec un code par e-mail.",
      sms: "Cette boutique ne propose pas la connexion avec un code par SMS.",
      orderNumber: "Cette boutique ne propose pas la connexion avec un numéro de commande.",
    },
    signInAgain: "Veuillez vous reconnecter.",
    signedOut: "Vous êtes déconnecté.",
    fields: {
      channel: "Choisissez l'e-mail ou le SMS.",
      email: "Saisissez une adresse e-mail valide.",
      phone: "Saisissez votre numéro de téléphone avec l'indicatif du pays, par exemple +33 6 12 34 56 78.",
      code: "Saisissez le code à 6 chiffres, uniquement des chiffres.",
      orderNumber: "Saisissez votre numéro de commande, par exemple #1001.",
      unusableText: "Ce texte contient un caractère qui ne peut pas être utilisé. Retirez-le et réessayez.",
      text: "Ce champ doit être un texte court.",
      invalid: "Quelque chose ne va pas dans cette demande. Rechargez la page et réessayez.",
    },
  },
  de: {
    codeRequested: {
      email: "Wenn diese Adresse dem Shop bekannt ist, ist ein Code unterwegs.",
      sms: "Wenn diese Nummer dem Shop bekannt ist, ist ein Code unterwegs.",
    },
    codeRefused: "Dieser Code stimmt nicht oder ist abgelaufen. Prüfen Sie ihn oder fordern Sie einen neuen an.",
    orderRefused:
      "Wir haben keine Bestellung mit dieser Nummer und E-Mail-Adresse gefunden. Prüfen Sie beides und versuchen Sie es erneut.",
    tooManyAttempts: "Zu viele Versuche. Bitte warten Sie einige Minuten und versuchen Sie es dann erneut.",
    channelOff: {
      email: "Dieser Shop bietet keine Anmeldung mit einem Code per E-Mail an.",
      sms: "Dieser Shop bietet keine Anmeldung mit einem Code per SMS an.",
      orderNumber: "Dieser Shop bietet keine Anmeldung mit einer Bestellnummer an.",
    },
    signInAgain: "Bitte melden Sie sich erneut an.",
    signedOut: "Sie sind abgemeldet.",
    fields: {
      channel: "Wählen Sie E-Mail oder SMS.",
      email: "Geben Sie eine gültige E-Mail-Adresse ein.",
      phone: "Geben Sie Ihre Telefonnummer mit Ländervorwahl ein, zum Beispiel +49 151 23456789.",
      code: "Geben Sie den 6-stelligen Code ein, nur Ziffern.",
      orderNumber: "Geben Sie Ihre Bestellnummer ein, zum Beispiel #1001.",
      unusableText:
        "Dieser Text enthält ein Zeichen, das nicht verwendet werden kann. Entfernen Sie es und versuchen Sie es erneut.",
      text: "Dieses Feld muss ein kurzer Text sein.",
      invalid: "Mit dieser Anfrage stimmt etwas nicht. Laden Sie die Seite neu und versuchen Sie es erneut.",
    },
  },
  es: {
    codeRequested: {
      email: "Si la tienda conoce esta dirección, te hemos enviado un código.",
      sms: "Si la tienda conoce este número, te hemos enviado un código.",
    },
    codeRefused: "Ese código no es correcto o ha caducado. Compruébalo o pide uno nuevo.",
    orderRefused:
      "No hemos encontrado ningún pedido con este número y esta dirección de correo electrónico. Compruébalos e inténtalo de nuevo.",
    tooManyAttempts: "Demasiados intentos. Espera unos minutos y vuelve a intentarlo.",
    channelOff: {
      email: "Esta tienda no ofrece el inicio de sesión con un código por correo electrónico.",
      sms: "Esta tienda no ofrece el inicio de sesión con un código por SMS.",
      orderNumber: "Esta tienda no ofrece el inicio de sesión con un número de pedido.",
    },
    signInAgain: "Vuelve a iniciar sesión.",
    signedOut: "Has cerrado la sesión.",
    fields: {
      channel: "Elige correo electrónico o SMS.",
      email: "Introduce una dirección de correo electrónico válida.",
      phone: "Introduce tu número de teléfono con el prefijo del país, por ejemplo +34 612 34 56 78.",
      code: "Introduce el código de 6 dígitos, solo números.",
      orderNumber: "Introduce tu número de pedido, por ejemplo #1001.",
      unusableText: "Este texto contiene un carácter que no se puede usar. Quítalo e inténtalo de nuevo.",
      text: "Este campo debe ser un texto corto.",
      invalid: "Algo no está bien en esta solicitud. Vuelve a cargar la página e inténtalo de nuevo.",
    },
  },
};

export const signInMessages = (locale: PortalLocale): SignInMessages => MESSAGES[locale];

export interface CodeMessageInput {
  /** The store's name as shoppers know it. */
  shopName: string;
  code: string;
}

/** The sign-in code email: the store, the code, how long it works, and that it can be ignored. */
export function codeEmail(
  locale: PortalLocale,
  { shopName, code }: CodeMessageInput,
): { subject: string; text: string } {
  const minutes = SIGN_IN_CODE_MINUTES;
  switch (locale) {
    case "fr":
      return {
        subject: `${code} est votre code de connexion pour ${shopName}`,
        text: [
          "Bonjour,",
          "",
          `Voici votre code pour vous connecter à l'espace client de ${shopName} :`,
          "",
          `    ${code}`,
          "",
          `Il expire dans ${minutes} minutes et ne sert qu'une fois.`,
          "",
          "Si vous n'avez pas demandé ce code, vous pouvez ignorer cet e-mail : personne ne peut se connecter sans lui.",
          "",
          shopName,
        ].join("\n"),
      };
    case "de":
      return {
        subject: `${code} ist Ihr Anmeldecode für ${shopName}`,
        text: [
          "Hallo,",
          "",
          `hier ist Ihr Code für die Anmeldung im Kundenbereich von ${shopName}:`,
          "",
          `    ${code}`,
          "",
          `Er läuft in ${minutes} Minuten ab und gilt nur einmal.`,
          "",
          "Wenn Sie diesen Code nicht angefordert haben, können Sie diese E-Mail ignorieren: Ohne den Code kann sich niemand anmelden.",
          "",
          shopName,
        ].join("\n"),
      };
    case "es":
      return {
        subject: `${code} es tu código de acceso para ${shopName}`,
        text: [
          "Hola:",
          "",
          `Este es tu código para acceder al área de clientes de ${shopName}:`,
          "",
          `    ${code}`,
          "",
          `Caduca en ${minutes} minutos y solo sirve una vez.`,
          "",
          "Si no has pedido este código, puedes ignorar este correo: nadie puede acceder sin él.",
          "",
          shopName,
        ].join("\n"),
      };
    case "en":
      return {
        subject: `${code} is your sign-in code for ${shopName}`,
        text: [
          "Hello,",
          "",
          `Here is your code to sign in to ${shopName}'s customer help:`,
          "",
          `    ${code}`,
          "",
          `It expires in ${minutes} minutes and works once.`,
          "",
          "If you did not ask for this code, you can ignore this email: nobody can sign in without it.",
          "",
          shopName,
        ].join("\n"),
      };
  }
}

/** The sign-in code text message: short (one SMS segment for a store name of usual length). */
export function codeSms(locale: PortalLocale, { shopName, code }: CodeMessageInput): string {
  const minutes = SIGN_IN_CODE_MINUTES;
  switch (locale) {
    case "fr":
      return `${code} est votre code de connexion ${shopName}. Il expire dans ${minutes} min. Vous ne l'avez pas demandé ? Ignorez ce message.`;
    case "de":
      return `${code} ist Ihr Anmeldecode für ${shopName}. Gültig ${minutes} Min. Nicht angefordert? Ignorieren Sie diese SMS.`;
    case "es":
      return `${code} es tu código de acceso a ${shopName}. Caduca en ${minutes} min. ¿No lo has pedido? Ignora este mensaje.`;
    case "en":
      return `${code} is your ${shopName} sign-in code. It expires in ${minutes} min. Didn't ask for it? Ignore this message.`;
  }
}
