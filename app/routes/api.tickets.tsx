import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ticketsCollection } from "~/services/api/tickets.server";

// GET /api/tickets (a page of the workspace's tickets), POST /api/tickets (open one on the api channel).
export const loader = ({ request }: LoaderFunctionArgs) => ticketsCollection(request);
export const action = ({ request }: ActionFunctionArgs) => ticketsCollection(request);
