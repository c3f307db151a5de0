// npm run bench portal-assets
// What the storefront portal costs in bytes over the wire (gzip level 9, as a CDN serves text):
//   portal-loader-gzip-bytes   assets/portal.js, the deferred script on every page (target ≤ 10 KB)
//   portal-embed-html-gzip-bytes  the app embed's markup on every page: launcher, inline styles, the
//                              closed dialog and the UI's strings (English)
//   portal-ui-gzip-bytes       portal-app.js + portal-app.css, fetched when a shopper first hovers,
//                              focuses or opens the launcher (target ≤ 30 KB)
// The assets are shipped as written (Shopify serves theme app extension assets unminified), so
// these are the bytes a shopper downloads.
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { createEngine, extensionsRoot, renderAppEmbed } from "../dev/storefront/app-embed.ts";
import { report } from "./support.ts";

const EXTENSION = "shopdesk-portal";
const assets = path.join(extensionsRoot, EXTENSION, "assets");
const gzipBytes = (data: string | Buffer) => gzipSync(data, { level: 9 }).length;
const asset = (file: string) => readFileSync(path.join(assets, file));

const loader = asset("portal.js");
const uiJs = asset("portal-app.js");
const uiCss = asset("portal-app.css");

const assetUrl = (file: string) => `https://cdn.shopify.com/extensions/0000/${EXTENSION}/assets/${file}`;
const { engine } = createEngine({ extension: EXTENSION, assetUrl });
const embed = await renderAppEmbed(engine, {
  extension: EXTENSION,
  block: "portal-embed",
  assetUrl,
  context: {
    shop: { name: "Demo Goods" },
    request: { locale: { iso_code: "en" } },
  },
});

console.error(
  `portal.js ${loader.length} B raw; portal-app.js ${uiJs.length} B + portal-app.css ${uiCss.length} B raw; ` +
    `embed markup ${embed.body.length} B raw`,
);
report("portal-loader-gzip-bytes", gzipBytes(loader), "bytes");
report("portal-embed-html-gzip-bytes", gzipBytes(embed.body), "bytes");
report("portal-ui-gzip-bytes", gzipBytes(uiJs) + gzipBytes(uiCss), "bytes");
