// Resolvers from the real Admin schema's types to the emulator's records. Every object value is a
// "view" tagged with its GraphQL __typename (so Node/union resolution works) and carries the records
// it needs (a line item knows its order). Fields without a resolver read the property of the same
// name; anything still missing resolves to null / [] / an empty connection, so unusual but valid
// queries never crash.
import { GraphQLError } from "graphql";
import {
  addressName,
  customerDisplayName,
  displayFinancialStatus,
  displayFulfillmentStatus,
  fulfilledQuantity,
  fulfillmentDisplayStatus,
  gid,
  lineItemsSubtotalCents,
  orderTotalCents,
  parseGid,
  refundedCents,
  refundedQuantity,
  returnableQuantity,
  unfulfilledQuantity,
  type AddressRecord,
  type CustomerRecord,
  type FulfillmentEventRecord,
  type FulfillmentRecord,
  type LineItemRecord,
  type OrderRecord,
  type RefundRecord,
  type ReturnRecord,
} from "./model.ts";
import { paginate, paginateList, type ConnectionArgs, type SortKey } from "./connection.ts";
import { compileSearchQuery, type SearchFields } from "./search-query.ts";
import { THEME_RESOLVERS, themeQueryResolvers } from "./themes.ts";
import {
  CommandError,
  UserInputError,
  type OpenReturnInput,
  type ShopState,
  type WebhookSubscriptionRecord,
  type World,
} from "./world.ts";

// ---- context ---------------------------------------------------------------------------------

export interface BulkOperationView {
  id: number;
  status: string;
  errorCode: string | null;
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  url: string | null;
  query: string;
  type: "QUERY" | "MUTATION";
}

export interface AdminContext {
  shop: ShopState;
  world: World;
  scopes: string[];
  apiVersion: string;
  bulk: {
    run(
      shop: ShopState,
      query: string,
    ): {
      operation?: BulkOperationView;
      userErrors: { field: string[] | null; message: string; code: string | null }[];
    };
    get(shop: ShopState, id: number): BulkOperationView | undefined;
    current(shop: ShopState): BulkOperationView | undefined;
    cancel(
      shop: ShopState,
      id: number,
    ): { operation?: BulkOperationView; userErrors: { field: string[] | null; message: string }[] };
  };
  webhookTopics: {
    create(
      shop: ShopState,
      topic: string,
      input: { uri: string; format?: string | null; filter?: string | null; includeFields?: string[] | null },
    ): WebhookSubscriptionRecord;
    remove(shop: ShopState, id: number): boolean;
  };
}

type Args = Record<string, unknown>;
export type Resolver = (source: unknown, args: Args, context: AdminContext) => unknown;
type View<T extends string, R> = { __typename: T } & R;

type OrderView = View<"Order", { order: OrderRecord }>;
type CustomerView = View<"Customer", { customer: CustomerRecord }>;
type LineItemView = View<"LineItem", { order: OrderRecord; item: LineItemRecord }>;
type FulfillmentView = View<"Fulfillment", { order: OrderRecord; fulfillment: FulfillmentRecord }>;
type FulfillmentEventView = View<"FulfillmentEvent", { order: OrderRecord; event: FulfillmentEventRecord }>;
type FulfillmentLineItemView = View<
  "FulfillmentLineItem",
  { order: OrderRecord; line: FulfillmentRecord["lineItems"][number] }
>;
type RefundView = View<"Refund", { order: OrderRecord; refund: RefundRecord }>;
type ReturnView = View<"Return", { order: OrderRecord; ret: ReturnRecord }>;
type AddressView = View<"MailingAddress", { address: AddressRecord; customerAddress: boolean }>;
type ProductVariantView = View<"ProductVariant", { order: OrderRecord; item: LineItemRecord }>;
type ReturnableFulfillmentView = View<"ReturnableFulfillment", { order: OrderRecord; fulfillment: FulfillmentRecord }>;

export const orderView = (order: OrderRecord): OrderView => ({ __typename: "Order", order });
export const customerView = (customer: CustomerRecord): CustomerView => ({ __typename: "Customer", customer });
const lineItemView = (order: OrderRecord, item: LineItemRecord): LineItemView => ({
  __typename: "LineItem",
  order,
  item,
});
const fulfillmentView = (order: OrderRecord, fulfillment: FulfillmentRecord): FulfillmentView => ({
  __typename: "Fulfillment",
  order,
  fulfillment,
});
const refundView = (order: OrderRecord, refund: RefundRecord): RefundView => ({ __typename: "Refund", order, refund });
const returnView = (order: OrderRecord, ret: ReturnRecord): ReturnView => ({ __typename: "Return", order, ret });
const addressView = (address: AddressRecord | null, customerAddress = false): AddressView | null =>
  address ? { __typename: "MailingAddress", address, customerAddress } : null;

// ---- value helpers ---------------------------------------------------------------------------

/** Shopify's Decimal: no trailing zeros beyond one decimal ("12.5", "10.0"). */
export function decimal(cents: number): string {
  const fixed = (cents / 100).toFixed(2);
  return fixed.endsWith("0") ? fixed.slice(0, -1) : fixed;
}
const money = (cents: number, currencyCode: string) => ({ amount: decimal(cents), currencyCode });
const moneyBag = (cents: number, currencyCode: string) => ({
  shopMoney: money(cents, currencyCode),
  presentmentMoney: money(cents, currencyCode),
});

/** Set by the bulk executor on connection arguments: page through everything. */
export const UNBOUNDED = "__emulatorUnbounded";

function pageArgs(args: Args): ConnectionArgs & { reverse?: boolean } {
  return {
    first: args.first as number | undefined,
    last: args.last as number | undefined,
    after: args.after as string | undefined,
    before: args.before as string | undefined,
    reverse: args.reverse as boolean | undefined,
    unbounded: args[UNBOUNDED] === true,
  };
}

function requireGid(value: unknown, type?: string): { type: string; id: number } {
  const parsed = typeof value === "string" ? parseGid(value) : null;
  if (!parsed || (type && parsed.type !== type)) {
    throw new GraphQLError(`Invalid global id '${String(value)}'`, {
      extensions: { code: "argumentLiteralsIncompatible" },
    });
  }
  return parsed;
}

/**
 * Shopify's answer to a field the app's access scopes don't cover: a top-level ACCESS_DENIED error
 * (the payload resolves to null), e.g. "Access denied for returnRequest field. Required access:
 * `write_returns` access scope or `write_marketplace_returns` access scope."
 */
