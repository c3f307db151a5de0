import { describe, expect, it } from "vitest";
import { isBillableSession, usageFigures, usagePeriod } from "./portal-usage";

describe("isBillableSession", () => {
  it("bills a session only when the shopper filed a request or reached an agent", () => {
    expect(isBillableSession({ requests: 0, reachedAgentAt: null })).toBe(false);
    expect(isBillableSession({ requests: 1, reachedAgentAt: null })).toBe(true);
    expect(isBillableSession({ requests: 0, reachedAgentAt: new Date() })).toBe(true);
    expect(isBillableSession({ requests: 2, reachedAgentAt: new Date() })).toBe(true);
  });
});

describe("usageFigures", () => {
  it("counts sessions without a request or agent contact as deflected", () => {
    const figures = usageFigures({
      sessions: 8,
      billableSessions: 2,
      agentContactSessions: 1,
      tracks: 11,
      requests: 3,
    });
    expect(figures).toMatchObject({ sessions: 8, billableSessions: 2, deflectedSessions: 6, tracks: 11, requests: 3 });
    expect(figures.deflectionRate).toBe(0.75);
  });

  it("has no rate without sessions, rather than 0% or 100%", () => {
    const figures = usageFigures({ sessions: 0, billableSessions: 0, agentContactSessions: 0, tracks: 0, requests: 0 });
    expect(figures.deflectionRate).toBeNull();
    expect(figures.deflectedSessions).toBe(0);
  });

  it("keeps the rate within 0–100% whatever the totals say", () => {
    expect(
      usageFigures({ sessions: 2, billableSessions: 5, agentContactSessions: 0, tracks: 0, requests: 5 })
        .deflectionRate,
    ).toBe(0);
    expect(
      usageFigures({ sessions: 2, billableSessions: -1, agentContactSessions: 0, tracks: 0, requests: 0 })
        .deflectionRate,
    ).toBe(1);
  });

  it("is 0% when every session was billable and 100% when none was", () => {
    expect(
      usageFigures({ sessions: 3, billableSessions: 3, agentContactSessions: 3, tracks: 0, requests: 0 })
        .deflectionRate,
    ).toBe(0);
    expect(
      usageFigures({ sessions: 3, billableSessions: 0, agentContactSessions: 0, tracks: 9, requests: 0 })
        .deflectionRate,
    ).toBe(1);
  });
});

describe("usagePeriod", () => {
  it("starts at midnight 29 days before today in the store's zone", () => {
    // 30 November, 01:30 in Los Angeles (09:30 UTC): the period starts on 1 November at 00:00 there.
    const now = new Date("2026-11-30T09:30:00Z");
    const period = usagePeriod(now, "America/Los_Angeles");
    expect(period.from.toISOString()).toBe("2026-11-01T07:00:00.000Z");
    expect(period.to).toBe(now);
    expect(period.days).toBe(30);
  });

  it("follows the store's day, not UTC's, near midnight", () => {
    // 1 December 00:30 in Paris is still 30 November in UTC: Paris's 30 days start on 2 November.
    const now = new Date("2026-11-30T23:30:00Z");
    expect(usagePeriod(now, "Europe/Paris").from.toISOString()).toBe("2026-11-01T23:00:00.000Z");
    expect(usagePeriod(now, null).from.toISOString()).toBe("2026-11-01T00:00:00.000Z");
  });

  it("starts the day at its real midnight across a clock change", () => {
    // Summer time ended in Paris on 25 October 2026: the period's first day, 5 October, was UTC+2.
    const now = new Date("2026-11-03T12:00:00Z");
    expect(usagePeriod(now, "Europe/Paris").from.toISOString()).toBe("2026-10-04T22:00:00.000Z");
  });

  it("reads an unknown zone as UTC, and a period of at least one day", () => {
    const now = new Date("2026-11-30T09:30:00Z");
    expect(usagePeriod(now, "Mars/Olympus_Mons").from.toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(usagePeriod(now, "UTC", 0)).toMatchObject({ days: 1, from: new Date("2026-11-30T00:00:00Z") });
    expect(usagePeriod(now, "UTC", 7).from.toISOString()).toBe("2026-11-24T00:00:00.000Z");
  });
});
