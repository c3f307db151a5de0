// Relay connections as Shopify serves them: opaque base64 cursors holding the sort position,
// `first`/`after` and `last`/`before`, at most 250 per page, and an error without first or last.
import { GraphQLError } from "graphql";

export interface ConnectionArgs {
  /** Bulk operations page through everything: no first/last needed, no 250 cap. */
  unbounded?: boolean;
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface Connection<N> {
  edges: { cursor: string; node: N }[];
  nodes: N[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** A position in a sorted list: the sort value and the id that breaks ties. */
export interface SortKey {
  value: string | number;
  id: number;
}

export const MAX_PAGE_SIZE = 250;

export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify({ last_id: key.id, last_value: key.value })).toString("base64");
}

export function decodeCursor(cursor: string): SortKey {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as {
      last_id?: unknown;
      last_value?: unknown;
    };
    if (
      typeof parsed.last_id === "number" &&
      (typeof parsed.last_value === "string" || typeof parsed.last_value === "number")
    ) {
      return { id: parsed.last_id, value: parsed.last_value };
    }
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError("Invalid cursor for current pagination sort.", { extensions: { code: "BAD_USER_INPUT" } });
}

export function compareKeys(a: SortKey, b: SortKey): number {
  if (a.value < b.value) return -1;
  if (a.value > b.value) return 1;
  return a.id - b.id;
}

export function checkPageArgs(args: ConnectionArgs): void {
  const { first, last } = args;
  if ((first === undefined || first === null) && (last === undefined || last === null)) {
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_USER_INPUT" } });
  }
  for (const [name, value] of [
    ["first", first],
    ["last", last],
  ] as const) {
    if (value !== undefined && value !== null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw new GraphQLError(`The '${name}' argument must be between 0 and ${MAX_PAGE_SIZE}.`, {
        extensions: { code: "BAD_USER_INPUT" },
      });
    }
  }
}

/**
 * Pages through `items`, already sorted ascending by `keyOf` (reverse = descending order of the
 * same keys). Cursor lookups are binary searches, so deep pages of 100k orders stay cheap.
 */
export function paginate<T, N>(
  items: readonly T[],
  args: ConnectionArgs & { reverse?: boolean | null },
  keyOf: (item: T) => SortKey,
  toNode: (item: T) => N,
  options: { requirePageSize?: boolean } = {},
): Connection<N> {
  if (!args.unbounded && options.requirePageSize !== false) checkPageArgs(args);
  const reverse = Boolean(args.reverse);
  const length = items.length;
  // Work in "view" positions: view index i maps to items[reverse ? length-1-i : i].
  const at = (viewIndex: number) => items[reverse ? length - 1 - viewIndex : viewIndex]!;
  const compareView = (viewIndex: number, key: SortKey) => (reverse ? -1 : 1) * compareKeys(keyOf(at(viewIndex)), key);
  /** First view index whose key comes after `key` in view order. */
  const firstAfter = (key: SortKey) => {
    let low = 0;
    let high = length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (compareView(middle, key) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  /** First view index whose key is not before `key` in view order. */
  const firstNotBefore = (key: SortKey) => {
    let low = 0;
    let high = length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (compareView(middle, key) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  let start = args.after ? firstAfter(decodeCursor(args.after)) : 0;
  let end = args.before ? firstNotBefore(decodeCursor(args.before)) : length;
  if (end < start) end = start;
  if (args.first !== undefined && args.first !== null) end = Math.min(end, start + args.first);
  if (args.last !== undefined && args.last !== null) start = Math.max(start, end - args.last);
  const edges: Connection<N>["edges"] = [];
  for (let index = start; index < end; index++) {
    const item = at(index);
    edges.push({ cursor: encodeCursor(keyOf(item)), node: toNode(item) });
  }
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasPreviousPage: start > 0,
      hasNextPage: end < length,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** Small lists hanging off a record (line items, events): ordered by position, cursors by index. */
export function paginateList<T, N>(
  items: readonly T[],
  args: ConnectionArgs & { reverse?: boolean | null },
  toNode: (item: T) => N,
): Connection<N> {
  const indexed = items.map((item, index) => ({ item, index }));
  return paginate(
    indexed,
    args,
    ({ index }) => ({ value: index, id: index }),
    ({ item }) => toNode(item),
  );
}
