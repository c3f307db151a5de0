import { listEnvelope } from "~/domain/api-resources";
import { eventObject, EventListQuerySchema } from "~/domain/api-events";
import { getApiEvent, listApiEvents } from "~/models/api-event.server";
import { apiError, authenticateApi, listUri, methodNotAllowed, parseQuery, requireNumericId } from "./http.server";

// /api/events (the feed, newest first) and /api/events/<id> (one event): read only.

export async function eventsCollection(request: Request): Promise<Response> {
  const api = await authenticateApi(request);
  if (request.method !== "GET" && request.method !== "HEAD") return methodNotAllowed("GET");
  const page = await listApiEvents(api.workspaceId, parseQuery(request, EventListQuerySchema));
  return Response.json(listEnvelope(listUri(request), page.items.map(eventObject), page.nextId));
}

/** Event ids are bigint (one per ticket change): past the integer range of the other resources. */
export async function eventResource(request: Request, idParam: string | undefined): Promise<Response> {
  const api = await authenticateApi(request);
  if (request.method !== "GET" && request.method !== "HEAD") return methodNotAllowed("GET");
  const event = await getApiEvent(api.workspaceId, requireNumericId(idParam, "Event", Number.MAX_SAFE_INTEGER));
  return event ? Response.json(eventObject(event)) : apiError(404, "Event not found.");
}
