import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { chatEndpoint, chatError, requireChatVisitor } from "~/services/chat/chat-http.server";
import { chatEventStream, resumeSeqOf } from "~/services/chat/chat-stream.server";

// GET /chat/stream?token= (decision 026): the widget's live events; Last-Event-ID or ?after resumes.
export const loader = ({ request }: LoaderFunctionArgs) =>
  chatEndpoint(request, async () => {
    const visitor = await requireChatVisitor(request);
    const afterSeq = resumeSeqOf(request);
    if (afterSeq === null) return chatError(400, "Last-Event-ID and after must be a message's seq.");
    return chatEventStream({ signal: request.signal, visitor, afterSeq });
  });

export const action = ({ request }: ActionFunctionArgs) =>
  chatEndpoint(request, async () => chatError(405, "Open the chat's stream with a GET."));
