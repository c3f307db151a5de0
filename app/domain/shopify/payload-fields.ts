import { z } from "zod";
import { normalizeDecimal } from "./money";
import { toUtcIso } from "./values";

// Zod building blocks shared by the REST and GraphQL payload schemas.

export const gid = z.string().regex(/^gid:\/\/shopify\/\w+\/\d+/, "expected a Shopify GID");
export const restNumericId = z.union([z.number(), z.string().regex(/^\d+$/)]);
export const timestamp = z.string().transform((value, context) => {
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    context.addIssue({ code: "custom", message: `not a timestamp: ${value}` });
    return z.NEVER;
  }
  return toUtcIso(value);
});
export const optionalTimestamp = timestamp.nullish().transform((value) => value ?? null);
export const optionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? null);
export const decimal = z.union([z.string(), z.number()]).transform((value, context) => {
  try {
    return normalizeDecimal(value);
  } catch {
    context.addIssue({ code: "custom", message: `not a decimal amount: ${value}` });
    return z.NEVER;
  }
});
