import { z } from "zod";
import { storableString } from "~/lib/storable-text";
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

const subjectSchema = storableString("subject must be a string").max(
  MAX_SUBJECT_LENGTH,
  `subject is at most ${MAX_SUBJECT_LENGTH} characters`,
);
const prioritySchema = z.enum(TICKET_PRIORITIES, `priority must be one of ${TICKET_PRIORITIES.join(", ")}`);
const tagListSchema = z
  .array(z.object({ name: tagSchema }, "each tag is an object with a name"), "tags must be a list of {name}")
  .max(MAX_TAGS, `at most ${MAX_TAGS} tags`);

/**
 * POST /api/tickets, as the anchor's clients send it: the customer by email, the first message in
 * `messages` (from the customer), tags as `[{name}]`. The channel is always `api`.
 */
export const TicketCreateSchema = z.object({
  customer: z.object(
    {
      email: z.email("customer.email must be an email address").max(320),
      name: storableString("name must be a string").trim().max(200).optional(),
      firstname: storableString("firstname must be a string").trim().max(100).optional(),
      lastname: storableString("lastname must be a string").trim().max(100).optional(),
    },
    "customer is required (an object with an email)",
  ),
  subject: subjectSchema.nullable().optional(),
  priority: prioritySchema.optional(),
  tags: tagListSchema.default([]),
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

/** Someone of the workspace named in a body: by the email they sign in with, or (agents) their id. */
const personRef = (field: string) =>
  z
    .object(
      {
        id: z.string(`${field}.id must be a string`).min(1, `${field}.id cannot be empty`).max(100).optional(),
        email: z.email(`${field}.email must be an email address`).max(320).optional(),
      },
      `${field} must be an object with an email`,
    )
    .refine((ref) => ref.id !== undefined || ref.email !== undefined, `${field} needs an email (or an id)`);

/**
 * POST /api/tickets/<number>/messages. An API key is no person: a message is either the ticket's
 * customer writing (`from_agent: false`, the default; the ticket opens again as when they write by
 * its channel), or an agent of the workspace named in `sender` replying (sent to the customer by
 * the ticket's channel) or, with `public: false` or the anchor's `channel: "internal-note"`,
 * leaving an internal note.
 */
export const MessageCreateSchema = z
  .object({
    body_text: messageBodySchema,
    from_agent: z.boolean("from_agent must be true or false").default(false),
    public: z.boolean("public must be true or false").default(true),
    channel: z.string("channel must be a string").max(64).optional(),
    sender: personRef("sender").optional(),
  })
  .superRefine((message, context) => {
    const note = !message.public || message.channel === "internal-note";
    if (message.from_agent && !message.sender) {
      context.addIssue({
        code: "custom",
        path: ["sender"],
        message: "sender is required for an agent's message: the email of the agent who writes it",
      });
    }
    if (!message.from_agent && note) {
      context.addIssue({
        code: "custom",
        path: ["public"],
        message: "an internal note is written by an agent: send from_agent true with the agent as sender",
      });
    }
  })
  .transform((message) => ({
    body: message.body_text,
    kind: !message.from_agent
      ? ("customer_message" as const)
      : !message.public || message.channel === "internal-note"
        ? ("internal_note" as const)
        : ("agent_reply" as const),
    sender: message.sender ?? null,
  }));
export type MessageCreate = z.infer<typeof MessageCreateSchema>;

/**
 * PUT /api/tickets/<number>: only what is sent changes. `status` is the anchor's open or closed;
 * `snooze_datetime` (with status closed, or alone) snoozes until then; `assignee_user` is an
 * agent of the workspace by email or id, or null to unassign.
 */
export const TicketUpdateSchema = z
  .object({
    status: z.enum(["open", "closed"], "status must be open or closed").optional(),
    snooze_datetime: z.iso
      .datetime({ offset: true, message: "snooze_datetime must be an ISO-8601 datetime" })
      .transform((value) => new Date(value))
      .nullable()
      .optional(),
    priority: prioritySchema.optional(),
    tags: tagListSchema.optional(),
    subject: subjectSchema
      .transform((value) => value.replace(/\s+/g, " ").trim())
      .pipe(z.string().min(1, "subject cannot be empty"))
      .optional(),
    assignee_user: personRef("assignee_user").nullable().optional(),
  })
  .superRefine((update, context) => {
    if (update.snooze_datetime && update.status === "open") {
      context.addIssue({
        code: "custom",
        path: ["snooze_datetime"],
        message: "a ticket is snoozed or open, not both: leave out status or snooze_datetime",
      });
    }
  });
export type TicketUpdate = z.infer<typeof TicketUpdateSchema>;
