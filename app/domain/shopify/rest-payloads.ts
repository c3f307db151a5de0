import { z } from "zod";
import { decimal, gid, optionalText, optionalTimestamp, restNumericId, timestamp } from "./payload-fields";

// REST webhook schemas (loose: unknown keys pass through).

export const restMoneySet = z.looseObject({
  shop_money: z.looseObject({ amount: decimal, currency_code: z.string() }),
});

export const restAddress = z
  .looseObject({
    name: optionalText,
    first_name: optionalText,
    last_name: optionalText,
    company: optionalText,
    address1: optionalText,
    address2: optionalText,
    city: optionalText,
    province: optionalText,
    province_code: optionalText,
    country: optionalText,
    country_code: optionalText,
    zip: optionalText,
    phone: optionalText,
  })
  .nullish();

export const restLineItem = z.looseObject({
  admin_graphql_api_id: gid,
  title: z.string(),
  variant_title: optionalText,
  price_set: restMoneySet.nullish(),
  quantity: z.number().int(),
  current_quantity: z.number().int().nullish(),
  fulfillable_quantity: z.number().int().nullish(),
  requires_shipping: z.boolean().nullish(),
});

export const RestFulfillmentSchema = z.looseObject({
  admin_graphql_api_id: gid,
  order_id: restNumericId.nullish(),
  name: optionalText,
  status: z.string(),
  created_at: timestamp,
  updated_at: timestamp,
  shipment_status: optionalText,
  tracking_company: optionalText,
  tracking_numbers: z.array(z.string()).nullish(),
  tracking_urls: z.array(z.string()).nullish(),
  line_items: z
    .array(
      z.looseObject({
        admin_graphql_api_id: gid,
        quantity: z.number().int(),
        requires_shipping: z.boolean().nullish(),
      }),
    )
    .nullish(),
});
export type RestFulfillmentPayload = z.input<typeof RestFulfillmentSchema>;

export const RestFulfillmentEventSchema = z.looseObject({
  admin_graphql_api_id: gid,
  fulfillment_id: restNumericId,
  order_id: restNumericId.nullish(),
  status: z.string(),
  happened_at: timestamp,
  message: optionalText,
  city: optionalText,
  province: optionalText,
  country: optionalText,
  estimated_delivery_at: optionalTimestamp,
});
export type RestFulfillmentEventPayload = z.input<typeof RestFulfillmentEventSchema>;

export const RestRefundSchema = z.looseObject({
  admin_graphql_api_id: gid,
  order_id: restNumericId.nullish(),
  created_at: optionalTimestamp,
  total_duties_set: restMoneySet.nullish(),
  refund_line_items: z
    .array(
      z.looseObject({
        line_item_id: restNumericId,
        quantity: z.number().int(),
        line_item: z.looseObject({ admin_graphql_api_id: gid }).nullish(),
      }),
    )
    .nullish(),
  transactions: z
    .array(
      z.looseObject({
        kind: z.string(),
        status: optionalText,
        amount: decimal,
        currency: optionalText,
      }),
    )
    .nullish(),
});
export type RestRefundPayload = z.input<typeof RestRefundSchema>;

/** orders/create|updated|cancelled|fulfilled|partially_fulfilled|edited|paid. */
export const RestOrderSchema = z.looseObject({
  admin_graphql_api_id: gid,
  name: z.string(),
  email: optionalText,
  phone: optionalText,
  created_at: timestamp,
  updated_at: timestamp,
  processed_at: optionalTimestamp,
  cancelled_at: optionalTimestamp,
  cancel_reason: optionalText,
  closed_at: optionalTimestamp,
  financial_status: optionalText,
  fulfillment_status: optionalText,
  currency: z.string(),
  total_price_set: restMoneySet,
  subtotal_price_set: restMoneySet.nullish(),
  total_shipping_price_set: restMoneySet.nullish(),
  total_tax_set: restMoneySet.nullish(),
  taxes_included: z.boolean().nullish(),
  payment_gateway_names: z.array(z.string()).nullish(),
  customer: z.looseObject({ admin_graphql_api_id: gid }).nullish(),
  shipping_address: restAddress,
  billing_address: restAddress,
  note: optionalText,
  tags: z.union([z.string(), z.array(z.string())]).nullish(),
  line_items: z.array(restLineItem),
  fulfillments: z.array(RestFulfillmentSchema).nullish(),
  refunds: z.array(RestRefundSchema).nullish(),
  returns: z.array(z.looseObject({ admin_graphql_api_id: gid, name: optionalText, status: z.string() })).nullish(),
});
export type RestOrderPayload = z.input<typeof RestOrderSchema>;

const restCustomerAddress = restAddress.unwrap().unwrap();

/** customers/create|update. */
export const RestCustomerSchema = z.looseObject({
  admin_graphql_api_id: gid,
  first_name: optionalText,
  last_name: optionalText,
  email: optionalText,
  phone: optionalText,
  note: optionalText,
  tags: z.union([z.string(), z.array(z.string())]).nullish(),
  state: optionalText,
  locale: optionalText,
  created_at: timestamp,
  updated_at: timestamp,
  default_address: restCustomerAddress.nullish(),
  addresses: z.array(restCustomerAddress).nullish(),
});
export type RestCustomerPayload = z.input<typeof RestCustomerSchema>;

/** customers/delete: only ids. */
export const RestCustomerDeleteSchema = z.looseObject({ admin_graphql_api_id: gid });
