import type { z } from "zod";
import { logger } from "~/lib/logger.server";

/** The part of the library's admin context we use; lets jobs pass an unauthenticated client too. */
export interface AdminGraphqlClient {
  graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly details: unknown,
  ) {
    super(message);
    this.name = "AdminApiError";
  }
}

/**
 * Runs one document and parses `data` with its zod schema, so a schema drift on Shopify's side
 * fails loudly here instead of as an undefined deep inside a page.
 */
export async function runAdminQuery<T extends z.ZodType>(
  admin: AdminGraphqlClient,
  document: string,
  resultSchema: T,
  variables?: Record<string, unknown>,
): Promise<z.infer<T>> {
  const response = await admin.graphql(document, variables ? { variables } : undefined);
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  if (body.errors) throw new AdminApiError("Admin API returned errors", body.errors);
  const parsed = resultSchema.safeParse(body.data);
  if (!parsed.success) {
    logger.error("Admin API response did not match the expected shape", { issues: parsed.error.issues });
    throw new AdminApiError("Unexpected Admin API response shape", parsed.error.issues);
  }
  return parsed.data;
}
