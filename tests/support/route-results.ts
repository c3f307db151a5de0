import { expect } from "vitest";

// A route's loader or action called directly, as the integration tests do: its answer with the
// status Remix would send (`data(…, { status })` or a plain object), or the Response it threw.

/** The answer's status and body: `data(…, init)` carries its status, a plain object is a 200. */
export function unwrap(result: unknown): { status: number; body: Record<string, unknown> } {
  if (result && typeof result === "object" && (result as { type?: unknown }).type === "DataWithResponseInit") {
    const wrapped = result as { data: Record<string, unknown>; init: { status?: number } | null };
    return { status: wrapped.init?.status ?? 200, body: wrapped.data };
  }
  return { status: 200, body: result as Record<string, unknown> };
}

/** The status of the Response a loader or action threw (it must throw one). */
export async function thrownStatus(promise: Promise<unknown>) {
  const thrown = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(Response);
  return (thrown as Response).status;
}
