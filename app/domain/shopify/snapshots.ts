import type {
  FulfillmentEventSnapshot,
  FulfillmentSnapshot,
  IsoDateTime,
  Money,
  OrderSnapshot,
  RefundSnapshot,
} from "../order-snapshot";

// Snapshot types added by the sync: what the mappers produce and the merges combine.

export interface AddressSnapshot {
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  country: string | null;
  countryCode: string | null;
  zip: string | null;
  phone: string | null;
}

/** ReturnStatus. */
export const RETURN_STATUSES = ["CANCELED", "CLOSED", "DECLINED", "OPEN", "REQUESTED"] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export interface ReturnSnapshot {
  id: string;
  name: string | null;
  status: ReturnStatus;
}

/** OrderSnapshot plus what the helpdesk shows around it; usable wherever an OrderSnapshot is. */
export interface ShopifyOrderSnapshot extends OrderSnapshot {
  /** Orders Shopify changed later win (see mergeOrderSnapshots). */
  updatedAt: IsoDateTime;
  email: string | null;
  phone: string | null;
  customerId: string | null;
  currencyCode: string;
  subtotalPrice: Money | null;
  /** The order's charges beside its items (order-prices.ts); absent from orders synced before they were kept. */
  shippingPrice?: Money | null;
  totalTax?: Money | null;
  /** Whether the item prices include the tax (then the tax is part of the subtotal, not added to it). */
  taxesIncluded?: boolean | null;
  note: string | null;
  tags: string[];
  shippingAddress: AddressSnapshot | null;
  billingAddress: AddressSnapshot | null;
  returns: ReturnSnapshot[];
}

/** CustomerState. */
export const CUSTOMER_STATES = ["DECLINED", "DISABLED", "ENABLED", "INVITED"] as const;
export type CustomerState = (typeof CUSTOMER_STATES)[number];

export interface ShopifyCustomerSnapshot {
  id: string;
  firstName: string | null;
  lastName: string | null;
  displayName: string;
  /** Trimmed and lower-cased. */
  email: string | null;
  /** As Shopify has it. */
  phone: string | null;
  /** "+14155550123" when the number carries its country code, else null. */
  phoneE164: string | null;
  note: string | null;
  /** Null when the source does not say (REST customer webhooks). */
  tags: string[] | null;
  state: CustomerState | null;
  locale: string | null;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
  defaultAddress: AddressSnapshot | null;
  addresses: AddressSnapshot[];
  numberOfOrders: number | null;
  amountSpent: Money | null;
}

/** A fulfillments/create|update webhook, with the order it belongs to when known exactly. */
export interface FulfillmentUpdate {
  orderId: string | null;
  fulfillment: FulfillmentSnapshot;
}

/** A fulfillment_events/create webhook. */
export interface FulfillmentEventUpdate {
  orderId: string | null;
  fulfillmentId: string;
  event: FulfillmentEventSnapshot;
  estimatedDeliveryAt: IsoDateTime | null;
}

/** A refunds/create webhook. */
export interface RefundUpdate {
  orderId: string | null;
  refund: RefundSnapshot;
}

/** What ORDER_DETAILS_BY_IDS_QUERY adds to a bulk-exported order (see mergeOrderDetails). */
export interface OrderDetails {
  id: string;
  updatedAt: IsoDateTime;
  fulfillments: FulfillmentSnapshot[];
  refunds: RefundSnapshot[];
}
