import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { chatEndpoint, chatError, chatJson, readChatJson, requireChatVisitor } from "~/services/chat/chat-http.server";
import { takeChatLimit } from "~/services/chat/chat-limits.server";
import { ChatMessageBody, postChatMessage } from "~/services/chat/chat.server";

// POST /chat/messages (decision 026): the shopper's message; the same clientId again is the same message.
export const action = ({ request }: ActionFunctionArgs) =>
  chatEndpoint(request, async () => {
    if (request.method !== "POST") return chatError(405, "Send a message with a POST.");
    const visitor = await requireChatVisitor(request);
    const body = await readChatJson(request, ChatMessageBody);
    await takeChatLimit("message", visitor);
    const result = await postChatMessage(visitor, body);
    if (!result.ok) return chatError(result.status, result.error);
    return chatJson({ message: result.message, chat: result.chat }, result.created ? 201 : 200);
  });

export const loader = ({ request }: LoaderFunctionArgs) =>
  chatEndpoint(request, async () => chatError(405, "Send a message with a POST; read the chat at /chat/state."));
