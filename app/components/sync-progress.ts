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
      if (phase === "details") return { label: "Importing order details", tone: "info" };
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
