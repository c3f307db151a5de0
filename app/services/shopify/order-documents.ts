/**
 * Admin GraphQL documents (2026-07) for syncing orders and customers: bulk backfill, paged
 * reconcile and the customer note. ORDER_FIELDS and CUSTOMER_FIELDS are selections the documents
 * interpolate (`${ORDER_FIELDS}`); graphql-documents.test.ts expands them before validating each
 * document against the real schema.
 *
 * Limits that shaped them:
 * - A query may cost at most 1000 points, charged up front from the page sizes (`first`). One
 *   whole order costs about 440, so full orders are fetched by id two at a time
 *   (ORDERS_BY_IDS_BATCH_SIZE); reconcile first lists what changed (`id updatedAt`, 50 a page) and
 *   skips what the webhooks already delivered.
 * - Bulk queries take no `first` on nested connections, allow at most five connections nested
 *   two deep, and refuse a connection inside a list field ("Queries that contain a connection
 *   field within a list field are not currently supported"). `Order.fulfillments` and
 *   `Order.refunds` are lists, so BULK_ORDERS_QUERY cannot reach carrier events, fulfillment line
 *   items or refund line items: backfill orders that have fulfillments or refunds are completed
 *   with ORDER_DETAILS_BY_IDS_QUERY (see bulkOrderNeedsDetails in ~/domain/shopify/bulk), which
 *   asks only for those (~127 points an order, seven a call) instead of the whole order again.
 */

/** Orders per ORDERS_BY_IDS_QUERY call: 2 × ~440 points stays under the 1000-point ceiling. */
export const ORDERS_BY_IDS_BATCH_SIZE = 2;
/**
 * Fulfillments and refunds per order in ORDER_DETAILS_BY_IDS_QUERY. Most orders have one of each;
 * an order with more than the page holds is fetched whole instead (orderDetailsCover).
 */
export const ORDER_DETAILS_PAGE_SIZE = 2;
/** Orders per ORDER_DETAILS_BY_IDS_QUERY call: 7 × ~127 points stays under the 1000-point ceiling. */
export const ORDER_DETAILS_BATCH_SIZE = 7;
/** Rows per page of the "updated since" listings. */
export const UPDATED_SINCE_PAGE_SIZE = 50;

/** A mailing address, wherever Shopify gives one. */
const ADDRESS_FIELDS = `{ firstName lastName name company address1 address2 city province provinceCode country countryCodeV2 zip phone }`;

/**
 * A line item's own fields, the same in the whole-order query and the bulk export.
 * `originalUnitPrice` is deprecated for `originalUnitPriceSet`, but it is the same amount in the
 * shop's currency as a scalar: the MoneyBag's two objects a line would add ~200 points to every
 * order of ORDERS_BY_IDS_QUERY (1,296 for a batch of two, over Shopify's 1,000-point ceiling).
 */
const LINE_ITEM_FIELDS = `id title variantTitle quantity currentQuantity fulfillableQuantity requiresShipping originalUnitPrice`;

/** Order-level fields, the same in the whole-order query and the bulk export. */
const ORDER_HEADER_FIELDS = `
  id
  name
  email
  phone
  createdAt
  updatedAt
  processedAt
  cancelledAt
  cancelReason
  closedAt
  displayFinancialStatus
  displayFulfillmentStatus
  currencyCode
  totalPriceSet { shopMoney { amount currencyCode } }
  subtotalPriceSet { shopMoney { amount currencyCode } }
  totalShippingPriceSet { shopMoney { amount currencyCode } }
  totalTaxSet { shopMoney { amount currencyCode } }
  taxesIncluded
  totalRefundedSet { shopMoney { amount currencyCode } }
  paymentGatewayNames
  customer { id }
  shippingAddress ${ADDRESS_FIELDS}
  billingAddress ${ADDRESS_FIELDS}
  note
  tags`;

