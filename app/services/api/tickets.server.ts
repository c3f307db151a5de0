import { z } from "zod";
import { listEnvelope, ListQuerySchema } from "~/domain/api-resources";
import { messageObject, TicketCreateSchema, ticketObject } from "~/domain/api-tickets";
import { createApiTicket, getApiTicket, listApiMessages, listApiTickets } from "~/models/api-ticket.server";
import {
  apiError,
  authenticateApi,
  listUri,
  methodNotAllowed,
  parseQuery,
  readJsonBody,
  requireNumericId,
} from "./http.server";

// /api/tickets (list, create) and /api/tickets/<number>/messages (read): a ticket is named by its
// number in the caller's workspace; another workspace's number finds the caller's own ticket or none.

const TicketListQuerySchema = ListQuerySchema.extend({
  customer_id: z.uuid("customer_id must be a customer's id").optional(),
});

export async function ticketsCollection(request: Request): Promise<Response> {
  const api = await authenticateApi(request);
  if (request.method === "POST") {
    const ticket = await createApiTicket(api.workspaceId, await readJsonBody(request, TicketCreateSchema));
    return Response.json(ticketObject(ticket), { status: 201 });
  }
  if (request.method !== "GET" && request.method !== "HEAD") return methodNotAllowed("GET, POST");
  const query = parseQuery(request, TicketListQuerySchema);
  const page = await listApiTickets(api.workspaceId, { ...query, customerId: query.customer_id });
  return Response.json(listEnvelope(listUri(request), page.items.map(ticketObject), page.nextId));
}

export async function ticketResource(request: Request, idParam: string | undefined): Promise<Response> {
  const api = await authenticateApi(request);
  const ticket = await getApiTicket(api.workspaceId, requireNumericId(idParam, "Ticket"));
  return ticket ? Response.json(ticketObject(ticket)) : apiError(404, "Ticket not found.");
}

export async function ticketMessagesCollection(request: Request, idParam: string | undefined): Promise<Response> {
  const api = await authenticateApi(request);
  const ticket = await getApiTicket(api.workspaceId, requireNumericId(idParam, "Ticket"));
  if (!ticket) return apiError(404, "Ticket not found.");
  const page = await listApiMessages(api.workspaceId, ticket.id, parseQuery(request, ListQuerySchema));
  return Response.json(
    listEnvelope(
      listUri(request),
      page.items.map((row) => messageObject(ticket.number, row)),
      page.nextId,
    ),
  );
}
