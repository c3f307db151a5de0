import { describe, expect, it } from "vitest";
import { EventListQuerySchema, eventObject } from "./api-events";

const at = new Date("2026-12-01T10:00:00.000Z");

describe("eventObject", () => {
  it("names a ticket by its number and gives the stored data snake_case keys, values as stored", () => {
    expect(
      eventObject({
        id: 12n,
        type: "ticket-updated",
        objectType: "Ticket",
        objectId: "1042",
        data: { changes: { snoozedUntil: [null, "2026-12-02T00:00:00"], tags: [["a"], ["a", "b"]] } },
        createdAt: at,
      }),
    ).toEqual({
      id: 12,
      type: "ticket-updated",
      object_type: "Ticket",
      object_id: 1042,
      data: { changes: { snoozed_until: [null, "2026-12-02T00:00:00"], tags: [["a"], ["a", "b"]] } },
      context: { ticket_id: 1042, ticket_uri: "/api/tickets/1042/" },
      created_datetime: "2026-12-01T10:00:00.000+00:00",
      uri: "/api/events/12/",
    });
  });

  it("keeps a message's id and finds its ticket in the data", () => {
    const event = eventObject({
      id: 13n,
      type: "ticket-message-created",
      objectType: "TicketMessage",
      objectId: "0b6d…",
      data: { ticketNumber: 7, fromAgent: true },
      createdAt: at,
    });
    expect(event).toMatchObject({ object_id: "0b6d…", data: { ticket_number: 7, from_agent: true } });
    expect(event.context).toEqual({ ticket_id: 7, ticket_uri: "/api/tickets/7/" });
  });
});

describe("EventListQuerySchema", () => {
  it("splits types on commas and refuses what is not an event type", () => {
    expect(EventListQuerySchema.parse({ types: "ticket-created, ticket-updated," }).types).toEqual([
      "ticket-created",
      "ticket-updated",
    ]);
    expect(EventListQuerySchema.parse({}).types).toEqual([]);
    expect(EventListQuerySchema.safeParse({ types: "DROP TABLE" }).success).toBe(false);
  });
});
