// Bulk JSONL put back together into nodes shaped like the paged queries (children under parents).

export interface AssembleBulkOptions {
  /**
   * True (default) when the operation ran with groupObjects: true (BULK_OPERATION_RUN does): a
   * parent's children all come before the next parent, so each parent is yielded as soon as the
   * next one starts. False for ungrouped files: children may come anywhere after their parent,
   * so everything is held until the end.
   */
  grouped?: boolean;
}

type JsonObject = Record<string, unknown>;

const ORDER_CHILD_CONNECTIONS: Readonly<Record<string, string>> = { LineItem: "lineItems", Return: "returns" };
const CUSTOMER_CHILD_CONNECTIONS: Readonly<Record<string, string>> = { MailingAddress: "addressesV2" };

/**
 * Lines of a BULK_ORDERS_QUERY export → order nodes shaped like ORDER_FIELDS (connections as
 * { nodes }), minus what a bulk query cannot reach: fulfillments without events or line items,
 * refunds without line items. Fetch those orders again with ORDERS_BY_IDS_QUERY (see
 * bulkOrderNeedsDetails) for a complete snapshot; orderSnapshotFromGraphql accepts both.
 */
export function assembleBulkOrders(
  lines: AsyncIterable<object> | Iterable<object>,
  options: AssembleBulkOptions = {},
): AsyncGenerator<JsonObject> {
  return assembleBulkObjects(lines, ORDER_CHILD_CONNECTIONS, options);
}

/** Lines of a BULK_CUSTOMERS_QUERY export → customer nodes shaped like CUSTOMER_FIELDS. */
export function assembleBulkCustomers(
  lines: AsyncIterable<object> | Iterable<object>,
  options: AssembleBulkOptions = {},
): AsyncGenerator<JsonObject> {
  return assembleBulkObjects(lines, CUSTOMER_CHILD_CONNECTIONS, options);
}

/** A bulk-exported order whose fulfillments or refunds need ORDERS_BY_IDS_QUERY for their details. */
export function bulkOrderNeedsDetails(node: JsonObject): boolean {
  const hasItems = (value: unknown) => Array.isArray(value) && value.length > 0;
  return hasItems(node.fulfillments) || hasItems(node.refunds);
}

async function* assembleBulkObjects(
  lines: AsyncIterable<object> | Iterable<object>,
  childConnections: Readonly<Record<string, string>>,
  { grouped = true }: AssembleBulkOptions,
): AsyncGenerator<JsonObject> {
  const open = new Map<string, JsonObject>();
  const yielded = new Set<string>();
  // Children met before their parent (possible in ungrouped files).
  const waiting = new Map<string, JsonObject[]>();
  for await (const line of lines) {
    const object = line as JsonObject;
    const parentId = object.__parentId;
    if (typeof parentId !== "string") {
      const id = requireId(object);
      if (grouped) yield* drain(open, yielded);
      const root = { ...object };
      for (const child of waiting.get(id) ?? []) attachChild(root, child, childConnections);
      waiting.delete(id);
      open.set(id, root);
      continue;
    }
    const parent = open.get(parentId);
    if (parent) attachChild(parent, object, childConnections);
    else if (yielded.has(parentId)) throw new Error(`Bulk line for ${parentId} came after its parent was complete`);
    else waiting.set(parentId, [...(waiting.get(parentId) ?? []), object]);
  }
  if (waiting.size > 0) throw new Error(`Bulk lines refer to missing parents: ${[...waiting.keys()].join(", ")}`);
  yield* drain(open, yielded);
}

function* drain(open: Map<string, JsonObject>, yielded: Set<string>): Generator<JsonObject> {
  for (const [id, object] of open) {
    yielded.add(id);
    yield object;
  }
  open.clear();
}

function requireId(object: JsonObject): string {
  if (typeof object.id !== "string") throw new Error("Bulk line without an id");
  return object.id;
}

function attachChild(parent: JsonObject, child: JsonObject, childConnections: Readonly<Record<string, string>>): void {
  const { __parentId: _parent, ...node } = child;
  const type = typeof node.id === "string" ? /^gid:\/\/shopify\/(\w+)\//.exec(node.id)?.[1] : undefined;
  const field = type ? childConnections[type] : undefined;
  if (!field) throw new Error(`Unexpected bulk child ${String(node.id)} under ${String(parent.id)}`);
  const connection = (parent[field] as { nodes: JsonObject[] } | undefined) ?? { nodes: [] };
  parent[field] = { nodes: [...connection.nodes, node] };
}
