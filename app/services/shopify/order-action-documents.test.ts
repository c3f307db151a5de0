import { Kind, parse, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { MAX_SINGLE_QUERY_COST, operationCost } from "../../../dev/store-emulator/cost.ts";
import { adminSchema } from "../../../dev/store-emulator/schema.ts";
import * as documents from "./order-action-documents";

// Validity against the real schema is graphql-documents.test.ts's job; this keeps each document
// under Shopify's 1000-point ceiling as the emulator's cost rules (Shopify's) count it.
const operationOf = (source: string) =>
  parse(source).definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  )!;

describe("return and cancel documents", () => {
  it.each([
    ["RETURNABLE_FULFILLMENTS_QUERY", documents.RETURNABLE_FULFILLMENTS_QUERY],
    ["ORDER_RETURNS_QUERY", documents.ORDER_RETURNS_QUERY],
    ["RETURN_REQUEST_MUTATION", documents.RETURN_REQUEST_MUTATION],
    ["RETURN_APPROVE_MUTATION", documents.RETURN_APPROVE_MUTATION],
    ["RETURN_DECLINE_MUTATION", documents.RETURN_DECLINE_MUTATION],
    ["ORDER_CANCEL_MUTATION", documents.ORDER_CANCEL_MUTATION],
  ])("%s stays under Shopify's 1000-point query cost", (_name, source) => {
    expect(operationCost(adminSchema(), operationOf(source), {}, {})).toBeLessThanOrEqual(MAX_SINGLE_QUERY_COST);
  });

  it("pages returnable fulfillments with the sizes the module names", () => {
    expect(documents.RETURNABLE_FULFILLMENTS_QUERY).toContain(
      `returnableFulfillments(orderId: $orderId, first: ${documents.RETURNABLE_FULFILLMENTS_PAGE_SIZE}, after: $after)`,
    );
    expect(documents.RETURNABLE_FULFILLMENTS_QUERY).toContain(
      `returnableFulfillmentLineItems(first: ${documents.RETURNABLE_LINE_ITEMS_PAGE_SIZE})`,
    );
  });

  it("uses orderCancel's refundMethod and orderCancelUserErrors, not the deprecated refund and userErrors", () => {
    const orderCancel = adminSchema().getMutationType()!.getFields().orderCancel!;
    expect(orderCancel.args.find((argument) => argument.name === "refund")?.deprecationReason).toBeTruthy();
    expect(documents.ORDER_CANCEL_MUTATION).toMatch(/refundMethod: \$refundMethod/);
    expect(documents.ORDER_CANCEL_MUTATION).not.toMatch(/\brefund: /);
    expect(documents.ORDER_CANCEL_MUTATION).toMatch(/orderCancelUserErrors \{ field message code \}/);
    expect(documents.ORDER_CANCEL_MUTATION).not.toMatch(/\buserErrors\b/);
  });
});
