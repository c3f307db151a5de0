import { describe, expect, it } from "vitest";
import { progressPercent, progressText, shouldPoll, syncStatusBadge } from "./sync-progress";

const ORDERS = { singular: "order", plural: "orders" };

describe("syncStatusBadge", () => {
  it("names the phase while importing", () => {
    expect(syncStatusBadge("running", "customers").label).toBe("Importing customers");
    expect(syncStatusBadge("running", "orders").label).toBe("Importing orders");
    expect(syncStatusBadge("running", "details").label).toBe("Importing order details");
    expect(syncStatusBadge("running", null).label).toBe("Importing");
  });
  it("says waiting, up to date or failed otherwise", () => {
    expect(syncStatusBadge("pending", null)).toEqual({ label: "Waiting", tone: undefined });
    expect(syncStatusBadge("completed", null)).toEqual({ label: "Up to date", tone: "success" });
    expect(syncStatusBadge("failed", "orders")).toEqual({ label: "Failed", tone: "critical" });
  });
});

describe("progressText", () => {
  it("counts with thousands separators", () => {
    expect(progressText({ synced: 1234, total: 5000 }, ORDERS)).toBe("1,234 of 5,000 orders");
  });
  it("uses the singular for one", () => {
    expect(progressText({ synced: 1, total: 1 }, ORDERS)).toBe("1 of 1 order");
    expect(progressText({ synced: 1, total: null }, ORDERS)).toBe("1 order so far");
  });
  it("does not invent a total Shopify has not given yet", () => {
    expect(progressText({ synced: 40, total: null }, ORDERS)).toBe("40 orders so far");
  });
});

describe("progressPercent", () => {
  it("is the share synced, rounded down so 100 means done", () => {
    expect(progressPercent({ synced: 1234, total: 5000 }, false)).toBe(24);
    expect(progressPercent({ synced: 4999, total: 5000 }, false)).toBe(99);
  });
  it("never leaves 0–100, even when Shopify's count was low", () => {
    expect(progressPercent({ synced: 120, total: 100 }, false)).toBe(100);
  });
  it("is empty without a total and full once done", () => {
    expect(progressPercent({ synced: 10, total: null }, false)).toBe(0);
    expect(progressPercent({ synced: 0, total: 0 }, false)).toBe(0);
    expect(progressPercent({ synced: 0, total: 0 }, true)).toBe(100);
    expect(progressPercent({ synced: 90, total: 100 }, true)).toBe(100);
  });
});

describe("shouldPoll", () => {
  it("polls only while the import may still move", () => {
    expect(shouldPoll("pending")).toBe(true);
    expect(shouldPoll("running")).toBe(true);
    expect(shouldPoll("completed")).toBe(false);
    expect(shouldPoll("failed")).toBe(false);
  });
});
