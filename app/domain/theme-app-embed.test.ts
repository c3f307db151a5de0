import { describe, expect, it } from "vitest";
import { appEmbedsEditorUrl, appEmbedState, isOurBlockType } from "./theme-app-embed";

const OURS = "shopify://apps/shopdesk/blocks/portal-embed/0d6a1c3e-5f4b-4c1e-9a43-2b7f9e1d8c55";
const OTHER_APP = "shopify://apps/judge-me-reviews/blocks/preview_badge/61ccd3b1-a9f2-4160-9fe9-4fec8413e5d8";

/** settings_data.json as Shopify writes it: the notice comment, then JSON. */
const settingsData = (blocks: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}) =>
  `/*
 * ------------------------------------------------------------
 * IMPORTANT: The contents of this file are auto-generated.
 * ------------------------------------------------------------
 */
${JSON.stringify({ current: { colors_accent_1: "#121212", ...(blocks ? { blocks } : {}), ...extra } }, null, 2)}`;

describe("app embed state", () => {
  it("is enabled when a block of ours is present and not disabled", () => {
    expect(appEmbedState(settingsData({ "123": { type: OURS, disabled: false, settings: {} } }))).toBe("enabled");
    expect(appEmbedState(settingsData({ "123": { type: OURS, settings: {} } }))).toBe("enabled");
  });

  it("is disabled when ours is switched off, missing, or only other apps' embeds are on", () => {
    expect(appEmbedState(settingsData({ "123": { type: OURS, disabled: true, settings: {} } }))).toBe("disabled");
    expect(appEmbedState(settingsData({ "9": { type: OTHER_APP, disabled: false } }))).toBe("disabled");
    expect(appEmbedState(settingsData(undefined))).toBe("disabled");
    expect(appEmbedState("{}")).toBe("disabled");
  });

  it("counts ours on when one of two copies is on", () => {
    const blocks = { a: { type: OURS, disabled: true }, b: { type: OURS, disabled: false } };
    expect(appEmbedState(settingsData(blocks))).toBe("enabled");
  });

  it("follows a preset named in `current` (older themes)", () => {
    const text = JSON.stringify({
      current: "Default",
      presets: { Default: { blocks: { x: { type: OURS, disabled: false } } } },
    });
    expect(appEmbedState(text)).toBe("enabled");
    expect(appEmbedState(JSON.stringify({ current: "Missing", presets: {} }))).toBe("disabled");
  });

  it("says unreadable, not disabled, for text it does not understand", () => {
    expect(appEmbedState("not json")).toBe("unreadable");
    expect(appEmbedState("[1,2]")).toBe("unreadable");
    expect(appEmbedState(JSON.stringify({ current: { blocks: [] } }))).toBe("unreadable");
    expect(appEmbedState("/* never closed")).toBe("unreadable");
  });

  it("recognises our app's types only", () => {
    expect(isOurBlockType(OURS)).toBe(true);
    expect(isOurBlockType("shopify://apps/shopdesk-portal/blocks/portal-embed/abc")).toBe(true);
    expect(isOurBlockType("shopify://apps/shopdesk-pro/blocks/portal-embed/abc")).toBe(false);
    expect(isOurBlockType(OTHER_APP)).toBe(false);
    expect(isOurBlockType("/apps/shopdesk")).toBe(false);
    expect(isOurBlockType(42)).toBe(false);
  });

  it("links to the live theme's app embeds in the theme editor", () => {
    expect(appEmbedsEditorUrl("maple-goods-eu.myshopify.com")).toBe(
      "https://maple-goods-eu.myshopify.com/admin/themes/current/editor?context=apps",
    );
  });
});
