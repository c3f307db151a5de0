import { z } from "zod";
import {
  PAGE_LOAD_RETRY_POLICY,
  runAdminQuery,
  type AdminGraphqlClient,
  type AdminQueryOptions,
} from "./admin-graphql.server";
import {
  RETURN_APPROVE_MUTATION,
  RETURN_DECLINE_MUTATION,
  ORDER_RETURNS_QUERY,
  RETURN_REQUEST_MUTATION,
  RETURNABLE_FULFILLMENTS_QUERY,
} from "./order-action-documents";
import {
  failureFromError,
  rejected,
  ShopifyUserErrorSchema,
  toGid,
  type ShopifyActionResult,
  type ShopifyUserError,
} from "./order-actions.server";

// A shopper's return, carried out in Shopify when an agent approves it: returnRequest (status
// REQUESTED), then returnApproveRequest (OPEN) or returnDeclineRequest (DECLINED). Each answers a
// value: the return as Shopify now has it, or what stopped it in words an agent can act on.

/** Shopify's ReturnReason values (Admin 2026-07), what a portal offers the shopper. */
export const RETURN_REASONS = [
  "COLOR",
  "DEFECTIVE",
  "NOT_AS_DESCRIBED",
  "OTHER",
  "SIZE_TOO_LARGE",
  "SIZE_TOO_SMALL",
  "STYLE",
  "UNKNOWN",
  "UNWANTED",
  "WRONG_ITEM",
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/** ReturnDeclineReason. */
export const RETURN_DECLINE_REASONS = ["FINAL_SALE", "OTHER", "RETURN_PERIOD_ENDED"] as const;
export type ReturnDeclineReason = (typeof RETURN_DECLINE_REASONS)[number];

/** Limits Shopify documents on the inputs (ReturnRequestLineItemInput, ReturnDeclineRequestInput). */
export const CUSTOMER_NOTE_MAX_LENGTH = 300;
export const DECLINE_NOTE_MAX_LENGTH = 500;

const ReturnSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(["CANCELED", "CLOSED", "DECLINED", "OPEN", "REQUESTED"]),
  requestApprovedAt: z.string().nullable(),
  decline: z.object({ reason: z.enum(RETURN_DECLINE_REASONS), note: z.string().nullable() }).nullable(),
  order: z.object({ id: z.string() }),
});

/** A return as Shopify has it after the call; `id` is the Return GID to keep on the request. */
export interface ShopifyReturn {
  id: string;
  name: string;
  status: z.infer<typeof ReturnSchema>["status"];
  orderId: string;
  requestApprovedAt: string | null;
  decline: { reason: ReturnDeclineReason; note: string | null } | null;
}

const ReturnPayloadSchema = z.object({ return: ReturnSchema.nullable(), userErrors: z.array(ShopifyUserErrorSchema) });
const ReturnRequestResultSchema = z.object({ returnRequest: ReturnPayloadSchema });
const ReturnApproveResultSchema = z.object({ returnApproveRequest: ReturnPayloadSchema });
const ReturnDeclineResultSchema = z.object({ returnDeclineRequest: ReturnPayloadSchema });

const ReturnableFulfillmentsSchema = z.object({
  returnableFulfillments: z.object({
    nodes: z.array(
      z.object({
        returnableFulfillmentLineItems: z.object({
          nodes: z.array(
            z.object({
              quantity: z.number().int(),
              fulfillmentLineItem: z.object({ id: z.string(), lineItem: z.object({ id: z.string() }) }),
            }),
          ),
        }),
      }),
    ),
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
  }),
});

export interface ReturnItemRequest {
  /** The order's line item (gid://shopify/LineItem/… or its digits), as the shopper picked it. */
  lineItemId: string;
  quantity: number;
  reason: ReturnReason;
  /** The shopper's words, shown to the merchant in Shopify (at most 300 characters). */
  customerNote?: string | null;
}

export type ReturnResult = ShopifyActionResult<{ return: ShopifyReturn }>;

const RETURNS_ACCESS = { doing: "manage returns", scopes: "“Manage returns” (write_returns)" };

// An agent is waiting on the click: short retries, then an answer.
const DEFAULT_OPTIONS: AdminQueryOptions = { retry: PAGE_LOAD_RETRY_POLICY };

/**
 * Files the shopper's return in Shopify as a request (status REQUESTED). The items name order line
 * items; Shopify wants the shipped (fulfillment) line items, so they are mapped through
 * returnableFulfillments, which also tells whether that many can still come back.
 */
