// Bulk query operations in Shopify's model: bulkOperationRunQuery answers CREATED, the operation
// runs in the background (RUNNING) and completes with a URL to a JSONL file. Each object is one
// line; objects of nested connections are separate lines carrying `__parentId`, written after
// their parent (https://shopify.dev/docs/api/usage/bulk-operations/queries).
import { createWriteStream, mkdtempSync, rmSync, statSync, type WriteStream } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  isAbstractType,
  isListType,
  isObjectType,
  Kind,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { gid } from "./model.ts";
import { RESOLVERS, UNBOUNDED, type AdminContext, type BulkOperationView } from "./resolvers.ts";
import { adminSchema } from "./schema.ts";
import type { ShopState } from "./world.ts";

interface BulkOperationRecord extends BulkOperationView {
  shop: string;
  fileKey: string;
  filePath: string | null;
  cancelRequested: boolean;
}

export interface BulkOperationsOptions {
  makeContext: (shop: ShopState) => AdminContext;
  /** Public URL of a result file, e.g. https://<shop>/_emulator/bulk/<key>.jsonl */
  fileUrl: (shop: string, fileKey: string) => string;
  /** Wait before RUNNING and before COMPLETED, so pollers see the intermediate states. */
  stepDelayMs: number;
  clock: () => Date;
  onFinished: (shop: ShopState, operation: BulkOperationView) => void;
  log: (line: string) => void;
}

const isoNow = (clock: () => Date) =>
  clock()
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");

