import { describe, expect, it } from "vitest";
import { privacyRequestLabel, WEBHOOK_STATUS_WORDS, webhookTopicLabel } from "./webhook-topics";

describe("webhook topics in merchant words", () => {
  it("names every topic Shopdesk subscribes to without its raw form", () => {
    expect(webhookTopicLabel("orders/updated")).toBe("Order updated");
    expect(webhookTopicLabel("fulfillment_events/create")).toBe("Carrier tracking update");
    expect(webhookTopicLabel("customers/redact")).toBe("Customer data erasure");
    expect(webhookTopicLabel("app/scopes_update")).toBe("App permissions changed");
  });
  it("turns an unknown topic into words, and nothing into a generic name", () => {
    expect(webhookTopicLabel("inventory_levels/update")).toBe("Inventory levels update");
    expect(webhookTopicLabel(null)).toBe("Update from Shopify");
    expect(webhookTopicLabel("//")).toBe("Update from Shopify");
  });
  it("never says skipped without why", () => {
    for (const words of Object.values(WEBHOOK_STATUS_WORDS)) {
      expect(words.label).not.toMatch(/skipped/i);
      expect(words.explanation.length).toBeGreaterThan(10);
    }
    expect(WEBHOOK_STATUS_WORDS.skipped.explanation).toMatch(/already had/);
  });
  it("says what was done about a privacy request", () => {
    expect(privacyRequestLabel("customers/data_request", true)).toBe("Customer data request: report prepared");
    expect(privacyRequestLabel("shop/redact", true)).toBe("Store data erasure: done");
    expect(privacyRequestLabel("customers/redact", false)).toBe("Customer data erasure: in progress");
  });
});