function requireAccess(context: AdminContext, field: string, anyOfScopes: readonly string[]): void {
  if (anyOfScopes.some((scope) => context.scopes.includes(scope))) return;
  const requiredAccess = `${anyOfScopes.map((scope) => `\`${scope}\` access scope`).join(" or ")}.`;
  throw new GraphQLError(`Access denied for ${field} field. Required access: ${requiredAccess}`, {
    extensions: {
      code: "ACCESS_DENIED",
      documentation: "https://shopify.dev/api/usage/access-scopes",
      requiredAccess,
    },
  });
}

// The scopes each modelled mutation needs (shopify.dev: "Requires `write_returns` access scope or
// `write_marketplace_returns` access scope"; orderCancel: `write_orders` or `write_marketplace_orders`).
const WRITE_RETURNS = ["write_returns", "write_marketplace_returns"] as const;
const READ_RETURNS = [
  "read_returns",
  "write_returns",
  "read_marketplace_returns",
  "write_marketplace_returns",
] as const;
const WRITE_ORDERS = ["write_orders", "write_marketplace_orders"] as const;

// ---- sorted, filtered lists (cached per shop version) -----------------------------------------

const sortedCache = new WeakMap<ShopState, Map<string, { version: number; items: unknown[] }>>();

function cachedList<T>(shop: ShopState, key: string, build: () => T[]): T[] {
  let cache = sortedCache.get(shop);
  if (!cache) sortedCache.set(shop, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && hit.version === shop.version) return hit.items as T[];
  const items = build();
  if (cache.size > 16) cache.clear();
  cache.set(key, { version: shop.version, items });
  return items;
}

const orderStatusText = (order: OrderRecord) => (order.cancelledAt ? "cancelled" : order.closedAt ? "closed" : "open");
const fulfillmentStatusWords: Record<string, string[]> = {
  UNFULFILLED: ["unshipped", "unfulfilled"],
  PARTIALLY_FULFILLED: ["partial", "unfulfilled"],
  FULFILLED: ["shipped", "fulfilled"],
};

export function orderSearchFields(shop: ShopState): SearchFields<OrderRecord> {
  return {
    id: { kind: "id", get: (order) => order.id },
    name: { kind: "text", get: (order) => order.name },
    email: { kind: "text", get: (order) => order.email },
    created_at: { kind: "date", get: (order) => order.createdAt },
    updated_at: { kind: "date", get: (order) => order.updatedAt },
    processed_at: { kind: "date", get: (order) => order.processedAt },
    status: { kind: "list", get: (order) => [orderStatusText(order), ...(order.closedAt ? [] : ["not_closed"])] },
    financial_status: { kind: "text", get: (order) => displayFinancialStatus(order).toLowerCase() },
    fulfillment_status: { kind: "list", get: (order) => fulfillmentStatusWords[displayFulfillmentStatus(order)] ?? [] },
    customer_id: { kind: "id", get: (order) => order.customerId },
    tag: { kind: "list", get: (order) => order.tags },
    gateway: { kind: "list", get: (order) => order.paymentGatewayNames },
    sku: { kind: "list", get: (order) => order.lineItems.map((item) => item.sku) },
    test: { kind: "text", get: () => "false" },
    phone: { kind: "text", get: (order) => order.phone },
    customer_email: {
      kind: "text",
      get: (order) => (order.customerId ? (shop.customers.get(order.customerId)?.email ?? null) : null),
    },
  };
}

const orderFreeText = (order: OrderRecord) => [order.name, order.email ?? "", String(order.number)];

const ORDER_SORT: Record<string, (order: OrderRecord) => string | number> = {
  CREATED_AT: (order) => order.createdAt,
  PROCESSED_AT: (order) => order.processedAt,
  UPDATED_AT: (order) => order.updatedAt,
  ORDER_NUMBER: (order) => order.number,
  TOTAL_PRICE: (order) => orderTotalCents(order),
  CURRENT_TOTAL_PRICE: (order) => orderTotalCents(order) - refundedCents(order),
  FINANCIAL_STATUS: (order) => displayFinancialStatus(order),
  FULFILLMENT_STATUS: (order) => displayFulfillmentStatus(order),
  TOTAL_ITEMS_QUANTITY: (order) => order.lineItems.reduce((sum, item) => sum + item.quantity, 0),
  DESTINATION: (order) => order.shippingAddress?.city ?? "",
  PO_NUMBER: () => "",
};

export function sortedOrders(
  shop: ShopState,
  sortKey: string,
  query: string | null | undefined,
  source?: readonly OrderRecord[],
): OrderRecord[] {
  const byKey = ORDER_SORT[sortKey];
  const build = () => {
    const predicate = compileSearchQuery(query, orderSearchFields(shop), orderFreeText);
    const all = source ?? [...shop.orders.values()];
    const items = predicate ? all.filter(predicate) : [...all];
    if (sortKey === "CUSTOMER_NAME") {
      const name = (order: OrderRecord) => customerNameOf(shop, order);
      items.sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : a.id - b.id));
    } else if (byKey) {
      items.sort((a, b) => {
        const left = byKey(a);
        const right = byKey(b);
        return left < right ? -1 : left > right ? 1 : a.id - b.id;
      });
    } else {
      items.sort((a, b) => a.id - b.id);
    }
    return items;
  };
  return source ? build() : cachedList(shop, `orders|${sortKey}|${query ?? ""}`, build);
}

function customerNameOf(shop: ShopState, order: OrderRecord): string {
  const customer = order.customerId === null ? undefined : shop.customers.get(order.customerId);
  return customer ? customerDisplayName(customer) : "";
}

export function orderSortKey(shop: ShopState, sortKey: string): (order: OrderRecord) => SortKey {
  if (sortKey === "CUSTOMER_NAME") return (order) => ({ value: customerNameOf(shop, order), id: order.id });
  const byKey = ORDER_SORT[sortKey];
  return byKey ? (order) => ({ value: byKey(order), id: order.id }) : (order) => ({ value: order.id, id: order.id });
}

export function customerSearchFields(): SearchFields<CustomerRecord> {
  return {
    id: { kind: "id", get: (customer) => customer.id },
    email: { kind: "text", get: (customer) => customer.email },
    phone: { kind: "text", get: (customer) => customer.phone },
    first_name: { kind: "text", get: (customer) => customer.firstName },
    last_name: { kind: "text", get: (customer) => customer.lastName },
    created_at: { kind: "date", get: (customer) => customer.createdAt },
    updated_at: { kind: "date", get: (customer) => customer.updatedAt },
    tag: { kind: "list", get: (customer) => customer.tags },
    orders_count: { kind: "number", get: (customer) => customer.orderIds.length },
    country: { kind: "text", get: (customer) => customer.addresses[0]?.country ?? null },
    state: { kind: "text", get: (customer) => customer.state.toLowerCase() },
  };
}

const customerFreeText = (customer: CustomerRecord) => [
  customerDisplayName(customer),
  customer.email ?? "",
  customer.phone ?? "",
];

const CUSTOMER_SORT: Record<string, (customer: CustomerRecord) => string | number> = {
  CREATED_AT: (customer) => customer.createdAt,
  UPDATED_AT: (customer) => customer.updatedAt,
  NAME: (customer) => customerDisplayName(customer).toLowerCase(),
  LOCATION: (customer) => customer.addresses[0]?.city ?? "",
};

export function sortedCustomers(shop: ShopState, sortKey: string, query: string | null | undefined): CustomerRecord[] {
  return cachedList(shop, `customers|${sortKey}|${query ?? ""}`, () => {
    const predicate = compileSearchQuery(query, customerSearchFields(), customerFreeText);
    const all = [...shop.customers.values()];
    const items = predicate ? all.filter(predicate) : all;
    const byKey = CUSTOMER_SORT[sortKey];
    if (byKey) items.sort((a, b) => (byKey(a) < byKey(b) ? -1 : byKey(a) > byKey(b) ? 1 : a.id - b.id));
    else items.sort((a, b) => a.id - b.id);
    return items;
  });
}

export function customerSortKey(sortKey: string): (customer: CustomerRecord) => SortKey {
  const byKey = CUSTOMER_SORT[sortKey];
  return byKey
    ? (customer) => ({ value: byKey(customer), id: customer.id })
    : (customer) => ({ value: customer.id, id: customer.id });
}

// ---- node lookup -------------------------------------------------------------------------------

export function resolveNode(context: AdminContext, id: unknown): unknown {
  const parsed = typeof id === "string" ? parseGid(id) : null;
  if (!parsed) return null;
  const { shop } = context;
  switch (parsed.type) {
    case "Order": {
      const order = shop.orders.get(parsed.id);
      return order ? orderView(order) : null;
    }
    case "Customer": {
      const customer = shop.customers.get(parsed.id);
      return customer ? customerView(customer) : null;
    }
    case "Shop":
      return parsed.id === shop.record.id ? { __typename: "Shop" } : null;
    case "WebhookSubscription": {
      const subscription = shop.webhookSubscriptions.get(parsed.id);
      return subscription ? { __typename: "WebhookSubscription", subscription } : null;
    }
    case "BulkOperation": {
      const operation = context.bulk.get(shop, parsed.id);
      return operation ? { __typename: "BulkOperation", ...operation } : null;
    }
    case "LineItem":
    case "Fulfillment":
    case "FulfillmentEvent":
    case "FulfillmentLineItem":
    case "Refund":
    case "Return": {
      const order = shop.orderOwning(parsed.id);
      if (!order) return null;
      if (parsed.type === "LineItem") {
        const item = order.lineItems.find((candidate) => candidate.id === parsed.id);
        return item ? lineItemView(order, item) : null;
      }
      if (parsed.type === "Refund") {
        const refund = order.refunds.find((candidate) => candidate.id === parsed.id);
        return refund ? refundView(order, refund) : null;
      }
      if (parsed.type === "Return") {
        const ret = order.returns.find((candidate) => candidate.id === parsed.id);
        return ret ? returnView(order, ret) : null;
      }
      for (const fulfillment of order.fulfillments) {
        if (parsed.type === "Fulfillment" && fulfillment.id === parsed.id) return fulfillmentView(order, fulfillment);
        if (parsed.type === "FulfillmentEvent") {
          const event = fulfillment.events.find((candidate) => candidate.id === parsed.id);
          if (event) return { __typename: "FulfillmentEvent", order, event } satisfies FulfillmentEventView;
        }
        if (parsed.type === "FulfillmentLineItem") {
          const line = fulfillment.lineItems.find((candidate) => candidate.id === parsed.id);
          if (line) return { __typename: "FulfillmentLineItem", order, line } satisfies FulfillmentLineItemView;
        }
      }
      return null;
    }
    default:
      return null;
  }
}

// ---- resolvers per type ------------------------------------------------------------------------

const WEBHOOK_API_VERSION = (handle: string) => ({ handle, displayName: handle, supported: true });

function topicEnum(topic: string): string {
  return topic.replace(/[/.]/g, "_").toUpperCase();
}

function webhookSubscriptionFields(subscription: WebhookSubscriptionRecord, context: AdminContext) {
  return {
    id: gid("WebhookSubscription", subscription.id),
    legacyResourceId: String(subscription.id),
    topic: topicEnum(subscription.topic),
    uri: subscription.uri,
    callbackUrl: subscription.uri,
    endpoint: { __typename: "WebhookHttpEndpoint", callbackUrl: subscription.uri },
    format: subscription.format,
    filter: subscription.filter,
    includeFields: subscription.includeFields,
    metafieldNamespaces: [],
    metafields: [],
    name: null,
    createdAt: subscription.createdAt,
    updatedAt: subscription.updatedAt,
    apiVersion: WEBHOOK_API_VERSION(context.apiVersion),
  };
}

function bulkOperationFields(operation: BulkOperationView) {
  return {
    __typename: "BulkOperation",
    id: gid("BulkOperation", operation.id),
    status: operation.status,
    errorCode: operation.errorCode,
    createdAt: operation.createdAt,
    completedAt: operation.completedAt,
    objectCount: String(operation.objectCount),
    rootObjectCount: String(operation.rootObjectCount),
    fileSize: operation.fileSize === null ? null : String(operation.fileSize),
    url: operation.url,
    partialDataUrl: null,
    query: operation.query,
    type: operation.type,
  };
}

function userErrorsFrom(error: unknown, field: string[] | null): { field: string[] | null; message: string }[] {
  if (error instanceof CommandError) return [{ field, message: error.message }];
  throw error;
}

const queryRoot: Record<string, Resolver> = {
  shop: () => ({ __typename: "Shop" }),
  currentAppInstallation: (_source, _args, context) => ({
    __typename: "AppInstallation",
    id: gid("AppInstallation", context.shop.record.id),
    accessScopes: context.scopes.map((handle) => ({ handle, description: handle })),
    launchUrl: `https://admin.shopify.com/store/${context.shop.domain.replace(".myshopify.com", "")}/apps`,
  }),
  order: (_source, args, context) => {
    const order = context.shop.orders.get(requireGid(args.id, "Order").id);
    return order ? orderView(order) : null;
  },
  orders: (_source, args, context) => {
    const sortKey = (args.sortKey as string) ?? "PROCESSED_AT";
    const items = sortedOrders(context.shop, sortKey, args.query as string | undefined);
    return paginate(items, pageArgs(args), orderSortKey(context.shop, sortKey), orderView);
  },
  ordersCount: (_source, args, context) =>
    countOf(sortedOrders(context.shop, "ID", args.query as string | undefined).length, args.limit),
  customer: (_source, args, context) => {
    const customer = context.shop.customers.get(requireGid(args.id, "Customer").id);
    return customer ? customerView(customer) : null;
  },
  customers: (_source, args, context) => {
    const sortKey = (args.sortKey as string) ?? "ID";
    const items = sortedCustomers(context.shop, sortKey, args.query as string | undefined);
    return paginate(items, pageArgs(args), customerSortKey(sortKey), customerView);
  },
  customersCount: (_source, args, context) =>
    countOf(sortedCustomers(context.shop, "ID", args.query as string | undefined).length, args.limit),
  customerByIdentifier: (_source, args, context) => {
    const identifier = args.identifier as {
      emailAddress?: string;
      phoneNumber?: string;
      id?: string;
      customId?: unknown;
    };
    const reference = identifier.emailAddress ?? identifier.id ?? identifier.phoneNumber;
    if (!reference) return null;
    if (identifier.phoneNumber) {
      for (const customer of context.shop.customers.values())
        if (customer.phone === identifier.phoneNumber) return customerView(customer);
      return null;
    }
    const customer = context.shop.findCustomer(reference);
    return customer ? customerView(customer) : null;
  },
  node: (_source, args, context) => resolveNode(context, args.id),
  nodes: (_source, args, context) => (args.ids as string[]).map((id) => resolveNode(context, id)),
  fulfillment: (_source, args, context) =>
    resolveNode(context, gid("Fulfillment", requireGid(args.id, "Fulfillment").id)),
  return: (_source, args, context) => resolveNode(context, gid("Return", requireGid(args.id, "Return").id)),
  refund: (_source, args, context) => resolveNode(context, gid("Refund", requireGid(args.id, "Refund").id)),
  webhookSubscription: (_source, args, context) =>
    resolveNode(context, gid("WebhookSubscription", requireGid(args.id, "WebhookSubscription").id)),
  webhookSubscriptions: (_source, args, context) => {
    const topics = (args.topics as string[] | undefined) ?? null;
    const items = [...context.shop.webhookSubscriptions.values()].filter(
      (subscription) =>
        (!topics || topics.includes(topicEnum(subscription.topic))) &&
        (!args.uri || subscription.uri === args.uri) &&
        (!args.callbackUrl || subscription.uri === args.callbackUrl),
    );
    return paginate(
      items,
      pageArgs(args),
      (subscription) => ({ value: subscription.id, id: subscription.id }),
      (subscription) => ({
        __typename: "WebhookSubscription",
        subscription,
      }),
    );
  },
  webhookSubscriptionsCount: (_source, _args, context) => countOf(context.shop.webhookSubscriptions.size, undefined),
  job: (_source, args, context) => {
    // Jobs of orderCancel: the emulator did the work before answering, so a job is done when asked.
    const id = String(args.id);
    return context.shop.jobs.has(id) ? { __typename: "Job", id, done: true, query: { __typename: "QueryRoot" } } : null;
  },
  returnableFulfillments: (_source, args, context) => {
    requireAccess(context, "returnableFulfillments", READ_RETURNS);
    const order = context.shop.orders.get(requireGid(args.orderId, "Order").id);
    const returnable = (order?.fulfillments ?? []).filter(
      (fulfillment) =>
        fulfillment.status === "SUCCESS" &&
        fulfillment.lineItems.some((line) => returnableQuantity(order!, line.id) > 0),
    );
    return paginate(
      returnable,
      pageArgs(args),
      (fulfillment) => ({ value: fulfillment.id, id: fulfillment.id }),
      (fulfillment): ReturnableFulfillmentView => ({ __typename: "ReturnableFulfillment", order: order!, fulfillment }),
    );
  },
  currentBulkOperation: (_source, args, context) => {
    if (args.type === "MUTATION") return null;
    const operation = context.bulk.current(context.shop);
    return operation ? bulkOperationFields(operation) : null;
  },
  bulkOperation: (_source, args, context) => {
    const operation = context.bulk.get(context.shop, requireGid(args.id, "BulkOperation").id);
    return operation ? bulkOperationFields(operation) : null;
  },
};

