import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { portalLocale } from "~/domain/portal-messages";
import { ORDER_MESSAGES } from "~/domain/portal-order-labels";
import { portalCall, portalError, portalJson, requirePortalSession } from "~/services/portal/portal-auth.server";
import { getPortalOrder, OrderBodySchema } from "~/services/portal/orders.server";

// POST /apps/shopdesk/portal/order through the App Proxy, {token, orderId}: one of the signed-in
// shopper's orders with its summary, tracking and actions. Any other id (another shopper's, another
// shop's, made up) is the same 404.

// Every portal call is a POST: anything else is refused, once the proxy signature is checked.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await portalCall(request);
  return portalError(405, "Send this request as a POST with a JSON body.");
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const call = await portalCall(request);
  const body = OrderBodySchema.safeParse(call.body);
  if (!body.success) {
    const issue = body.error.issues[0];
    return portalError(400, ORDER_MESSAGES[portalLocale(call.locale)].invalidRequest, {
      field: issue?.path.join("."),
      detail: issue?.message,
    });
  }
  const session = await requirePortalSession(call);
  const order = await getPortalOrder(call, session, body.data.orderId);
  if (!order) return portalError(404, ORDER_MESSAGES[portalLocale(session.locale)].orderNotFound);
  return portalJson({ order });
};
