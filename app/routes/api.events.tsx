import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { eventsCollection } from "~/services/api/events.server";

// GET /api/events: a page of what happened in the workspace, newest first (`types`, `object_type`, `object_id` filter).
export const loader = ({ request }: LoaderFunctionArgs) => eventsCollection(request);
// Any other method: 405 (after authentication, as every /api route).
export const action = ({ request }: ActionFunctionArgs) => eventsCollection(request);
