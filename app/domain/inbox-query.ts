import { z } from "zod";
import { storableString } from "~/lib/storable-text";
import { TICKET_CHANNELS, TICKET_PRIORITIES } from "./tickets";

// What the inbox list can be asked for (its URL's query), checked once at the boundary.

export const INBOX_VIEWS = ["open", "unassigned", "mine", "snoozed", "closed", "all"] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

export const INBOX_VIEW_LABELS: Record<InboxView, string> = {
  open: "Open",
  unassigned: "Unassigned",
  mine: "Mine",
  snoozed: "Snoozed",
  closed: "Closed",
  all: "All",
};

export const INBOX_SORTS = ["last_message", "created", "priority"] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];

export const INBOX_SORT_LABELS: Record<InboxSort, string> = {
  last_message: "Last message",
  created: "Newest",
  priority: "Priority",
};

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z
    .string()
    .optional()
    .transform((value) => (value ? value : undefined))
    .pipe(z.enum(values, { error: message }).optional());

/** The inbox list's URL query. Unknown values are refused with a message, not ignored. */
export const InboxQuerySchema = z.object({
  view: optionalEnum(INBOX_VIEWS, "Choose one of the inbox views.").transform((view) => view ?? "open"),
  sort: optionalEnum(INBOX_SORTS, "Sort by last message, newest or priority.").transform(
    (sort) => sort ?? "last_message",
  ),
  channel: optionalEnum(TICKET_CHANNELS, "Choose one of the channels."),
  priority: optionalEnum(TICKET_PRIORITIES, "Choose one of the priorities."),
  assignee: z
    .string()
    .optional()
    .transform((value) => value || undefined)
    .pipe(z.union([z.literal("none"), z.string().uuid("Choose one of the agents.")]).optional()),
  tag: storableString()
    .trim()
    .toLowerCase()
    .max(40, "A tag is at most 40 characters.")
    .optional()
    .transform((value) => value || undefined),
  q: storableString()
    .trim()
    .max(200, "Search for at most 200 characters.")
    .optional()
    .transform((value) => value || undefined),
  after: z.string().max(400).optional(),
  before: z.string().max(400).optional(),
});
export type InboxQuery = z.infer<typeof InboxQuerySchema>;

/** "#1001", "1001" → "#1001" when the search looks like an order number, else null. */
export function orderNameSearch(q: string): string | null {
  const match = /^#?(\d{1,12})$/.exec(q.trim());
  return match ? `#${match[1]}` : null;
}
