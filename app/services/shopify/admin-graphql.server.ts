import { GraphqlQueryError, HttpRequestError, HttpResponseError } from "@shopify/shopify-api";
import { z } from "zod";
import { logger as appLogger, type Logger } from "~/lib/logger.server";
import { toStorableJson } from "~/lib/storable-text";

// What the library already does (read in node_modules: @shopify/shopify-app-remix 6.0.1,
// @shopify/shopify-api 15.0.0, @shopify/graphql-client 2.0.0), and so what this module must do:
// - `admin.graphql()` calls GraphqlClient.request with `retries: tries - 1`, i.e. 0 unless the
//   caller passes `tries`. We never pass it, so the library sends each call exactly once and all
//   retrying happens here. (When enabled, graphql-client's own retry covers only 429/503 and thrown
//   fetches, reads Retry-After as milliseconds and knows nothing of query cost; we keep it off.)
// - GraphQL errors (HTTP 200 with `errors`, THROTTLED included, even next to partial data) are
//   thrown as GraphqlQueryError whose `body` holds errors.graphQLErrors and extensions.cost.
// - Non-2xx answers are thrown as HttpResponseError (HttpThrottlingError for 429, HttpInternalError
//   for 5xx); no answer at all (dropped, refused, aborted) as HttpRequestError.
// - authenticate.admin's client rethrows every HttpResponseError as a `Response` carrying the
//   upstream status; on 401 it invalidates the token and throws the session-token bounce instead.
// - A client that does not throw (a hand-made one, the unit tests' fake) returns the raw Response
//   with `errors` in the body. Both shapes are handled below.

/** The part of the library's admin context we use; lets jobs pass an unauthenticated client too. */
export interface AdminGraphqlClient {
  graphql(query: string, options?: { variables?: Record<string, unknown>; signal?: AbortSignal }): Promise<Response>;
  /** The shop this client talks to, so costs are budgeted per shop and logs name it (see `adminForShop`). */
  readonly shop?: string;
}

/** Tags a library admin client with its shop: `adminForShop(session.shop, admin)`. */
export function adminForShop(shop: string, admin: AdminGraphqlClient): AdminGraphqlClient {
  return { shop, graphql: (query, options) => admin.graphql(query, options) };
}

export interface AdminQueryOptions {
  /** Overrides `admin.shop`. Without either, the cost budget is kept per client object. */
  shop?: string;
  /**
   * A mutation that may safely run twice (e.g. sets a value rather than appends one). Only then is
   * it resent after a dropped connection, a timeout or a 5xx, where Shopify may already have run it.
   */
  idempotent?: boolean;
  /** Overrides the runner's retry policy for this call, e.g. PAGE_LOAD_RETRY_POLICY. */
  retry?: Partial<RetryPolicy>;
  /**
   * Background work that must not slow a person down (the import's details pass): wait, without
   * queueing, until the shop's bucket still holds this many points after this call, so a page
   * load that needs Shopify right now finds them there.
   */
  leaveInBucket?: number;
}

export type AdminApiFailureReason =
  | "network" // no answer: connection dropped or refused, timeout
  | "http-status" // a non-2xx answer
  | "graphql-errors" // Shopify answered with `errors` (invalid query, access denied, …)
  | "throttled" // still THROTTLED after the allowed number of waits
  | "response-shape" // `data` did not match the caller's schema
  | "unexpected";

export interface GraphqlErrorSummary {
  message: string;
  code?: string;
  path?: (string | number)[];
}

export class AdminApiError extends Error {
  override readonly name = "AdminApiError";
  readonly shop: string | undefined;
  readonly operationName: string;
  /** Requests sent, throttled ones included. */
  readonly attempts: number;
  readonly reason: AdminApiFailureReason;
  readonly status: number | undefined;
  readonly graphqlErrors: readonly GraphqlErrorSummary[];

  constructor(details: {
    message: string;
    shop: string | undefined;
    operationName: string;
    attempts: number;
    reason: AdminApiFailureReason;
    status?: number;
    graphqlErrors?: readonly GraphqlErrorSummary[];
    cause?: unknown;
  }) {
    super(details.message, { cause: details.cause });
    this.shop = details.shop;
    this.operationName = details.operationName;
    this.attempts = details.attempts;
    this.reason = details.reason;
    this.status = details.status;
    this.graphqlErrors = details.graphqlErrors ?? [];
  }
}