function countOf(count: number, limit: unknown) {
  const max = typeof limit === "number" ? limit : 10000;
  return count > max ? { count: max, precision: "AT_LEAST" } : { count, precision: "EXACT" };
}

const mutationRoot: Record<string, Resolver> = {
  customerUpdate: (_source, args, context) => {
    const input = args.input as {
      id?: string;
      note?: string | null;
      firstName?: string;
      lastName?: string;
      email?: string | null;
      phone?: string | null;
      tags?: string[];
    };
    if (!input.id) return { customer: null, userErrors: [{ field: ["id"], message: "Customer id is required" }] };
    const parsed = parseGid(input.id);
    if (!parsed || parsed.type !== "Customer" || !context.shop.customers.has(parsed.id)) {
      return { customer: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] };
    }
    try {
      const changes: Record<string, unknown> = {};
      for (const key of ["firstName", "lastName", "email", "phone", "note", "tags"] as const)
        if (key in input) changes[key] = input[key];
      const customer = context.world.updateCustomer(context.shop.domain, parsed.id, changes);
      return { customer: customerView(customer), userErrors: [] };
    } catch (error) {
      return { customer: null, userErrors: userErrorsFrom(error, ["email"]) };
    }
  },
  webhookSubscriptionCreate: (_source, args, context) => {
    const input = args.webhookSubscription as {
      uri?: string;
      format?: string;
      filter?: string;
      includeFields?: string[];
    };
    if (!input.uri)
      return {
        webhookSubscription: null,
        userErrors: [{ field: ["webhookSubscription", "uri"], message: "Address can't be blank" }],
      };
    const topic = restTopic(args.topic as string) ?? String(args.topic).toLowerCase();
    try {
      const subscription = context.webhookTopics.create(context.shop, topic, { ...input, uri: input.uri });
      return { webhookSubscription: { __typename: "WebhookSubscription", subscription }, userErrors: [] };
    } catch (error) {
      return { webhookSubscription: null, userErrors: userErrorsFrom(error, ["webhookSubscription", "uri"]) };
    }
  },
  webhookSubscriptionDelete: (_source, args, context) => {
    const parsed = parseGid(String(args.id));
    if (!parsed || !context.webhookTopics.remove(context.shop, parsed.id)) {
      return {
        deletedWebhookSubscriptionId: null,
        userErrors: [{ field: ["id"], message: "Webhook subscription does not exist" }],
      };
    }
    return { deletedWebhookSubscriptionId: args.id, userErrors: [] };
  },
  returnRequest: (_source, args, context) => {
    requireAccess(context, "returnRequest", WRITE_RETURNS);
    return openReturn(context, args.input as ReturnInputArgs, "REQUESTED", ["input"]);
  },
  returnCreate: (_source, args, context) => {
    requireAccess(context, "returnCreate", WRITE_RETURNS);
    return openReturn(context, args.returnInput as ReturnInputArgs, "OPEN", ["returnInput"]);
  },
  returnApproveRequest: (_source, args, context) => {
    requireAccess(context, "returnApproveRequest", WRITE_RETURNS);
    const input = args.input as { id: string; notifyCustomer?: boolean | null };
    return decideReturn(context, input.id, (id) =>
      context.world.approveReturn(context.shop.domain, id, { notifyCustomer: input.notifyCustomer === true }),
    );
  },
  returnDeclineRequest: (_source, args, context) => {
    requireAccess(context, "returnDeclineRequest", WRITE_RETURNS);
    const input = args.input as {
      id: string;
      declineReason: "FINAL_SALE" | "OTHER" | "RETURN_PERIOD_ENDED";
      declineNote?: string | null;
      notifyCustomer?: boolean | null;
    };
    return decideReturn(context, input.id, (id) =>
      context.world.declineReturn(context.shop.domain, id, {
        reason: input.declineReason,
        note: input.declineNote ?? null,
        notifyCustomer: input.notifyCustomer === true,
      }),
    );
  },
  orderCancel: (_source, args, context) => {
    requireAccess(context, "orderCancel", WRITE_ORDERS);
    const parsed = requireGid(args.orderId);
    try {
      const order = parsed.type === "Order" ? context.shop.orders.get(parsed.id) : undefined;
      if (!order) throw new UserInputError("Order does not exist.", ["orderId"], "NOT_FOUND");
      const { refund, refundTo } = cancelRefund(context, order, args);
      const staffNote = (args.staffNote as string | null | undefined) ?? null;
      if (staffNote && staffNote.length > 255) {
        throw new UserInputError("Staff note is too long (maximum is 255 characters).", ["staffNote"], "INVALID");
      }
      const problem = context.world.cancellationProblem(order);
      if (problem) throw problem;
      context.world.cancel(context.shop.domain, {
        order: order.id,
        reason: args.reason as OrderRecord["cancelReason"] & string,
        refund,
        refundTo,
        restock: args.restock === true,
        staffNote,
        notifyCustomer: args.notifyCustomer === true,
      });
      // Shopify cancels in a job and answers before it ran: done is false here, true when asked later.
      const job = { __typename: "Job", id: context.world.startJob(context.shop.domain), done: false };
      return { job, orderCancelUserErrors: [], userErrors: [] };
    } catch (error) {
      const errors = userErrorsWithCodes(error);
      // userErrors (deprecated) carries the same errors without codes.
      return {
        job: null,
        orderCancelUserErrors: errors,
        userErrors: errors.map(({ field, message }) => ({ field, message })),
      };
    }
  },
  bulkOperationRunQuery: (_source, args, context) => {
    const { operation, userErrors } = context.bulk.run(context.shop, args.query as string);
    return { bulkOperation: operation ? bulkOperationFields(operation) : null, userErrors };
  },
  bulkOperationCancel: (_source, args, context) => {
    const { operation, userErrors } = context.bulk.cancel(context.shop, requireGid(args.id, "BulkOperation").id);
    return { bulkOperation: operation ? bulkOperationFields(operation) : null, userErrors };
  },
};

