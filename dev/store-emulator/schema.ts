// The real Admin API 2026-07 schema (introspection committed beside this file), built once.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

export const ADMIN_API_VERSION = "2026-07";

let cached: GraphQLSchema | undefined;

export function adminSchema(): GraphQLSchema {
  if (!cached) {
    const file = new URL("./schema/admin-2026-07.schema.json.gz", import.meta.url);
    const json = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as {
      data?: IntrospectionQuery;
    } & IntrospectionQuery;
    cached = buildClientSchema(json.data ?? json, { assumeValid: true });
  }
  return cached;
}
