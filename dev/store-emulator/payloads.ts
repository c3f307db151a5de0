// REST-shaped webhook bodies, key for key like Shopify's documented samples (see
// tests/fixtures/webhooks). Timestamps use the shop's UTC offset ("2026-01-05T10:00:00-05:00") as
// Shopify's REST payloads do; GraphQL answers use UTC.
import {
  addressName,
  displayFinancialStatus,
  displayFulfillmentStatus,
  formatCents,
  fulfilledQuantity,
  gid,
  latestEvent,
  lineItemsSubtotalCents,
  orderTotalCents,
  refundedCents,
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
import type { ShopState } from "./world.ts";

type Json = Record<string, unknown>;

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** `2026-01-05T15:00:00Z` → `2026-01-05T10:00:00-05:00` in the shop's time zone. */
export function shopTime(iso: string | null, timeZone: string): string | null {
  if (!iso) return null;
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
    offsetFormatters.set(timeZone, formatter);
  }
  const instant = new Date(iso);
  const label = formatter.formatToParts(instant).find((part) => part.type === "timeZoneName")?.value ?? "GMT";
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(label);
  const offsetMinutes = match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  const local = new Date(instant.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const absolute = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(absolute / 60)).padStart(2, "0")}:${String(absolute % 60).padStart(2, "0")}`;
}

function moneySet(cents: number, currency: string): Json {
  const money = { amount: formatCents(cents), currency_code: currency };
  return { shop_money: money, presentment_money: { ...money } };
}

function addressPayload(address: AddressRecord | null): Json | null {
  if (!address) return null;
  return {
    first_name: address.firstName,
    address1: address.address1,
    phone: address.phone,
    city: address.city,
    zip: address.zip,
    province: address.province,
    country: address.country,
    last_name: address.lastName,
    address2: address.address2,
    company: address.company,
    latitude: null,
    longitude: null,
    name: addressName(address),
    country_code: address.countryCode,
    province_code: address.provinceCode,
  };
}

function customerAddressPayload(address: AddressRecord, customerId: number, isDefault: boolean): Json {
  return {
    id: address.id,
    customer_id: customerId,
    first_name: address.firstName,
    last_name: address.lastName,
    company: address.company,
    address1: address.address1,
    address2: address.address2,
    city: address.city,
    province: address.province,
    country: address.country,
    zip: address.zip,
    phone: address.phone,
    name: addressName(address),
    province_code: address.provinceCode,
    country_code: address.countryCode,
    country_name: address.country,
    default: isDefault,
  };
}

export function customerPayload(shop: ShopState, customer: CustomerRecord): Json {
  const zone = shop.record.ianaTimezone;
  const defaultAddress = customer.addresses[0];
  return {
    id: customer.id,
    created_at: shopTime(customer.createdAt, zone),
    updated_at: shopTime(customer.updatedAt, zone),
    first_name: customer.firstName,
    last_name: customer.lastName,
    state: customer.state.toLowerCase(),
    note: customer.note,
    verified_email: customer.verifiedEmail,
    multipass_identifier: null,
    tax_exempt: false,
    email: customer.email,
    phone: customer.phone,
    currency: shop.record.currencyCode,
    addresses: customer.addresses.map((address, index) => customerAddressPayload(address, customer.id, index === 0)),
    tax_exemptions: [],
    admin_graphql_api_id: gid("Customer", customer.id),
    default_address: defaultAddress ? customerAddressPayload(defaultAddress, customer.id, true) : null,
  };
}

export function customerDeletePayload(customer: CustomerRecord): Json {
  return { id: customer.id, tax_exemptions: [], admin_graphql_api_id: gid("Customer", customer.id) };
}

function lineItemPayload(order: OrderRecord, item: LineItemRecord, quantity = item.quantity): Json {
  const currency = order.currencyCode;
  const fulfilled = fulfilledQuantity(order, item.id);
  return {
    id: item.id,
    admin_graphql_api_id: gid("LineItem", item.id),
    attributed_staffs: [],
    current_quantity: Math.max(0, item.quantity - refundedLineQuantity(order, item.id)),
    fulfillable_quantity: unfulfilledQuantity(order, item),
    fulfillment_service: "manual",
    fulfillment_status: fulfilled === 0 ? null : fulfilled >= item.quantity ? "fulfilled" : "partial",
    gift_card: false,
    grams: item.grams,
    name: item.variantTitle ? `${item.title} - ${item.variantTitle}` : item.title,
    price: formatCents(item.unitPriceCents),
    price_set: moneySet(item.unitPriceCents, currency),
    product_exists: true,
    product_id: item.productId,
    properties: [],
    quantity,
    requires_shipping: item.requiresShipping,
    sales_line_item_group_id: null,
    sku: item.sku,
    taxable: true,
    title: item.title,
    total_discount: "0.00",
    total_discount_set: moneySet(0, currency),
    variant_id: item.variantId,
    variant_inventory_management: "shopify",
    variant_title: item.variantTitle,
    vendor: item.vendor,
    tax_lines: [],
    duties: [],
    discount_allocations: [],
  };
}

function refundedLineQuantity(order: OrderRecord, lineItemId: number): number {
  let quantity = 0;
  for (const refund of order.refunds)
    for (const line of refund.lineItems) if (line.lineItemId === lineItemId) quantity += line.quantity;
  return quantity;
}

export function fulfillmentPayload(shop: ShopState, order: OrderRecord, fulfillment: FulfillmentRecord): Json {
  const zone = shop.record.ianaTimezone;
  const tracking = fulfillment.trackingInfo;
  const latest = latestEvent(fulfillment);
  return {
    id: fulfillment.id,
    order_id: order.id,
    status: fulfillment.status.toLowerCase(),
    created_at: shopTime(fulfillment.createdAt, zone),
    service: "manual",
    updated_at: shopTime(fulfillment.updatedAt, zone),
    tracking_company: tracking[0]?.company ?? null,
    shipment_status: latest ? latest.status.toLowerCase() : null,
    location_id: null,
    origin_address: null,
    email: order.email,
    destination: addressPayload(order.shippingAddress),
    line_items: fulfillment.lineItems.flatMap((line) => {
      const item = order.lineItems.find((candidate) => candidate.id === line.lineItemId);
      if (!item) return [];
      const {
        attributed_staffs: _staff,
        current_quantity: _current,
        sales_line_item_group_id: _group,
        ...rest
      } = lineItemPayload(order, item, line.quantity);
      return [rest];
    }),
    tracking_number: tracking[0]?.number ?? null,
    tracking_numbers: tracking.flatMap((info) => (info.number ? [info.number] : [])),
    tracking_url: tracking[0]?.url ?? null,
    tracking_urls: tracking.flatMap((info) => (info.url ? [info.url] : [])),
    receipt: {},
    name: fulfillment.name,
    admin_graphql_api_id: gid("Fulfillment", fulfillment.id),
  };
}

export function fulfillmentEventPayload(
  shop: ShopState,
  order: OrderRecord,
  fulfillment: FulfillmentRecord,
  event: FulfillmentEventRecord,
): Json {
  const zone = shop.record.ianaTimezone;
  return {
    id: event.id,
    fulfillment_id: fulfillment.id,
    status: event.status.toLowerCase(),
    message: event.message,
    happened_at: shopTime(event.happenedAt, zone),
    city: event.city,
    province: null,
    country: event.country,
    zip: null,
    address1: null,
    latitude: null,
    longitude: null,
    shop_id: shop.record.id,
    created_at: shopTime(event.createdAt, zone),
    updated_at: shopTime(event.createdAt, zone),
    estimated_delivery_at: shopTime(event.estimatedDeliveryAt, zone),
    order_id: order.id,
    admin_graphql_api_id: gid("FulfillmentEvent", event.id),
  };
}

export function refundPayload(shop: ShopState, order: OrderRecord, refund: RefundRecord): Json {
  const zone = shop.record.ianaTimezone;
  const currency = order.currencyCode;
  return {
    id: refund.id,
    order_id: order.id,
    created_at: shopTime(refund.createdAt, zone),
    note: refund.note,
    user_id: null,
    processed_at: shopTime(refund.createdAt, zone),
    duties: [],
    total_duties_set: moneySet(0, currency),
    return: null,
    refund_shipping_lines: [],
    restock: refund.lineItems.some((line) => (line.restockType ?? "NO_RESTOCK") !== "NO_RESTOCK"),
    admin_graphql_api_id: gid("Refund", refund.id),
    order_adjustments: [],
    refund_line_items: refund.lineItems.flatMap((line) => {
      const item = order.lineItems.find((candidate) => candidate.id === line.lineItemId);
      if (!item) return [];
      return [
        {
          id: line.id,
          quantity: line.quantity,
          line_item_id: item.id,
          location_id: null,
          restock_type: (line.restockType ?? "NO_RESTOCK").toLowerCase(),
          subtotal: line.subtotalCents / 100,
          total_tax: 0,
          subtotal_set: moneySet(line.subtotalCents, currency),
          total_tax_set: moneySet(0, currency),
          line_item: (({ attributed_staffs: _a, current_quantity: _c, sales_line_item_group_id: _g, ...rest }) => rest)(
            lineItemPayload(order, item),
          ),
        },
      ];
    }),
    // A restock-only refund (a cancel that paid nothing back) moves no money: no transaction.
    transactions:
      refund.amountCents === 0
        ? []
        : [
            {
              id: refund.transactionId,
              order_id: order.id,
              kind: "refund",
              gateway: refund.gateway,
              status: "success",
              message: null,
              created_at: shopTime(refund.createdAt, zone),
              test: false,
              authorization: null,
              location_id: null,
              user_id: null,
              parent_id: null,
              processed_at: shopTime(refund.createdAt, zone),
              device_id: null,
              error_code: null,
              source_name: "web",
              receipt: {},
              amount: formatCents(refund.amountCents),
              currency,
              payment_id: `${order.confirmationNumber}.1`,
              total_unsettled_set: {
                presentment_money: { amount: "0.0", currency },
                shop_money: { amount: "0.0", currency },
              },
              manual_payment_gateway: false,
              amount_rounding: null,
              admin_graphql_api_id: gid("OrderTransaction", refund.transactionId),
            },
          ],
  };
}

export function returnPayload(order: OrderRecord, ret: ReturnRecord): Json {
  return {
    id: ret.id,
    admin_graphql_api_id: gid("Return", ret.id),
    status: ret.status.toLowerCase(),
    order: { id: order.id, admin_graphql_api_id: gid("Order", order.id) },
    total_return_line_items: ret.lineItems.reduce((sum, line) => sum + line.quantity, 0),
    name: ret.name,
    return_line_items: ret.lineItems.map((line) => ({
      id: line.id,
      admin_graphql_api_id: gid("ReturnLineItem", line.id),
      fulfillment_line_item: {
        id: line.fulfillmentLineItemId,
        admin_graphql_api_id: gid("FulfillmentLineItem", line.fulfillmentLineItemId),
      },
      quantity: line.quantity,
      return_reason: line.reason.toLowerCase(),
      return_reason_note: line.reasonNote ?? "",
      customer_note: line.customerNote ?? null,
    })),
    return_shipping_fees: [],
    exchange_line_items: [],
    total_exchange_line_items: 0,
  };
}

/** returns/decline: the keys of Shopify's sample (id, status, order, decline), no line items. */
export function returnDeclinePayload(order: OrderRecord, ret: ReturnRecord): Json {
  return {
    id: ret.id,
    admin_graphql_api_id: gid("Return", ret.id),
    status: ret.status.toLowerCase(),
    order: { id: order.id, admin_graphql_api_id: gid("Order", order.id) },
    decline: ret.decline ? { reason: ret.decline.reason.toLowerCase(), note: ret.decline.note } : null,
  };
}

const financialStatusRest: Record<string, string> = {
  PENDING: "pending",
  AUTHORIZED: "authorized",
  PAID: "paid",
  PARTIALLY_PAID: "partially_paid",
  VOIDED: "voided",
  EXPIRED: "expired",
  REFUNDED: "refunded",
  PARTIALLY_REFUNDED: "partially_refunded",
};

export function orderPayload(shop: ShopState, order: OrderRecord): Json {
  const zone = shop.record.ianaTimezone;
  const currency = order.currencyCode;
  const subtotal = lineItemsSubtotalCents(order);
  const total = orderTotalCents(order);
  const refunded = refundedCents(order);
  const current = Math.max(0, total - refunded);
  const fulfillmentStatus = displayFulfillmentStatus(order);
  const customer = order.customerId === null ? undefined : shop.customers.get(order.customerId);
  const paid = ["PAID", "PARTIALLY_PAID"].includes(order.financialStatus);
  const time = (iso: string | null) => shopTime(iso, zone);
  return {
    id: order.id,
    admin_graphql_api_id: gid("Order", order.id),
    app_id: null,
    browser_ip: null,
    buyer_accepts_marketing: false,
    cancel_reason: order.cancelReason?.toLowerCase() ?? null,
    cancelled_at: time(order.cancelledAt),
    cart_token: null,
    checkout_token: null,
    client_details: null,
    closed_at: time(order.closedAt),
    confirmation_number: order.confirmationNumber,
    confirmed: true,
    contact_email: order.email,
    created_at: time(order.createdAt),
    currency,
    current_shipping_price_set: moneySet(order.shippingCents, currency),
    current_subtotal_price: formatCents(Math.max(0, subtotal - refunded)),
    current_subtotal_price_set: moneySet(Math.max(0, subtotal - refunded), currency),
    current_total_additional_fees_set: null,
    current_total_discounts: "0.00",
    current_total_discounts_set: moneySet(0, currency),
    current_total_duties_set: null,
    current_total_price: formatCents(current),
    current_total_price_set: moneySet(current, currency),
    current_total_tax: "0.00",
    current_total_tax_set: moneySet(0, currency),
    customer_locale: order.customerLocale,
    device_id: null,
    discount_codes: [],
    duties_included: false,
    email: order.email,
    estimated_taxes: false,
    financial_status: financialStatusRest[displayFinancialStatus(order)] ?? "pending",
    fulfillment_status:
      fulfillmentStatus === "FULFILLED" ? "fulfilled" : fulfillmentStatus === "PARTIALLY_FULFILLED" ? "partial" : null,
    landing_site: null,
    landing_site_ref: null,
    location_id: null,
    merchant_business_entity_id: Buffer.from(String(shop.record.id)).toString("base64url"),
    merchant_of_record_app_id: null,
    name: order.name,
    note: order.note,
    note_attributes: [],
    number: order.number - 1000,
    order_number: order.number,
    order_status_url: `https://${shop.domain}/${shop.record.id}/orders/${order.token}/authenticate?key=${order.token.slice(0, 16)}`,
    original_total_additional_fees_set: null,
    original_total_duties_set: null,
    payment_gateway_names: order.paymentGatewayNames,
    phone: order.phone,
    po_number: null,
    presentment_currency: currency,
    processed_at: time(order.processedAt),
    reference: null,
    referring_site: null,
    source_identifier: null,
    source_name: order.sourceName,
    source_url: null,
    subtotal_price: formatCents(subtotal),
    subtotal_price_set: moneySet(subtotal, currency),
    tags: order.tags.join(", "),
    tax_exempt: false,
    tax_lines: [],
    taxes_included: false,
    test: false,
    token: order.token,
    total_cash_rounding_payment_adjustment_set: moneySet(0, currency),
    total_cash_rounding_refund_adjustment_set: moneySet(0, currency),
    total_discounts: "0.00",
    total_discounts_set: moneySet(0, currency),
    total_line_items_price: formatCents(subtotal),
    total_line_items_price_set: moneySet(subtotal, currency),
    total_outstanding: formatCents(paid || order.cancelledAt ? 0 : total),
    total_price: formatCents(total),
    total_price_set: moneySet(total, currency),
    total_shipping_price_set: moneySet(order.shippingCents, currency),
    total_tax: "0.00",
    total_tax_set: moneySet(0, currency),
    total_tip_received: "0.00",
    total_weight: order.lineItems.reduce((sum, item) => sum + item.grams * item.quantity, 0),
    updated_at: time(order.updatedAt),
    user_id: null,
    billing_address: addressPayload(order.billingAddress),
    customer: customer ? orderCustomerPayload(shop, customer) : null,
    discount_applications: [],
    fulfillments: order.fulfillments.map((fulfillment) => fulfillmentPayload(shop, order, fulfillment)),
    line_items: order.lineItems.map((item) => lineItemPayload(order, item)),
    payment_terms: null,
    refunds: order.refunds.map((refund) => refundPayload(shop, order, refund)),
    shipping_address: addressPayload(order.shippingAddress),
    shipping_lines: [
      {
        id: order.shippingLineId,
        carrier_identifier: null,
        code: order.shippingTitle,
        current_discounted_price_set: moneySet(order.shippingCents, currency),
        discounted_price: formatCents(order.shippingCents),
        discounted_price_set: moneySet(order.shippingCents, currency),
        is_removed: false,
        phone: null,
        price: formatCents(order.shippingCents),
        price_set: moneySet(order.shippingCents, currency),
        requested_fulfillment_service_id: null,
        source: "shopify",
        title: order.shippingTitle,
        tax_lines: [],
        discount_allocations: [],
      },
    ],
    returns: order.returns.map((ret) => ({
      id: ret.id,
      admin_graphql_api_id: gid("Return", ret.id),
      status: ret.status.toLowerCase(),
      name: ret.name,
    })),
    line_item_groups: [],
  };
}