/**
 * Shopify did not answer usefully for now (no answer, 5xx, still throttled): worth showing what we
 * hold and offering a retry. Anything else (invalid query, access denied, a changed shape) will not
 * get better by retrying and stays an error.
 */
export function isShopifyUnavailable(error: unknown): error is AdminApiError {
  if (!(error instanceof AdminApiError)) return false;
  if (error.reason === "network" || error.reason === "throttled") return true;
  return error.reason === "http-status" && (error.status === undefined || error.status === 429 || error.status >= 500);
}

// ---- Injectable time --------------------------------------------------------------------------

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

// ---- Query cost budget ------------------------------------------------------------------------

const ThrottleStatusSchema = z.object({
  maximumAvailable: z.number(),
  currentlyAvailable: z.number(),
  restoreRate: z.number().positive(),
});

const QueryCostSchema = z.object({
  requestedQueryCost: z.number(),
  actualQueryCost: z.number().nullish(),
  throttleStatus: ThrottleStatusSchema,
});

export type QueryCost = z.infer<typeof QueryCostSchema>;

/** Expected cost of a document we have not seen answered yet: above most single queries we send. */
export const DEFAULT_EXPECTED_QUERY_COST = 100;
// Documents are source constants, so this only bounds a caller that builds documents dynamically.
const MAX_REMEMBERED_DOCUMENTS = 1000;

interface BucketEstimate {
  available: number; // may go below 0: points reserved by calls still waiting to be sent
  maximum: number;
  restoreRate: number; // points per second
  at: number;
}

export interface BudgetReservation {
  waitMs: number;
  expectedCost: number;
  estimatedAvailable: number | undefined;
}

/**
 * Shopify's leaky bucket as we last saw it, per shop, plus the last requested cost per document.
 * Sending a query reserves its expected cost, so concurrent calls for one shop queue up behind
 * each other instead of all firing on the same estimate.
 */
export class QueryCostTracker {
  private readonly shopBuckets = new Map<string, BucketEstimate>();
  // Clients without a known shop are budgeted on their own, never mixed with another shop's bucket.
  private readonly clientBuckets = new WeakMap<object, BucketEstimate>();
  private readonly requestedCostByDocument = new Map<string, number>();

  expectedCost(document: string): number {
    return this.requestedCostByDocument.get(document) ?? DEFAULT_EXPECTED_QUERY_COST;
  }

  /** How long to wait before sending `document`; counts its expected cost as spent from then on. */
  reserve(key: string | object, document: string, now: number): BudgetReservation {
    const bucket = this.bucket(key);
    const expectedCost = this.expectedCost(document);
    // Never seen this shop: nothing to go on; a THROTTLED answer will tell us.
    if (!bucket) return { waitMs: 0, expectedCost, estimatedAvailable: undefined };
    const estimatedAvailable = this.estimate(bucket, now);
    const needed = Math.min(expectedCost, bucket.maximum);
    const waitMs =
      needed > estimatedAvailable ? Math.ceil(((needed - estimatedAvailable) / bucket.restoreRate) * 1000) : 0;
    this.setBucket(key, { ...bucket, available: estimatedAvailable - needed, at: now });
    return { waitMs, expectedCost, estimatedAvailable };
  }

  /**
   * How long background work must wait before `document` leaves `leaveInBucket` points for others.
   * Reserves nothing: while it waits, calls a person is waiting on go first.
   */
  headroomWaitMs(key: string | object, document: string, leaveInBucket: number, now: number): number {
    const bucket = this.bucket(key);
    if (!bucket) return 0;
    const needed = Math.min(this.expectedCost(document) + leaveInBucket, bucket.maximum);
    const estimatedAvailable = this.estimate(bucket, now);
    return needed > estimatedAvailable ? Math.ceil(((needed - estimatedAvailable) / bucket.restoreRate) * 1000) : 0;
  }

  /** Shopify's own figures replace our estimate (reservations of calls in flight included). */
  observe(key: string | object, document: string, cost: QueryCost, now: number): void {
    const { maximumAvailable, currentlyAvailable, restoreRate } = cost.throttleStatus;
    this.setBucket(key, { available: currentlyAvailable, maximum: maximumAvailable, restoreRate, at: now });
    this.requestedCostByDocument.delete(document); // re-inserted last: the map drops its oldest entry
    this.requestedCostByDocument.set(document, cost.requestedQueryCost);
    if (this.requestedCostByDocument.size > MAX_REMEMBERED_DOCUMENTS) {
      const oldest = this.requestedCostByDocument.keys().next().value;
      if (oldest !== undefined) this.requestedCostByDocument.delete(oldest);
    }
  }

