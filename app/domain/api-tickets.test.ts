import { describe, expect, it } from "vitest";
import { messageObject, ticketObject, type ApiMessageRow, type ApiTicketRow } from "./api-tickets";

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
