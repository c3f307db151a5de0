// Admin GraphQL over the real 2026-07 schema: parse, validate and execute with graphql-js, answer
// errors in Shopify's shape, and attach extensions.cost from the shop's leaky bucket.
import {
  execute,
  getNamedType,
  getNullableType,
  GraphQLError,
  isListType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLTypeResolver,
  type OperationDefinitionNode,
} from "graphql";
import { MAX_SINGLE_QUERY_COST, operationCost, type LeakyBucket } from "./cost.ts";
import { RESOLVERS, type AdminContext } from "./resolvers.ts";
import { adminSchema } from "./schema.ts";

export interface GraphQLRequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

interface ShopifyError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions: Record<string, unknown>;
}

const emptyConnection = () => ({
  edges: [],
  nodes: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
});

export const fieldResolver: GraphQLFieldResolver<unknown, AdminContext> = (source, args, context, info) => {
  const resolver = RESOLVERS[info.parentType.name]?.[info.fieldName];
  if (resolver) return resolver(source, args, context);
  const value = source && typeof source === "object" ? (source as Record<string, unknown>)[info.fieldName] : undefined;
  if (value !== undefined) return value;
  // Not modelled: answer the emptiest valid value instead of failing the whole query.
  const type = getNullableType(info.returnType);
  if (isListType(type)) return [];
  if (getNamedType(type).name.endsWith("Connection")) return emptyConnection();
  return null;
};

export const typeResolver: GraphQLTypeResolver<unknown, AdminContext> = (value) =>
  value && typeof value === "object" && "__typename" in value
    ? String((value as { __typename: unknown }).__typename)
    : undefined;

/** graphql-js validation messages rewritten to the graphql-ruby wording and codes Shopify returns. */
function shopifyValidationError(error: GraphQLError): ShopifyError {
  const locations = error.locations?.map(({ line, column }) => ({ line, column }));
  let match = /^Cannot query field "(\w+)" on type "(\w+)"\./.exec(error.message);
  if (match) {
    return {
      message: `Field '${match[1]}' doesn't exist on type '${match[2]}'`,
      locations,
      extensions: { code: "undefinedField", typeName: match[2], fieldName: match[1] },
    };
  }
  match = /^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"\./.exec(error.message);
  if (match) {
    return {
      message: `Field '${match[3]}' doesn't accept argument '${match[1]}'`,
      locations,
      extensions: { code: "argumentNotAccepted", name: match[3], typeName: "Field", argumentName: match[1] },
    };
  }
  match = /^Field "(\w+)\.(\w+)" argument "(\w+)" of type "(.+)" is required, but it was not provided\./.exec(
    error.message,
  );
  if (match) {
    return {
      message: `Field '${match[2]}' is missing required arguments: ${match[3]}`,
      locations,
      extensions: { code: "missingRequiredArguments", className: "Field", name: match[2], arguments: match[3] },
    };
  }
  match = /^Field "(\w+)" of type "(.+)" must have a selection of subfields/.exec(error.message);
  if (match) {
    return {
      message: `Field must have selections (field '${match[1]}' returns ${match[2]!.replace(/[![\]]/g, "")} but has no selections. Did you mean '${match[1]} { ... }'?)`,
      locations,
      extensions: { code: "selectionMismatch", nodeName: `field '${match[1]}'`, typeName: match[2] },
    };
  }
  match = /^Variable "\$(\w+)" of required type "(.+)" was not provided\./.exec(error.message);
  if (match) {
    return {
      message: `Variable $${match[1]} of type ${match[2]} was provided invalid value`,
      locations,
      extensions: {
        code: "INVALID_VARIABLE",
        value: null,
        problems: [{ path: [], explanation: "Expected value to not be null" }],
      },
    };
  }
  return { message: error.message, locations, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } };
}

function executionError(error: GraphQLError): ShopifyError {
  const original = error.originalError as (Error & { extensions?: Record<string, unknown> }) | undefined;
  return {
    message: error.message,
    locations: error.locations?.map(({ line, column }) => ({ line, column })),
    path: error.path ? [...error.path] : undefined,
    extensions: {
      code:
        (error.extensions?.code as string | undefined) ??
        (original instanceof GraphQLError ? undefined : "INTERNAL_SERVER_ERROR"),
      ...error.extensions,
    },
  };
}

export interface GraphQLAnswer {
  status: number;
  body: Record<string, unknown>;
}

export async function executeAdminGraphQL(
  request: GraphQLRequestBody,
  context: AdminContext,
  bucket: LeakyBucket,
): Promise<GraphQLAnswer> {
  const schema = adminSchema();
  if (typeof request.query !== "string" || !request.query.trim()) {
    return { status: 400, body: { errors: { query: "Required parameter missing or invalid" } } };
  }
  const variables = (request.variables && typeof request.variables === "object" ? request.variables : {}) as Record<
    string,
    unknown
  >;
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    const syntax = error as GraphQLError;
    return {
      status: 200,
      body: {
        errors: [
          {
            message: syntax.message,
            locations: syntax.locations?.map(({ line, column }) => ({ line, column })),
            extensions: { code: "PARSE_ERROR" },
          },
        ],
      },
    };
  }
  const validationErrors = validate(schema, document);
  if (validationErrors.length > 0) {
    return { status: 200, body: { errors: validationErrors.map(shopifyValidationError) } };
  }
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const operationName = typeof request.operationName === "string" ? request.operationName : undefined;
  const operation = operationName
    ? operations.find((candidate) => candidate.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation) {
    return {
      status: 200,
      body: { errors: [{ message: "An operation name is required", extensions: { code: "OPERATION_NAME_REQUIRED" } }] },
    };
  }
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;

  const requestedQueryCost = operationCost(schema, operation, fragments, variables);
  if (requestedQueryCost > MAX_SINGLE_QUERY_COST) {
    return {
      status: 200,
      body: {
        errors: [
          {
            message: `Query cost is ${requestedQueryCost}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
            extensions: { code: "MAX_COST_EXCEEDED", cost: requestedQueryCost, maxCost: MAX_SINGLE_QUERY_COST },
          },
        ],
        extensions: { cost: { requestedQueryCost, actualQueryCost: null, throttleStatus: bucket.throttleStatus() } },
      },
    };
  }
  if (!bucket.take(requestedQueryCost)) {
    return {
      status: 200,
      body: {
        errors: [
          {
            message: "Throttled",
            extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
          },
        ],
        extensions: { cost: { requestedQueryCost, actualQueryCost: null, throttleStatus: bucket.throttleStatus() } },
      },
    };
  }
  const result = await execute({
    schema,
    document,
    variableValues: variables,
    operationName: operation.name?.value,
    contextValue: context,
    fieldResolver,
    typeResolver,
  });
  const data = (result.data ?? null) as Record<string, unknown> | null;
  const actualQueryCost = operationCost(schema, operation, fragments, variables, data);
  bucket.refund(requestedQueryCost - actualQueryCost);
  const body: Record<string, unknown> = {};
  if (result.errors?.length) body.errors = result.errors.map(executionError);
  body.data = data;
  body.extensions = { cost: { requestedQueryCost, actualQueryCost, throttleStatus: bucket.throttleStatus() } };
  return { status: 200, body };
}
