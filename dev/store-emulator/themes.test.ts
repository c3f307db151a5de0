// The live theme over real HTTP: the query Settings → Self-service portal sends, the control
// commands that change the theme, and Shopify's ACCESS_DENIED without read_themes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStoreEmulator, type StoreEmulator } from "./index.ts";
import { shopFetcher } from "./testing.ts";
import { PORTAL_EMBED_TYPE, SETTINGS_DATA } from "./themes.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const APP = { apiKey: "themes-test-key", apiSecret: "themes-test-secret", url: "http://127.0.0.1:9" };
const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";

const MAIN_THEME = `query MainThemeSettingsData {
  themes(first: 1, roles: [MAIN]) {
    nodes {
      id
      name
      role
      files(filenames: ["config/settings_data.json", "templates/missing.json"], first: 2) {
        nodes { filename size body { ... on OnlineStoreThemeFileBodyText { content } } }
        userErrors { code filename }
      }
    }
  }
}`;

let emulator: StoreEmulator;
let withoutThemes: StoreEmulator;
let shopFetch: ReturnType<typeof shopFetcher>;

beforeAll(async () => {
  const seed = { ordersPerShop: 2, customersPerShop: 2 };
  emulator = await startStoreEmulator({ app: APP, seed });
  withoutThemes = await startStoreEmulator({ app: { ...APP, scopes: "read_orders" }, seed });
  shopFetch = shopFetcher(emulator.url);
});

afterAll(async () => {
  await shopFetch.close();
  await emulator.close();
  await withoutThemes.close();
});

async function graphql(target: StoreEmulator, shop: string, query: string): Promise<{ data?: Json; errors?: Json }> {
  const fetcher = target === emulator ? shopFetch : shopFetcher(target.url);
  try {
    const response = await fetcher(`https://${shop}/admin/api/2026-07/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": target.accessToken(shop) },
      body: JSON.stringify({ query }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { data?: Json; errors?: Json };
  } finally {
    if (fetcher !== shopFetch) await fetcher.close();
  }
}

const settingsData = (content: string) => JSON.parse(content.replace(/^\/\*[\s\S]*?\*\//, "")) as Json;

describe("themes", () => {
  it("serves the live theme's settings_data.json with the portal embed on, and NOT_FOUND for other files", async () => {
    const { data, errors } = await graphql(emulator, EU, MAIN_THEME);
    expect(errors).toBeUndefined();
    const theme = data.themes.nodes[0];
    expect(theme).toMatchObject({
      id: expect.stringMatching(/^gid:\/\/shopify\/OnlineStoreTheme\/\d+$/),
      name: "Dawn",
    });
    expect(theme.role).toBe("MAIN");
    expect(theme.files.userErrors).toEqual([{ code: "NOT_FOUND", filename: "templates/missing.json" }]);
    const [file] = theme.files.nodes;
    expect(file.filename).toBe(SETTINGS_DATA);
    expect(file.body.content).toMatch(/^\/\*/);
    const blocks = Object.values(settingsData(file.body.content).current.blocks) as Json[];
    expect(blocks).toEqual([expect.objectContaining({ type: PORTAL_EMBED_TYPE, disabled: false })]);
  });

  it("switches the embed off and on, per shop, through the control API", async () => {
    const command = (body: Record<string, unknown>) =>
      fetch(`${emulator.url}/_emulator/commands`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const off = await command({ command: "setAppEmbed", shop: EU, enabled: false });
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({
      ok: true,
      result: { name: "Dawn", role: "MAIN", files: [SETTINGS_DATA] },
    });
    const blocksOf = async (shop: string) => {
      const { data } = await graphql(emulator, shop, MAIN_THEME);
      return Object.values(settingsData(data.themes.nodes[0].files.nodes[0].body.content).current.blocks) as Json[];
    };
    expect((await blocksOf(EU))[0].disabled).toBe(true);
    expect((await blocksOf(US))[0].disabled).toBe(false);

    emulator.setThemeFile(EU, SETTINGS_DATA, '{"current":{"blocks":{}}}');
    expect(await blocksOf(EU)).toEqual([]);
    emulator.setAppEmbed(EU, true);
    expect((await blocksOf(EU))[0].disabled).toBe(false);

    const bad = await command({ command: "setThemeFile", shop: EU, filename: "../etc/passwd", content: "x" });
    expect(bad.status).toBe(400);
  });

  it("answers a deleted settings_data.json with NOT_FOUND", async () => {
    emulator.setThemeFile(US, SETTINGS_DATA, null);
    const { data } = await graphql(emulator, US, MAIN_THEME);
    expect(data.themes.nodes[0].files.nodes).toEqual([]);
    expect(data.themes.nodes[0].files.userErrors).toContainEqual({ code: "NOT_FOUND", filename: SETTINGS_DATA });
    emulator.setAppEmbed(US, true);
  });

  it("filters by role: no unpublished theme here", async () => {
    const { data } = await graphql(emulator, EU, "{ themes(first: 5, roles: [UNPUBLISHED]) { nodes { id } } }");
    expect(data.themes.nodes).toEqual([]);
  });

  it("refuses the themes query without read_themes, as Shopify does", async () => {
    const { data, errors } = await graphql(withoutThemes, EU, MAIN_THEME);
    expect(data.themes).toBeNull();
    expect(errors).toEqual([
      expect.objectContaining({
        message: "Access denied for themes field. Required access: `read_themes` access scope.",
        extensions: expect.objectContaining({ code: "ACCESS_DENIED" }),
      }),
    ]);
  });
});