/** A fulfillment's own fields (the bulk export can carry these; its connections it cannot). */
const FULFILLMENT_HEADER_FIELDS = `
  id
  name
  status
  displayStatus
  createdAt
  updatedAt
  deliveredAt
  estimatedDeliveryAt
  requiresShipping`;

/** A refund's own fields. */
const REFUND_HEADER_FIELDS = `id createdAt totalRefundedSet { shopMoney { amount currencyCode } }`;

/** One fulfillment with its tracking, carrier events (newest first) and line items. */
export const FULFILLMENT_FIELDS = `{${FULFILLMENT_HEADER_FIELDS}
  trackingInfo(first: 3) { company number url }
  events(first: 10, sortKey: HAPPENED_AT, reverse: true) { nodes { id status happenedAt message city province country } }
  fulfillmentLineItems(first: 10) { nodes { quantity lineItem { id requiresShipping } } }
}`;

/** One refund with its line items. */
export const REFUND_FIELDS = `{
  ${REFUND_HEADER_FIELDS}
  refundLineItems(first: 10) { nodes { quantity lineItem { id } } }
}`;

/**
 * Everything OrderSnapshot needs for one order. Carrier events come newest first so a busy
 * parcel keeps its latest news when the page cuts the list. `fulfillableQuantity` is deprecated
 * in favour of fulfillment-order line items, but it is exactly REST's `fulfillable_quantity`
 * and needs neither another connection nor the fulfillment-order scopes.
 */
export const ORDER_FIELDS = `{${ORDER_HEADER_FIELDS}
  transactions(first: 10) { kind status processedAt }
  lineItems(first: 100) { nodes { ${LINE_ITEM_FIELDS} } }
  fulfillments(first: 5) ${FULFILLMENT_FIELDS}
  refunds(first: 5) ${REFUND_FIELDS}
  returns(first: 5) { nodes { id name status } }
}`;

/** Full orders by id, for reconcile and for orders the details query cannot cover. Batch ORDERS_BY_IDS_BATCH_SIZE ids. */
export const ORDERS_BY_IDS_QUERY = `#graphql
  query ShopdeskOrdersByIds($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Order ${ORDER_FIELDS}
    }
  }
`;

/**
 * Backfill details: only what a bulk export cannot carry (fulfillments with their carrier events
 * and line items, refunds with their line items), ORDER_DETAILS_PAGE_SIZE of each, plus
 * `updatedAt` to tell whether the order changed since it was exported. Read with
 * orderDetailsFromGraphql; batch ORDER_DETAILS_BATCH_SIZE ids.
 */
export const ORDER_DETAILS_BY_IDS_QUERY = `#graphql
  query ShopdeskOrderDetailsByIds($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Order {
        id
        updatedAt
        fulfillments(first: 2) ${FULFILLMENT_FIELDS}
        refunds(first: 2) ${REFUND_FIELDS}
      }
    }
  }
`;

/**
 * Reconcile, step 1: which orders changed since the checkpoint (cheap: ~52 points a page).
 * Compare `updatedAt` with what is stored and fetch only the stale ones with ORDERS_BY_IDS_QUERY.
 * Variables: { after: cursor | null, query: updatedSinceSearch(checkpoint) }.
 */
export const ORDERS_UPDATED_SINCE_QUERY = `#graphql
  query ShopdeskOrdersUpdatedSince($after: String, $query: String!) {
    orders(first: 50, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes { id updatedAt }
    }
  }
`;

/**
 * Backfill of every order. Carries what a bulk query may reach (see the header): the order,
 * its line items and returns as child lines, fulfillments and refunds inline without their
 * nested connections. Run with BULK_OPERATION_RUN; read with assembleBulkOrders.
 */
