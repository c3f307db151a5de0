// npm run bench portal-lighthouse [-- --runs 5] [--preset mobile|desktop]
// Lighthouse performance score and LCP of the demo storefront's home, a product and a collection
// page, with and without the Shopdesk app embed, under Lighthouse's mobile (default) and desktop
// presets, in Debian's Chromium: the median of --runs runs (default 5) per page, preset and
// variant, runs of the two variants interleaved so drift hits both alike. Figures per page:
//   portal-lighthouse-<preset>-<page>-score-{with,without}   points (0–100)
//   portal-lighthouse-<preset>-<page>-lcp-{with,without}     ms (simulated throttling)
// and per preset the score lost to the embed, weighted as Shopify weighs the pages (home 17%,
// product 40%, collection 43%), and the largest LCP difference of the three pages.
//
// Lighthouse (12.2.3: 13 needs Node 22) is not one of the project's dependencies: the bench uses
// it when `lighthouse` resolves from the repo or from SHOPDESK_LIGHTHOUSE_DIR (a folder with its
// own node_modules/lighthouse), and otherwise says so and reports nothing.
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { findChromium } from "../dev/browser/launch.ts";
import { startStorefront, type Storefront } from "../dev/storefront/index.ts";
import { numberFlag, report } from "./support.ts";

const PAGES = [
  { name: "home", path: "/", weight: 0.17 },
  { name: "product", path: "/products/everyday-tee", weight: 0.4 },
  { name: "collection", path: "/collections/all", weight: 0.43 },
] as const;
const presetFlag = process.argv.indexOf("--preset");
const PRESETS = (["mobile", "desktop"] as const).filter(
  (preset) => presetFlag === -1 || process.argv[presetFlag + 1] === preset,
);
const runs = numberFlag("runs", 5);

interface LighthouseResult {
  lhr: {
    categories: { performance: { score: number | null } };
    audits: Record<string, { numericValue?: number }>;
    runtimeError?: { message: string };
  };
}
type Lighthouse = (url: string, flags: object, config?: object) => Promise<LighthouseResult | undefined>;
interface ChromeLauncher {
  launch(options: { chromePath: string; chromeFlags: string[] }): Promise<{ port: number; kill(): void }>;
}

/** `lighthouse` and its `chrome-launcher`, from the repo or from SHOPDESK_LIGHTHOUSE_DIR. */
async function loadLighthouse() {
  const bases = [process.cwd(), process.env.SHOPDESK_LIGHTHOUSE_DIR].filter((dir): dir is string => !!dir);
  for (const base of bases) {
    const require = createRequire(path.join(path.resolve(base), "package.json"));
    try {
      const main = require.resolve("lighthouse");
      const lighthouseRequire = createRequire(main);
      const load = async (file: string) => (await import(pathToFileURL(file).href)) as { default: unknown };
      return {
        lighthouse: (await load(main)).default as Lighthouse,
        desktopConfig: (await load(path.join(path.dirname(main), "config/desktop-config.js"))).default as object,
        chromeLauncher: (await import(
          pathToFileURL(lighthouseRequire.resolve("chrome-launcher")).href
        )) as ChromeLauncher,
      };
    } catch {
      continue;
    }
  }
  return null;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const loaded = await loadLighthouse();
const chromium = findChromium();
if (!loaded || !chromium) {
  console.error(
    !loaded
      ? "bench portal-lighthouse: lighthouse is not installed: `npm i -E -D lighthouse@12.2.3`, or install it in a " +
          "folder and set SHOPDESK_LIGHTHOUSE_DIR to it. No figures."
      : "bench portal-lighthouse: no Chromium (apt-get install chromium). No figures.",
  );
  process.exit(0);
}
const { lighthouse, desktopConfig, chromeLauncher } = loaded;

const storefrontOptions = {
  appUrl: "http://127.0.0.1:9", // no portal call is made: nothing opens the launcher
  apiSecret: "bench-lighthouse-secret",
  shop: "demo-goods.myshopify.com",
  shopName: "Demo Goods",
};
const variants: { name: "with" | "without"; storefront: Storefront }[] = [
  { name: "with", storefront: await startStorefront({ ...storefrontOptions, appEmbed: true }) },
  { name: "without", storefront: await startStorefront({ ...storefrontOptions, appEmbed: false }) },
];
const chrome = await chromeLauncher.launch({
  chromePath: chromium,
  chromeFlags: [
    "--headless=new",
    ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
  ],
});

try {
  for (const preset of PRESETS) {
    const lost: number[] = [];
    const lcpDeltas: number[] = [];
    for (const page of PAGES) {
      const samples = {
        with: { score: [] as number[], lcp: [] as number[] },
        without: { score: [], lcp: [] },
      } as Record<"with" | "without", { score: number[]; lcp: number[] }>;
      for (let run = 0; run < runs; run++) {
        // Alternate which variant goes first, so warm-up and drift do not favour one.
        const order = run % 2 === 0 ? variants : [...variants].reverse();
        for (const variant of order) {
          const url = new URL(page.path, variant.storefront.url).toString();
          const result = await lighthouse(
            url,
            { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance"] },
            preset === "desktop" ? desktopConfig : undefined,
          );
          if (!result || result.lhr.runtimeError) {
            throw new Error(`Lighthouse failed on ${url}: ${result?.lhr.runtimeError?.message ?? "no result"}`);
          }
          samples[variant.name].score.push(Math.round((result.lhr.categories.performance.score ?? 0) * 100));
          samples[variant.name].lcp.push(result.lhr.audits["largest-contentful-paint"]?.numericValue ?? Number.NaN);
        }
      }
      const figure = `portal-lighthouse-${preset}-${page.name}`;
      for (const variant of ["with", "without"] as const) {
        console.error(`${figure} ${variant}: scores ${samples[variant].score.join(", ")}`);
        report(`${figure}-score-${variant}`, median(samples[variant].score), "points");
        report(`${figure}-lcp-${variant}`, median(samples[variant].lcp), "ms");
      }
      lost.push(page.weight * (median(samples.without.score) - median(samples.with.score)));
      lcpDeltas.push(median(samples.with.lcp) - median(samples.without.lcp));
    }
    report(
      `portal-lighthouse-${preset}-weighted-score-lost`,
      lost.reduce((sum, value) => sum + value, 0),
      "points",
    );
    report(`portal-lighthouse-${preset}-max-lcp-added`, Math.max(...lcpDeltas), "ms");
  }
} finally {
  chrome.kill();
  for (const variant of variants) await variant.storefront.close();
}