/** A refusal as `{field, message, code}` (ReturnUserError, OrderCancelUserError); anything else is thrown. */
function userErrorsWithCodes(error: unknown): { field: string[] | null; message: string; code: string }[] {
  if (error instanceof UserInputError) return [{ field: error.field, message: error.message, code: error.code }];
  throw error;
}

/** ReturnRequestInput and ReturnInput: the fields both share. */
interface ReturnInputArgs {
  orderId: string;
  returnLineItems: {
    fulfillmentLineItemId: string;
    quantity: number;
    returnReason?: string | null;
    returnReasonNote?: string | null;
    customerNote?: string | null;
  }[];
  requestedAt?: string | null;
}

function openReturn(context: AdminContext, input: ReturnInputArgs, status: OpenReturnInput["status"], field: string[]) {
  const orderId = requireGid(input.orderId);
  const lineIds = input.returnLineItems.map((line) => requireGid(line.fulfillmentLineItemId));
  try {
    const ret = context.world.openReturn(context.shop.domain, {
      // An id of another type names no order or line of this order: NOT_FOUND, as an unknown id.
      orderId: orderId.type === "Order" ? orderId.id : -1,
      lineItems: input.returnLineItems.map((line, index) => ({
        fulfillmentLineItemId: lineIds[index]!.type === "FulfillmentLineItem" ? lineIds[index]!.id : -1,
        quantity: line.quantity,
        reason: line.returnReason ?? null,
        reasonNote: line.returnReasonNote ?? null,
        customerNote: line.customerNote ?? null,
      })),
      status,
      field,
      requestedAt: input.requestedAt ?? null,
    });
    return { return: returnView(context.shop.orders.get(orderId.id)!, ret), userErrors: [] };
  } catch (error) {
    return { return: null, userErrors: userErrorsWithCodes(error) };
  }
}

function decideReturn(context: AdminContext, id: string, decide: (returnId: number) => ReturnRecord) {
  const parsed = requireGid(id);
  try {
    if (parsed.type !== "Return") throw new UserInputError("Return does not exist.", ["input", "id"], "NOT_FOUND");
    const ret = decide(parsed.id);
    return { return: returnView(context.shop.orderOwning(ret.id)!, ret), userErrors: [] };
  } catch (error) {
    return { return: null, userErrors: userErrorsWithCodes(error) };
  }
}

/**
 * orderCancel's refund choice: `refundMethod` (a @oneOf: original payment methods or store credit)
 * or the deprecated `refund` flag. Neither or both is refused rather than guessed: an app that
 * relies on a default here would behave differently on Shopify.
 */
function cancelRefund(
  context: AdminContext,
  order: OrderRecord,
  args: Args,
): { refund: boolean; refundTo: "ORIGINAL" | "STORE_CREDIT" } {
  const method = args.refundMethod as
    | { originalPaymentMethodsRefund?: boolean | null; storeCreditRefund?: { expiresAt?: string | null } | null }
    | null
    | undefined;
  const legacy = args.refund as boolean | null | undefined;
  if (method != null && legacy != null) {
    throw new UserInputError("Give either refundMethod or refund, not both.", ["refundMethod"], "INVALID");
  }
  if (method == null && legacy == null) {
    throw new UserInputError("Refund method can't be blank.", ["refundMethod"], "INVALID");
  }
  if (method?.storeCreditRefund) {
    if (order.customerId === null) {
      throw new UserInputError(
        "Store credit can't be issued: the order has no customer.",
        ["refundMethod", "storeCreditRefund"],
        "STORE_CREDIT_REFUND_MISSING_CUSTOMER",
      );
    }
    const expiresAt = method.storeCreditRefund.expiresAt;
    if (expiresAt && Date.parse(expiresAt) <= context.world.clock().getTime()) {
      throw new UserInputError(
        "Store credit expiry date must be in the future.",
        ["refundMethod", "storeCreditRefund", "expiresAt"],
        "STORE_CREDIT_REFUND_EXPIRATION_IN_PAST",
      );
    }
    return { refund: true, refundTo: "STORE_CREDIT" };
  }
  return { refund: method ? method.originalPaymentMethodsRefund === true : legacy === true, refundTo: "ORIGINAL" };
}

