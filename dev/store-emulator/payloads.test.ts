// Webhook bodies built by the emulator carry at least the keys of Shopify's documented samples.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { seedWorld } from "./seed.ts";
import { shopTime } from "./payloads.ts";
import { World, type EmittedEvent } from "./world.ts";

const sample = (topic: string) =>
  JSON.parse(readFileSync(new URL(`../../tests/fixtures/webhooks/${topic}.json`, import.meta.url), "utf8")) as Record<
    string,
    unknown
  >;

function worldWithEvents() {
  const events: EmittedEvent[] = [];
  const world = new World((event) => events.push(event));
  const [shop] = seedWorld(world, {
    ordersPerShop: 40,
    customersPerShop: 10,
    shops: undefined,
    now: "2026-10-01T00:00:00Z",
  });
  return { world, events, domain: shop!.domain, shop: shop! };
}

const payloadOf = (events: EmittedEvent[], topic: string) => {
  const event = events.find((candidate) => candidate.topic === topic);
  if (!event) throw new Error(`no ${topic} emitted; got ${events.map((candidate) => candidate.topic).join(", ")}`);
  return event.payload as Record<string, unknown>;
};

const missingKeys = (built: Record<string, unknown>, reference: Record<string, unknown>) =>
  Object.keys(reference).filter((key) => !(key in built));

describe("webhook payloads have the keys of Shopify's samples", () => {
  it("orders/create, orders/updated, orders/fulfilled, fulfillments/create, fulfillment_events/create, refunds/create, orders/cancelled", () => {
    const { world, events, domain, shop } = worldWithEvents();
    const customer = [...shop.customers.values()][0]!;
    const order = world.createOrder(domain, {
      customer: customer.id,
      lineItems: [
        { title: "Wool Blanket", price: "89.00", quantity: 2 },
        { title: "Cedar Candle", price: "24.00" },
      ],
    });
    world.fulfill(domain, {
      order: order.name,
      carrier: "UPS",
      trackingNumber: "1Z1",
      trackingUrl: "https://ups.example/1Z1",
    });
    world.addFulfillmentEvent(domain, { order: order.name, status: "IN_TRANSIT" });
    world.refund(domain, { order: order.name, lineItems: [{ lineItemId: order.lineItems[1]!.id }] });
    const other = world.createOrder(domain, { customer: customer.id });
    world.cancel(domain, { order: other.name, reason: "CUSTOMER" });

    const orderCreate = payloadOf(events, "orders/create");
    expect(missingKeys(orderCreate, sample("orders/create"))).toEqual([]);
    const sampleOrder = sample("orders/create");
    const sampleLine = (sampleOrder.line_items as Record<string, unknown>[])[0]!;
    expect(missingKeys((orderCreate.line_items as Record<string, unknown>[])[0]!, sampleLine)).toEqual([]);
    expect(
      missingKeys(orderCreate.customer as Record<string, unknown>, sampleOrder.customer as Record<string, unknown>),
    ).toEqual([]);
    expect(
      missingKeys(
        orderCreate.shipping_address as Record<string, unknown>,
        sampleOrder.shipping_address as Record<string, unknown>,
      ),
    ).toEqual([]);
    expect(orderCreate).toMatchObject({
      id: order.id,
      admin_graphql_api_id: `gid://shopify/Order/${order.id}`,
      total_price: "207.00" /* 178 + 24 + 5.00 shipping */,
      financial_status: "paid",
      fulfillment_status: null,
    });

    for (const topic of ["orders/updated", "orders/fulfilled", "orders/cancelled"]) {
      expect(missingKeys(payloadOf(events, topic), sample(topic))).toEqual([]);
    }
    const fulfillment = payloadOf(events, "fulfillments/create");
    expect(missingKeys(fulfillment, sample("fulfillments/create"))).toEqual([]);
    expect(fulfillment).toMatchObject({
      tracking_company: "UPS",
      tracking_number: "1Z1",
      tracking_numbers: ["1Z1"],
      tracking_url: "https://ups.example/1Z1",
      order_id: order.id,
    });
    const fulfillmentEvent = payloadOf(events, "fulfillment_events/create");
    expect(missingKeys(fulfillmentEvent, sample("fulfillment_events/create"))).toEqual([]);
    expect(fulfillmentEvent).toMatchObject({ status: "in_transit", order_id: order.id });
    expect(payloadOf(events, "fulfillments/update").shipment_status).toBe("in_transit");
    const refund = payloadOf(events, "refunds/create");
    expect(missingKeys(refund, sample("refunds/create"))).toEqual([]);
    const sampleRefund = sample("refunds/create");
    expect(
      missingKeys(
        (refund.refund_line_items as Record<string, unknown>[])[0]!,
        (sampleRefund.refund_line_items as Record<string, unknown>[])[0]!,
      ),
    ).toEqual([]);
    expect(
      missingKeys(
        (refund.transactions as Record<string, unknown>[])[0]!,
        (sampleRefund.transactions as Record<string, unknown>[])[0]!,
      ),
    ).toEqual([]);
    expect((refund.transactions as { amount: string }[])[0]!.amount).toBe("24.00");
  });

  it("orders/partially_fulfilled after shipping some line items", () => {
    const { world, events, domain } = worldWithEvents();
    const order = world.createOrder(domain, {
      lineItems: [
        { title: "A", price: "1.00" },
        { title: "B", price: "2.00" },
      ],
    });
    world.fulfill(domain, { order: order.id, lineItems: [{ lineItemId: order.lineItems[0]!.id }] });
    const partial = payloadOf(events, "orders/partially_fulfilled");
    expect(missingKeys(partial, sample("orders/partially_fulfilled"))).toEqual([]);
    expect(partial.fulfillment_status).toBe("partial");
    expect(events.some((event) => event.topic === "orders/fulfilled")).toBe(false);
  });

  it("customers/create, customers/update, customers/delete", () => {
    const { world, events, domain, shop } = worldWithEvents();
    const created = world.createCustomer(domain, { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" });
    expect(missingKeys(payloadOf(events, "customers/create"), sample("customers/create"))).toEqual([]);
    const existing = [...shop.customers.values()][0]!;
    world.setCustomerNote(domain, existing.email!, "VIP");
    const update = payloadOf(events, "customers/update");
    expect(missingKeys(update, sample("customers/update"))).toEqual([]);
    expect(update).toMatchObject({
      id: existing.id,
      note: "VIP",
      admin_graphql_api_id: `gid://shopify/Customer/${existing.id}`,
    });
    world.deleteCustomer(domain, created.id);
    expect(payloadOf(events, "customers/delete")).toEqual({
      id: created.id,
      tax_exemptions: [],
      admin_graphql_api_id: `gid://shopify/Customer/${created.id}`,
    });
  });

  it("shop/update has the shape of the Shop resource (as app/uninstalled)", () => {
    const { world, events, domain } = worldWithEvents();
    world.renameShop(domain, "Maple Goods Europe");
    const update = payloadOf(events, "shop/update");
    expect(missingKeys(update, sample("app/uninstalled"))).toEqual([]);
    expect(update).toMatchObject({ name: "Maple Goods Europe", myshopify_domain: domain });
  });
});

describe("shopTime", () => {
  it("renders UTC instants with the shop's offset, including daylight saving", () => {
    expect(shopTime("2026-01-15T12:00:00Z", "America/New_York")).toBe("2026-01-15T07:00:00-05:00");
    expect(shopTime("2026-07-15T12:00:00Z", "Europe/Berlin")).toBe("2026-07-15T14:00:00+02:00");
    expect(shopTime(null, "Europe/Berlin")).toBeNull();
  });
});
