// DEV/TEST ONLY. A stateful fake Shopify on 127.0.0.1: token exchange, Admin GraphQL over the real
// 2026-07 schema (with cost and throttling), bulk operations, signed webhooks to the app, and a
// control API (/_emulator/…) to drive the merchant side. The shop is taken from the Host header,
// which dev/intercept.mjs leaves as https://<shop>.myshopify.com had it.
import { createReadStream } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { BulkOperations } from "./bulk.ts";
import {
  CommandSchema,
  describeZodError,
  ManualDeliverySchema,
  ReplaySchema,
  SessionTokenRequestSchema,
  type Command,
} from "./control.ts";
import { LeakyBucket } from "./cost.ts";
import { staffOf } from "./staff.ts";
import { executeAdminGraphQL } from "./graphql.ts";
import {
  gid,
  type CustomerRecord,
  type FulfillmentEventRecord,
  type FulfillmentRecord,
  type OrderRecord,
  type RefundRecord,
  type ReturnRecord,
  type ShopRecord,
} from "./model.ts";
import { TokenStore, type TokenSnapshot } from "./oauth.ts";
import { complianceCustomerPayload, complianceShopPayload, shopPayload } from "./payloads.ts";
import type { AdminContext, BulkOperationView } from "./resolvers.ts";
import { ADMIN_API_VERSION } from "./schema.ts";
import { seedWorld, type SeedOptions } from "./seed.ts";
import { setAppEmbed, setThemeFile, type ThemeRecord } from "./themes.ts";
import { adminHostParam, mintSessionToken } from "./signing.ts";
import { WebhookDispatcher, type DeliveryLogEntry, type DeliveryOptions } from "./webhooks.ts";
import {
  CommandError,
  World,
  type CancelInput,
  type CustomerNotification,
  type CreateCustomerInput,
  type CreateOrderInput,
  type CreateReturnInput,
  type CustomerChanges,
  type FulfillInput,
  type FulfillmentEventInput,
  type RefundInput,
  type ShopSnapshot,
  type ShopState,
  type WebhookSubscriptionRecord,
} from "./world.ts";

export type { SeedOptions, SeedShop } from "./seed.ts";
export { DEFAULT_SEED_SHOPS, SEED_ORDER_KINDS, describeOrderState } from "./seed.ts";
export type { DeliveryLogEntry } from "./webhooks.ts";
export type * from "./model.ts";
export { CommandError, UserInputError, type CustomerNotification } from "./world.ts";

/** Everything a restarted emulator needs to be the same Shopify (see snapshot()). JSON-safe. */
export interface EmulatorSnapshot {
  version: typeof SNAPSHOT_VERSION;
  lastId: number;
  nextSubscriptionId: number;
  shops: ShopSnapshot[];
  tokens: TokenSnapshot;
}
const SNAPSHOT_VERSION = 1;

export type FailureKind = "502" | "503" | "429" | "drop";
export type ComplianceTopic = "customers/data_request" | "customers/redact" | "shop/redact";

export interface StoreEmulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  app: { apiKey: string; apiSecret: string; url: string; scopes?: string };
  /** App-specific subscriptions as in shopify.app.toml; `uri` is relative to app.url (or absolute). */
  webhooks?: { topic: string; uri: string }[];
  /** Default: the three-shop seed. `false`: no shops at all. */
  seed?: SeedOptions | false;
  /** Retries after a failed webhook delivery (default 3). */
  webhookRetries?: number;
  /** Delay unit between webhook retries in ms (default 50). */
  webhookRetryDelayMs?: number;
  /** Per-attempt webhook timeout in ms (default 5000). */
  webhookTimeoutMs?: number;
  /** Delay before a bulk operation moves on (CREATED→RUNNING, RUNNING→COMPLETED), default 20 ms. */
  bulkStepDelayMs?: number;
  /** Shops that count as installed from the start (no token exchange needed for webhooks). */
  installedShops?: string[];
  /**
   * A previous emulator's snapshot(): its stores, installs, subscriptions and issued tokens, instead of
   * the seed (in-flight bulk operations, the delivery and request logs are not kept).
   */
  snapshot?: EmulatorSnapshot;
  log?: (line: string) => void;
}

