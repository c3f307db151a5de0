// The subset of Shopify's search syntax (`query:` argument) apps use for syncing and lookup:
//   updated_at:>'2026-01-01T00:00:00Z'  created_at:>=2026-01-01  email:ava@example.com  id:>123
//   name:#1001  status:open  tag:vip  -tag:wholesale  fulfillment_status:unshipped  a OR b  free text
// Terms are ANDed; OR joins alternatives at the top level. Unknown fields are ignored, as Shopify
// does (it only adds a search warning).
import { parseGid } from "./model.ts";

type Comparator = ":" | ">" | ">=" | "<" | "<=";

interface Term {
  field: string | null;
  comparator: Comparator;
  value: string;
  negated: boolean;
}

export type FieldKind = "date" | "id" | "number" | "text" | "list";

export interface SearchField<T> {
  kind: FieldKind;
  get: (record: T) => string | number | null | readonly string[];
}

export type SearchFields<T> = Record<string, SearchField<T>>;

/** Splits on whitespace outside quotes. */
function tokenize(query: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (const char of query) {
    if (quote) {
      if (char === quote) quote = null;
      else current += char;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (/\s/.test(char)) {
      if (current) tokens.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  if (current) tokens.push(current);
  return tokens;
}

function parseTerm(token: string, negated: boolean): Term {
  let text = token;
  if (text.startsWith("-")) {
    negated = !negated;
    text = text.slice(1);
  }
  const colon = text.indexOf(":");
  if (colon <= 0) return { field: null, comparator: ":", value: text, negated };
  const field = text.slice(0, colon).toLowerCase();
  let rest = text.slice(colon + 1);
  let comparator: Comparator = ":";
  for (const candidate of [">=", "<=", ">", "<"] as const) {
    if (rest.startsWith(candidate)) {
      comparator = candidate;
      rest = rest.slice(candidate.length);
      break;
    }
  }
  return { field, comparator, value: rest, negated };
}

/** Parses into OR-groups of AND-ed terms. */
export function parseSearchQuery(query: string): Term[][] {
  const groups: Term[][] = [[]];
  let negateNext = false;
  for (const token of tokenize(query)) {
    if (token === "AND") continue;
    if (token === "OR") {
      groups.push([]);
      continue;
    }
    if (token === "NOT") {
      negateNext = true;
      continue;
    }
    groups[groups.length - 1]!.push(parseTerm(token, negateNext));
    negateNext = false;
  }
  return groups.filter((group) => group.length > 0);
}

function compare(actual: number, comparator: Comparator, expected: number): boolean {
  switch (comparator) {
    case ">":
      return actual > expected;
    case ">=":
      return actual >= expected;
    case "<":
      return actual < expected;
    case "<=":
      return actual <= expected;
    default:
      return actual === expected;
  }
}

function matchesText(actual: string, expected: string): boolean {
  const wanted = expected.toLowerCase();
  const value = actual.toLowerCase();
  if (wanted === "*") return value.length > 0;
  if (wanted.endsWith("*")) return value.startsWith(wanted.slice(0, -1));
  return value === wanted;
}

function termMatches<T>(
  record: T,
  term: Term,
  fields: SearchFields<T>,
  freeText: (record: T) => string[],
): boolean | null {
  if (term.field === null) {
    const wanted = term.value.toLowerCase();
    return freeText(record).some((text) => text.toLowerCase().includes(wanted));
  }
  const field = fields[term.field];
  if (!field) return null; // unknown field: ignored
  const actual = field.get(record);
  switch (field.kind) {
    case "date": {
      if (actual === null || typeof actual !== "string") return false;
      const expected = parseSearchDate(term.value);
      if (expected === null) return false;
      const actualMs = Date.parse(actual);
      // A bare date with ":" means "that day".
      if (term.comparator === ":" && /^\d{4}-\d{2}-\d{2}$/.test(term.value))
        return actualMs >= expected && actualMs < expected + 86_400_000;
      return compare(actualMs, term.comparator, expected);
    }
    case "id":
    case "number": {
      if (actual === null || typeof actual === "object") return false;
      const expected = field.kind === "id" ? (parseGid(term.value)?.id ?? Number(term.value)) : Number(term.value);
      return Number.isFinite(expected) && compare(Number(actual), term.comparator, expected);
    }
    case "list": {
      const values = Array.isArray(actual) ? actual : actual === null ? [] : [String(actual)];
      return values.some((value) => matchesText(value, term.value));
    }
    default:
      if (actual === null) return term.value === "";
      return matchesText(String(actual), term.value);
  }
}

function parseSearchDate(value: string): number | null {
  const lowered = value.toLowerCase();
  if (lowered === "now") return Date.now();
  const relative = /^-(\d+)([dhm])$/.exec(lowered);
  if (relative) {
    const unit = relative[2] === "d" ? 86_400_000 : relative[2] === "h" ? 3_600_000 : 60_000;
    return Date.now() - Number(relative[1]) * unit;
  }
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}

/** Returns a predicate for `query`, or null when the query filters nothing. */
export function compileSearchQuery<T>(
  query: string | null | undefined,
  fields: SearchFields<T>,
  freeText: (record: T) => string[],
): ((record: T) => boolean) | null {
  if (!query || !query.trim()) return null;
  const groups = parseSearchQuery(query);
  if (groups.length === 0) return null;
  return (record) =>
    groups.some((group) =>
      group.every((term) => {
        const result = termMatches(record, term, fields, freeText);
        if (result === null) return true;
        return term.negated ? !result : result;
      }),
    );
}
