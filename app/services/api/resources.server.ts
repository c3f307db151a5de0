import { z } from "zod";
import {
  IntegrationCreateSchema,
  integrationObject,
  IntegrationUpdateSchema,
  listEnvelope,
  ListQuerySchema,
  WidgetCreateSchema,
  widgetObject,
  WidgetUpdateSchema,
} from "~/domain/api-resources";
import {
  createIntegration,
  deleteIntegration,
  getIntegration,
  integrationExists,
  listIntegrations,
  updateIntegration,
} from "~/models/integration.server";
import { createWidget, deleteWidget, getWidget, listWidgets, updateWidget } from "~/models/widget.server";
import {
  apiError,
  authenticateApi,
  listUri,
  methodNotAllowed,
  parseQuery,
  readJsonBody,
  requireNumericId,
  type ApiContext,
} from "./http.server";

// The /api/integrations and /api/widgets resources: the routes hand over the request, these
// authenticate it, parse it, call the models and answer JSON.

const noContent = () => new Response(null, { status: 204 });

// ---- Integrations ----------------------------------------------------------------------------------

export async function integrationsCollection(request: Request): Promise<Response> {
  const api = await authenticateApi(request);
  if (request.method === "GET" || request.method === "HEAD") {
    const page = await listIntegrations(api.workspaceId, parseQuery(request, ListQuerySchema));
    return Response.json(listEnvelope(listUri(request), page.items.map(integrationObject), page.nextId));
  }
  if (request.method !== "POST") return methodNotAllowed("GET, POST");
  const input = await readJsonBody(request, IntegrationCreateSchema);
  const created = await createIntegration(api.workspaceId, input, api.keyId);
  return Response.json(integrationObject(created), { status: 201 });
}

export async function integrationResource(request: Request, idParam: string | undefined): Promise<Response> {
  const api = await authenticateApi(request);
  const id = requireNumericId(idParam, "Integration");
  const notFound = () => apiError(404, "Integration not found.");
  switch (request.method) {
    case "GET":
    case "HEAD": {
      const integration = await getIntegration(api.workspaceId, id);
      return integration ? Response.json(integrationObject(integration)) : notFound();
    }
    case "PUT": {
      if (!(await getIntegration(api.workspaceId, id))) return notFound();
      const updated = await updateIntegration(
        api.workspaceId,
        id,
        await readJsonBody(request, IntegrationUpdateSchema),
      );
      return updated ? Response.json(integrationObject(updated)) : notFound();
    }
    case "DELETE":
      return (await deleteIntegration(api.workspaceId, id)) ? noContent() : notFound();
    default:
      return methodNotAllowed("GET, PUT, DELETE");
  }
}

// ---- Widgets -----------------------------------------------------------------------------------------

const WidgetListQuerySchema = ListQuerySchema.extend({
  integration_id: z.coerce
    .number("integration_id must be a number")
    .int()
    .positive()
    .max(2_147_483_647, "integration_id must be at most 2147483647")
    .optional(),
});

/** A widget may only name one of the caller's integrations: another's is refused like a missing one. */
async function checkIntegration(api: ApiContext, integrationId: number | null | undefined) {
  if (integrationId && !(await integrationExists(api.workspaceId, integrationId))) {
    throw apiError(400, "Validation error.", { integration_id: [`There is no integration ${integrationId}.`] });
  }
}

export async function widgetsCollection(request: Request): Promise<Response> {
  const api = await authenticateApi(request);
  if (request.method === "GET" || request.method === "HEAD") {
    const query = parseQuery(request, WidgetListQuerySchema);
    const page = await listWidgets(api.workspaceId, { ...query, integrationId: query.integration_id });
    return Response.json(listEnvelope(listUri(request), page.items.map(widgetObject), page.nextId));
  }
  if (request.method !== "POST") return methodNotAllowed("GET, POST");
  const input = await readJsonBody(request, WidgetCreateSchema);
  await checkIntegration(api, input.integration_id);
  return Response.json(widgetObject(await createWidget(api.workspaceId, input)), { status: 201 });
}

export async function widgetResource(request: Request, idParam: string | undefined): Promise<Response> {
  const api = await authenticateApi(request);
  const id = requireNumericId(idParam, "Widget");
  const notFound = () => apiError(404, "Widget not found.");
  switch (request.method) {
    case "GET":
    case "HEAD": {
      const widget = await getWidget(api.workspaceId, id);
      return widget ? Response.json(widgetObject(widget)) : notFound();
    }
    case "PUT": {
      if (!(await getWidget(api.workspaceId, id))) return notFound();
      const input = await readJsonBody(request, WidgetUpdateSchema);
      await checkIntegration(api, input.integration_id);
      const updated = await updateWidget(api.workspaceId, id, input);
      return updated ? Response.json(widgetObject(updated)) : notFound();
    }
    case "DELETE":
      return (await deleteWidget(api.workspaceId, id)) ? noContent() : notFound();
    default:
      return methodNotAllowed("GET, PUT, DELETE");
  }
}
