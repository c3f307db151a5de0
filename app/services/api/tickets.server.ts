import { z } from "zod";
import { BigIdListQuerySchema, listEnvelope, ListQuerySchema } from "~/domain/api-resources";
import {
  MessageCreateSchema,
  messageObject,
  TicketCreateSchema,
  ticketObject,
  TicketUpdateSchema,
} from "~/domain/api-tickets";
import {
  createApiTicket,
  findApiAgent,
  getApiMessage,
  getApiTicket,
  listApiMessages,
  listApiTickets,
  setApiTicketSubject,
} from "~/models/api-ticket.server";
import {
  addCustomerMessage,
  addInternalNote,
  assignTicket,
  setTicketPriority,
  setTicketStatus,
  setTicketTags,
  TicketChangeRefused,
  TicketNotFoundError,
} from "~/models/ticket.server";
import { snoozeProblem } from "~/domain/tickets";
import { sendAgentReply } from "~/services/tickets/reply-delivery.server";
import { snoozeTicket } from "~/services/tickets/snooze.server";
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
  const number = requireNumericId(idParam, "Ticket");
  const ticket = await getApiTicket(api.workspaceId, number);
  if (!ticket) return apiError(404, "Ticket not found.");
  if (request.method === "GET" || request.method === "HEAD") return Response.json(ticketObject(ticket));
  if (request.method !== "PUT") return methodNotAllowed("GET, PUT");
  const update = await readJsonBody(request, TicketUpdateSchema);
  // Everything that can be refused is checked before the first change: a 400 changes nothing.
  let assigneeId: string | null | undefined;
  if (update.assignee_user !== undefined) {
    const agent = update.assignee_user && (await findApiAgent(api.workspaceId, update.assignee_user));
    if (update.assignee_user && !agent) {
      return apiError(400, "Validation error.", {
        assignee_user: ["There is no agent with this email in your workspace."],
      });
    }
    assigneeId = agent ? agent.id : null;
  }
  const snoozeUntil = update.snooze_datetime;
  const problem = snoozeUntil ? snoozeProblem(snoozeUntil, new Date()) : null;
  if (problem) return apiError(400, "Validation error.", { snooze_datetime: [problem] });

  // The inbox's own model calls, changed by no agent: each records its line in the thread.
  const changes = [
    update.subject !== undefined && (() => setApiTicketSubject(api.workspaceId, ticket.id, update.subject!)),
    update.priority !== undefined && (() => setTicketPriority(api.workspaceId, ticket.id, update.priority!, null)),
    update.tags !== undefined &&
      (() =>
        setTicketTags(
          api.workspaceId,
          ticket.id,
          update.tags!.map((tag) => tag.name),
          null,
        )),
    assigneeId !== undefined && (() => assignTicket(api.workspaceId, ticket.id, assigneeId!, null)),
    snoozeUntil
      ? () => snoozeTicket(api.workspaceId, ticket.id, snoozeUntil, null)
      : update.status !== undefined &&
        (() => setTicketStatus(api.workspaceId, ticket.id, { to: update.status! }, null)),
  ];
  try {
    for (const change of changes) if (change) await change();
  } catch (error) {
    return ticketChangeError(error);
  }
  return Response.json(ticketObject((await getApiTicket(api.workspaceId, number))!));
}

/** The model's refusals as API errors (anything else is a bug and stays a 500). */
function ticketChangeError(error: unknown): Response {
  if (error instanceof TicketNotFoundError) return apiError(404, "Ticket not found.");
  if (error instanceof TicketChangeRefused) return apiError(409, error.message);
  throw error;
}

export async function ticketMessagesCollection(request: Request, idParam: string | undefined): Promise<Response> {
  const api = await authenticateApi(request);
  const ticket = await getApiTicket(api.workspaceId, requireNumericId(idParam, "Ticket"));
  if (!ticket) return apiError(404, "Ticket not found.");
  if (request.method === "POST") return addApiMessage(request, api.workspaceId, ticket);
  if (request.method !== "GET" && request.method !== "HEAD") return methodNotAllowed("GET, POST");
  const page = await listApiMessages(api.workspaceId, ticket.id, parseQuery(request, BigIdListQuerySchema));
  return Response.json(
    listEnvelope(
      listUri(request),
      page.items.map((row) => messageObject(ticket.number, row)),
      page.nextId,
    ),
  );
}

/**
 * A message on a ticket, through the same model calls as the inbox: the customer's message opens
 * the ticket again; an agent's reply is stored pending and its delivery queued by the ticket's
 * channel (sendAgentReply, as the reply box does); a note stays inside.
 */
async function addApiMessage(
  request: Request,
  workspaceId: string,
  ticket: { id: string; number: number; customer: { emails: string[] } | null },
): Promise<Response> {
  const message = await readJsonBody(request, MessageCreateSchema);
  try {
    let entryId: string;
    if (message.kind === "customer_message") {
      // The ticket's customer only: a key cannot put words in another person's mouth.
      const email = message.sender?.email?.trim().toLowerCase();
      if (message.sender && (message.sender.id !== undefined || !email || !ticket.customer?.emails.includes(email))) {
        return apiError(400, "Validation error.", {
          sender: ["A customer's message comes from the ticket's customer: leave out sender or give their email."],
        });
      }
      entryId = (
        await addCustomerMessage(workspaceId, ticket.id, {
          body: message.body,
          fromAddress: email ?? ticket.customer?.emails[0] ?? null,
        })
      ).id;
    } else {
      const agent = await findApiAgent(workspaceId, message.sender!);
      if (!agent) {
        return apiError(400, "Validation error.", { sender: ["There is no agent with this email in your workspace."] });
      }
      entryId =
        message.kind === "internal_note"
          ? (await addInternalNote(workspaceId, ticket.id, agent.id, message.body)).id
          : (await sendAgentReply(workspaceId, ticket.id, agent.id, message.body)).id;
    }
    return Response.json(messageObject(ticket.number, (await getApiMessage(workspaceId, entryId))!), { status: 201 });
  } catch (error) {
    return ticketChangeError(error);
  }
}
