import { z } from "zod";
import { apiDatetime, BigIdListQuerySchema } from "./api-resources";
import { ticketUri } from "./api-tickets";

// The REST API's events feed: what happened in the workspace (the rows database triggers write
// into ApiEvent), newest first. Shaped like the anchor's Event: id, type, object_type, object_id,
// data, context, created_datetime, uri.

export const EVENT_OBJECT_TYPES = ["Ticket", "TicketMessage"] as const;

export interface ApiEventRow {
  id: bigint;
  type: string;
  objectType: string;
  objectId: string;
  data: unknown;
  createdAt: Date;
}

export const eventUri = (id: bigint | number) => `/api/events/${id}/`;

const snakeCase = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** The stored data with the API's snake_case keys (values, such as [from, to] pairs, as stored). */
function apiData(value: unknown): unknown {
  if (Array.isArray(value)) return value;
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [snakeCase(key), apiData(inner)]));
}

/** The ticket an event is about, by the number the API names tickets with. */
function ticketNumberOf(row: ApiEventRow): number | null {
  if (row.objectType === "Ticket") return /^\d+$/.test(row.objectId) ? Number(row.objectId) : null;
  const number = (row.data as { ticketNumber?: unknown } | null)?.ticketNumber;
  return typeof number === "number" ? number : null;
}

export function eventObject(row: ApiEventRow) {
  const ticketId = ticketNumberOf(row);
  return {
    id: Number(row.id),
    type: row.type,
    object_type: row.objectType,
    // A ticket's id is its number (as /api/tickets names it); a message's is its id.
    object_id: row.objectType === "Ticket" && ticketId !== null ? ticketId : row.objectId,
    data: apiData(row.data ?? null),
    context: ticketId === null ? null : { ticket_id: ticketId, ticket_uri: ticketUri(ticketId) },
    created_datetime: apiDatetime(row.createdAt),
    uri: eventUri(row.id),
  };
}

const EVENT_TYPE = /^[a-z][a-z0-9-]{0,63}$/;

export const EventListQuerySchema = BigIdListQuerySchema.extend({
  types: z
    .string("types must be a comma-separated list of event types")
    .optional()
    .transform((value, context) => {
      const types = (value ?? "")
        .split(",")
        .map((type) => type.trim())
        .filter(Boolean);
      if (types.some((type) => !EVENT_TYPE.test(type))) {
        context.addIssue({ code: "custom", message: "types are event types such as ticket-created, by commas" });
      }
      if (types.length > 20) context.addIssue({ code: "custom", message: "at most 20 types" });
      return types;
    }),
  object_type: z.enum(EVENT_OBJECT_TYPES, `object_type must be ${EVENT_OBJECT_TYPES.join(" or ")}`).optional(),
  object_id: z
    .string()
    .regex(/^[0-9A-Za-z-]{1,64}$/, "object_id must be a ticket's number or a message's id")
    .optional(),
});
export type EventListQuery = z.infer<typeof EventListQuerySchema>;
