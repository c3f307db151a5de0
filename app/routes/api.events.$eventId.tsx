import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { eventResource } from "~/services/api/events.server";

// GET /api/events/<id>/: one of the workspace's events (another workspace's id is a 404).
export const loader = ({ request, params }: LoaderFunctionArgs) => eventResource(request, params.eventId);
export const action = ({ request, params }: ActionFunctionArgs) => eventResource(request, params.eventId);
