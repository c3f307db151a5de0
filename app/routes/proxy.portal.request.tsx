import type { ActionFunctionArgs } from "@remix-run/node";
import { PortalRequestBodySchema } from "~/domain/portal-requests";
import { portalCall, portalError, portalJson, requirePortalSession } from "~/services/portal/portal-auth.server";
import { submitPortalRequest } from "~/services/portal/requests.server";

// POST /apps/shopdesk/portal/request (App Proxy): a signed-in shopper's return, cancellation or
// issue report for one of their orders; it becomes a ticket and one confirmation (decision 023).
export const action = async ({ request }: ActionFunctionArgs) => {
  const call = await portalCall(request);
  const session = await requirePortalSession(call);
  const body = PortalRequestBodySchema.safeParse(call.body);
  if (!body.success) return portalError(400, body.error.issues[0]?.message ?? "Check your request.");
  const result = await submitPortalRequest(call, session, body.data);
  if (!result.ok) return portalError(result.status, result.error);
  return portalJson({ request: result.request, message: result.message }, result.created ? 201 : 200);
};

// A GET (a link followed, a crawler): checked like any call, then told to POST (portalCall's 405).
export const loader = async ({ request }: ActionFunctionArgs) => {
  await portalCall(request);
  return portalError(405, "Send this request as a POST with a JSON body.");
};
