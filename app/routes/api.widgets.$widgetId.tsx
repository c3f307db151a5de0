import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { widgetResource } from "~/services/api/resources.server";

// GET, PUT, DELETE /api/widgets/<id>/: one of the workspace's widgets (another workspace's id is a 404).
export const loader = ({ request, params }: LoaderFunctionArgs) => widgetResource(request, params.widgetId);
export const action = ({ request, params }: ActionFunctionArgs) => widgetResource(request, params.widgetId);
