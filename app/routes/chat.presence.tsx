import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  chatEndpoint,
  chatError,
  chatNoContent,
  readChatJson,
  requireChatVisitor,
} from "~/services/chat/chat-http.server";
import { ChatPresenceBody, recordPresence } from "~/services/chat/chat.server";

// POST /chat/presence (decision 026): the widget's heartbeat with the storefront page it is on.
export const action = ({ request }: ActionFunctionArgs) =>
  chatEndpoint(request, async () => {
    if (request.method !== "POST") return chatError(405, "Send presence with a POST.");
    const visitor = await requireChatVisitor(request);
    const page = await readChatJson(request, ChatPresenceBody);
    await recordPresence(visitor, page);
    return chatNoContent();
  });

export const loader = ({ request }: LoaderFunctionArgs) =>
  chatEndpoint(request, async () => chatError(405, "Send presence with a POST."));