/** The customer object nested in order payloads (no `addresses`, as in Shopify's sample). */
function orderCustomerPayload(shop: ShopState, customer: CustomerRecord): Json {
  const { addresses: _addresses, ...rest } = customerPayload(shop, customer);
  return rest;
}

/** shop/update and app/uninstalled bodies: the REST Shop resource. */
export function shopPayload(shop: ShopState): Json {
  const record = shop.record;
  const zone = record.ianaTimezone;
  return {
    id: record.id,
    name: record.name,
    email: record.email,
    domain: record.domain,
    province: record.address.province,
    country: record.address.countryCode,
    address1: record.address.address1,
    zip: record.address.zip,
    city: record.address.city,
    source: null,
    phone: record.address.phone,
    latitude: null,
    longitude: null,
    primary_locale: record.primaryLocale,
    address2: null,
    created_at: shopTime(record.createdAt, zone),
    updated_at: shopTime(record.updatedAt, zone),
    country_code: record.address.countryCode,
    country_name: record.address.countryName,
    currency: record.currencyCode,
    customer_email: record.contactEmail,
    timezone: record.timezoneLabel,
    iana_timezone: record.ianaTimezone,
    shop_owner: record.ownerName,
    money_format: moneyFormat(record.currencyCode),
    money_with_currency_format: `${moneyFormat(record.currencyCode)} ${record.currencyCode}`,
    weight_unit: "kg",
    province_code: record.address.provinceCode,
    taxes_included: record.currencyCode === "EUR",
    auto_configure_tax_inclusivity: null,
    tax_shipping: null,
    county_taxes: true,
    plan_display_name: record.plan.displayName,
    plan_name: record.plan.shopifyPlus ? "enterprise" : record.plan.partnerDevelopment ? "partner_test" : "basic",
    has_discounts: false,
    has_gift_cards: false,
    myshopify_domain: record.domain,
    google_apps_domain: null,
    google_apps_login_enabled: null,
    money_in_emails_format: moneyFormat(record.currencyCode),
    money_with_currency_in_emails_format: `${moneyFormat(record.currencyCode)} ${record.currencyCode}`,
    eligible_for_payments: true,
    requires_extra_payments_agreement: false,
    password_enabled: record.plan.partnerDevelopment,
    has_storefront: true,
    finances: true,
    primary_location_id: record.id + 1,
    checkout_api_supported: true,
    multi_location_enabled: true,
    setup_required: false,
    pre_launch_enabled: false,
    enabled_presentment_currencies: [record.currencyCode],
    marketing_sms_consent_enabled_at_checkout: false,
    transactional_sms_disabled: false,
  };
}

function moneyFormat(currency: string): string {
  return currency === "EUR" ? "€{{amount_with_comma_separator}}" : currency === "GBP" ? "£{{amount}}" : "${{amount}}";
}

export function complianceShopPayload(shop: ShopState): Json {
  return { shop_id: shop.record.id, shop_domain: shop.domain };
}

export function complianceCustomerPayload(
  shop: ShopState,
  topic: "customers/data_request" | "customers/redact",
  customer: CustomerRecord,
  requestId: number,
): Json {
  const base = {
    shop_id: shop.record.id,
    shop_domain: shop.domain,
    customer: { id: customer.id, email: customer.email, phone: customer.phone },
  };
  return topic === "customers/data_request"
    ? { ...base, orders_requested: [...customer.orderIds], data_request: { id: requestId } }
    : { ...base, orders_to_redact: [...customer.orderIds] };
}