  private estimate(bucket: BucketEstimate, now: number): number {
    const restored = (Math.max(0, now - bucket.at) / 1000) * bucket.restoreRate;
    return Math.min(bucket.maximum, bucket.available + restored);
  }

  private bucket(key: string | object): BucketEstimate | undefined {
    return typeof key === "string" ? this.shopBuckets.get(key) : this.clientBuckets.get(key);
  }

  private setBucket(key: string | object, bucket: BucketEstimate): void {
    if (typeof key === "string") this.shopBuckets.set(key, bucket);
    else this.clientBuckets.set(key, bucket);
  }
}

// ---- Retry policy -----------------------------------------------------------------------------

export interface RetryPolicy {
  /** Requests that failed (5xx, 429, no answer) before giving up; THROTTLED answers don't count. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** THROTTLED answers tolerated for one call, so a bucket that never refills can't hang a job. */
  maxThrottledAttempts: number;
  /** Jitter added to a THROTTLED wait, so calls throttled together don't return together. */
  throttleJitterMs: number;
  /** A request with no answer after this long is aborted and counts as a network failure. */
  attemptTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxThrottledAttempts: 10,
  throttleJitterMs: 250,
  attemptTimeoutMs: 30_000,
};

/**
 * For a read a merchant is waiting on (a page load): one retry, short waits, a shorter timeout.
 * The page then shows what we hold instead of hanging on Shopify for minutes (Retry-After is
 * honoured up to maxDelayMs).
 */
export const PAGE_LOAD_RETRY_POLICY: Partial<RetryPolicy> = {
  maxAttempts: 2,
  maxDelayMs: 2_000,
  maxThrottledAttempts: 2,
  attemptTimeoutMs: 10_000,
};

/** Exponential backoff with full jitter; a Retry-After from Shopify is a floor. Capped at maxDelayMs. */
function backoffDelayMs(failures: number, policy: RetryPolicy, random: () => number, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - 1));
  return Math.min(policy.maxDelayMs, Math.max(random() * ceiling, retryAfterMs ?? 0));
}

/** Time until the bucket holds what the throttled query asked for. */
function throttleDelayMs(cost: QueryCost | undefined, policy: RetryPolicy, random: () => number): number {
  const jitter = random() * policy.throttleJitterMs;
  // Shopify always sends the cost with THROTTLED; should it not, wait one base delay.
  if (!cost) return policy.baseDelayMs + jitter;
  const missing = Math.max(0, cost.requestedQueryCost - cost.throttleStatus.currentlyAvailable);
  return Math.ceil((missing / cost.throttleStatus.restoreRate) * 1000 + jitter);
}

// ---- One request, classified ------------------------------------------------------------------

type AttemptOutcome =
  | { kind: "data"; data: unknown; cost?: QueryCost }
  | { kind: "throttled"; cost?: QueryCost }
  | { kind: "graphql-errors"; errors: GraphqlErrorSummary[]; cost?: QueryCost }
  | { kind: "http-status"; status: number; retryAfterMs?: number }
  | { kind: "network"; cause: unknown }
  // The library's own answer to the incoming request (401 bounce, re-auth redirect): Remix must get it.
  | { kind: "library-response"; response: Response }
  | { kind: "unexpected"; cause: unknown };

const GraphqlErrorSchema = z.object({
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
  extensions: z.object({ code: z.string().optional() }).optional(),
});

const GraphqlBodySchema = z.object({
  data: z.unknown().optional(),
  errors: z.unknown().optional(),
  extensions: z.unknown().optional(),
});

/** GraphqlQueryError.body: the library's parsed answer, Shopify's `errors` moved to graphQLErrors. */
const LibraryErrorBodySchema = z.object({
  data: z.unknown().optional(),
  errors: z.object({ graphQLErrors: z.unknown().optional() }).optional(),
  extensions: z.unknown().optional(),
});

function summarizeGraphqlErrors(errors: unknown): GraphqlErrorSummary[] {
  // Shopify answers a malformed request with `errors` as a string or an object, not a list.
  const list: unknown[] = Array.isArray(errors) ? errors : [errors];
  return list.map((error) => {
    const parsed = GraphqlErrorSchema.safeParse(error);
    if (!parsed.success) return { message: typeof error === "string" ? error : JSON.stringify(error) };
    const { message, path, extensions } = parsed.data;
    return { message, ...(extensions?.code ? { code: extensions.code } : {}), ...(path ? { path } : {}) };
  });
}

