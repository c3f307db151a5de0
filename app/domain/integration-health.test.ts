import { describe, expect, it } from "vitest";
import { deliveryStatusWords, integrationHealth, triggersSentence, triggerWords, urlHost } from "./integration-health";

describe("integration words", () => {
  it("says triggers in words", () => {
    expect(triggersSentence({ "ticket-created": true })).toBe("When a ticket is created");
    expect(triggersSentence({ "ticket-created": true, "ticket-updated": false, "ticket-message-created": true })).toBe(
      "When a ticket is created or a message is added",
    );
    expect(triggersSentence({})).toBe("Never called by ticket events");
  });

  it("names what made a call, and keeps a name it does not know", () => {
    expect(triggerWords("custom-action")).toBe("an agent runs a widget action");
    expect(triggerWords("demo-start")).toBe("demo-start");
  });

  it("names delivery statuses", () => {
    expect(deliveryStatusWords("gave_up")).toBe("Failed");
    expect(deliveryStatusWords("refused")).toBe("Not sent");
  });

  it("tells health from the circuit, the failure count and the last call", () => {
    const base = { deactivated: false, circuitOpen: false, consecutiveFailures: 0, lastStatus: "succeeded" };
    expect(integrationHealth(base)).toBe("working");
    expect(integrationHealth({ ...base, consecutiveFailures: 2 })).toBe("failing");
    expect(integrationHealth({ ...base, circuitOpen: true, consecutiveFailures: 10 })).toBe("paused");
    expect(integrationHealth({ ...base, lastStatus: "refused" })).toBe("failing");
    expect(integrationHealth({ ...base, lastStatus: null })).toBe("unused");
    expect(integrationHealth({ ...base, deactivated: true, circuitOpen: true })).toBe("off");
  });

  it("shows the host of a URL template", () => {
    expect(urlHost("https://api.loopreturns.com/api/v1/warehouse/return/list?email={{ticket.customer.email}}")).toBe(
      "api.loopreturns.com",
    );
    expect(urlHost("https://{{ticket.customer.id}}.example.com/x")).toBe("x.example.com");
  });
});
