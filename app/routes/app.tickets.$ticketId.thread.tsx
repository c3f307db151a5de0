import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireInstalledShop } from "~/models/shop.server";
import { ticketExists, TicketNotFoundError } from "~/models/ticket.server";
import { TicketPageQuerySchema, TicketParamsSchema } from "~/services/tickets/ticket-forms.server";
import { threadPageView } from "~/services/tickets/ticket-page.server";
import { authenticate } from "~/shopify.server";

// Earlier pages of a ticket's thread ("Show earlier messages"), for the ticket page's fetcher.

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const ids = TicketParamsSchema.safeParse(params);
  const query = TicketPageQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!ids.success) throw new Response("This ticket does not exist or belongs to another workspace.", { status: 404 });
  if (!query.success) throw new Response(query.error.issues[0]?.message ?? "Check the address.", { status: 400 });
  if (!(await ticketExists(shop.workspaceId, ids.data.ticketId))) {
    throw new Response("This ticket does not exist or belongs to another workspace.", { status: 404 });
  }
  try {
    return await threadPageView(shop.workspaceId, ids.data.ticketId, shop.ianaTimezone, query.data.before);
  } catch (error) {
    if (error instanceof TicketNotFoundError) {
      throw new Response("This ticket or message does not exist or belongs to another workspace.", { status: 404 });
    }
    throw error;
  }
};
