import { useEffect, useRef } from "react";

// The browser side of the live connection (app/routes/app.live.tsx): read with fetch, not
// EventSource, because in the Shopify admin App Bridge adds the session token to the app's own
// fetch requests and EventSource cannot carry it. Reconnects with backoff; after a reconnect (or a
// "resync" from the server) the page looks again, since news may have been missed meanwhile.

export interface ServerSentEvent {
  event: string;
  data: string;
}

/** Splits a text/event-stream into events; `feed` returns the events completed by `chunk`. */
export function createEventStreamParser() {
  let buffer = "";
  return {
    feed(chunk: string): ServerSentEvent[] {
      buffer += chunk.replace(/\r\n?/g, "\n");
      const events: ServerSentEvent[] = [];
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = "message";
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "event") event = value;
          else if (field === "data") data.push(value);
        }
        if (data.length > 0) events.push({ event, data: data.join("\n") });
      }
      return events;
    },
  };
}

export interface LiveUpdateOptions {
  /** Only this ticket's news (the ticket page), else the workspace's (the inbox). */
  ticketId?: string;
  /** Something changed (or may have, after a reconnect): look again. */
  onChange: (ticketId: string | null) => void;
  enabled?: boolean;
}

/** Keeps a live connection open while the component is mounted. */
export function useLiveUpdates({ ticketId, onChange, enabled = true }: LiveUpdateOptions) {
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    let delayMs = 1000;
    let connectedBefore = false;
    const url = `/app/live${ticketId ? `?ticket=${encodeURIComponent(ticketId)}` : ""}`;

    async function connectOnce() {
      const response = await fetch(url, { signal: controller.signal, headers: { Accept: "text/event-stream" } });
      if (!response.ok || !response.body) throw new Error(`live updates answered ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = createEventStreamParser();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        for (const event of parser.feed(value)) {
          if (event.event === "ready") {
            delayMs = 1000;
            if (connectedBefore) onChangeRef.current(null);
            connectedBefore = true;
          } else if (event.event === "ticket") {
            const news = JSON.parse(event.data) as { ticketId?: string };
            onChangeRef.current(news.ticketId ?? null);
          } else if (event.event === "resync") {
            onChangeRef.current(null);
          }
        }
      }
    }

    void (async () => {
      while (!controller.signal.aborted) {
        try {
          await connectOnce();
        } catch {
          // fall through to the backoff: a network blip, a redeploy, an expired session
        }
        if (controller.signal.aborted) return;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        delayMs = Math.min(delayMs * 2, 30_000);
      }
    })();
    return () => controller.abort();
  }, [ticketId, enabled]);
}

/** Calls `callback` at most once per `waitMs`, trailing (a burst of news is one reload). */
export function throttle(callback: () => void, waitMs: number) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      callback();
    }, waitMs);
  };
}
