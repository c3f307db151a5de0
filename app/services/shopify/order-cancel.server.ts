import { z } from "zod";
import type { OrderCancelReason } from "~/domain/order-snapshot";
import {
  PAGE_LOAD_RETRY_POLICY,
  runAdminQuery,
  type AdminGraphqlClient,
  type AdminQueryOptions,
} from "./admin-graphql.server";
import { ORDER_CANCEL_MUTATION } from "./order-action-documents";
import {
  failureFromError,
  rejected,
  ShopifyUserErrorSchema,
  toGid,
  type ShopifyActionResult,
  type ShopifyUserError,
} from "./order-actions.server";

// A shopper's cancellation, carried out in Shopify when an agent approves it: orderCancel with the
// merchant's refund, restock and notification choices.

/** orderCancel's staffNote limit ("Maximum length of 255 characters"). */
export const STAFF_NOTE_MAX_LENGTH = 255;

export interface CancelOrderOptions {
  reason: OrderCancelReason;
  /** Pay back what the shopper paid, to the original payment methods (authorizations are voided either way). */
  refund: boolean;
  /** Put the order's items back in stock. */
  restock: boolean;
  /** Shopify emails the shopper about the cancellation (only if the order has an email). */
  notifyCustomer: boolean;
  /** For staff only, never shown to the shopper. */
  staffNote?: string | null;
}

const OrderCancelResultSchema = z.object({
  orderCancel: z.object({
    job: z.object({ id: z.string(), done: z.boolean() }).nullable(),
    orderCancelUserErrors: z.array(ShopifyUserErrorSchema),
  }),
});

/**
 * Shopify cancels in a background job: `jobId` can be polled (`job(id:) { done }`), and the order's
 * orders/cancelled webhook confirms it. `done` is whether it had finished when Shopify answered.
 */
export type CancelOrderResult = ShopifyActionResult<{ orderId: string; jobId: string; done: boolean }>;

const CANCEL_ACCESS = { doing: "cancel orders", scopes: "“Manage orders” (write_orders)" };

/** Cancels the order in Shopify; refusals come back as values (see describeCancelErrors). */
export async function cancelOrder(
  admin: AdminGraphqlClient,
  orderId: string,
  cancel: CancelOrderOptions,
  // An agent is waiting on the click: short retries, then an answer.
  options: AdminQueryOptions = { retry: PAGE_LOAD_RETRY_POLICY },
): Promise<CancelOrderResult> {
  const id = toGid("Order", orderId);
  const staffNote = cancel.staffNote?.trim() || null;
  if (staffNote && staffNote.length > STAFF_NOTE_MAX_LENGTH) {
    return rejected(`The staff note is longer than Shopify takes (${STAFF_NOTE_MAX_LENGTH} characters).`);
  }
  try {
    const data = await runAdminQuery(
      admin,
      ORDER_CANCEL_MUTATION,
      OrderCancelResultSchema,
      {
        orderId: id,
        reason: cancel.reason,
        // `refund: Boolean` is deprecated for this @oneOf input.
        refundMethod: { originalPaymentMethodsRefund: cancel.refund },
        restock: cancel.restock,
        notifyCustomer: cancel.notifyCustomer,
        staffNote,
      },
      options,
    );
    const { job, orderCancelUserErrors } = data.orderCancel;
    if (orderCancelUserErrors.length > 0 || !job) {
      return rejected(describeCancelErrors(orderCancelUserErrors), orderCancelUserErrors);
    }
    return { ok: true, orderId: id, jobId: job.id, done: job.done };
  } catch (error) {
    return failureFromError(error, CANCEL_ACCESS);
  }
}

/**
 * Shopify's OrderCancelUserErrors in words an agent can act on. Shopify gives one code (INVALID) for
 * every state that stops a cancel, so the message tells them apart; Shopify's own text otherwise.
 */
export function describeCancelErrors(userErrors: readonly ShopifyUserError[]): string {
  const [first] = userErrors;
  if (!first) return "Shopify didn't say what went wrong. Check the order in Shopify.";
  switch (first.code) {
    case "NOT_FOUND":
      return "Shopify no longer has this order (it may have been deleted).";
    case "NO_REFUND_PERMISSION":
    case "NO_REFUND_TO_STORE_CREDIT_PERMISSION":
      return "Shopify won't refund this order with Shopdesk's permissions. Cancel it without a refund and refund it in Shopify, or ask the store owner.";
    case "INVALID":
      if (/already/i.test(first.message) && /cancel/i.test(first.message))
        return "This order is already cancelled in Shopify.";
      if (/fulfil/i.test(first.message))
        return "Part of this order has already shipped, so Shopify won't cancel it. Cancel the shipment in Shopify first, or offer the shopper a return.";
      if (/return/i.test(first.message))
        return "This order has a return in progress. Close or decline the return in Shopify before cancelling the order.";
      return `Shopify refused to cancel the order: ${first.message}`;
    default:
      return `Shopify refused to cancel the order: ${first.message}`;
  }
}
