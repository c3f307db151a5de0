import { db } from "~/db.server";
import { parseSeq } from "~/domain/chat-rules";
import { logger } from "~/lib/logger.server";
import { VIEWER_STALE_AFTER_MS } from "~/models/ticket-viewer.server";
import { HEARTBEAT_MS } from "~/services/live/event-stream.server";
import { sseResponse } from "~/services/live/sse.server";
import { ticketChanges, type LiveNews } from "~/services/live/ticket-changes.server";
import { CHAT_CORS_HEADERS, type ChatVisitorRow } from "./chat-http.server";
import { chatMessages, chatView, currentChat, type ChatView } from "./chat.server";

// The widget's live connection (decision 026): server-sent events on the app's origin. It reacts
// to the ticket-change notifications this process's hub hears (every instance hears every commit)
// by reading its chat's entries after the last seq it sent, so a message stored by any instance
// reaches the browser once, and a reconnect with Last-Event-ID gets exactly what it missed.
// An idle stream costs no query: it reads only on its own ticket's or visitor's news, and at the
// one moment time alone changes what it shows (the 24-hour revert, an agent's typing gone stale).

const log = logger.child({ module: "chat-stream" });

export interface ChatStreamOptions {
  signal: AbortSignal;
  visitor: ChatVisitorRow;
  /** The last seq the widget has (Last-Event-ID or ?after): only later messages are sent. */
  afterSeq: bigint;
  heartbeatMs?: number;
}

/**
 * Streams one visitor (one token) may hold open in this process: a few tabs. Past it the oldest
 * is closed (likely a connection whose browser is gone), so one token cannot pile up streams.
 */
export const MAX_STREAMS_PER_VISITOR = 10;

/** The open streams' closers by visitor, oldest first; a visitor leaves the map with its last stream. */
const openStreams = new Map<string, Set<() => void>>();

/** The seq to resume after: Last-Event-ID, else ?after, else 0 (everything of the chat). */
export function resumeSeqOf(request: Request): bigint | null {
  const given = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("after") ?? "0";
  return parseSeq(given);
}

/** A text/event-stream response that lasts until the browser disconnects (`signal`). */
export function chatEventStream(options: ChatStreamOptions): Response {
  const { signal, visitor } = options;
  let lastSeq = options.afterSeq;
  let lastChat: string | undefined;
  let shownChat: ChatView | null = null;
  let running: Promise<void> | null = null;
  /** When time alone changes the chat (a revert, stale agent typing): looked at on heartbeats. */
  let checkAgainAt: number | null = null;
  let again = false;
  let schedule = () => {};
  return sseResponse({
    signal,
    heartbeatMs: options.heartbeatMs ?? HEARTBEAT_MS,
    headers: CHAT_CORS_HEADERS,
    onHeartbeat: () => {
      if (checkAgainAt !== null && Date.now() >= checkAgainAt) schedule();
    },
    start(channel) {
      const { send } = channel;
      // Reads what changed and sends it; news arriving meanwhile makes it run once more, so
      // refreshes never overlap and the seq cursor never sends a message twice.
      const refresh = async () => {
        const now = new Date();
        // Another request of this visitor (a first message, a reverted chat) may have moved its chat.
        const row = await db.chatVisitor.findUnique({
          where: { id: visitor.id },
          select: { ticketId: true, workspaceId: true },
        });
        // Erased, or its store moved to another workspace: the widget reconnects (and listens there).
        if (!row || row.workspaceId !== visitor.workspaceId) return channel.close();
        visitor.ticketId = row.ticketId;
        const { ticket, revertsAt } = await currentChat(visitor, now);
        // The chat this stream showed is gone (reverted, here or by another request of the visitor
        // such as its /chat/state): the widget is told which one, marked reverted.
        const chat = ticket
          ? await chatView(visitor.workspaceId, ticket, now)
          : shownChat && { ...shownChat, reverted: true };
        const chatJson = JSON.stringify(chat);
        if (chatJson !== lastChat) {
          lastChat = chatJson;
          send(`event: chat\ndata: ${chatJson}\n\n`);
        }
        shownChat = chat;
        const typingFadesAt = chat?.agentTyping ? now.getTime() + VIEWER_STALE_AFTER_MS / 2 : null;
        const moments = [revertsAt?.getTime() ?? null, typingFadesAt].filter((at): at is number => at !== null);
        checkAgainAt = moments.length > 0 ? Math.min(...moments) : null;
        if (!ticket) return;
        for (;;) {
          const messages = await chatMessages(visitor, ticket.id, lastSeq);
          for (const message of messages) {
            send(`id: ${message.seq}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`);
            lastSeq = BigInt(message.seq);
          }
          if (messages.length === 0 || !channel.isOpen) break;
        }
      };
      schedule = () => {
        if (!channel.isOpen) return;
        if (running) {
          again = true;
          return;
        }
        running = refresh()
          .catch((error: unknown) => log.warn("could not send a chat's news", { error }))
          .finally(() => {
            running = null;
            if (again) {
              again = false;
              schedule();
            }
          });
      };

      const unsubscribe = ticketChanges().subscribe(visitor.workspaceId, (news: LiveNews) => {
        // Our chat's news, or our visitor's chat moving (a chat started from another tab, a revert).
        if (news.kind === "resync") schedule();
        else if (news.kind === "ticket" && news.ticketId === visitor.ticketId) schedule();
        else if (news.kind === "visitor" && news.visitorId === visitor.id) schedule();
      });
      // This stream in openStreams: past the cap, the visitor's oldest stream closes.
      const close = () => channel.close();
      let streams = openStreams.get(visitor.id);
      if (!streams) openStreams.set(visitor.id, (streams = new Set()));
      streams.add(close);
      if (streams.size > MAX_STREAMS_PER_VISITOR) streams.values().next().value?.();
      // Listening first, then the catch-up read: nothing committed in between is missed.
      void ticketChanges()
        .ready()
        .then(() => {
          send(`retry: 3000\n\n`);
          schedule();
          return running;
        })
        .then(() => send(`event: ready\ndata: {}\n\n`));
      return () => {
        unsubscribe();
        const mine = openStreams.get(visitor.id);
        mine?.delete(close);
        if (mine?.size === 0) openStreams.delete(visitor.id);
      };
    },
  });
}
