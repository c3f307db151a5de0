import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { integrationResource } from "~/services/api/resources.server";

// GET, PUT, DELETE /api/integrations/<id>/: one of the workspace's integrations (another workspace's id is a 404).
export const loader = ({ request, params }: LoaderFunctionArgs) => integrationResource(request, params.integrationId);
export const action = ({ request, params }: ActionFunctionArgs) => integrationResource(request, params.integrationId);