/** `ORDERS_PARTIALLY_FULFILLED` → `orders/partially_fulfilled`, using the known topic list. */
export function restTopic(enumValue: string): string | null {
  const lower = enumValue.toLowerCase();
  for (const prefix of KNOWN_RESOURCE_PREFIXES) {
    if (lower.startsWith(`${prefix}_`)) return `${prefix}/${lower.slice(prefix.length + 1)}`;
  }
  const underscore = lower.indexOf("_");
  return underscore < 0 ? null : `${lower.slice(0, underscore)}/${lower.slice(underscore + 1)}`;
}
const KNOWN_RESOURCE_PREFIXES = [
  "fulfillment_events",
  "fulfillment_orders",
  "fulfillment_holds",
  "bulk_operations",
  "app_subscriptions",
  "app_purchases_one_time",
  "customer_payment_methods",
  "customer_groups",
  "customer_tags",
  "draft_orders",
  "inventory_items",
  "inventory_levels",
  "order_transactions",
  "product_listings",
  "selling_plan_groups",
  "subscription_contracts",
  "tender_transactions",
];

const shopResolvers: Record<string, Resolver> = {
  id: (_source, _args, context) => gid("Shop", context.shop.record.id),
  name: (_source, _args, context) => context.shop.record.name,
  email: (_source, _args, context) => context.shop.record.email,
  contactEmail: (_source, _args, context) => context.shop.record.contactEmail,
  customerEmail: (_source, _args, context) => context.shop.record.contactEmail,
  shopOwnerName: (_source, _args, context) => context.shop.record.ownerName,
  myshopifyDomain: (_source, _args, context) => context.shop.domain,
  currencyCode: (_source, _args, context) => context.shop.record.currencyCode,
  ianaTimezone: (_source, _args, context) => context.shop.record.ianaTimezone,
  timezoneAbbreviation: (_source, _args, context) => context.shop.record.ianaTimezone.split("/").pop() ?? "UTC",
  timezoneOffset: () => "+0000",
  timezoneOffsetMinutes: () => 0,
  createdAt: (_source, _args, context) => context.shop.record.createdAt,
  updatedAt: (_source, _args, context) => context.shop.record.updatedAt,
  plan: (_source, _args, context) => ({
    ...context.shop.record.plan,
    publicDisplayName: context.shop.record.plan.displayName,
  }),
  url: (_source, _args, context) => `https://${context.shop.domain}`,
  primaryDomain: (_source, _args, context) => ({
    id: gid("Domain", context.shop.record.id),
    host: context.shop.domain,
    url: `https://${context.shop.domain}`,
    sslEnabled: true,
  }),
  enabledPresentmentCurrencies: (_source, _args, context) => [context.shop.record.currencyCode],
  weightUnit: () => "KILOGRAMS",
  taxesIncluded: (_source, _args, context) => context.shop.record.currencyCode === "EUR",
};

const orderResolvers: Record<string, Resolver> = {
  id: (view) => gid("Order", (view as OrderView).order.id),
  legacyResourceId: (view) => String((view as OrderView).order.id),
  name: (view) => (view as OrderView).order.name,
  number: (view) => (view as OrderView).order.number - 1000,
  email: (view) => (view as OrderView).order.email,
  phone: (view) => (view as OrderView).order.phone,
  note: (view) => (view as OrderView).order.note,
  tags: (view) => (view as OrderView).order.tags,
  createdAt: (view) => (view as OrderView).order.createdAt,
  updatedAt: (view) => (view as OrderView).order.updatedAt,
  processedAt: (view) => (view as OrderView).order.processedAt,
  cancelledAt: (view) => (view as OrderView).order.cancelledAt,
  cancelReason: (view) => (view as OrderView).order.cancelReason,
  cancellation: (view) => {
    const { order } = view as OrderView;
    return order.cancelledAt ? { staffNote: order.cancellationStaffNote ?? null } : null;
  },
  closedAt: (view) => (view as OrderView).order.closedAt,
  closed: (view) => (view as OrderView).order.closedAt !== null,
  confirmed: () => true,
  test: () => false,
  edited: () => false,
  currencyCode: (view) => (view as OrderView).order.currencyCode,
  presentmentCurrencyCode: (view) => (view as OrderView).order.currencyCode,
  displayFinancialStatus: (view) => displayFinancialStatus((view as OrderView).order),
  displayFulfillmentStatus: (view) => displayFulfillmentStatus((view as OrderView).order),
  paymentGatewayNames: (view) => (view as OrderView).order.paymentGatewayNames,
  sourceName: (view) => (view as OrderView).order.sourceName,
  customerLocale: (view) => (view as OrderView).order.customerLocale,
  confirmationNumber: (view) => (view as OrderView).order.confirmationNumber,
  statusPageUrl: (view, _args, context) => {
    const { order } = view as OrderView;
    return `https://${context.shop.domain}/${context.shop.record.id}/orders/${order.token}/authenticate?key=${order.token.slice(0, 16)}`;
  },
  fullyPaid: (view) => ["PAID"].includes((view as OrderView).order.financialStatus),
  unpaid: (view) => ["PENDING", "AUTHORIZED", "EXPIRED"].includes((view as OrderView).order.financialStatus),
  refundable: (view) => orderTotalCents((view as OrderView).order) > refundedCents((view as OrderView).order),
  requiresShipping: (view) => (view as OrderView).order.lineItems.some((item) => item.requiresShipping),
  fulfillable: (view) => {
    const { order } = view as OrderView;
    return order.lineItems.some((item) => unfulfilledQuantity(order, item) > 0);
  },
  returnStatus: (view) => {
    // The prioritised status over the order's returns; declined or canceled requests don't count.
    const statuses = new Set((view as OrderView).order.returns.map((ret) => ret.status));
    if (statuses.has("REQUESTED")) return "RETURN_REQUESTED";
    if (statuses.has("OPEN")) return "IN_PROGRESS";
    if (statuses.has("CLOSED")) return "RETURNED";
    return "NO_RETURN";
  },
  subtotalLineItemsQuantity: (view) =>
    (view as OrderView).order.lineItems.reduce((sum, item) => sum + item.quantity, 0),
  currentSubtotalLineItemsQuantity: (view) => {
    const { order } = view as OrderView;
    return order.lineItems.reduce((sum, item) => sum + item.quantity - refundedQuantity(order, item.id), 0);
  },
  totalWeight: (view) =>
    String((view as OrderView).order.lineItems.reduce((sum, item) => sum + item.grams * item.quantity, 0)),
  currentTotalWeight: (view) =>
    String((view as OrderView).order.lineItems.reduce((sum, item) => sum + item.grams * item.quantity, 0)),
  discountCodes: () => [],
  discountCode: () => null,
  customAttributes: () => [],
  taxLines: () => [],
  currentTaxLines: () => [],
  taxesIncluded: () => false,
  taxExempt: () => false,
  dutiesIncluded: () => false,
  estimatedTaxes: () => false,
  customerAcceptsMarketing: () => false,
  totalPriceSet: (view) => moneyBag(orderTotalCents((view as OrderView).order), (view as OrderView).order.currencyCode),
  originalTotalPriceSet: (view) =>
    moneyBag(orderTotalCents((view as OrderView).order), (view as OrderView).order.currencyCode),
  currentTotalPriceSet: (view) => {
    const { order } = view as OrderView;
    return moneyBag(Math.max(0, orderTotalCents(order) - refundedCents(order)), order.currencyCode);
  },
  subtotalPriceSet: (view) =>
    moneyBag(lineItemsSubtotalCents((view as OrderView).order), (view as OrderView).order.currencyCode),
  currentSubtotalPriceSet: (view) => {
    const { order } = view as OrderView;
    const refundedItems = order.refunds.reduce((sum, refund) => sum + refund.amountCents - refund.shippingCents, 0);
    return moneyBag(Math.max(0, lineItemsSubtotalCents(order) - refundedItems), order.currencyCode);
  },
  totalRefundedSet: (view) =>
    moneyBag(refundedCents((view as OrderView).order), (view as OrderView).order.currencyCode),
  totalRefundedShippingSet: (view) => {
    const { order } = view as OrderView;
    return moneyBag(
      order.refunds.reduce((sum, refund) => sum + refund.shippingCents, 0),
      order.currencyCode,
    );
  },
  totalShippingPriceSet: (view) =>
    moneyBag((view as OrderView).order.shippingCents, (view as OrderView).order.currencyCode),
  currentShippingPriceSet: (view) =>
    moneyBag((view as OrderView).order.shippingCents, (view as OrderView).order.currencyCode),
  totalTaxSet: (view) => moneyBag(0, (view as OrderView).order.currencyCode),
  currentTotalTaxSet: (view) => moneyBag(0, (view as OrderView).order.currencyCode),
  totalDiscountsSet: (view) => moneyBag(0, (view as OrderView).order.currencyCode),
  currentTotalDiscountsSet: (view) => moneyBag(0, (view as OrderView).order.currencyCode),
  totalTipReceivedSet: (view) => moneyBag(0, (view as OrderView).order.currencyCode),
  totalOutstandingSet: (view) => {
    const { order } = view as OrderView;
    const owed = order.cancelledAt || ["PAID", "VOIDED"].includes(order.financialStatus) ? 0 : orderTotalCents(order);
    return moneyBag(owed, order.currencyCode);
  },
  totalReceivedSet: (view) => {
    const { order } = view as OrderView;
    return moneyBag(order.financialStatus === "PAID" ? orderTotalCents(order) : 0, order.currencyCode);
  },
  netPaymentSet: (view) => {
    const { order } = view as OrderView;
    const received = order.financialStatus === "PAID" ? orderTotalCents(order) : 0;
    return moneyBag(received - refundedCents(order), order.currencyCode);
  },
  totalCapturableSet: (view) => moneyBag(0, (view as OrderView).order.currencyCode),
  customer: (view, _args, context) => {
    const { order } = view as OrderView;
    const customer = order.customerId === null ? undefined : context.shop.customers.get(order.customerId);
    return customer ? customerView(customer) : null;
  },
  shippingAddress: (view) => addressView((view as OrderView).order.shippingAddress),
  billingAddress: (view) => addressView((view as OrderView).order.billingAddress),
  displayAddress: (view) =>
    addressView((view as OrderView).order.shippingAddress ?? (view as OrderView).order.billingAddress),
  billingAddressMatchesShippingAddress: () => true,
  shippingLine: (view) => {
    const { order } = view as OrderView;
    return {
      id: gid("ShippingLine", order.shippingLineId),
      title: order.shippingTitle,
      code: order.shippingTitle,
      source: "shopify",
      custom: false,
      isRemoved: false,
      carrierIdentifier: null,
      originalPriceSet: moneyBag(order.shippingCents, order.currencyCode),
      discountedPriceSet: moneyBag(order.shippingCents, order.currencyCode),
      currentDiscountedPriceSet: moneyBag(order.shippingCents, order.currencyCode),
      taxLines: [],
      discountAllocations: [],
    };
  },
  lineItems: (view, args) => {
    const { order } = view as OrderView;
    return paginateList(order.lineItems, pageArgs(args), (item) => lineItemView(order, item));
  },
  fulfillments: (view, args) => {
    const { order } = view as OrderView;
    const first = typeof args.first === "number" ? args.first : order.fulfillments.length;
    return order.fulfillments.slice(0, first).map((fulfillment) => fulfillmentView(order, fulfillment));
  },
  fulfillmentsCount: (view) => countOf((view as OrderView).order.fulfillments.length, undefined),
  refunds: (view, args) => {
    const { order } = view as OrderView;
    const first = typeof args.first === "number" ? args.first : order.refunds.length;
    return order.refunds.slice(0, first).map((refund) => refundView(order, refund));
  },
  returns: (view, args) => {
    const { order } = view as OrderView;
    return paginateList(order.returns, pageArgs(args), (ret) => returnView(order, ret));
  },
  transactions: (view, args) => {
    const { order } = view as OrderView;
    const sale =
      order.financialStatus === "PENDING" || order.financialStatus === "VOIDED" ? [] : [saleTransaction(order)];
    const all = [...sale, ...order.refunds.flatMap((refund) => refundTransactions(order, refund))];
    return typeof args.first === "number" ? all.slice(0, args.first) : all;
  },
};

