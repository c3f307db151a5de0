import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, parse, validate, type GraphQLSchema, type IntrospectionQuery } from "graphql";
import { describe, expect, it } from "vitest";

// Every Admin GraphQL document in app/ (tagged `#graphql`) must be valid against Shopify's real
// Admin 2026-07 schema — the same file the store emulator executes queries against.
const root = path.resolve(__dirname, "../../..");
const SCHEMA_FILE = path.join(root, "dev/store-emulator/schema/admin-2026-07.schema.json.gz");

function loadSchema(): GraphQLSchema {
  const json = JSON.parse(gunzipSync(readFileSync(SCHEMA_FILE)).toString("utf8")) as
    { data: IntrospectionQuery } | IntrospectionQuery;
  return buildClientSchema("data" in json ? json.data : json);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === "generated" || name === "node_modules") return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

// Documents may interpolate pieces declared in the same file as untagged template constants
// (`const ADDRESS_FIELDS = \`{ … }\``), which may interpolate each other; expand them as the
// running code would.
function expandSelections(source: string, fileText: string, file: string): string {
  const pieces = new Map(
    [...fileText.matchAll(/^(?:export )?const (\w+) = `(?!#graphql)([^`]*)`;/gm)].map(
      (match) => [match[1]!, match[2]!] as const,
    ),
  );
  const expand = (text: string, depth: number): string =>
    text.replace(/\$\{(\w+)\}/g, (_whole, name: string) => {
      const piece = pieces.get(name);
      if (piece === undefined || depth > 5) {
        throw new Error(`${file}: \${${name}} is not a selection constant declared in the same file`);
      }
      return expand(piece, depth + 1);
    });
  return expand(source, 0);
}

function graphqlDocuments() {
  const documents: { file: string; source: string }[] = [];
  for (const file of sourceFiles(path.join(root, "app"))) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/`#graphql([\s\S]*?)`;/g)) {
      documents.push({ file: path.relative(root, file), source: expandSelections(match[1]!, text, file) });
    }
  }
  return documents;
}

describe("Admin GraphQL documents", () => {
  const schema = loadSchema();
  const documents = graphqlDocuments();

  it("finds the app's documents", () => {
    expect(documents.length).toBeGreaterThanOrEqual(2);
  });

  it.each(documents.map((doc) => [doc.file + ": " + doc.source.trim().split("\n")[0], doc] as const))(
    "%s is valid against Admin 2026-07",
    (_name, doc) => {
      const errors = validate(schema, parse(doc.source)).map((error) => error.message);
      expect(errors).toEqual([]);
    },
  );

  it("rejects a document that asks for a field Shopify does not have", () => {
    const errors = validate(schema, parse("query { shop { name notARealField } }"));
    expect(errors.map((error) => error.message).join()).toMatch(/notARealField/);
  });
});
