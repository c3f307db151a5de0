import type { z } from "zod";
import { fieldErrorsOf, type FieldErrors } from "./form-errors";
import { readBodyWithLimit } from "./request-body.server";

/**
 * The app's forms are a few fields; the longest is a customer note (5,000 characters, at most
 * ~60 KB URL-encoded). Anything far larger is not one of our forms, and is refused before it is
 * held in memory: Remix's request.formData() has no limit of its own.
 */
export const MAX_FORM_BYTES = 256 * 1024;

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

export type FormResult<T> =
  | { ok: true; data: T }
  /** `fields`: what the form held, when it could be read (e.g. to tell which form was refused). */
  | { ok: false; status: 400 | 413; errors: FieldErrors; fields: Record<string, FormDataEntryValue> };

/**
 * Reads an action's form and parses it with its schema. Every way a request can fail to be the
 * form (another content type, a broken multipart body, too large, invalid fields) is a value the
 * route answers with a 4xx, instead of request.formData() throwing into a 500. `what` names the
 * form in messages: "Send the note as a form…".
 */
export async function readForm<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  what: string,
): Promise<FormResult<z.output<Schema>>> {
  const refuse = (status: 400 | 413, message: string): FormResult<never> => ({
    ok: false,
    status,
    errors: { form: [message] },
    fields: {},
  });
  const contentType = request.headers.get("content-type") ?? "";
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  if (!FORM_TYPES.includes(mediaType)) {
    const sent = mediaType ? `this request sent ${mediaType}` : "this request sent no form";
    return refuse(
      400,
      `Send the ${what} as a form (application/x-www-form-urlencoded or multipart/form-data); ${sent}.`,
    );
  }

  const body = await readBodyWithLimit(request, MAX_FORM_BYTES);
  if (!body.ok)
    return refuse(413, `This ${what} form is too large: Shopdesk accepts forms up to ${MAX_FORM_BYTES / 1024} KB.`);

  let form: FormData;
  try {
    form = await new Response(body.bytes, { headers: { "content-type": contentType } }).formData();
  } catch {
    return refuse(
      400,
      `Send the ${what} as a form: this ${mediaType} body could not be read (cut short, or its boundary is wrong).`,
    );
  }
  const fields = Object.fromEntries(form);
  const parsed = schema.safeParse(fields);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, status: 400, errors: fieldErrorsOf(parsed.error), fields };
}
