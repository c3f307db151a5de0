import type { LoaderFunctionArgs } from "@remix-run/node";
import { searchCustomersToPick } from "~/models/customer-sidebar.server";
import { requireInstalledShop } from "~/models/shop.server";
import { findTicket } from "~/models/ticket.server";
import { CustomerPickQuerySchema, TicketParamsSchema } from "~/services/tickets/ticket-forms.server";
import { authenticate } from "~/shopify.server";

// "Set customer" on the ticket page: the workspace's customers matching what the agent typed.

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const ids = TicketParamsSchema.safeParse(params);
  if (!ids.success) throw new Response("This ticket does not exist or belongs to another workspace.", { status: 404 });
  const ticket = await findTicket(shop.workspaceId, ids.data.ticketId);
  if (!ticket) throw new Response("This ticket does not exist or belongs to another workspace.", { status: 404 });
  const query = CustomerPickQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw new Response(query.error.issues[0]?.message ?? "Check the search.", { status: 400 });
  const customers = await searchCustomersToPick(shop.workspaceId, query.data.q, {
    excludeId: ticket.customerId ?? undefined,
  });
  return { customers };
};
