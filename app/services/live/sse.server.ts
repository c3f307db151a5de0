// A server-sent events response that lasts until the browser disconnects: the plumbing the
// agents' live connection and the chat widget's stream share (writing, the heartbeat comment that
// keeps proxies from closing an idle connection, and one teardown however the stream ends).

export interface SseChannel {
  /** Writes raw event-stream text; nothing once the stream is closed. */
  send(text: string): void;
  /** Ends the stream from the server's side. */
  close(): void;
  readonly isOpen: boolean;
}

export interface SseOptions {
  signal: AbortSignal;
  heartbeatMs: number;
  headers?: Record<string, string>;
  /** Starts the stream's work; returns what to undo when it ends. Not called for an aborted request. */
  start(channel: SseChannel): () => void;
  /** After each heartbeat comment. */
  onHeartbeat?(): void;
}

export function sseResponse(options: SseOptions): Response {
  const { signal } = options;
  const encoder = new TextEncoder();
  let close = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      let teardown = () => {};
      const channel: SseChannel = {
        send(text) {
          if (!open) return;
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            close();
          }
        },
        close: () => close(),
        get isOpen() {
          return open;
        },
      };
      const heartbeat = setInterval(() => {
        channel.send(": heartbeat\n\n");
        options.onHeartbeat?.();
      }, options.heartbeatMs);
      close = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        signal.removeEventListener("abort", close);
        teardown();
        try {
          controller.close();
        } catch {
          // already closed by the reader
        }
      };
      signal.addEventListener("abort", close);
      if (signal.aborted) return close();
      teardown = options.start(channel);
    },
    cancel() {
      close();
    },
  });
  return new Response(body, {
    headers: {
      ...options.headers,
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
      Connection: "keep-alive",
    },
  });
}
