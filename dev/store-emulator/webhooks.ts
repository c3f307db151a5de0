// Webhook delivery as Shopify does it: one POST per subscription, signed with the app secret; on a
// non-2xx answer or a timeout the same delivery (same webhook id, same event id) is retried.
// Every delivery is logged with the status of each attempt.
import { randomUUID } from "node:crypto";
import { webhookHeaders } from "./signing.ts";

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface DeliveryLogEntry {
  /** Index in the log, usable with replay. */
  id: number;
  shop: string;
  topic: string;
  url: string;
  webhookId: string;
  eventId: string;
  triggeredAt: string;
  apiVersion: string;
  body: string;
  state: "pending" | "delivered" | "failed";
  attempts: DeliveryAttempt[];
  /** Set when this entry re-sends an earlier one. */
  replayOf: number | null;
}

export interface DeliveryOptions {
  eventId?: string;
  webhookId?: string;
  triggeredAt?: string;
  replayOf?: number;
}

export interface WebhookDispatcherOptions {
  apiSecret: string;
  apiVersion: string;
  /** Retries after the first attempt (default 3). */
  retries: number;
  /** Delay before retry n is n × retryDelayMs (default 50 ms: quick, tests should not wait). */
  retryDelayMs: number;
  timeoutMs: number;
  log: (line: string) => void;
}

export class WebhookDispatcher {
  readonly deliveries: DeliveryLogEntry[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private held: { id: number; start: () => void }[] | null = null;

  constructor(private readonly options: WebhookDispatcherOptions) {}

  /** Queues one delivery per URL; all share the event id (one event, several subscriptions). */
  deliver(
    shop: string,
    topic: string,
    urls: string[],
    payload: unknown,
    options: DeliveryOptions = {},
  ): DeliveryLogEntry[] {
    const body = typeof payload === "string" ? payload : JSON.stringify(payload);
    const eventId = options.eventId ?? randomUUID();
    const triggeredAt = options.triggeredAt ?? new Date().toISOString();
    return urls.map((url) => {
      const entry: DeliveryLogEntry = {
        id: this.deliveries.length,
        shop,
        topic,
        url,
        webhookId: options.webhookId ?? randomUUID(),
        eventId,
        triggeredAt,
        apiVersion: this.options.apiVersion,
        body,
        state: "pending",
        attempts: [],
        replayOf: options.replayOf ?? null,
      };
      this.deliveries.push(entry);
      this.track(this.run(entry));
      return entry;
    });
  }

  /** Sends a logged delivery again; same ids unless told otherwise (a duplicate, as Shopify may send). */
  replay(id: number, overrides: DeliveryOptions = {}): DeliveryLogEntry {
    const original = this.deliveries[id];
    if (!original) throw new Error(`No delivery #${id}`);
    return this.deliver(original.shop, original.topic, [original.url], original.body, {
      eventId: overrides.eventId ?? original.eventId,
      webhookId: overrides.webhookId ?? original.webhookId,
      triggeredAt: overrides.triggeredAt ?? original.triggeredAt,
      replayOf: id,
    })[0]!;
  }

  /**
   * Holds new deliveries until release(); release({ reverse: true }) sends them newest first, and
   * release({ ids }) sends only those held deliveries, in that order, and keeps holding the rest.
   */
  hold(): void {
    this.held ??= [];
  }

  release(options: { reverse?: boolean; ids?: readonly number[] } = {}): number {
    const held = this.held ?? [];
    if (options.ids) {
      const chosen = options.ids.flatMap((id) => held.filter((entry) => entry.id === id));
      this.held = held.filter((entry) => !chosen.includes(entry));
      for (const entry of chosen) entry.start();
      return chosen.length;
    }
    this.held = null;
    for (const entry of options.reverse ? [...held].reverse() : held) entry.start();
    return held.length;
  }

  /** Resolves when every queued delivery (including retries) has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track(promise: Promise<void>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async run(entry: DeliveryLogEntry): Promise<void> {
    if (this.held) await new Promise<void>((resolve) => this.held!.push({ id: entry.id, start: resolve }));
    const headers = webhookHeaders(
      {
        topic: entry.topic,
        shop: entry.shop,
        body: entry.body,
        apiVersion: entry.apiVersion,
        webhookId: entry.webhookId,
        eventId: entry.eventId,
        triggeredAt: entry.triggeredAt,
      },
      this.options.apiSecret,
    );
    for (let attempt = 0; attempt <= this.options.retries; attempt++) {
      if (attempt > 0) await delay(this.options.retryDelayMs * attempt);
      const started = Date.now();
      const record: DeliveryAttempt = { at: new Date(started).toISOString(), status: null, error: null, durationMs: 0 };
      try {
        const response = await fetch(entry.url, {
          method: "POST",
          headers,
          body: entry.body,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        record.status = response.status;
      } catch (error) {
        record.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      record.durationMs = Date.now() - started;
      entry.attempts.push(record);
      this.options.log(
        `[webhook] ${entry.topic} ${entry.shop} → ${entry.url} #${attempt + 1}: ${record.status ?? record.error}`,
      );
      if (record.status !== null && record.status >= 200 && record.status < 300) {
        entry.state = "delivered";
        return;
      }
    }
    entry.state = "failed";
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
