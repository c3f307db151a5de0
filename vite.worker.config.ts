import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

// `npm run build`, second half: the job worker (app/jobs/worker.ts) as plain JavaScript in
// build/worker/, so `npm run worker` runs on node with only the production dependencies (tsx,
// Vite and the TypeScript toolchain are devDependencies). Packages stay external and load from
// node_modules, as in the Remix server build (vite.config.ts).
export default defineConfig({
  plugins: [tsconfigPaths()],
  // Database drivers load from node_modules as they are, not from a bundle.
  ssr: { external: ["pg-boss", "pg"] },
  build: {
    ssr: "app/jobs/worker.ts",
    outDir: "build/worker",
    emptyOutDir: true,
    target: "node20",
    rollupOptions: { output: { entryFileNames: "worker.js", format: "esm" } },
  },
});
