// State of every emulated shop plus the merchant-side commands (fulfil, cancel, refund, …). A
// command mutates the records, bumps updatedAt and reports the webhook topics Shopify would send;
// the emulator turns those into deliveries.
import { randomUUID } from "node:crypto";
import {
  displayFulfillmentStatus,
  fulfilledQuantity,
  orderTotalCents,
  parseGid,
  refundedCents,
  returnableQuantity,
  unfulfilledQuantity,
  type CancelReason,
  type CustomerRecord,
  type FulfillmentEventRecord,
  type FulfillmentEventStatus,
  type FulfillmentRecord,
  type LineItemRecord,
  type OrderRecord,
  type RefundRecord,
  type RestockType,
  type ReturnDeclineReason,
  type ReturnRecord,
  type ReturnStatus,
  type ShopRecord,
} from "./model.ts";
import {
  customerDeletePayload,
  customerPayload,
  fulfillmentEventPayload,
  fulfillmentPayload,
  orderPayload,
  refundPayload,
  returnDeclinePayload,
  returnPayload,
  shopPayload,
} from "./payloads.ts";

export interface WebhookSubscriptionRecord {
  id: number;
  topic: string;
  uri: string;
  format: "JSON" | "XML";
  createdAt: string;
  updatedAt: string;
  filter: string | null;
  includeFields: string[];
}

export interface EmittedEvent {
  shop: string;
  topic: string;
  payload: unknown;
}

/** A shop as plain JSON: what a restarted emulator needs to be the same store. */
export interface ShopSnapshot {
  record: ShopRecord;
  customers: CustomerRecord[];
  orders: OrderRecord[];
  webhookSubscriptions: WebhookSubscriptionRecord[];
  nextOrderNumber: number;
  installed: boolean;
  /** Available stock per variant id that restocks changed (absent in older snapshots). */
  inventory?: [number, number][];
}

/** Stock of a variant nothing has restocked yet: the seed does not model products. */
export const DEFAULT_VARIANT_STOCK = 100;

/** One shop's records. Orders and customers are Maps in creation (= id) order. */
export class ShopState {
  readonly customers = new Map<number, CustomerRecord>();
  readonly orders = new Map<number, OrderRecord>();
  readonly ordersByNumber = new Map<number, number>();
  readonly webhookSubscriptions = new Map<number, WebhookSubscriptionRecord>();
  nextOrderNumber = 1001;
  installed = false;
  /** Available stock per variant id, for the variants a restock touched (others: DEFAULT_VARIANT_STOCK). */
  readonly inventory = new Map<number, number>();
  /** Ids of the jobs asynchronous mutations (orderCancel) handed out; they are done at once. */
  readonly jobs = new Set<string>();
  /** Bumped on every change; caches of sorted lists key on it. */
  version = 0;
  private childIndex: Map<number, number> | null = null;

  constructor(public record: ShopRecord) {}

  get domain(): string {
    return this.record.domain;
  }

  toSnapshot(): ShopSnapshot {
    return {
      record: this.record,
      customers: [...this.customers.values()],
      orders: [...this.orders.values()],
      webhookSubscriptions: [...this.webhookSubscriptions.values()],
      nextOrderNumber: this.nextOrderNumber,
      installed: this.installed,
      inventory: [...this.inventory.entries()],
    };
  }

  static fromSnapshot(snapshot: ShopSnapshot): ShopState {
    const state = new ShopState(snapshot.record);
    // Customers already list their orderIds: set the maps directly rather than through addOrder.
    for (const customer of snapshot.customers) state.customers.set(customer.id, customer);
    for (const order of snapshot.orders) {
      state.orders.set(order.id, order);
      state.ordersByNumber.set(order.number, order.id);
    }
    for (const subscription of snapshot.webhookSubscriptions)
      state.webhookSubscriptions.set(subscription.id, subscription);
    state.nextOrderNumber = snapshot.nextOrderNumber;
    state.installed = snapshot.installed;
    for (const [variantId, available] of snapshot.inventory ?? []) state.inventory.set(variantId, available);
    return state;
  }

  inventoryAvailable(variantId: number): number {
    return this.inventory.get(variantId) ?? DEFAULT_VARIANT_STOCK;
  }

  addCustomer(customer: CustomerRecord): void {
    this.customers.set(customer.id, customer);
    this.version++;
  }

  addOrder(order: OrderRecord): void {
    this.orders.set(order.id, order);
    this.ordersByNumber.set(order.number, order.id);
    this.nextOrderNumber = Math.max(this.nextOrderNumber, order.number + 1);
    if (order.customerId !== null) this.customers.get(order.customerId)?.orderIds.push(order.id);
    if (this.childIndex) this.indexOrderChildren(order);
    this.version++;
  }

