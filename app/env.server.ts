import { z } from "zod";

// Parsed once at boot: a bad value stops the process with a message naming the variable,
// instead of surfacing later as a confusing auth or database error.
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  SHOPIFY_API_KEY: z.string().min(1, "SHOPIFY_API_KEY is required (the app's client id)"),
  SHOPIFY_API_SECRET: z.string().min(1, "SHOPIFY_API_SECRET is required (the app's client secret)"),
  SHOPIFY_APP_URL: z.url("SHOPIFY_APP_URL must be the app's public https URL"),
  SCOPES: z
    .string()
    .default(
      "read_customers,write_customers,read_orders,write_orders,read_fulfillments,read_returns,write_returns,read_themes",
    ),
  /** embedded:<dir> (Shopdesk's own PostgreSQL server in a folder) or postgres(ql)://… (any server). */
  DATABASE_URL: z
    .string()
    .default("embedded:./.shopdesk/postgres")
    .refine(
      (url) => /^(embedded:.|postgres(ql)?:\/\/)/.test(url),
      "DATABASE_URL must be embedded:<folder> or postgresql://user:password@host:port/database",
    ),
  /** Run job workers inside the web process (false when `npm run worker` processes run them). */
  JOBS_IN_PROCESS: z
    .enum(["true", "false"])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === "true")),
  /** Proxies of your own between Shopify's App Proxy and the app (a load balancer: 1), each adding to
   * X-Forwarded-For: the shopper's IP for the portal's per-IP limits is the entry before theirs. */
  TRUSTED_PROXY_HOPS: z.coerce
    .number("TRUSTED_PROXY_HOPS must be a whole number (0 when the app answers Shopify directly)")
    .int("TRUSTED_PROXY_HOPS must be a whole number (0 when the app answers Shopify directly)")
    .min(0, "TRUSTED_PROXY_HOPS must be 0 or more")
    .default(0),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type Env = z.infer<typeof EnvSchema>;

function parseEnv(source: NodeJS.ProcessEnv): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
    throw new Error(`Invalid environment:\n${problems}`);
  }
  return parsed.data;
}

export const env = parseEnv(process.env);
