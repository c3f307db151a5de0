// DEV/TEST ONLY: sets up a workspace's Loop Returns integration and widget on the fake Loop server
// through the app's own model functions, as the REST API would (seed 002's bodies, validated by
// the API's schemas). Run as its own process by the demo (`node --import tsx configure.ts '<json>'`,
// with the app's environment), so the app's database opens there and closes when it is done.
// Idempotent: a restarted demo finds its integration and widget and only moves them to the fake
// server's current address; whatever else the merchant changed stays.
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { closeDatabase, db } from "~/db.server";
import {
  IntegrationCreateSchema,
  ListQuerySchema,
  WidgetCreateSchema,
  WidgetUpdateSchema,
} from "~/domain/api-resources";
import { createIntegration, listIntegrations, updateIntegration } from "~/models/integration.server";
import { createWidget, listWidgets, updateWidget } from "~/models/widget.server";
import { loopIntegrationBody, loopWidgetBody } from "./seed-002.ts";

export const ConfigureInput = z.object({
  workspaceId: z.string().min(1),
  loopUrl: z.url(),
  apiKey: z.string().min(1),
  storeHandle: z.string().min(1),
});
export type ConfigureInput = z.infer<typeof ConfigureInput>;

export interface ConfigureResult {
  integrationId: number;
  widgetId: number;
  /** False when a previous run's integration was found (and moved to `loopUrl`). */
  created: boolean;
}

/** A URL on this machine: what the demo's integration points at (a merchant's real Loop URL is left alone). */
const LOCAL_BASE = /^http:\/\/127\.0\.0\.1:\d+/;

export async function configureLoop(input: ConfigureInput): Promise<ConfigureResult> {
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
  return { integrationId, widgetId, created: !existing };
}

// As a process: the input as JSON in argv[2], the result as one JSON line on stdout.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const result = await configureLoop(ConfigureInput.parse(JSON.parse(process.argv[2] ?? "{}")));
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await closeDatabase();
  }
}