  /** `#1001`, `1001` (order number), a numeric id or a GID. */
  findOrder(reference: string | number): OrderRecord | undefined {
    const text = String(reference).trim();
    const parsed = parseGid(text);
    if (parsed) return parsed.type === "Order" ? this.orders.get(parsed.id) : undefined;
    const digits = text.replace(/^#/, "");
    if (!/^\d+$/.test(digits)) return undefined;
    const value = Number(digits);
    if (text.startsWith("#") || value < 1e9) {
      const id = this.ordersByNumber.get(value);
      return id === undefined ? undefined : this.orders.get(id);
    }
    return this.orders.get(value);
  }

  /** An email, a numeric id or a GID. */
  findCustomer(reference: string | number): CustomerRecord | undefined {
    const text = String(reference).trim();
    const parsed = parseGid(text);
    if (parsed) return parsed.type === "Customer" ? this.customers.get(parsed.id) : undefined;
    if (/^\d+$/.test(text)) return this.customers.get(Number(text));
    const email = text.toLowerCase();
    for (const customer of this.customers.values()) if (customer.email?.toLowerCase() === email) return customer;
    return undefined;
  }

  /** The order that owns a line item, fulfillment, refund, return or fulfillment event id. */
  orderOwning(childId: number): OrderRecord | undefined {
    if (!this.childIndex) {
      this.childIndex = new Map();
      for (const order of this.orders.values()) this.indexOrderChildren(order);
    }
    const orderId = this.childIndex.get(childId);
    return orderId === undefined ? undefined : this.orders.get(orderId);
  }

  noteChild(order: OrderRecord, childId: number): void {
    this.childIndex?.set(childId, order.id);
  }

  private indexOrderChildren(order: OrderRecord): void {
    const index = this.childIndex!;
    for (const item of order.lineItems) index.set(item.id, order.id);
    for (const fulfillment of order.fulfillments) {
      index.set(fulfillment.id, order.id);
      for (const line of fulfillment.lineItems) index.set(line.id, order.id);
      for (const event of fulfillment.events) index.set(event.id, order.id);
    }
    for (const refund of order.refunds) index.set(refund.id, order.id);
    for (const ret of order.returns) index.set(ret.id, order.id);
  }
}

export class CommandError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * A refusal Shopify answers as a mutation's userError: the input `field` path and the error `code`
 * of the mutation's error enum (ReturnErrorCode, OrderCancelUserErrorCode). The control API answers it
 * as a 422.
 */
export class UserInputError extends CommandError {
  constructor(
    message: string,
    readonly field: string[] | null,
    readonly code: string,
  ) {
    super(message, 422);
  }
}

/** A notification Shopify would have emailed the customer (the emulator only records it). */
export interface CustomerNotification {
  shop: string;
  kind: "order_cancelled" | "return_approved" | "return_declined";
  orderId: number;
  returnId: number | null;
  email: string;
  at: string;
}

// ---- command inputs ------------------------------------------------------------------------

export interface LineItemQuantity {
  lineItemId: number | string;
  quantity?: number;
}

export interface FulfillInput {
  order: string | number;
  /** Omit to ship everything still unfulfilled. */
  lineItems?: LineItemQuantity[];
  carrier?: string;
  trackingNumber?: string;
  trackingUrl?: string;
}

export interface FulfillmentEventInput {
  order: string | number;
  /** Defaults to the order's latest fulfillment. */
  fulfillmentId?: number | string;
  status: FulfillmentEventStatus;
  message?: string;
  happenedAt?: string;
  estimatedDeliveryAt?: string;
}

export interface CancelInput {
  order: string | number;
  reason?: CancelReason;
  /** Refund what was paid (default true for paid orders). */
  refund?: boolean;
  /** Where the refund goes (orderCancel's refundMethod); default the original payment methods. */
  refundTo?: "ORIGINAL" | "STORE_CREDIT";
  /** Put the order's items back in stock (refund line items with restockType CANCEL). Default false. */
  restock?: boolean;
  /** Replaces the order's note (control command). */
  note?: string;
  /** orderCancel's staff-facing note (Order.cancellation.staffNote). */
  staffNote?: string | null;
  notifyCustomer?: boolean;
}

export interface RefundInput {
  order: string | number;
  /** Omit both lineItems and amount for a full refund. */
  lineItems?: LineItemQuantity[];
  /** A custom amount ("12.50") instead of line items. */
  amount?: string;
  shipping?: boolean;
  note?: string;
}

export interface CreateOrderInput {
  customer?: string | number;
  email?: string;
  lineItems?: { title: string; price: string; quantity?: number; sku?: string }[];
  note?: string;
  tags?: string[];
  financialStatus?: "PAID" | "PENDING" | "AUTHORIZED";
}

export interface CustomerChanges {
  firstName?: string;
  lastName?: string;
  email?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[];
}

export interface CreateCustomerInput extends CustomerChanges {
  firstName: string;
  lastName: string;
}

export interface CreateReturnInput {
  order: string | number;
  lineItems?: LineItemQuantity[];
  reason?: string;
}

/** returnRequest / returnCreate: lines name fulfillment line items, as Shopify's inputs do. */
export interface OpenReturnInput {
  /** The order's numeric id. */
  orderId: number;
  lineItems: {
    fulfillmentLineItemId: number;
    quantity: number;
    reason?: string | null;
    reasonNote?: string | null;
    customerNote?: string | null;
  }[];
  /** REQUESTED (returnRequest: the merchant decides later) or OPEN (returnCreate: already approved). */
  status: Extract<ReturnStatus, "REQUESTED" | "OPEN">;
  /** The input object's path in userErrors: ["input"] or ["returnInput"]. */
  field: string[];
  requestedAt?: string | null;
}

export interface DeclineReturnInput {
  reason: ReturnDeclineReason;
  note?: string | null;
  notifyCustomer?: boolean;
}

// ---- the world -------------------------------------------------------------------------------

export class World {
  readonly shops = new Map<string, ShopState>();
  /** Emails Shopify would have sent the customer (notifyCustomer), newest last. */
  readonly customerNotifications: CustomerNotification[] = [];
  private lastId: number;

