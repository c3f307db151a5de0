// A shop's staff accounts, as online token exchange reports them (`associated_user`): the owner
// from the shop's seed, and two colleagues at the owner's email domain, so a merchant's stores
// share their staff's addresses (the same person is one agent in a workspace of several stores).
// Derived from the shop record, so a restored snapshot has the same staff.
import type { ShopRecord } from "./model.ts";

export interface StaffMember {
  /** Shopify's numeric user id, the session token's `sub`. */
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  accountOwner: boolean;
  locale: string;
}

const COLLEAGUES = [
  { firstName: "Jonas", lastName: "Weber", local: "jonas" },
  { firstName: "Priya", lastName: "Shah", local: "priya" },
];

export function staffOf(record: ShopRecord): StaffMember[] {
  const [firstName = record.ownerName, ...rest] = record.ownerName.split(" ");
  const domain = record.email.split("@")[1] ?? `${record.domain.replace(".myshopify.com", "")}.example`;
  return [
    { id: "1", firstName, lastName: rest.join(" "), email: record.email, accountOwner: true, locale: "en" },
    ...COLLEAGUES.map((colleague, index) => ({
      id: String(index + 2),
      firstName: colleague.firstName,
      lastName: colleague.lastName,
      email: `${colleague.local}@${domain}`,
      accountOwner: false,
      locale: "en",
    })),
  ];
}
