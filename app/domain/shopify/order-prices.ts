import type { z } from "zod";
import type { Money } from "../order-snapshot";
import type { GraphqlOrderSchema } from "./graphql-payloads";
import type { restLineItem, restMoneySet, RestOrderSchema } from "./rest-payloads";
import type { ShopifyOrderSnapshot } from "./snapshots";

// What an order cost, beyond its total: each item's unit price, and the shipping and tax charged
// (the shopper's order summary). Both sources in the shop's currency (GraphQL shopMoney, REST
// shop_money), like the total and subtotal, so the lines of one summary add up in one currency.

type GqlOrder = z.output<typeof GraphqlOrderSchema>;
type GqlLineItem = NonNullable<GqlOrder["lineItems"]>["nodes"][number];
type RestOrder = z.output<typeof RestOrderSchema>;
type RestLineItem = z.output<typeof restLineItem>;

type OrderCharges = Required<Pick<ShopifyOrderSnapshot, "shippingPrice" | "totalTax" | "taxesIncluded">>;

const fromRestSet = (set: z.output<typeof restMoneySet> | null | undefined): Money | null =>
  set ? { amount: set.shop_money.amount, currencyCode: set.shop_money.currency_code } : null;

/**
 * Price of one unit before discounts: what the shopper saw next to the item at checkout. GraphQL's
 * scalar `originalUnitPrice` is in the shop's currency, the order's `currencyCode`.
 */
export const unitPriceFromGraphql = (item: GqlLineItem, currencyCode: string): Money | null =>
  item.originalUnitPrice === null || item.originalUnitPrice === undefined
    ? null
    : { amount: item.originalUnitPrice, currencyCode };

export const unitPriceFromRest = (item: RestLineItem): Money | null => fromRestSet(item.price_set);

export function chargesFromGraphql(order: GqlOrder): OrderCharges {
  return {
    shippingPrice: order.totalShippingPriceSet?.shopMoney ?? null,
    totalTax: order.totalTaxSet?.shopMoney ?? null,
    taxesIncluded: order.taxesIncluded ?? null,
  };
}

export function chargesFromRest(order: RestOrder): OrderCharges {
  return {
    shippingPrice: fromRestSet(order.total_shipping_price_set),
    totalTax: fromRestSet(order.total_tax_set),
    taxesIncluded: order.taxes_included ?? null,
  };
}
