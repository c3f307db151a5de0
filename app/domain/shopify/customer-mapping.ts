import { addressFromGraphql, addressFromRest } from "./addresses";
import { GraphqlCustomerSchema } from "./graphql-payloads";
import { RestCustomerDeleteSchema, RestCustomerSchema } from "./rest-payloads";
import { CUSTOMER_STATES, type ShopifyCustomerSnapshot } from "./snapshots";
import { normalizeEmail, normalizePhoneE164, tagList, upperEnum } from "./values";
import { toStorableJson } from "../../lib/storable-text";

// Customers from REST webhooks and Admin GraphQL.

/** customers/create|update. */
export function customerFromWebhook(payload: unknown): ShopifyCustomerSnapshot {
  const customer = RestCustomerSchema.parse(toStorableJson(payload));
  const email = normalizeEmail(customer.email);
  return {
    id: customer.admin_graphql_api_id,
    firstName: customer.first_name,
    lastName: customer.last_name,
    displayName: displayNameOf(customer.first_name, customer.last_name, email, customer.phone),
    email,
    phone: customer.phone,
    phoneE164: normalizePhoneE164(customer.phone),
    note: noteOrNull(customer.note),
    tags: customer.tags === undefined || customer.tags === null ? null : tagList(customer.tags),
    state: upperEnum(CUSTOMER_STATES, customer.state),
    locale: customer.locale,
    createdAt: customer.created_at,
    updatedAt: customer.updated_at,
    defaultAddress: addressFromRest(customer.default_address),
    addresses: (customer.addresses ?? []).flatMap((address) => addressFromRest(address) ?? []),
    numberOfOrders: null,
    amountSpent: null,
  };
}

/** customers/delete → the GID of the deleted customer. */
export function customerIdFromDeleteWebhook(payload: unknown): string {
  return RestCustomerDeleteSchema.parse(payload).admin_graphql_api_id;
}

/** A CUSTOMER_FIELDS node (or an assembled bulk customer). */
export function customerFromGraphql(node: unknown): ShopifyCustomerSnapshot {
  const customer = GraphqlCustomerSchema.parse(toStorableJson(node));
  const email = normalizeEmail(customer.defaultEmailAddress?.emailAddress);
  const phone = customer.defaultPhoneNumber?.phoneNumber ?? null;
  return {
    id: customer.id,
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName: customer.displayName || displayNameOf(customer.firstName, customer.lastName, email, phone),
    email,
    phone,
    phoneE164: normalizePhoneE164(phone),
    note: noteOrNull(customer.note),
    tags: customer.tags ? tagList(customer.tags) : null,
    state: customer.state ?? null,
    locale: customer.locale,
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
    defaultAddress: addressFromGraphql(customer.defaultAddress),
    addresses: (customer.addressesV2?.nodes ?? []).flatMap((address) => addressFromGraphql(address) ?? []),
    numberOfOrders:
      customer.numberOfOrders === null || customer.numberOfOrders === undefined
        ? null
        : Number(customer.numberOfOrders),
    amountSpent: customer.amountSpent ?? null,
  };
}

/** Shopify writes a cleared note as "" (our customerUpdate sends "" to clear it): no note either way. */
function noteOrNull(note: string | null): string | null {
  return note?.trim() ? note : null;
}

/** Shopify's own fallback: the name, else the email, else the phone. */
function displayNameOf(
  firstName: string | null,
  lastName: string | null,
  email: string | null,
  phone: string | null,
): string {
  return [firstName, lastName].filter(Boolean).join(" ").trim() || email || phone || "";
}
