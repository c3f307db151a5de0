import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { parseSeq } from "~/domain/chat-rules";
import { chatEndpoint, chatError, chatJson, requireChatVisitor } from "~/services/chat/chat-http.server";
import { chatState } from "~/services/chat/chat.server";

// GET /chat/state (decision 026): the widget's chat and its messages (after ?after=<seq>: the
// polling fallback when the live stream keeps failing).
export const loader = ({ request }: LoaderFunctionArgs) =>
  chatEndpoint(request, async () => {
    const visitor = await requireChatVisitor(request);
    const after = new URL(request.url).searchParams.get("after") ?? "0";
    const afterSeq = parseSeq(after);
    if (afterSeq === null) return chatError(400, "after must be a message's seq.");
    const state = await chatState(visitor, afterSeq);
    return chatJson(state);
  });

export const action = ({ request }: ActionFunctionArgs) =>
  chatEndpoint(request, async () => chatError(405, "Read the chat with a GET."));
