import { logger } from "~/lib/logger.server";
import { markViewing, stopViewing } from "~/models/ticket-viewer.server";
import { sseResponse } from "./sse.server";
import { ticketChanges, type LiveNews } from "./ticket-changes.server";

// The live connection of an agent's page: server-sent events on the app's own origin, opened with
// the embedded app's usual authentication (the page reads it with fetch, which App Bridge gives
// the session token). The events only say *what* changed ("ticket X"); the page then reloads its
// own data through its loader, so nothing reaches the browser that the loader would not show.

/** A comment line this often keeps proxies from closing an idle connection and refreshes presence. */
export const HEARTBEAT_MS = 20_000;

const log = logger.child({ module: "live" });

export interface LiveStreamOptions {
  signal: AbortSignal;
  workspaceId: string;
  /** Only this ticket's news, and the agent is shown as viewing it while connected. */
  ticketId?: string;
  agentId?: string | null;
  heartbeatMs?: number;
}

/** A text/event-stream response that lasts until the browser disconnects (`signal`). */
export function liveEventStream(options: LiveStreamOptions): Response {
  const { signal, workspaceId, ticketId, agentId } = options;
  const presence = (replying: boolean | undefined) => {
    if (!ticketId || !agentId) return;
    markViewing(workspaceId, ticketId, agentId, replying).catch((error: unknown) =>
      log.warn("could not record who is viewing a ticket", { error }),
    );
  };
  return sseResponse({
    signal,
    heartbeatMs: options.heartbeatMs ?? HEARTBEAT_MS,
    onHeartbeat: () => presence(undefined),
    start({ send }) {
      const unsubscribe = ticketChanges().subscribe(workspaceId, (news: LiveNews) => {
        // A storefront visitor's chat moving is the widget's business; the ticket's own news follows.
        if (news.kind === "visitor") return;
        if (news.kind === "ticket" && ticketId && news.ticketId !== ticketId) return;
        send(`event: ${news.kind}\ndata: ${JSON.stringify(news)}\n\n`);
      });
      // Sent once listening, so a change right after the page sees "ready" is not missed.
      void ticketChanges()
        .ready()
        .then(() => {
          presence(false);
          send(`retry: 3000\nevent: ready\ndata: {}\n\n`);
        });
      return () => {
        unsubscribe();
        if (ticketId && agentId) {
          stopViewing(workspaceId, ticketId, agentId).catch((error: unknown) =>
            log.warn("could not record that an agent left a ticket", { error }),
          );
        }
      };
    },
  });
}
