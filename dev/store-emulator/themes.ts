// Online Store themes: each shop has a live (MAIN) theme "Dawn" whose config/settings_data.json has
// Shopdesk's portal app embed switched on, as the demo storefront shows it (dev/storefront renders
// the embed). Tests and the demo change the file with `setThemeFile` or `setAppEmbed`, then the app
// reads it back through `themes(roles: MAIN) { nodes { files(filenames: […]) { … } } }` as on Shopify.
// Only the MAIN theme and its settings_data.json are modelled; other files answer NOT_FOUND.
// Themes are kept beside the shop (not in its snapshot): a restarted emulator starts from the default.
import { GraphQLError } from "graphql";
import { paginateList } from "./connection.ts";
import { gid } from "./model.ts";
import type { AdminContext, Resolver } from "./resolvers.ts";
import type { ShopState } from "./world.ts";

export const SETTINGS_DATA = "config/settings_data.json";
/** Our embed as Shopify names it in settings_data.json: shopify://apps/<app handle>/blocks/<block>/<extension uuid>. */
export const PORTAL_EMBED_TYPE = "shopify://apps/shopdesk/blocks/portal-embed/5c1f0d9e-3a7b-4e62-9b1d-8f4a2c6e7d10";
const EMBED_BLOCK_ID = "13912377285214733311";

export type ThemeRole = "MAIN" | "UNPUBLISHED" | "DEVELOPMENT" | "DEMO" | "ARCHIVED" | "LOCKED" | "MOBILE";

export interface ThemeFileRecord {
  filename: string;
  content: string;
  updatedAt: string;
}

export interface ThemeRecord {
  id: number;
  name: string;
  role: ThemeRole;
  createdAt: string;
  updatedAt: string;
  files: Map<string, ThemeFileRecord>;
}

/** settings_data.json as Shopify writes it (the notice comment, then JSON), with our embed on or off. */
export function settingsDataWithEmbed(enabled: boolean): string {
  const data = {
    current: {
      type_header_font: "assistant_n4",
      colors_accent_1: "#121212",
      blocks: {
        [EMBED_BLOCK_ID]: {
          type: PORTAL_EMBED_TYPE,
          disabled: !enabled,
          settings: { accent_color: "#1f5199", position: "right", launcher_label: "", greeting: "" },
        },
      },
    },
    presets: { Default: { colors_accent_1: "#121212" } },
  };
  return `/*
 * ------------------------------------------------------------
 * IMPORTANT: The contents of this file are auto-generated.
 *
 * This file may be updated by the Shopify admin theme editor
 * or related systems. Please exercise caution as any changes
 * made to this file may be overwritten.
 * ------------------------------------------------------------
 */
${JSON.stringify(data, null, 2)}
`;
}

const themesByShop = new WeakMap<ShopState, ThemeRecord[]>();

/** The shop's themes, created on first use: the live theme with the portal embed on. */
export function themesOf(shop: ShopState): ThemeRecord[] {
  let themes = themesByShop.get(shop);
  if (!themes) {
    const at = shop.record.createdAt;
    themes = [
      {
        // Stable per shop, in the range Shopify's theme ids use.
        id: 120_000_000_000 + (shop.record.id % 1_000_000_000),
        name: "Dawn",
        role: "MAIN",
        createdAt: at,
        updatedAt: at,
        files: new Map([
          [SETTINGS_DATA, { filename: SETTINGS_DATA, content: settingsDataWithEmbed(true), updatedAt: at }],
        ]),
      },
    ];
    themesByShop.set(shop, themes);
  }
  return themes;
}

export const mainTheme = (shop: ShopState): ThemeRecord => themesOf(shop).find((theme) => theme.role === "MAIN")!;

/** Replaces (or with `content: null` deletes) a file of the live theme, as a theme editor save would. */
export function setThemeFile(shop: ShopState, filename: string, content: string | null): ThemeRecord {
  const theme = mainTheme(shop);
  const now = new Date().toISOString();
  if (content === null) theme.files.delete(filename);
  else theme.files.set(filename, { filename, content, updatedAt: now });
  theme.updatedAt = now;
  return theme;
}

/** Switches Shopdesk's app embed on or off in the live theme (the rest of settings_data.json is reset). */
export function setAppEmbed(shop: ShopState, enabled: boolean): ThemeRecord {
  return setThemeFile(shop, SETTINGS_DATA, settingsDataWithEmbed(enabled));
}

