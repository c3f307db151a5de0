import { z } from "zod";
import { storableString } from "~/lib/storable-text";

// Customer search as agents type it: words in any order, part of an email, a phone number in any
// format. The query is split into terms here (pure, unit tested); the model matches each term
// against HelpdeskCustomer.searchText, which the database keeps lower-cased, without accents and
// with phones as digits only.

export const CUSTOMER_SEARCH_MAX_LENGTH = 200;
/** Each term is one more trigram lookup; more words than this is a pasted paragraph, not a search. */
export const CUSTOMER_SEARCH_MAX_TERMS = 8;
/** Fewer digits than this is a house number or a year, not a phone: matched as plain text. */
const PHONE_MIN_DIGITS = 4;

export type CustomerSearchTerm =
  /** Matched as typed (lower-cased and without accents by the database). */
  | { kind: "text"; text: string }
  /** Matched by its digits against the customer's phones (and anything else holding those digits). */
  | { kind: "phone"; digits: string };

/** A word a phone number is written with: digits and + - ( ) . only, at least one digit or symbol. */
const PHONE_PART = /^[\d+().-]+$/;

/**
 * A phone's digits as stored numbers contain them: an international "00" or a national trunk "0"
 * prefix dropped, so "0044 7911 123456", "07911 123456" and "+44 7911 123456" all find +447911123456.
 */
function phoneDigits(text: string): string {
  const digits = text.replace(/\D/g, "");
  if (digits.startsWith("00")) return digits.slice(2);
  if (digits.startsWith("0")) return digits.slice(1);
  return digits;
}

/**
 * The terms of a search, each of which a customer must match (in any order). Neighbouring words
 * that together look like a phone number ("555 227 9104", "+1 (555) 227-9104") are one phone term.
 * Repeated terms count once.
 */
export function parseCustomerSearch(query: string): CustomerSearchTerm[] {
  const words = query.trim().split(/\s+/).filter(Boolean);
  const terms: CustomerSearchTerm[] = [];
  const seen = new Set<string>();
  const add = (term: CustomerSearchTerm) => {
    const key = term.kind === "text" ? `t:${term.text.toLowerCase()}` : `p:${term.digits}`;
    if (seen.has(key)) return;
    seen.add(key);
    terms.push(term);
  };
  for (let index = 0; index < words.length;) {
    let end = index;
    while (end < words.length && PHONE_PART.test(words[end]!)) end++;
    const run = words.slice(index, end);
    const digits = run.join("").replace(/\D/g, "");
    if (run.length > 0 && digits.length >= PHONE_MIN_DIGITS) {
      const phone = phoneDigits(run.join(""));
      add(phone.length > 0 ? { kind: "phone", digits: phone } : { kind: "text", text: run.join(" ") });
      index = end;
    } else if (run.length > 0) {
      // A lone "+" or "-" says nothing about anyone (and searchText holds no such character).
      for (const word of run) if (!/^[+()-]+$/.test(word)) add({ kind: "text", text: word });
      index = end;
    } else {
      add({ kind: "text", text: words[index]! });
      index++;
    }
  }
  return terms;
}

/** A term for SQL LIKE: its wildcards and the escape character matched literally. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);

/** The customer list's URL query, checked once at the boundary (route loader, ticket page picker). */
export const CustomerSearchSchema = z.object({
  q: storableString()
    .trim()
    .max(CUSTOMER_SEARCH_MAX_LENGTH, `Search for at most ${CUSTOMER_SEARCH_MAX_LENGTH} characters`)
    .refine(
      (q) => parseCustomerSearch(q).length <= CUSTOMER_SEARCH_MAX_TERMS,
      `Search for at most ${CUSTOMER_SEARCH_MAX_TERMS} words at a time`,
    )
    .default(""),
  /** Keyset page links the list wrote (opaque); a hand-edited one is refused by the model. */
  after: z.string().max(400).optional(),
  before: z.string().max(400).optional(),
});
export type CustomerSearchQuery = z.infer<typeof CustomerSearchSchema>;
