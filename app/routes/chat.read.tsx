import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { parseSeq } from "~/domain/chat-rules";
import {
  chatEndpoint,
  chatError,
  chatNoContent,
  readChatJson,
  requireChatVisitor,
} from "~/services/chat/chat-http.server";
import { markShopperRead } from "~/services/chat/chat.server";

const ReadBody = z.object({
  upTo: z
    .union([z.string(), z.number().int()], { error: "upTo must be a message's seq." })
    .transform(String)
    .pipe(z.string().refine((text) => parseSeq(text) !== null, "upTo must be a message's seq.")),
});

// POST /chat/read (decision 026): the widget showed the chat up to this seq.
export const action = ({ request }: ActionFunctionArgs) =>
  chatEndpoint(request, async () => {
    if (request.method !== "POST") return chatError(405, "Send read marks with a POST.");
    const visitor = await requireChatVisitor(request);
    const { upTo } = await readChatJson(request, ReadBody);
    await markShopperRead(visitor, BigInt(upTo));
    return chatNoContent();
  });

export const loader = ({ request }: LoaderFunctionArgs) =>
  chatEndpoint(request, async () => chatError(405, "Send read marks with a POST."));
