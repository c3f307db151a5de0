import { describe, expect, it } from "vitest";
import { assembleBulkOrders, bulkOrderNeedsDetails } from "./bulk";

describe("assembleBulkOrders", () => {
  const order = (id: number) => ({ id: `gid://shopify/Order/${id}`, name: `#${id}`, fulfillments: [] });
  const line = (id: number, parent: number) => ({
    id: `gid://shopify/LineItem/${id}`,
    __parentId: `gid://shopify/Order/${parent}`,
  });
  const ret = (id: number, parent: number) => ({
    id: `gid://shopify/Return/${id}`,
    __parentId: `gid://shopify/Order/${parent}`,
  });
  const collect = async (iterable: AsyncIterable<Record<string, unknown>>) => {
    const out: Record<string, unknown>[] = [];
    for await (const item of iterable) out.push(item);
    return out;
  };

  it("puts children back under their parent, not only the ones right after it", async () => {
    const nodes = await collect(
      assembleBulkOrders([order(1), line(11, 1), ret(12, 1), line(13, 1), order(2), line(21, 2)]),
    );
    expect(nodes).toEqual([
      {
        ...order(1),
        lineItems: { nodes: [{ id: "gid://shopify/LineItem/11" }, { id: "gid://shopify/LineItem/13" }] },
        returns: { nodes: [{ id: "gid://shopify/Return/12" }] },
      },
      { ...order(2), lineItems: { nodes: [{ id: "gid://shopify/LineItem/21" }] } },
    ]);
  });

  it("streams: an order is complete once the next one starts (grouped output)", async () => {
    const seen: string[] = [];
    async function* lines() {
      seen.push("order 1");
      yield order(1);
      seen.push("order 2");
      yield order(2);
      seen.push("end");
    }
    for await (const node of assembleBulkOrders(lines())) seen.push(`yielded ${String(node.id)}`);
    expect(seen).toEqual([
      "order 1",
      "order 2",
      "yielded gid://shopify/Order/1",
      "end",
      "yielded gid://shopify/Order/2",
    ]);
  });

  it("ungrouped files: children may come later or even first", async () => {
    const nodes = await collect(
      assembleBulkOrders([line(21, 2), order(1), order(2), line(11, 1), line(22, 2)], { grouped: false }),
    );
    expect(nodes.map((node) => (node.lineItems as { nodes: unknown[] }).nodes.length)).toEqual([1, 2]);
  });

  it("refuses a child after its parent was handed out, or without a parent", async () => {
    await expect(collect(assembleBulkOrders([order(1), order(2), line(11, 1)]))).rejects.toThrow(/after its parent/);
    await expect(collect(assembleBulkOrders([order(1), line(99, 9)]))).rejects.toThrow(/missing parents/);
  });

  it("knows which orders need their shipment details fetched", () => {
    expect(bulkOrderNeedsDetails({ fulfillments: [], refunds: [] })).toBe(false);
    expect(bulkOrderNeedsDetails({ fulfillments: [{ id: "x" }], refunds: [] })).toBe(true);
    expect(bulkOrderNeedsDetails({ fulfillments: [], refunds: [{ id: "y" }] })).toBe(true);
  });
});
