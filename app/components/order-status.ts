import { SHOPPER_ORDER_STATUS_LABELS_EN, SHOPPER_ORDER_STATUSES, type ShopperOrderStatus } from "~/domain/order-status";

/** The Polaris Badge tones this app uses (a subset of BadgeProps["tone"], kept plain for unit tests). */
export type BadgeTone = "info" | "success" | "attention" | "warning" | "critical" | undefined;

/**
 * Tone by what the agent has to do about it: problems are critical or warning, work still to do is
 * attention, parcels on their way are info, done is success; closed ones (cancelled, refunded) stay
 * neutral so they do not compete with live orders.
 */
export const ORDER_STATUS_TONE: Record<ShopperOrderStatus, BadgeTone> = {
  unfulfilled: "attention",
  processing_fulfillment: "info",
  pending_delivery: "info",
  in_transit: "info",
  out_for_delivery: "info",
  attempted_delivery: "warning",
  ready_for_pickup: "info",
  delivered: "success",
  failed_delivery: "critical",
  cancelled: undefined,
  partially_refunded: "warning",
  refunded: undefined,
};

const isShopperStatus = (status: string): status is ShopperOrderStatus =>
  (SHOPPER_ORDER_STATUSES as readonly string[]).includes(status);

/** Badge content for a stored shopper status; an unknown key (newer data, older code) shows as-is, neutral. */
export function orderStatusBadge(status: string, label?: string | null): { tone: BadgeTone; label: string } {
  if (!isShopperStatus(status)) return { tone: undefined, label: label || status };
  return { tone: ORDER_STATUS_TONE[status], label: label || SHOPPER_ORDER_STATUS_LABELS_EN[status] };
}
