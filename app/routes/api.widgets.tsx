import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { widgetsCollection } from "~/services/api/resources.server";

// GET /api/widgets (a page of the workspace's widgets), POST /api/widgets (create one): REST API, basic auth.
export const loader = ({ request }: LoaderFunctionArgs) => widgetsCollection(request);
export const action = ({ request }: ActionFunctionArgs) => widgetsCollection(request);
