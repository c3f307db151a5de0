import { describe, expect, it } from "vitest";
import {
  addressOf,
  buildReplyMessage,
  isMessageId,
  newMessageId,
  NO_RECIPIENT,
  replySubject,
  threadingHeaders,
  type ReplyMessageInput,
} from "./reply-message";

const input = (overrides: Partial<ReplyMessageInput> = {}): ReplyMessageInput => ({
  sender: { fromAddress: "support@maple.example", fromName: "Maple Goods" },
  ticket: { subject: "Where is my parcel?", channel: "email" },
  customer: { emails: ["ava@example.com", "ava.work@example.com"] },
  lastCustomerMessage: {
    fromAddress: "Ava Lind <ava.other@example.com>",
    messageId: "<m2@mail.example>",
    references: ["<m1@mail.example>"],
  },
  reply: { body: "It ships today.", messageId: "<r1@maple.example>" },
  ...overrides,
});

describe("buildReplyMessage", () => {
  it("answers the customer's last email, in its thread, from the workspace's sender", () => {
    expect(buildReplyMessage(input())).toEqual({
      ok: true,
      message: {
        from: { name: "Maple Goods", address: "support@maple.example" },
        to: "ava.other@example.com",
        subject: "Re: Where is my parcel?",
        text: "It ships today.",
        messageId: "<r1@maple.example>",
        inReplyTo: "<m2@mail.example>",
        references: ["<m1@mail.example>", "<m2@mail.example>"],
      },
    });
  });

  it("uses an automatic reply's own subject (a confirmation in the shopper's language)", () => {
    const built = buildReplyMessage(
      input({ reply: { body: "Merci", messageId: "<a@b>", subject: "Nous avons bien reçu votre demande" } }),
    );
    expect(built.ok && built.message.subject).toBe("Nous avons bien reçu votre demande");
    const plain = buildReplyMessage(input({ reply: { body: "Hi", messageId: "<a@b>", subject: null } }));
    expect(plain.ok && plain.message.subject).toBe("Re: Where is my parcel?");
  });

  it("writes to the customer's first email on other channels, or when the sender is no address; to the typed address on the contact form", () => {
    const portal = buildReplyMessage(input({ ticket: { subject: "Return", channel: "portal_request" } }));
    expect(portal.ok && portal.message.to).toBe("ava@example.com");
    // The contact form's address is the one the shopper typed, like an email's sender.
    const contact = buildReplyMessage(input({ ticket: { subject: "Sizes", channel: "contact_form" } }));
    expect(contact.ok && contact.message.to).toBe("ava.other@example.com");
    const garbled = buildReplyMessage(
      input({ lastCustomerMessage: { fromAddress: "not an address", messageId: null, references: [] } }),
    );
    expect(garbled.ok && garbled.message).toMatchObject({ to: "ava@example.com", inReplyTo: null, references: [] });
    const noMessage = buildReplyMessage(input({ lastCustomerMessage: null }));
    expect(noMessage.ok && noMessage.message.to).toBe("ava@example.com");
  });

  it("fails with a reason when there is nobody to write to", () => {
    expect(buildReplyMessage(input({ customer: null, lastCustomerMessage: null }))).toEqual({
      ok: false,
      error: NO_RECIPIENT,
    });
    expect(
      buildReplyMessage(
        input({
          ticket: { subject: "x", channel: "contact_form" },
          customer: { emails: [] },
          lastCustomerMessage: null,
        }),
      ).ok,
    ).toBe(false);
  });

  it("sends without a sender name when none is set", () => {
    const built = buildReplyMessage(input({ sender: { fromAddress: "help@maple.example", fromName: null } }));
    expect(built.ok && built.message.from).toEqual({ name: "", address: "help@maple.example" });
  });
});

describe("reply subject", () => {
  it("adds Re: once, on one line", () => {
    expect(replySubject("Order #1001")).toBe("Re: Order #1001");
    expect(replySubject("Re: Order #1001")).toBe("Re: Order #1001");
    expect(replySubject("RE : Order")).toBe("RE : Order");
    expect(replySubject("Line one\r\nBcc: someone@example.com")).toBe("Re: Line one Bcc: someone@example.com");
    expect(replySubject("   ")).toBe("Re: Your message");
    expect(replySubject("Return request")).toBe("Re: Return request");
  });
});

describe("threading headers", () => {
  it("drops ids that are not Message-IDs and repeats none", () => {
    expect(
      threadingHeaders({
        fromAddress: null,
        messageId: "<m3@x.example>",
        references: ["<m1@x.example>", "garbage", "<m3@x.example>", "<bad id@x>", "<m2@x.example>"],
      }),
    ).toEqual({ inReplyTo: "<m3@x.example>", references: ["<m1@x.example>", "<m3@x.example>", "<m2@x.example>"] });
    expect(threadingHeaders({ fromAddress: null, messageId: "m3@x", references: [] })).toEqual({
      inReplyTo: null,
      references: [],
    });
  });

  it("keeps a long thread's root and its most recent references", () => {
    const references = Array.from({ length: 40 }, (_, index) => `<m${index}@x.example>`);
    const headers = threadingHeaders({ fromAddress: null, messageId: "<last@x.example>", references });
    expect(headers.references).toHaveLength(20);
    expect(headers.references[0]).toBe("<m0@x.example>");
    expect(headers.references.at(-1)).toBe("<last@x.example>");
    expect(headers.references.at(-2)).toBe("<m39@x.example>");
  });
});

describe("message ids and addresses", () => {
  it("makes a unique id at the sender's domain", () => {
    expect(newMessageId("Support@Maple.Example", "1234")).toBe("<1234@maple.example>");
    const id = newMessageId("support@maple.example");
    expect(isMessageId(id)).toBe(true);
    expect(id).not.toBe(newMessageId("support@maple.example"));
  });

  it("reads an address from a display form", () => {
    expect(addressOf("Ava <ava@example.com>")).toBe("ava@example.com");
    expect(addressOf(" ava@example.com ")).toBe("ava@example.com");
    expect(addressOf("Ava")).toBeNull();
    expect(addressOf(null)).toBeNull();
  });
});
