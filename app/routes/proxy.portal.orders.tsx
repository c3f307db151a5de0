import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { portalLocale } from "~/domain/portal-messages";
import { ORDER_MESSAGES } from "~/domain/portal-order-labels";
import { portalCall, portalError, portalJson, requirePortalSession } from "~/services/portal/portal-auth.server";
import { listPortalOrders, OrdersBodySchema } from "~/services/portal/orders.server";

// POST /apps/shopdesk/portal/orders through the App Proxy, {token, cursor?}: the signed-in
// shopper's orders, newest first, a page at a time, each with the actions they may take.

// Every portal call is a POST: anything else is refused, once the proxy signature is checked.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await portalCall(request);
  return portalError(405, "Send this request as a POST with a JSON body.");
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const call = await portalCall(request);
  const body = OrdersBodySchema.safeParse(call.body);
  if (!body.success) {
    const issue = body.error.issues[0];
    return portalError(400, ORDER_MESSAGES[portalLocale(call.locale)].invalidRequest, {
      field: issue?.path.join("."),
      detail: issue?.message,
    });
  }
  const session = await requirePortalSession(call);
  const list = await listPortalOrders(call, session, body.data.cursor);
  if (!list.ok) {
    return portalError(400, ORDER_MESSAGES[portalLocale(session.locale)].listChanged, { field: "cursor" });
  }
  return portalJson({ orders: list.orders, nextCursor: list.nextCursor });
};
