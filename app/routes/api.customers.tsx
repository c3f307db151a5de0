import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { customersCollection } from "~/services/api/customers.server";

// GET /api/customers (a page of the workspace's customers, `email` filters), POST /api/customers (add one).
export const loader = ({ request }: LoaderFunctionArgs) => customersCollection(request);
export const action = ({ request }: ActionFunctionArgs) => customersCollection(request);