function saleTransaction(order: OrderRecord) {
  return {
    __typename: "OrderTransaction",
    id: gid("OrderTransaction", order.shippingLineId),
    kind: "SALE",
    status: "SUCCESS",
    gateway: order.paymentGatewayNames[0] ?? "manual",
    amountSet: moneyBag(orderTotalCents(order), order.currencyCode),
    createdAt: order.processedAt,
    processedAt: order.processedAt,
    test: false,
    manuallyCapturable: false,
    fees: [],
  };
}

/** A refund's money movement: none for a restock-only refund (a cancel that paid nothing back). */
function refundTransactions(order: OrderRecord, refund: RefundRecord) {
  return refund.amountCents === 0 ? [] : [refundTransaction(order, refund)];
}

function refundTransaction(order: OrderRecord, refund: RefundRecord) {
  return {
    __typename: "OrderTransaction",
    id: gid("OrderTransaction", refund.transactionId),
    kind: "REFUND",
    status: "SUCCESS",
    gateway: refund.gateway,
    amountSet: moneyBag(refund.amountCents, order.currencyCode),
    createdAt: refund.createdAt,
    processedAt: refund.createdAt,
    test: false,
    manuallyCapturable: false,
    fees: [],
  };
}

const lineItemResolvers: Record<string, Resolver> = {
  id: (view) => gid("LineItem", (view as LineItemView).item.id),
  name: (view) => {
    const { item } = view as LineItemView;
    return item.variantTitle ? `${item.title} - ${item.variantTitle}` : item.title;
  },
  title: (view) => (view as LineItemView).item.title,
  variantTitle: (view) => (view as LineItemView).item.variantTitle,
  sku: (view) => (view as LineItemView).item.sku,
  vendor: (view) => (view as LineItemView).item.vendor,
  quantity: (view) => (view as LineItemView).item.quantity,
  requiresShipping: (view) => (view as LineItemView).item.requiresShipping,
  isGiftCard: (view) => (view as LineItemView).item.sku.startsWith("GIFT"),
  taxable: () => true,
  currentQuantity: (view) => {
    const { order, item } = view as LineItemView;
    return Math.max(0, item.quantity - refundedQuantity(order, item.id));
  },
  unfulfilledQuantity: (view) => unfulfilledQuantity((view as LineItemView).order, (view as LineItemView).item),
  fulfillableQuantity: (view) => unfulfilledQuantity((view as LineItemView).order, (view as LineItemView).item),
  refundableQuantity: (view) => {
    const { order, item } = view as LineItemView;
    return Math.max(0, item.quantity - refundedQuantity(order, item.id));
  },
  fulfillmentStatus: (view) => {
    const { order, item } = view as LineItemView;
    const fulfilled = fulfilledQuantity(order, item.id);
    return fulfilled === 0 ? "unfulfilled" : fulfilled >= item.quantity ? "fulfilled" : "partial";
  },
  originalUnitPrice: (view) => decimal((view as LineItemView).item.unitPriceCents),
  originalUnitPriceSet: (view) =>
    moneyBag((view as LineItemView).item.unitPriceCents, (view as LineItemView).order.currencyCode),
  discountedUnitPriceSet: (view) =>
    moneyBag((view as LineItemView).item.unitPriceCents, (view as LineItemView).order.currencyCode),
  discountedUnitPriceAfterAllDiscountsSet: (view) =>
    moneyBag((view as LineItemView).item.unitPriceCents, (view as LineItemView).order.currencyCode),
  originalTotalSet: (view) => {
    const { order, item } = view as LineItemView;
    return moneyBag(item.unitPriceCents * item.quantity, order.currencyCode);
  },
  discountedTotalSet: (view) => {
    const { order, item } = view as LineItemView;
    return moneyBag(item.unitPriceCents * item.quantity, order.currencyCode);
  },
  totalDiscountSet: (view) => moneyBag(0, (view as LineItemView).order.currencyCode),
  customAttributes: () => [],
  discountAllocations: () => [],
  taxLines: () => [],
  duties: () => [],
  product: () => null,
  variant: (view) => {
    const { order, item } = view as LineItemView;
    return { __typename: "ProductVariant", order, item } satisfies ProductVariantView;
  },
  image: () => null,
};

