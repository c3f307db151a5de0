import { z } from "zod";
import {
  FULFILLMENT_DISPLAY_STATUSES,
  FULFILLMENT_EVENT_STATUSES,
  FULFILLMENT_STATUSES,
  ORDER_CANCEL_REASONS,
  ORDER_FINANCIAL_STATUSES,
  ORDER_FULFILLMENT_STATUSES,
} from "../order-snapshot";
import { decimal, gid, optionalText, optionalTimestamp, timestamp } from "./payload-fields";
import { CUSTOMER_STATES, RETURN_STATUSES } from "./snapshots";

// Admin GraphQL node schemas (ORDER_FIELDS / CUSTOMER_FIELDS, and assembled bulk nodes).

const gqlMoney = z.looseObject({ amount: decimal, currencyCode: z.string() });
const gqlMoneyBag = z.looseObject({ shopMoney: gqlMoney });
/** Paged connections come as { nodes }; an absent connection means "not fetched" (bulk exports). */
const nodesOf = <T extends z.ZodType>(node: T) => z.looseObject({ nodes: z.array(node) }).nullish();

export const gqlAddress = z
  .looseObject({
    name: optionalText,
    firstName: optionalText,
    lastName: optionalText,
    company: optionalText,
    address1: optionalText,
    address2: optionalText,
    city: optionalText,
    province: optionalText,
    provinceCode: optionalText,
    country: optionalText,
    countryCodeV2: optionalText,
    zip: optionalText,
    phone: optionalText,
  })
  .nullish();

const gqlFulfillmentEvent = z.looseObject({
  id: gid,
  status: z.enum(FULFILLMENT_EVENT_STATUSES),
  happenedAt: timestamp,
  message: optionalText,
  city: optionalText,
  province: optionalText,
  country: optionalText,
});

export const gqlFulfillment = z.looseObject({
  id: gid,
  name: optionalText,
  status: z.enum(FULFILLMENT_STATUSES),
  displayStatus: z.enum(FULFILLMENT_DISPLAY_STATUSES).nullish(),
  createdAt: timestamp,
  updatedAt: timestamp,
  deliveredAt: optionalTimestamp,
  estimatedDeliveryAt: optionalTimestamp,
  requiresShipping: z.boolean().nullish(),
  trackingInfo: z.array(z.looseObject({ company: optionalText, number: optionalText, url: optionalText })).nullish(),
  events: nodesOf(gqlFulfillmentEvent),
  fulfillmentLineItems: nodesOf(
    z.looseObject({
      quantity: z.number().int(),
      lineItem: z.looseObject({ id: gid, requiresShipping: z.boolean().nullish() }),
    }),
  ),
});

export const gqlRefund = z.looseObject({
  id: gid,
  createdAt: optionalTimestamp,
  totalRefundedSet: gqlMoneyBag,
  refundLineItems: nodesOf(z.looseObject({ quantity: z.number().int(), lineItem: z.looseObject({ id: gid }) })),
});

/** The shape of ORDER_FIELDS (and of a bulk-exported order after assembleBulkOrders). */
export const GraphqlOrderSchema = z.looseObject({
  id: gid,
  name: z.string(),
  email: optionalText,
  phone: optionalText,
  createdAt: timestamp,
  updatedAt: timestamp,
  processedAt: timestamp,
  cancelledAt: optionalTimestamp,
  cancelReason: z.enum(ORDER_CANCEL_REASONS).nullish(),
  closedAt: optionalTimestamp,
  displayFinancialStatus: z.enum(ORDER_FINANCIAL_STATUSES).nullish(),
  displayFulfillmentStatus: z.enum(ORDER_FULFILLMENT_STATUSES),
  currencyCode: z.string(),
  totalPriceSet: gqlMoneyBag,
  subtotalPriceSet: gqlMoneyBag.nullish(),
  totalShippingPriceSet: gqlMoneyBag.nullish(),
  totalTaxSet: gqlMoneyBag.nullish(),
  taxesIncluded: z.boolean().nullish(),
  totalRefundedSet: gqlMoneyBag,
  paymentGatewayNames: z.array(z.string()).nullish(),
  transactions: z
    .array(z.looseObject({ kind: z.string(), status: z.string(), processedAt: optionalTimestamp }))
    .nullish(),
  customer: z.looseObject({ id: gid }).nullish(),
  shippingAddress: gqlAddress,
  billingAddress: gqlAddress,
  note: optionalText,
  tags: z.array(z.string()).nullish(),
  lineItems: nodesOf(
    z.looseObject({
      id: gid,
      title: z.string(),
      variantTitle: optionalText,
      /** Deprecated scalar twin of originalUnitPriceSet's shopMoney (see order-documents). */
      originalUnitPrice: decimal.nullish(),
      quantity: z.number().int(),
      currentQuantity: z.number().int().nullish(),
      fulfillableQuantity: z.number().int().nullish(),
      requiresShipping: z.boolean().nullish(),
    }),
  ),
  fulfillments: z.array(gqlFulfillment).nullish(),
  refunds: z.array(gqlRefund).nullish(),
  returns: nodesOf(z.looseObject({ id: gid, name: optionalText, status: z.enum(RETURN_STATUSES) })),
});
export type GraphqlOrderNode = z.input<typeof GraphqlOrderSchema>;

/** The shape of ORDER_DETAILS_BY_IDS_QUERY's order nodes. */
export const GraphqlOrderDetailsSchema = z.looseObject({
  id: gid,
  updatedAt: timestamp,
  fulfillments: z.array(gqlFulfillment).nullish(),
  refunds: z.array(gqlRefund).nullish(),
});
export type GraphqlOrderDetailsNode = z.input<typeof GraphqlOrderDetailsSchema>;

/** The shape of CUSTOMER_FIELDS (and of a bulk-exported customer after assembleBulkCustomers). */
export const GraphqlCustomerSchema = z.looseObject({
  id: gid,
  firstName: optionalText,
  lastName: optionalText,
  displayName: optionalText,
  defaultEmailAddress: z.looseObject({ emailAddress: optionalText }).nullish(),
  defaultPhoneNumber: z.looseObject({ phoneNumber: optionalText }).nullish(),
  note: optionalText,
  tags: z.array(z.string()).nullish(),
  state: z.enum(CUSTOMER_STATES).nullish(),
  locale: optionalText,
  createdAt: timestamp,
  updatedAt: timestamp,
  numberOfOrders: z.union([z.string(), z.number()]).nullish(),
  amountSpent: gqlMoney.nullish(),
  defaultAddress: gqlAddress,
  addressesV2: nodesOf(gqlAddress.unwrap().unwrap()),
});
export type GraphqlCustomerNode = z.input<typeof GraphqlCustomerSchema>;
