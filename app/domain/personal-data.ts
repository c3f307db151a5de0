/** Who a GDPR request is about, as Shopify identifies them in customers/* compliance payloads. */
export interface CustomerIdentity {
  /** Shopify customer id (numeric, as a string). */
  id?: string | null;
  email?: string | null;
  phone?: string | null;
}

const digitsOnly = (value: string) => value.replace(/\D/g, "");

function sameEmail(a: string, b: string) {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

// Phone numbers arrive formatted differently across payloads ("+1 555-625-1199", "5556251199"):
// compare digits, requiring enough of them that short numbers (quantities, zips) never match.
function samePhone(a: string, b: string) {
  const left = digitsOnly(a);
  const right = digitsOnly(b);
  if (left.length < 7 || right.length < 7) return false;
  return left.endsWith(right) || right.endsWith(left);
}

const CUSTOMER_KEYS = new Set(["customer", "customer_id"]);

/**
 * Does this stored JSON (a webhook payload, an export) mention the person? Matches their email or
 * phone in any string field, and their Shopify id where it stands as a customer id
 * (`customer.id`, `customer_id`, a Customer GID) — never a bare number elsewhere, which could be
 * an order or product id that happens to be equal.
 */
export function mentionsCustomer(value: unknown, who: CustomerIdentity, parentKey?: string): boolean {
  if (value == null) return false;
  if (typeof value === "string") {
    if (who.email && value.includes("@") && sameEmail(value, who.email)) return true;
    if (who.phone && samePhone(value, who.phone)) return true;
    if (who.id && value === `gid://shopify/Customer/${who.id}`) return true;
    if (who.id && parentKey === "customer_id" && value === who.id) return true;
    return false;
  }
  if (typeof value === "number") return Boolean(who.id && parentKey === "customer_id" && String(value) === who.id);
  if (Array.isArray(value)) return value.some((item) => mentionsCustomer(item, who, parentKey));
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (parentKey && CUSTOMER_KEYS.has(parentKey) && who.id && String(record.id) === who.id) return true;
    return Object.entries(record).some(([key, child]) => mentionsCustomer(child, who, key));
  }
  return false;
}
