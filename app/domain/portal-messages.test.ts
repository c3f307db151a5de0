import { describe, expect, it } from "vitest";
import {
  codeEmail,
  codeSms,
  PORTAL_LOCALES,
  portalLocale,
  SIGN_IN_CODE_MINUTES,
  signInMessages,
  type SignInMessages,
} from "./portal-messages";

/** Every message of a set, by its path ("fields.email"). */
function flatten(messages: object, prefix = ""): [string, string][] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === "string" ? [[`${prefix}${key}`, value]] : flatten(value as object, `${prefix}${key}.`),
  ) as [string, string][];
}

describe("portalLocale", () => {
  it("takes the language of a storefront locale, in any case or separator", () => {
    expect(portalLocale("fr")).toBe("fr");
    expect(portalLocale("fr-CA")).toBe("fr");
    expect(portalLocale("FR_ca")).toBe("fr");
    expect(portalLocale(" de-CH ")).toBe("de");
    expect(portalLocale("es-419")).toBe("es");
    expect(portalLocale("en-GB")).toBe("en");
  });

  it("falls back to English for a language we do not speak, or none", () => {
    for (const requested of ["it", "pt-BR", "", "  ", null, undefined, "frx", "-fr", "zz-fr"]) {
      expect(portalLocale(requested)).toBe("en");
    }
  });
});

describe("sign-in messages", () => {
  const english = flatten(signInMessages("en"));

  it("exist in every language, none empty, each translated", () => {
    for (const locale of PORTAL_LOCALES) {
      const messages = flatten(signInMessages(locale));
      expect(messages.map(([path]) => path)).toEqual(english.map(([path]) => path));
      for (const [path, text] of messages) {
        expect(text.trim(), `${locale} ${path}`).not.toBe("");
        if (locale !== "en") expect(text, `${locale} ${path}`).not.toBe(english.find(([p]) => p === path)![1]);
      }
    }
  });

  it("answer a code request in words that do not say whether the address is known", () => {
    const requested = (locale: (typeof PORTAL_LOCALES)[number]): SignInMessages["codeRequested"] =>
      signInMessages(locale).codeRequested;
    expect(requested("en").email).toBe("If this address is known to the store, a code is on its way.");
    expect(requested("fr").sms).toBe("Si ce numéro est connu de la boutique, un code est en route.");
  });
});

describe("the code email", () => {
  it("names the store and the code, says it expires in 10 minutes and can be ignored, in each language", () => {
    const expected = {
      en: [/expires in 10 minutes/, /ignore this email/],
      fr: [/expire dans 10 minutes/, /ignorer cet e-mail/],
      de: [/in 10 Minuten ab/, /E-Mail ignorieren/],
      es: [/Caduca en 10 minutos/, /ignorar este correo/],
    };
    expect(SIGN_IN_CODE_MINUTES).toBe(10);
    for (const locale of PORTAL_LOCALES) {
      const mail = codeEmail(locale, { shopName: "Maple Goods EU", code: "042917" });
      expect(mail.subject).toContain("042917");
      expect(mail.subject).toContain("Maple Goods EU");
      expect(mail.text).toContain("    042917\n");
      expect(mail.text.match(/Maple Goods EU/g)).toHaveLength(2);
      for (const pattern of expected[locale]) expect(mail.text).toMatch(pattern);
    }
  });

  it("is French for a French shopper", () => {
    expect(codeEmail("fr", { shopName: "Maple", code: "123456" }).subject).toBe(
      "123456 est votre code de connexion pour Maple",
    );
  });
});

describe("the code text message", () => {
  it("names the store and the code and its lifetime in one SMS segment (160 characters)", () => {
    for (const locale of PORTAL_LOCALES) {
      const text = codeSms(locale, { shopName: "Maple Goods EU", code: "042917" });
      expect(text.startsWith("042917 ")).toBe(true);
      expect(text).toContain("Maple Goods EU");
      expect(text).toMatch(/\b10 min/i);
      expect(text.length, text).toBeLessThanOrEqual(160);
    }
  });
});
