import { openApiDocument } from "~/domain/api-openapi";

// GET /api/openapi.json: the OpenAPI 3.1 description of every /api route. Served without a key:
// it describes shapes only (no workspace's data, no database call), and tools that generate
// clients fetch it before anyone has a key.
let document: string | null = null;

export const loader = () => {
  document ??= JSON.stringify(openApiDocument());
  return new Response(document, {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
};
