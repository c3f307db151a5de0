import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ticketMessagesCollection } from "~/services/api/tickets.server";

// GET /api/tickets/<number>/messages: a page of the ticket's messages and internal notes;
// POST adds one (the customer's message, an agent's reply sent by the ticket's channel, or a note).
export const loader = ({ request, params }: LoaderFunctionArgs) => ticketMessagesCollection(request, params.ticketId);
export const action = ({ request, params }: ActionFunctionArgs) => ticketMessagesCollection(request, params.ticketId);
