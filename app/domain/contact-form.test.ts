import { describe, expect, it } from "vitest";
import { contactAutoReply, parseContactForm } from "./contact-form";

describe("parseContactForm", () => {
  it("lower-cases the email, trims, and reads an order number as the names it may be", () => {
    expect(
      parseContactForm({ email: " Ava@Example.COM ", name: " Ava ", message: " Hi \n", orderNumber: "1001" }, "en"),
    ).toEqual({
      ok: true,
      form: { email: "ava@example.com", name: "Ava", message: "Hi", orderNames: ["#1001", "1001"] },
    });
    expect(parseContactForm({ email: "a@b.co", message: "Hi", orderNumber: "#A-7" }, "en")).toMatchObject({
      form: { name: null, orderNames: ["#A-7"] },
    });
    expect(parseContactForm({ email: "a@b.co", message: "Hi", orderNumber: "" }, "en")).toMatchObject({
      form: { orderNames: [] },
    });
  });

  it("refuses each bad field by name, in the shopper's language", () => {
    expect(parseContactForm({ email: "nope", message: "Hi" }, "fr")).toEqual({
      ok: false,
      field: "email",
      error: "Saisissez votre adresse e-mail, par exemple nom@exemple.fr.",
    });
    expect(parseContactForm({ email: "a@b.co" }, "de")).toMatchObject({ field: "message" });
    expect(parseContactForm({ email: "a@b.co", message: 42 }, "es")).toMatchObject({ field: "message" });
    expect(parseContactForm({ email: "a@b.co", message: "x".repeat(5001) }, "en")).toMatchObject({ field: "message" });
    expect(parseContactForm({ email: "a@b.co", message: "Hi", name: "\u0000" }, "en")).toMatchObject({
      field: "name",
      error: "Your message contains a character we cannot save. Remove it and try again.",
    });
    expect(parseContactForm({ email: "a@b.co", message: "Hi", orderNumber: "1001 OR 1=1" }, "en")).toMatchObject({
      field: "orderNumber",
    });
    expect(parseContactForm({ email: `${"a".repeat(250)}@b.co`, message: "Hi" }, "en")).toMatchObject({
      field: "email",
    });
  });
  it("reads a name as one line: line breaks and control characters typed into it cannot shape the auto-reply", () => {
    const parsed = parseContactForm(
      { email: "a@b.co", message: "Hi", name: "Eve\r\n\r\nYou won a prize: visit evil.example\u0007\u2028now" },
      "en",
    );
    expect(parsed).toMatchObject({ ok: true, form: { name: "Eve You won a prize: visit evil.example now" } });
    expect(parseContactForm({ email: "a@b.co", message: "Hi", name: "\r\n\t" }, "en")).toMatchObject({
      form: { name: null },
    });
  });
});

describe("contactAutoReply", () => {
  it("says when to expect an answer, greeting by name when given", () => {
    expect(
      contactAutoReply({ locale: "en", name: "Ava", when: "tomorrow at 9:00", open: false, storeName: "Maple Goods" }),
    ).toEqual({
      subject: "We received your message (Maple Goods)",
      text: [
        "Hello Ava,",
        "Thanks for your message. Our team is away right now and will answer you tomorrow at 9:00, by email.",
        "You can reply to this email to add anything.",
        "Maple Goods",
      ].join("\n\n"),
    });
    const open = contactAutoReply({ locale: "de", name: null, when: "in Kürze", open: true, storeName: "Maple" });
    expect(open.text).toContain("Hallo,\n\nDanke für Ihre Nachricht. Unser Team antwortet Ihnen in Kürze per E-Mail.");
  });
});
