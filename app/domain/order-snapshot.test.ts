import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  FULFILLMENT_DISPLAY_STATUSES,
  FULFILLMENT_EVENT_STATUSES,
  FULFILLMENT_STATUSES,
  ORDER_CANCEL_REASONS,
  ORDER_FINANCIAL_STATUSES,
  ORDER_FULFILLMENT_STATUSES,
  REST_SHIPMENT_STATUSES,
  buildLineItem,
  buildOrder,
  displayStatusFromShipmentStatus,
  eventStatusFromRest,
} from "./order-snapshot";

// The project's committed copy of Shopify's Admin 2026-07 introspection (see dev/store-emulator/schema/SOURCE.md).
const SCHEMA_FILE = path.resolve(__dirname, "../../dev/store-emulator/schema/admin-2026-07.schema.json.gz");

interface IntrospectionType {
  name: string;
  enumValues: { name: string }[] | null;
}

function schemaEnum(name: string): string[] {
  const json = JSON.parse(gunzipSync(readFileSync(SCHEMA_FILE)).toString("utf8"));
  const types: IntrospectionType[] = (json.data ?? json).__schema.types;
  return (types.find((type) => type.name === name)?.enumValues ?? []).map((value) => value.name).sort();
}

describe("snapshot enums match Shopify's Admin 2026-07 schema", () => {
  it.each([
    ["OrderDisplayFinancialStatus", ORDER_FINANCIAL_STATUSES],
    ["OrderDisplayFulfillmentStatus", ORDER_FULFILLMENT_STATUSES],
    ["OrderCancelReason", ORDER_CANCEL_REASONS],
    ["FulfillmentStatus", FULFILLMENT_STATUSES],
    ["FulfillmentDisplayStatus", FULFILLMENT_DISPLAY_STATUSES],
    ["FulfillmentEventStatus", FULFILLMENT_EVENT_STATUSES],
  ] as const)("%s", (enumName, ours) => {
    expect([...ours].sort()).toEqual(schemaEnum(enumName));
  });
});

describe("REST webhook values", () => {
  it("maps every REST shipment_status onto a display status", () => {
    for (const shipmentStatus of REST_SHIPMENT_STATUSES) {
      expect(displayStatusFromShipmentStatus(shipmentStatus), shipmentStatus).not.toBeNull();
    }
    expect(displayStatusFromShipmentStatus("out_for_delivery")).toBe("OUT_FOR_DELIVERY");
  });

  it("keeps a fulfillment without carrier news (shipment_status null) without a display status", () => {
    expect(displayStatusFromShipmentStatus(null)).toBeNull();
  });

  it("reads the fulfillment_events/create sample's status and drops values it does not know", () => {
    expect(eventStatusFromRest("in_transit")).toBe("IN_TRANSIT");
    expect(eventStatusFromRest("picked_up")).toBeNull();
    expect(eventStatusFromRest("teleported")).toBeNull();
  });
});

describe("test constructors", () => {
  it("make an unshipped line item fully fulfillable and give each record its own id", () => {
    const socks = buildLineItem({ quantity: 3 });
    expect(socks.fulfillableQuantity).toBe(3);
    expect(buildLineItem().id).not.toBe(buildLineItem().id);
  });

  it("make a paid, unfulfilled order paid at the time it was placed", () => {
    const order = buildOrder({ createdAt: "2026-01-05T12:00:00Z" });
    expect(order).toMatchObject({ financialStatus: "PAID", fulfillmentStatus: "UNFULFILLED", fulfillments: [] });
    expect(order.payment.paidAt).toBe("2026-01-05T12:00:00Z");
    expect(order.processedAt).toBe("2026-01-05T12:00:00Z");
  });
});
