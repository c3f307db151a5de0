import type { z } from "zod";
import type { gqlAddress } from "./graphql-payloads";
import type { restAddress } from "./rest-payloads";
import type { AddressSnapshot } from "./snapshots";

type RestAddress = NonNullable<z.output<typeof restAddress>>;
type GqlAddress = NonNullable<z.output<typeof gqlAddress>>;

export function addressFromRest(address: RestAddress | null | undefined): AddressSnapshot | null {
  if (!address) return null;
  return {
    name: address.name,
    firstName: address.first_name,
    lastName: address.last_name,
    company: address.company,
    address1: address.address1,
    address2: address.address2,
    city: address.city,
    province: address.province,
    provinceCode: address.province_code,
    country: address.country,
    countryCode: address.country_code,
    zip: address.zip,
    phone: address.phone,
  };
}

export function addressFromGraphql(address: GqlAddress | null | undefined): AddressSnapshot | null {
  if (!address) return null;
  return {
    name: address.name,
    firstName: address.firstName,
    lastName: address.lastName,
    company: address.company,
    address1: address.address1,
    address2: address.address2,
    city: address.city,
    province: address.province,
    provinceCode: address.provinceCode,
    country: address.country,
    countryCode: address.countryCodeV2,
    zip: address.zip,
    phone: address.phone,
  };
}
