// Renders a theme app extension's blocks the way Shopify's storefront renderer does, closely enough
// for demos and tests: the block file as written (schema stripped), settings from the schema
// defaults, `{% render %}` from the extension's snippets, `| t` from the extension's own locales,
// and the schema's JS/CSS injected into <head> (a deferred script, a stylesheet link).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Liquid } from "liquidjs";

export const extensionsRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../extensions");

export interface BlockSchema {
  name: string;
  target?: string;
  javascript?: string;
  stylesheet?: string;
  settings?: { id: string; type: string; default?: unknown }[];
}

type Translations = { [key: string]: string | Translations };

const SCHEMA_TAG = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/;

export function readBlock(extension: string, block: string): { liquid: string; schema: BlockSchema } {
  const source = readFileSync(path.join(extensionsRoot, extension, "blocks", `${block}.liquid`), "utf8");
  const match = SCHEMA_TAG.exec(source);
  if (!match?.[1]) throw new Error(`${extension}/blocks/${block}.liquid has no {% schema %}`);
  return { liquid: source.replace(SCHEMA_TAG, ""), schema: JSON.parse(match[1]) as BlockSchema };
}

/** Locale code → translations, read from extensions/<name>/locales (en.default.json → "en"). */
export function readLocales(extension: string): { defaultLocale: string; locales: Map<string, Translations> } {
  const dir = path.join(extensionsRoot, extension, "locales");
  const locales = new Map<string, Translations>();
  let defaultLocale = "en";
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".json") && !name.includes(".schema."))) {
    const [code = "", isDefault] = file.replace(/\.json$/, "").split(".");
    if (isDefault === "default") defaultLocale = code;
    locales.set(code, JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Translations);
  }
  return { defaultLocale, locales };
}

export function extensionAssetPath(extension: string, file: string): string | null {
  const full = path.join(extensionsRoot, extension, "assets", path.basename(file));
  return existsSync(full) ? full : null;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function lookup(translations: Translations | undefined, key: string): string | undefined {
  let node: string | Translations | undefined = translations;
  for (const part of key.split(".")) node = typeof node === "object" ? node[part] : undefined;
  return typeof node === "string" ? node : undefined;
}

/**
 * Liquid engine with the Shopify filters the storefront templates use. `t` reads the locale from
 * `request.locale.iso_code` in the render context and, like Shopify, escapes its output unless the
 * key ends in `_html`.
 */
export function createEngine(options: { extension: string; assetUrl: (file: string) => string; root?: string }) {
  const { defaultLocale, locales } = readLocales(options.extension);
  const snippets = path.join(extensionsRoot, options.extension, "snippets");
  const engine = new Liquid({
    strictFilters: true,
    root: options.root,
    // An app block's `{% render 'x' %}` finds the extension's snippets/x.liquid, as on Shopify.
    partials: [snippets, ...(options.root ? [options.root] : [])],
    extname: ".liquid",
    cache: false,
  });
  engine.registerFilter("t", function (this: { context: { getSync(path: string[]): unknown } }, key: string, ...args) {
    const locale = String(this.context.getSync(["request", "locale", "iso_code"]) ?? defaultLocale);
    const text =
      lookup(locales.get(locale), key) ??
      lookup(locales.get(locale.split("-")[0] ?? ""), key) ??
      lookup(locales.get(defaultLocale), key);
    if (text === undefined) return `translation missing: ${locale}.${key}`;
    const raw = key.endsWith("_html");
    let out = raw ? text : escapeHtml(text);
    // liquidjs passes keyword arguments as [name, value] pairs.
    for (const arg of args) {
      if (!Array.isArray(arg)) continue;
      const [name, value] = arg as [string, unknown];
      out = out.replace(new RegExp(`{{\\s*${name}\\s*}}`, "g"), raw ? String(value) : escapeHtml(String(value)));
    }
    return out;
  });
  engine.registerFilter("asset_url", (file: string) => options.assetUrl(file));
  // Shopify's perceived brightness (0–255) used by themes to pick readable text on a color.
  engine.registerFilter("color_brightness", (color: string) => {
    const [r, g, b] = rgb(String(color));
    return Math.round((r * 299 + g * 587 + b * 114) / 1000);
  });
  // Shopify's WCAG contrast ratio of two colours, to one decimal (e.g. 7.4).
  engine.registerFilter("color_contrast", (color: string, other: string) => {
    const [a, b] = [relativeLuminance(String(color)), relativeLuminance(String(other))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    return Math.round(ratio * 10) / 10;
  });
  engine.registerFilter("money", (cents: number) => `$${(Number(cents) / 100).toFixed(2)}`);
  return { engine, locales: [...locales.keys()], defaultLocale };
}

function rgb(color: string): [number, number, number] {
  const hex = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())?.[1];
  if (!hex) return [0, 0, 0];
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
}

/** WCAG 2 relative luminance of a #rgb / #rrggbb colour. */
export function relativeLuminance(color: string): number {
  const [r, g, b] = rgb(color).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export interface RenderedEmbed {
  /** Goes in <head>: what Shopify injects for the schema's "stylesheet" and "javascript". */
  head: string;
  /** Goes at the end of <body>, wrapped like Shopify wraps app embeds. */
  body: string;
}

export interface BlockOptions {
  extension: string;
  block: string;
  assetUrl: (file: string) => string;
  context: Record<string, unknown>;
  /** Merchant settings over the schema's defaults, as the theme editor would save them. */
  settings?: Record<string, unknown>;
}

async function renderBlock(engine: Liquid, options: BlockOptions) {
  const { liquid, schema } = readBlock(options.extension, options.block);
  const defaults = Object.fromEntries((schema.settings ?? []).map((setting) => [setting.id, setting.default]));
  const id = `${options.extension}-${options.block}`.replace(/[^a-z0-9]+/gi, "_");
  const html = await engine.parseAndRender(
    liquid,
    { ...options.context, block: { id, settings: { ...defaults, ...options.settings }, shopify_attributes: "" } },
    // Shopify's global objects (shop, request, customer…) stay visible inside `{% render %}`.
    { globals: options.context },
  );
  const head = [
    schema.stylesheet && `<link rel="stylesheet" href="${options.assetUrl(schema.stylesheet)}">`,
    schema.javascript && `<script src="${options.assetUrl(schema.javascript)}" defer></script>`,
  ]
    .filter(Boolean)
    .join("\n");
  return { id, html, head };
}

/** An app embed (target "body"): its assets for <head>, its markup for the end of <body>. */
export async function renderAppEmbed(engine: Liquid, options: BlockOptions): Promise<RenderedEmbed> {
  const { id, html, head } = await renderBlock(engine, options);
  return { head, body: `<div id="shopify-block-${id}" class="shopify-block shopify-app-block">${html}</div>` };
}

/** An app block (target "section") placed in a section of a page template. */
export async function renderAppBlock(engine: Liquid, options: BlockOptions): Promise<RenderedEmbed> {
  const { id, html, head } = await renderBlock(engine, options);
  return {
    head,
    body: `<div class="shopify-section"><div id="shopify-block-${id}" class="shopify-block shopify-app-block">${html}</div></div>`,
  };
}