const fulfillmentResolvers: Record<string, Resolver> = {
  id: (view) => gid("Fulfillment", (view as FulfillmentView).fulfillment.id),
  legacyResourceId: (view) => String((view as FulfillmentView).fulfillment.id),
  name: (view) => (view as FulfillmentView).fulfillment.name,
  status: (view) => (view as FulfillmentView).fulfillment.status,
  displayStatus: (view) => fulfillmentDisplayStatus((view as FulfillmentView).fulfillment),
  createdAt: (view) => (view as FulfillmentView).fulfillment.createdAt,
  updatedAt: (view) => (view as FulfillmentView).fulfillment.updatedAt,
  deliveredAt: (view) =>
    (view as FulfillmentView).fulfillment.events.find((event) => event.status === "DELIVERED")?.happenedAt ?? null,
  inTransitAt: (view) =>
    (view as FulfillmentView).fulfillment.events.find((event) => event.status === "IN_TRANSIT")?.happenedAt ?? null,
  estimatedDeliveryAt: (view) => {
    const events = (view as FulfillmentView).fulfillment.events;
    for (let index = events.length - 1; index >= 0; index--)
      if (events[index]!.estimatedDeliveryAt) return events[index]!.estimatedDeliveryAt;
    return null;
  },
  requiresShipping: () => true,
  order: (view) => orderView((view as FulfillmentView).order),
  totalQuantity: (view) =>
    (view as FulfillmentView).fulfillment.lineItems.reduce((sum, line) => sum + line.quantity, 0),
  trackingInfo: (view, args) => {
    const info = (view as FulfillmentView).fulfillment.trackingInfo;
    return typeof args.first === "number" ? info.slice(0, args.first) : info;
  },
  events: (view, args) => {
    const { order, fulfillment } = view as FulfillmentView;
    const sortKey = (args.sortKey as string) ?? "HAPPENED_AT";
    const events = [...fulfillment.events].sort((a, b) =>
      sortKey === "ID" ? a.id - b.id : a.happenedAt < b.happenedAt ? -1 : a.happenedAt > b.happenedAt ? 1 : a.id - b.id,
    );
    return paginate(
      events,
      pageArgs(args),
      (event) => ({ value: sortKey === "ID" ? event.id : event.happenedAt, id: event.id }),
      (event): FulfillmentEventView => ({ __typename: "FulfillmentEvent", order, event }),
    );
  },
  fulfillmentLineItems: (view, args) => {
    const { order, fulfillment } = view as FulfillmentView;
    return paginateList(fulfillment.lineItems, pageArgs(args), (line): FulfillmentLineItemView => ({
      __typename: "FulfillmentLineItem",
      order,
      line,
    }));
  },
  service: () => null,
  location: () => null,
  originAddress: () => null,
};

const fulfillmentEventResolvers: Record<string, Resolver> = {
  id: (view) => gid("FulfillmentEvent", (view as FulfillmentEventView).event.id),
  status: (view) => (view as FulfillmentEventView).event.status,
  message: (view) => (view as FulfillmentEventView).event.message,
  happenedAt: (view) => (view as FulfillmentEventView).event.happenedAt,
  createdAt: (view) => (view as FulfillmentEventView).event.createdAt,
  estimatedDeliveryAt: (view) => (view as FulfillmentEventView).event.estimatedDeliveryAt,
  city: (view) => (view as FulfillmentEventView).event.city,
  country: (view) => (view as FulfillmentEventView).event.country,
  province: () => null,
  zip: () => null,
  address1: () => null,
  latitude: () => null,
  longitude: () => null,
};

const fulfillmentLineItemResolvers: Record<string, Resolver> = {
  id: (view) => gid("FulfillmentLineItem", (view as FulfillmentLineItemView).line.id),
  quantity: (view) => (view as FulfillmentLineItemView).line.quantity,
  lineItem: (view) => {
    const { order, line } = view as FulfillmentLineItemView;
    const item = order.lineItems.find((candidate) => candidate.id === line.lineItemId);
    return item ? lineItemView(order, item) : null;
  },
  originalTotalSet: (view) => {
    const { order, line } = view as FulfillmentLineItemView;
    const item = order.lineItems.find((candidate) => candidate.id === line.lineItemId);
    return moneyBag((item?.unitPriceCents ?? 0) * line.quantity, order.currencyCode);
  },
  discountedTotalSet: (view) => {
    const { order, line } = view as FulfillmentLineItemView;
    const item = order.lineItems.find((candidate) => candidate.id === line.lineItemId);
    return moneyBag((item?.unitPriceCents ?? 0) * line.quantity, order.currencyCode);
  },
};

const refundResolvers: Record<string, Resolver> = {
  id: (view) => gid("Refund", (view as RefundView).refund.id),
  legacyResourceId: (view) => String((view as RefundView).refund.id),
  createdAt: (view) => (view as RefundView).refund.createdAt,
  updatedAt: (view) => (view as RefundView).refund.createdAt,
  note: (view) => (view as RefundView).refund.note,
  totalRefundedSet: (view) =>
    moneyBag((view as RefundView).refund.amountCents, (view as RefundView).order.currencyCode),
  return: () => null,
  order: (view) => orderView((view as RefundView).order),
  refundLineItems: (view, args) => {
    const { order, refund } = view as RefundView;
    return paginateList(refund.lineItems, pageArgs(args), (line) => {
      const item = order.lineItems.find((candidate) => candidate.id === line.lineItemId)!;
      return {
        __typename: "RefundLineItem",
        id: gid("RefundLineItem", line.id),
        quantity: line.quantity,
        restockType: line.restockType ?? "NO_RESTOCK",
        restocked: (line.restockType ?? "NO_RESTOCK") !== "NO_RESTOCK",
        lineItem: lineItemView(order, item),
        priceSet: moneyBag(item.unitPriceCents, order.currencyCode),
        subtotalSet: moneyBag(line.subtotalCents, order.currencyCode),
        totalTaxSet: moneyBag(0, order.currencyCode),
        location: null,
      };
    });
  },
  transactions: (view, args) => {
    const { order, refund } = view as RefundView;
    return paginateList(refundTransactions(order, refund), pageArgs(args), (transaction) => transaction);
  },
};

const returnResolvers: Record<string, Resolver> = {
  id: (view) => gid("Return", (view as ReturnView).ret.id),
  name: (view) => (view as ReturnView).ret.name,
  status: (view) => (view as ReturnView).ret.status,
  createdAt: (view) => (view as ReturnView).ret.createdAt,
  closedAt: (view) => (view as ReturnView).ret.closedAt,
  requestApprovedAt: (view) => (view as ReturnView).ret.requestApprovedAt,
  order: (view) => orderView((view as ReturnView).order),
  totalQuantity: (view) => (view as ReturnView).ret.lineItems.reduce((sum, line) => sum + line.quantity, 0),
  decline: (view) => (view as ReturnView).ret.decline ?? null,
  returnLineItems: (view, args) => {
    const { order, ret } = view as ReturnView;
    return paginateList(ret.lineItems, pageArgs(args), (line) => {
      const fulfillmentLine = order.fulfillments
        .flatMap((f) => f.lineItems)
        .find((candidate) => candidate.id === line.fulfillmentLineItemId);
      const item = order.lineItems.find((candidate) => candidate.id === line.lineItemId)!;
      return {
        __typename: "ReturnLineItem",
        id: gid("ReturnLineItem", line.id),
        quantity: line.quantity,
        returnReason: line.reason,
        returnReasonNote: line.reasonNote ?? "",
        customerNote: line.customerNote ?? null,
        processableQuantity: line.quantity,
        processedQuantity: 0,
        unprocessedQuantity: line.quantity,
        refundableQuantity: line.quantity,
        refundedQuantity: 0,
        fulfillmentLineItem: fulfillmentLine
          ? ({ __typename: "FulfillmentLineItem", order, line: fulfillmentLine } satisfies FulfillmentLineItemView)
          : {
              __typename: "FulfillmentLineItem",
              order,
              line: { id: line.fulfillmentLineItemId, lineItemId: item.id, quantity: line.quantity },
            },
        withCodeDiscountedTotalPriceSet: moneyBag(item.unitPriceCents * line.quantity, order.currencyCode),
      };
    });
  },
};

