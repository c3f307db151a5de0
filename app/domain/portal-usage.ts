import { startOfLocalDay } from "./portal-eligibility";

// What the storefront portal did for a store over a period (issue 9, item 6): sessions, and which
// of them are billable. As the anchor bills (seed 000): a session is billable only when the shopper
// reached an agent (a message of theirs landed on a ticket, a chat) or filed a request (a return,
// cancellation or issue report, each a ticket). Tracking an order and leaving is the portal doing
// its job: a deflected session, never billable.

/** The default report: the last 30 days, today included. */
export const PORTAL_USAGE_DAYS = 30;

export interface UsagePeriod {
  /** Midnight starting the first day, in the store's zone. */
  from: Date;
  /** Now: the period's open end. */
  to: Date;
  days: number;
}

/**
 * The last `days` days in the store's zone, today included: from midnight `days - 1` days before
 * today (there), to now. Midnight where the merchant is, so "the last 30 days" means the same days
 * as in Shopify's own reports, not a UTC day that starts mid-afternoon in California.
 */
export function usagePeriod(now: Date, timeZone: string | null, days = PORTAL_USAGE_DAYS): UsagePeriod {
  const span = Math.max(1, Math.floor(days));
  return { from: startOfLocalDay(now, timeZone, span - 1), to: now, days: span };
}

/** One session's usage, as PortalSession keeps it. */
export interface SessionUsage {
  requests: number;
  reachedAgentAt: Date | null;
}

export const isBillableSession = (session: SessionUsage) => session.requests > 0 || session.reachedAgentAt !== null;

/** The period's totals as the database adds them up (models/portal-usage.server.ts). */
export interface UsageTotals {
  sessions: number;
  /** Sessions with a request or an agent contact (isBillableSession). */
  billableSessions: number;
  /** Sessions in which the shopper reached an agent. */
  agentContactSessions: number;
  tracks: number;
  requests: number;
}

export interface UsageFigures extends UsageTotals {
  /** Sessions that ended without a request or an agent contact. */
  deflectedSessions: number;
  /** deflectedSessions ÷ sessions, 0–1; null without sessions (no rate, rather than 0% or 100%). */
  deflectionRate: number | null;
}

export function usageFigures(totals: UsageTotals): UsageFigures {
  const sessions = Math.max(0, totals.sessions);
  // Never more billable than sessions, nor fewer than none: a rate stays within 0–100%.
  const billableSessions = Math.min(sessions, Math.max(0, totals.billableSessions));
  const deflectedSessions = sessions - billableSessions;
  return {
    ...totals,
    sessions,
    billableSessions,
    deflectedSessions,
    deflectionRate: sessions === 0 ? null : deflectedSessions / sessions,
  };
}