  constructor(
    private readonly emit: (event: EmittedEvent) => void,
    readonly clock: () => Date = () => new Date(),
    firstId = 5_000_000_000_000,
  ) {
    this.lastId = firstId;
  }

  nextId(): number {
    return ++this.lastId;
  }

  /** The last id handed out (ids stay unique across a snapshot and restore). */
  get lastIssuedId(): number {
    return this.lastId;
  }

  restoreShop(snapshot: ShopSnapshot): ShopState {
    const state = ShopState.fromSnapshot(snapshot);
    this.shops.set(state.domain, state);
    return state;
  }

  /** Keeps ids unique after seeding with a larger base. */
  reserveIds(upTo: number): void {
    this.lastId = Math.max(this.lastId, upTo);
  }

  addShop(record: ShopRecord): ShopState {
    const state = new ShopState(record);
    this.shops.set(record.domain, state);
    return state;
  }

  shop(domain: string): ShopState {
    const state = this.shops.get(domain);
    if (!state) throw new CommandError(`Unknown shop ${domain}`, 404);
    return state;
  }

  /** ISO timestamp (no milliseconds, like Shopify) that is strictly later than `previous`. */
  timestampAfter(previous?: string): string {
    let now = Math.floor(this.clock().getTime() / 1000) * 1000;
    if (previous) now = Math.max(now, Date.parse(previous) + 1000);
    return new Date(now).toISOString().replace(".000Z", "Z");
  }

  private requireOrder(shop: ShopState, reference: string | number): OrderRecord {
    const order = shop.findOrder(reference);
    if (!order) throw new CommandError(`Order ${reference} not found on ${shop.domain}`, 404);
    return order;
  }

  private requireCustomer(shop: ShopState, reference: string | number): CustomerRecord {
    const customer = shop.findCustomer(reference);
    if (!customer) throw new CommandError(`Customer ${reference} not found on ${shop.domain}`, 404);
    return customer;
  }

  private touchOrder(shop: ShopState, order: OrderRecord): string {
    order.updatedAt = this.timestampAfter(order.updatedAt);
    shop.version++;
    return order.updatedAt;
  }

  private send(shop: ShopState, topic: string, payload: unknown): void {
    this.emit({ shop: shop.domain, topic, payload });
  }

  private orderEvent(shop: ShopState, topic: string, order: OrderRecord): void {
    this.send(shop, topic, orderPayload(shop, order));
  }

  // ---- orders -------------------------------------------------------------------------------

  fulfill(domain: string, input: FulfillInput): FulfillmentRecord {
    const shop = this.shop(domain);
    const order = this.requireOrder(shop, input.order);
    if (order.cancelledAt) throw new CommandError(`Order ${order.name} is cancelled`);
    const wanted = resolveQuantities(order, input.lineItems, (item) => unfulfilledQuantity(order, item));
    for (const { item, quantity } of wanted) {
      if (quantity > unfulfilledQuantity(order, item)) {
        throw new CommandError(`Line item ${item.id} has only ${unfulfilledQuantity(order, item)} left to fulfil`);
      }
    }
    if (wanted.length === 0) throw new CommandError(`Order ${order.name} has nothing left to fulfil`);
    const now = this.timestampAfter(order.updatedAt);
    const number = input.trackingNumber ?? null;
    const fulfillment: FulfillmentRecord = {
      id: this.nextId(),
      name: `${order.name}-F${order.fulfillments.length + 1}`,
      status: "SUCCESS",
      createdAt: now,
      updatedAt: now,
      trackingInfo:
        input.carrier || number || input.trackingUrl
          ? [{ company: input.carrier ?? null, number, url: input.trackingUrl ?? null }]
          : [],
      lineItems: wanted.map(({ item, quantity }) => ({ id: this.nextId(), lineItemId: item.id, quantity })),
      events: [],
    };
    order.fulfillments.push(fulfillment);
    shop.noteChild(order, fulfillment.id);
    for (const line of fulfillment.lineItems) shop.noteChild(order, line.id);
    const status = displayFulfillmentStatus(order);
    if (status === "FULFILLED" && order.financialStatus === "PAID") order.closedAt = now;
    this.touchOrder(shop, order);
    this.send(shop, "fulfillments/create", fulfillmentPayload(shop, order, fulfillment));
    this.orderEvent(shop, status === "FULFILLED" ? "orders/fulfilled" : "orders/partially_fulfilled", order);
    this.orderEvent(shop, "orders/updated", order);
    return fulfillment;
  }

