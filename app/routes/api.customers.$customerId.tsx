import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { customerResource } from "~/services/api/customers.server";

// GET, PUT /api/customers/<id>/: one of the workspace's customers (another workspace's id is a 404).
export const loader = ({ request, params }: LoaderFunctionArgs) => customerResource(request, params.customerId);
export const action = ({ request, params }: ActionFunctionArgs) => customerResource(request, params.customerId);
