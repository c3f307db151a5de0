import { describe, expect, it } from "vitest";
import { readBodyWithLimit } from "./request-body.server";

const streamOf = (chunks: Uint8Array[], onPull?: () => void) =>
  new ReadableStream<Uint8Array>({
    pull(controller) {
      onPull?.();
      const next = chunks.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request("http://app.test/webhooks/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("readBodyWithLimit", () => {
  it("returns the bytes of a body within the limit", async () => {
    const result = await readBodyWithLimit(post("hello"), 5);
    expect(result.ok && new TextDecoder().decode(result.bytes)).toBe("hello");
  });

  it("refuses a declared Content-Length above the limit, keeping none of the body", async () => {
    let pulls = 0;
    const body = streamOf([new Uint8Array(10), new Uint8Array(1)], () => pulls++);
    const result = await readBodyWithLimit(post(body, { "content-length": "11" }), 10);
    expect(result).toEqual({ ok: false, reason: "too-large" });
    // What is left is read and dropped, so the sender gets the 413 rather than a reset connection.
    expect(pulls).toBeGreaterThan(0);
  });

  it("does not wait for a declared body far above the limit", async () => {
    let pulls = 0;
    const body = streamOf([new Uint8Array(10)], () => pulls++);
    const result = await readBodyWithLimit(post(body, { "content-length": String(10 * 1024) }), 10);
    expect(result).toEqual({ ok: false, reason: "too-large" });
    expect(pulls).toBeLessThanOrEqual(1); // a stream may pull once when created; never read
  });

  it("counts the bytes of a body sent without a Content-Length", async () => {
    const chunks = Array.from({ length: 5 }, () => new Uint8Array(4));
    expect(await readBodyWithLimit(post(streamOf(chunks)), 16)).toEqual({ ok: false, reason: "too-large" });
    const fits = await readBodyWithLimit(post(streamOf(Array.from({ length: 4 }, () => new Uint8Array(4)))), 16);
    expect(fits.ok && fits.bytes.byteLength).toBe(16);
  });

  it("counts the bytes when the Content-Length understates them", async () => {
    const result = await readBodyWithLimit(post("x".repeat(100), { "content-length": "10" }), 50);
    expect(result).toEqual({ ok: false, reason: "too-large" });
  });

  it("keeps nothing past the limit and stops reading at eight times it", async () => {
    let pulls = 0;
    const chunks = Array.from({ length: 100 }, () => new Uint8Array(10));
    const result = await readBodyWithLimit(post(streamOf(chunks, () => pulls++)), 25);
    expect(result.ok).toBe(false);
    expect(pulls).toBeGreaterThan(3);
    expect(pulls).toBeLessThan(30); // 8 × 25 bytes = 20 chunks, then cancelled
  });

  it("reads an empty body as no bytes", async () => {
    const result = await readBodyWithLimit(post(null), 10);
    expect(result.ok && result.bytes.byteLength).toBe(0);
  });
});