  addFulfillmentEvent(domain: string, input: FulfillmentEventInput): FulfillmentEventRecord {
    const shop = this.shop(domain);
    const order = this.requireOrder(shop, input.order);
    const fulfillment =
      input.fulfillmentId === undefined
        ? order.fulfillments[order.fulfillments.length - 1]
        : order.fulfillments.find((candidate) => candidate.id === toNumericId(input.fulfillmentId!));
    if (!fulfillment) throw new CommandError(`Order ${order.name} has no such fulfillment`, 404);
    const now = this.timestampAfter(fulfillment.updatedAt);
    const event: FulfillmentEventRecord = {
      id: this.nextId(),
      status: input.status,
      message: input.message ?? defaultEventMessage(input.status),
      happenedAt: input.happenedAt ?? now,
      createdAt: now,
      estimatedDeliveryAt: input.estimatedDeliveryAt ?? null,
      city: order.shippingAddress?.city ?? null,
      country: order.shippingAddress?.countryCode ?? null,
    };
    fulfillment.events.push(event);
    fulfillment.updatedAt = now;
    shop.noteChild(order, event.id);
    this.touchOrder(shop, order);
    this.send(shop, "fulfillment_events/create", fulfillmentEventPayload(shop, order, fulfillment, event));
    this.send(shop, "fulfillments/update", fulfillmentPayload(shop, order, fulfillment));
    return event;
  }

  /**
   * What orderCancel refuses (Shopify: "An order can only be cancelled if … it hasn't already been
   * cancelled, … has no active returns in progress, … no outstanding fulfillments that can't be
   * cancelled"). Shipped items can't be un-shipped by a cancel: Shopify wants their fulfillments
   * cancelled first, so any successful fulfillment refuses. The `cancel` control command skips
   * these checks (the merchant-side shortcut the seed and tests use).
   */
  cancellationProblem(order: OrderRecord): UserInputError | null {
    if (order.cancelledAt) return new UserInputError("Order has already been cancelled.", ["orderId"], "INVALID");
    if (order.fulfillments.some((fulfillment) => fulfillment.status === "SUCCESS")) {
      return new UserInputError(
        "Order has fulfillments and can't be cancelled. Cancel its fulfillments first.",
        ["orderId"],
        "INVALID",
      );
    }
    if (order.returns.some((ret) => ret.status === "REQUESTED" || ret.status === "OPEN")) {
      return new UserInputError("Order has returns in progress and can't be cancelled.", ["orderId"], "INVALID");
    }
    return null;
  }

  cancel(domain: string, input: CancelInput): OrderRecord {
    const shop = this.shop(domain);
    const order = this.requireOrder(shop, input.order);
    if (order.cancelledAt) throw new CommandError(`Order ${order.name} is already cancelled`);
    const now = this.timestampAfter(order.updatedAt);
    order.cancelledAt = now;
    order.closedAt = now;
    order.cancelReason = input.reason ?? "CUSTOMER";
    if (input.note) order.note = input.note;
    if (input.staffNote !== undefined) order.cancellationStaffNote = input.staffNote;
    const paid = order.financialStatus === "PAID" || order.financialStatus === "PARTIALLY_PAID";
    const restockType: RestockType = input.restock ? "CANCEL" : "NO_RESTOCK";
    // Authorized and pending payments are voided whatever `refund` says (orderCancel's docs).
    if (!paid) order.financialStatus = "VOIDED";
    const refundMoney = paid && input.refund !== false;
    const outstanding = refundMoney ? orderTotalCents(order) - refundedCents(order) : 0;
    let refund: RefundRecord | undefined;
    // Shopify records a restock as a refund too, with no money when nothing is paid back ("a new
    // refund is created ... independent from the movement of money", refunds/create's description).
    if (outstanding > 0 || input.restock) {
      refund = this.buildRefund(order, now, {
        lineItems: order.lineItems.map((item) => ({ item, quantity: item.quantity - alreadyRefunded(order, item) })),
        amountCents: Math.max(0, outstanding),
        shippingCents: outstanding > 0 ? order.shippingCents : 0,
        note: "Order cancelled",
        restockType,
        gateway: input.refundTo === "STORE_CREDIT" ? "shopify_store_credit" : undefined,
      });
      order.refunds.push(refund);
      shop.noteChild(order, refund.id);
      if (input.restock) {
        for (const line of refund.lineItems) {
          const item = order.lineItems.find((candidate) => candidate.id === line.lineItemId);
          if (item) shop.inventory.set(item.variantId, shop.inventoryAvailable(item.variantId) + line.quantity);
        }
      }
    }
    this.touchOrder(shop, order);
    if (input.notifyCustomer) this.notify(shop, "order_cancelled", order, null);
    if (refund) this.send(shop, "refunds/create", refundPayload(shop, order, refund));
    this.orderEvent(shop, "orders/cancelled", order);
    this.orderEvent(shop, "orders/updated", order);
    return order;
  }

