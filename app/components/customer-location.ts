import { z } from "zod";

// ShopifyCustomer.addresses is a JSON column (default address first): read it through a schema
// like any other boundary, keeping only what the profile shows and tolerating missing parts.
const text = z.string().nullish().catch(null);
const AddressSchema = z.looseObject({
  city: text,
  province: text,
  provinceCode: text,
  country: text,
  countryCode: text,
});
const AddressesSchema = z.array(z.unknown()).catch([]);

/** "Lyon, France" / "Portland, Oregon, United States" from a stored address list, or null. */
export function formatLocation(addresses: unknown): string | null {
  const first = AddressSchema.safeParse(AddressesSchema.parse(addresses)[0]);
  if (!first.success) return null;
  const { city, province, country, countryCode } = first.data;
  const parts = [city, province, country ?? countryCode].map((part) => part?.trim()).filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : null;
}

/** The first location among the linked Shopify customers (their default addresses). */
export function firstLocation(addressLists: unknown[]): string | null {
  for (const addresses of addressLists) {
    const location = formatLocation(addresses);
    if (location) return location;
  }
  return null;
}
