import { z } from "zod";
import { storableString } from "~/lib/storable-text";
import { DECIDABLE_KINDS, describeDecision } from "./portal-decisions";

// What a ticket is and what can happen to it, without the database: the values a ticket's fields
// take, the system events its thread records, and the rules for changing them. The model
// (app/models/ticket.server.ts) stores them; the inbox and the portal read them.

export {
  CHANNEL_LABELS,
  PRIORITY_LABELS,
  STATUS_LABELS,
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketChannel,
  type TicketPriority,
  type TicketStatus,
} from "./ticket-labels";
import { CHANNEL_LABELS, PRIORITY_LABELS, TICKET_CHANNELS, TICKET_PRIORITIES, TICKET_STATUSES } from "./ticket-labels";

/** Longest subject kept; longer ones (a pasted email) are cut at a word. */
export const MAX_SUBJECT_LENGTH = 200;
/** Longest message body accepted from a person (a reply, a note): 64 KiB of text. */
export const MAX_MESSAGE_LENGTH = 64 * 1024;
export const MAX_TAG_LENGTH = 40;
export const MAX_TAGS = 20;

/**
 * A subject to show in the inbox: whitespace collapsed, cut at MAX_SUBJECT_LENGTH (at a word when
 * one ends near the limit), or made from the first message when there is none.
 */
export function ticketSubject(subject: string | null | undefined, firstMessage = ""): string {
  const collapse = (text: string) => text.replace(/\s+/g, " ").trim();
  const chosen = collapse(subject ?? "") || collapse(firstMessage) || "(no subject)";
  if (chosen.length <= MAX_SUBJECT_LENGTH) return chosen;
  const cut = chosen.slice(0, MAX_SUBJECT_LENGTH - 1);
  const lastSpace = cut.lastIndexOf(" ");
  return `${lastSpace > MAX_SUBJECT_LENGTH * 0.6 ? cut.slice(0, lastSpace) : cut}…`;
}

/** A tag as stored: trimmed, lower-cased, inner whitespace collapsed. */
export const normalizeTag = (tag: string) => tag.trim().replace(/\s+/g, " ").toLowerCase();

/** Tags as stored: normalised, without empties or repeats, sorted (so equal sets compare equal). */
export const normalizeTags = (tags: readonly string[]) =>
  [...new Set(tags.map(normalizeTag).filter((tag) => tag.length > 0))].sort();

export const tagSchema = storableString()
  .transform(normalizeTag)
  .pipe(
    z
      .string()
      .min(1, "A tag cannot be empty.")
      .max(MAX_TAG_LENGTH, `A tag is at most ${MAX_TAG_LENGTH} characters.`)
      .refine((tag) => !tag.includes(","), "A tag cannot contain a comma."),
  );

export const tagsSchema = z
  .array(tagSchema)
  .max(MAX_TAGS, `A ticket has at most ${MAX_TAGS} tags.`)
  .transform((tags) => normalizeTags(tags));

/** Text a person wrote for the thread (a reply or a note): refused, not altered, when unusable. */
export const messageBodySchema = storableString({ error: "Write a message first." })
  .refine((body) => body.trim().length > 0, "Write a message first.")
  .refine(
    (body) => body.length <= MAX_MESSAGE_LENGTH,
    `A message is at most ${MAX_MESSAGE_LENGTH / 1024} KiB of text; split it or attach a file.`,
  );

/** The system events of a thread: what changed, from what, to what. */
export const ticketEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("created"), channel: z.enum(TICKET_CHANNELS) }),
  z.object({
    type: z.literal("status_changed"),
    from: z.enum(TICKET_STATUSES),
    to: z.enum(TICKET_STATUSES),
    /** For a snooze: until when (ISO). */
    until: z.string().nullable(),
    /** True when the snooze ran out or a customer wrote (no agent did it). */
    automatic: z.boolean(),
  }),
  z.object({
    type: z.literal("assigned"),
    fromAgentId: z.string().nullable(),
    toAgentId: z.string().nullable(),
    /** Names at the time, so the thread still reads right after an agent leaves. */
    fromName: z.string().nullable(),
    toName: z.string().nullable(),
  }),
  z.object({ type: z.literal("tags_changed"), added: z.array(z.string()), removed: z.array(z.string()) }),
  z.object({ type: z.literal("priority_changed"), from: z.enum(TICKET_PRIORITIES), to: z.enum(TICKET_PRIORITIES) }),
  z.object({
    type: z.literal("customer_set"),
    fromCustomerId: z.string().nullable(),
    toCustomerId: z.string().nullable(),
    toName: z.string().nullable(),
  }),
  z.object({ type: z.literal("order_linked"), orderId: z.string(), orderName: z.string() }),
  z.object({ type: z.literal("order_unlinked"), orderId: z.string(), orderName: z.string() }),
  z.object({ type: z.literal("macro_applied"), macroId: z.string(), macroName: z.string() }),
  z.object({ type: z.literal("merged"), otherTicketNumber: z.number().int() }),
  /** The ticket's customer was merged into another profile (or that merge was undone). */
  z.object({
    type: z.literal("customer_merged"),
    fromName: z.string().nullable(),
    toName: z.string().nullable(),
    undone: z.boolean(),
  }),
  /** A live chat whose customer was changed goes on in a new ticket: each points at the other. */
  z.object({
    type: z.literal("continued"),
    direction: z.enum(["in", "from"]),
    otherTicketId: z.string(),
    otherTicketNumber: z.number().int(),
  }),
  /** A shopper's portal request decided: by an agent here (and done in Shopify), or in Shopify's admin. */
  z.object({
    type: z.literal("portal_request_decided"),
    kind: z.enum(DECIDABLE_KINDS),
    outcome: z.enum(["approved", "declined", "done"]),
    orderName: z.string(),
    returnName: z.string().nullable(),
    via: z.enum(["agent", "shopify"]),
  }),
  /** An agent ran a sidebar widget's custom action: the server sent its request and got this. */
  z.object({
    type: z.literal("widget_action_run"),
    integrationName: z.string(),
    actionLabel: z.string(),
    /** The partner answered 2xx. */
    ok: z.boolean(),
    /** The HTTP status, when an answer came. */
    status: z.number().int().nullable(),
    /** Why it did not succeed, in words (refused address, timeout, the partner's error). */
    error: z.string().nullable(),
    /** What a successful answer said, when it said it in words (a link to send, a message). */
    detail: z.string().nullable().optional(),
  }),
]);
export type TicketEvent = z.infer<typeof ticketEventSchema>;

