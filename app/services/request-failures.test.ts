import { describe, expect, it } from "vitest";
import { mintSessionToken } from "../../dev/store-emulator/signing.ts";
import type { Logger } from "~/lib/logger.server";
import { AdminApiError } from "~/services/shopify/admin-graphql.server";
import { logRequestFailure, newReference, referenceForServerError, referenceOf } from "./request-failures.server";

const SHOP = "maple-goods-eu.myshopify.com";
const app = { apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! };

function recordingLogger() {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const write =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      lines.push({ level, message, fields });
  const log: Logger = {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: () => log,
  };
  return { log, lines };
}

describe("logRequestFailure", () => {
  it("logs the shop of the signed session token, the path without its query, and a reference", () => {
    const token = mintSessionToken({ shop: SHOP, ...app });
    const request = new Request(`http://app.test/app/customers?id_token=${token}&hmac=abc`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { log, lines } = recordingLogger();
    const reference = logRequestFailure(request, new Error("boom"), log);

    expect(reference).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(referenceOf(request)).toBe(reference);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "error",
      message: "request failed",
      fields: { reference, shop: SHOP, method: "GET", path: "/app/customers" },
    });
    expect(JSON.stringify(lines[0]!.fields)).not.toContain(token);
  });

  it("names no shop for an unsigned claim, but takes the shop an Admin API failure names", () => {
    const forged = mintSessionToken({ shop: SHOP, apiKey: app.apiKey, apiSecret: "not-ours" });
    const { log, lines } = recordingLogger();
    logRequestFailure(new Request(`http://app.test/app?shop=${SHOP}&id_token=${forged}`), new Error("boom"), log);
    const failure = new AdminApiError({
      message: "Admin API query ShopDetails failed",
      shop: "north-trail.myshopify.com",
      operationName: "ShopDetails",
      attempts: 2,
      reason: "http-status",
      status: 503,
    });
    logRequestFailure(new Request("http://app.test/app"), failure, log);
    expect(lines.map((line) => line.fields.shop)).toEqual([undefined, "north-trail.myshopify.com"]);
  });

  it("logs an exception reported twice for one request once, under one reference", () => {
    const request = new Request("http://app.test/app");
    const error = new Error("render failed");
    const { log, lines } = recordingLogger();
    const first = logRequestFailure(request, error, log);
    expect(logRequestFailure(request, error, log)).toBe(first);
    expect(referenceForServerError(request, 500, log)).toBe(first);
    expect(lines).toHaveLength(1);
  });
});

describe("referenceForServerError", () => {
  it("gives a 5xx answer no exception explained a reference and a log line; nothing for other answers", () => {
    const { log, lines } = recordingLogger();
    expect(referenceForServerError(new Request("http://app.test/app"), 404, log)).toBeUndefined();
    const reference = referenceForServerError(new Request("http://app.test/app/customers"), 500, log);
    expect(reference).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(lines).toEqual([
      {
        level: "error",
        message: "request answered with a server error",
        fields: { reference, shop: undefined, method: "GET", path: "/app/customers", status: 500 },
      },
    ]);
  });

  it("makes references people can read out: no 0, O, 1 or I, and no repeats", () => {
    const references = Array.from({ length: 2000 }, newReference);
    expect(references.join("")).not.toMatch(/[01OI]/);
    expect(new Set(references).size).toBe(references.length);
  });
});
