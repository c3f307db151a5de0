// What an agent reply's delivery columns mean to a person (docs/decisions/018-email-out.md), for
// the ticket page: one place that reads pending-with-an-error as "retrying".

export type ReplyDeliveryState =
  /** Queued or being sent. */
  | { state: "sending" }
  /** An attempt failed; another is scheduled. `error` is the server's words. */
  | { state: "retrying"; error: string; attempts: number }
  | { state: "sent" }
  /** No attempt left: a person retries (retryReplyNow). */
  | { state: "failed"; error: string; attempts: number }
  /** Not an agent reply. */
  | { state: "none" };

export function replyDeliveryState(entry: {
  deliveryStatus: "pending" | "sent" | "failed" | null;
  deliveryError: string | null;
  deliveryAttempts: number;
}): ReplyDeliveryState {
  const { deliveryStatus: status, deliveryError: error, deliveryAttempts: attempts } = entry;
  if (status === "sent") return { state: "sent" };
  if (status === "failed") return { state: "failed", error: error ?? "The reply could not be sent.", attempts };
  if (status === "pending") return error ? { state: "retrying", error, attempts } : { state: "sending" };
  return { state: "none" };
}
