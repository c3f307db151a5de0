import { z } from "zod";
import { storableString } from "~/lib/storable-text";
import { apiDatetime, ListQuerySchema } from "./api-resources";

// The REST API's customer object, shaped like the anchor's Customer: the fields Shopdesk keeps.
// A customer's id is its uuid (clients read it from our answers, never build it). The anchor's
// `integrations` holds each HTTP integration's last answer for the customer, keyed by the
// integration's id, which is what the sidebar's widgets render.

export interface ApiCustomerRow {
  id: string;
  name: string | null;
  emails: string[];
  phones: string[];
  note: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const customerUri = (id: string) => `/api/customers/${id}/`;

/** First name and the rest: Shopdesk keeps one name, the anchor shows the two parts beside it. */
export function nameParts(name: string | null) {
  const words = (name ?? "").trim().split(/\s+/).filter(Boolean);
  return { firstname: words[0] ?? "", lastname: words.slice(1).join(" ") };
}

export function customerObject(row: ApiCustomerRow, integrations: Record<string, unknown> = {}) {
  return {
    id: row.id,
    email: row.emails[0] ?? null,
    name: row.name,
    ...nameParts(row.name),
    channels: [
      ...row.emails.map((address, index) => ({ type: "email", address, preferred: index === 0 })),
      ...row.phones.map((address, index) => ({ type: "phone", address, preferred: index === 0 })),
    ],
    note: row.note,
    integrations,
    created_datetime: apiDatetime(row.createdAt),
    updated_datetime: apiDatetime(row.updatedAt),
    uri: customerUri(row.id),
  };
}

// ---- Lists: customers page by creation time, then id (their ids are uuids, not in order) ------------

export interface CustomerCursor {
  at: Date;
  id: string;
}

export const encodeCustomerCursor = (cursor: CustomerCursor) =>
  Buffer.from(`c:${cursor.at.toISOString()}|${cursor.id}`, "utf8").toString("base64url");

export function decodeCustomerCursor(value: string): CustomerCursor | null {
  const match = /^c:(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\|([0-9a-f-]{36})$/.exec(
    Buffer.from(value, "base64url").toString("utf8"),
  );
  const at = match ? new Date(match[1]!) : null;
  return at && !Number.isNaN(at.getTime()) ? { at, id: match![2]! } : null;
}

export const CustomerListQuerySchema = z.object({
  cursor: z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === "") return null;
      const cursor = decodeCustomerCursor(value);
      if (!cursor) context.addIssue({ code: "custom", message: "This cursor is not one the API gave out." });
      return cursor;
    }),
  limit: ListQuerySchema.shape.limit,
  order_by: ListQuerySchema.shape.order_by,
  email: z
    .email("email must be an email address")
    .max(320)
    .transform((email) => email.trim().toLowerCase())
    .optional(),
});
export type CustomerListQuery = z.infer<typeof CustomerListQuerySchema>;

// ---- Bodies ---------------------------------------------------------------------------------------

const email = z
  .email("email must be an email address")
  .max(320, "email must be at most 320 characters")
  .transform((value) => value.trim().toLowerCase());
const namePart = (field: string, max: number) =>
  storableString(`${field} must be a string`).trim().max(max, `${field} must be at most ${max} characters`);

/** The stored name: `name` as sent, else firstname and lastname joined; null when none is given. */
function joinName(body: { name?: string | null; firstname?: string; lastname?: string }) {
  if (body.name !== undefined) return body.name?.trim() || null;
  if (body.firstname === undefined && body.lastname === undefined) return undefined;
  return [body.firstname, body.lastname].filter(Boolean).join(" ") || null;
}

const nameFields = {
  name: namePart("name", 200).nullable().optional(),
  firstname: namePart("firstname", 100).optional(),
  lastname: namePart("lastname", 100).optional(),
};

/**
 * POST /api/customers: an email (the anchor's customers are found by it) and a name. The note is
 * read-only here: it is kept in step with the customer's Shopify note, which only the admin writes.
 */
export const CustomerCreateSchema = z
  .object({ email, ...nameFields })
  .transform((body) => ({ email: body.email, name: joinName(body) ?? null }));
export type CustomerCreate = z.infer<typeof CustomerCreateSchema>;

/** PUT /api/customers/<id>: only what is sent changes; `email` becomes the primary address. */
export const CustomerUpdateSchema = z
  .object({ email: email.optional(), ...nameFields })
  .transform((body) => ({ email: body.email, name: joinName(body) }));
export type CustomerUpdate = z.infer<typeof CustomerUpdateSchema>;
