import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig(({ isSsrBuild }) => ({
  server: { host: "127.0.0.1", port: Number(process.env.PORT || 3000), hmr: { host: "127.0.0.1" } },
  plugins: [
    remix({
      ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        // Off: with lazy discovery a link to a route the browser has not seen asks /__manifest first,
        // and when that answer says the build changed (any edit under `npm run demo`) Remix reloads
        // the document at the bare link, without the admin's shop, host and session token, and the
        // embedded app lands on its login page. The whole manifest is small (a few dozen routes).
        v3_lazyRouteDiscovery: false,
        v3_singleFetch: true,
      },
    }),
    tsconfigPaths(),
  ],
  // The server bundle runs on Node (app/db.server.ts awaits the database at the top level); the
  // browser bundle keeps Vite's default browser targets.
  build: { assetsInlineLimit: 0, ...(isSsrBuild ? { target: "node20" } : {}) },
  // Database drivers load from node_modules as they are, not from a bundle.
  ssr: { external: ["pg-boss", "pg"] },
  optimizeDeps: { include: ["@shopify/app-bridge-react", "@shopify/polaris"] },
}));
