import {
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  Kind,
  parse,
  type FieldNode,
  type GraphQLObjectType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { describe, expect, it } from "vitest";
import { MAX_SINGLE_QUERY_COST, operationCost } from "../../../dev/store-emulator/cost.ts";
import { adminSchema } from "../../../dev/store-emulator/schema.ts";
import * as documents from "./order-documents";

const operationOf = (source: string) =>
  parse(source).definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  )!;

interface BulkShape {
  connections: number;
  deepestNesting: number;
  connectionInsideList: string[];
  pagedConnections: string[];
}

/** Walks a bulk query the way Shopify's bulk validator counts connections. */
function bulkShape(source: string): BulkShape {
  const schema = adminSchema();
  const shape: BulkShape = { connections: 0, deepestNesting: 0, connectionInsideList: [], pagedConnections: [] };
  const walk = (selection: SelectionSetNode, type: GraphQLObjectType, depth: number, insideList: boolean) => {
    for (const node of selection.selections) {
      if (node.kind !== Kind.FIELD || !node.selectionSet) continue;
      const field = type.getFields()[node.name.value]!;
      const named = getNamedType(field.type) as GraphQLObjectType;
      if (named.name.endsWith("Connection")) {
        shape.connections++;
        shape.deepestNesting = Math.max(shape.deepestNesting, depth + 1);
        if (insideList) shape.connectionInsideList.push(node.name.value);
        if (depth > 0 && hasPageSize(node)) shape.pagedConnections.push(node.name.value);
        walkConnection(node, named, depth + 1);
      } else if (isObjectType(named)) {
        walk(node.selectionSet, named, depth, insideList || isListType(getNullableType(field.type)));
      }
    }
  };
  const walkConnection = (node: FieldNode, connection: GraphQLObjectType, depth: number) => {
    const nodeType = getNamedType(connection.getFields().nodes!.type) as GraphQLObjectType;
    for (const child of node.selectionSet!.selections) {
      if (child.kind !== Kind.FIELD || !child.selectionSet) continue;
      if (child.name.value === "nodes") walk(child.selectionSet, nodeType, depth, false);
      if (child.name.value === "edges")
        for (const edge of child.selectionSet.selections)
          if (edge.kind === Kind.FIELD && edge.name.value === "node") walk(edge.selectionSet!, nodeType, depth, false);
    }
  };
  walk(operationOf(source).selectionSet, schema.getQueryType()!, 0, false);
  return shape;
}

const hasPageSize = (node: FieldNode) =>
  (node.arguments ?? []).some((argument) => argument.name.value === "first" || argument.name.value === "last");

describe("order and customer documents", () => {
  it.each([
    ["ORDERS_BY_IDS_QUERY", documents.ORDERS_BY_IDS_QUERY, { ids: ["gid://shopify/Order/1"] }, 1],
    ["ORDERS_BY_IDS_QUERY (a full batch)", documents.ORDERS_BY_IDS_QUERY, {}, documents.ORDERS_BY_IDS_BATCH_SIZE],
    [
      "ORDER_DETAILS_BY_IDS_QUERY (a full batch)",
      documents.ORDER_DETAILS_BY_IDS_QUERY,
      {},
      documents.ORDER_DETAILS_BATCH_SIZE,
    ],
    ["ORDERS_UPDATED_SINCE_QUERY", documents.ORDERS_UPDATED_SINCE_QUERY, { query: "x" }, 1],
    ["CUSTOMERS_UPDATED_SINCE_QUERY", documents.CUSTOMERS_UPDATED_SINCE_QUERY, { query: "x" }, 1],
  ] as const)("%s stays under Shopify's 1000-point query cost", (_name, source, variables, multiplier) => {
    // `nodes(ids:)` is charged per id: scale one order's cost by the batch size.
    const cost = operationCost(adminSchema(), operationOf(source), {}, variables) * multiplier;
    expect(cost).toBeLessThanOrEqual(MAX_SINGLE_QUERY_COST);
  });

  it("ORDER_DETAILS_BY_IDS_QUERY is as small as it can be: one more order would exceed the ceiling", () => {
    const cost = operationCost(adminSchema(), operationOf(documents.ORDER_DETAILS_BY_IDS_QUERY), {}, {});
    expect(cost * (documents.ORDER_DETAILS_BATCH_SIZE + 1)).toBeGreaterThan(MAX_SINGLE_QUERY_COST);
    expect(documents.ORDER_DETAILS_BY_IDS_QUERY).toContain(`fulfillments(first: ${documents.ORDER_DETAILS_PAGE_SIZE})`);
    expect(documents.ORDER_DETAILS_BY_IDS_QUERY).toContain(`refunds(first: ${documents.ORDER_DETAILS_PAGE_SIZE})`);
  });

  it("page the reconcile listings 50 at a time", () => {
    expect(documents.ORDERS_UPDATED_SINCE_QUERY).toContain(`first: ${documents.UPDATED_SINCE_PAGE_SIZE}`);
    expect(documents.CUSTOMERS_UPDATED_SINCE_QUERY).toContain(`first: ${documents.UPDATED_SINCE_PAGE_SIZE}`);
    expect(documents.ORDERS_UPDATED_SINCE_QUERY).toContain("sortKey: UPDATED_AT");
  });

  it.each([
    ["BULK_ORDERS_QUERY", documents.BULK_ORDERS_QUERY],
    ["BULK_CUSTOMERS_QUERY", documents.BULK_CUSTOMERS_QUERY],
  ])("%s follows Shopify's bulk query rules", (_name, source) => {
    const shape = bulkShape(source);
    expect(shape.connections).toBeLessThanOrEqual(5);
    expect(shape.deepestNesting).toBeLessThanOrEqual(2);
    expect(shape.connectionInsideList).toEqual([]);
    expect(shape.pagedConnections).toEqual([]);
  });

  it("would catch a bulk query that nests a connection inside a list", () => {
    const shape = bulkShape(
      "{ orders { edges { node { id fulfillments { id events { edges { node { id } } } } } } } }",
    );
    expect(shape.connectionInsideList).toEqual(["events"]);
  });

  it("builds the updated-since search inclusively, in UTC", () => {
    expect(documents.updatedSinceSearch("2026-11-01T10:00:00-05:00")).toBe("updated_at:>='2026-11-01T15:00:00Z'");
    expect(documents.updatedSinceSearch(new Date("2026-11-01T15:00:00.500Z"))).toBe(
      "updated_at:>='2026-11-01T15:00:00.500Z'",
    );
    expect(() => documents.updatedSinceSearch("soon")).toThrow(RangeError);
  });
});
