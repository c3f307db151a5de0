import { describe, expect, it } from "vitest";
import { gidFromRestId, parseShopifyJson, ShopifyIdPrecisionError } from "./ids";

describe("Shopify ids", () => {
  it("keeps ids above 2^53 exact with parseShopifyJson and refuses rounded ones", () => {
    const text = '{"id": 820982911946154508, "note": "id 820982911946154508, ok", "n": 12, "x": -1.5e3}';
    expect(parseShopifyJson(text)).toEqual({
      id: "820982911946154508",
      note: "id 820982911946154508, ok",
      n: 12,
      x: -1500,
    });
    expect(parseShopifyJson('{"a":"quote \\" 99999999999999999999","b":[1,2]}')).toEqual({
      a: 'quote " 99999999999999999999',
      b: [1, 2],
    });
    expect(gidFromRestId("Order", "820982911946154508")).toBe("gid://shopify/Order/820982911946154508");
    // What JSON.parse makes of the sample's order id.
    const rounded = JSON.parse("820982911946154508") as number;
    expect(() => gidFromRestId("Order", rounded)).toThrow(ShopifyIdPrecisionError);
  });
});
