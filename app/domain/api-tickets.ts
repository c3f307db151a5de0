import { z } from "zod";
import { apiDatetime } from "./api-resources";
import { MAX_SUBJECT_LENGTH, messageBodySchema, tagSchema, MAX_TAGS } from "./tickets";
import { TICKET_PRIORITIES } from "./ticket-labels";

// The REST API's ticket and message objects, shaped like the anchor's (a subset: the fields
// Shopdesk has). A ticket's `id` is its number in the workspace (#1042 → 1042): numeric as the
// anchor's clients expect, and what agents see.

export interface ApiTicketRow {
  number: number;
  channel: string;
  subject: string;
  status: string;
  snoozedUntil: Date | null;
  priority: string;
  tags: string[];
  messageCount: number;
  createdAt: Date;
  updatedAt: Date;
  lastMessageAt: Date;
  lastCustomerMessageAt: Date | null;
  closedAt: Date | null;
  customer: { id: string; name: string | null; emails: string[] } | null;
  assignee: { id: string; name: string; email: string } | null;
}

export const ticketUri = (number: number) => `/api/tickets/${number}/`;

const person = (customer: ApiTicketRow["customer"]) =>
  customer && { id: customer.id, email: customer.emails[0] ?? null, name: customer.name };

export function ticketObject(row: ApiTicketRow) {
  return {
    id: row.number,
    uri: ticketUri(row.number),
    channel: row.channel,
    // The anchor has open and closed; a snoozed ticket is closed there until it wakes.
    status: row.status === "snoozed" ? "closed" : row.status,
    priority: row.priority,
    subject: row.subject,
    customer: person(row.customer),
    assignee_user: row.assignee && { id: row.assignee.id, email: row.assignee.email, name: row.assignee.name },
    tags: row.tags.map((name) => ({ name })),
    messages_count: row.messageCount,
    created_datetime: apiDatetime(row.createdAt),
    updated_datetime: apiDatetime(row.updatedAt),
    last_message_datetime: apiDatetime(row.lastMessageAt),
    last_received_message_datetime: apiDatetime(row.lastCustomerMessageAt),
    closed_datetime: apiDatetime(row.closedAt),
    snooze_datetime: apiDatetime(row.status === "snoozed" ? row.snoozedUntil : null),
  };
}

export interface ApiMessageRow {
  id: string;
  kind: "customer_message" | "agent_reply" | "internal_note";
  channel: string;
  body: string;
  fromAddress: string | null;
  toAddresses: string[];
  createdAt: Date;
  authorAgent: { id: string; name: string; email: string } | null;
  authorCustomer: { id: string; name: string | null; emails: string[] } | null;
  attachments: { id: string; filename: string; contentType: string; size: number }[];
}

export function messageObject(ticketNumber: number, row: ApiMessageRow) {
  const fromAgent = row.kind !== "customer_message";
  return {
    id: row.id,
    uri: `${ticketUri(ticketNumber)}messages/${row.id}/`,
    ticket_id: ticketNumber,
    channel: row.channel,
    from_agent: fromAgent,
    // Internal notes are the anchor's non-public messages.
    public: row.kind !== "internal_note",
    sender: fromAgent
      ? row.authorAgent && { id: row.authorAgent.id, email: row.authorAgent.email, name: row.authorAgent.name }
      : (person(row.authorCustomer) ?? (row.fromAddress ? { id: null, email: row.fromAddress, name: null } : null)),
    receiver_addresses: row.toAddresses,
    body_text: row.body,
    attachments: row.attachments.map((file) => ({
      id: file.id,
      name: file.filename,
      content_type: file.contentType,
      size: file.size,
    })),
    created_datetime: apiDatetime(row.createdAt),
  };
}

/**
 * POST /api/tickets, as the anchor's clients send it: the customer by email, the first message in
 * `messages` (from the customer), tags as `[{name}]`. The channel is always `api`.
 */
export const TicketCreateSchema = z.object({
  customer: z.object(
    {
      email: z.email("customer.email must be an email address").max(320),
      name: z.string().trim().max(200).optional(),
      firstname: z.string().trim().max(100).optional(),
      lastname: z.string().trim().max(100).optional(),
    },
    "customer is required (an object with an email)",
  ),
  subject: z
    .string("subject must be a string")
    .max(MAX_SUBJECT_LENGTH, `subject is at most ${MAX_SUBJECT_LENGTH} characters`)
    .nullable()
    .optional(),
  priority: z.enum(TICKET_PRIORITIES, `priority must be one of ${TICKET_PRIORITIES.join(", ")}`).optional(),
  tags: z
    .array(z.object({ name: tagSchema }), "tags must be a list of {name}")
    .max(MAX_TAGS, `at most ${MAX_TAGS} tags`)
    .default([]),
  messages: z
    .array(
      z.object({
        body_text: messageBodySchema,
        // An agent's first message needs an agent to write it: not through the API yet.
        from_agent: z
          .literal(false, "from_agent must be false: a ticket through the API starts with the customer's message")
          .default(false),
      }),
      "messages must be a list",
    )
    .length(1, "messages must hold exactly the first message"),
});
export type TicketCreate = z.infer<typeof TicketCreateSchema>;