const productVariantResolvers: Record<string, Resolver> = {
  id: (view) => gid("ProductVariant", (view as ProductVariantView).item.variantId),
  legacyResourceId: (view) => String((view as ProductVariantView).item.variantId),
  title: (view) => (view as ProductVariantView).item.variantTitle ?? "Default Title",
  displayName: (view) => {
    const { item } = view as ProductVariantView;
    return `${item.title} - ${item.variantTitle ?? "Default Title"}`;
  },
  sku: (view) => (view as ProductVariantView).item.sku,
  price: (view) => decimal((view as ProductVariantView).item.unitPriceCents),
  // Stock is the one thing a restock changes; the seed has no products, so it starts at a default.
  inventoryQuantity: (view, _args, context) =>
    context.shop.inventoryAvailable((view as ProductVariantView).item.variantId),
};

const returnableFulfillmentResolvers: Record<string, Resolver> = {
  id: (view) => gid("ReturnableFulfillment", (view as ReturnableFulfillmentView).fulfillment.id),
  fulfillment: (view) => {
    const { order, fulfillment } = view as ReturnableFulfillmentView;
    return fulfillmentView(order, fulfillment);
  },
  returnableFulfillmentLineItems: (view, args) => {
    const { order, fulfillment } = view as ReturnableFulfillmentView;
    const lines = fulfillment.lineItems.filter((line) => returnableQuantity(order, line.id) > 0);
    return paginateList(lines, pageArgs(args), (line) => ({
      __typename: "ReturnableFulfillmentLineItem",
      quantity: returnableQuantity(order, line.id),
      fulfillmentLineItem: { __typename: "FulfillmentLineItem", order, line } satisfies FulfillmentLineItemView,
    }));
  },
};

const customerResolvers: Record<string, Resolver> = {
  id: (view) => gid("Customer", (view as CustomerView).customer.id),
  legacyResourceId: (view) => String((view as CustomerView).customer.id),
  firstName: (view) => (view as CustomerView).customer.firstName,
  lastName: (view) => (view as CustomerView).customer.lastName,
  displayName: (view) => customerDisplayName((view as CustomerView).customer),
  email: (view) => (view as CustomerView).customer.email,
  phone: (view) => (view as CustomerView).customer.phone,
  defaultEmailAddress: (view) => {
    const { customer } = view as CustomerView;
    return customer.email
      ? {
          emailAddress: customer.email,
          marketingState: "NOT_SUBSCRIBED",
          marketingOptInLevel: null,
          marketingUpdatedAt: null,
          validFormat: true,
        }
      : null;
  },
  defaultPhoneNumber: (view) => {
    const { customer } = view as CustomerView;
    return customer.phone ? { phoneNumber: customer.phone, marketingState: "NOT_SUBSCRIBED" } : null;
  },
  note: (view) => (view as CustomerView).customer.note,
  tags: (view) => (view as CustomerView).customer.tags,
  state: (view) => (view as CustomerView).customer.state,
  verifiedEmail: (view) => (view as CustomerView).customer.verifiedEmail,
  validEmailAddress: (view) => Boolean((view as CustomerView).customer.email),
  locale: (view) => (view as CustomerView).customer.locale,
  taxExempt: () => false,
  taxExemptions: () => [],
  dataSaleOptOut: () => false,
  createdAt: (view) => (view as CustomerView).customer.createdAt,
  updatedAt: (view) => (view as CustomerView).customer.updatedAt,
  canDelete: (view) => (view as CustomerView).customer.orderIds.length === 0,
  lifetimeDuration: (view) => {
    const days = Math.floor((Date.now() - Date.parse((view as CustomerView).customer.createdAt)) / 86_400_000);
    return days < 31 ? `about ${Math.max(1, days)} days` : `about ${Math.round(days / 30)} months`;
  },
  numberOfOrders: (view) => String((view as CustomerView).customer.orderIds.length),
  amountSpent: (view, _args, context) => {
    const { customer } = view as CustomerView;
    let cents = 0;
    for (const id of customer.orderIds) {
      const order = context.shop.orders.get(id);
      if (order && !["PENDING", "VOIDED"].includes(order.financialStatus))
        cents += orderTotalCents(order) - refundedCents(order);
    }
    return money(cents, context.shop.record.currencyCode);
  },
  defaultAddress: (view) => addressView((view as CustomerView).customer.addresses[0] ?? null, true),
  addresses: (view, args) => {
    const addresses = (view as CustomerView).customer.addresses;
    return (typeof args.first === "number" ? addresses.slice(0, args.first) : addresses).map((address) =>
      addressView(address, true),
    );
  },
  addressesV2: (view, args) =>
    paginateList((view as CustomerView).customer.addresses, pageArgs(args), (address) => addressView(address, true)),
  lastOrder: (view, _args, context) => {
    const ids = (view as CustomerView).customer.orderIds;
    const order = ids.length ? context.shop.orders.get(ids[ids.length - 1]!) : undefined;
    return order ? orderView(order) : null;
  },
  orders: (view, args, context) => {
    const { customer } = view as CustomerView;
    const sortKey = (args.sortKey as string) ?? "ID";
    const own = customer.orderIds.flatMap((id) => {
      const order = context.shop.orders.get(id);
      return order ? [order] : [];
    });
    const items = sortedOrders(context.shop, sortKey, args.query as string | undefined, own);
    return paginate(items, pageArgs(args), orderSortKey(context.shop, sortKey), orderView);
  },
  statistics: () => ({ predictedSpendTier: null, rfmGroup: null }),
};

const mailingAddressResolvers: Record<string, Resolver> = {
  id: (view) => {
    const { address, customerAddress } = view as AddressView;
    return `${gid("MailingAddress", address.id)}${customerAddress ? "?model_name=CustomerAddress" : ""}`;
  },
  firstName: (view) => (view as AddressView).address.firstName,
  lastName: (view) => (view as AddressView).address.lastName,
  name: (view) => addressName((view as AddressView).address),
  company: (view) => (view as AddressView).address.company,
  address1: (view) => (view as AddressView).address.address1,
  address2: (view) => (view as AddressView).address.address2,
  city: (view) => (view as AddressView).address.city,
  province: (view) => (view as AddressView).address.province,
  provinceCode: (view) => (view as AddressView).address.provinceCode,
  country: (view) => (view as AddressView).address.country,
  countryCodeV2: (view) => (view as AddressView).address.countryCode,
  countryCode: (view) => (view as AddressView).address.countryCode,
  zip: (view) => (view as AddressView).address.zip,
  phone: (view) => (view as AddressView).address.phone,
  latitude: () => null,
  longitude: () => null,
  coordinatesValidated: () => false,
  timeZone: () => null,
  formattedArea: (view) => {
    const { address } = view as AddressView;
    return [address.city, address.provinceCode ?? address.province, address.country].filter(Boolean).join(", ");
  },
  formatted: (view, args) => {
    const { address } = view as AddressView;
    const lines: string[] = [];
    if (args.withName) lines.push(addressName(address));
    if (args.withCompany !== false && address.company) lines.push(address.company);
    lines.push(address.address1);
    if (address.address2) lines.push(address.address2);
    lines.push([address.zip, address.city, address.provinceCode].filter(Boolean).join(" "));
    lines.push(address.country);
    return lines;
  },
};

const webhookSubscriptionResolvers: Record<string, Resolver> = Object.fromEntries(
  [
    "id",
    "legacyResourceId",
    "topic",
    "uri",
    "callbackUrl",
    "endpoint",
    "format",
    "filter",
    "includeFields",
    "metafieldNamespaces",
    "metafields",
    "name",
    "createdAt",
    "updatedAt",
    "apiVersion",
  ].map((field) => [
    field,
    ((view: unknown, _args: Args, context: AdminContext) =>
      webhookSubscriptionFields((view as { subscription: WebhookSubscriptionRecord }).subscription, context)[
        field as keyof ReturnType<typeof webhookSubscriptionFields>
      ]) as Resolver,
  ]),
);

export const RESOLVERS: Record<string, Record<string, Resolver>> = {
  QueryRoot: { ...queryRoot, ...themeQueryResolvers },
  Mutation: mutationRoot,
  Shop: shopResolvers,
  Order: orderResolvers,
  LineItem: lineItemResolvers,
  Fulfillment: fulfillmentResolvers,
  FulfillmentEvent: fulfillmentEventResolvers,
  FulfillmentLineItem: fulfillmentLineItemResolvers,
  Refund: refundResolvers,
  Return: returnResolvers,
  ReturnableFulfillment: returnableFulfillmentResolvers,
  ProductVariant: productVariantResolvers,
  Customer: customerResolvers,
  MailingAddress: mailingAddressResolvers,
  WebhookSubscription: webhookSubscriptionResolvers,
  ...THEME_RESOLVERS,
};
