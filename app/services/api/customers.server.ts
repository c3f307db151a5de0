import { z } from "zod";
import {
  CustomerCreateSchema,
  CustomerListQuerySchema,
  customerObject,
  CustomerUpdateSchema,
  customerUri,
  encodeCustomerCursor,
} from "~/domain/api-customers";
import {
  createApiCustomer,
  CustomerEmailTaken,
  getApiCustomer,
  integrationDataFor,
  listApiCustomers,
  updateApiCustomer,
} from "~/models/api-customer.server";
import { apiError, authenticateApi, listUri, methodNotAllowed, parseQuery, readJsonBody } from "./http.server";

// /api/customers (list, create) and /api/customers/<id> (read, update): the workspace's helpdesk
// customers with their integrations' stored answers.

const emailTaken = (error: CustomerEmailTaken) =>
  apiError(400, "Validation error.", {
    email: [`Another customer has this email: ${customerUri(error.customerId)}`],
  });

export async function customersCollection(request: Request): Promise<Response> {
  const api = await authenticateApi(request);
  if (request.method === "POST") {
    const input = await readJsonBody(request, CustomerCreateSchema);
    try {
      const created = await createApiCustomer(api.workspaceId, input);
      const integrations = await integrationDataFor(api.workspaceId, [created.id]);
      return Response.json(customerObject(created, integrations.get(created.id)), { status: 201 });
    } catch (error) {
      if (error instanceof CustomerEmailTaken) return emailTaken(error);
      throw error;
    }
  }
  if (request.method !== "GET" && request.method !== "HEAD") return methodNotAllowed("GET, POST");
  const page = await listApiCustomers(api.workspaceId, parseQuery(request, CustomerListQuerySchema));
  const integrations = await integrationDataFor(
    api.workspaceId,
    page.items.map((row) => row.id),
  );
  return Response.json({
    object: "list",
    uri: listUri(request),
    data: page.items.map((row) => customerObject(row, integrations.get(row.id))),
    meta: { prev_cursor: null, next_cursor: page.next ? encodeCustomerCursor(page.next) : null },
  });
}

/** A customer id from the path: a uuid, else the 404 an unknown id gets. */
function customerId(value: string | undefined): string {
  const parsed = z.uuid().safeParse(value);
  if (!parsed.success) throw apiError(404, "Customer not found.");
  return parsed.data.toLowerCase();
}

export async function customerResource(request: Request, idParam: string | undefined): Promise<Response> {
  const api = await authenticateApi(request);
  const id = customerId(idParam);
  const notFound = () => apiError(404, "Customer not found.");
  let row;
  if (request.method === "GET" || request.method === "HEAD") {
    row = await getApiCustomer(api.workspaceId, id);
  } else if (request.method === "PUT") {
    if (!(await getApiCustomer(api.workspaceId, id))) return notFound();
    const input = await readJsonBody(request, CustomerUpdateSchema);
    try {
      row = await updateApiCustomer(api.workspaceId, id, input);
    } catch (error) {
      if (error instanceof CustomerEmailTaken) return emailTaken(error);
      throw error;
    }
  } else {
    return methodNotAllowed("GET, PUT");
  }
  if (!row) return notFound();
  return Response.json(customerObject(row, (await integrationDataFor(api.workspaceId, [row.id])).get(row.id)));
}
