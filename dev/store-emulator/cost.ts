// Shopify's calculated query cost and its leaky bucket (https://shopify.dev/docs/api/usage/rate-limits):
// scalars and enums cost 0, objects 1, connections 2 + (page size × cost of one node), mutation
// fields 10. The requested cost is charged up front; the difference to the actual cost (real page
// sizes) is refunded after execution.
import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";

export const BUCKET_SIZE = 2000;
export const RESTORE_RATE = 100;
export const MAX_SINGLE_QUERY_COST = 1000;

interface CostContext {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function argumentValue(node: ValueNode | undefined, variables: Record<string, unknown>): unknown {
  if (!node) return undefined;
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.LIST) return node.values.map((value) => argumentValue(value, variables));
  return undefined;
}

function pageSize(field: FieldNode, variables: Record<string, unknown>): number {
  for (const name of ["first", "last"]) {
    const argument = field.arguments?.find((candidate) => candidate.name.value === name);
    const value = argumentValue(argument?.value, variables);
    if (typeof value === "number") return value;
  }
  // `nodes(ids: […])` is charged for every id asked for, as Shopify does.
  const ids = argumentValue(field.arguments?.find((candidate) => candidate.name.value === "ids")?.value, variables);
  if (Array.isArray(ids)) return Math.max(1, ids.length);
  return 1;
}

/** Fields of a selection set, fragments flattened (type conditions narrow the parent type). */
function* fieldsOf(
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  context: CostContext,
): Generator<[FieldNode, GraphQLCompositeType]> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      yield [selection, parent];
    } else {
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : context.fragments[selection.name.value];
      if (!fragment) continue;
      const condition = fragment.typeCondition
        ? (context.schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined)
        : parent;
      yield* fieldsOf(fragment.selectionSet, condition ?? parent, context);
    }
  }
}

function fieldDefinition(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (isObjectType(parent) || isInterfaceType(parent)) return parent.getFields()[name];
  return undefined;
}

const isConnection = (type: GraphQLNamedType) => type.name.endsWith("Connection") && isObjectType(type);

type Data = Record<string, unknown> | null | undefined;

/**
 * Cost of a selection set. Without `data` it is the requested cost (page sizes from first/last);
 * with `data` (the response) it counts what was really returned.
 */
function selectionCost(
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  context: CostContext,
  data: Data,
  actual: boolean,
): number {
  let total = 0;
  for (const [field, fieldParent] of fieldsOf(selectionSet, parent, context)) {
    if (field.name.value.startsWith("__")) continue;
    const definition = fieldDefinition(fieldParent, field.name.value);
    if (!definition || !field.selectionSet) continue;
    const named = getNamedType(definition.type) as GraphQLCompositeType & GraphQLNamedType;
    const value = actual ? data?.[field.alias?.value ?? field.name.value] : undefined;
    if (actual && (value === null || value === undefined)) continue;
    if (isConnection(named)) {
      total += 2 + connectionCost(field, named, context, value as Data, actual);
    } else if (isListType(getNullableType(definition.type))) {
      if (actual) {
        // Plain lists are charged for the page size asked for (default 1), never more.
        const items = (value as Data[]).slice(0, pageSize(field, context.variables));
        for (const item of items) total += 1 + selectionCost(field.selectionSet, named, context, item, true);
      } else {
        total +=
          pageSize(field, context.variables) *
          (1 + selectionCost(field.selectionSet, named, context, undefined, false));
      }
    } else {
      total +=
        (isAbstractType(named) || isObjectType(named) ? 1 : 0) +
        selectionCost(field.selectionSet, named, context, value as Data, actual);
    }
  }
  return total;
}

function connectionCost(
  field: FieldNode,
  connection: GraphQLCompositeType,
  context: CostContext,
  data: Data,
  actual: boolean,
): number {
  // One node's cost (edges { node } and nodes {} both describe the node); pageInfo is free.
  let perNode = 0;
  let nodeCount = 0;
  let actualTotal = 0;
  for (const [child, childParent] of fieldsOf(field.selectionSet!, connection, context)) {
    const name = child.name.value;
    if ((name !== "edges" && name !== "nodes") || !child.selectionSet) continue;
    const definition = fieldDefinition(childParent, name)!;
    const itemType = getNamedType(definition.type) as GraphQLCompositeType;
    const items = actual ? ((data?.[child.alias?.value ?? name] as Data[] | undefined) ?? []) : [];
    if (name === "nodes") {
      if (actual) {
        nodeCount = Math.max(nodeCount, items.length);
        actualTotal += items.reduce(
          (sum, item) => sum + 1 + selectionCost(child.selectionSet!, itemType, context, item, true),
          0,
        );
      } else {
        perNode += 1 + selectionCost(child.selectionSet, itemType, context, undefined, false);
      }
    } else {
      for (const [edgeField, edgeParent] of fieldsOf(child.selectionSet, itemType, context)) {
        if (edgeField.name.value !== "node" || !edgeField.selectionSet) continue;
        const nodeType = getNamedType(fieldDefinition(edgeParent, "node")!.type) as GraphQLCompositeType;
        if (actual) {
          nodeCount = Math.max(nodeCount, items.length);
          for (const edge of items) {
            actualTotal +=
              1 +
              selectionCost(
                edgeField.selectionSet,
                nodeType,
                context,
                edge?.[edgeField.alias?.value ?? "node"] as Data,
                true,
              );
          }
        } else {
          perNode += 1 + selectionCost(edgeField.selectionSet, nodeType, context, undefined, false);
        }
      }
    }
  }
  return actual ? actualTotal : pageSize(field, context.variables) * perNode;
}

export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  data?: Record<string, unknown> | null,
): number {
  const context: CostContext = { schema, fragments, variables };
  const root = operation.operation === "mutation" ? schema.getMutationType()! : schema.getQueryType()!;
  const actual = data !== undefined;
  if (actual && !data) return 0;
  let total = 0;
  for (const [field] of fieldsOf(operation.selectionSet, root, context)) {
    if (field.name.value.startsWith("__")) continue;
    const single: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: [field] };
    const cost = selectionCost(single, root, context, data ?? undefined, actual);
    total += operation.operation === "mutation" ? 10 + Math.max(0, cost - 1) : cost;
  }
  return total;
}

/** One bucket per shop, as Shopify keeps one per app and shop. */
export class LeakyBucket {
  private available = BUCKET_SIZE;
  private updatedAt = Date.now();

  constructor(private readonly clock: () => number = Date.now) {
    this.updatedAt = clock();
  }

  currentlyAvailable(): number {
    const now = this.clock();
    this.available = Math.min(BUCKET_SIZE, this.available + ((now - this.updatedAt) / 1000) * RESTORE_RATE);
    this.updatedAt = now;
    return Math.floor(this.available);
  }

  /** Takes `cost` points if available; false means throttled. */
  take(cost: number): boolean {
    if (this.currentlyAvailable() < cost) return false;
    this.available -= cost;
    return true;
  }

  refund(points: number): void {
    this.available = Math.min(BUCKET_SIZE, this.available + Math.max(0, points));
  }

  /** For tests and demos: empty (or set) the bucket. */
  set(points: number): void {
    this.currentlyAvailable();
    this.available = Math.max(0, Math.min(BUCKET_SIZE, points));
  }

  throttleStatus() {
    return { maximumAvailable: BUCKET_SIZE, currentlyAvailable: this.currentlyAvailable(), restoreRate: RESTORE_RATE };
  }
}