  /** A job id for an asynchronous mutation; the emulator has already done the work. */
  startJob(domain: string): string {
    const shop = this.shop(domain);
    const id = `gid://shopify/Job/${randomUUID()}`;
    shop.jobs.add(id);
    return id;
  }

  refund(domain: string, input: RefundInput): RefundRecord {
    const shop = this.shop(domain);
    const order = this.requireOrder(shop, input.order);
    const outstanding = orderTotalCents(order) - refundedCents(order);
    if (outstanding <= 0) throw new CommandError(`Order ${order.name} is already fully refunded`);
    const now = this.timestampAfter(order.updatedAt);
    let lines: { item: LineItemRecord; quantity: number }[] = [];
    let amountCents: number;
    let shippingCents = 0;
    if (input.amount !== undefined) {
      amountCents = Math.round(Number(input.amount) * 100);
      if (!Number.isFinite(amountCents) || amountCents <= 0) throw new CommandError(`Bad amount ${input.amount}`);
      if (amountCents > outstanding) throw new CommandError(`Amount exceeds the refundable ${outstanding / 100}`);
    } else {
      const full = input.lineItems === undefined;
      lines = resolveQuantities(order, input.lineItems, (item) => item.quantity - alreadyRefunded(order, item));
      for (const { item, quantity } of lines) {
        if (quantity > item.quantity - alreadyRefunded(order, item)) {
          throw new CommandError(`Line item ${item.id} cannot be refunded ${quantity} more times`);
        }
      }
      shippingCents = full || input.shipping ? order.shippingCents - refundedShipping(order) : 0;
      amountCents = lines.reduce((sum, { item, quantity }) => sum + item.unitPriceCents * quantity, 0) + shippingCents;
      amountCents = Math.min(amountCents, outstanding);
      if (amountCents <= 0) throw new CommandError(`Nothing to refund on ${order.name}`);
    }
    const refund = this.buildRefund(order, now, {
      lineItems: lines,
      amountCents,
      shippingCents,
      note: input.note ?? null,
    });
    order.refunds.push(refund);
    shop.noteChild(order, refund.id);
    this.touchOrder(shop, order);
    this.send(shop, "refunds/create", refundPayload(shop, order, refund));
    this.orderEvent(shop, "orders/updated", order);
    return refund;
  }

  private buildRefund(
    order: OrderRecord,
    createdAt: string,
    options: {
      lineItems: { item: LineItemRecord; quantity: number }[];
      amountCents: number;
      shippingCents: number;
      note: string | null;
      restockType?: RestockType;
      gateway?: string;
    },
  ): RefundRecord {
    return {
      id: this.nextId(),
      createdAt,
      note: options.note,
      lineItems: options.lineItems
        .filter(({ quantity }) => quantity > 0)
        .map(({ item, quantity }) => ({
          id: this.nextId(),
          lineItemId: item.id,
          quantity,
          subtotalCents: item.unitPriceCents * quantity,
          ...(options.restockType && options.restockType !== "NO_RESTOCK" ? { restockType: options.restockType } : {}),
        })),
      shippingCents: options.shippingCents,
      amountCents: options.amountCents,
      transactionId: this.nextId(),
      gateway: options.gateway ?? order.paymentGatewayNames[0] ?? "manual",
    };
  }

