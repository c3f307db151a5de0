import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalDiskAttachmentStore, newStorageKey } from "./attachment-store.server";

let dir: string;
let store: LocalDiskAttachmentStore;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "shopdesk-store-"));
  store = new LocalDiskAttachmentStore(dir);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("LocalDiskAttachmentStore", () => {
  it("gives back the bytes and content type put under a key, and nothing once deleted", async () => {
    const key = newStorageKey();
    const bytes = new Uint8Array([137, 80, 78, 71, 0, 1, 2]);
    await store.put(key, bytes, "image/png");
    const got = await store.get(key);
    expect(got && Buffer.from(got.bytes).equals(Buffer.from(bytes))).toBe(true);
    expect(got?.contentType).toBe("image/png");
    await store.delete(key);
    expect(await store.get(key)).toBeNull();
    // Deleting what is already gone is not an error (erasure may run twice).
    await expect(store.delete(key)).resolves.toBeUndefined();
  });

  it("refuses keys it did not generate, so no key can reach outside its folder", async () => {
    for (const key of ["../escape", "a/../../b", "/etc/passwd", "..", "", "x".repeat(300), "abc\0def"]) {
      await expect(store.put(key, new Uint8Array([1]), "image/png")).rejects.toThrow(/storage key/);
      await expect(store.get(key)).rejects.toThrow(/storage key/);
      await expect(store.delete(key)).rejects.toThrow(/storage key/);
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it("generates a different key each time", () => {
    const keys = new Set(Array.from({ length: 100 }, () => newStorageKey()));
    expect(keys.size).toBe(100);
  });

  it("does not overwrite a key already stored", async () => {
    const key = newStorageKey();
    await store.put(key, new Uint8Array([1]), "image/png");
    await expect(store.put(key, new Uint8Array([2]), "image/png")).rejects.toThrow();
    expect((await store.get(key))?.bytes[0]).toBe(1);
  });
});