export async function requestReturn(
  admin: AdminGraphqlClient,
  request: { orderId: string; items: readonly ReturnItemRequest[] },
  options: AdminQueryOptions = DEFAULT_OPTIONS,
): Promise<ReturnResult> {
  const orderId = toGid("Order", request.orderId);
  if (request.items.length === 0) return rejected("Choose at least one item to return.");
  for (const item of request.items) {
    if (!Number.isInteger(item.quantity) || item.quantity < 1)
      return rejected("Each item needs a quantity of 1 or more.");
    if ((item.customerNote ?? "").length > CUSTOMER_NOTE_MAX_LENGTH) {
      return rejected(`The shopper's note is longer than Shopify takes (${CUSTOMER_NOTE_MAX_LENGTH} characters).`);
    }
  }
  try {
    const returnable = await returnableByLineItem(admin, orderId, options);
    const returnLineItems: {
      fulfillmentLineItemId: string;
      quantity: number;
      returnReason: ReturnReason;
      customerNote: string | null;
    }[] = [];
    for (const item of request.items) {
      const lineItemId = toGid("LineItem", item.lineItemId);
      const shipped = returnable.get(lineItemId) ?? [];
      const available = shipped.reduce((sum, line) => sum + line.quantity, 0);
      if (available < item.quantity) {
        return rejected(
          available === 0
            ? "One of the items can't be returned in Shopify: it hasn't shipped yet, or it is already in another return."
            : `Shopify can take back only ${available} of the ${item.quantity} asked for one of the items: the rest hasn't shipped yet or is already in another return.`,
        );
      }
      // One order line may have shipped in several fulfillments: take from each in turn.
      let remaining = item.quantity;
      for (const line of shipped) {
        if (remaining === 0) break;
        const quantity = Math.min(remaining, line.quantity);
        if (quantity === 0) continue;
        line.quantity -= quantity; // the same line asked twice takes from what is left
        remaining -= quantity;
        returnLineItems.push({
          fulfillmentLineItemId: line.fulfillmentLineItemId,
          quantity,
          returnReason: item.reason,
          customerNote: item.customerNote ?? null,
        });
      }
    }
    const data = await runAdminQuery(
      admin,
      RETURN_REQUEST_MUTATION,
      ReturnRequestResultSchema,
      { input: { orderId, returnLineItems } },
      options,
    );
    return returnResult(data.returnRequest, "request");
  } catch (error) {
    return failureFromError(error, RETURNS_ACCESS);
  }
}

/** Approves a REQUESTED return in Shopify (it becomes OPEN); Shopify emails the shopper if asked. */
export async function approveReturn(
  admin: AdminGraphqlClient,
  returnId: string,
  decision: { notifyCustomer: boolean },
  options: AdminQueryOptions = DEFAULT_OPTIONS,
): Promise<ReturnResult> {
  const id = toGid("Return", returnId);
  try {
    const data = await runAdminQuery(
      admin,
      RETURN_APPROVE_MUTATION,
      ReturnApproveResultSchema,
      { input: { id, notifyCustomer: decision.notifyCustomer } },
      options,
    );
    return returnResult(data.returnApproveRequest, "approve");
  } catch (error) {
    return failureFromError(error, RETURNS_ACCESS);
  }
}

/** Declines a REQUESTED return in Shopify (DECLINED, with the reason and the note the shopper may see). */
export async function declineReturn(
  admin: AdminGraphqlClient,
  returnId: string,
  decision: { reason: ReturnDeclineReason; note?: string | null; notifyCustomer: boolean },
  options: AdminQueryOptions = DEFAULT_OPTIONS,
): Promise<ReturnResult> {
  const id = toGid("Return", returnId);
  if ((decision.note ?? "").length > DECLINE_NOTE_MAX_LENGTH) {
    return rejected(`The note to the shopper is longer than Shopify takes (${DECLINE_NOTE_MAX_LENGTH} characters).`);
  }
  try {
    const data = await runAdminQuery(
      admin,
      RETURN_DECLINE_MUTATION,
      ReturnDeclineResultSchema,
      {
        input: {
          id,
          declineReason: decision.reason,
          declineNote: decision.note ?? null,
          notifyCustomer: decision.notifyCustomer,
        },
      },
      options,
    );
    return returnResult(data.returnDeclineRequest, "decline");
  } catch (error) {
    return failureFromError(error, RETURNS_ACCESS);
  }
}

const OrderReturnsSchema = z.object({
  order: z
    .object({
      returns: z.object({
        nodes: z.array(
          ReturnSchema.extend({
            returnLineItems: z.object({
              nodes: z.array(
                z.object({
                  quantity: z.number().int(),
                  fulfillmentLineItem: z.object({ lineItem: z.object({ id: z.string() }) }).optional(),
                }),
              ),
            }),
          }),
        ),
      }),
    })
    .nullable(),
});

/**
 * The order's REQUESTED or OPEN return holding exactly these items and quantities, if there is one
 * (newest first): what an earlier try filed for the same request when its answer was lost.
 */
