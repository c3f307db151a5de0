import { z } from "zod";
import { appEmbedState, type AppEmbedState } from "~/domain/theme-app-embed";
import { runAdminQuery, type AdminGraphqlClient, type AdminQueryOptions } from "./admin-graphql.server";

// The live theme's config/settings_data.json, where Shopify records which app embeds are on.
// Needs the read_themes access scope.

export const MAIN_THEME_SETTINGS_DATA_QUERY = `#graphql
  query MainThemeSettingsData {
    themes(first: 1, roles: [MAIN]) {
      nodes {
        id
        name
        files(filenames: ["config/settings_data.json"], first: 1) {
          nodes {
            filename
            body {
              ... on OnlineStoreThemeFileBodyText {
                content
              }
              ... on OnlineStoreThemeFileBodyBase64 {
                contentBase64
              }
            }
          }
          userErrors {
            code
            filename
          }
        }
      }
    }
  }
`;

const MainThemeSchema = z.object({
  themes: z.object({
    nodes: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        files: z.object({
          nodes: z.array(
            z.object({
              filename: z.string(),
              // Text and base64 bodies carry the content; a URL body (very large files) does not.
              body: z.object({ content: z.string().optional(), contentBase64: z.string().optional() }),
            }),
          ),
          userErrors: z.array(z.object({ code: z.string(), filename: z.string() })),
        }),
      }),
    ),
  }),
});

export type LiveThemeEmbed =
  /** The store has no published theme (a headless storefront, or none set up yet). */
  { theme: null } | { theme: { id: string; name: string }; embed: AppEmbedState };

/** Whether Shopdesk's app embed is on in the store's live theme. Throws AdminApiError. */
export async function liveThemeEmbed(admin: AdminGraphqlClient, options?: AdminQueryOptions): Promise<LiveThemeEmbed> {
  const result = await runAdminQuery(admin, MAIN_THEME_SETTINGS_DATA_QUERY, MainThemeSchema, undefined, options);
  const theme = result.themes.nodes[0];
  if (!theme) return { theme: null };
  const file = theme.files.nodes.find((node) => node.filename === "config/settings_data.json");
  const described = { id: theme.id, name: theme.name };
  // No settings_data.json (NOT_FOUND): nothing was ever turned on in this theme.
  if (!file) {
    const notFound = theme.files.userErrors.every((error) => error.code === "NOT_FOUND");
    return { theme: described, embed: notFound ? "disabled" : "unreadable" };
  }
  const text =
    file.body.content ??
    (file.body.contentBase64 === undefined ? null : Buffer.from(file.body.contentBase64, "base64").toString("utf8"));
  return { theme: described, embed: text === null ? "unreadable" : appEmbedState(text) };
}
