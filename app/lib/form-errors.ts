import type { z } from "zod";

/** Field errors keyed by field name, as actions return them with a 400; `form` is the request as a whole. */
export type FieldErrors = Partial<Record<string, string[]>>;

/** A zod error as field errors: each issue under its top-level field, issues about the whole input under `form`. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : "form";
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}
