import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { uploadChatImage } from "~/services/chat/chat-attachments.server";
import { chatEndpoint, chatError, requireChatVisitor } from "~/services/chat/chat-http.server";

// POST /chat/attachments (decision 026): an image (multipart `file`, `clientId`, `body?`) sent in the chat.
export const action = ({ request }: ActionFunctionArgs) =>
  chatEndpoint(request, async () => {
    if (request.method !== "POST") return chatError(405, "Send an image with a POST.");
    const visitor = await requireChatVisitor(request);
    return uploadChatImage(request, visitor);
  });

export const loader = ({ request }: LoaderFunctionArgs) =>
  chatEndpoint(request, async () => chatError(405, "Send an image with a POST."));
