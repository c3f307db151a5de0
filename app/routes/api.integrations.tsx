import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { integrationsCollection } from "~/services/api/resources.server";

// GET /api/integrations (a page of the workspace's integrations), POST /api/integrations (create one): REST API, basic auth.
export const loader = ({ request }: LoaderFunctionArgs) => integrationsCollection(request);
export const action = ({ request }: ActionFunctionArgs) => integrationsCollection(request);