export const BULK_ORDERS_QUERY = `#graphql
  {
    orders {
      edges {
        node {${ORDER_HEADER_FIELDS}
          transactions { kind status processedAt }
          lineItems { edges { node { ${LINE_ITEM_FIELDS} } } }
          fulfillments {${FULFILLMENT_HEADER_FIELDS}
            trackingInfo { company number url }
          }
          refunds { ${REFUND_HEADER_FIELDS} }
          returns { edges { node { id name status } } }
        }
      }
    }
  }
`;

/** A customer's own fields, the same in the reconcile pages and the bulk export. */
const CUSTOMER_HEADER_FIELDS = `
  id
  firstName
  lastName
  displayName
  defaultEmailAddress { emailAddress }
  defaultPhoneNumber { phoneNumber }
  note
  tags
  state
  locale
  createdAt
  updatedAt
  numberOfOrders
  amountSpent { amount currencyCode }
  defaultAddress ${ADDRESS_FIELDS}`;

/** One customer. `email`/`phone` are deprecated for defaultEmailAddress/defaultPhoneNumber. */
export const CUSTOMER_FIELDS = `{${CUSTOMER_HEADER_FIELDS}
  addressesV2(first: 10) { nodes ${ADDRESS_FIELDS} }
}`;

/** Reconcile of customers: 50 full customers a page (~800 points). Variables as ORDERS_UPDATED_SINCE_QUERY. */
export const CUSTOMERS_UPDATED_SINCE_QUERY = `#graphql
  query ShopdeskCustomersUpdatedSince($after: String, $query: String!) {
    customers(first: 50, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes ${CUSTOMER_FIELDS}
    }
  }
`;

/** Backfill of every customer; addresses come as child lines, told apart by their id (assembleBulkCustomers). */
export const BULK_CUSTOMERS_QUERY = `#graphql
  {
    customers {
      edges {
        node {${CUSTOMER_HEADER_FIELDS}
          addressesV2 { edges { node { id firstName lastName name company address1 address2 city province provinceCode country countryCodeV2 zip phone } } }
        }
      }
    }
  }
`;

/**
 * Starts a bulk export. `groupObjects: true` (the 2026-07 default is false) keeps each parent's
 * child lines before the next parent, which lets assembleBulkOrders stream instead of holding
 * the whole file. Variables: { query: BULK_ORDERS_QUERY | BULK_CUSTOMERS_QUERY }.
 */
export const BULK_OPERATION_RUN = `#graphql
  mutation ShopdeskBulkOperationRun($query: String!) {
    bulkOperationRunQuery(query: $query, groupObjects: true) {
      bulkOperation { id status createdAt }
      userErrors { field message code }
    }
  }
`;

/** The operation to poll, by the id BULK_OPERATION_RUN returned (preferred). */
export const BULK_OPERATION_BY_ID = `#graphql
  query ShopdeskBulkOperation($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      createdAt
      completedAt
      objectCount
      rootObjectCount
      fileSize
      url
      partialDataUrl
    }
  }
`;

export const CUSTOMER_NOTE_QUERY = `#graphql
  query ShopdeskCustomerNote($id: ID!) {
    customer(id: $id) {
      id
      note
      updatedAt
    }
  }
`;

/** Variables: { input: { id, note } }. */
export const CUSTOMER_UPDATE_NOTE_MUTATION = `#graphql
  mutation ShopdeskCustomerUpdateNote($input: CustomerInput!) {
    customerUpdate(input: $input) {
      customer { id note updatedAt }
      userErrors { field message }
    }
  }
`;

/**
 * Shopify search syntax for "changed at or after `since`". Inclusive on purpose: several changes
 * can share the checkpoint's second, and re-reading one is harmless (merges are idempotent).
 */
export function updatedSinceSearch(since: Date | string): string {
  const time = typeof since === "string" ? new Date(since) : since;
  if (Number.isNaN(time.getTime())) throw new RangeError(`Not a date: ${String(since)}`);
  return `updated_at:>='${time.toISOString().replace(/\.000Z$/, "Z")}'`;
}
