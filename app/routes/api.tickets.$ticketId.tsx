import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ticketResource } from "~/services/api/tickets.server";

// GET, PUT /api/tickets/<number>/: one of the workspace's tickets by its number (another workspace's is a 404).
export const loader = ({ request, params }: LoaderFunctionArgs) => ticketResource(request, params.ticketId);
export const action = ({ request, params }: ActionFunctionArgs) => ticketResource(request, params.ticketId);