/** One line an agent reads in the thread for a system event; `actor` is the agent who did it, if any. */
export function describeTicketEvent(event: TicketEvent, actor: { id: string; name: string } | null): string {
  const who = actor?.name ?? "Shopdesk";
  switch (event.type) {
    case "created":
      return `${who} opened this ticket (${CHANNEL_LABELS[event.channel]})`;
    case "status_changed":
      if (event.to === "snoozed") return `${who} snoozed this ticket${event.until ? ` until ${event.until}` : ""}`;
      if (event.automatic && event.from === "snoozed") return "The snooze ended; the ticket is open again";
      if (event.automatic) return "The customer wrote again; the ticket is open again";
      return event.to === "closed" ? `${who} closed this ticket` : `${who} reopened this ticket`;
    case "assigned":
      if (!event.toAgentId) return `${who} unassigned ${event.fromName ?? "this ticket"}`;
      return actor && event.toAgentId === actor.id
        ? `${who} took this ticket`
        : `${who} assigned this ticket to ${event.toName ?? "an agent"}`;
    case "tags_changed": {
      const parts = [
        event.added.length > 0 ? `added ${event.added.map((tag) => `"${tag}"`).join(", ")}` : null,
        event.removed.length > 0 ? `removed ${event.removed.map((tag) => `"${tag}"`).join(", ")}` : null,
      ].filter(Boolean);
      return `${who} ${parts.join(" and ")}`;
    }
    case "priority_changed":
      return `${who} changed the priority from ${PRIORITY_LABELS[event.from]} to ${PRIORITY_LABELS[event.to]}`;
    case "customer_set":
      return event.toCustomerId
        ? `${who} set the customer to ${event.toName ?? "another customer"}`
        : `${who} removed the customer`;
    case "order_linked":
      return `${who} linked order ${event.orderName}`;
    case "order_unlinked":
      return `${who} unlinked order ${event.orderName}`;
    case "macro_applied":
      return `${who} applied the macro "${event.macroName}"`;
    case "merged":
      return `${who} merged ticket #${event.otherTicketNumber} into this one`;
    case "customer_merged":
      return event.undone
        ? `${who} undid the merge: the customer is ${event.toName ?? "the earlier profile"} again`
        : `${who} merged the customer ${event.fromName ?? "profile"} into ${event.toName ?? "another profile"}`;
    case "continued":
      return event.direction === "in"
        ? `This chat continues in ticket #${event.otherTicketNumber}`
        : `Continued from ticket #${event.otherTicketNumber} after the customer was changed`;
    case "portal_request_decided":
      return describeDecision({ ...event, who: actor?.name ?? null });
    case "widget_action_run": {
      const what = `${who} ran "${event.actionLabel}" (${event.integrationName})`;
      if (event.ok) return `${what}: done (HTTP ${event.status})${event.detail ? `: ${event.detail}` : ""}`;
      return `${what}: it failed${event.status ? ` (HTTP ${event.status})` : ""}${event.error ? ` — ${event.error}` : ""}`;
    }
  }
}

/** How long a snooze may be: at least a minute from now, at most a year. */
export function snoozeProblem(until: Date, now: Date): string | null {
  if (Number.isNaN(until.getTime())) return "Choose when the ticket should wake up.";
  if (until.getTime() < now.getTime() + 60_000) return "Choose a time at least a minute from now.";
  if (until.getTime() > now.getTime() + 366 * 24 * 3600_000) return "Choose a time within the next year.";
  return null;
}

/** The tags added and removed going from `before` to `after` (both normalised). */
export function tagChanges(before: readonly string[], after: readonly string[]) {
  return {
    added: after.filter((tag) => !before.includes(tag)),
    removed: before.filter((tag) => !after.includes(tag)),
  };
}