// ---- GraphQL --------------------------------------------------------------------------------

type ThemeView = { __typename: "OnlineStoreTheme"; theme: ThemeRecord };
type ThemeFileView = { __typename: "OnlineStoreThemeFile"; file: ThemeFileRecord };

const themeView = (theme: ThemeRecord): ThemeView => ({ __typename: "OnlineStoreTheme", theme });

/** Shopify: the themes query needs read_themes (or write_themes). */
function requireThemeAccess(context: AdminContext): void {
  if (context.scopes.includes("read_themes") || context.scopes.includes("write_themes")) return;
  throw new GraphQLError("Access denied for themes field. Required access: `read_themes` access scope.", {
    extensions: {
      code: "ACCESS_DENIED",
      documentation: "https://shopify.dev/api/usage/access-scopes",
      requiredAccess: "`read_themes` access scope.",
    },
  });
}

const pageArgs = (args: Record<string, unknown>) => ({
  first: args.first as number | undefined,
  last: args.last as number | undefined,
  after: args.after as string | undefined,
  before: args.before as string | undefined,
});

export const themeQueryResolvers: Record<string, Resolver> = {
  themes: (_source, args, context) => {
    requireThemeAccess(context);
    const roles = (args.roles as string[] | undefined) ?? null;
    const names = (args.names as string[] | undefined) ?? null;
    const themes = themesOf(context.shop).filter(
      (theme) => (!roles || roles.includes(theme.role)) && (!names || names.includes(theme.name)),
    );
    const ordered = args.reverse ? [...themes].reverse() : themes;
    return paginateList(ordered, pageArgs(args), themeView);
  },
  theme: (_source, args, context) => {
    requireThemeAccess(context);
    const id = /^gid:\/\/shopify\/OnlineStoreTheme\/(\d+)$/.exec(String(args.id))?.[1];
    const theme = themesOf(context.shop).find((candidate) => String(candidate.id) === id);
    return theme ? themeView(theme) : null;
  },
};

/** Shopify's filename patterns: `*` matches any run of characters. */
const matchesPattern = (filename: string, pattern: string) =>
  new RegExp(
    `^${pattern
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  ).test(filename);

export const THEME_RESOLVERS: Record<string, Record<string, Resolver>> = {
  OnlineStoreTheme: {
    id: (view) => gid("OnlineStoreTheme", (view as ThemeView).theme.id),
    name: (view) => (view as ThemeView).theme.name,
    role: (view) => (view as ThemeView).theme.role,
    prefix: () => "/t/1",
    processing: () => false,
    processingFailed: () => false,
    themeStoreId: () => 887,
    createdAt: (view) => (view as ThemeView).theme.createdAt,
    updatedAt: (view) => (view as ThemeView).theme.updatedAt,
    files: (view, args) => {
      const { theme } = view as ThemeView;
      const patterns = (args.filenames as string[] | undefined) ?? null;
      const files = [...theme.files.values()].filter(
        (file) => !patterns || patterns.some((pattern) => matchesPattern(file.filename, pattern)),
      );
      // Names asked for exactly (no wildcard) that the theme does not have.
      const missing = (patterns ?? []).filter((pattern) => !pattern.includes("*") && !theme.files.has(pattern));
      return {
        ...paginateList(files, { ...pageArgs(args), first: (args.first as number | undefined) ?? 50 }, (file) => ({
          __typename: "OnlineStoreThemeFile",
          file,
        })),
        userErrors: missing.map((filename) => ({ code: "NOT_FOUND", filename })),
      };
    },
  },
  OnlineStoreThemeFile: {
    filename: (view) => (view as ThemeFileView).file.filename,
    size: (view) => String(Buffer.byteLength((view as ThemeFileView).file.content)),
    contentType: (view) =>
      (view as ThemeFileView).file.filename.endsWith(".json") ? "application/json" : "application/octet-stream",
    checksumMd5: () => null,
    createdAt: (view) => (view as ThemeFileView).file.updatedAt,
    updatedAt: (view) => (view as ThemeFileView).file.updatedAt,
    body: (view) => ({ __typename: "OnlineStoreThemeFileBodyText", content: (view as ThemeFileView).file.content }),
  },
};