  createOrder(domain: string, input: CreateOrderInput): OrderRecord {
    const shop = this.shop(domain);
    const customer = input.customer !== undefined ? this.requireCustomer(shop, input.customer) : undefined;
    const now = this.timestampAfter();
    const address = customer?.addresses[0] ?? null;
    const number = shop.nextOrderNumber;
    const lineItems = (input.lineItems ?? [{ title: "Gift card", price: "25.00", quantity: 1, sku: "GIFT-25" }]).map(
      (line): LineItemRecord => ({
        id: this.nextId(),
        title: line.title,
        variantTitle: null,
        sku: line.sku ?? `SKU-${number}`,
        vendor: shop.record.name,
        quantity: line.quantity ?? 1,
        unitPriceCents: Math.round(Number(line.price) * 100),
        productId: this.nextId(),
        variantId: this.nextId(),
        grams: 200,
        requiresShipping: true,
      }),
    );
    const order: OrderRecord = {
      id: this.nextId(),
      number,
      name: `#${number}`,
      email: input.email ?? customer?.email ?? null,
      phone: customer?.phone ?? null,
      customerId: customer?.id ?? null,
      createdAt: now,
      updatedAt: now,
      processedAt: now,
      cancelledAt: null,
      cancelReason: null,
      closedAt: null,
      currencyCode: shop.record.currencyCode,
      financialStatus: input.financialStatus ?? "PAID",
      lineItems,
      shippingCents: 500,
      shippingTitle: "Standard",
      shippingLineId: this.nextId(),
      shippingAddress: address ? { ...address } : null,
      billingAddress: address ? { ...address } : null,
      paymentGatewayNames: ["shopify_payments"],
      fulfillments: [],
      refunds: [],
      returns: [],
      note: input.note ?? null,
      tags: input.tags ?? [],
      sourceName: "web",
      token: `${number}${shop.record.id}`.padEnd(32, "0"),
      confirmationNumber: `C${number}`,
      customerLocale: customer?.locale ?? "en",
    };
    shop.addOrder(order);
    if (customer) customer.updatedAt = this.timestampAfter(customer.updatedAt);
    this.orderEvent(shop, "orders/create", order);
    return order;
  }

  createReturn(domain: string, input: CreateReturnInput): ReturnRecord {
    const shop = this.shop(domain);
    const order = this.requireOrder(shop, input.order);
    const lines = resolveQuantities(order, input.lineItems, (item) => fulfilledQuantity(order, item.id));
    if (lines.length === 0) throw new CommandError(`Order ${order.name} has no fulfilled items to return`);
    const now = this.timestampAfter(order.updatedAt);
    const ret: ReturnRecord = {
      id: this.nextId(),
      name: `${order.name}-R${order.returns.length + 1}`,
      status: "REQUESTED",
      createdAt: now,
      requestApprovedAt: null,
      closedAt: null,
      lineItems: lines.map(({ item, quantity }) => ({
        id: this.nextId(),
        fulfillmentLineItemId: findFulfillmentLineItem(order, item.id) ?? item.id,
        lineItemId: item.id,
        quantity,
        reason: input.reason ?? "OTHER",
      })),
    };
    order.returns.push(ret);
    shop.noteChild(order, ret.id);
    this.touchOrder(shop, order);
    this.send(shop, "returns/request", returnPayload(order, ret));
    this.orderEvent(shop, "orders/updated", order);
    return ret;
  }

  /**
   * returnRequest (status REQUESTED) and returnCreate (OPEN): each line names a fulfillment line item
   * of the order and may return at most what was shipped and is not held by another active return.
   */
  openReturn(domain: string, input: OpenReturnInput): ReturnRecord {
    const shop = this.shop(domain);
    const order = shop.orders.get(input.orderId);
    if (!order) throw new UserInputError("Order does not exist.", [...input.field, "orderId"], "NOT_FOUND");
    if (input.lineItems.length === 0) {
      throw new UserInputError("Return line items can't be blank.", [...input.field, "returnLineItems"], "BLANK");
    }
    const wanted = new Map<number, number>();
    const lines = input.lineItems.map((line, index) => {
      const field = [...input.field, "returnLineItems", String(index)];
      const fulfillmentLine = order.fulfillments
        .filter((fulfillment) => fulfillment.status === "SUCCESS")
        .flatMap((fulfillment) => fulfillment.lineItems)
        .find((candidate) => candidate.id === line.fulfillmentLineItemId);
      if (!fulfillmentLine) {
        throw new UserInputError(
          "Fulfillment line item does not exist.",
          [...field, "fulfillmentLineItemId"],
          "NOT_FOUND",
        );
      }
      if (!Number.isInteger(line.quantity) || line.quantity < 1) {
        throw new UserInputError("Quantity must be greater than 0.", [...field, "quantity"], "GREATER_THAN");
      }
      const total = (wanted.get(fulfillmentLine.id) ?? 0) + line.quantity;
      wanted.set(fulfillmentLine.id, total);
      const returnable = returnableQuantity(order, fulfillmentLine.id);
      if (total > returnable) {
        throw new UserInputError(
          `Quantity ${total} is more than the ${returnable} that can be returned for this fulfillment line item (fulfilled and not in another return).`,
          [...field, "quantity"],
          "INVALID",
        );
      }
      if ((line.customerNote ?? "").length > 300) {
        throw new UserInputError(
          "Customer note is too long (maximum is 300 characters).",
          [...field, "customerNote"],
          "TOO_LONG",
        );
      }
      return { line, fulfillmentLine };
    });
    const now = this.timestampAfter(order.updatedAt);
    const createdAt = input.requestedAt ? new Date(input.requestedAt).toISOString().replace(".000Z", "Z") : now;
    const ret: ReturnRecord = {
      id: this.nextId(),
      name: `${order.name}-R${order.returns.length + 1}`,
      status: input.status,
      createdAt,
      requestApprovedAt: input.status === "OPEN" ? now : null,
      closedAt: null,
      decline: null,
      lineItems: lines.map(({ line, fulfillmentLine }) => ({
        id: this.nextId(),
        fulfillmentLineItemId: fulfillmentLine.id,
        lineItemId: fulfillmentLine.lineItemId,
        quantity: line.quantity,
        reason: line.reason ?? "UNKNOWN",
        reasonNote: line.reasonNote ?? "",
        customerNote: line.customerNote ?? null,
      })),
    };
    order.returns.push(ret);
    shop.noteChild(order, ret.id);
    this.touchOrder(shop, order);
    // An OPEN return is an approved one: returns/approve "occurs whenever a return is approved. This
    // means Return.status is OPEN" (the WebhookSubscriptionTopic description).
    this.send(shop, input.status === "OPEN" ? "returns/approve" : "returns/request", returnPayload(order, ret));
    this.orderEvent(shop, "orders/updated", order);
    return ret;
  }

