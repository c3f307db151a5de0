import { createHash } from "node:crypto";
import { z } from "zod";
import { CHAT_IMAGE_MAX_BYTES, chatImageFilename, sniffChatImage } from "~/domain/chat-images";
import { readBodyWithLimit } from "~/lib/request-body.server";
import { storableString, UNSTORABLE_TEXT_MESSAGE } from "~/lib/storable-text";
import { logger } from "~/lib/logger.server";
import { attachmentStore, newStorageKey } from "~/services/storage/attachment-store.server";
import { chatError, chatJson, type ChatVisitorRow } from "./chat-http.server";
import { takeChatLimit } from "./chat-limits.server";
import { findChatMessage, findVisitorAttachment, postChatMessage } from "./chat.server";

// Images in the chat (decision 026): a multipart upload becomes a shopper's message with the image
// attached, its bytes in the attachment store. Only png, jpeg, gif and webp, recognised by their
// bytes; 5 MB at most.

const log = logger.child({ module: "chat-attachments" });

/** The multipart envelope around the file (boundaries, the other fields). */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const UploadFields = z.object({
  clientId: z
    .string({ error: "clientId is missing." })
    .regex(/^[\w-]{1,64}$/, "clientId must be 1 to 64 letters, digits, - or _."),
  body: storableString().max(10_000, "This message is too long.").optional(),
  email: z.email({ error: "Enter a valid email address." }).max(254).optional(),
  name: storableString().max(100, "This name is too long.").optional(),
});

const textField = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
};

/** POST /chat/attachments: 201 with the message, 200 for a clientId already stored, or the refusal. */
export async function uploadChatImage(request: Request, visitor: ChatVisitorRow & { portalSessionId: string | null }) {
  const read = await readBodyWithLimit(request, CHAT_IMAGE_MAX_BYTES + MULTIPART_OVERHEAD_BYTES);
  if (!read.ok) return chatError(413, "This image is too large: send one of 5 MB at most.");
  let form: FormData;
  try {
    form = await new Request("http://upload.invalid/", {
      method: "POST",
      headers: { "content-type": request.headers.get("content-type") ?? "" },
      body: read.bytes,
    }).formData();
  } catch {
    return chatError(400, "Send the image as a multipart form with a file field.");
  }
  const fields = UploadFields.safeParse({
    clientId: textField(form, "clientId"),
    body: textField(form, "body"),
    email: textField(form, "email") || undefined,
    name: textField(form, "name") || undefined,
  });
  if (!fields.success) {
    const message = fields.error.issues[0]?.message ?? "Check your message.";
    return chatError(400, message === UNSTORABLE_TEXT_MESSAGE ? UNSTORABLE_TEXT_MESSAGE : message);
  }
  const file = form.get("file");
  if (!(file instanceof File)) return chatError(400, "Choose an image to send.");
  if (file.size > CHAT_IMAGE_MAX_BYTES) return chatError(413, "This image is too large: send one of 5 MB at most.");

  const already = await findChatMessage(visitor, fields.data.clientId);
  if (already) return chatJson({ message: already.message, chat: already.chat }, 200);

  const bytes = new Uint8Array(await file.arrayBuffer());
  const type = sniffChatImage(bytes);
  if (!type) return chatError(415, "Send a PNG, JPEG, GIF or WebP image.");
  await takeChatLimit("upload", visitor);

  const storageKey = newStorageKey();
  await attachmentStore().put(storageKey, bytes, type);
  try {
    const result = await postChatMessage(visitor, { ...fields.data, body: fields.data.body?.trim() ?? "" }, [
      {
        filename: chatImageFilename(file.name, type),
        contentType: type,
        size: bytes.byteLength,
        sha256: createHash("sha256").update(bytes).digest("hex"),
        storageKey,
      },
    ]);
    if (!result.ok) {
      await attachmentStore().delete(storageKey);
      return chatError(result.status, result.error);
    }
    // The same clientId stored meanwhile by another request: its message keeps its own file.
    if (!result.created) await attachmentStore().delete(storageKey);
    return chatJson({ message: result.message, chat: result.chat }, result.created ? 201 : 200);
  } catch (error) {
    await attachmentStore()
      .delete(storageKey)
      .catch((cleanup: unknown) => log.warn("could not remove an upload whose message failed", { error: cleanup }));
    throw error;
  }
}

/** GET /chat/attachments/:id: the image of one of this visitor's chats, or 404. */
export async function chatImageResponse(visitor: ChatVisitorRow, attachmentId: string): Promise<Response> {
  const attachment = await findVisitorAttachment(visitor, attachmentId);
  const bytes = attachment?.storageKey
    ? (await attachmentStore().get(attachment.storageKey))?.bytes
    : (attachment?.content ?? undefined);
  if (!attachment || !bytes) return chatError(404, "This image is not part of your chat.");
  return new Response(Buffer.from(bytes), {
    headers: {
      "Access-Control-Allow-Origin": "*",
      "Content-Type": attachment.contentType,
      "Content-Length": String(bytes.byteLength),
      "Cache-Control": "private, max-age=3600",
      "Content-Disposition": `inline; filename="${attachment.filename.replace(/[^\x20-\x7e]|"/g, "_")}"`,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