export async function findActiveReturn(
  admin: AdminGraphqlClient,
  request: { orderId: string; items: readonly { lineItemId: string; quantity: number }[] },
  options: AdminQueryOptions = DEFAULT_OPTIONS,
): Promise<ShopifyActionResult<{ return: ShopifyReturn | null }>> {
  const orderId = toGid("Order", request.orderId);
  const wanted = quantitiesByLineItem(
    request.items.map((item) => ({ ...item, lineItemId: toGid("LineItem", item.lineItemId) })),
  );
  try {
    const data = await runAdminQuery(admin, ORDER_RETURNS_QUERY, OrderReturnsSchema, { orderId }, options);
    for (const { returnLineItems, order, ...ret } of data.order?.returns.nodes ?? []) {
      if (ret.status !== "REQUESTED" && ret.status !== "OPEN") continue;
      const held = quantitiesByLineItem(
        returnLineItems.nodes.map((line) => ({
          lineItemId: line.fulfillmentLineItem?.lineItem.id ?? "",
          quantity: line.quantity,
        })),
      );
      if (held.size === wanted.size && [...wanted].every(([id, quantity]) => held.get(id) === quantity)) {
        return { ok: true, return: { ...ret, orderId: order.id } };
      }
    }
    return { ok: true, return: null };
  } catch (error) {
    return failureFromError(error, RETURNS_ACCESS);
  }
}

function quantitiesByLineItem(items: readonly { lineItemId: string; quantity: number }[]) {
  const totals = new Map<string, number>();
  for (const item of items) totals.set(item.lineItemId, (totals.get(item.lineItemId) ?? 0) + item.quantity);
  return totals;
}

/** Per order line item: the shipped lines it can still be returned from, and how many of each. */
async function returnableByLineItem(
  admin: AdminGraphqlClient,
  orderId: string,
  options: AdminQueryOptions,
): Promise<Map<string, { fulfillmentLineItemId: string; quantity: number }[]>> {
  const byLineItem = new Map<string, { fulfillmentLineItemId: string; quantity: number }[]>();
  let after: string | null = null;
  do {
    const page: z.infer<typeof ReturnableFulfillmentsSchema> = await runAdminQuery(
      admin,
      RETURNABLE_FULFILLMENTS_QUERY,
      ReturnableFulfillmentsSchema,
      { orderId, after },
      options,
    );
    for (const fulfillment of page.returnableFulfillments.nodes) {
      for (const node of fulfillment.returnableFulfillmentLineItems.nodes) {
        const lines = byLineItem.get(node.fulfillmentLineItem.lineItem.id) ?? [];
        lines.push({ fulfillmentLineItemId: node.fulfillmentLineItem.id, quantity: node.quantity });
        byLineItem.set(node.fulfillmentLineItem.lineItem.id, lines);
      }
    }
    const { hasNextPage, endCursor } = page.returnableFulfillments.pageInfo;
    after = hasNextPage ? endCursor : null;
  } while (after);
  return byLineItem;
}

function returnResult(payload: z.infer<typeof ReturnPayloadSchema>, action: ReturnAction): ReturnResult {
  if (payload.userErrors.length > 0 || !payload.return) {
    return rejected(describeReturnErrors(payload.userErrors, action), payload.userErrors);
  }
  const { order, ...ret } = payload.return;
  return { ok: true, return: { ...ret, orderId: order.id } };
}

type ReturnAction = "request" | "approve" | "decline";

/** Shopify's ReturnUserErrors in words an agent can act on (the first error decides; Shopify's text otherwise). */
export function describeReturnErrors(userErrors: readonly ShopifyUserError[], action: ReturnAction): string {
  const [first] = userErrors;
  if (!first) return "Shopify didn't say what went wrong. Check the order in Shopify.";
  const field = first.field?.at(-1);
  switch (first.code) {
    case "NOT_FOUND":
      if (field === "orderId") return "Shopify no longer has this order (it may have been deleted).";
      if (field === "id") return "Shopify no longer has this return. Refresh the order to see its returns.";
      return "Some of the items aren't on a shipment of this order in Shopify, so they can't be returned yet.";
    case "INVALID_STATE":
      return action === "request"
        ? "Shopify won't take a return on this order in its current state. Check the order in Shopify."
        : `This return was already approved, declined or closed in Shopify, so it can't be ${action === "approve" ? "approved" : "declined"} now. Refresh the order to see where it stands.`;
    case "BLANK":
      return "Choose at least one item to return.";
    case "GREATER_THAN":
    case "GREATER_THAN_OR_EQUAL_TO":
    case "LESS_THAN":
    case "LESS_THAN_OR_EQUAL_TO":
      return "Shopify won't accept these quantities: more than was delivered, or items already in another return.";
    case "TOO_LONG":
      return field === "declineNote"
        ? `The note to the shopper is too long for Shopify (${DECLINE_NOTE_MAX_LENGTH} characters at most).`
        : `The shopper's note is too long for Shopify (${CUSTOMER_NOTE_MAX_LENGTH} characters at most).`;
    case "INVALID":
      if (field === "quantity") {
        return "Shopify won't accept these quantities: more than was delivered, or items already in another return.";
      }
      return `Shopify refused the return: ${first.message}`;
    default:
      return `Shopify refused the return: ${first.message}`;
  }
}
