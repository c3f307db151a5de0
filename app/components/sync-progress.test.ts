import { describe, expect, it } from "vitest";
import { importSummary, progressPercent, progressText, shouldPoll, syncStatusBadge } from "./sync-progress";

const ORDERS = { singular: "order", plural: "orders" };

describe("syncStatusBadge", () => {
  it("names the phase while importing", () => {
    expect(syncStatusBadge("running", "customers").label).toBe("Importing customers");
    expect(syncStatusBadge("running", "orders").label).toBe("Importing orders");
    expect(syncStatusBadge("running", "details").label).toBe("Importing tracking details");
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

describe("importSummary", () => {
  const orders = { synced: 100_000, total: 100_000 };
  const tracking = (done: number, recentDone: number) => ({
    total: 100_000,
    pending: 100_000 - done,
    recentTotal: 57_000,
    recentPending: 57_000 - recentDone,
  });

  it("says nothing before every order is stored", () => {
    expect(importSummary({ status: "running", phase: "orders", orders, tracking: tracking(0, 0) })).toBeNull();
    expect(importSummary({ status: "pending", phase: null, orders, tracking: tracking(0, 0) })).toBeNull();
  });

  it("says every order has its status while recent orders' tracking is still being fetched", () => {
    expect(importSummary({ status: "running", phase: "details", orders, tracking: tracking(12_000, 12_000) })).toEqual({
      orders: "All 100,000 orders imported with their status",
      tracking: "Tracking details: recent orders first, 12,000 of 57,000 done",
      onDemand: "Any order you open shows its tracking right away.",
    });
  });

  it("says recent orders are done and the rest finishes in the background", () => {
    expect(importSummary({ status: "running", phase: "details", orders, tracking: tracking(41_200, 57_000) })).toEqual({
      orders: "All 100,000 orders imported with their status",
      tracking: "Tracking details: recent orders done, 41,200 of 100,000 overall, finishing in the background",
      onDemand: "Any order you open shows its tracking right away.",
    });
  });

  it("says everything is done once the last order has its tracking", () => {
    expect(importSummary({ status: "completed", phase: null, orders, tracking: tracking(100_000, 57_000) })).toEqual({
      orders: "All 100,000 orders imported with their status",
      tracking: "Tracking details: all done",
      onDemand: null,
    });
  });

  it("counts one order in the singular and a store without recent orders plainly", () => {
    expect(
      importSummary({
        status: "running",
        phase: "details",
        orders: { synced: 1, total: 1 },
        tracking: { total: 1, pending: 1, recentTotal: 0, recentPending: 0 },
      }),
    ).toMatchObject({
      orders: "1 order imported with its status",
      tracking: "Tracking details: recent orders done, 0 of 1 overall, finishing in the background",
    });
  });

  it("says what a failed import left behind without claiming every order", () => {
    expect(
      importSummary({ status: "failed", phase: "details", orders, tracking: tracking(41_200, 57_000) }),
    ).toMatchObject({ orders: "All 100,000 orders imported with their status" });
    expect(
      importSummary({
        status: "failed",
        phase: "orders",
        orders: { synced: 300, total: 1000 },
        tracking: tracking(0, 0),
      }),
    ).toBeNull();
  });
});
