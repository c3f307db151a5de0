import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

const here = path.dirname(fileURLToPath(import.meta.url));
// Prisma's CLI downloads a native schema engine for every command unless this points at an
// existing file. generate/validate/format never run it; migrations go through the WASM engine
// (prisma/tools/migrate.mjs), so a placeholder that explains this is all the CLI gets.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(here, "prisma/tools/schema-engine-offline.mjs");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  // embedded:<dir> (Shopdesk's own PostgreSQL server, the default) or postgresql://… (any server)
  datasource: { url: process.env.DATABASE_URL ?? "embedded:./.shopdesk/postgres" },
});
