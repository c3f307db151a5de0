// The facts an agent or shopper relies on, read two independent ways: from the store emulator's
// own records (the truth) and from what Shopdesk stored. Sync tests compare the two.
import type { CustomerRecord, OrderRecord } from "../../dev/store-emulator/index.ts";
import type { ShopifyCustomerSnapshot, ShopifyOrderSnapshot } from "~/domain/shopify/snapshots";

const gid = (type: string, id: number | null) => (id === null ? null : `gid://shopify/${type}/${id}`);
const instant = (iso: string | null | undefined) => (iso ? new Date(iso).toISOString() : null);
const cents = (amount: string) => Math.round(Number(amount) * 100);
const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));

export function orderFactsFromEmulator(order: OrderRecord) {
  const lineTotal = order.lineItems.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0);
  return {
    id: gid("Order", order.id),
    name: order.name,
    email: order.email?.toLowerCase() ?? null,
    customerId: gid("Customer", order.customerId),
    createdAt: instant(order.createdAt),
    cancelledAt: instant(order.cancelledAt),
    totalCents: lineTotal + order.shippingCents,
    lineItems: byId(order.lineItems.map((item) => ({ id: gid("LineItem", item.id)!, quantity: item.quantity }))),
    fulfillments: byId(
      order.fulfillments.map((fulfillment) => ({
        id: gid("Fulfillment", fulfillment.id)!,
        trackingNumbers: fulfillment.trackingInfo.map((tracking) => tracking.number).sort(),
        events: byId(
          fulfillment.events.map((event) => ({ id: gid("FulfillmentEvent", event.id)!, status: event.status })),
        ),
      })),
    ),
    refunds: byId(order.refunds.map((refund) => ({ id: gid("Refund", refund.id)!, amountCents: refund.amountCents }))),
  };
}

export function orderFactsFromSnapshot(order: ShopifyOrderSnapshot) {
  return {
    id: order.id,
    name: order.name,
    email: order.email?.toLowerCase() ?? null,
    customerId: order.customerId,
    createdAt: instant(order.createdAt),
    cancelledAt: instant(order.cancelledAt),
    totalCents: cents(order.totalPrice.amount),
    lineItems: byId(order.lineItems.map((item) => ({ id: item.id, quantity: item.quantity }))),
    fulfillments: byId(
      order.fulfillments.map((fulfillment) => ({
        id: fulfillment.id,
        trackingNumbers: fulfillment.tracking.map((tracking) => tracking.number).sort(),
        events: byId(fulfillment.events.map((event) => ({ id: event.id, status: event.status }))),
      })),
    ),
    refunds: byId(order.refunds.map((refund) => ({ id: refund.id, amountCents: cents(refund.amount.amount) }))),
  };
}

export function customerFactsFromEmulator(customer: CustomerRecord) {
  return {
    id: gid("Customer", customer.id),
    email: customer.email?.toLowerCase() ?? null,
    firstName: customer.firstName,
    lastName: customer.lastName,
    note: customer.note || null,
  };
}

export function customerFactsFromStored(customer: {
  shopifyId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  note: string | null;
}) {
  return {
    id: customer.shopifyId,
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    note: customer.note || null,
  };
}

export type { ShopifyCustomerSnapshot };
