// DEV/TEST ONLY: sets up a workspace's Loop Returns integration and widget on the fake Loop server
// through the app's own model functions, as the REST API would (seed 002's bodies, validated by
// the API's schemas). Run as its own process by the demo (`node --import tsx configure.ts '<json>'`,
// with the app's environment), so the app's database opens there and closes when it is done.
// Idempotent: a restarted demo finds its integration and widget and only moves them to the fake
// server's current address; whatever else the merchant changed stays. Then it fetches the Loop data
// of the given tickets' customers, as a ticket event would.
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { closeDatabase, db } from "~/db.server";
import {
  IntegrationCreateSchema,
  ListQuerySchema,
  StoredHttpSchema,
  WidgetCreateSchema,
  WidgetUpdateSchema,
} from "~/domain/api-resources";
import { integrationTemplateValues } from "~/domain/integration-template";
import { createIntegration, listIntegrations, updateIntegration } from "~/models/integration.server";
import { createWidget, listWidgets, updateWidget } from "~/models/widget.server";
import { attemptIntegrationDelivery } from "~/services/integrations/delivery.server";
import { newDelivery } from "~/services/integrations/dispatch.server";
import { loadIntegrationFacts } from "~/services/integrations/facts.server";
import { loopIntegrationBody, loopWidgetBody } from "./seed-002.ts";
import { RESULT_PREFIX } from "./setup-result.ts";

export const ConfigureInput = z.object({
  workspaceId: z.string().min(1),
  loopUrl: z.url(),
  apiKey: z.string().min(1),
  storeHandle: z.string().min(1),
  /** Tickets whose customers' Loop data is fetched now (one per customer is enough). */
  ticketIds: z.array(z.string()).default([]),
});
export type ConfigureInput = z.input<typeof ConfigureInput>;

export interface ConfigureResult {
  integrationId: number;
  widgetId: number;
  /** False when a previous run's integration was found (and moved to `loopUrl`). */
  created: boolean;
  /** How the calls for `ticketIds` ended (succeeded, refused, …), in their order. */
  fetched: string[];
}

/** A URL on this machine: what the demo's integration points at (a merchant's real Loop URL is left alone). */
const LOCAL_BASE = /^http:\/\/127\.0\.0\.1:\d+/;

export async function configureLoop(rawInput: ConfigureInput): Promise<ConfigureResult> {
  const input = ConfigureInput.parse(rawInput);
  const { workspaceId, loopUrl, apiKey } = input;
  // The fake is on 127.0.0.1, which integrations may only call with this switch on (SSRF guard).
  await db.workspace.update({ where: { id: workspaceId }, data: { integrationsAllowPrivateNetwork: true } });

  const seedIntegration = IntegrationCreateSchema.parse(loopIntegrationBody(loopUrl, apiKey));
  const firstPage = ListQuerySchema.parse({ limit: 100, order_by: "created_datetime:asc" });
  const { items } = await listIntegrations(workspaceId, firstPage);
  const existing = items.find(
    (integration) => integration.name === seedIntegration.name && LOCAL_BASE.test(integration.http?.url ?? ""),
  );
  let integrationId: number;
  if (existing) {
    integrationId = existing.id;
    const url = existing.http!.url.replace(LOCAL_BASE, loopUrl);
    if (url !== existing.http!.url || existing.headers["X-Authorization"] !== apiKey) {
      await updateIntegration(workspaceId, existing.id, {
        http: { url, headers: { ...existing.headers, "X-Authorization": apiKey } },
      });
    }
  } else {
    integrationId = (await createIntegration(workspaceId, seedIntegration, null)).id;
  }

  const { items: widgets } = await listWidgets(workspaceId, { ...firstPage, integrationId });
  let widgetId: number;
  const widget = widgets[0];
  if (widget) {
    widgetId = widget.id;
    // The button's URL names the fake's address: follow it when the port changed.
    const text = JSON.stringify(widget.template);
    const moved = text.replace(/http:\/\/127\.0\.0\.1:\d+(?=\/api\/)/g, loopUrl);
    if (moved !== text) {
      await updateWidget(workspaceId, widget.id, WidgetUpdateSchema.parse({ template: JSON.parse(moved) }));
    }
  } else {
    const body = WidgetCreateSchema.parse(loopWidgetBody({ ...input, integrationId }));
    widgetId = (await createWidget(workspaceId, body)).id;
  }
  const fetched: string[] = [];
  for (const ticketId of input.ticketIds) fetched.push(await fetchForTicket(workspaceId, integrationId, ticketId));
  return { integrationId, widgetId, created: !existing, fetched };
}

/**
 * Calls the integration for a ticket now, as the runtime does on a ticket event (the same request
 * rendering, and its own delivery attempt: signature, SSRF guard, the answer kept per customer),
 * so the demo's tickets have Loop data without waiting for one. Logged as a "demo-start" delivery.
 */
async function fetchForTicket(workspaceId: string, integrationId: number, ticketId: string): Promise<string> {
  const facts = await loadIntegrationFacts(workspaceId, ticketId);
  const integration = await db.integration.findFirst({ where: { id: integrationId, workspaceId } });
  const http = StoredHttpSchema.safeParse(integration?.http);
  if (!facts || !http.success) return "skipped";
  const delivery = await db.integrationDelivery.create({
    data: newDelivery({ id: integrationId, http: http.data }, facts, integrationTemplateValues(facts), {
      workspaceId,
      ticketId,
      trigger: "demo-start",
      idempotencyKey: randomUUID(),
    }),
  });
  const outcome = await attemptIntegrationDelivery(workspaceId, delivery.id, { finalAttempt: true });
  return outcome.status;
}

// As a process: the input as JSON in argv[2], the result as one prefixed JSON line on stdout (the
// app's log lines may be there too).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const result = await configureLoop(JSON.parse(process.argv[2] ?? "{}") as ConfigureInput);
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
  } finally {
    await closeDatabase();
  }
}