export interface ShopSummary {
  domain: string;
  name: string;
  email: string;
  currencyCode: string;
  ianaTimezone: string;
  installed: boolean;
  orders: number;
  customers: number;
  /** The `host` query parameter Shopify Admin gives the embedded app for this shop. */
  host: string;
}

export interface ShopAccessor {
  readonly domain: string;
  readonly record: ShopRecord;
  readonly installed: boolean;
  orders(): OrderRecord[];
  order(reference: string | number): OrderRecord | undefined;
  customers(): CustomerRecord[];
  customer(reference: string | number): CustomerRecord | undefined;
  webhookSubscriptions(): WebhookSubscriptionRecord[];
  /** The raw state, for tests that need to bend the world directly. */
  readonly state: ShopState;
}

export interface RequestLogEntry {
  at: string;
  method: string;
  shop: string;
  path: string;
  status: number;
  operationName?: string;
}

export interface StoreEmulator {
  readonly url: string;
  readonly port: number;
  shops(): ShopSummary[];
  shop(domain: string): ShopAccessor;
  sessionToken(shop: string, userId?: string): string;
  /** Issues an offline access token without a token exchange (marks the app installed). */
  accessToken(shop: string, options?: { expiring?: boolean }): string;
  isInstalled(shop: string): boolean;
  /** The state to hand a restarted emulator as `snapshot` (plain JSON). */
  snapshot(): EmulatorSnapshot;

  fulfill(shop: string, input: FulfillInput): FulfillmentRecord;
  addFulfillmentEvent(shop: string, input: FulfillmentEventInput): FulfillmentEventRecord;
  cancel(shop: string, input: CancelInput): OrderRecord;
  refund(shop: string, input: RefundInput): RefundRecord;
  createOrder(shop: string, input?: CreateOrderInput): OrderRecord;
  createReturn(shop: string, input: CreateReturnInput): ReturnRecord;
  setCustomerNote(shop: string, customer: string | number, note: string | null): CustomerRecord;
  updateCustomer(shop: string, customer: string | number, changes: CustomerChanges): CustomerRecord;
  createCustomer(shop: string, input: CreateCustomerInput): CustomerRecord;
  deleteCustomer(shop: string, customer: string | number): CustomerRecord;
  renameShop(shop: string, name: string): ShopRecord;
  /** Shopdesk's portal app embed on or off in the shop's live theme (its config/settings_data.json). */
  setAppEmbed(shop: string, enabled: boolean): void;
  /** Replaces (null: deletes) a file of the shop's live theme, e.g. config/settings_data.json. */
  setThemeFile(shop: string, filename: string, content: string | null): void;
  uninstall(shop: string): void;
  sendCompliance(shop: string, topic: ComplianceTopic, options?: { customer?: string | number }): DeliveryLogEntry[];
  /** Runs a control-API command object (the same JSON the HTTP control API accepts). */
  run(command: Command): unknown;

  deliverWebhook(
    shop: string,
    topic: string,
    payload: unknown,
    options?: DeliveryOptions & { uri?: string },
  ): DeliveryLogEntry[];
  replayDelivery(id: number, overrides?: DeliveryOptions): DeliveryLogEntry;
  readonly deliveries: readonly DeliveryLogEntry[];
  /** Emails Shopify would have sent shoppers (mutations with notifyCustomer: true), oldest first. */
  readonly customerNotifications: readonly CustomerNotification[];
  waitForDeliveries(): Promise<void>;
  /**
   * Queue deliveries instead of sending them; releaseWebhooks({ reverse: true }) sends newest first,
   * releaseWebhooks({ ids }) only those deliveries (log ids), in that order, holding the rest.
   */
  holdWebhooks(): void;
  releaseWebhooks(options?: { reverse?: boolean; ids?: readonly number[] }): number;

