import { describe, expect, it } from "vitest";
import {
  CHAT_REVERT_AFTER_MS,
  chatHasReverted,
  chatRevertsAt,
  parseSeq,
  chatTakingMessages,
  isWidgetEntry,
  lastWidgetMessage,
} from "./chat-rules";

const NOW = new Date(Date.UTC(2026, 11, 1, 12));
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe("24-hour revert", () => {
  it("reverts when the last message is an agent's older than 24 hours", () => {
    expect(chatHasReverted({ from: "agent", at: ago(CHAT_REVERT_AFTER_MS + 1) }, NOW)).toBe(true);
  });
  it("does not revert at exactly 24 hours, nor for a recent agent message", () => {
    expect(chatHasReverted({ from: "agent", at: ago(CHAT_REVERT_AFTER_MS) }, NOW)).toBe(false);
    expect(chatHasReverted({ from: "agent", at: ago(60_000) }, NOW)).toBe(false);
  });
  it("does not revert while the shopper spoke last, however long ago (they wait for an answer)", () => {
    expect(chatHasReverted({ from: "shopper", at: ago(10 * CHAT_REVERT_AFTER_MS) }, NOW)).toBe(false);
    expect(chatHasReverted(null, NOW)).toBe(false);
  });
});

describe("when a chat will revert", () => {
  it("is the first moment the revert rule holds, after the agent's last message", () => {
    const last = { from: "agent" as const, at: ago(60_000) };
    const at = chatRevertsAt(last)!;
    expect(chatHasReverted(last, new Date(at.getTime() - 1))).toBe(false);
    expect(chatHasReverted(last, at)).toBe(true);
  });
  it("is never while the shopper spoke last or nothing was said", () => {
    expect(chatRevertsAt({ from: "shopper", at: ago(0) })).toBeNull();
    expect(chatRevertsAt(null)).toBeNull();
  });
});

describe("what the widget may see", () => {
  it("shows the shopper's messages and agents' replies, never notes or system events", () => {
    expect(isWidgetEntry({ kind: "customer_message" })).toBe(true);
    expect(isWidgetEntry({ kind: "agent_reply" })).toBe(true);
    expect(isWidgetEntry({ kind: "internal_note" })).toBe(false);
    expect(isWidgetEntry({ kind: "system_event" })).toBe(false);
  });
  it("the last message ignores notes and events written after it", () => {
    const at = (minutes: number) => ago(minutes * 60_000);
    expect(
      lastWidgetMessage([
        { kind: "customer_message", createdAt: at(30), seq: 1n },
        { kind: "agent_reply", createdAt: at(20), seq: 2n },
        { kind: "internal_note", createdAt: at(10), seq: 3n },
        { kind: "system_event", createdAt: at(5), seq: 4n },
      ]),
    ).toEqual({ from: "agent", at: at(20) });
    expect(lastWidgetMessage([{ kind: "system_event", createdAt: at(5), seq: 4n }])).toBeNull();
  });
});

describe("where a new message goes", () => {
  const tickets = new Map([
    ["a", { id: "a", status: "closed" as const, acceptsMessages: false, continuedInTicketId: "b" }],
    ["b", { id: "b", status: "closed" as const, acceptsMessages: false, continuedInTicketId: "c" }],
    ["c", { id: "c", status: "open" as const, acceptsMessages: true, continuedInTicketId: null }],
    ["closed", { id: "closed", status: "closed" as const, acceptsMessages: true, continuedInTicketId: null }],
    ["snoozed", { id: "snoozed", status: "snoozed" as const, acceptsMessages: true, continuedInTicketId: null }],
    ["loop", { id: "loop", status: "closed" as const, acceptsMessages: false, continuedInTicketId: "loop" }],
  ]);
  const find = (id: string) => tickets.get(id) ?? null;

  it("follows a chat continued in another ticket after its customer was changed", () => {
    expect(chatTakingMessages("a", find)).toBe("c");
    expect(chatTakingMessages("c", find)).toBe("c");
  });
  it("a closed chat takes no more messages: the next one starts a new chat", () => {
    expect(chatTakingMessages("closed", find)).toBeNull();
  });
  it("a snoozed chat takes the message (it opens again)", () => {
    expect(chatTakingMessages("snoozed", find)).toBe("snoozed");
  });
  it("a missing ticket or a cycle yields no chat", () => {
    expect(chatTakingMessages("gone", find)).toBeNull();
    expect(chatTakingMessages("loop", find)).toBeNull();
  });
});

describe("parseSeq", () => {
  it("reads a seq PostgreSQL can hold and nothing else", () => {
    expect(parseSeq("0")).toBe(0n);
    expect(parseSeq("9223372036854775807")).toBe(9223372036854775807n);
    for (const bad of ["9223372036854775808", "99999999999999999999", "-1", "1.5", "1e3", " 1", "", "abc"]) {
      expect(parseSeq(bad)).toBeNull();
    }
  });
});
