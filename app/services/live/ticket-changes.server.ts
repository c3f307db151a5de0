import pg from "pg";
import { z } from "zod";
import { databaseUrl, onDatabaseClose } from "~/db.server";
import { logger } from "~/lib/logger.server";

// Ticket changes as they commit, for the pages agents have open (the inbox, a ticket). Database
// triggers NOTIFY "shopdesk_ticket_changes" for every change to a ticket, its thread or who is
// viewing it, from any process (migration ticket_change_notifications); each app instance holds one
// LISTEN connection and hands the news to its own subscribers, so a change made on one instance
// reaches agents connected to another.

export const TICKET_CHANGES_CHANNEL = "shopdesk_ticket_changes";

export type LiveNews =
  /** Something about this ticket changed: a message, a reply's delivery, its status, its viewers. */
  | { kind: "ticket"; ticketId: string }
  /** A storefront chat visitor's chat moved to another ticket, or ended (migration chat_visitor_notifications). */
  | { kind: "visitor"; visitorId: string }
  /** The connection to the database was lost and is back: news may have been missed, look again. */
  | { kind: "resync" };

type Subscriber = (news: LiveNews) => void;

const NotificationSchema = z.union([
  z.object({ w: z.string(), t: z.string() }),
  z.object({ w: z.string(), v: z.string() }),
]);
const log = logger.child({ module: "live" });
const RECONNECT_MAX_MS = 30_000;

class TicketChangeHub {
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private retryDelayMs = 500;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor() {
    onDatabaseClose(() => this.close());
  }

  /** Calls `subscriber` with every change to the workspace's tickets until the returned function is called. */
  subscribe(workspaceId: string, subscriber: Subscriber): () => void {
    let set = this.subscribers.get(workspaceId);
    if (!set) this.subscribers.set(workspaceId, (set = new Set()));
    set.add(subscriber);
    void this.ensureListening();
    return () => {
      set.delete(subscriber);
      if (set.size === 0 && this.subscribers.get(workspaceId) === set) this.subscribers.delete(workspaceId);
    };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves once this instance is listening (tests wait for it before making changes). */
  ready(): Promise<void> {
    return this.ensureListening();
  }

  private ensureListening(): Promise<void> {
    if (this.closed || this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: "shopdesk-live" });
    client.on("notification", (message) => this.deliver(message.payload));
    client.on("error", (error) => {
      log.warn("live updates lost their database connection; reconnecting", { error });
      this.lost(client);
    });
    client.on("end", () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${TICKET_CHANGES_CHANNEL}`);
      if (this.closed) throw new Error("closed");
      const wasReconnect = this.retryDelayMs > 500;
      this.client = client;
      this.retryDelayMs = 500;
      if (wasReconnect) this.broadcast({ kind: "resync" });
    } catch (error) {
      await client.end().catch(() => {});
      if (!this.closed) {
        log.warn("live updates could not listen for ticket changes; retrying", { error });
        this.scheduleReconnect();
      }
    }
  }

  private lost(client: pg.Client) {
    if (this.client !== client) return;
    this.client = null;
    void client.end().catch(() => {});
    if (!this.closed) this.scheduleReconnect();
  }

  private scheduleReconnect() {
    if (this.retryTimer || this.closed) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, RECONNECT_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.subscribers.size > 0) void this.ensureListening();
    }, delay);
    this.retryTimer.unref();
  }

  private deliver(payload: string | undefined) {
    let parsed;
    try {
      parsed = NotificationSchema.safeParse(JSON.parse(payload ?? ""));
    } catch {
      return;
    }
    if (!parsed.success) return;
    const { data } = parsed;
    const news: LiveNews = "t" in data ? { kind: "ticket", ticketId: data.t } : { kind: "visitor", visitorId: data.v };
    for (const subscriber of this.subscribers.get(data.w) ?? []) subscriber(news);
  }

  private broadcast(news: LiveNews) {
    for (const set of this.subscribers.values()) for (const subscriber of set) subscriber(news);
  }

  private async close() {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
}

const GLOBAL_KEY = "__shopdeskTicketChangeHub";
const holder = globalThis as unknown as Record<typeof GLOBAL_KEY, TicketChangeHub | undefined>;

/** This process's hub (one per process, kept across dev-server reloads). */
export function ticketChanges(): TicketChangeHub {
  if (!holder[GLOBAL_KEY] || holder[GLOBAL_KEY].isClosed) holder[GLOBAL_KEY] = new TicketChangeHub();
  return holder[GLOBAL_KEY];
}
