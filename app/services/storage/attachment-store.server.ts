import { randomUUID } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

// Where uploaded attachments (chat images) keep their bytes, outside the database (decision 026).
// `TicketAttachment.storageKey` names them. Keys are generated here (newStorageKey), never taken
// from a request, and every operation checks the key's shape: no key can name a path outside the
// store's folder.

export interface StoredObject {
  bytes: Uint8Array;
  contentType: string;
}

export interface AttachmentStore {
  /** Stores bytes under a new key (newStorageKey); a key already used is refused. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The bytes and content type under the key, or null when there are none. */
  get(key: string): Promise<StoredObject | null>;
  /** Removes the key's bytes; nothing there is not an error (erasure may run twice). */
  delete(key: string): Promise<void>;
}

const KEY_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A fresh key for put(). */
export const newStorageKey = (): string => randomUUID();

function checkedKey(key: string): string {
  if (!KEY_SHAPE.test(key)) throw new Error("This is not a storage key the attachment store generated.");
  return key;
}

const CONTENT_TYPE_SHAPE = /^[\w.+-]+\/[\w.+-]+$/;

/** Files in a folder: `<2 first characters>/<key>` and `<key>.type` beside it (the content type). */
export class LocalDiskAttachmentStore implements AttachmentStore {
  constructor(private readonly root: string) {}

  private pathOf(key: string) {
    const checked = checkedKey(key);
    return path.join(path.resolve(this.root), checked.slice(0, 2), checked);
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const file = this.pathOf(key);
    if (!CONTENT_TYPE_SHAPE.test(contentType)) throw new Error("This is not a content type.");
    await mkdir(path.dirname(file), { recursive: true });
    // "wx": a key is written once; a second put under it fails instead of replacing the bytes.
    await writeFile(`${file}.type`, contentType, { flag: "wx" });
    await writeFile(file, bytes, { flag: "wx" });
  }

  async get(key: string): Promise<StoredObject | null> {
    const file = this.pathOf(key);
    try {
      const [bytes, contentType] = await Promise.all([readFile(file), readFile(`${file}.type`, "utf8")]);
      return { bytes: new Uint8Array(bytes), contentType };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    await rm(file, { force: true });
    await rm(`${file}.type`, { force: true });
  }
}

let configured: AttachmentStore | null = null;

/** The app's store: local disk under ATTACHMENTS_DIR (default `data/attachments`, from the working directory). */
export function attachmentStore(): AttachmentStore {
  configured ??= new LocalDiskAttachmentStore(process.env.ATTACHMENTS_DIR || "data/attachments");
  return configured;
}

/** Tests and other deployments put their own store in place. */
export function setAttachmentStore(store: AttachmentStore | null): void {
  configured = store;
}