  /** The next `count` requests for `shop` (GraphQL, token, bulk files) fail this way. */
  failNext(shop: string, count: number, kind: FailureKind): void;
  /** Shopify answers `shop` normally again: drops the failures failNext queued and not yet served. */
  clearFailures(shop: string): void;
  /** Sets the shop's available query cost points (0 = next query is throttled). */
  setThrottle(shop: string, available: number): void;
  expireAccessTokens(shop: string): void;
  waitForBulkOperations(): Promise<void>;
  readonly requests: readonly RequestLogEntry[];
  close(): Promise<void>;
}

const COMPLIANCE_TOPICS = new Set(["customers/data_request", "customers/redact", "shop/redact"]);
/** The scopes shopify.app.toml asks for: Admin GraphQL refuses what they don't cover (ACCESS_DENIED). */
const DEFAULT_SCOPES =
  "read_customers,write_customers,read_orders,write_orders,read_fulfillments,read_returns,write_returns,read_themes";
const MAX_BODY_BYTES = 10 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startStoreEmulator(options: StoreEmulatorOptions): Promise<StoreEmulator> {
  const log = options.log ?? (() => {});
  const app = {
    apiKey: options.app.apiKey,
    apiSecret: options.app.apiSecret,
    url: options.app.url.replace(/\/$/, ""),
    scopes: options.app.scopes ?? DEFAULT_SCOPES,
  };
  const appWebhooks = options.webhooks ?? [];
  const dispatcher = new WebhookDispatcher({
    apiSecret: app.apiSecret,
    apiVersion: ADMIN_API_VERSION,
    retries: options.webhookRetries ?? 3,
    retryDelayMs: options.webhookRetryDelayMs ?? 50,
    timeoutMs: options.webhookTimeoutMs ?? 5000,
    log,
  });
  const resolveUri = (uri: string) =>
    /^https?:\/\//.test(uri) ? uri : `${app.url}${uri.startsWith("/") ? "" : "/"}${uri}`;

  const subscribedUrls = (state: ShopState, topic: string): string[] => {
    if (!state.installed) return [];
    const urls = appWebhooks
      .filter((subscription) => subscription.topic === topic)
      .map((subscription) => resolveUri(subscription.uri));
    for (const subscription of state.webhookSubscriptions.values()) {
      if (subscription.topic === topic && /^https?:\/\//.test(subscription.uri)) urls.push(subscription.uri);
    }
    return [...new Set(urls)];
  };

  const world = new World((event) => {
    const state = world.shops.get(event.shop);
    if (!state) return;
    const urls = subscribedUrls(state, event.topic);
    if (urls.length > 0) dispatcher.deliver(event.shop, event.topic, urls, event.payload);
  });
  const tokens = new TokenStore(
    app,
    (shop) => {
      const state = world.shops.get(shop);
      if (state) state.installed = true;
    },
    Date.now,
    (shop) => {
      const state = world.shops.get(shop);
      return state ? staffOf(state.record) : [];
    },
  );
  let nextSubscriptionId = 8_000_000_001;
  if (options.snapshot) {
    if (options.snapshot.version !== SNAPSHOT_VERSION) {
      throw new Error(
        `Emulator snapshot version ${String(options.snapshot.version)} is not ${SNAPSHOT_VERSION}: start without it`,
      );
    }
    for (const shop of options.snapshot.shops) world.restoreShop(shop);
    world.reserveIds(options.snapshot.lastId);
    tokens.restore(options.snapshot.tokens);
    nextSubscriptionId = options.snapshot.nextSubscriptionId;
  } else if (options.seed !== false) seedWorld(world, options.seed ?? {});
  for (const domain of options.installedShops ?? []) world.shop(domain).installed = true;

  const buckets = new Map<string, LeakyBucket>();
  const bucketFor = (shop: string) => {
    let bucket = buckets.get(shop);
    if (!bucket) buckets.set(shop, (bucket = new LeakyBucket()));
    return bucket;
  };
  const failures = new Map<string, { kind: FailureKind; remaining: number }[]>();
  const requests: RequestLogEntry[] = [];

  let baseUrl = "";
  const bulk = new BulkOperations({
    makeContext: (state) => adminContext(state),
    fileUrl: (shop, fileKey) => `https://${shop}/_emulator/bulk/${fileKey}.jsonl`,
    stepDelayMs: options.bulkStepDelayMs ?? 20,
    clock: () => new Date(),
    log,
    onFinished: (state, operation: BulkOperationView) => {
      const urls = subscribedUrls(state, "bulk_operations/finish");
      if (urls.length === 0) return;
      dispatcher.deliver(state.domain, "bulk_operations/finish", urls, {
        admin_graphql_api_id: gid("BulkOperation", operation.id),
        completed_at: operation.completedAt,
        created_at: operation.createdAt,
        error_code: operation.errorCode?.toLowerCase() ?? null,
        status: operation.status.toLowerCase(),
        type: "query",
      });
    },
  });

  function adminContext(state: ShopState): AdminContext {
    return {
      shop: state,
      world,
      scopes: app.scopes
        .split(",")
        .map((scope) => scope.trim())
        .filter(Boolean),
      apiVersion: ADMIN_API_VERSION,
      bulk,
      webhookTopics: {
        create(shop, topic, input) {
          if (!/^https?:\/\//.test(input.uri) && !/^(pubsub|arn):/.test(input.uri))
            throw new CommandError("Address is invalid");
          for (const existing of shop.webhookSubscriptions.values()) {
            if (existing.topic === topic && existing.uri === input.uri)
              throw new CommandError("Address for this topic has already been taken");
          }
          const now = world.timestampAfter();
          const record: WebhookSubscriptionRecord = {
            id: nextSubscriptionId++,
            topic,
            uri: input.uri,
            format: input.format === "XML" ? "XML" : "JSON",
            filter: input.filter ?? null,
            includeFields: input.includeFields ?? [],
            createdAt: now,
            updatedAt: now,
          };
          shop.webhookSubscriptions.set(record.id, record);
          return record;
        },
        remove(shop, id) {
          return shop.webhookSubscriptions.delete(id);
        },
      },
    };
  }

  // ---- merchant-side commands -----------------------------------------------------------

  const uninstall = (shop: string) => {
    const state = world.shop(shop);
    const urls = state.installed ? subscribedUrls(state, "app/uninstalled") : [];
    tokens.revokeShop(shop);
    state.installed = false;
    state.webhookSubscriptions.clear();
    if (urls.length > 0) dispatcher.deliver(shop, "app/uninstalled", urls, shopPayload(state));
  };

  const complianceUrl = (topic: string) => {
    const configured = appWebhooks.find((subscription) => subscription.topic === topic);
    return resolveUri(configured?.uri ?? `/webhooks/${topic}`);
  };

  let dataRequestId = 9_000_001;
  const sendCompliance = (shop: string, topic: ComplianceTopic, input: { customer?: string | number } = {}) => {
    const state = world.shop(shop);
    let payload: unknown;
    if (topic === "shop/redact") {
      payload = complianceShopPayload(state);
    } else {
      const customer =
        input.customer !== undefined ? state.findCustomer(input.customer) : state.customers.values().next().value;
      if (!customer) throw new CommandError(`Customer ${input.customer ?? "(any)"} not found on ${shop}`, 404);
      payload = complianceCustomerPayload(state, topic, customer, dataRequestId++);
    }
    return dispatcher.deliver(shop, topic, [complianceUrl(topic)], payload);
  };

  const failNext = (shop: string, count: number, kind: FailureKind) => {
    failures.set(shop, [...(failures.get(shop) ?? []), { kind, remaining: count }]);
  };

  const run = (command: Command): unknown => {
    switch (command.command) {
      case "fulfill":
        return withGid("Fulfillment", world.fulfill(command.shop, command));
      case "addFulfillmentEvent":
        return withGid("FulfillmentEvent", world.addFulfillmentEvent(command.shop, command as FulfillmentEventInput));
      case "cancel":
        return orderSummary(world.cancel(command.shop, command as CancelInput));
      case "refund":
        return withGid("Refund", world.refund(command.shop, command));
      case "createOrder":
        return orderSummary(world.createOrder(command.shop, command as CreateOrderInput));
      case "createReturn":
        return withGid("Return", world.createReturn(command.shop, command));
      case "setCustomerNote":
        return withGid("Customer", world.setCustomerNote(command.shop, command.customer, command.note));
      case "updateCustomer": {
        const { shop, customer, command: _name, ...changes } = command;
        return withGid("Customer", world.updateCustomer(shop, customer, changes));
      }
      case "createCustomer": {
        const { shop, command: _name, ...input } = command;
        return withGid("Customer", world.createCustomer(shop, input));
      }
      case "deleteCustomer":
        return withGid("Customer", world.deleteCustomer(command.shop, command.customer));
      case "renameShop":
        return world.renameShop(command.shop, command.name);
      case "setAppEmbed":
        return themeSummary(setAppEmbed(world.shop(command.shop), command.enabled));
      case "setThemeFile":
        return themeSummary(setThemeFile(world.shop(command.shop), command.filename, command.content));
      case "uninstall":
        uninstall(command.shop);
        return { installed: false };
      case "sendCompliance":
        return sendCompliance(command.shop, command.topic, { customer: command.customer }).map(deliverySummary);
      case "failNext":
        world.shop(command.shop);
        failNext(command.shop, command.count, command.kind);
        return { shop: command.shop, count: command.count, kind: command.kind };
      case "setThrottle":
        world.shop(command.shop);
        bucketFor(command.shop).set(command.available);
        return bucketFor(command.shop).throttleStatus();
      case "issueAccessToken":
        world.shop(command.shop);
        return { accessToken: tokens.issueOffline(command.shop, command.expiring) };
      case "expireAccessTokens":
        tokens.expireAccessTokens(command.shop);
        return { expired: true };
      case "holdWebhooks":
        dispatcher.hold();
        return { holding: true };
      case "releaseWebhooks":
        return { released: dispatcher.release({ reverse: command.reverse, ids: command.ids }) };
    }
  };

  // ---- HTTP -----------------------------------------------------------------------------

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const status = error instanceof HttpError || error instanceof CommandError ? error.status : 500;
      if (status === 500)
        log(
          `[emulator] ${request.method} ${request.url} failed: ${error instanceof Error ? error.stack : String(error)}`,
        );
      if (!response.headersSent)
        sendJson(response, status, { error: error instanceof Error ? error.message : String(error) });
      else response.end();
    });
  });
  server.keepAliveTimeout = 5000;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://emulator.invalid");
    const host = (request.headers.host ?? "").split(":")[0]!.toLowerCase();
    const isShopHost = host.endsWith(".myshopify.com");
    const path = url.pathname;

    if (path.startsWith("/_emulator/") && !path.startsWith("/_emulator/bulk/"))
      return handleControl(request, response, url);
    if (!isShopHost)
      return sendJson(response, 404, { errors: "Not Found: send Shopify requests with Host: <shop>.myshopify.com" });

    const state = world.shops.get(host);
    if (!state) return sendJson(response, 404, { errors: "Not Found" });
    const logRequest = (status: number, operationName?: string) => {
      requests.push({
        at: new Date().toISOString(),
        method: request.method ?? "GET",
        shop: host,
        path,
        status,
        operationName,
      });
      if (requests.length > 2000) requests.splice(0, requests.length - 2000);
      log(
        `[emulator] ${request.method} https://${host}${path} → ${status}${operationName ? ` (${operationName})` : ""}`,
      );
    };

    if (injectFailure(host, request, response)) return logRequest(response.statusCode);

    if (request.method === "POST" && path === "/admin/oauth/access_token") {
      const body = await readBody(request);
      const answer = tokens.handle(host, body);
      sendJson(response, answer.status, answer.body);
      return logRequest(answer.status);
    }

    const graphqlPath = /^\/admin\/api\/(\d{4}-\d{2}|unstable)\/graphql\.json$/.exec(path);
    if (graphqlPath && request.method === "POST") {
      const token = request.headers["x-shopify-access-token"];
      if (!tokens.check(typeof token === "string" ? token : undefined, host)) {
        sendJson(response, 401, {
          errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
        });
        return logRequest(401);
      }
      const body = await readBody(request);
      const answer = await executeAdminGraphQL(body, adminContext(state), bucketFor(host));
      sendJson(response, answer.status, answer.body);
      return logRequest(
        answer.status,
        typeof body.operationName === "string" ? body.operationName : operationNameOf(body.query),
      );
    }

    const bulkFile = /^\/_emulator\/bulk\/([a-f0-9]+)\.jsonl$/.exec(path);
    if (bulkFile && request.method === "GET") {
      const file = bulk.file(host, bulkFile[1]!);
      if (!file) {
        sendJson(response, 404, { errors: "Not Found" });
        return logRequest(404);
      }
      response.writeHead(200, { "content-type": "application/jsonl", "content-length": String(file.size) });
      createReadStream(file.path).pipe(response);
      return logRequest(200);
    }

    sendJson(response, 404, { errors: "Not Found" });
    logRequest(404);
  }

  function injectFailure(shop: string, request: IncomingMessage, response: ServerResponse): boolean {
    const queue = failures.get(shop);
    const failure = queue?.[0];
    if (!failure) return false;
    if (--failure.remaining <= 0) queue!.shift();
    request.resume();
    switch (failure.kind) {
      case "drop":
        response.statusCode = 0;
        request.socket.destroy();
        return true;
      case "429":
        response.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
        response.end(
          JSON.stringify({
            errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.",
          }),
        );
        return true;
      default:
        response.writeHead(Number(failure.kind), {
          "content-type": "text/html",
          ...(failure.kind === "503" ? { "retry-after": "1" } : {}),
        });
        response.end(
          `<html><body><h1>${failure.kind === "502" ? "502 Bad Gateway" : "503 Service Unavailable"}</h1></body></html>`,
        );
        return true;
    }
  }

  async function handleControl(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.replace(/\/$/, "");
    const method = request.method ?? "GET";
    const parts = path.split("/").slice(2); // ["shops", "<domain>", ...]

    if (method === "GET" && path === "/_emulator/health")
      return sendJson(response, 200, { ok: true, url: baseUrl, apiVersion: ADMIN_API_VERSION });
    if (method === "GET" && path === "/_emulator/shops") return sendJson(response, 200, { shops: emulator.shops() });

    if (parts[0] === "shops" && parts[1]) {
      const domain = parts[1];
      const state = world.shop(domain);
      const rest = parts.slice(2);
      if (method === "GET" && rest.length === 0)
        return sendJson(response, 200, { shop: { ...summary(state), record: state.record } });
      if (method === "POST" && rest[0] === "session-token") {
        const input = parseWith(SessionTokenRequestSchema, await readBody(request));
        return sendJson(response, 200, {
          token: emulator.sessionToken(domain, input.userId),
          shop: domain,
          host: adminHostParam(domain),
        });
      }
      if (method === "GET" && rest[0] === "orders" && rest.length === 1) {
        const limit = Math.min(Number(url.searchParams.get("limit") ?? 50) || 50, 1000);
        const orders = [...state.orders.values()].slice(-limit).reverse();
        return sendJson(response, 200, { orders: orders.map(orderSummary) });
      }
      if (method === "GET" && rest[0] === "orders" && rest[1]) {
        const order = state.findOrder(decodeURIComponent(rest[1]));
        if (!order) throw new HttpError(404, `Order ${rest[1]} not found on ${domain}`);
        return sendJson(response, 200, { order: { ...order, gid: gid("Order", order.id) } });
      }
      if (method === "GET" && rest[0] === "customers" && rest.length === 1) {
        return sendJson(response, 200, {
          customers: [...state.customers.values()].map((customer) => withGid("Customer", customer)),
        });
      }
      if (method === "GET" && rest[0] === "customers" && rest[1]) {
        const customer = state.findCustomer(decodeURIComponent(rest[1]));
        if (!customer) throw new HttpError(404, `Customer ${rest[1]} not found on ${domain}`);
        return sendJson(response, 200, { customer: withGid("Customer", customer) });
      }
    }

    if (method === "POST" && path === "/_emulator/commands") {
      const command = parseWith(CommandSchema, await readBody(request));
      const result = run(command);
      return sendJson(response, 200, { ok: true, result });
    }

    if (path === "/_emulator/deliveries") {
      if (method === "GET") {
        const shop = url.searchParams.get("shop");
        const topic = url.searchParams.get("topic");
        const since = Number(url.searchParams.get("since") ?? 0);
        const entries = dispatcher.deliveries.filter(
          (entry) => entry.id >= since && (!shop || entry.shop === shop) && (!topic || entry.topic === topic),
        );
        return sendJson(response, 200, { deliveries: entries });
      }
      if (method === "POST") {
        const input = parseWith(ManualDeliverySchema, await readBody(request));
        const entries = emulator.deliverWebhook(input.shop, input.topic, input.payload, input);
        return sendJson(response, 200, { deliveries: entries.map(deliverySummary) });
      }
    }
    const replay = /^\/_emulator\/deliveries\/(\d+)\/replay$/.exec(path);
    if (method === "POST" && replay) {
      const overrides = parseWith(ReplaySchema, await readBody(request));
      if (!dispatcher.deliveries[Number(replay[1])]) throw new HttpError(404, `No delivery #${replay[1]}`);
      return sendJson(response, 200, { delivery: deliverySummary(dispatcher.replay(Number(replay[1]), overrides)) });
    }
    if (method === "POST" && path === "/_emulator/deliveries/wait") {
      await dispatcher.idle();
      return sendJson(response, 200, { ok: true, deliveries: dispatcher.deliveries.length });
    }
    if (method === "GET" && path === "/_emulator/requests") return sendJson(response, 200, { requests });

    throw new HttpError(404, `No control route ${method} ${path}`);
  }

  const summary = (state: ShopState): ShopSummary => ({
    domain: state.domain,
    name: state.record.name,
    email: state.record.email,
    currencyCode: state.record.currencyCode,
    ianaTimezone: state.record.ianaTimezone,
    installed: state.installed,
    orders: state.orders.size,
    customers: state.customers.size,
    host: adminHostParam(state.domain),
  });

  const emulator: StoreEmulator = {
    url: "",
    port: 0,
    shops: () => [...world.shops.values()].map(summary),
    shop(domain) {
      const state = world.shop(domain);
      return {
        domain,
        state,
        get record() {
          return state.record;
        },
        get installed() {
          return state.installed;
        },
        orders: () => [...state.orders.values()],
        order: (reference) => state.findOrder(reference),
        customers: () => [...state.customers.values()],
        customer: (reference) => state.findCustomer(reference),
        webhookSubscriptions: () => [...state.webhookSubscriptions.values()],
      };
    },
    sessionToken: (shop, userId) => {
      world.shop(shop);
      return mintSessionToken({ shop, apiKey: app.apiKey, apiSecret: app.apiSecret, userId, ttlSeconds: 60 });
    },
    accessToken: (shop, tokenOptions = {}) => {
      world.shop(shop);
      return tokens.issueOffline(shop, tokenOptions.expiring);
    },
    isInstalled: (shop) => world.shop(shop).installed,
    snapshot: () => ({
      version: SNAPSHOT_VERSION,
      lastId: world.lastIssuedId,
      nextSubscriptionId,
      shops: [...world.shops.values()].map((state) => state.toSnapshot()),
      tokens: tokens.toSnapshot(),
    }),
    fulfill: (shop, input) => world.fulfill(shop, input),
    addFulfillmentEvent: (shop, input) => world.addFulfillmentEvent(shop, input),
    cancel: (shop, input) => world.cancel(shop, input),
    refund: (shop, input) => world.refund(shop, input),
    createOrder: (shop, input = {}) => world.createOrder(shop, input),
    createReturn: (shop, input) => world.createReturn(shop, input),
    setCustomerNote: (shop, customer, note) => world.setCustomerNote(shop, customer, note),
    updateCustomer: (shop, customer, changes) => world.updateCustomer(shop, customer, changes),
    createCustomer: (shop, input) => world.createCustomer(shop, input),
    deleteCustomer: (shop, customer) => world.deleteCustomer(shop, customer),
    renameShop: (shop, name) => world.renameShop(shop, name),
    setAppEmbed: (shop, enabled) => void setAppEmbed(world.shop(shop), enabled),
    setThemeFile: (shop, filename, content) => void setThemeFile(world.shop(shop), filename, content),
    uninstall,
    sendCompliance,
    run,
    deliverWebhook(shop, topic, payload, deliveryOptions = {}) {
      const state = world.shop(shop);
      let urls: string[];
      if (deliveryOptions.uri) urls = [resolveUri(deliveryOptions.uri)];
      else if (COMPLIANCE_TOPICS.has(topic)) urls = [complianceUrl(topic)];
      else {
        // Manual sends ignore the install state (tests may want to hit an uninstalled shop).
        const wasInstalled = state.installed;
        state.installed = true;
        urls = subscribedUrls(state, topic);
        state.installed = wasInstalled;
        if (urls.length === 0) urls = [resolveUri("/webhooks")];
      }
      return dispatcher.deliver(shop, topic, urls, payload, deliveryOptions);
    },
    replayDelivery: (id, overrides) => dispatcher.replay(id, overrides),
    get deliveries() {
      return dispatcher.deliveries;
    },
    get customerNotifications() {
      return world.customerNotifications;
    },
    waitForDeliveries: () => dispatcher.idle(),
    holdWebhooks: () => dispatcher.hold(),
    releaseWebhooks: (releaseOptions) => dispatcher.release(releaseOptions),
    failNext,
    clearFailures: (shop) => void failures.delete(shop),
    setThrottle: (shop, available) => bucketFor(shop).set(available),
    expireAccessTokens: (shop) => tokens.expireAccessTokens(shop),
    waitForBulkOperations: () => bulk.idle(),
    requests,
    async close() {
      dispatcher.release();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      // A bulk operation still being written must not hold a shutdown (Ctrl-C in the demo mid-import).
      await Promise.race([bulk.idle(), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      bulk.dispose();
    },
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const displayHost = address.address.includes(":") ? `[${address.address}]` : address.address;
  baseUrl = `http://${displayHost}:${address.port}`;
  Object.assign(emulator, { url: baseUrl, port: address.port });
  log(`[emulator] listening on ${baseUrl} with ${world.shops.size} shops`);
  return emulator;
}

// ---- helpers ----------------------------------------------------------------------------------

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
  });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "Request body too large");
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks).toString("utf8");
  if (!raw.trim()) return {};
  const type = request.headers["content-type"] ?? "";
  if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(raw));
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // a form body sent without its content type is still accepted below
    if (raw.includes("=") && !raw.trimStart().startsWith("{")) return Object.fromEntries(new URLSearchParams(raw));
  }
  throw new HttpError(400, "Body must be a JSON object");
}