function costFrom(extensions: unknown): QueryCost | undefined {
  const parsed = z.object({ cost: QueryCostSchema }).safeParse(extensions);
  return parsed.success ? parsed.data.cost : undefined;
}

function outcomeOfGraphqlBody(errors: unknown, data: unknown, extensions: unknown): AttemptOutcome {
  const cost = costFrom(extensions);
  const hasErrors = errors !== undefined && errors !== null && !(Array.isArray(errors) && errors.length === 0);
  if (!hasErrors) return { kind: "data", data, cost };
  const summaries = summarizeGraphqlErrors(errors);
  if (summaries.some((error) => error.code === "THROTTLED")) return { kind: "throttled", cost };
  // Partial data next to errors is still a failure, as the library treats it.
  return { kind: "graphql-errors", errors: summaries, cost };
}

function retryAfterMs(value: unknown): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text === "number") return text * 1000;
  if (typeof text !== "string" || !text.trim()) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function headerValue(headers: Record<string, unknown> | undefined, name: string): unknown {
  const key = Object.keys(headers ?? {}).find((candidate) => candidate.toLowerCase() === name);
  return key ? headers?.[key] : undefined;
}

const NETWORK_ERROR_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** fetch() rejects with TypeError("fetch failed") and the socket error as cause; aborts by name. */
function isNetworkError(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current.name === "AbortError" || current.name === "TimeoutError") return true;
    if (current instanceof TypeError && /fetch failed|terminated/i.test(current.message)) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_ERROR_CODES.has(code)) return true;
  }
  return false;
}

function outcomeOfThrown(error: unknown): AttemptOutcome {
  if (error instanceof GraphqlQueryError) {
    const body = LibraryErrorBodySchema.safeParse(error.body ?? {});
    if (!body.success) return { kind: "unexpected", cause: error };
    return outcomeOfGraphqlBody(body.data.errors?.graphQLErrors ?? error.message, body.data.data, body.data.extensions);
  }
  if (error instanceof HttpResponseError) {
    const { code, headers } = error.response;
    const libraryRetryAfter = (error.response as { retryAfter?: number }).retryAfter; // HttpThrottlingError, seconds
    return {
      kind: "http-status",
      status: code,
      retryAfterMs: retryAfterMs(libraryRetryAfter ?? headerValue(headers, "retry-after")),
    };
  }
  if (error instanceof HttpRequestError || isNetworkError(error)) return { kind: "network", cause: error };
  if (error instanceof Response) {
    if (error.status === 401 || (error.status >= 300 && error.status < 400))
      return { kind: "library-response", response: error };
    return { kind: "http-status", status: error.status, retryAfterMs: retryAfterMs(error.headers.get("retry-after")) };
  }
  return { kind: "unexpected", cause: error };
}

async function outcomeOfResponse(response: Response): Promise<AttemptOutcome> {
  if (!response.ok) {
    return {
      kind: "http-status",
      status: response.status,
      retryAfterMs: retryAfterMs(response.headers.get("retry-after")),
    };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    // A body cut off mid-stream is a dropped connection; anything else is not worth resending.
    return isNetworkError(error) ? { kind: "network", cause: error } : { kind: "unexpected", cause: error };
  }
  const parsed = GraphqlBodySchema.safeParse(body);
  if (!parsed.success) return { kind: "unexpected", cause: new Error("Admin API answered with a non-object body") };
  return outcomeOfGraphqlBody(parsed.data.errors, parsed.data.data, parsed.data.extensions);
}

