// Commands of the control API (POST /_emulator/commands), validated with zod so another process
// (demo launcher, e2e tests, the CLI) gets a 400 with a readable message on bad input.
import { z } from "zod";
import { FULFILLMENT_EVENT_STATUSES } from "./model.ts";

const shop = z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "expected <handle>.myshopify.com");
const reference = z.union([z.string().min(1), z.number().int().nonnegative()]);
const lineItems = z
  .array(z.object({ lineItemId: reference, quantity: z.coerce.number().int().positive().optional() }))
  .min(1, "give at least one line item, or leave lineItems out");
const upper = (values: readonly [string, ...string[]]) =>
  z.preprocess((value) => (typeof value === "string" ? value.toUpperCase() : value), z.enum(values));

export const FAILURE_KINDS = ["502", "503", "429", "drop"] as const;
export const COMPLIANCE_TOPICS = ["customers/data_request", "customers/redact", "shop/redact"] as const;

export const CommandSchema = z.discriminatedUnion("command", [
  z.object({
    command: z.literal("fulfill"),
    shop,
    order: reference,
    lineItems: lineItems.optional(),
    carrier: z.string().optional(),
    trackingNumber: z.coerce.string().optional(),
    trackingUrl: z.url().optional(),
  }),
  z.object({
    command: z.literal("addFulfillmentEvent"),
    shop,
    order: reference,
    fulfillmentId: reference.optional(),
    status: upper(FULFILLMENT_EVENT_STATUSES as unknown as [string, ...string[]]),
    message: z.string().optional(),
    happenedAt: z.iso.datetime().optional(),
    estimatedDeliveryAt: z.iso.datetime().optional(),
  }),
  z.object({
    command: z.literal("cancel"),
    shop,
    order: reference,
    reason: upper(["CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "OTHER", "STAFF"]).optional(),
    refund: z.boolean().optional(),
    note: z.string().optional(),
  }),
  z.object({
    command: z.literal("refund"),
    shop,
    order: reference,
    lineItems: lineItems.optional(),
    amount: z.coerce
      .string()
      .regex(/^\d+(\.\d{1,2})?$/, 'expected an amount like "12.50"')
      .optional(),
    shipping: z.boolean().optional(),
    note: z.string().optional(),
  }),
  z.object({
    command: z.literal("createOrder"),
    shop,
    customer: reference.optional(),
    email: z.email().optional(),
    lineItems: z
      .array(
        z.object({
          title: z.string().min(1),
          price: z.coerce.string().regex(/^\d+(\.\d{1,2})?$/),
          quantity: z.coerce.number().int().positive().optional(),
          sku: z.string().optional(),
        }),
      )
      .min(1)
      .optional(),
    note: z.string().optional(),
    tags: z.array(z.string()).optional(),
    financialStatus: upper(["PAID", "PENDING", "AUTHORIZED"]).optional(),
  }),
  z.object({
    command: z.literal("createReturn"),
    shop,
    order: reference,
    lineItems: lineItems.optional(),
    reason: upper([
      "COLOR",
      "DEFECTIVE",
      "NOT_AS_DESCRIBED",
      "OTHER",
      "SIZE_TOO_LARGE",
      "SIZE_TOO_SMALL",
      "STYLE",
      "UNWANTED",
      "WRONG_ITEM",
    ]).optional(),
  }),
  z.object({ command: z.literal("setCustomerNote"), shop, customer: reference, note: z.string().nullable() }),
  z.object({
    command: z.literal("updateCustomer"),
    shop,
    customer: reference,
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    email: z.email().nullable().optional(),
    phone: z.string().nullable().optional(),
    note: z.string().nullable().optional(),
    tags: z.array(z.string()).optional(),
  }),
  z.object({
    command: z.literal("createCustomer"),
    shop,
    firstName: z.string().min(1),
    lastName: z.string().min(1),
    email: z.email().optional(),
    phone: z.string().optional(),
    note: z.string().optional(),
    tags: z.array(z.string()).optional(),
  }),
  z.object({ command: z.literal("deleteCustomer"), shop, customer: reference }),
  z.object({ command: z.literal("renameShop"), shop, name: z.string().min(1) }),
  /** The live theme's app embed (dev/store-emulator/themes.ts): Shopdesk's portal launcher on or off. */
  z.object({ command: z.literal("setAppEmbed"), shop, enabled: z.boolean() }),
  /** Replaces a file of the live theme (`content: null` deletes it), e.g. config/settings_data.json. */
  z.object({
    command: z.literal("setThemeFile"),
    shop,
    filename: z
      .string()
      .regex(
        /^(assets|blocks|config|layout|locales|sections|snippets|templates)\/[\w./-]+$/,
        "expected a theme file such as config/settings_data.json",
      ),
    content: z.string().max(5_000_000, "a theme file is at most 5 MB here").nullable(),
  }),
  z.object({ command: z.literal("uninstall"), shop }),
  z.object({
    command: z.literal("sendCompliance"),
    shop,
    topic: z.enum(COMPLIANCE_TOPICS),
    customer: reference.optional(),
  }),
  z.object({
    command: z.literal("failNext"),
    shop,
    count: z.coerce.number().int().positive().max(1000),
    kind: z.enum(FAILURE_KINDS),
  }),
  z.object({ command: z.literal("setThrottle"), shop, available: z.coerce.number().min(0).max(2000) }),
  z.object({ command: z.literal("issueAccessToken"), shop, expiring: z.boolean().optional() }),
  z.object({ command: z.literal("expireAccessTokens"), shop }),
  z.object({ command: z.literal("holdWebhooks") }),
  z.object({
    command: z.literal("releaseWebhooks"),
    reverse: z.boolean().optional(),
    ids: z.array(z.number().int().nonnegative()).optional(),
  }),
]);

export type Command = z.infer<typeof CommandSchema>;

export const SessionTokenRequestSchema = z.object({ userId: z.coerce.string().regex(/^\d+$/).optional() });

export const ManualDeliverySchema = z.object({
  shop,
  topic: z.string().regex(/^[a-z_]+\/[a-z_]+$/, "expected a topic like orders/updated"),
  payload: z.unknown(),
  eventId: z.string().min(1).optional(),
  webhookId: z.string().min(1).optional(),
  triggeredAt: z.iso.datetime({ offset: true }).optional(),
  /** Deliver to this URL (absolute or relative to the app URL) instead of the subscriptions. */
  uri: z.string().min(1).optional(),
});

export const ReplaySchema = z.object({
  eventId: z.string().min(1).optional(),
  webhookId: z.string().min(1).optional(),
  triggeredAt: z.iso.datetime({ offset: true }).optional(),
});

/** Readable one-line message for a 400. */
export function describeZodError(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`).join("; ");
}
