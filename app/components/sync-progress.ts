import { formatCount } from "./formatting";
import type { BadgeTone } from "./order-status";

export type SyncStatus = "pending" | "running" | "completed" | "failed";
export type SyncPhase = "customers" | "orders" | "details" | null;

export interface Counter {
  synced: number;
  total: number | null;
}

/** The badge next to "Orders and customers" on the home page. */
export function syncStatusBadge(status: SyncStatus, phase: SyncPhase): { label: string; tone: BadgeTone } {
  switch (status) {
    case "pending":
      return { label: "Waiting", tone: undefined };
    case "running":
      if (phase === "customers") return { label: "Importing customers", tone: "info" };
      if (phase === "orders") return { label: "Importing orders", tone: "info" };
      if (phase === "details") return { label: "Importing tracking details", tone: "info" };
      return { label: "Importing", tone: "info" };
    case "completed":
      return { label: "Up to date", tone: "success" };
    case "failed":
      return { label: "Failed", tone: "critical" };
  }
}

/** "1,234 of 5,000 orders"; before Shopify has counted them, "1,234 orders so far". */
export function progressText(counter: Counter, noun: { singular: string; plural: string }): string {
  if (counter.total === null) {
    return `${formatCount(counter.synced)} ${counter.synced === 1 ? noun.singular : noun.plural} so far`;
  }
  return `${formatCount(counter.synced)} of ${formatCount(counter.total)} ${counter.total === 1 ? noun.singular : noun.plural}`;
}

/** 0–100 for the ProgressBar. A finished import is full even when Shopify's count was an estimate. */
export function progressPercent(counter: Counter, done: boolean): number {
  if (done) return 100;
  if (!counter.total) return 0;
  return Math.min(100, Math.max(0, Math.floor((counter.synced / counter.total) * 100)));
}

/** The page keeps refreshing while something is moving, so the bars move without a reload. */
export function shouldPoll(status: SyncStatus): boolean {
  return status === "pending" || status === "running";
}

/** Orders' tracking details (carrier events): imported recent orders first, the rest after. */
export interface TrackingCounts {
  /** Orders held. */
  total: number;
  /** Orders whose carrier events are still to be fetched. */
  pending: number;
  /** Orders placed or shipped recently (domain/tracking-import.ts), and how many of them wait. */
  recentTotal: number;
  recentPending: number;
}

export interface ImportSummaryInput {
  status: SyncStatus;
  phase: SyncPhase;
  orders: Counter;
  tracking: TrackingCounts;
}

export interface ImportSummary {
  orders: string;
  tracking: string;
  /** While tracking is still being fetched: opening an order fetches its own at once. */
  onDemand: string | null;
}

/**
 * What is complete, in the merchant's words, once every order is stored: e.g. "All 100,000 orders
 * imported with their status" and "Tracking details: recent orders done, 41,200 of 100,000 overall,
 * finishing in the background". Null while orders are still arriving (the bars say how far).
 */
export function importSummary({ status, phase, orders, tracking }: ImportSummaryInput): ImportSummary | null {
  const ordersStored = status === "completed" || phase === "details";
  if (!ordersStored) return null;
  const count = orders.synced;
  const ordersLine =
    count === 1 ? "1 order imported with its status" : `All ${formatCount(count)} orders imported with their status`;
  const done = Math.max(0, tracking.total - tracking.pending);
  let trackingLine: string;
  if (tracking.pending === 0) trackingLine = "Tracking details: all done";
  else if (tracking.recentPending > 0) {
    const recentDone = tracking.recentTotal - tracking.recentPending;
    trackingLine = `Tracking details: recent orders first, ${formatCount(recentDone)} of ${formatCount(tracking.recentTotal)} done`;
  } else {
    trackingLine = `Tracking details: recent orders done, ${formatCount(done)} of ${formatCount(tracking.total)} overall, finishing in the background`;
  }
  return {
    orders: ordersLine,
    tracking: trackingLine,
    onDemand: tracking.pending > 0 ? "Any order you open shows its tracking right away." : null,
  };
}
