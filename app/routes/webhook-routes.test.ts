import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";

// shopify.app.toml is what Shopify delivers by: every subscription needs its own route, at the
// URI it names, and every webhook route must be subscribed (or it never receives anything).
const root = path.resolve(__dirname, "../..");
const config = parse(readFileSync(path.join(root, "shopify.app.toml"), "utf8")) as {
  webhooks: { api_version: string; subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[] };
};

const subscriptions = config.webhooks.subscriptions.flatMap((subscription) =>
  [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])].map((topic) => ({
    topic,
    uri: subscription.uri,
  })),
);

describe("webhook subscriptions in shopify.app.toml", () => {
  it("uses the API version the app is built against", () => {
    expect(config.webhooks.api_version).toBe("2026-07");
  });

  it("includes the three mandatory compliance topics", () => {
    expect(subscriptions.map((s) => s.topic)).toEqual(
      expect.arrayContaining(["customers/data_request", "customers/redact", "shop/redact"]),
    );
  });

  it.each(subscriptions)("$topic is delivered to /webhooks/$topic, which has a route", ({ topic, uri }) => {
    expect(uri).toBe(`/webhooks/${topic}`);
    const routeFile = path.join(root, "app/routes", `webhooks.${topic.replace(/\//g, ".")}.tsx`);
    expect(existsSync(routeFile)).toBe(true);
    expect(readFileSync(routeFile, "utf8")).toContain(`receiveWebhook(request, "${topic}")`);
  });

  it("subscribes every webhook route", () => {
    const routed = readdirSync(path.join(root, "app/routes"))
      .filter((name) => /^webhooks\..+\.tsx$/.test(name))
      .map((name) =>
        name
          .replace(/^webhooks\./, "")
          .replace(/\.tsx$/, "")
          .replace(/\./g, "/"),
      );
    expect(routed.sort()).toEqual(subscriptions.map((s) => s.topic).sort());
  });
});
