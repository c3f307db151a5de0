import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { readForm } from "~/lib/form-data.server";
import { requireInstalledShop } from "~/models/shop.server";
import { ticketExists } from "~/models/ticket.server";
import { markViewing } from "~/models/ticket-viewer.server";
import { agentForRequest } from "~/services/agents.server";
import { liveEventStream } from "~/services/live/event-stream.server";
import { LiveQuerySchema, PresenceFormSchema } from "~/services/live/live-forms.server";
import { authenticate } from "~/shopify.server";

// GET: the live connection of the inbox (the workspace's ticket news) or of one ticket page
// (?ticket=<id>: that ticket's news, and the agent shown as viewing it). POST: the agent started
// or stopped writing a reply on that ticket.

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const shop = await requireInstalledShop(auth.session.shop, auth.admin);
  const query = LiveQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw new Response(query.error.issues[0]?.message ?? "Check the address.", { status: 400 });
  const { ticket: ticketId } = query.data;
  if (ticketId && !(await ticketExists(shop.workspaceId, ticketId))) {
    throw new Response("This ticket does not exist or belongs to another workspace.", { status: 404 });
  }
  const agent = await agentForRequest(request, auth);
  return liveEventStream({ signal: request.signal, workspaceId: shop.workspaceId, ticketId, agentId: agent?.id });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const shop = await requireInstalledShop(auth.session.shop, auth.admin);
  const form = await readForm(request, PresenceFormSchema, "presence");
  if (!form.ok) return data({ ok: false, errors: form.errors }, { status: form.status });
  const agent = await agentForRequest(request, auth);
  if (!agent)
    return data(
      { ok: false, errors: { form: ["Shopify could not say who you are; reload the page."] } },
      { status: 409 },
    );
  const recorded = await markViewing(shop.workspaceId, form.data.ticketId, agent.id, form.data.replying);
  if (!recorded) {
    return data(
      { ok: false, errors: { ticketId: ["This ticket does not exist or belongs to another workspace."] } },
      { status: 404 },
    );
  }
  return { ok: true, errors: {} };
};