function parseWith<T>(
  schema: { safeParse(input: unknown): { success: true; data: T } | { success: false; error: import("zod").ZodError } },
  input: unknown,
): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new HttpError(400, describeZodError(result.error));
  return result.data;
}

function operationNameOf(query: unknown): string | undefined {
  return typeof query === "string" ? /\b(?:query|mutation)\s+(\w+)/.exec(query)?.[1] : undefined;
}

/** A theme as the control API answers: its id, name, role and file names (not their content). */
function themeSummary(theme: ThemeRecord) {
  const { files, ...rest } = theme;
  return { ...rest, gid: gid("OnlineStoreTheme", theme.id), files: [...files.keys()] };
}

function withGid<T extends { id: number }>(type: string, record: T): T & { gid: string } {
  return { ...record, gid: gid(type, record.id) };
}

function orderSummary(order: OrderRecord) {
  return {
    id: order.id,
    gid: gid("Order", order.id),
    name: order.name,
    email: order.email,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    cancelledAt: order.cancelledAt,
  };
}

function deliverySummary(entry: DeliveryLogEntry) {
  return {
    id: entry.id,
    shop: entry.shop,
    topic: entry.topic,
    url: entry.url,
    webhookId: entry.webhookId,
    eventId: entry.eventId,
    triggeredAt: entry.triggeredAt,
    state: entry.state,
  };
}
