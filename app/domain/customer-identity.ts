/**
 * How Shopdesk decides two records are the same person: the same email (case and surrounding
 * spaces ignored), else the same phone number (formatting ignored). Names never match on their own:
 * two Jane Smiths are two people until an address or an agent says otherwise.
 */

export function normalizeEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim().toLowerCase();
  return trimmed && trimmed.includes("@") ? trimmed : null;
}

/**
 * Digits only, with a leading "+" when the number was written in international form. Numbers
 * too short to identify anyone (extensions, typos) are dropped.
 */
export function normalizePhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const international = phone.trim().startsWith("+") || phone.trim().startsWith("00");
  let digits = phone.replace(/\D/g, "");
  if (phone.trim().startsWith("00")) digits = digits.slice(2);
  if (digits.length < 7) return null;
  return international ? `+${digits}` : digits;
}

/** Two normalised phones are the same line when one ends with the other (country code omitted). */
export function samePhone(a: string, b: string): boolean {
  const left = a.replace(/^\+/, "");
  const right = b.replace(/^\+/, "");
  return left === right || (Math.min(left.length, right.length) >= 9 && (left.endsWith(right) || right.endsWith(left)));
}

export interface IdentityCandidate {
  id: string;
  emails: string[];
  phones: string[];
}

/**
 * The candidate that is the same person as `who`: an email match wins over a phone match; among
 * several email matches, the first (oldest) candidate.
 */
export function findSamePerson<T extends IdentityCandidate>(
  candidates: readonly T[],
  who: { email: string | null; phone: string | null },
): T | null {
  const email = normalizeEmail(who.email);
  if (email) {
    const byEmail = candidates.find((candidate) => candidate.emails.includes(email));
    if (byEmail) return byEmail;
  }
  const phone = normalizePhone(who.phone);
  if (phone) {
    const byPhone = candidates.find((candidate) => candidate.phones.some((known) => samePhone(known, phone)));
    if (byPhone) return byPhone;
  }
  return null;
}

/** Adds a value to a list of identities if it is not there yet (primary stays first). */
export function withIdentity(list: readonly string[], value: string | null): string[] {
  return value && !list.includes(value) ? [...list, value] : [...list];
}

/** findSamePerson for someone known by several emails and phones: any email first, then any phone. */
export function findSamePersonByAny<T extends IdentityCandidate>(
  candidates: readonly T[],
  emails: readonly string[],
  phones: readonly string[],
): T | null {
  for (const email of emails) {
    const match = findSamePerson(candidates, { email, phone: null });
    if (match) return match;
  }
  for (const phone of phones) {
    const match = findSamePerson(candidates, { email: null, phone });
    if (match) return match;
  }
  return null;
}

export interface PersonRecord {
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
}

/** Who a set of records (one person's Shopify customers) says the person is. */
export function identityOf(records: readonly PersonRecord[]): {
  emails: string[];
  phones: string[];
  name: string | null;
} {
  return {
    emails: records.map((record) => normalizeEmail(record.email)).reduce(withIdentity, []),
    phones: records.map((record) => normalizePhone(record.phone)).reduce(withIdentity, []),
    name: records.map((record) => [record.firstName, record.lastName].filter(Boolean).join(" ")).find(Boolean) ?? null,
  };
}
