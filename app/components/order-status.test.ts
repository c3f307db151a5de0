import { describe, expect, it } from "vitest";
import { SHOPPER_ORDER_STATUSES } from "~/domain/order-status";
import { ORDER_STATUS_TONE, orderStatusBadge } from "./order-status";

describe("orderStatusBadge", () => {
  it("has a tone decision for every shopper status", () => {
    expect(Object.keys(ORDER_STATUS_TONE).sort()).toEqual([...SHOPPER_ORDER_STATUSES].sort());
  });

  it("marks problems, work to do and done differently", () => {
    expect(orderStatusBadge("failed_delivery").tone).toBe("critical");
    expect(orderStatusBadge("attempted_delivery").tone).toBe("warning");
    expect(orderStatusBadge("unfulfilled").tone).toBe("attention");
    expect(orderStatusBadge("in_transit").tone).toBe("info");
    expect(orderStatusBadge("delivered").tone).toBe("success");
    expect(orderStatusBadge("cancelled").tone).toBeUndefined();
  });

  it("uses the English label unless the server sent one", () => {
    expect(orderStatusBadge("out_for_delivery").label).toBe("Out for delivery");
    expect(orderStatusBadge("delivered", "Livré").label).toBe("Livré");
  });

  it("shows an unknown status neutrally instead of failing", () => {
    expect(orderStatusBadge("on_the_moon")).toEqual({ tone: undefined, label: "on_the_moon" });
    expect(orderStatusBadge("on_the_moon", "On the moon")).toEqual({ tone: undefined, label: "On the moon" });
  });
});
