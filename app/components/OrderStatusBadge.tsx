import { Badge } from "@shopify/polaris";
import { orderStatusBadge } from "./order-status";

export function OrderStatusBadge({ status, label }: { status: string; label?: string | null }) {
  const badge = orderStatusBadge(status, label);
  return <Badge tone={badge.tone}>{badge.label}</Badge>;
}
