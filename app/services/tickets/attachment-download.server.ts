import { db } from "~/db.server";
import { attachmentStore } from "~/services/storage/attachment-store.server";

// A ticket attachment's bytes for an agent's page: from the row (email attachments) or the
// attachment store (chat uploads, decision 026), for the workspace's attachments only.

/** Images a browser may show inline from the app's origin; anything else is only downloaded. */
export const INLINE_IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

export interface AttachmentDownload {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

/** The attachment of the workspace with its bytes, or null (another workspace's, or its bytes are gone). */
export async function attachmentDownload(
  workspaceId: string,
  attachmentId: string,
): Promise<AttachmentDownload | null> {
  const row = await db.ticketAttachment.findFirst({
    where: { id: attachmentId, workspaceId },
    select: { filename: true, contentType: true, content: true, storageKey: true },
  });
  if (!row) return null;
  if (row.content) return { filename: row.filename, contentType: row.contentType, bytes: row.content };
  if (!row.storageKey) return null;
  const stored = await attachmentStore().get(row.storageKey);
  return stored ? { filename: row.filename, contentType: row.contentType, bytes: stored.bytes } : null;
}

/** The answer that sends it: images inline, anything else as a download that never runs as a page. */
export function attachmentResponse(file: AttachmentDownload): Response {
  const inline = INLINE_IMAGE_TYPES.has(file.contentType);
  const name = encodeURIComponent(file.filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
  // Bytes from Prisma and the store are on an ArrayBuffer (never shared memory), as a body needs.
  return new Response(file.bytes as Uint8Array<ArrayBuffer>, {
    headers: {
      "Content-Type": inline ? file.contentType : "application/octet-stream",
      "Content-Length": String(file.bytes.byteLength),
      "Content-Disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${name}`,
      // A file someone sent is never a page of the app's origin (an HTML or SVG "image" included).
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, max-age=300",
    },
  });
}