  approveReturn(domain: string, returnId: number, options: { notifyCustomer?: boolean } = {}): ReturnRecord {
    const { shop, order, ret } = this.requireReturn(domain, returnId);
    if (ret.status !== "REQUESTED") {
      throw new UserInputError(
        "Return is not approvable. Only returns with status REQUESTED can be approved.",
        ["input", "id"],
        "INVALID_STATE",
      );
    }
    const now = this.timestampAfter(order.updatedAt);
    ret.status = "OPEN";
    ret.requestApprovedAt = now;
    this.touchOrder(shop, order);
    if (options.notifyCustomer) this.notify(shop, "return_approved", order, ret.id);
    this.send(shop, "returns/approve", returnPayload(order, ret));
    this.orderEvent(shop, "orders/updated", order);
    return ret;
  }

  declineReturn(domain: string, returnId: number, input: DeclineReturnInput): ReturnRecord {
    const { shop, order, ret } = this.requireReturn(domain, returnId);
    if (ret.status !== "REQUESTED") {
      throw new UserInputError(
        "Return is not declinable. Only non-refunded returns with status REQUESTED can be declined.",
        ["input", "id"],
        "INVALID_STATE",
      );
    }
    if ((input.note ?? "").length > 500) {
      throw new UserInputError(
        "Decline note is too long (maximum is 500 characters).",
        ["input", "declineNote"],
        "TOO_LONG",
      );
    }
    ret.status = "DECLINED";
    ret.decline = { reason: input.reason, note: input.note ?? null };
    this.touchOrder(shop, order);
    if (input.notifyCustomer) this.notify(shop, "return_declined", order, ret.id);
    this.send(shop, "returns/decline", returnDeclinePayload(order, ret));
    this.orderEvent(shop, "orders/updated", order);
    return ret;
  }

  private requireReturn(domain: string, returnId: number) {
    const shop = this.shop(domain);
    const order = shop.orderOwning(returnId);
    const ret = order?.returns.find((candidate) => candidate.id === returnId);
    if (!order || !ret) throw new UserInputError("Return does not exist.", ["input", "id"], "NOT_FOUND");
    return { shop, order, ret };
  }

  /** Shopify emails the customer only when the order has an email (the inputs' descriptions). */
  private notify(shop: ShopState, kind: CustomerNotification["kind"], order: OrderRecord, returnId: number | null) {
    if (!order.email) return;
    this.customerNotifications.push({
      shop: shop.domain,
      kind,
      orderId: order.id,
      returnId,
      email: order.email,
      at: order.updatedAt,
    });
  }

  // ---- customers ---------------------------------------------------------------------------

  createCustomer(domain: string, input: CreateCustomerInput): CustomerRecord {
    const shop = this.shop(domain);
    if (input.email && shop.findCustomer(input.email))
      throw new CommandError(`Email ${input.email} has already been taken`);
    const now = this.timestampAfter();
    const customer: CustomerRecord = {
      id: this.nextId(),
      firstName: input.firstName,
      lastName: input.lastName,
      email: input.email ?? null,
      phone: input.phone ?? null,
      note: input.note ?? null,
      tags: input.tags ?? [],
      state: "DISABLED",
      verifiedEmail: true,
      locale: "en",
      createdAt: now,
      updatedAt: now,
      addresses: [],
      orderIds: [],
    };
    shop.addCustomer(customer);
    this.send(shop, "customers/create", customerPayload(shop, customer));
    return customer;
  }

