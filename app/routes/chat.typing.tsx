import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import {
  chatEndpoint,
  chatError,
  chatNoContent,
  readChatJson,
  requireChatVisitor,
} from "~/services/chat/chat-http.server";
import { takeChatLimit } from "~/services/chat/chat-limits.server";
import { setShopperTyping } from "~/services/chat/chat.server";

const TypingBody = z.object({ typing: z.boolean({ error: "typing must be true or false." }) });

// POST /chat/typing (decision 026): the shopper is typing (renewed every few seconds) or stopped.
export const action = ({ request }: ActionFunctionArgs) =>
  chatEndpoint(request, async () => {
    if (request.method !== "POST") return chatError(405, "Send typing with a POST.");
    const visitor = await requireChatVisitor(request);
    const { typing } = await readChatJson(request, TypingBody);
    await takeChatLimit("typing", visitor);
    await setShopperTyping(visitor, typing);
    return chatNoContent();
  });

export const loader = ({ request }: LoaderFunctionArgs) =>
  chatEndpoint(request, async () => chatError(405, "Send typing with a POST."));
