import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { chatImageResponse } from "~/services/chat/chat-attachments.server";
import { chatEndpoint, chatError, requireChatVisitor } from "~/services/chat/chat-http.server";

// GET /chat/attachments/:attachmentId?token= (decision 026): an image of the visitor's own chat.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  chatEndpoint(request, async () => {
    const visitor = await requireChatVisitor(request);
    return chatImageResponse(visitor, params.attachmentId ?? "");
  });

export const action = ({ request }: ActionFunctionArgs) =>
  chatEndpoint(request, async () => chatError(405, "Read an image with a GET."));
