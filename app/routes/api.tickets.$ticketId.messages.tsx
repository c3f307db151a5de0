import type { LoaderFunctionArgs } from "@remix-run/node";
import { ticketMessagesCollection } from "~/services/api/tickets.server";

// GET /api/tickets/<number>/messages: a page of the ticket's messages and internal notes.
export const loader = ({ request, params }: LoaderFunctionArgs) => ticketMessagesCollection(request, params.ticketId);
