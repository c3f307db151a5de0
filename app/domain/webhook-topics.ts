// What Shopify told us, in the merchant's words: the Activity page and the home page's system status
// never show a raw topic ("orders/updated") or a bare status ("skipped").

const TOPIC_LABELS: Record<string, string> = {
  "app/uninstalled": "App uninstalled",
  "app/scopes_update": "App permissions changed",
  "orders/create": "New order",
  "orders/updated": "Order updated",
  "orders/cancelled": "Order cancelled",
  "orders/fulfilled": "Order fulfilled",
  "orders/partially_fulfilled": "Order partly fulfilled",
  "orders/edited": "Order edited",
  "fulfillments/create": "Shipment created",
  "fulfillments/update": "Shipment updated",
  "fulfillment_events/create": "Carrier tracking update",
  "refunds/create": "Refund issued",
  "returns/approve": "Return approved",
  "returns/decline": "Return declined",
  "returns/close": "Return closed",
  "returns/cancel": "Return cancelled",
  "customers/create": "New customer",
  "customers/update": "Customer updated",
  "customers/delete": "Customer deleted",
  "customers/data_request": "Customer data request",
  "customers/redact": "Customer data erasure",
  "shop/redact": "Store data erasure",
};

/** "orders/updated" → "Order updated"; a topic we do not know yet → its words ("Inventory levels update"). */
export function webhookTopicLabel(topic: string | null | undefined): string {
  if (!topic) return "Update from Shopify";
  const known = TOPIC_LABELS[topic];
  if (known) return known;
  const words = topic.replace(/[/_]+/g, " ").trim().toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : "Update from Shopify";
}

export type WebhookStatus = "received" | "processed" | "skipped" | "failed";

/** A delivery's state with the reason a merchant needs, never a bare "skipped". */
export const WEBHOOK_STATUS_WORDS: Record<WebhookStatus, { label: string; explanation: string }> = {
  processed: { label: "Applied", explanation: "Shopdesk updated its copy." },
  skipped: {
    label: "No change needed",
    explanation: "Shopdesk already had this version or a newer one (Shopify sometimes sends a change twice).",
  },
  received: { label: "Waiting", explanation: "Shopdesk will apply it in a moment." },
  failed: { label: "Not applied", explanation: "Shopdesk could not apply it and will try again." },
};

/** A privacy request and what Shopdesk did about it. */
export function privacyRequestLabel(topic: string, done: boolean): string {
  const what = webhookTopicLabel(topic);
  if (!done) return `${what}: in progress`;
  if (topic === "customers/data_request") return `${what}: report prepared`;
  return `${what}: done`;
}
