import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./api-openapi";

const routesDir = fileURLToPath(new URL("../routes/", import.meta.url));

/** A Remix flat-route file's URL path in OpenAPI's form: api.tickets.$ticketId.messages.tsx → /api/tickets/{ticketId}/messages. */
function openApiPath(file: string) {
  const segments = file
    .replace(/\.tsx$/, "")
    .split(/\.(?![^[]*\])/)
    .map((segment) => segment.replace(/\[([^\]]*)\]/g, "$1"))
    .map((segment) => (segment.startsWith("$") ? `{${segment.slice(1)}}` : segment));
  return `/${segments.join("/")}`;
}

const apiRoutes = readdirSync(routesDir).filter((file) => /^api\..*\.tsx$/.test(file));

describe("openApiDocument", () => {
  const document = JSON.parse(JSON.stringify(openApiDocument())) as {
    openapi: string;
    info: { title: string; version: string };
    paths: Record<string, Record<string, unknown>>;
    components: { schemas: Record<string, unknown> };
  };

  it("is JSON with OpenAPI 3.1's top-level fields and the objects' schemas", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(["Integration", "Widget", "Ticket", "Message", "Customer", "Event", "List", "Error"]),
    );
  });

  it("describes every app/routes/api.*.tsx route: a GET for its loader, another method for its action", () => {
    expect(apiRoutes.length).toBeGreaterThan(10);
    expect(apiRoutes).toContain("api.openapi[.]json.tsx");
    for (const file of apiRoutes) {
      const path = openApiPath(file);
      const operations = document.paths[path];
      expect(operations, `${file} → ${path} is not in the OpenAPI document`).toBeDefined();
      const source = readFileSync(routesDir + file, "utf8");
      if (/export const loader\b/.test(source)) expect(operations!.get, `${path} get`).toBeDefined();
      if (/export const action\b/.test(source) && path !== "/api/events" && !path.startsWith("/api/events/")) {
        expect(
          ["post", "put", "delete"].some((method) => operations![method]),
          `${path} has an action but no POST, PUT or DELETE`,
        ).toBe(true);
      }
    }
    // …and nothing that is not a route.
    const described = new Set(apiRoutes.map(openApiPath));
    expect(Object.keys(document.paths).filter((path) => !described.has(path))).toEqual([]);
  });

  it("points only at schemas it defines", () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/(\w+)\/(\w+)"/g)];
    for (const [, kind, name] of refs) {
      expect(
        (document.components as Record<string, Record<string, unknown>>)[kind!]?.[name!],
        `${kind}/${name}`,
      ).toBeDefined();
    }
  });
});
