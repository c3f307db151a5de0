/**
 * Admin GraphQL documents (2026-07) for what an agent approves on a portal request: a return
 * (returnRequest, then returnApproveRequest or returnDeclineRequest) and a cancellation (orderCancel).
 * graphql-documents.test.ts validates each against the real schema; order-action-documents.test.ts
 * keeps them under Shopify's query cost ceiling.
 *
 * Facts of the schema they rely on:
 * - returnRequest takes fulfillment line items, not order line items, so the items a shopper chose
 *   are first mapped through returnableFulfillments (which also says how many are still returnable:
 *   shipped and not held by another return).
 * - ReturnRequestLineItemInput.returnReason is deprecated for returnReasonDefinitionId, but the
 *   definitions are per-shop records; the enum still works in 2026-07 and is what a portal offers.
 * - orderCancel's `refund` is deprecated for `refundMethod` (a @oneOf: originalPaymentMethodsRefund
 *   or storeCreditRefund); its errors are in `orderCancelUserErrors` (`userErrors` is deprecated).
 *   It answers with a Job: the cancellation itself runs after the answer.
 */

/** Fulfillments per returnableFulfillments page; an order with more is paged. */
export const RETURNABLE_FULFILLMENTS_PAGE_SIZE = 5;
/** Returnable line items read per fulfillment (a shipment of more than this is not expected). */
export const RETURNABLE_LINE_ITEMS_PAGE_SIZE = 50;

/** A return as Shopdesk records it on the request's ticket. */
const RETURN_FIELDS = `{ id name status requestApprovedAt decline { reason note } order { id } }`;

/** ReturnUserError and OrderCancelUserError share these. */
const USER_ERROR_FIELDS = `{ field message code }`;

export const RETURNABLE_FULFILLMENTS_QUERY = `#graphql
  query ShopdeskReturnableFulfillments($orderId: ID!, $after: String) {
    returnableFulfillments(orderId: $orderId, first: 5, after: $after) {
      nodes {
        returnableFulfillmentLineItems(first: 50) {
          nodes { quantity fulfillmentLineItem { id lineItem { id } } }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/**
 * The order's latest returns with their items: before filing a return for a portal request, the one
 * an earlier try already filed (a crash between Shopify's answer and our write) is found and used.
 */
export const ORDER_RETURNS_QUERY = `#graphql
  query ShopdeskOrderReturns($orderId: ID!) {
    order(id: $orderId) {
      returns(first: 10, reverse: true) {
        nodes {
          id name status requestApprovedAt decline { reason note } order { id }
          returnLineItems(first: 20) {
            nodes { quantity ... on ReturnLineItem { fulfillmentLineItem { lineItem { id } } } }
          }
        }
      }
    }
  }
`;

export const RETURN_REQUEST_MUTATION = `#graphql
  mutation ShopdeskReturnRequest($input: ReturnRequestInput!) {
    returnRequest(input: $input) {
      return ${RETURN_FIELDS}
      userErrors ${USER_ERROR_FIELDS}
    }
  }
`;

export const RETURN_APPROVE_MUTATION = `#graphql
  mutation ShopdeskReturnApprove($input: ReturnApproveRequestInput!) {
    returnApproveRequest(input: $input) {
      return ${RETURN_FIELDS}
      userErrors ${USER_ERROR_FIELDS}
    }
  }
`;

export const RETURN_DECLINE_MUTATION = `#graphql
  mutation ShopdeskReturnDecline($input: ReturnDeclineRequestInput!) {
    returnDeclineRequest(input: $input) {
      return ${RETURN_FIELDS}
      userErrors ${USER_ERROR_FIELDS}
    }
  }
`;

export const ORDER_CANCEL_MUTATION = `#graphql
  mutation ShopdeskOrderCancel(
    $orderId: ID!
    $reason: OrderCancelReason!
    $refundMethod: OrderCancelRefundMethodInput!
    $restock: Boolean!
    $notifyCustomer: Boolean!
    $staffNote: String
  ) {
    orderCancel(
      orderId: $orderId
      reason: $reason
      refundMethod: $refundMethod
      restock: $restock
      notifyCustomer: $notifyCustomer
      staffNote: $staffNote
    ) {
      job { id done }
      orderCancelUserErrors ${USER_ERROR_FIELDS}
    }
  }
`;
