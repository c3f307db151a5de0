import { parse, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { operationCost } from "./cost.ts";
import { adminSchema } from "./schema.ts";

const operation = (source: string) => parse(source).definitions[0] as OperationDefinitionNode;
const ORDER_BY_IDS = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Order { id fulfillments { id } } } }`;

describe("query cost", () => {
  it("charges nodes(ids:) for every id asked for, as Shopify does", () => {
    const one = operationCost(adminSchema(), operation(ORDER_BY_IDS), {}, { ids: ["gid://shopify/Order/1"] });
    const five = operationCost(
      adminSchema(),
      operation(ORDER_BY_IDS),
      {},
      { ids: [1, 2, 3, 4, 5].map((id) => `gid://shopify/Order/${id}`) },
    );
    expect(one).toBeGreaterThan(0);
    expect(five).toBe(5 * one);
  });

  it("counts every node returned in the actual cost", () => {
    const node = { id: "gid://shopify/Order/1", fulfillments: [{ id: "gid://shopify/Fulfillment/1" }] };
    const ids = { ids: ["a", "b", "c"] };
    const actualOne = operationCost(adminSchema(), operation(ORDER_BY_IDS), {}, ids, { nodes: [node] });
    const actualThree = operationCost(adminSchema(), operation(ORDER_BY_IDS), {}, ids, { nodes: [node, node, node] });
    expect(actualThree).toBe(3 * actualOne);
  });
});