async function sendOnce(
  admin: AdminGraphqlClient,
  document: string,
  variables: Record<string, unknown> | undefined,
  timeoutMs: number,
): Promise<AttemptOutcome> {
  let response: Response;
  try {
    response = await admin.graphql(document, {
      ...(variables ? { variables } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return outcomeOfThrown(error);
  }
  return outcomeOfResponse(response);
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

// ---- Documents and privacy --------------------------------------------------------------------

export interface OperationInfo {
  type: "query" | "mutation" | "subscription";
  name: string;
}

/** The first operation's type and name, without a GraphQL parser in the production bundle. */
export function describeOperation(document: string): OperationInfo {
  const source = document.replace(/#[^\n]*/g, " "); // comments, and the #graphql tag
  if (/^\s*\{/.test(source)) return { type: "query", name: "anonymous" };
  // At the start, or after the closing brace of a fragment defined first.
  const match = /(?:^|\})\s*(query|mutation|subscription)\b\s*([_A-Za-z][_0-9A-Za-z]*)?/.exec(source);
  if (!match) return { type: "query", name: "anonymous" };
  return { type: match[1] as OperationInfo["type"], name: match[2] ?? "anonymous" };
}

function stringLeaves(value: unknown, into: string[] = []): string[] {
  if (typeof value === "string") into.push(value);
  else if (typeof value === "number") into.push(String(value));
  else if (Array.isArray(value)) for (const item of value) stringLeaves(item, into);
  else if (value && typeof value === "object") for (const item of Object.values(value)) stringLeaves(item, into);
  return into;
}

/** Shopify's error messages may quote a variable's value (an email, a name): keep those out of logs. */
function withoutVariableValues(text: string, variables: Record<string, unknown> | undefined): string {
  const values = stringLeaves(variables)
    .filter((value) => value.length >= 3)
    .sort((a, b) => b.length - a.length);
  return values.reduce((scrubbed, value) => scrubbed.split(value).join("[variable]"), text);
}

// ---- The runner -------------------------------------------------------------------------------

export interface AdminQueryRunnerDeps {
  clock: Clock;
  random: () => number;
  logger: Logger;
  costs: QueryCostTracker;
  retry: RetryPolicy;
}

export type RunAdminQuery = <T extends z.ZodType>(
  admin: AdminGraphqlClient,
  document: string,
  resultSchema: T,
  variables?: Record<string, unknown>,
  options?: AdminQueryOptions,
) => Promise<z.infer<T>>;

/** A runner with its own cost budget and, for tests, its own clock, randomness and logger. */
export function createAdminQueryRunner(
  overrides: Partial<Omit<AdminQueryRunnerDeps, "retry">> & { retry?: Partial<RetryPolicy> } = {},
): RunAdminQuery {
  const { clock, random, logger, costs } = {
    clock: systemClock,
    random: Math.random,
    logger: appLogger,
    costs: new QueryCostTracker(),
    ...overrides,
  };
  const runnerPolicy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...overrides.retry };

  return async function runAdminQuery(admin, document, resultSchema, variables, options = {}) {
    const policy: RetryPolicy = { ...runnerPolicy, ...options.retry };
    const operation = describeOperation(document);
    const shop = options.shop ?? admin.shop;
    const budgetKey = shop ?? admin;
    const log = logger.child({ component: "admin-api", shop: shop ?? "unknown", operation: operation.name });
    // Names only: values may be personal data (emails, addresses, notes).
    const variableNames = Object.keys(variables ?? {});
    const startedAt = clock.now();
    let attempts = 0;
    let failures = 0;
    let throttledAttempts = 0;

    const giveUp = (
      reason: AdminApiFailureReason,
      problem: string,
      extra: { status?: number; graphqlErrors?: GraphqlErrorSummary[]; cause?: unknown } = {},
    ): AdminApiError => {
      const graphqlErrors = extra.graphqlErrors?.map((error) => ({
        ...error,
        message: withoutVariableValues(error.message, variables),
      }));
      const error = new AdminApiError({
        message: `Admin API ${operation.type} ${operation.name} for ${shop ?? "unknown shop"} failed after ${attempts} attempt(s): ${withoutVariableValues(problem, variables)}`,
        shop,
        operationName: operation.name,
        attempts,
        reason,
        ...extra,
        graphqlErrors,
      });
      log.error("Admin API call failed", {
        reason,
        status: extra.status,
        errors: graphqlErrors,
        cause: extra.cause instanceof Error ? `${extra.cause.name}: ${extra.cause.message}` : undefined,
        attempts,
        durationMs: clock.now() - startedAt,
        variables: variableNames,
      });
      return error;
    };

    for (;;) {
      if (options.leaveInBucket) {
        for (
          let waitMs = costs.headroomWaitMs(budgetKey, document, options.leaveInBucket, clock.now());
          waitMs > 0;
          waitMs = costs.headroomWaitMs(budgetKey, document, options.leaveInBucket, clock.now())
        ) {
          await clock.sleep(waitMs);
        }
      }
      const reservation = costs.reserve(budgetKey, document, clock.now());
      if (reservation.waitMs > 0) {
        log.warn("Waiting for query cost budget", {
          waitMs: reservation.waitMs,
          expectedCost: reservation.expectedCost,
          available: reservation.estimatedAvailable,
        });
        await clock.sleep(reservation.waitMs);
      }

      attempts += 1;
      const outcome = await sendOnce(admin, document, variables, policy.attemptTimeoutMs);
      if ("cost" in outcome && outcome.cost) costs.observe(budgetKey, document, outcome.cost, clock.now());

      switch (outcome.kind) {
        case "data": {
          // Whatever Shopify answers may be stored: text PostgreSQL cannot hold (a NUL in a note)
          // is made storable here, once, for every caller (app/lib/storable-text).
          const parsed = resultSchema.safeParse(toStorableJson(outcome.data));
          if (!parsed.success) {
            throw giveUp("response-shape", "data did not match the expected shape", { cause: parsed.error });
          }
          log.debug("Admin API call", {
            requestedCost: outcome.cost?.requestedQueryCost,
            actualCost: outcome.cost?.actualQueryCost,
            available: outcome.cost?.throttleStatus.currentlyAvailable,
            durationMs: clock.now() - startedAt,
            attempts,
            variables: variableNames,
          });
          return parsed.data;
        }

        case "throttled": {
          // Shopify refused before running anything, so even a mutation is safe to send again.
          throttledAttempts += 1;
          if (throttledAttempts > policy.maxThrottledAttempts) {
            throw giveUp("throttled", `still throttled after ${throttledAttempts} waits`);
          }
          const waitMs = throttleDelayMs(outcome.cost, policy, random);
          log.warn("Throttled by Shopify; waiting for the bucket to refill", {
            waitMs,
            requestedCost: outcome.cost?.requestedQueryCost,
            available: outcome.cost?.throttleStatus.currentlyAvailable,
            restoreRate: outcome.cost?.throttleStatus.restoreRate,
          });
          await clock.sleep(waitMs);
          continue;
        }

        case "graphql-errors":
          // Includes invalid documents and access errors: resending changes nothing. userErrors of
          // mutations are `data`, left to the caller's schema, and never resent either.
          throw giveUp("graphql-errors", outcome.errors.map((error) => error.message).join("; "), {
            graphqlErrors: outcome.errors,
          });

        case "library-response":
          log.debug("Admin API call answered by the library's auth flow", { status: outcome.response.status });
          throw outcome.response;

        case "unexpected":
          throw giveUp("unexpected", "unexpected failure", { cause: outcome.cause });

        case "http-status":
        case "network": {
          const status = outcome.kind === "http-status" ? outcome.status : undefined;
          const failure = {
            status,
            cause: outcome.kind === "network" ? outcome.cause : undefined,
          };
          const problem =
            status === undefined ? "no answer (connection dropped, refused or timed out)" : `HTTP ${status}`;
          if (status !== undefined && !isRetryableStatus(status)) throw giveUp("http-status", problem, failure);
          const reason = status === undefined ? "network" : "http-status";
          // A 429 is refused before anything runs. A 5xx or a lost connection may come after
          // Shopify ran the mutation, so only an idempotent one is sent again.
          const mayHaveRun = status !== 429;
          if (operation.type === "mutation" && mayHaveRun && !options.idempotent) {
            throw giveUp(reason, `${problem}; not resent: the mutation may have run and is not idempotent`, failure);
          }
          failures += 1;
          if (failures >= policy.maxAttempts) throw giveUp(reason, problem, failure);
          const waitMs = backoffDelayMs(
            failures,
            policy,
            random,
            outcome.kind === "http-status" ? outcome.retryAfterMs : undefined,
          );
          log.warn("Admin API call failed; retrying", {
            problem,
            status,
            cause: failure.cause instanceof Error ? `${failure.cause.name}: ${failure.cause.message}` : undefined,
            attempt: attempts,
            waitMs,
          });
          await clock.sleep(waitMs);
          continue;
        }
      }
    }
  };
}

/**
 * Runs one document and parses `data` with its zod schema, so a schema drift on Shopify's side
 * fails loudly here instead of as an undefined deep inside a page. Budgets query cost per shop and
 * retries what is safe to retry; throws AdminApiError otherwise.
 */
export const runAdminQuery: RunAdminQuery = createAdminQueryRunner();
