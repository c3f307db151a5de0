// Is Shopdesk's app embed (the portal launcher) on in a theme? Shopify keeps a theme's app embeds
// in config/settings_data.json under current.blocks, each typed
// `shopify://apps/<app handle>/blocks/<block>/<extension uuid>` and off while `disabled` is true.
// Shopify documents reading that file as the way to detect activation (there is no API field).

/** shopify.app.toml `handle`: the app's part of an embed's type. */
export const APP_HANDLE = "shopdesk";
/** The theme app extension's handle (extensions/shopdesk-portal), for types that name it instead. */
export const EXTENSION_HANDLE = "shopdesk-portal";

export type AppEmbedState =
  /** A block of ours is in the theme and not disabled. */
  | "enabled"
  /** Ours is there but switched off, or not there at all (never turned on in this theme). */
  | "disabled"
  /** The file is not JSON we understand: say nothing rather than raise a false alarm. */
  | "unreadable";

const TYPE = /^shopify:\/\/apps\/([^/]+)\/blocks\/([^/]+)\//;

/** True for an embed of this app: its app segment is our handle, or the type names our extension. */
export function isOurBlockType(type: unknown): boolean {
  if (typeof type !== "string") return false;
  const match = TYPE.exec(type);
  if (!match) return false;
  return match[1] === APP_HANDLE || type.includes(`/${EXTENSION_HANDLE}/`) || match[1] === EXTENSION_HANDLE;
}

/** Shopify writes a `/* … *\/` notice at the top of settings_data.json; JSON.parse refuses it. */
function withoutLeadingComments(text: string): string {
  let rest = text.trimStart();
  while (rest.startsWith("/*")) {
    const end = rest.indexOf("*/");
    if (end < 0) return rest;
    rest = rest.slice(end + 2).trimStart();
  }
  return rest;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Reads the state of our embed from the text of a theme's config/settings_data.json. */
export function appEmbedState(settingsData: string): AppEmbedState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(withoutLeadingComments(settingsData));
  } catch {
    return "unreadable";
  }
  if (!isObject(parsed)) return "unreadable";
  // Older themes name a preset in `current` instead of holding the settings there.
  let current = parsed.current;
  if (typeof current === "string") current = isObject(parsed.presets) ? parsed.presets[current] : undefined;
  if (current === undefined) return "disabled";
  if (!isObject(current)) return "unreadable";
  const blocks = current.blocks;
  if (blocks === undefined) return "disabled";
  if (!isObject(blocks)) return "unreadable";
  const ours = Object.values(blocks).filter((block) => isObject(block) && isOurBlockType(block.type));
  return ours.some((block) => (block as Record<string, unknown>).disabled !== true) ? "enabled" : "disabled";
}

/** The theme editor's App embeds panel of the live theme, where the merchant turns it on. */
export function appEmbedsEditorUrl(shopDomain: string): string {
  return `https://${shopDomain}/admin/themes/current/editor?context=apps`;
}
