/** The result of reading a request body under a size limit. */
export type LimitedBody = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; reason: "too-large" };

/**
 * Reads a request's body, refusing one larger than `maxBytes` without holding more than that in
 * memory: a declared Content-Length above the limit is refused before reading, and bytes are
 * counted while reading because Content-Length can be absent (chunked uploads) or wrong.
 */
export async function readBodyWithLimit(request: Request, maxBytes: number): Promise<LimitedBody> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    await discardRest(request.body?.getReader(), declared, maxBytes);
    return { ok: false, reason: "too-large" };
  }
  if (!request.body) return { ok: true, bytes: new Uint8Array(0) };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await discardRest(reader, Number.NaN, maxBytes);
      return { ok: false, reason: "too-large" };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

/**
 * Reads and drops what is left of a refused body, so the client (which is still sending) gets our
 * 413 instead of a connection reset: cancelling the stream destroys the socket before the answer
 * is written. Nothing is kept; past DISCARD_FACTOR × the limit the sender is not worth waiting
 * for, and the stream is cancelled after all.
 */
async function discardRest(
  reader: ReadableStreamDefaultReader<Uint8Array> | undefined,
  declared: number,
  maxBytes: number,
): Promise<void> {
  if (!reader) return;
  const cap = maxBytes * DISCARD_FACTOR;
  if (declared > cap) {
    await reader.cancel().catch(() => undefined);
    return;
  }
  let discarded = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      discarded += value.byteLength;
      if (discarded > cap) {
        await reader.cancel().catch(() => undefined);
        return;
      }
    }
  } catch {
    // The client went away: nothing to answer.
  }
}

/** How much of a refused body (in multiples of the limit) is read and dropped before giving up. */
const DISCARD_FACTOR = 8;
