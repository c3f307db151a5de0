import { describe, expect, it } from "vitest";
import { replyDeliveryState } from "./reply-delivery";

describe("replyDeliveryState", () => {
  it("reads pending with an error as retrying, and keeps the server's words", () => {
    const reply = { deliveryStatus: "pending" as const, deliveryError: null, deliveryAttempts: 0 };
    expect(replyDeliveryState(reply)).toEqual({ state: "sending" });
    expect(replyDeliveryState({ ...reply, deliveryError: "421 Try later", deliveryAttempts: 2 })).toEqual({
      state: "retrying",
      error: "421 Try later",
      attempts: 2,
    });
    expect(
      replyDeliveryState({ ...reply, deliveryStatus: "failed", deliveryError: "550 No", deliveryAttempts: 7 }),
    ).toEqual({ state: "failed", error: "550 No", attempts: 7 });
    expect(replyDeliveryState({ ...reply, deliveryStatus: "sent", deliveryAttempts: 1 })).toEqual({ state: "sent" });
    expect(replyDeliveryState({ ...reply, deliveryStatus: null })).toEqual({ state: "none" });
  });
});
