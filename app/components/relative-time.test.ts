import { describe, expect, it } from "vitest";
import { formatTimeAgo } from "./relative-time";

const now = new Date("2026-12-01T12:00:00Z");
const before = (ms: number) => new Date(now.getTime() - ms);
const MINUTE = 60_000;

describe("formatTimeAgo", () => {
  it("says how long ago, in the words people use", () => {
    expect(formatTimeAgo(before(10_000), now)).toBe("just now");
    expect(formatTimeAgo(before(59_000), now)).toBe("just now");
    expect(formatTimeAgo(before(MINUTE), now)).toBe("1 minute ago");
    expect(formatTimeAgo(before(3 * MINUTE + 20_000), now)).toBe("3 minutes ago");
    expect(formatTimeAgo(before(59 * MINUTE), now)).toBe("59 minutes ago");
    expect(formatTimeAgo(before(60 * MINUTE), now)).toBe("1 hour ago");
    expect(formatTimeAgo(before(23 * 60 * MINUTE), now)).toBe("23 hours ago");
    expect(formatTimeAgo(before(24 * 60 * MINUTE), now)).toBe("yesterday");
    expect(formatTimeAgo(before(6 * 24 * 60 * MINUTE), now)).toBe("6 days ago");
    expect(formatTimeAgo(before(45 * 24 * 60 * MINUTE), now)).toBe("last month");
    expect(formatTimeAgo(before(200 * 24 * 60 * MINUTE), now)).toBe("6 months ago");
    expect(formatTimeAgo(before(800 * 24 * 60 * MINUTE), now)).toBe("2 years ago");
  });

  it("takes a time a little ahead (another clock) as just now", () => {
    expect(formatTimeAgo(new Date(now.getTime() + 5000), now)).toBe("just now");
  });

  it("accepts ISO strings", () => {
    expect(formatTimeAgo("2026-12-01T11:55:00Z", now)).toBe("5 minutes ago");
  });
});
