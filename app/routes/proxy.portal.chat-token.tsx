import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ChatTokenBody, issueChatSession } from "~/services/chat/chat-visitor.server";
import { portalCall, portalError, portalJson } from "~/services/portal/portal-auth.server";

// POST /apps/shopdesk/portal/chat-token (App Proxy): the chat widget's token and where the live
// chat endpoints are (decision 026). A previous chat token of this shop keeps the same visitor.
export const action = async ({ request }: ActionFunctionArgs) => {
  const call = await portalCall(request);
  const body = ChatTokenBody.safeParse(call.body);
  if (!body.success) return portalError(400, "chatToken and token must be text.");
  const result = await issueChatSession(call, body.data);
  if (!result.ok) {
    const refused = portalError(result.status, result.error);
    refused.headers.set("Retry-After", String(result.retryAfterSeconds));
    return refused;
  }
  const { chatToken, liveUrl, visitor, expiresAt } = result;
  return portalJson({ chatToken, liveUrl, visitor, expiresAt });
};

// A GET (a link followed, a crawler): checked like any call, then told to POST (portalCall's 405).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await portalCall(request);
  return portalError(405, "Send this request as a POST with a JSON body.");
};
