import { z } from "zod";
import { orderDetailsFromGraphql, orderSnapshotFromGraphql } from "~/domain/shopify/order-mapping";
import type { OrderDetails, ShopifyOrderSnapshot } from "~/domain/shopify/snapshots";
import {
  runAdminQuery,
  type AdminGraphqlClient,
  type AdminQueryOptions,
} from "~/services/shopify/admin-graphql.server";
import {
  CUSTOMER_NOTE_QUERY,
  CUSTOMER_UPDATE_NOTE_MUTATION,
  ORDER_DETAILS_BATCH_SIZE,
  ORDER_DETAILS_BY_IDS_QUERY,
  ORDERS_BY_IDS_BATCH_SIZE,
  ORDERS_BY_IDS_QUERY,
} from "~/services/shopify/order-documents";

// Node shapes are checked in depth by the mappers (they zod-parse GraphqlOrderSchema); here we
// only check the envelope.
const NodesSchema = z.object({ nodes: z.array(z.unknown().nullable()) });

/** Full orders by GID, in batches the query cost allows. Orders Shopify no longer has are omitted. */
export async function fetchOrdersByIds(
  admin: AdminGraphqlClient,
  ids: readonly string[],
  options: AdminQueryOptions = {},
): Promise<ShopifyOrderSnapshot[]> {
  const orders: ShopifyOrderSnapshot[] = [];
  for (let start = 0; start < ids.length; start += ORDERS_BY_IDS_BATCH_SIZE) {
    const batch = ids.slice(start, start + ORDERS_BY_IDS_BATCH_SIZE);
    const result = await runAdminQuery(admin, ORDERS_BY_IDS_QUERY, NodesSchema, { ids: batch }, options);
    for (const node of result.nodes) if (node) orders.push(orderSnapshotFromGraphql(node));
  }
  return orders;
}

/** Fulfillments and refunds of orders by GID (ORDER_DETAILS_BY_IDS_QUERY). Orders Shopify no longer has are omitted. */
export async function fetchOrderDetailsByIds(
  admin: AdminGraphqlClient,
  ids: readonly string[],
  options: AdminQueryOptions = {},
): Promise<OrderDetails[]> {
  const details: OrderDetails[] = [];
  for (let start = 0; start < ids.length; start += ORDER_DETAILS_BATCH_SIZE) {
    const batch = ids.slice(start, start + ORDER_DETAILS_BATCH_SIZE);
    const result = await runAdminQuery(admin, ORDER_DETAILS_BY_IDS_QUERY, NodesSchema, { ids: batch }, options);
    for (const node of result.nodes) if (node) details.push(orderDetailsFromGraphql(node));
  }
  return details;
}

const CustomerNoteSchema = z.object({
  customer: z.object({ id: z.string(), note: z.string().nullable(), updatedAt: z.string() }).nullable(),
});

export async function fetchCustomerNote(admin: AdminGraphqlClient, customerId: string) {
  const result = await runAdminQuery(admin, CUSTOMER_NOTE_QUERY, CustomerNoteSchema, { id: customerId });
  return result.customer;
}

const CustomerUpdateSchema = z.object({
  customerUpdate: z.object({
    customer: z.object({ id: z.string(), note: z.string().nullable(), updatedAt: z.string() }).nullable(),
    userErrors: z.array(z.object({ field: z.array(z.string()).nullable(), message: z.string() })),
  }),
});

export class ShopifyRefusedError extends Error {
  override name = "ShopifyRefusedError";
}

/** Writes a customer note to Shopify (customerUpdate). Setting a note twice is harmless: idempotent. */
export async function writeCustomerNote(admin: AdminGraphqlClient, customerId: string, note: string | null) {
  const result = await runAdminQuery(
    admin,
    CUSTOMER_UPDATE_NOTE_MUTATION,
    CustomerUpdateSchema,
    { input: { id: customerId, note: note ?? "" } },
    { idempotent: true },
  );
  const { customer, userErrors } = result.customerUpdate;
  if (userErrors.length > 0 || !customer) {
    throw new ShopifyRefusedError(userErrors.map((error) => error.message).join("; ") || "Shopify refused the note");
  }
  return customer;
}
