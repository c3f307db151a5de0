// Which uploads the chat takes (decision 026): images the widget can show, recognised by their
// first bytes (the declared type and the file name are the browser's word, not the file's).

export const CHAT_IMAGE_MAX_BYTES = 5 * 1024 * 1024;

export type ChatImageType = "image/png" | "image/jpeg" | "image/gif" | "image/webp";

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((byte, index) => bytes[at + index] === byte);

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

/** The image type the bytes are, or null for anything else (whatever the upload claimed). */
export function sniffChatImage(bytes: Uint8Array): ChatImageType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) return "image/gif";
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "image/webp";
  return null;
}

const EXTENSIONS: Record<ChatImageType, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
};

/**
 * A file name safe to show and to send in a header: the shopper's name without folders or
 * control characters, capped, with the extension of what the bytes really are.
 */
export function chatImageFilename(given: string, type: ChatImageType): string {
  const base =
    given
      .split(/[\\/]/)
      .pop()!
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f"]/g, "")
      .replace(/\.[^.]*$/, "")
      .trim()
      .slice(0, 100) || "image";
  return `${base}.${EXTENSIONS[type]}`;
}
