import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireInstalledShop } from "~/models/shop.server";
import { attachmentDownload, attachmentResponse } from "~/services/tickets/attachment-download.server";
import { authenticate } from "~/shopify.server";

// One attachment of a ticket message, for the ticket page (image thumbnails, full size on click).
// The page fetches it with the session token App Bridge adds, so only the workspace's agents can.

const ParamsSchema = z.object({ attachmentId: z.uuid() });

const notFound = () =>
  new Response("This attachment does not exist, was erased, or belongs to another workspace.", { status: 404 });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const ids = ParamsSchema.safeParse(params);
  if (!ids.success) throw notFound();
  const file = await attachmentDownload(shop.workspaceId, ids.data.attachmentId);
  if (!file) throw notFound();
  return attachmentResponse(file);
};
