import { describe, expect, it } from "vitest";
import {
  MessageCreateSchema,
  messageObject,
  ticketObject,
  TicketUpdateSchema,
  type ApiMessageRow,
  type ApiTicketRow,
} from "./api-tickets";

const at = new Date("2026-12-01T10:00:00.000Z");
const ticket: ApiTicketRow = {
  number: 42,
  channel: "email",
  subject: "Parcel",
  status: "snoozed",
  snoozedUntil: new Date("2026-12-02T10:00:00.000Z"),
  priority: "normal",
  tags: ["shipping"],
  messageCount: 2,
  createdAt: at,
  updatedAt: at,
  lastMessageAt: at,
  lastCustomerMessageAt: null,
  closedAt: null,
  customer: { id: "c1", name: "Ada", emails: ["ada@example.com", "ada2@example.com"] },
  assignee: null,
};

describe("ticketObject", () => {
  it("names the ticket by its number and shows a snoozed ticket as the anchor does (closed, with snooze_datetime)", () => {
    expect(ticketObject(ticket)).toMatchObject({
      id: 42,
      uri: "/api/tickets/42/",
      status: "closed",
      snooze_datetime: "2026-12-02T10:00:00.000+00:00",
      customer: { id: "c1", email: "ada@example.com", name: "Ada" },
      assignee_user: null,
      tags: [{ name: "shipping" }],
    });
    expect(ticketObject({ ...ticket, status: "open" })).toMatchObject({ status: "open", snooze_datetime: null });
  });
});

describe("messageObject", () => {
  const row: ApiMessageRow = {
    id: "m1",
    kind: "customer_message",
    channel: "email",
    body: "Hello",
    fromAddress: "someone@example.com",
    toAddresses: ["desk@example.com"],
    createdAt: at,
    authorAgent: null,
    authorCustomer: null,
    attachments: [{ id: "a1", filename: "label.pdf", contentType: "application/pdf", size: 10 }],
  };
  it("falls back to the sender's address for a message with no known customer", () => {
    expect(messageObject(42, row)).toMatchObject({
      uri: "/api/tickets/42/messages/m1/",
      from_agent: false,
      public: true,
      sender: { id: null, email: "someone@example.com" },
      attachments: [{ name: "label.pdf", content_type: "application/pdf" }],
    });
  });
  it("makes an internal note a non-public message from an agent", () => {
    const note = messageObject(42, {
      ...row,
      kind: "internal_note",
      authorAgent: { id: "g", name: "Mia", email: "m@x" },
    });
    expect(note).toMatchObject({ from_agent: true, public: false, sender: { name: "Mia" } });
  });
});

describe("MessageCreateSchema", () => {
  it("is the customer's message unless from_agent; an agent's is a reply, or a note when not public", () => {
    expect(MessageCreateSchema.parse({ body_text: "Hi" })).toEqual({
      body: "Hi",
      kind: "customer_message",
      sender: null,
    });
    const sender = { email: "mia@maple.example" };
    expect(MessageCreateSchema.parse({ body_text: "Hi", from_agent: true, sender }).kind).toBe("agent_reply");
    expect(MessageCreateSchema.parse({ body_text: "Hi", from_agent: true, public: false, sender }).kind).toBe(
      "internal_note",
    );
    expect(
      MessageCreateSchema.parse({ body_text: "Hi", from_agent: true, channel: "internal-note", sender }).kind,
    ).toBe("internal_note");
  });

  it("needs the agent as sender for an agent's message, and refuses a customer's note", () => {
    const paths = (value: unknown) =>
      MessageCreateSchema.safeParse(value).error?.issues.map((issue) => issue.path.join("."));
    expect(paths({ body_text: "Hi", from_agent: true })).toEqual(["sender"]);
    expect(paths({ body_text: "Hi", public: false })).toEqual(["public"]);
    expect(paths({ body_text: "Hi", from_agent: true, sender: {} })).toEqual(["sender"]);
  });
});

describe("TicketUpdateSchema", () => {
  it("keeps only what is sent, collapses the subject's spaces and refuses open with a snooze", () => {
    expect(TicketUpdateSchema.parse({ subject: "  A   b " })).toEqual({ subject: "A b" });
    expect(TicketUpdateSchema.parse({ tags: [{ name: " VIP " }] })).toEqual({ tags: [{ name: "vip" }] });
    const refused = TicketUpdateSchema.safeParse({ status: "open", snooze_datetime: "2030-01-01T00:00:00Z" });
    expect(refused.error?.issues.map((issue) => issue.path.join("."))).toEqual(["snooze_datetime"]);
  });

  it("refuses an assignee named by an empty id, which would name no one (and must not match any agent)", () => {
    const refused = TicketUpdateSchema.safeParse({ assignee_user: { id: "" } });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => issue.path.join("."))).toEqual(["assignee_user.id"]);
    expect(MessageCreateSchema.safeParse({ body_text: "Hi", from_agent: true, sender: { id: "" } }).success).toBe(
      false,
    );
  });
});
