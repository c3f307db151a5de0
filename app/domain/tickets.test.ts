import { describe, expect, it } from "vitest";
import {
  describeTicketEvent,
  messageBodySchema,
  normalizeTags,
  snoozeProblem,
  tagChanges,
  tagsSchema,
  ticketEventSchema,
  ticketSubject,
} from "./tickets";

describe("ticket subjects", () => {
  it("collapse whitespace and fall back to the first message, then to a placeholder", () => {
    expect(ticketSubject("  Order\n #1001  late ")).toBe("Order #1001 late");
    expect(ticketSubject(null, "Hi,\n\ncan I change my address?")).toBe("Hi, can I change my address?");
    expect(ticketSubject("", "   ")).toBe("(no subject)");
  });

  it("are cut at a word with an ellipsis when too long", () => {
    const subject = ticketSubject("word ".repeat(100));
    expect(subject.length).toBeLessThanOrEqual(200);
    expect(subject.endsWith("word…")).toBe(true);
    expect(ticketSubject("x".repeat(300))).toBe(`${"x".repeat(199)}…`);
  });
});

describe("tags", () => {
  it("are trimmed, lower-cased, without repeats, sorted", () => {
    expect(normalizeTags(["  VIP ", "vip", "Late  delivery", ""])).toEqual(["late delivery", "vip"]);
    expect(tagChanges(["a", "b"], ["b", "c"])).toEqual({ added: ["c"], removed: ["a"] });
  });

  it("refuse empty, over-long, comma and NUL tags with a message, and too many", () => {
    const problems = (tags: string[]) => {
      const parsed = tagsSchema.safeParse(tags);
      return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
    };
    expect(problems(["ok", "Fine"])).toEqual([]);
    expect(problems(["  "])).toEqual(["A tag cannot be empty."]);
    expect(problems(["x".repeat(41)])).toEqual(["A tag is at most 40 characters."]);
    expect(problems(["a,b"])).toEqual(["A tag cannot contain a comma."]);
    expect(problems(["a\u0000b"])[0]).toMatch(/cannot be saved/);
    expect(problems(Array.from({ length: 21 }, (_, index) => `t${index}`))).toEqual(["A ticket has at most 20 tags."]);
  });
});

describe("message bodies", () => {
  it("must have text, be storable and at most 64 KiB", () => {
    expect(messageBodySchema.safeParse("Thanks!").success).toBe(true);
    expect(messageBodySchema.safeParse("   ").error?.issues[0]?.message).toBe("Write a message first.");
    expect(messageBodySchema.safeParse(undefined).error?.issues[0]?.message).toBe("Write a message first.");
    expect(messageBodySchema.safeParse("x\u0000").error?.issues[0]?.message).toMatch(/cannot be saved/);
    expect(messageBodySchema.safeParse("x".repeat(64 * 1024 + 1)).error?.issues[0]?.message).toMatch(/64 KiB/);
  });
});

describe("snooze times", () => {
  const now = new Date("2026-12-01T10:00:00Z");
  it("must be at least a minute ahead and within a year", () => {
    expect(snoozeProblem(new Date("2026-12-01T10:00:30Z"), now)).toMatch(/at least a minute/);
    expect(snoozeProblem(new Date("2026-12-02T09:00:00Z"), now)).toBeNull();
    expect(snoozeProblem(new Date("2028-01-01T00:00:00Z"), now)).toMatch(/next year/);
    expect(snoozeProblem(new Date(Number.NaN), now)).toMatch(/Choose when/);
  });
});

describe("system events", () => {
  it("say which widget action ran and how it ended", () => {
    const bea = { id: "a1", name: "Bea" };
    const run = { type: "widget_action_run", integrationName: "Loop Returns", actionLabel: "Add a note" } as const;
    expect(describeTicketEvent({ ...run, ok: true, status: 201, error: null }, bea)).toBe(
      'Bea ran "Add a note" (Loop Returns): done (HTTP 201)',
    );
    expect(
      describeTicketEvent({ ...run, ok: true, status: 200, error: null, detail: "https://loop.example/r/1" }, bea),
    ).toBe('Bea ran "Add a note" (Loop Returns): done (HTTP 200): https://loop.example/r/1');
    expect(describeTicketEvent({ ...run, ok: false, status: 422, error: "The note is empty" }, bea)).toBe(
      'Bea ran "Add a note" (Loop Returns): it failed (HTTP 422) — The note is empty',
    );
    expect(describeTicketEvent({ ...run, ok: false, status: null, error: "Timed out after 10 s" }, null)).toBe(
      'Shopdesk ran "Add a note" (Loop Returns): it failed — Timed out after 10 s',
    );
  });

  it("read as sentences an agent understands", () => {
    const bea = { id: "a1", name: "Bea" };
    const lines = [
      describeTicketEvent({ type: "created", channel: "portal_request" }, null),
      describeTicketEvent({ type: "status_changed", from: "open", to: "closed", until: null, automatic: false }, bea),
      describeTicketEvent({ type: "status_changed", from: "snoozed", to: "open", until: null, automatic: true }, null),
      describeTicketEvent({ type: "status_changed", from: "closed", to: "open", until: null, automatic: true }, null),
      describeTicketEvent({ type: "assigned", fromAgentId: null, toAgentId: "a2", fromName: null, toName: "Cy" }, bea),
      describeTicketEvent({ type: "assigned", fromAgentId: "a1", toAgentId: "a1", fromName: null, toName: "Bea" }, bea),
      describeTicketEvent({ type: "tags_changed", added: ["vip"], removed: ["late"] }, bea),
      describeTicketEvent({ type: "priority_changed", from: "normal", to: "urgent" }, bea),
      describeTicketEvent({ type: "order_linked", orderId: "o1", orderName: "#1001" }, bea),
    ];
    expect(lines).toEqual([
      "Shopdesk opened this ticket (Portal request)",
      "Bea closed this ticket",
      "The snooze ended; the ticket is open again",
      "The customer wrote again; the ticket is open again",
      "Bea assigned this ticket to Cy",
      "Bea took this ticket",
      'Bea added "vip" and removed "late"',
      "Bea changed the priority from Normal to Urgent",
      "Bea linked order #1001",
    ]);
  });

  it("are refused when malformed (what is stored is what the thread can read)", () => {
    expect(ticketEventSchema.safeParse({ type: "status_changed", from: "open", to: "gone" }).success).toBe(false);
    expect(ticketEventSchema.safeParse({ type: "unknown" }).success).toBe(false);
  });
});