export class BulkOperations {
  private readonly operations = new Map<number, BulkOperationRecord>();
  private readonly byFileKey = new Map<string, BulkOperationRecord>();
  private readonly directory = mkdtempSync(join(tmpdir(), "shopdesk-bulk-"));
  private nextId = 1_000_000_001;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: BulkOperationsOptions) {}

  run(shop: ShopState, query: string): ReturnType<AdminContext["bulk"]["run"]> {
    const current = this.current(shop);
    if (current && (current.status === "CREATED" || current.status === "RUNNING" || current.status === "CANCELING")) {
      return {
        userErrors: [
          {
            field: ["query"],
            message: `A bulk query operation for this app and shop is already in progress: ${gid("BulkOperation", current.id)}.`,
            code: "OPERATION_IN_PROGRESS",
          },
        ],
      };
    }
    const problem = checkBulkQuery(adminSchema(), query);
    if (typeof problem === "string") return { userErrors: [{ field: ["query"], message: problem, code: "INVALID" }] };
    const record: BulkOperationRecord = {
      id: this.nextId++,
      shop: shop.domain,
      status: "CREATED",
      errorCode: null,
      createdAt: isoNow(this.options.clock),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      url: null,
      query,
      type: "QUERY",
      fileKey: `${randomBytes(12).toString("hex")}`,
      filePath: null,
      cancelRequested: false,
    };
    this.operations.set(record.id, record);
    this.byFileKey.set(record.fileKey, record);
    const task = this.execute(shop, record, problem).catch((error: unknown) => {
      record.status = "FAILED";
      record.errorCode = "INTERNAL_SERVER_ERROR";
      record.completedAt = isoNow(this.options.clock);
      this.options.log(
        `[bulk] ${gid("BulkOperation", record.id)} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.options.onFinished(shop, record);
    });
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
    return { operation: record, userErrors: [] };
  }

  get(shop: ShopState, id: number): BulkOperationView | undefined {
    const record = this.operations.get(id);
    return record && record.shop === shop.domain ? record : undefined;
  }

  current(shop: ShopState): BulkOperationView | undefined {
    let latest: BulkOperationRecord | undefined;
    for (const record of this.operations.values()) if (record.shop === shop.domain) latest = record;
    return latest;
  }

  cancel(shop: ShopState, id: number): ReturnType<AdminContext["bulk"]["cancel"]> {
    const record = this.operations.get(id);
    if (!record || record.shop !== shop.domain)
      return { userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] };
    if (record.status !== "CREATED" && record.status !== "RUNNING") {
      return {
        operation: record,
        userErrors: [
          { field: null, message: `A bulk operation cannot be canceled when it is ${record.status.toLowerCase()}` },
        ],
      };
    }
    record.cancelRequested = true;
    record.status = "CANCELING";
    return { operation: record, userErrors: [] };
  }

  /** The result file of a completed operation, for the HTTP server to stream. */
  file(shop: string, fileKey: string): { path: string; size: number } | undefined {
    const record = this.byFileKey.get(fileKey);
    if (!record || record.shop !== shop || !record.filePath || record.status !== "COMPLETED") return undefined;
    return { path: record.filePath, size: record.fileSize ?? 0 };
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  dispose(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }

  private async execute(shop: ShopState, record: BulkOperationRecord, parsed: ParsedBulkQuery): Promise<void> {
    await delay(this.options.stepDelayMs);
    if (record.cancelRequested) return this.finishCancelled(shop, record);
    record.status = "RUNNING";
    const filePath = join(this.directory, `${record.fileKey}.jsonl`);
    const stream = createWriteStream(filePath);
    const writer = new JsonlWriter(stream);
    const context = this.options.makeContext(shop);
    const executor = new BulkExecutor(adminSchema(), parsed.fragments, context, writer);
    const roots = executor.rootNodes(parsed.rootField);
    let count = 0;
    for (const root of roots) {
      if (record.cancelRequested) break;
      await executor.writeNode(root.value, root.type, parsed.rootNodeSelection, null);
      record.rootObjectCount++;
      record.objectCount = writer.lines;
      // Let the server answer polls while a large export is written.
      if (++count % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await writer.close();
    record.objectCount = writer.lines;
    if (record.cancelRequested) return this.finishCancelled(shop, record);
    await delay(this.options.stepDelayMs);
    record.filePath = filePath;
    record.fileSize = statSync(filePath).size;
    // Shopify returns url null when the result is empty.
    record.url = record.objectCount > 0 ? this.options.fileUrl(shop.domain, record.fileKey) : null;
    record.status = "COMPLETED";
    record.completedAt = isoNow(this.options.clock);
    this.options.log(
      `[bulk] ${shop.domain} ${gid("BulkOperation", record.id)} completed: ${record.objectCount} objects`,
    );
    this.options.onFinished(shop, record);
  }

  private finishCancelled(shop: ShopState, record: BulkOperationRecord): void {
    record.status = "CANCELED";
    record.completedAt = isoNow(this.options.clock);
    this.options.onFinished(shop, record);
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class JsonlWriter {
  lines = 0;
  private buffer: string[] = [];
  private bufferedChars = 0;

  constructor(private readonly stream: WriteStream) {}

  async write(object: Record<string, unknown>): Promise<void> {
    const line = `${JSON.stringify(object)}\n`;
    this.buffer.push(line);
    this.bufferedChars += line.length;
    this.lines++;
    if (this.bufferedChars > 256 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join("");
    this.buffer = [];
    this.bufferedChars = 0;
    if (!this.stream.write(chunk)) await new Promise<void>((resolve) => this.stream.once("drain", () => resolve()));
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
}

interface ParsedBulkQuery {
  rootField: FieldNode;
  /** The selection on one node of the root connection (inside edges { node } or nodes). */
  rootNodeSelection: SelectionSetNode;
  fragments: Record<string, FragmentDefinitionNode>;
}

/** Validates a bulk query; returns the parsed shape or an error message like Shopify's userErrors. */
function checkBulkQuery(schema: GraphQLSchema, query: string): ParsedBulkQuery | string {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return `Invalid bulk query: ${(error as Error).message}`;
  }
  const errors = validate(schema, document);
  if (errors.length > 0) return `Invalid bulk query: ${errors[0]!.message}`;
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (operations.length !== 1 || operations[0]!.operation !== "query")
    return "Bulk queries must contain exactly one query operation.";
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  const rootFields = operations[0]!.selectionSet.selections.filter(
    (selection): selection is FieldNode => selection.kind === Kind.FIELD,
  );
  if (rootFields.length !== 1) return "Bulk queries must contain exactly one top-level field.";
  const rootField = rootFields[0]!;
  const definition = schema.getQueryType()!.getFields()[rootField.name.value]!;
  if (!getNamedType(definition.type).name.endsWith("Connection"))
    return "Bulk queries require a connection field at the top level.";
  const nodeSelection = connectionNodeSelection(rootField, fragments);
  if (!nodeSelection)
    return "Bulk queries must select edges { node { … } } or nodes { … } of the top-level connection.";
  if (connectionInsideList(schema, document))
    return "Queries that contain a connection field within a list field are not currently supported.";
  return { rootField, rootNodeSelection: nodeSelection, fragments };
}

/** Shopify refuses a connection selected anywhere below a list field (e.g. Order.fulfillments). */
function connectionInsideList(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  const listDepth: boolean[] = [];
  let found = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter() {
          const type = typeInfo.getType();
          const named = type ? getNamedType(type) : null;
          if (named?.name.endsWith("Connection") && listDepth.includes(true)) found = true;
          // A connection's own edges/nodes lists are how connections nest; only other lists count.
          const connectionPlumbing = typeInfo.getParentType()?.name.endsWith("Connection") ?? false;
          listDepth.push(Boolean(type && isListType(getNullableType(type)) && !connectionPlumbing));
        },
        leave() {
          listDepth.pop();
        },
      },
    }),
  );
  return found;
}

function connectionNodeSelection(
  field: FieldNode,
  fragments: Record<string, FragmentDefinitionNode>,
): SelectionSetNode | null {
  const selections: SelectionSetNode["selections"][number][] = [];
  for (const child of flatten(field.selectionSet!, fragments)) {
    if (child.name.value === "nodes" && child.selectionSet) selections.push(...child.selectionSet.selections);
    if (child.name.value === "edges" && child.selectionSet) {
      for (const edgeField of flatten(child.selectionSet, fragments)) {
        if (edgeField.name.value === "node" && edgeField.selectionSet)
          selections.push(...edgeField.selectionSet.selections);
      }
    }
  }
  return selections.length ? { kind: Kind.SELECTION_SET, selections } : null;
}

function* flatten(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  typeName?: string,
): Generator<FieldNode> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) yield selection;
    else {
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments[selection.name.value];
      if (!fragment) continue;
      if (
        typeName &&
        fragment.typeCondition &&
        fragment.typeCondition.name.value !== typeName &&
        !isInterfaceName(fragment.typeCondition.name.value, typeName)
      )
        continue;
      yield* flatten(fragment.selectionSet, fragments, typeName);
    }
  }
}

function isInterfaceName(condition: string, typeName: string): boolean {
  const type = adminSchema().getType(typeName);
  return isObjectType(type) && type.getInterfaces().some((candidate) => candidate.name === condition);
}

/** Resolves selections against the same resolvers as the GraphQL endpoint, without graphql-js overhead per row. */
class BulkExecutor {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
    private readonly context: AdminContext,
    private readonly writer: JsonlWriter,
  ) {}

  rootNodes(rootField: FieldNode): { value: unknown; type: GraphQLObjectType }[] {
    const queryType = this.schema.getQueryType()!;
    const definition = queryType.getFields()[rootField.name.value]!;
    const args = { ...getArgumentValues(definition, rootField, {}), [UNBOUNDED]: true };
    const connection = this.resolve(queryType, rootField.name.value, undefined, args) as { nodes: unknown[] };
    const nodeType = connectionNodeType(getNamedType(definition.type) as GraphQLObjectType);
    return connection.nodes.map((value) => ({ value, type: this.concreteType(nodeType, value) }));
  }

  async writeNode(
    value: unknown,
    type: GraphQLObjectType,
    selection: SelectionSetNode,
    parentId: string | null,
  ): Promise<void> {
    const children: { field: FieldNode; nodes: unknown[]; nodeType: GraphQLObjectType | null }[] = [];
    const object = this.resolveObject(value, type, selection, children);
    if (parentId) object.__parentId = parentId;
    await this.writer.write(object);
    if (children.length === 0) return;
    const ownId = typeof object.id === "string" ? object.id : (this.resolve(type, "id", value, {}) as string | null);
    for (const child of children) {
      const childSelection = connectionNodeSelection(child.field, this.fragments);
      if (!childSelection) continue;
      for (const node of child.nodes) {
        const nodeType = this.concreteType(child.nodeType!, node);
        await this.writeNode(node, nodeType, childSelection, ownId);
      }
    }
  }

  private resolveObject(
    value: unknown,
    type: GraphQLObjectType,
    selection: SelectionSetNode,
    children: { field: FieldNode; nodes: unknown[]; nodeType: GraphQLObjectType | null }[],
  ): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    for (const field of flatten(selection, this.fragments, type.name)) {
      const name = field.name.value;
      const key = field.alias?.value ?? name;
      if (name === "__typename") {
        object[key] = type.name;
        continue;
      }
      const definition = type.getFields()[name];
      if (!definition) continue;
      const named = getNamedType(definition.type);
      const args = getArgumentValues(definition, field, {});
      if (named.name.endsWith("Connection") && isObjectType(named)) {
        const connection = this.resolve(type, name, value, { ...args, [UNBOUNDED]: true }) as { nodes: unknown[] };
        children.push({ field, nodes: connection.nodes, nodeType: connectionNodeType(named) });
        continue;
      }
      const resolved = this.resolve(type, name, value, args);
      if (!field.selectionSet || resolved === null || resolved === undefined) {
        object[key] = resolved ?? null;
      } else if (isListType(getNullableType(definition.type))) {
        object[key] = (resolved as unknown[]).map((item) =>
          item === null
            ? null
            : this.resolveObject(
                item,
                this.concreteType(named as GraphQLObjectType, item),
                field.selectionSet!,
                children,
              ),
        );
      } else {
        object[key] = this.resolveObject(
          resolved,
          this.concreteType(named as GraphQLObjectType, resolved),
          field.selectionSet,
          children,
        );
      }
    }
    return object;
  }

  private concreteType(type: GraphQLObjectType, value: unknown): GraphQLObjectType {
    if (!isAbstractType(type) && isObjectType(type)) return type;
    const name = value && typeof value === "object" ? (value as { __typename?: string }).__typename : undefined;
    const concrete = name ? this.schema.getType(name) : undefined;
    return isObjectType(concrete) ? concrete : type;
  }

  private resolve(type: GraphQLObjectType, field: string, source: unknown, args: Record<string, unknown>): unknown {
    const resolver = RESOLVERS[type.name]?.[field];
    if (resolver) return resolver(source, args, this.context);
    const value = source && typeof source === "object" ? (source as Record<string, unknown>)[field] : undefined;
    if (value !== undefined) return value;
    const definition = type.getFields()[field];
    if (definition && isListType(getNullableType(definition.type))) return [];
    if (definition && getNamedType(definition.type).name.endsWith("Connection")) return { nodes: [], edges: [] };
    return null;
  }
}

function connectionNodeType(connection: GraphQLObjectType): GraphQLObjectType {
  return getNamedType(connection.getFields().nodes!.type) as GraphQLObjectType;
}