  updateCustomer(domain: string, reference: string | number, changes: CustomerChanges): CustomerRecord {
    const shop = this.shop(domain);
    const customer = this.requireCustomer(shop, reference);
    if (changes.email) {
      const owner = shop.findCustomer(changes.email);
      if (owner && owner.id !== customer.id) throw new CommandError(`Email ${changes.email} has already been taken`);
    }
    if (changes.firstName !== undefined) customer.firstName = changes.firstName;
    if (changes.lastName !== undefined) customer.lastName = changes.lastName;
    if (changes.email !== undefined) customer.email = changes.email;
    if (changes.phone !== undefined) customer.phone = changes.phone;
    if (changes.note !== undefined) customer.note = changes.note;
    if (changes.tags !== undefined) customer.tags = [...changes.tags];
    customer.updatedAt = this.timestampAfter(customer.updatedAt);
    shop.version++;
    this.send(shop, "customers/update", customerPayload(shop, customer));
    return customer;
  }

  setCustomerNote(domain: string, reference: string | number, note: string | null): CustomerRecord {
    return this.updateCustomer(domain, reference, { note });
  }

  deleteCustomer(domain: string, reference: string | number): CustomerRecord {
    const shop = this.shop(domain);
    const customer = this.requireCustomer(shop, reference);
    if (customer.orderIds.length > 0) {
      // Shopify refuses too: "Error deleting customer: customer has orders".
      throw new CommandError(`Customer ${customer.id} has orders and cannot be deleted`, 409);
    }
    shop.customers.delete(customer.id);
    shop.version++;
    this.send(shop, "customers/delete", customerDeletePayload(customer));
    return customer;
  }

  // ---- shop --------------------------------------------------------------------------------

  renameShop(domain: string, name: string): ShopRecord {
    const shop = this.shop(domain);
    shop.record.name = name;
    shop.record.updatedAt = this.timestampAfter(shop.record.updatedAt);
    shop.version++;
    this.send(shop, "shop/update", shopPayload(shop));
    return shop.record;
  }
}

// ---- helpers --------------------------------------------------------------------------------

function toNumericId(reference: number | string): number {
  if (typeof reference === "number") return reference;
  return parseGid(reference)?.id ?? Number(reference);
}

/** Turns `[{lineItemId, quantity?}]` into line items; omitted input means "all of `available`". */
function resolveQuantities(
  order: OrderRecord,
  requested: LineItemQuantity[] | undefined,
  available: (item: LineItemRecord) => number,
): { item: LineItemRecord; quantity: number }[] {
  if (requested === undefined) {
    return order.lineItems.map((item) => ({ item, quantity: available(item) })).filter(({ quantity }) => quantity > 0);
  }
  return requested.map((line) => {
    const id = toNumericId(line.lineItemId);
    const item = order.lineItems.find((candidate) => candidate.id === id || candidate.sku === String(line.lineItemId));
    if (!item) throw new CommandError(`Line item ${line.lineItemId} is not on order ${order.name}`, 404);
    const quantity = line.quantity ?? available(item);
    if (!Number.isInteger(quantity) || quantity <= 0) throw new CommandError(`Bad quantity for line item ${item.id}`);
    return { item, quantity };
  });
}

function alreadyRefunded(order: OrderRecord, item: LineItemRecord): number {
  let quantity = 0;
  for (const refund of order.refunds)
    for (const line of refund.lineItems) if (line.lineItemId === item.id) quantity += line.quantity;
  return quantity;
}

function refundedShipping(order: OrderRecord): number {
  return order.refunds.reduce((sum, refund) => sum + refund.shippingCents, 0);
}

function findFulfillmentLineItem(order: OrderRecord, lineItemId: number): number | undefined {
  for (const fulfillment of order.fulfillments) {
    for (const line of fulfillment.lineItems) if (line.lineItemId === lineItemId) return line.id;
  }
  return undefined;
}

export function defaultEventMessage(status: FulfillmentEventStatus): string {
  const messages: Record<FulfillmentEventStatus, string> = {
    LABEL_PRINTED: "Shipping label printed",
    LABEL_PURCHASED: "Shipping label purchased",
    CONFIRMED: "Carrier has been notified",
    CARRIER_PICKED_UP: "Picked up by the carrier",
    IN_TRANSIT: "Package is in transit",
    OUT_FOR_DELIVERY: "Out for delivery",
    ATTEMPTED_DELIVERY: "Delivery attempted, nobody home",
    DELAYED: "Package is delayed",
    READY_FOR_PICKUP: "Ready for pickup at the pickup point",
    DELIVERED: "Delivered",
    FAILURE: "Delivery failed: address not found",
  };
  return messages[status];
}
